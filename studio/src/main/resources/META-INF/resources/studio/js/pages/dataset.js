// One data set: its counts per split and class, and the form that starts a run on it. Each setting shows its
// default and range; the gateway checks them again and its per-field problems are shown next to the fields.

import {api} from '../api.js';
import {h, page, table, int, field, setFieldError, errorBox, say, fact} from '../dom.js';

// The knobs a person changes most, with DlnSettings' defaults; the ranges are what the Studio offers (the gateway's
// own check, with its limits, is the one that counts and its answer is shown per field).
export const SETTINGS = [
    {name: 'iterations', def: 20, min: 0, max: 500, help: 'training iterations, one batch and one prompt update each'},
    {name: 'batchSize', def: 20, min: 1, max: 200, help: 'examples per training batch'},
    {name: 'pSamples', def: 5, min: 1, max: 50, help: 'prompt candidates per update, the current prompt included'},
    {name: 'hSamples', def: 3, min: 1, max: 50, help: 'posterior samples of the hidden text per example (DLN-2)'},
    {name: 'validateEvery', def: 2, min: 1, max: 500, help: 'validate on the dev split every this many iterations'},
    {name: 'patience', def: 0, min: 0, max: 500, help: 'validations without improvement before stopping; 0 never stops early'},
    {name: 'memorySize', def: 0, min: 0, max: 50, help: 'best dev prompts kept and offered again as candidates'},
    {name: 'posteriorTemperature', def: 1.0, min: 0.01, max: 10, step: 0.01, help: 'softmax temperature of the posterior weights'},
    {name: 'trustFactor', def: 0.0, min: 0, max: 10, step: 0.01, help: 'KL penalty between output class distributions'},
    {name: 'logpPenalty', def: 0.0, min: 0, max: 10, step: 0.01, help: 'penalty on hidden prompts that favour wrong thoughts'},
    {name: 'forwardTemperature', def: 0.0, min: 0, max: 2, step: 0.05, help: 'temperature of forward calls'},
    {name: 'backwardTemperature', def: 0.7, min: 0, max: 2, step: 0.05, help: 'temperature of proposals and posterior samples'},
    {name: 'heldOutRanking', def: false, type: 'bool', help: 'show the backward LLM only half the batch per proposal'},
    {name: 'balanceBatch', def: true, type: 'bool', help: 'draw batches with the classes in equal shares'},
    {name: 'initP1', def: '', type: 'text', help: 'initial hidden-layer prompt (DLN-2)'},
    {name: 'initP2', def: '', type: 'text', help: "initial output prompt; empty takes the data set's instruction"},
];

export async function render([id], {signal}) {
    const ds = await api.get(`/api/datasets/${id}`, {signal});
    const classRows = Object.entries(ds.classCounts || {}).flatMap(([split, counts]) =>
        Object.entries(counts).map(([cls, count]) => ({split, cls, count})));
    page(ds.name,
        h('dl', {class: 'facts'},
            fact('Train', int(ds.counts?.train)), fact('Dev', int(ds.counts?.dev)), fact('Test', int(ds.counts?.test)),
            fact('Classes', (ds.outputClasses || []).join(', ') || '—'), fact('Loss', ds.loss || '—'),
            fact('Runs', h('a', {href: '#/runs'}, int(ds.runs ?? 0)))),
        ds.instruction ? h('div', {class: 'prompt'}, h('h2', {}, 'Instruction'), h('pre', {}, ds.instruction)) : null,
        classRows.length ? h('details', {}, h('summary', {}, 'Examples per split and class'), table(null, [
            {label: 'Split', cell: r => r.split}, {label: 'Class', cell: r => r.cls}, {label: 'Examples', num: true, cell: r => int(r.count)},
        ], classRows)) : null,
        await runForm(ds, signal));
}

async function backendNames(signal) {
    try {
        const health = await fetch('/q/health/group/backends', {signal, credentials: 'omit'}).then(r => r.json());
        return Object.keys(health.checks?.[0]?.data || {});
    } catch {
        return [];
    }
}

