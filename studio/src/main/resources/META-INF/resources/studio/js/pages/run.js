import {api, followEvents, session} from '../api.js';
import {h, page, pct, int, num, age, statusBadge, say, errorBox, confirmDialog, fact} from '../dom.js';
import {LineChart} from '../charts.js';
import {guidedPanel, guidanceHistory} from './guided.js';

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);
const PRICE = 'dln.studio.pricePerMillionTokens';

/** The curves of a run from its history: one x per iteration, the series each chart draws. */
export function curves(history) {
    const xs = history.map(i => i.iteration);
    const batch = history.map(i => i.batchAccuracy ?? null);
    const tokens = history.map((i, k) => i.tokensUsed - (k > 0 ? history[k - 1].tokensUsed : 0));
    return {
        xs,
        accuracy: [history.map(i => i.devAccuracy ?? null), batch, movingMean(batch, 5)],
        elbo: [history.map(i => i.elbo ?? null), history.map(i => i.elbo1 ?? null), history.map(i => i.elbo2 ?? null)],
        tokens: [tokens],
    };
}

function movingMean(values, window) {
    return values.map((_, k) => {
        const seen = values.slice(Math.max(0, k - window + 1), k + 1).filter(v => v !== null);
        return seen.length ? seen.reduce((a, b) => a + b, 0) / seen.length : null;
    });
}

