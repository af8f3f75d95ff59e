// Data sets: the tenant's list, and an upload with a preview of the first rows read in the browser; the gateway
// checks every row and its per-line problems are listed here.

import {api, enc} from '../api.js';
import {h, page, table, int, age, field, errorBox, say, hashQuery} from '../dom.js';
import {pager} from './runs.js';

const SIZE = 25;
const PREVIEW_ROWS = 8;

export async function render(_, {signal}) {
    const pageNo = Math.max(0, parseInt(hashQuery().get('page') || '0', 10) || 0);
    const list = await api.get(`/api/datasets?page=${pageNo}&size=${SIZE}`, {signal});
    const pages = Math.max(1, Math.ceil(list.total / SIZE));
    page('Data sets', uploadForm(),
        h('section', {'aria-labelledby': 'ds-list-h'}, h('h2', {id: 'ds-list-h'}, 'Your data sets'),
            list.items.length ? table(null, [
                {label: 'Name', cell: d => h('a', {href: `#/datasets/${d.id}`}, d.name)},
                {label: 'Train', num: true, cell: d => int(d.counts?.train)},
                {label: 'Dev', num: true, cell: d => int(d.counts?.dev)},
                {label: 'Test', num: true, cell: d => int(d.counts?.test)},
                {label: 'Classes', cell: d => (d.outputClasses || []).join(', ') || '—'},
                {label: 'Created', cell: d => age(d.createdAt)},
            ], list.items, {id: 'datasets-table'}) : h('p', {class: 'empty'}, 'None yet.'),
            pager(pageNo, pages, p => { location.hash = `#/datasets?page=${p}`; })));
}

function uploadForm() {
    const file = h('input', {type: 'file', id: 'ds-file', accept: '.jsonl,.json,.csv,.ndjson,.txt', required: true});
    const name = h('input', {id: 'ds-name', required: true, maxlength: 200, pattern: '[A-Za-z0-9][A-Za-z0-9 ._-]{0,199}'});
    const format = h('select', {id: 'ds-format'}, ['jsonl', 'csv', 'bbh'].map(f => h('option', {value: f}, f)));
    const instruction = h('textarea', {id: 'ds-instruction', rows: 2, maxlength: 4000});
    const classes = h('input', {id: 'ds-classes', placeholder: 'yes|Yes, no|No'});
    const loss = h('select', {id: 'ds-loss'}, h('option', {value: ''}, 'default (exact_match)'),
        ['exact_match', 'number_presence'].map(l => h('option', {value: l}, l)));
    const preview = h('div', {id: 'ds-preview', 'aria-live': 'polite'});
    const problems = h('div', {id: 'ds-problems'});
    const submit = h('button', {type: 'submit'}, 'Upload');

    file.addEventListener('change', async () => {
        const chosen = file.files[0];
        problems.replaceChildren();
        if (!chosen) return preview.replaceChildren();
        if (!name.value) name.value = chosen.name.replace(/\.[^.]+$/, '').replace(/[^A-Za-z0-9 ._-]/g, '-').slice(0, 200);
        const guessed = chosen.name.endsWith('.csv') ? 'csv' : chosen.name.endsWith('.json') ? 'bbh' : 'jsonl';
        format.value = guessed;
        preview.replaceChildren(await previewOf(chosen, guessed));
    });
    format.addEventListener('change', async () => {
        if (file.files[0]) preview.replaceChildren(await previewOf(file.files[0], format.value));
    });

    const form = h('form', {class: 'card', id: 'upload-form', 'aria-labelledby': 'upload-h'},
        h('h2', {id: 'upload-h'}, 'Upload a data set'),
        h('div', {class: 'grid'},
            field('File (JSON lines, CSV or BBH JSON)', file, 'Rows of input, target and optionally split (train, dev, test).'),
            field('Name', name, 'Letters, digits, spaces, ".", "_" or "-".'),
            field('Format', format),
            field('Loss', loss),
            field('Output classes', classes, 'Optional: comma-separated, verbalizers joined by "|", e.g. yes|Yes, no|No.'),
            field('Instruction', instruction, 'The initial prompt of the output layer.')),
        preview, problems, submit);
    form.addEventListener('submit', async e => {
        e.preventDefault();
        problems.replaceChildren();
        const chosen = file.files[0];
        if (!chosen) return;
        const query = new URLSearchParams({name: name.value.trim(), format: format.value});
        if (instruction.value.trim()) query.set('instruction', instruction.value.trim());
        if (loss.value) query.set('loss', loss.value);
        for (const c of classes.value.split(',').map(s => s.trim()).filter(Boolean)) query.append('classes', c);
        submit.disabled = true;
        submit.textContent = 'Uploading…';
        try {
            const created = await api.upload(`/api/datasets?${query}`, chosen,
                format.value === 'csv' ? 'text/csv' : format.value === 'bbh' ? 'application/json' : 'application/x-ndjson');
            say(`Data set ${created.name} stored`);
            location.hash = `#/datasets/${enc(created.id)}`;
        } catch (err) {
            problems.replaceChildren(h('h3', {}, 'The upload was refused; nothing was stored'), errorBox(err),
                err.fields?.some(f => f.line) ? table('Problems per line', [
                    {label: 'Line', num: true, cell: f => f.line ?? '—'},
                    {label: 'Field', cell: f => f.field || '—'},
                    {label: 'Problem', cell: f => f.message},
                ], err.fields, {id: 'upload-errors'}) : null);
            problems.querySelector('h3').setAttribute('tabindex', '-1');
            problems.querySelector('h3').focus();
        } finally {
            submit.disabled = false;
            submit.textContent = 'Upload';
        }
    });
    return form;
}

