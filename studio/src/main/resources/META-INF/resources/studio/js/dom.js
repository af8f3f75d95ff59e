// Building the page from data without innerHTML: every text a run, a data set or a model brings is set as text,
// never parsed as markup.

/** h('a', {href: '#/runs', class: 'x', onclick: fn}, 'text', child, [more]) */
export function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
        if (value === null || value === undefined || value === false) continue;
        if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
        else if (name === 'class') el.className = value;
        else if (name === 'dataset') Object.assign(el.dataset, value);
        else if (name === 'value' && 'value' in el) el.value = value;
        else if (name === 'checked' || name === 'selected' || name === 'disabled' || name === 'hidden' || name === 'open') el[name] = true;
        else el.setAttribute(name, value === true ? '' : String(value));
    }
    append(el, children);
    return el;
}

function append(el, children) {
    for (const child of children) {
        if (child === null || child === undefined || child === false) continue;
        if (Array.isArray(child)) append(el, child);
        else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
}

export function clear(el) {
    while (el.firstChild) el.removeChild(el.firstChild);
    return el;
}

/** The main region, emptied, with its heading focused so screen readers announce the page. */
export function page(title, ...content) {
    const main = clear(document.getElementById('main'));
    hush(); // what was said about the page before is not about this one
    const heading = h('h1', {tabindex: '-1'}, title);
    main.append(heading, ...content.flat().filter(Boolean));
    document.title = `${typeof title === 'string' ? title : heading.textContent} · DLN Studio`;
    heading.focus({preventScroll: false});
    return main;
}

let said = 0;

/** Announces the text to screen readers and shows it for a few seconds, so that it never stays over the page. */
export function say(text) {
    const status = document.getElementById('status');
    const turn = ++said;
    status.textContent = '';
    // a new text node each time, so the same message is announced twice
    setTimeout(() => { if (turn === said) status.textContent = text; }, 20);
    setTimeout(() => { if (turn === said) status.textContent = ''; }, 4000);
}

function hush() {
    said++;
    document.getElementById('status').textContent = '';
}

export function pct(value) {
    return value === null || value === undefined ? '—' : `${(value * 100).toFixed(1)} %`;
}

export function num(value, digits = 3) {
    return value === null || value === undefined || Number.isNaN(value) ? '—' : Number(value).toFixed(digits);
}

export function int(value) {
    return value === null || value === undefined ? '—' : Number(value).toLocaleString('en');
}

export function age(iso) {
    if (!iso) return '—';
    const seconds = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
    if (seconds < 60) return `${Math.round(seconds)} s ago`;
    if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
    if (seconds < 86400) return `${Math.round(seconds / 3600)} h ago`;
    return `${Math.round(seconds / 86400)} d ago`;
}

export function statusBadge(status) {
    return h('span', {class: `badge badge-${String(status).toLowerCase()}`, 'data-status': status}, status);
}

/** A table whose columns are [{label, cell: row => node|text, num?: true, header?: true (the row's header)}] */
export function table(caption, columns, rows, attrs = {}) {
    return h('div', {class: 'table-wrap'},
        h('table', attrs,
            caption ? h('caption', {}, caption) : null,
            h('thead', {}, h('tr', {}, columns.map(c => h('th', {scope: 'col', class: c.num ? 'num' : null}, c.label)))),
            h('tbody', {}, rows.map(row => h('tr', {}, columns.map(c =>
                h(c.header ? 'th' : 'td', {class: c.num ? 'num' : null, scope: c.header ? 'row' : null}, c.cell(row))))))));
}

export function field(label, input, hint) {
    const id = input.id || (input.id = `f-${Math.random().toString(36).slice(2, 9)}`);
    const hintEl = hint ? h('span', {class: 'hint', id: `${id}-hint`}, hint) : null;
    if (hintEl) input.setAttribute('aria-describedby', hintEl.id);
    return h('div', {class: 'field'}, h('label', {for: id}, label), input, hintEl,
        h('span', {class: 'field-error', id: `${id}-error`, role: 'alert'}));
}

export function setFieldError(input, message) {
    const error = document.getElementById(`${input.id}-error`);
    if (error) error.textContent = message || '';
    if (message) input.setAttribute('aria-invalid', 'true'); else input.removeAttribute('aria-invalid');
}

/** A confirmation that a keyboard user can answer: the native dialog element, focus kept inside. */
export function confirmDialog(question, confirmLabel) {
    return new Promise(resolve => {
        const dialog = h('dialog', {class: 'confirm', 'aria-labelledby': 'confirm-q'},
            h('p', {id: 'confirm-q'}, question),
            h('div', {class: 'actions'},
                h('button', {type: 'button', class: 'secondary', onclick: () => dialog.close('no')}, 'Cancel'),
                h('button', {type: 'button', class: 'danger', 'data-confirm': '', onclick: () => dialog.close('yes')}, confirmLabel)));
        dialog.addEventListener('close', () => { dialog.remove(); resolve(dialog.returnValue === 'yes'); });
        document.body.append(dialog);
        dialog.showModal();
    });
}

/** The query part of the location's hash: #/runs?status=RUNNING */
export function hashQuery() {
    const hash = location.hash;
    const at = hash.indexOf('?');
    return new URLSearchParams(at < 0 ? '' : hash.slice(at + 1));
}

/** A term and its value in a <dl class="facts">, kept together for the grid. */
export function fact(label, value) {
    return h('div', {class: 'fact'}, h('dt', {}, label), h('dd', {'data-fact': label}, value));
}

export function errorBox(error) {
    const fields = error?.fields || [];
    return h('div', {class: 'error-box', role: 'alert'},
        h('p', {}, error?.message || String(error)),
        fields.length ? h('ul', {}, fields.map(f => h('li', {},
            f.line ? `line ${f.line}: ` : '', f.field ? h('code', {}, f.field) : null, f.field ? ' ' : '', f.message))) : null);
}