async function runForm(ds, signal) {
    const backends = await backendNames(signal);
    const modelName = h('input', {id: 'run-modelName', required: true, maxlength: 100,
        value: ds.name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '').slice(0, 60) || 'model'});
    const layers = h('select', {id: 'run-layers'}, h('option', {value: '2'}, 'DLN-2 (hidden analysis + answer)'),
        h('option', {value: '1'}, 'DLN-1 (one prompt)'));
    const backend = h('input', {id: 'run-backend', list: 'backend-names', value: backends[0] || '', required: true});
    const seed = h('input', {id: 'run-seed', type: 'number', min: 0, max: Number.MAX_SAFE_INTEGER, placeholder: 'random'});
    const budget = h('input', {id: 'run-tokenBudget', type: 'number', min: 1, max: 1e12, placeholder: 'no limit'});
    const guided = h('input', {id: 'run-guided', type: 'checkbox'});
    const inputs = new Map();
    const settingFields = SETTINGS.map(s => {
        let input;
        if (s.type === 'bool') {
            input = h('select', {id: `run-settings-${s.name}`}, h('option', {value: ''}, `default (${s.def ? 'yes' : 'no'})`),
                h('option', {value: 'true'}, 'yes'), h('option', {value: 'false'}, 'no'));
        } else if (s.type === 'text') {
            input = h('textarea', {id: `run-settings-${s.name}`, rows: 2, maxlength: 4000});
        } else {
            input = h('input', {id: `run-settings-${s.name}`, type: 'number', min: s.min, max: s.max, step: s.step || 1,
                placeholder: String(s.def)});
        }
        inputs.set(s.name, input);
        const range = s.type ? `default ${s.type === 'bool' ? (s.def ? 'yes' : 'no') : s.def === '' ? 'empty' : s.def}`
            : `${s.min}–${s.max}, default ${s.def}`;
        return field(s.name, input, `${s.help} (${range})`);
    });
    const problem = h('div', {id: 'run-problem'});
    const form = h('form', {class: 'card', id: 'run-form', 'aria-labelledby': 'run-form-h', novalidate: true},
        h('h2', {id: 'run-form-h'}, 'Start a run'),
        h('datalist', {id: 'backend-names'}, backends.map(b => h('option', {value: b}))),
        h('div', {class: 'grid'},
            field('Model name', modelName, 'The registry name its trained DLN gets.'),
            field('Layers', layers),
            field('Backend', backend, 'The LLM backend for forward, backward and scoring calls.'),
            field('Seed', seed, 'Same seed, same data and backend: the same run.'),
            field('Token budget', budget, 'The run stops when it has used this many tokens.'),
            h('div', {class: 'field'}, h('span', {}, guided, ' ', h('label', {for: 'run-guided'}, 'Guided: pause after every iteration')))),
        h('details', {open: true}, h('summary', {}, 'Settings'), h('div', {class: 'grid'}, settingFields)),
        problem,
        h('button', {type: 'submit', id: 'start-run'}, 'Start run'));
    form.addEventListener('submit', async e => {
        e.preventDefault();
        problem.replaceChildren();
        for (const input of form.querySelectorAll('input, select, textarea')) setFieldError(input, '');
        const settings = {};
        for (const s of SETTINGS) {
            const raw = inputs.get(s.name).value.trim();
            if (raw === '') continue;
            settings[s.name] = s.type === 'bool' ? raw === 'true' : s.type === 'text' ? raw : Number(raw);
        }
        const body = {datasetId: ds.id, modelName: modelName.value.trim(), layers: Number(layers.value),
            backend: backend.value.trim(), settings, guided: guided.checked};
        if (seed.value) body.seed = Number(seed.value);
        if (budget.value) body.tokenBudget = Number(budget.value);
        try {
            const run = await api.post('/api/runs', body);
            say('Run queued');
            location.hash = `#/runs/${run.id}`;
        } catch (err) {
            problem.replaceChildren(errorBox(err));
            for (const f of err.fields || []) {
                const name = (f.field || '').replace(/^settings\./, '');
                const input = inputs.get(name) || document.getElementById(`run-${name}`);
                if (input) setFieldError(input, f.message);
            }
            (form.querySelector('[aria-invalid=true]') || problem).focus?.();
        }
    });
    return form;
}
