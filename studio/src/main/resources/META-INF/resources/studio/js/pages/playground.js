// Runs inputs through one or two versions side by side (outputs, hidden texts, class probabilities) and shows how
// to call the chosen version from a script: curl, or any OpenAI client. The snippets name the key by a variable,
// never by its value.

import {api, enc} from '../api.js';
import {h, page, field, errorBox, hashQuery, num, say} from '../dom.js';

const MAX_INPUTS = 8;

export async function render(_, {signal}) {
    const models = await api.get('/api/models', {signal});
    const query = hashQuery();
    if (!models.length) return page('Playground', h('p', {class: 'empty'}, 'No trained DLN yet.'));
    const name = query.get('model') && models.some(m => m.name === query.get('model')) ? query.get('model') : models[0].name;
    const model = h('select', {id: 'pg-model'}, models.map(m => h('option', {value: m.name, selected: m.name === name}, m.name)));
    model.addEventListener('change', () => { location.hash = `#/playground?model=${enc(model.value)}`; });
    const [versions, aliases] = await Promise.all([
        api.get(`/api/models/${enc(name)}/versions`, {signal}),
        api.get(`/api/models/${enc(name)}/aliases`, {signal})]);
    const choices = [...Object.keys(aliases).map(a => ({value: `alias:${a}`, label: `${a} (v${aliases[a]})`})),
        ...versions.map(v => ({value: `version:${v.version}`, label: `v${v.version}`}))];
    const pick = (id, wanted, allowNone) => h('select', {id},
        allowNone ? h('option', {value: ''}, 'none') : null,
        choices.map(c => h('option', {value: c.value, selected: c.value === wanted}, c.label)));
    const a = pick('pg-a', query.get('a') ? `version:${query.get('a')}` : choices[0]?.value, false);
    const b = pick('pg-b', query.get('b') ? `version:${query.get('b')}` : '', true);
    const inputs = h('textarea', {id: 'pg-inputs', rows: 4, required: true, placeholder: 'One input per line'});
    const results = h('div', {id: 'pg-results', 'aria-live': 'polite'});
    const snippets = h('section', {id: 'pg-snippets', 'aria-labelledby': 'snip-h'});
    const run = h('button', {type: 'submit', id: 'pg-run'}, 'Run');

    const form = h('form', {class: 'card', id: 'pg-form'},
        h('div', {class: 'grid'}, field('Model', model), field('Version A', a), field('Version B (optional)', b)),
        field(`Inputs (one per line, at most ${MAX_INPUTS})`, inputs), run);
    form.addEventListener('submit', async e => {
        e.preventDefault();
        const lines = inputs.value.split('\n').map(s => s.trim()).filter(Boolean);
        if (!lines.length) return;
        if (lines.length > MAX_INPUTS) {
            results.replaceChildren(errorBox({message: `At most ${MAX_INPUTS} inputs at a time; there are ${lines.length}.`}));
            return;
        }
        run.disabled = true;
        results.replaceChildren(h('p', {}, 'Running…'));
        try {
            const chosen = [a.value, b.value].filter(Boolean);
            const answers = await Promise.all(chosen.map(c => predict(name, c, lines)));
            results.replaceChildren(h('div', {class: 'side-by-side'}, answers.map((answer, k) =>
                h('div', {class: 'side', 'data-side': k === 0 ? 'a' : 'b'},
                    h('h3', {}, `${name} v${answer.version}`),
                    lines.map((input, i) => resultCard(input, answer, i))))));
            say('Predictions ready');
        } catch (err) {
            results.replaceChildren(errorBox(err));
        } finally {
            run.disabled = false;
        }
    });
    const drawSnippets = () => snippets.replaceChildren(...snippetsFor(name, a.value));
    a.addEventListener('change', drawSnippets);
    drawSnippets();
    page('Playground', form, results, snippets);
}

async function predict(name, choice, inputs) {
    const [kind, value] = choice.split(':');
    const body = {inputs, returnHidden: true, returnClassProbabilities: true};
    if (kind === 'alias') body.alias = value; else body.version = Number(value);
    return api.post(`/api/models/${enc(name)}/predict`, body);
}

function resultCard(input, answer, i) {
    const probabilities = answer.classProbabilities?.[i];
    return h('article', {class: 'result', 'data-input': i},
        h('p', {class: 'result-input'}, input),
        h('p', {}, 'Output: ', h('strong', {class: 'result-output'}, answer.outputs?.[i] ?? '—')),
        answer.hidden?.[i] ? h('details', {}, h('summary', {}, 'Hidden text'), h('pre', {class: 'result-hidden'}, answer.hidden[i])) : null,
        probabilities ? h('table', {class: 'probabilities'}, h('caption', {class: 'sr-only'}, 'Class probabilities'),
            h('tbody', {}, Object.entries(probabilities).sort((x, y) => y[1] - x[1]).map(([cls, p]) =>
                h('tr', {}, h('th', {scope: 'row'}, cls), h('td', {}, h('meter', {min: 0, max: 1, value: p, 'aria-label': `${cls} ${num(p)}`})),
                    h('td', {class: 'num'}, num(p)))))) : null);
}

function snippetsFor(name, choice) {
    const [kind, value] = (choice || 'alias:prod').split(':');
    const origin = location.origin;
    const ref = kind === 'alias' ? `"alias": "${value}"` : `"version": ${value}`;
    const model = `dln/${name}:${value}`;
    const curl = `curl -s ${origin}/api/models/${name}/predict \\\n  -H "Authorization: Bearer $DLN_API_KEY" -H 'Content-Type: application/json' \\\n`
        + `  -d '{${ref}, "inputs": ["your input"], "returnHidden": true}'`;
    const python = `from openai import OpenAI\n\nclient = OpenAI(base_url="${origin}/v1", api_key=os.environ["DLN_API_KEY"])\n`
        + `reply = client.chat.completions.create(\n    model="${model}",\n    messages=[{"role": "user", "content": "your input"}])\n`
        + `print(reply.choices[0].message.content)`;
    const copy = (text, label) => h('button', {type: 'button', class: 'secondary', onclick: async () => {
        try { await navigator.clipboard.writeText(text); say(`${label} copied`); } catch { say('Copying is not allowed here; select the text'); }
    }}, `Copy ${label}`);
    return [h('h2', {id: 'snip-h'}, 'Call it from a script'),
        h('p', {}, 'Set DLN_API_KEY to your key in the shell first; the Studio never writes it into these.'),
        h('h3', {}, 'curl'), h('pre', {class: 'snippet', id: 'snippet-curl'}, curl), copy(curl, 'curl'),
        h('h3', {}, 'OpenAI client (Python)'), h('pre', {class: 'snippet', id: 'snippet-openai'}, `import os\n${python}`), copy(`import os\n${python}`, 'Python')];
}
