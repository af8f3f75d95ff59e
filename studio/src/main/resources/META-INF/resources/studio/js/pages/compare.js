// Two or more runs side by side: curves overlaid, the settings that differ, and the final prompts with their diff
// against the first run's.

import {api} from '../api.js';
import {h, page, table, pct, int, statusBadge, hashQuery, age} from '../dom.js';
import {LineChart, PALETTE} from '../charts.js';
import {promptDiff} from '../diff.js';

const MAX_RUNS = 8;

export async function render(_, {signal}) {
    const ids = (hashQuery().get('ids') || '').split(',').map(s => s.trim()).filter(Boolean).slice(0, MAX_RUNS);
    if (ids.length < 2) return chooser(ids, signal);
    const runs = await Promise.all(ids.map(id => api.get(`/api/runs/${id}`, {signal})));
    const histories = await Promise.all(ids.map(id => api.get(`/api/runs/${id}/iterations`, {signal})));
    const names = runs.map(r => `${r.modelName} (${r.id.slice(0, 8)})`);
    const series = names.map((label, i) => ({label, color: PALETTE[i % PALETTE.length]}));
    const xs = [...new Set(histories.flatMap(hs => hs.map(i => i.iteration)))].sort((a, b) => a - b);
    const column = (hs, key) => {
        const at = new Map(hs.map(i => [i.iteration, i[key] ?? null]));
        return xs.map(x => at.has(x) ? at.get(x) : null);
    };
    const dev = new LineChart('Dev accuracy', series, {percent: true});
    const batch = new LineChart('Batch accuracy', series, {percent: true});
    const elbo = new LineChart('ELBO', series);

    const facts = [
        ['status', r => statusBadge(r.status)], ['data set', r => r.datasetId.slice(0, 8)], ['layers', r => r.layers],
        ['seed', r => r.seed], ['best dev', r => pct(r.bestDevAccuracy)], ['test', r => pct(r.testAccuracy)],
        ['tokens', r => int(r.tokensUsed)], ['backends', r => r.backends ? Object.values(r.backends).join(' / ') : '—'],
    ];
    const keys = [...new Set(runs.flatMap(r => Object.keys(r.settings || {})))].sort();
    const differing = keys.filter(k => new Set(runs.map(r => JSON.stringify(r.settings?.[k]))).size > 1);
    const settingRows = differing.map(k => [k, r => show(r.settings?.[k])]);
    const grid = (caption, rows, attrs) => table(caption, [{label: 'Setting', header: true, cell: ([k]) => k},
        ...runs.map((r, i) => ({label: names[i], cell: ([, get]) => get(r)}))], rows, attrs);

    const first = runs[0];
    const promptOf = (r, layer) => (r.bestPrompts || {})[`p${layer}`] || '';
    const layers = runs.some(r => r.layers === 2) ? [1, 2] : [2];
    const prompts = h('section', {'aria-labelledby': 'cmp-prompts'}, h('h2', {id: 'cmp-prompts'}, 'Best prompts'),
        ...layers.map(layer => h('div', {}, h('h3', {}, layer === 1 ? 'Layer 1' : layers.length === 2 ? 'Layer 2' : 'Output prompt'),
            h('div', {class: 'side-by-side', style: null}, runs.map((r, i) => h('div', {class: 'side'},
                h('h4', {}, h('a', {href: `#/runs/${r.id}`}, names[i])),
                i === 0 ? h('pre', {}, promptOf(r, layer) || '—')
                    : promptDiff(promptOf(first, layer), promptOf(r, layer), `${names[i]} against ${names[0]}`)))))));

    page('Compare runs',
        h('p', {class: 'sub'}, runs.map((r, i) => h('span', {class: 'legend-item'},
            h('span', {class: 'swatch', style: null, 'data-color': i}), h('a', {href: `#/runs/${r.id}`}, names[i]), ' '))),
        h('section', {class: 'charts', 'aria-label': 'Curves overlaid'}, dev.element, batch.element, elbo.element),
        grid('Runs', facts, {id: 'compare-facts'}),
        differing.length ? grid(`Settings that differ (${differing.length} of ${keys.length})`, settingRows, {id: 'compare-settings'})
            : h('p', {id: 'compare-settings'}, 'All settings are the same.'),
        prompts);
    for (const swatch of document.querySelectorAll('.swatch')) swatch.style.background = PALETTE[Number(swatch.dataset.color) % PALETTE.length];
    dev.setData(xs, histories.map(hs => column(hs, 'devAccuracy')));
    batch.setData(xs, histories.map(hs => column(hs, 'batchAccuracy')));
    elbo.setData(xs, histories.map(hs => column(hs, 'elbo')));
}

async function chooser(ids, signal) {
    const result = await api.get('/api/runs?size=50', {signal});
    const chosen = new Set(ids);
    const go = h('button', {type: 'submit', disabled: chosen.size < 2}, 'Compare');
    const form = h('form', {}, table('Pick two or more runs (the 50 newest)', [
        {label: 'Compare', cell: r => {
            const box = h('input', {type: 'checkbox', value: r.id, checked: chosen.has(r.id), 'aria-label': `Compare ${r.modelName} ${r.id.slice(0, 8)}`});
            box.addEventListener('change', () => {
                if (box.checked) chosen.add(r.id); else chosen.delete(r.id);
                go.disabled = chosen.size < 2 || chosen.size > MAX_RUNS;
            });
            return box;
        }},
        {label: 'Model', cell: r => r.modelName}, {label: 'Status', cell: r => statusBadge(r.status)},
        {label: 'Best dev', num: true, cell: r => pct(r.bestDevAccuracy)},
        {label: 'Age', cell: r => age(r.createdAt)},
    ], result.items), go);
    form.addEventListener('submit', e => {
        e.preventDefault();
        location.hash = `#/compare?ids=${[...chosen].join(',')}`;
    });
    page('Compare runs', h('p', {}, `Choose up to ${MAX_RUNS} runs.`), form);
}

function show(value) {
    return value === undefined ? '—' : typeof value === 'object' ? JSON.stringify(value) : String(value);
}
