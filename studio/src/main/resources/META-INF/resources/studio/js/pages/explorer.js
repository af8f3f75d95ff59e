// The step explorer: for one iteration and one example of its batch, the reference's view (input, layer-1 prompt,
// hidden text, layer-2 prompt, output, label) with the posterior samples and their weights, the candidates of each
// layer with their scores, and what the step changed in each prompt.

import {api, ApiError} from '../api.js';
import {h, page, num, pct, int, hashQuery, table, fact} from '../dom.js';
import {promptDiff} from '../diff.js';
import {candidatesOf, layersOf, layerName, guidanceHistory} from './guided.js';

export async function render([id, n], {signal}) {
    const iteration = Number(n);
    const [run, history] = await Promise.all([
        api.get(`/api/runs/${id}`, {signal}),
        api.get(`/api/runs/${id}/iterations`, {signal})]);
    let trace = null;
    try {
        trace = await api.get(`/api/runs/${id}/iterations/${iteration}/trace`, {signal});
    } catch (e) {
        if (!(e instanceof ApiError && e.status === 404)) throw e;
    }
    const index = history.findIndex(i => i.iteration === iteration);
    const row = history[index];
    const example = Math.max(0, parseInt(hashQuery().get('example') || '0', 10) || 0);
    const go = (it, ex = 0) => { location.hash = `#/runs/${id}/steps/${it}${ex ? `?example=${ex}` : ''}`; };

    const picker = h('select', {id: 'step-select', 'aria-label': 'Iteration'},
        history.map(i => h('option', {value: i.iteration, selected: i.iteration === iteration}, `Iteration ${i.iteration}`)));
    picker.addEventListener('change', () => go(Number(picker.value)));
    const prev = history[index - 1], next = history[index + 1];
    const nav = h('div', {class: 'toolbar', role: 'toolbar', 'aria-label': 'Steps'},
        h('a', {class: 'button secondary', href: `#/runs/${id}`}, '← Run'),
        h('button', {type: 'button', id: 'step-prev', disabled: !prev, 'aria-keyshortcuts': 'ArrowLeft',
            onclick: () => go(prev.iteration)}, '← Previous step'),
        picker,
        h('button', {type: 'button', id: 'step-next', disabled: !next, 'aria-keyshortcuts': 'ArrowRight',
            onclick: () => go(next.iteration)}, 'Next step →'),
        h('span', {class: 'hint'}, 'Keys: ← → steps, [ ] examples'));

    const metrics = h('dl', {class: 'facts'},
        fact('Batch accuracy', pct(trace?.batchAccuracy ?? row?.batchAccuracy)),
        fact('Dev accuracy', pct(trace?.devAccuracy ?? row?.devAccuracy)),
        fact('ELBO', num(trace?.elbo ?? row?.elbo)),
        run.layers === 2 ? [fact('ELBO layer 1', num(trace?.elbo1 ?? row?.elbo1)),
            fact('ELBO layer 2', num(trace?.elbo2 ?? row?.elbo2))] : null,
        fact('Tokens so far', int(trace?.tokensUsed ?? row?.tokensUsed)));

    const body = trace ? traced(run, trace, example, go) : await untraced(run, iteration, row, signal);
    page(`${run.modelName} · step ${iteration}`, nav, metrics, body);

    const keys = e => {
        if (e.target.closest('input, textarea, select') || e.altKey || e.ctrlKey || e.metaKey) return;
        const examples = trace?.examples?.length || 0;
        if (e.key === 'ArrowLeft' && prev) go(prev.iteration);
        else if (e.key === 'ArrowRight' && next) go(next.iteration);
        else if (e.key === '[' && example > 0) go(iteration, example - 1);
        else if (e.key === ']' && example < examples - 1) go(iteration, example + 1);
    };
    document.addEventListener('keydown', keys);
    signal.addEventListener('abort', () => document.removeEventListener('keydown', keys));
}

