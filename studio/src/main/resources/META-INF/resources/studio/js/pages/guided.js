// Guided search (GUIDE's idea on our algorithm): while a run is paused, or in guided mode, the person pins, rejects
// or edits a candidate prompt, or gives the backward template a feedback text; each action goes through
// POST /api/runs/{id}/guidance and is listed with who did it and the iteration that applied it.

import {api, ApiError} from '../api.js';
import {h, num, say, errorBox, age} from '../dom.js';

export function layersOf(run) {
    return run.layers === 2 ? [1, 2] : [2];
}

export function layerName(run, layer) {
    return run.layers === 2 ? `layer ${layer}` : 'output layer';
}

export async function guidedPanel(section, run, history, {signal, onChange}) {
    const latest = history[history.length - 1];
    const problem = h('div', {id: 'guided-problem'});
    const stay = h('input', {type: 'checkbox', id: 'stay-guided', checked: !!run.guided});
    section.replaceChildren(
        h('h2', {id: 'guided-h'}, 'Guided search'),
        h('p', {}, run.status === 'PAUSED'
            ? `Paused${latest ? ` after iteration ${latest.iteration}` : ''}: what you do here applies at the next step. Resume when ready.`
            : 'Guided mode: the run pauses after every iteration.'),
        h('p', {}, stay, ' ', h('label', {for: 'stay-guided'}, 'Stay in guided mode (pause after each iteration) when resuming')),
        problem,
        h('div', {id: 'guided-candidates'}, h('p', {class: 'empty'}, latest ? 'Loading candidates…' : 'No iteration yet.')),
        h('div', {id: 'guided-feedback'}));

    async function act(body, message) {
        problem.replaceChildren();
        try {
            await api.post(`/api/runs/${run.id}/guidance`, body);
            say(message);
            await onChange();
        } catch (e) {
            problem.replaceChildren(errorBox(e));
        }
    }

    const feedback = section.querySelector('#guided-feedback');
    feedback.replaceChildren(h('h3', {}, 'Feedback for the next proposals'),
        ...layersOf(run).map(layer => {
            const text = h('textarea', {id: `feedback-${layer}`, rows: 2, maxlength: 2000,
                placeholder: 'e.g. Mention that totals must include tax.'});
            return h('form', {class: 'inline-form', onsubmit: e => {
                e.preventDefault();
                act({action: 'feedback', layer, text: text.value}, `Feedback for ${layerName(run, layer)} recorded`);
            }}, h('label', {for: text.id}, `Feedback for ${layerName(run, layer)}'s proposals (empty clears it)`), text,
            h('button', {type: 'submit', 'data-action': `feedback-${layer}`}, 'Send feedback'));
        }));

    if (latest) {
        const candidates = await candidatesOf(run, latest.iteration, signal);
        section.querySelector('#guided-candidates').replaceChildren(h('h3', {}, `Candidates of iteration ${latest.iteration}`),
            ...layersOf(run).map(layer => candidateList(run, layer, candidates[`p${layer}`] || [], act)));
    }
}

/** The candidates of an iteration, from its trace when it has one, else from the history. */
export async function candidatesOf(run, iteration, signal) {
    try {
        const trace = await api.get(`/api/runs/${run.id}/iterations/${iteration}/trace`, {signal});
        return trace.candidates || {};
    } catch (e) {
        if (!(e instanceof ApiError && e.status === 404)) throw e;
    }
    const history = await api.get(`/api/runs/${run.id}/iterations?candidates=true`, {signal});
    const row = history.find(i => i.iteration === iteration);
    const chosen = {p1: row?.p1, p2: row?.p2};
    const mark = (layer, list) => (list || []).map(c => ({...c, chosen: c.chosen ?? c.prompt === chosen[layer], origin: c.origin ?? null}));
    return {p1: mark('p1', row?.candidates?.p1), p2: mark('p2', row?.candidates?.p2)};
}

function candidateList(run, layer, candidates, act) {
    const sorted = [...candidates].sort((a, b) => b.score - a.score);
    return h('div', {class: 'candidates', 'data-layer': layer},
        h('h4', {}, `${layerName(run, layer)[0].toUpperCase()}${layerName(run, layer).slice(1)}`),
        sorted.length ? h('ol', {class: 'candidate-list'}, sorted.map((c, k) => {
            const editor = h('textarea', {rows: 4, maxlength: 10000, id: `edit-${layer}-${k}`, 'aria-label': `Edited prompt for ${layerName(run, layer)}`}, c.prompt);
            const editForm = h('form', {class: 'edit-form', hidden: true, onsubmit: e => {
                e.preventDefault();
                act({action: 'edit', layer, prompt: editor.value}, `Edited prompt pinned for ${layerName(run, layer)}`);
            }}, editor, h('button', {type: 'submit'}, 'Use this text'));
            return h('li', {class: c.chosen ? 'candidate chosen' : 'candidate', 'data-candidate': k},
                h('div', {class: 'candidate-head'},
                    h('span', {class: 'score'}, `score ${num(c.score)}`),
                    c.chosen ? h('span', {class: 'tag chosen-tag'}, 'chosen') : null,
                    c.origin ? h('span', {class: `tag origin-${c.origin}`}, c.origin) : null),
                h('pre', {}, c.prompt),
                h('div', {class: 'candidate-actions'},
                    h('button', {type: 'button', 'data-action': 'pin', onclick: () => act({action: 'pin', layer, prompt: c.prompt},
                        `Prompt pinned for ${layerName(run, layer)}`)}, 'Pin'),
                    h('button', {type: 'button', class: 'secondary', 'data-action': 'reject',
                        onclick: () => act({action: 'reject', layer, prompt: c.prompt}, 'Prompt rejected')}, 'Reject'),
                    h('button', {type: 'button', class: 'secondary', 'data-action': 'edit', 'aria-expanded': 'false',
                        onclick: e => {
                            editForm.hidden = !editForm.hidden;
                            e.currentTarget.setAttribute('aria-expanded', String(!editForm.hidden));
                            if (!editForm.hidden) editor.focus();
                        }}, 'Edit…')),
                editForm);
        })) : h('p', {class: 'empty'}, 'No candidates recorded.'));
}

export function guidanceHistory(run, items) {
    return h('div', {}, h('h3', {}, 'Guidance given'),
        items.length ? h('ol', {class: 'guidance-list', id: 'guidance-list'}, items.map(g => h('li', {'data-guidance': g.action},
            h('strong', {}, g.action), ` on ${layerName(run, g.layer)} by ${g.author || 'unknown'}, `,
            h('time', {datetime: g.createdAt, title: g.createdAt}, age(g.createdAt)), ' · ',
            g.appliedAtIteration ? h('span', {class: 'applied'}, `applied at iteration ${g.appliedAtIteration}`)
                : h('span', {class: 'pending'}, 'not applied yet'),
            g.prompt ? h('pre', {}, g.prompt) : null, g.text ? h('blockquote', {}, g.text) : null)))
            : h('p', {class: 'empty'}, 'None yet.'));
}
