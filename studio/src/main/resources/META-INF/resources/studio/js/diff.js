// Word diff of two prompts, by jsdiff (vendor/diff), as <ins>/<del> marks with words for screen readers.
import {h} from './dom.js';

export function promptDiff(before, after, label) {
    before = before || '';
    after = after || '';
    if (!window.Diff) return h('pre', {}, after);
    const parts = window.Diff.diffWordsWithSpace(before, after);
    const changed = parts.some(p => p.added || p.removed);
    return h('pre', {class: 'diff', 'aria-label': label, 'data-changed': String(changed)},
        parts.map(p => p.added ? h('ins', {}, h('span', {class: 'sr-only'}, '[added: '), p.value, h('span', {class: 'sr-only'}, ']'))
            : p.removed ? h('del', {}, h('span', {class: 'sr-only'}, '[removed: '), p.value, h('span', {class: 'sr-only'}, ']'))
                : p.value),
        changed ? null : h('span', {class: 'unchanged'}, ' (unchanged)'));
}
