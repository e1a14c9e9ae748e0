// The dashboard's shell: login, navigation (hash routes), and the live journal stream that
// keeps the shown page current without a reload.
import { api, get, token, stream, exists, whenUnauthenticated, ApiError } from '/ui/api.js';
import { h, problemText, focusHeading } from '/ui/ui.js';
import { pages } from '/ui/pages.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const session = { me: null, admin: false, lastSeq: 0 };
let current = null; // { onEvent, dispose }
// Journal entries that arrive while a page loads: handed to it once it is shown, so a change
// between its reads and its first drawing is not missed (e.g. a VM that went RUNNING meanwhile).
let arrivedWhileLoading = null;
let stopStream = null;

function setLive(on) {
  const el = document.getElementById('live');
  el.textContent = on ? '● live' : '○ reconnecting';
  el.className = on ? 'live on' : 'live';
}

function showLogin(message) {
  if (stopStream) { stopStream(); stopStream = null; }
  nav.hidden = true;
  document.getElementById('logout').hidden = true;
  document.getElementById('who').textContent = '';
  const err = h('p', { id: 'login-error', class: 'error', role: 'alert' }, message || '');
  const user = h('input', { id: 'login-user', name: 'user', autocomplete: 'username', required: true });
  const pass = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const tok = h('input', { id: 'login-token', name: 'token', type: 'password', autocomplete: 'off' });
  const form = h('form', { class: 'login', 'aria-describedby': 'login-error', onsubmit: async (ev) => {
    ev.preventDefault();
    err.textContent = '';
    try {
      if (tok.value.trim()) {
        token.set(tok.value.trim());
        session.loggedInHere = false;
      } else {
        const t = await api('POST', '/login', { user: user.value, password: pass.value });
        token.set(t.token);
        session.loggedInHere = true;
      }
      pass.value = '';
      tok.value = '';
      await start();
    } catch (e) {
      token.clear();
      err.textContent = problemText(e);
    }
  } },
  h('h1', {}, 'Log in to Corral'),
  h('label', { for: 'login-user' }, 'User'), user,
  h('label', { for: 'login-password' }, 'Password'), pass,
  h('details', {}, h('summary', {}, 'Or use an API token'),
    h('p', { class: 'hint', id: 'token-hint' }, 'For example the administrator token that `corral up` wrote to admin.token under its home. It is kept for this tab only.'),
    h('label', { for: 'login-token' }, 'Token'), tok),
  err,
  h('button', { type: 'submit', id: 'login-submit' }, 'Log in'));
  main.replaceChildren(form);
  user.focus();
}

whenUnauthenticated(() => { token.clear(); showLogin('Your session has ended: log in again.'); });

async function start() {
  if (!token.get()) { showLogin(); return; }
  try {
    session.me = await get('/whoami');
  } catch (e) {
    token.clear();
    showLogin(e instanceof ApiError && e.status === 401 ? '' : problemText(e));
    return;
  }
  session.admin = session.me.role === 'admin';
  document.getElementById('who').textContent = `${session.me.actor} (${session.me.role})`;
  document.getElementById('logout').hidden = false;
  for (const li of nav.querySelectorAll('[data-admin]')) li.hidden = !session.admin;
  nav.hidden = false;
  // The Clusters page appears once the clusters API answers (issue 20 adds it).
  exists('/clusters').then((yes) => { nav.querySelector('[data-clusters]').hidden = !yes; session.clusters = yes; }).catch(() => {});
  // Live: from the newest entry on, every journal entry goes to the page shown. The newest seq is
  // asked before the page's own reads, so the stream replays whatever happens in between.
  const tail = get('/events?last=1').catch(() => []);
  if (!location.hash || location.hash === '#/' || location.hash === '#') location.hash = '#/overview';
  else route();
  const newest = await tail;
  session.lastSeq = newest.length ? newest[newest.length - 1].seq : 0;
  if (stopStream) stopStream();
  stopStream = stream(session.lastSeq, (e) => {
    session.lastSeq = e.seq;
    if (current && current.onEvent) current.onEvent(e);
    else if (arrivedWhileLoading) arrivedWhileLoading.push(e);
  }, setLive);
}

async function route() {
  if (!session.me) return;
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const [name, ...rest] = parts;
  const page = pages[name] || pages.overview;
  if (current && current.dispose) current.dispose();
  current = null;
  const arrived = [];
  arrivedWhileLoading = arrived;
  for (const a of nav.querySelectorAll('a')) {
    if (a.getAttribute('href') === `#/${name}`) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  nav.classList.remove('open');
  document.getElementById('menu-toggle').setAttribute('aria-expanded', 'false');
  const query = new URLSearchParams(location.hash.includes('?') ? location.hash.slice(location.hash.indexOf('?') + 1) : '');
  if (rest.length) rest[rest.length - 1] = rest[rest.length - 1].split('?')[0];
  // Each visit renders into its own element: a refresh still in flight when the user moves on
  // fills a detached element, never the page shown now.
  const view = h('div', { class: 'view' });
  main.replaceChildren(view);
  const ctx = { session, query, main: view, navigate: (hash) => { location.hash = hash; } };
  try {
    const shown = await page(view, rest.filter((x) => x !== ''), ctx);
    if (!view.isConnected) { if (shown && shown.dispose) shown.dispose(); return; }
    current = shown || null;
    if (arrivedWhileLoading === arrived) arrivedWhileLoading = null;
    if (current && current.onEvent) arrived.forEach((e) => current.onEvent(e));
    // When the page's data is on screen (the benchmark reads it: bench/dashboard).
    performance.mark(`corral:shown:${name}`);
    document.title = `${main.querySelector('h1')?.textContent || 'Corral'} · Corral`;
    focusHeading();
  } catch (e) {
    if (arrivedWhileLoading === arrived) arrivedWhileLoading = null;
    view.replaceChildren(h('h1', {}, 'Error'), h('p', { class: 'error', role: 'alert' }, problemText(e)));
  }
}

window.addEventListener('hashchange', route);
document.getElementById('logout').addEventListener('click', async () => {
  const id = session.me && session.me.token;
  // A token from a password login is this page's own: end it on the server too.
  if (id && session.loggedInHere) await api('DELETE', `/tokens/${encodeURIComponent(id)}`).catch(() => {});
  token.clear();
  session.me = null;
  showLogin('Logged out.');
});
document.getElementById('menu-toggle').addEventListener('click', (ev) => {
  const open = nav.classList.toggle('open');
  ev.currentTarget.setAttribute('aria-expanded', String(open));
});
start();
