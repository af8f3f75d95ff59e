// The Studio's shell: sign-in state, navigation and a hash router (#/runs/<id>), so the gateway only serves static
// files and every view has its own link. Each view gets an AbortSignal that ends its requests and event streams
// when the person leaves it.

import {session, ApiError} from './api.js';
import {page, h, errorBox} from './dom.js';
import * as signin from './pages/signin.js';
import * as runs from './pages/runs.js';
import * as run from './pages/run.js';
import * as explorer from './pages/explorer.js';
import * as compare from './pages/compare.js';
import * as datasets from './pages/datasets.js';
import * as dataset from './pages/dataset.js';
import * as models from './pages/models.js';
import * as model from './pages/model.js';
import * as playground from './pages/playground.js';

const routes = [
    [/^\/runs$/, runs, true],
    [/^\/runs\/([^/]+)$/, run, true],
    [/^\/runs\/([^/]+)\/steps\/(\d+)$/, explorer, true],
    [/^\/compare$/, compare, true],
    [/^\/datasets$/, datasets, true],
    [/^\/datasets\/([^/]+)$/, dataset, true],
    [/^\/models$/, models, false],
    [/^\/models\/([^/]+)$/, model, false],
    [/^\/playground$/, playground, false],
];

let current = null;

async function show() {
    current?.abort();
    current = new AbortController();
    const signal = current.signal;
    const path = decodeURI(location.hash.replace(/^#/, '').split('?')[0]) || '/';
    if (path === '/signin' || !session.token()) {
        shell();
        return signin.render({next: path === '/signin' ? null : location.hash});
    }
    if (!session.me()) {
        try {
            await session.restore();
        } catch (e) {
            shell();
            return signin.render({next: location.hash, error: e});
        }
    }
    shell();
    if (path === '/') {
        location.replace(session.canTrain() ? '#/runs' : '#/models');
        return;
    }
    for (const [pattern, view, needsTraining] of routes) {
        const match = pattern.exec(path);
        if (!match) continue;
        if (needsTraining && !session.canTrain()) {
            return page('Not available', h('p', {}, `A key with the role '${session.me().role}' cannot see this page. `,
                h('a', {href: '#/models'}, 'Open the registry'), '.'));
        }
        try {
            return await view.render(match.slice(1).map(decodeURIComponent), {signal});
        } catch (e) {
            if (signal.aborted) return;
            return page(e instanceof ApiError && e.status === 404 ? 'Not found' : 'Something went wrong', errorBox(e));
        }
    }
    page('Not found', h('p', {}, 'No such page. ', h('a', {href: '#/'}, 'Go to the start'), '.'));
}

function shell() {
    const me = session.me();
    const nav = document.getElementById('nav');
    const who = document.getElementById('who');
    nav.hidden = !me;
    who.hidden = !me;
    if (!me) return;
    for (const item of nav.querySelectorAll('[data-needs="train"]')) item.hidden = !session.canTrain();
    document.getElementById('who-text').textContent = `${me.keyName || 'signed in'} · ${me.tenant} · ${me.role}`;
    const path = location.hash.split('?')[0];
    for (const link of nav.querySelectorAll('a')) {
        const here = path === link.getAttribute('href') || path.startsWith(link.getAttribute('href') + '/');
        if (here) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
    }
}

document.getElementById('sign-out').addEventListener('click', () => {
    session.signOut();
    location.hash = '#/signin';
});
window.addEventListener('studio:unauthenticated', () => {
    session.signOut();
    signin.render({next: location.hash, error: new Error('Your key is no longer accepted: sign in again.')});
    shell();
});
window.addEventListener('hashchange', show);
// classic deferred scripts (uPlot, jsdiff) have run before this module
show();
document.getElementById('skip-link').addEventListener('click', e => {
    e.preventDefault();
    document.getElementById('main').focus();
});
