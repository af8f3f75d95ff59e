import {api, enc} from '../api.js';
import {h, page, table, int, age} from '../dom.js';

export async function render(_, {signal}) {
    const models = await api.get('/api/models', {signal});
    page('Registry', models.length ? table('Trained DLNs', [
        {label: 'Name', cell: m => h('a', {href: `#/models/${enc(m.name)}`}, m.name)},
        {label: 'Newest version', num: true, cell: m => `v${m.latestVersion}`},
        {label: 'Versions', num: true, cell: m => int(m.versions)},
        {label: 'Aliases', cell: m => aliasTags(m.aliases)},
        {label: 'Updated', cell: m => age(m.updatedAt)},
        {label: 'Try', cell: m => h('a', {href: `#/playground?model=${enc(m.name)}`}, 'Playground')},
    ], models, {id: 'models-table'}) : h('p', {class: 'empty'}, 'No trained DLN yet: a finished run registers one.'));
}

export function aliasTags(aliases) {
    const entries = Object.entries(aliases || {});
    return entries.length ? entries.map(([alias, v]) => h('span', {class: 'tag', 'data-alias': alias}, `${alias} → v${v}`)) : '—';
}
