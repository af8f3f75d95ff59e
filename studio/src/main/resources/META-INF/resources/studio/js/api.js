// The gateway's public API, called with the signed-in key as a bearer header. The key lives in this tab's
// sessionStorage only: it is never put in a URL, a log line or localStorage.

const TOKEN = 'dln.studio.token';
let me = null;

export class ApiError extends Error {
    constructor(status, body) {
        const error = body?.error || {};
        super(error.message || `the gateway answered ${status}`);
        this.status = status;
        this.code = error.code || String(status);
        this.fields = error.fields || [];
    }
}

export const session = {
    token: () => sessionStorage.getItem(TOKEN),
    me: () => me,
    /** May this caller change things (runs, data sets, aliases)? The inference role only reads and predicts. */
    canTrain: () => me && (me.role === 'admin' || me.role === 'trainer'),
    async signIn(token) {
        const who = await call('/api/me', {token});
        sessionStorage.setItem(TOKEN, token);
        me = who;
        return who;
    },
    async restore() {
        const token = sessionStorage.getItem(TOKEN);
        if (!token) return null;
        try {
            me = await call('/api/me', {token});
            return me;
        } catch (e) {
            if (e.status === 401) sessionStorage.removeItem(TOKEN);
            throw e;
        }
    },
    signOut() {
        sessionStorage.removeItem(TOKEN);
        me = null;
    },
};

async function call(path, {method = 'GET', json, body, contentType, token, signal} = {}) {
    const headers = {Accept: 'application/json'};
    const bearer = token || sessionStorage.getItem(TOKEN);
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    if (json !== undefined) {
        headers['Content-Type'] = 'application/json';
        body = JSON.stringify(json);
    } else if (contentType) {
        headers['Content-Type'] = contentType;
    }
    const response = await fetch(path, {method, headers, body, signal, cache: 'no-store', credentials: 'omit'});
    const text = await response.text();
    let data = null;
    if (text) {
        try { data = JSON.parse(text); } catch { data = {error: {message: text.slice(0, 300)}}; }
    }
    if (!response.ok) {
        const error = new ApiError(response.status, data);
        if (response.status === 401 && !token) window.dispatchEvent(new CustomEvent('studio:unauthenticated', {detail: error}));
        throw error;
    }
    return data;
}

export const api = {
    get: (path, options) => call(path, options),
    post: (path, json, options) => call(path, {...options, method: 'POST', json}),
    put: (path, json) => call(path, {method: 'PUT', json}),
    del: path => call(path, {method: 'DELETE'}),
    upload: (path, file, contentType) => call(path, {method: 'POST', body: file, contentType}),
};

export const enc = encodeURIComponent;

/**
 * Follows a run's server-sent events. EventSource cannot send an Authorization header, so the stream is read with
 * fetch and parsed here (the format is a few lines: "event:", "data:", a blank line ends an event). Reconnects with
 * back-off until the run ends or {@code signal} aborts; {@code onOpen} runs on each (re)connection, so the caller can
 * fetch what it missed.
 */
export function followEvents(path, {onEvent, onOpen, onEnd, signal}) {
    let delay = 500;
    const finalEvents = new Set(['finished', 'failed', 'cancelled']);
    const terminal = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);
    async function connect() {
        let ended = false;
        try {
            const response = await fetch(path, {
                headers: {Accept: 'text/event-stream', Authorization: `Bearer ${sessionStorage.getItem(TOKEN)}`},
                signal, cache: 'no-store', credentials: 'omit',
            });
            if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => null));
            delay = 500;
            onOpen?.();
            const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
            let buffer = '';
            let name = 'message';
            let data = [];
            for (;;) {
                const {value, done} = await reader.read();
                if (done) break;
                buffer += value;
                let newline;
                while ((newline = buffer.search(/\r?\n/)) >= 0) {
                    const line = buffer.slice(0, newline);
                    buffer = buffer.slice(newline + (buffer[newline] === '\r' ? 2 : 1));
                    if (line === '') {
                        if (data.length) {
                            const event = JSON.parse(data.join('\n'));
                            onEvent(name, event);
                            if (finalEvents.has(name) || (name === 'state' && terminal.has(event.status))) ended = true;
                        }
                        name = 'message';
                        data = [];
                    } else if (line.startsWith('event:')) {
                        name = line.slice(6).trim();
                    } else if (line.startsWith('data:')) {
                        data.push(line.slice(5).replace(/^ /, ''));
                    }
                }
            }
        } catch (e) {
            if (signal?.aborted) return;
            if (e instanceof ApiError && e.status >= 400 && e.status < 500) {
                onEnd?.(e);
                return;
            }
        }
        if (ended || signal?.aborted) {
            onEnd?.();
            return;
        }
        setTimeout(connect, delay);
        delay = Math.min(delay * 2, 10_000);
    }
    connect();
}
