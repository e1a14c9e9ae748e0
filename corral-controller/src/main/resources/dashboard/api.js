// The dashboard's only way to Corral: the same REST API as the CLI, with the user's token.
// The token lives in sessionStorage (this tab only, gone when it closes) and goes in the
// Authorization header, never in a URL.
const KEY = 'corral.token';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.field = problem.field || null;
  }
}

export const token = {
  get: () => sessionStorage.getItem(KEY),
  set: (t) => sessionStorage.setItem(KEY, t),
  clear: () => sessionStorage.removeItem(KEY),
};

let onUnauthenticated = () => {};
export function whenUnauthenticated(f) { onUnauthenticated = f; }

function headers(extra = {}) {
  const h = { Accept: 'application/json', ...extra };
  const t = token.get();
  if (t) h.Authorization = `Bearer ${t}`;
  return h;
}

/** GET of a paginated list: its items and the cursor of the next page (null at the end). */
export async function page(path) {
  const r = await fetch(`/api/v1${path}`, { headers: headers(), credentials: 'omit', cache: 'no-store' });
  const data = await r.json();
  if (!r.ok) {
    const err = new ApiError(r.status, data);
    if (r.status === 401) onUnauthenticated(err);
    throw err;
  }
  return { items: data, next: r.headers.get('X-Corral-Next') };
}

export async function api(method, path, body) {
  const init = { method, headers: headers(), credentials: 'omit', cache: 'no-store' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const r = await fetch(`/api/v1${path}`, init);
  if (r.status === 204) return null;
  const type = r.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await r.json() : await r.text();
  if (!r.ok) {
    const err = new ApiError(r.status, typeof data === 'object' ? data : { title: `HTTP ${r.status}`, detail: String(data) });
    if (r.status === 401 && path !== '/login') onUnauthenticated(err);
    throw err;
  }
  return data;
}

export const get = (p) => api('GET', p);
export const post = (p, b) => api('POST', p, b === undefined ? {} : b);
export const put = (p, b) => api('PUT', p, b);
export const patch = (p, b) => api('PATCH', p, b);
export const del = (p) => api('DELETE', p);

/** Whether a route answers (not 404): how optional pages find out that their API exists. */
export async function exists(path) {
  const r = await fetch(`/api/v1${path}`, { headers: headers(), credentials: 'omit' });
  return r.status !== 404;
}

/**
 * The journal as server-sent events, read with fetch() so that the token travels in the
 * Authorization header (EventSource cannot send headers, and a token in the URL would end up in
 * logs). Reconnects from the last seq seen, with backoff.
 */
export function stream(after, onEntry, onState) {
  let last = after;
  let stopped = false;
  let ctrl = null;
  let delay = 500;
  async function run() {
    while (!stopped) {
      ctrl = new AbortController();
      try {
        const r = await fetch(`/api/v1/events/stream?after=${last}`, {
          headers: headers({ Accept: 'text/event-stream' }), credentials: 'omit', signal: ctrl.signal, cache: 'no-store',
        });
        if (r.status === 401) { onUnauthenticated(); return; }
        if (!r.ok) throw new Error(`HTTP ${r.status}`);
        onState(true);
        delay = 500;
        const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
        let buf = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += value;
          let i;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            let event = 'message';
            let data = '';
            for (const line of block.split('\n')) {
              if (line.startsWith('event:')) event = line.slice(6).trim();
              else if (line.startsWith('data:')) data += line.slice(5).trimStart();
            }
            if (event === 'journal' && data) {
              const e = JSON.parse(data);
              last = Math.max(last, e.seq);
              onEntry(e);
            } else if (event === 'dropped' && data) {
              last = JSON.parse(data).lastSeq;
            }
          }
        }
      } catch (e) {
        if (stopped) return;
      }
      onState(false);
      if (stopped) return;
      await new Promise((res) => setTimeout(res, delay));
      delay = Math.min(delay * 2, 10000);
    }
  }
  run();
  return () => { stopped = true; if (ctrl) ctrl.abort(); };
}
