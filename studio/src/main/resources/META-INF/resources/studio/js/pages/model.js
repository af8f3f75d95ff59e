// One trained DLN: its versions with their accuracy and aliases; promote a version or roll 'prod' back (both
// confirmed first), move any alias, and diff the prompts of two versions. Read-only keys see no buttons.

import {api, enc, session} from '../api.js';
import {h, page, table, pct, age, say, errorBox, confirmDialog, field, hashQuery} from '../dom.js';
import {promptDiff} from '../diff.js';
import {aliasTags} from './models.js';

export async function render([name], {signal}) {
    const [versions, aliases] = await Promise.all([
        api.get(`/api/models/${enc(name)}/versions`, {signal}),
        api.get(`/api/models/${enc(name)}/aliases`, {signal})]);
    const canChange = session.canTrain();
    const problem = h('div', {id: 'model-problem'});
    const prod = aliases.prod;
    const olderThanProd = prod ? versions.map(v => v.version).filter(v => v < prod).sort((a, b) => b - a)[0] : undefined;

    async function moveAlias(alias, version, question) {
        if (!await confirmDialog(question, `Move ${alias}`)) return;
        problem.replaceChildren();
        try {
            await api.put(`/api/models/${enc(name)}/aliases/${enc(alias)}`, {version});
            say(`${alias} now points to version ${version}`);
            window.dispatchEvent(new HashChangeEvent('hashchange'));
        } catch (e) {
            problem.replaceChildren(errorBox(e));
        }
    }

    const versionTable = table(`Versions of ${name}`, [
        {label: 'Version', num: true, cell: v => `v${v.version}`},
        {label: 'Layers', cell: v => `DLN-${v.layers}`},
        {label: 'Dev', num: true, cell: v => pct(v.metrics?.devAccuracy)},
        {label: 'Test', num: true, cell: v => pct(v.metrics?.testAccuracy)},
        {label: 'Aliases', cell: v => (v.aliases || []).map(a => h('span', {class: 'tag', 'data-alias': a}, a))},
        {label: 'Trained by', cell: v => v.sourceRunId ? (canChange ? h('a', {href: `#/runs/${v.sourceRunId}`}, 'run ' + v.sourceRunId.slice(0, 8))
            : 'run ' + v.sourceRunId.slice(0, 8)) : 'imported'},
        {label: 'Created', cell: v => age(v.createdAt)},
        {label: 'Actions', cell: v => h('div', {class: 'row-actions'},
            h('a', {href: `#/playground?model=${enc(name)}&a=${v.version}`}, 'Try'),
            canChange && prod !== v.version ? h('button', {type: 'button', 'data-action': 'promote', 'data-version': v.version,
                onclick: () => moveAlias('prod', v.version, `Promote version ${v.version} of ${name} to prod? `
                    + 'Callers of the prod alias get it from the next request.')}, 'Promote to prod') : null)},
    ], versions, {id: 'versions-table'});

    const aliasName = h('input', {id: 'alias-name', required: true, maxlength: 100, placeholder: 'staging'});
    const aliasVersion = h('select', {id: 'alias-version'}, versions.map(v => h('option', {value: v.version}, `v${v.version}`)));
    const aliasForm = canChange ? h('form', {class: 'inline-form', onsubmit: e => {
        e.preventDefault();
        moveAlias(aliasName.value.trim(), Number(aliasVersion.value), `Point ${aliasName.value.trim()} to version ${aliasVersion.value}?`);
    }}, field('Alias', aliasName), field('Version', aliasVersion), h('button', {type: 'submit'}, 'Set alias')) : null;

    const query = hashQuery();
    const a = h('select', {id: 'diff-a', 'aria-label': 'Version A'}, versions.map(v => h('option', {value: v.version,
        selected: String(v.version) === (query.get('a') || String(versions[1]?.version ?? versions[0]?.version))}, `v${v.version}`)));
    const b = h('select', {id: 'diff-b', 'aria-label': 'Version B'}, versions.map(v => h('option', {value: v.version,
        selected: String(v.version) === (query.get('b') || String(versions[0]?.version))}, `v${v.version}`)));
    const diffArea = h('div', {id: 'version-diff'});
    async function showDiff() {
        const [va, vb] = await Promise.all([a.value, b.value].map(v => api.get(`/api/models/${enc(name)}/versions/${v}`, {signal})));
        const layers = Math.max(va.layers, vb.layers) === 2 ? [1, 2] : [2];
        diffArea.replaceChildren(...layers.map(layer => h('section', {class: 'block'},
            h('h3', {}, `${layers.length === 2 ? `Layer ${layer}` : 'Output'} prompt: v${va.version} → v${vb.version}`),
            promptDiff(va.prompts?.[`p${layer}`], vb.prompts?.[`p${layer}`], `Prompt changes from v${va.version} to v${vb.version}`))));
    }
    a.addEventListener('change', showDiff);
    b.addEventListener('change', showDiff);

    page(name,
        h('p', {class: 'sub'}, 'Aliases: ', aliasTags(aliases)),
        canChange && prod && olderThanProd ? h('div', {class: 'toolbar'}, h('button', {type: 'button', class: 'danger', 'data-action': 'rollback',
            onclick: () => moveAlias('prod', olderThanProd, `Roll prod back from version ${prod} to version ${olderThanProd}?`)},
        `Roll prod back to v${olderThanProd}`)) : null,
        problem, versionTable, aliasForm,
        versions.length > 0 ? h('section', {'aria-labelledby': 'diff-h'}, h('h2', {id: 'diff-h'}, 'Compare two versions'),
            h('div', {class: 'toolbar'}, a, h('span', {}, 'against'), b,
                h('a', {class: 'button secondary', id: 'playground-ab',
                    href: `#/playground?model=${enc(name)}&a=${a.value}&b=${b.value}`,
                    onclick: e => { e.currentTarget.href = `#/playground?model=${enc(name)}&a=${a.value}&b=${b.value}`; }},
                'Try both in the playground')),
            diffArea) : null);
    if (versions.length) await showDiff();
}