/** The first rows as the browser reads them; the gateway's check is the one that counts. */
async function previewOf(file, format) {
    const text = await file.slice(0, 256 * 1024).text();
    let rows = [];
    let note = null;
    try {
        if (format === 'bbh') {
            const doc = JSON.parse(text);
            rows = (doc.examples || []).slice(0, PREVIEW_ROWS).map((e, i) => ({line: i + 1, input: e.input, target: e.target}));
        } else if (format === 'csv') {
            const parsed = csvRows(text, PREVIEW_ROWS + 1);
            const head = parsed[0] || [];
            rows = parsed.slice(1).map((cells, i) => ({line: i + 2,
                ...Object.fromEntries(head.map((name, k) => [name.trim(), cells[k]]))}));
        } else {
            rows = text.split(/\r?\n/).slice(0, PREVIEW_ROWS).map((line, i) => {
                if (!line.trim()) return {line: i + 1, problem: 'empty line'};
                try { return {line: i + 1, ...JSON.parse(line)}; } catch { return {line: i + 1, problem: 'not JSON'}; }
            });
        }
    } catch (e) {
        note = `The browser could not read it as ${format}: ${e.message}`;
    }
    return h('div', {class: 'preview'}, h('h3', {}, `Preview of ${file.name} (${int(file.size)} bytes)`),
        note ? h('p', {class: 'notice'}, note) : null,
        rows.length ? table(`First ${rows.length} rows`, [
            {label: 'Line', num: true, cell: r => r.line},
            {label: 'Input', cell: r => clip(r.input)},
            {label: 'Target', cell: r => clip(r.target)},
            {label: 'Split', cell: r => r.split ?? ''},
            {label: 'Note', cell: r => r.problem ?? ''},
        ], rows, {id: 'preview-table'}) : null);
}

function clip(value) {
    const text = value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
    return text.length > 140 ? text.slice(0, 139) + '…' : text;
}

/** Enough CSV for a preview: quoted fields, doubled quotes, commas and newlines inside quotes. */
function csvRows(text, max) {
    const rows = [];
    let row = [], cell = '', quoted = false;
    for (let i = 0; i < text.length && rows.length < max; i++) {
        const c = text[i];
        if (quoted) {
            if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
        } else if (c === '"') quoted = true;
        else if (c === ',') { row.push(cell); cell = ''; }
        else if (c === '\n' || c === '\r') {
            if (c === '\r' && text[i + 1] === '\n') i++;
            row.push(cell); rows.push(row); row = []; cell = '';
        } else cell += c;
    }
    if ((cell || row.length) && rows.length < max) { row.push(cell); rows.push(row); }
    return rows;
}
