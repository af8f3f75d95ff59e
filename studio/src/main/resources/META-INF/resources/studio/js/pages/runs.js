import {api, enc} from '../api.js';
import {h, page, table, pct, int, age, statusBadge, hashQuery, field, say} from '../dom.js';

const STATUSES = ['', 'QUEUED', 'RUNNING', 'PAUSED', 'SUCCEEDED', 'FAILED', 'CANCELLED'];
const SIZE = 25;
const ACTIVE = new Set(['QUEUED', 'RUNNING', 'PAUSED']);

export async function render(params, {signal}) {
    const query = hashQuery();
    const status = query.get('status') || '';
    const model = query.get('model') || '';
    const pageNo = Math.max(0, parseInt(query.get('page') || '0', 10) || 0);

    const statusSelect = h('select', {id: 'runs-status', name: 'status'},
        STATUSES.map(s => h('option', {value: s, selected: s === status}, s || 'any')));
    const modelInput = h('input', {id: 'runs-model', name: 'model', value: model, type: 'search', autocomplete: 'off'});
    const filters = h('form', {class: 'filters', role: 'search', 'aria-label': 'Filter runs'},
        field('Status', statusSelect), field('Model name', modelInput), h('button', {type: 'submit'}, 'Filter'));
    filters.addEventListener('submit', e => {
        e.preventDefault();
        navigate({status: statusSelect.value, model: modelInput.value.trim(), page: 0});
    });
    statusSelect.addEventListener('change', () => navigate({status: statusSelect.value, model: modelInput.value.trim(), page: 0}));

    const selected = new Set();
    const compareButton = h('button', {type: 'button', id: 'compare-selected', disabled: true,
        onclick: () => { location.hash = `#/compare?ids=${[...selected].join(',')}`; }}, 'Compare selected');
    const listArea = h('div', {id: 'runs-list', 'aria-busy': 'true'});
    page('Runs', h('div', {class: 'toolbar'}, h('a', {class: 'button', href: '#/datasets'}, 'New run from a data set'), compareButton),
        filters, listArea);

    async function load() {
        const params = new URLSearchParams({page: pageNo, size: SIZE});
        if (status) params.set('status', status);
        if (model) params.set('modelName', model);
        const result = await api.get(`/api/runs?${params}`, {signal});
        listArea.setAttribute('aria-busy', 'false');
        const pages = Math.max(1, Math.ceil(result.total / SIZE));
        const check = run => {
            const box = h('input', {type: 'checkbox', 'aria-label': `Select ${run.modelName} (${run.id.slice(0, 8)}) to compare`,
                checked: selected.has(run.id), value: run.id});
            box.addEventListener('change', () => {
                if (box.checked) selected.add(run.id); else selected.delete(run.id);
                compareButton.disabled = selected.size < 2;
                compareButton.textContent = selected.size ? `Compare selected (${selected.size})` : 'Compare selected';
            });
            return box;
        };
        listArea.replaceChildren(
            result.items.length ? table(`Runs, page ${result.page + 1} of ${pages} (${int(result.total)} in all)`, [
                {label: 'Compare', cell: check},
                {label: 'Model', cell: r => h('a', {href: `#/runs/${r.id}`, 'data-run': r.id}, r.modelName)},
                {label: 'Status', cell: r => statusBadge(r.status)},
                {label: 'Layers', cell: r => `DLN-${r.layers}`},
                {label: 'Iteration', num: true, cell: r => `${Math.min(r.iteration, r.iterations)} / ${r.iterations}`},
                {label: 'Best dev', num: true, cell: r => pct(r.bestDevAccuracy)},
                {label: 'Tokens', num: true, cell: r => int(r.tokensUsed)},
                {label: 'Age', cell: r => h('time', {datetime: r.createdAt, title: r.createdAt}, age(r.createdAt))},
            ], result.items, {id: 'runs-table'}) : h('p', {class: 'empty'}, status || model ? 'No run matches these filters.' :
                'No runs yet: upload a data set and start one.'),
            pager(pageNo, pages, p => navigate({status, model, page: p})));
        return result.items.some(r => ACTIVE.has(r.status));
    }

    let active = await load();
    // a light refresh while some run on this page is still going: one page of rows, not the runs' histories
    const timer = setInterval(async () => {
        if (!active || document.hidden) return;
        try { active = await load(); } catch { /* the next tick tries again */ }
    }, 5000);
    signal.addEventListener('abort', () => clearInterval(timer));
    say(`Runs page ${pageNo + 1} loaded`);
}

function navigate({status, model, page: p}) {
    const q = new URLSearchParams();
    if (status) q.set('status', status);
    if (model) q.set('model', model);
    if (p) q.set('page', p);
    location.hash = `#/runs${q.toString() ? '?' + q : ''}`;
}

export function pager(current, pages, go) {
    if (pages <= 1) return null;
    return h('nav', {class: 'pager', 'aria-label': 'Pages'},
        h('button', {type: 'button', disabled: current === 0, onclick: () => go(current - 1)}, '← Previous'),
        h('span', {'aria-live': 'polite'}, `Page ${current + 1} of ${pages}`),
        h('button', {type: 'button', disabled: current >= pages - 1, onclick: () => go(current + 1)}, 'Next →'));
}

