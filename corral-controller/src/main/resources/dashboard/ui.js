// Small DOM helpers: elements, tables, dialogs, messages, formats and charts. No framework.
import uPlot from '/ui/vendor/uplot/uPlot.esm.js';

/** h('a', {href: '#/x'}, 'text', child...): attributes starting with "on" become listeners. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** Replaces el's children: arrays are flattened, null/false/undefined left out, text made a text node. */
export function fill(el, ...children) {
  el.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  return el;
}

/** A table: columns are {label, value: row => node|text, class?}; rows an array. */
export function table(caption, columns, rows, empty = 'None.') {
  if (!rows.length) return h('p', { class: 'empty' }, empty);
  return h('div', { class: 'table-wrap' },
    h('table', {},
      h('caption', { class: 'sr-only' }, caption),
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.class }, c.label)))),
      h('tbody', {}, rows.map((r) => h('tr', {}, columns.map((c) => h('td', { class: c.class }, c.value(r))))))));
}

export function card(title, ...body) {
  return h('section', { class: 'card', 'aria-label': title }, h('h2', {}, title), ...body);
}

export function stat(label, value, id) {
  return h('div', { class: 'stat' }, h('span', { class: 'stat-value', id }, value), h('span', { class: 'stat-label' }, label));
}

export function badge(state) {
  return h('span', { class: `badge s-${String(state).toLowerCase()}` }, state);
}

/** A modal confirmation (the native dialog: focus trapped, Escape cancels). Resolves true or false. */
export function confirmDialog(message, action = 'Confirm', extra = null) {
  return new Promise((resolve) => {
    const d = h('dialog', { class: 'confirm', 'aria-labelledby': 'confirm-msg' },
      h('form', { method: 'dialog' },
        h('p', { id: 'confirm-msg' }, message),
        extra,
        h('div', { class: 'buttons' },
          h('button', { value: 'cancel', type: 'submit' }, 'Cancel'),
          h('button', { value: 'ok', type: 'submit', class: 'danger', id: 'confirm-ok' }, action))));
    d.addEventListener('close', () => { d.remove(); resolve(d.returnValue === 'ok'); });
    document.body.append(d);
    d.showModal();
  });
}

let toastTimer = null;
/** A message at the top of the page: errors as the API gave them (detail, and the field named). */
export function toast(text, kind = 'error') {
  const t = document.getElementById('toast');
  t.textContent = text;
  t.className = `toast ${kind}`;
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { t.hidden = true; }, kind === 'error' ? 12000 : 5000);
}

export function problemText(e) {
  if (!e.problem) return String(e.message || e);
  const p = e.problem;
  return `${p.title || 'Error'}${p.field ? ` (${p.field})` : ''}: ${p.detail || ''}`;
}

/** Runs an API call from a button: disables it meanwhile, shows the API's error if any. */
export async function act(button, f, done) {
  if (button) button.disabled = true;
  try {
    const r = await f();
    if (done) toast(done, 'ok');
    return r;
  } catch (e) {
    toast(problemText(e));
    return undefined;
  } finally {
    if (button) button.disabled = false;
  }
}

export const fmt = {
  pct: (x) => (x === null || x === undefined ? '–' : `${Math.round(x * 100)} %`),
  watts: (w) => (w >= 10000 ? `${(w / 1000).toFixed(1)} kW` : `${Math.round(w)} W`),
  kwh: (j) => `${(j / 3.6e6).toFixed(j < 3.6e5 ? 3 : 1)} kWh`,
  mib: (m) => (m >= 1024 ? `${(m / 1024).toFixed(m % 1024 ? 1 : 0)} GiB` : `${m} MiB`),
  time: (t) => (t ? new Date(t).toLocaleString() : '–'),
  clock: (t) => (t ? new Date(t).toLocaleTimeString() : '–'),
  labels: (l) => Object.entries(l || {}).map(([k, v]) => `${k}=${v}`).join(', '),
};

/** At most {@code max} points: every n-th sample (the series are already one per monitor period). */
export function downsample(times, series, max = 400) {
  if (times.length <= max) return [times, ...series];
  const step = Math.ceil(times.length / max);
  const pick = (a) => a.filter((_, i) => i % step === 0 || i === a.length - 1);
  return [pick(times), ...series.map(pick)];
}

/**
 * A line chart of parallel series (uPlot): times in epoch ms; each series {label, values, scale?}.
 * Sized to its container; a text summary is given for screen readers.
 */
export function chart(title, times, series, opts = {}) {
  const box = h('figure', { class: 'chart', 'data-points': String(times.length) },
    h('figcaption', {}, title));
  const data = downsample(times.map((t) => t / 1000), series.map((s) => s.values));
  const last = series.map((s) => `${s.label} ${s.values.length ? (s.format || String)(s.values[s.values.length - 1]) : 'no data'}`).join('; ');
  box.append(h('p', { class: 'sr-only' }, `${title}: ${times.length} samples; latest ${last}`));
  const colours = ['#1f5fbf', '#b0431a', '#2d7a2d', '#7a3d99'];
  requestAnimationFrame(() => {
    const width = Math.max(260, (box.clientWidth || 600) - 8);
    const plot = new uPlot({
      width, height: opts.height || 200,
      scales: { x: { time: true }, ...(opts.scales || {}) },
      axes: [{}, { scale: series[0].scale || 'y', size: 60 }, ...(series.some((s) => s.scale === 'y2') ? [{ scale: 'y2', side: 1, size: 50, grid: { show: false } }] : [])],
      series: [{}, ...series.map((s, i) => ({ label: s.label, stroke: colours[i % colours.length], width: 1.5, scale: s.scale || 'y' }))],
    }, data, box);
    box.plot = plot;
  });
  return box;
}

/** Focus the page's heading after navigation, so keyboard and screen-reader users land on it. */
export function focusHeading() {
  const head = document.querySelector('#main h1');
  if (head) { head.setAttribute('tabindex', '-1'); head.focus({ preventScroll: false }); }
}