export async function render([id], {signal}) {
    let run = await api.get(`/api/runs/${id}`, {signal});
    let history = await api.get(`/api/runs/${id}/iterations`, {signal});

    const xMax = run.iterations;
    const accuracy = new LineChart('Accuracy per iteration', [
        {label: 'dev'}, {label: 'batch'}, {label: 'batch, mean of last 5', dash: [6, 4]}], {percent: true, xMax});
    const elbo = new LineChart('ELBO per iteration', [{label: 'ELBO'}, {label: 'layer 1'}, {label: 'layer 2'}], {xMax});
    const tokens = new LineChart('Tokens per iteration', [{label: 'tokens'}], {xMax});
    const cost = new LineChart('Cost per iteration (USD)', [{label: 'cost'}], {xMax});
    const facts = h('dl', {class: 'facts', id: 'run-facts'});
    const actions = h('div', {class: 'toolbar', id: 'run-actions'});
    const prompts = h('section', {class: 'prompts', 'aria-labelledby': 'prompts-h'});
    const guided = h('section', {id: 'guided', class: 'guided', 'aria-labelledby': 'guided-h', hidden: true});
    const guidance = h('section', {id: 'guidance', hidden: true});
    let guidanceItems = [];
    let guidedShown = null;
    const problem = h('div', {id: 'run-problem'});
    const live = h('span', {class: 'live', id: 'live', 'aria-live': 'off'});
    const priceInput = h('input', {type: 'number', id: 'price', min: '0', max: '1000', step: '0.01', inputmode: 'decimal',
        value: localStorage.getItem(PRICE) || '', placeholder: '0'});
    priceInput.addEventListener('change', () => {
        const value = Math.min(1000, Math.max(0, Number(priceInput.value) || 0));
        localStorage.setItem(PRICE, value ? String(value) : '');
        drawCharts();
    });

    page(h('span', {}, run.modelName, ' ', statusBadge(run.status)),
        h('p', {class: 'sub'}, `Run ${run.id} · DLN-${run.layers} · `, h('a', {href: `#/datasets/${run.datasetId}`}, 'data set'), ' ', live),
        facts, actions, problem,
        h('section', {class: 'charts', 'aria-label': 'Training curves'}, accuracy.element, elbo.element, tokens.element,
            h('div', {class: 'chart-extra'}, cost.element,
                h('label', {for: 'price', class: 'inline'}, 'Price per million tokens (USD) ', priceInput))),
        guided, guidance, prompts,
        h('details', {class: 'settings'}, h('summary', {}, 'Settings'), settingsList(run)));

    function drawCharts() {
        const c = curves(history);
        accuracy.setData(c.xs, c.accuracy);
        elbo.setData(c.xs, c.elbo);
        tokens.setData(c.xs, c.tokens);
        const price = Number(localStorage.getItem(PRICE) || 0);
        cost.element.hidden = !price;
        if (price) cost.setData(c.xs, [c.tokens[0].map(t => t * price / 1e6)]);
    }

    function drawRun() {
        const title = document.querySelector('#main h1');
        title.replaceChildren(run.modelName, ' ', statusBadge(run.status));
        const price = Number(localStorage.getItem(PRICE) || 0);
        facts.replaceChildren(
            // stored iterations are numbered from 0: the newest one's number + 1 is how many are done
            fact('Iterations done', `${history.length ? history[history.length - 1].iteration + 1 : 0} / ${run.iterations}`),
            fact('Dev accuracy', pct(run.devAccuracy)),
            fact('Best dev', pct(run.bestDevAccuracy)),
            fact('Test', pct(run.testAccuracy)),
            fact('Tokens', int(run.tokensUsed) + (run.tokenBudget ? ` of ${int(run.tokenBudget)}` : '')),
            price ? fact('Cost', `$${num(run.tokensUsed * price / 1e6, 2)}`) : '',
            fact('Backends', run.backends ? [...new Set(Object.values(run.backends))].join(', ') : '—'),
            fact('Started', run.startedAt ? age(run.startedAt) : 'not yet'),
            fact('Elapsed', run.elapsedSeconds ? `${Math.round(run.elapsedSeconds)} s` : '—'),
            run.modelVersion ? fact('Registered', h('a', {href: `#/models/${encodeURIComponent(run.modelName)}`},
                `${run.modelName} v${run.modelVersion}`)) : '',
            run.guided ? fact('Mode', 'guided') : '',
            run.pauseRequested ? fact('Pausing', 'after this iteration') : '',
            run.cancelRequested && !TERMINAL.has(run.status) ? fact('Cancelling', 'requested') : '');
        problem.replaceChildren(run.error ? errorBox({message: run.error}) : []);
        drawActions();
        drawPrompts();
        guided.hidden = !(session.canTrain() && (run.status === 'PAUSED' || run.guided));
        // drawn again only when the step it shows changes, so text being typed there is not lost
        const shown = `${run.status}:${history.length ? history[history.length - 1].iteration : '-'}:${run.guided}`;
        if (!guided.hidden && shown !== guidedShown) guidedPanel(guided, run, history, {signal, onChange: refresh});
        guidedShown = guided.hidden ? null : shown;
    }

    /** Every guidance action of the run, with the iteration that applied it; kept on the page after the run goes on. */
    async function loadGuidance() {
        if (!session.canTrain()) return;
        guidanceItems = (await api.get(`/api/runs/${id}/guidance`, {signal})).items || [];
        guidance.hidden = !guidanceItems.length;
        guidance.replaceChildren(guidanceHistory(run, guidanceItems));
    }

    function drawActions() {
        const buttons = [];
        if (history.length) {
            buttons.push(h('a', {class: 'button', href: `#/runs/${run.id}/steps/${history[history.length - 1].iteration}`,
                id: 'open-explorer'}, 'Step explorer'));
        }
        buttons.push(h('a', {class: 'button secondary', href: `#/compare?ids=${run.id}`}, 'Compare with…'));
        if (session.canTrain()) {
            if ((run.status === 'QUEUED' || run.status === 'RUNNING') && !run.pauseRequested) {
                buttons.push(button('Pause', 'pause', () => control('pause', 'Pause requested: the run stops after this iteration.')));
            }
            if (!TERMINAL.has(run.status)) {
                buttons.push(button('Cancel', 'cancel', async () => {
                    if (await confirmDialog(`Cancel the run of ${run.modelName}? It can be resumed later.`, 'Cancel run')) {
                        await control('cancel', 'Cancel requested.');
                    }
                }, 'danger'));
            }
            if (run.status === 'PAUSED' || run.status === 'FAILED' || run.status === 'CANCELLED') {
                buttons.push(button('Resume', 'resume', () => control('resume', 'Resumed.', run.status === 'PAUSED'
                    ? {guided: document.getElementById('stay-guided')?.checked ?? run.guided} : undefined)));
            }
        }
        actions.replaceChildren(...buttons);
    }

    function button(label, action, onclick, kind) {
        return h('button', {type: 'button', class: kind || null, 'data-action': action, onclick: async e => {
            e.currentTarget.disabled = true;
            try { await onclick(); } catch (err) { problem.replaceChildren(errorBox(err)); } finally { drawActions(); }
        }}, label);
    }

    async function control(action, message, body) {
        run = await api.post(`/api/runs/${run.id}/${action}`, body);
        say(message);
        drawRun();
    }

    function drawPrompts() {
        const latest = history[history.length - 1];
        const rows = [];
        const show = (label, text) => text ? rows.push(h('div', {class: 'prompt'}, h('h3', {}, label), h('pre', {}, text))) : null;
        if (latest) {
            if (run.layers === 2) show(`Current layer-1 prompt (iteration ${latest.iteration})`, latest.p1);
            show(`Current ${run.layers === 2 ? 'layer-2' : 'output'} prompt (iteration ${latest.iteration})`, latest.p2);
        }
        if (run.bestPrompts) {
            if (run.layers === 2) show('Best layer-1 prompt', run.bestPrompts.p1);
            show(`Best ${run.layers === 2 ? 'layer-2' : 'output'} prompt`, run.bestPrompts.p2);
        }
        prompts.replaceChildren(h('h2', {id: 'prompts-h'}, 'Prompts'), ...(rows.length ? rows : [h('p', {class: 'empty'}, 'No iteration yet.')]));
    }

    async function refresh() {
        run = await api.get(`/api/runs/${id}`, {signal});
        history = await api.get(`/api/runs/${id}/iterations`, {signal});
        drawCharts();
        drawRun();
        await loadGuidance();
    }

    drawCharts();
    drawRun();
    await loadGuidance();

    let opened = 0;
    followEvents(`/api/runs/${id}/events`, {
        signal,
        // on a reconnection, what happened meanwhile is read back once
        onOpen: () => { live.textContent = 'live'; if (opened++ > 0) refresh().catch(() => {}); },
        onEnd: () => { live.textContent = ''; },
        onEvent: (name, event) => {
            if (name === 'state') {
                run = {...run, ...event, settings: run.settings};
                drawRun();
            } else if (name === 'iteration') {
                const previous = history.find(i => i.iteration === event.iteration);
                const d = event.details || {};
                const row = {iteration: event.iteration, devAccuracy: event.devAccuracy, batchAccuracy: event.batchAccuracy,
                    elbo: event.elbo, elbo1: d.elbo1 ?? null, elbo2: d.elbo2 ?? null, tokensUsed: event.tokensUsed,
                    p1: d.p1, p2: d.p2, createdAt: new Date(event.timestampEpochMillis).toISOString()};
                if (previous) Object.assign(previous, row); else history.push(row);
                history.sort((a, b) => a.iteration - b.iteration);
                run = {...run, status: 'RUNNING', iteration: event.iteration, tokensUsed: event.tokensUsed,
                    devAccuracy: event.devAccuracy ?? run.devAccuracy,
                    bestDevAccuracy: Math.max(run.bestDevAccuracy ?? 0, event.devAccuracy ?? 0) || run.bestDevAccuracy};
                drawCharts();
                drawRun();
                if (guidanceItems.some(g => !g.appliedAtIteration)) loadGuidance().catch(() => {});
                say(`Iteration ${event.iteration + 1} of ${event.iterations} done`);
            } else {
                // started, evaluating, paused, resumed, guidance, finished, failed, cancelled: the run as stored
                refresh().catch(() => {});
                if (['finished', 'failed', 'cancelled', 'paused'].includes(name)) say(`Run ${name}`);
            }
        },
    });
}


function settingsList(run) {
    if (!run.settings) return h('p', {}, 'No settings.');
    return h('dl', {class: 'settings-list'}, Object.entries(run.settings).flatMap(([k, v]) =>
        [h('dt', {}, k), h('dd', {}, typeof v === 'object' ? JSON.stringify(v) : String(v))]));
}
