import {session} from '../api.js';
import {h, page, field, errorBox} from '../dom.js';

export function render({next, error} = {}) {
    const key = h('input', {type: 'password', id: 'signin-key', name: 'key', autocomplete: 'off', spellcheck: 'false',
        required: true, 'aria-required': 'true'});
    const problem = h('div', {id: 'signin-problem'}, error ? errorBox(error) : null);
    const form = h('form', {class: 'card narrow', id: 'signin-form'},
        field('API key or access token', key,
            'Kept in this browser tab only (session storage) and sent as a bearer header; close the tab to forget it.'),
        problem,
        h('button', {type: 'submit'}, 'Sign in'),
        h('details', {class: 'help'}, h('summary', {}, 'Signing in with your organisation (OIDC)'),
            h('p', {}, 'When the gateway is configured for OIDC, get an access token from your identity provider '
                + '(for example with your usual command-line login) and paste it above: the Studio sends it the same way as a key. '
                + 'Which tenant and role you have comes from the token.')));
    form.addEventListener('submit', async e => {
        e.preventDefault();
        problem.replaceChildren();
        const button = form.querySelector('button[type=submit]');
        button.disabled = true;
        try {
            await session.signIn(key.value.trim());
            key.value = '';
            const target = next && next !== '#/signin' ? next : '#/';
            if (location.hash === target) window.dispatchEvent(new HashChangeEvent('hashchange'));
            else location.hash = target;
        } catch (err) {
            problem.replaceChildren(errorBox(err.status === 401
                ? {message: 'This key is not valid or has been revoked.'} : err));
            key.focus();
        } finally {
            button.disabled = false;
        }
    });
    page('Sign in to DLN Studio', form);
    key.focus();
}