function traced(run, trace, selected, go) {
    const examples = trace.examples || [];
    const ex = examples[Math.min(selected, examples.length - 1)];
    const list = h('ol', {class: 'example-list', 'aria-label': 'Examples of the batch'}, examples.map((e, k) =>
        h('li', {}, h('a', {href: `#/runs/${run.id}/steps/${trace.iteration}${k ? `?example=${k}` : ''}`,
            'aria-current': k === selected ? 'true' : null, class: e.correct ? 'ok' : 'wrong'},
        h('span', {class: 'mark', 'aria-label': e.correct ? 'correct' : 'wrong'}, e.correct ? '✓' : '✗'), ' ',
        `#${e.index}: `, clip(e.input, 70)))));
    const two = run.layers === 2 || trace.layers === 2;
    const before = trace.promptsBefore || {};
    const after = trace.promptsAfter || {};
    const previous = trace.previousIterationPrompts || before;
    const detail = ex ? h('div', {class: 'example-detail', id: 'example-detail', 'data-example': ex.index},
        block('Input', h('pre', {}, ex.input)),
        two ? block('Layer-1 prompt', prompt(before.p1, 'prompt-before-1')) : null,
        two ? block('Hidden text (forward)', h('pre', {id: 'hidden-text'}, ex.hidden ?? '—')) : null,
        two ? block(`Posterior samples h̃ (${(ex.posteriorSamples || []).length})`, posterior(ex.posteriorSamples || [])) : null,
        block(two ? 'Layer-2 prompt' : 'Prompt', prompt(before.p2, 'prompt-before-2')),
        h('div', {class: 'pair'},
            block('Output', h('pre', {id: 'output', class: ex.correct ? 'ok' : 'wrong'}, ex.output ?? '—')),
            block('Label', h('pre', {id: 'label'}, ex.target ?? '—'))))
        : h('p', {class: 'empty'}, 'This step stored no examples.');

    const changes = h('section', {'aria-labelledby': 'changes-h'}, h('h2', {id: 'changes-h'}, 'What this step changed'),
        ...layersOf(run).map(layer => block(`${cap(layerName(run, layer))} prompt: iteration ${trace.iteration - 1} → ${trace.iteration}`,
            promptDiff(previous[`p${layer}`], after[`p${layer}`], `Changes to the ${layerName(run, layer)} prompt`))));
    const candidates = h('section', {'aria-labelledby': 'cands-h'}, h('h2', {id: 'cands-h'}, 'Candidates'),
        ...layersOf(run).map(layer => candidateTable(run, layer, (trace.candidates || {})[`p${layer}`] || [])));
    return h('div', {},
        h('div', {class: 'explorer'}, h('nav', {class: 'examples', 'aria-label': 'Examples'}, h('h2', {}, 'Batch'), list), detail),
        changes, candidates,
        trace.guidance?.length ? guidanceHistory(run, trace.guidance) : null);
}

async function untraced(run, iteration, row, signal) {
    const candidates = row ? await candidatesOf(run, iteration, signal) : {};
    return h('div', {},
        h('p', {class: 'notice', role: 'note'}, 'No trace is stored for this iteration (examples, hidden texts and posterior '
            + 'samples are kept for runs whose trainer stores step traces). Its prompts and candidates:'),
        ...layersOf(run).map(layer => block(`${cap(layerName(run, layer))} prompt`, prompt(row?.[`p${layer}`]))),
        ...layersOf(run).map(layer => candidateTable(run, layer, candidates[`p${layer}`] || [])));
}

function posterior(samples) {
    if (!samples.length) return h('p', {class: 'empty'}, 'No posterior samples.');
    const best = Math.max(...samples.map(s => s.weight));
    return table(null, [
        {label: 'h̃', cell: s => h('pre', {class: s.weight === best ? 'best' : null}, s.text)},
        {label: 'Weight', num: true, cell: s => h('span', {class: 'weight', 'data-weight': s.weight},
            h('meter', {min: 0, max: 1, value: s.weight, 'aria-label': `weight ${num(s.weight)}`}), ' ', num(s.weight))},
        {label: 'log p(y | h̃)', num: true, cell: s => num(s.logLikelihood)},
    ], samples, {class: 'posterior', id: 'posterior-samples'});
}

function candidateTable(run, layer, candidates) {
    const sorted = [...candidates].sort((a, b) => b.score - a.score);
    return table(`${cap(layerName(run, layer))}: ${sorted.length} candidates`, [
        {label: 'Chosen', cell: c => c.chosen ? h('span', {class: 'tag chosen-tag'}, '✓ chosen') : ''},
        {label: 'Score', num: true, cell: c => num(c.score)},
        {label: 'Origin', cell: c => c.origin ? h('span', {class: `tag origin-${c.origin}`}, c.origin) : '—'},
        {label: 'Prompt', cell: c => prompt(c.prompt)},
    ], sorted, {class: 'candidates-table', 'data-layer': layer});
}

function prompt(text, id) {
    return text ? h('pre', {id}, text) : h('pre', {id, class: 'unchanged'}, '(empty)');
}

function block(title, content) {
    return h('section', {class: 'block'}, h('h3', {}, title), content);
}


function clip(text, length) {
    text = String(text ?? '');
    return text.length > length ? text.slice(0, length - 1) + '…' : text;
}

function cap(text) {
    return text[0].toUpperCase() + text.slice(1);
}
