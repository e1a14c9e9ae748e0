// One function per page: (main, path parts, ctx) → optional { onEvent(entry), dispose() }.
// Every read and every action is a call of the REST API (api.js); nothing is computed here that
// the API does not give, beyond sums for display.
import { get, post, put, patch, del, page } from '/ui/api.js';
import { h, fill, table, card, stat, badge, confirmDialog, toast, problemText, act, fmt, chart } from '/ui/ui.js';

const enc = encodeURIComponent;
const OFF = new Set(['OFF', 'FENCED', 'POWERING_ON']);
const link = (hash, text) => h('a', { href: hash }, text);
const hostLink = (name) => (name ? link(`#/hosts/${enc(name)}`, name) : '–');
const vmLink = (name) => link(`#/vms/${enc(name)}`, name);

/** Calls f at most once per `ms` while events arrive (a burst of events → one refresh). */
function debounced(f, ms = 700) {
  let timer = null;
  const run = () => { timer = null; f(); };
  return { kick: () => { if (!timer) timer = setTimeout(run, ms); }, stop: () => clearTimeout(timer) };
}

function powerState(state) {
  if (state === 'OFF' || state === 'FENCED') return 'off';
  if (state === 'POWERING_ON') return 'powering on';
  if (state === 'POWERING_OFF') return 'powering off';
  return 'on';
}

function counts(items, key) {
  const m = new Map();
  for (const x of items) m.set(key(x), (m.get(key(x)) || 0) + 1);
  return [...m.entries()].sort();
}

function countList(label, entries) {
  if (!entries.length) return h('p', { class: 'empty' }, 'None.');
  return h('ul', { class: 'counts', 'aria-label': label },
    entries.map(([k, n]) => h('li', {}, badge(k), ' ', h('strong', {}, String(n)))));
}

function eventRow(e) {
  const subject = e.subjectKind === 'VM' ? vmLink(e.subject) : e.subjectKind === 'HOST' ? hostLink(e.subject) : e.subject;
  return h('li', { class: 'event', 'data-seq': String(e.seq) },
    h('time', { datetime: e.at }, fmt.clock(e.at)), ' ', h('span', { class: 'kind' }, e.kind), ' ',
    h('span', { class: 'subject' }, e.subjectKind.toLowerCase(), ' ', subject), ' ',
    e.from || e.to ? h('span', {}, `${e.from || ''} → ${e.to || ''} `) : null,
    h('span', { class: 'message' }, e.message));
}

async function overview(main, _parts, ctx) {
  const admin = ctx.session.admin;
  // Four reads at most: with the shell's own two, within the browser's six connections per host.
  const [health, hosts, today, events] = await Promise.all([
    get('/health'), admin ? get('/hosts') : [], admin ? get('/energy/today') : null, get('/events?last=15')]);
  const on = hosts.filter((x) => !OFF.has(x.state));
  const cores = on.reduce((s, x) => s + x.capacity.cores, 0);
  const mem = on.reduce((s, x) => s + x.capacity.memoryMib, 0);
  const usedCpus = hosts.reduce((s, x) => s + x.reserved.cpus, 0);
  const usedMem = hosts.reduce((s, x) => s + x.reserved.memoryMib, 0);
  const recent = h('ol', { class: 'events', id: 'recent-events', 'aria-live': 'polite' }, events.slice().reverse().map(eventRow));
  fill(main, h('h1', {}, 'Overview'),
    h('div', { class: 'stats' },
      stat('hosts', String(health.hosts), 'stat-hosts'),
      stat('VMs', String(health.vms), 'stat-vms'),
      stat('actions running', String(health.actionsRunning)),
      today ? stat('power now', fmt.watts(today.watts), 'stat-watts') : null,
      today ? stat(`used today (since ${fmt.clock(today.since)}, ${today.zone})`, `${today.kwh.toFixed(3)} kWh`, 'stat-today') : null,
      today ? stat(`saved today against everything on (${today.everythingOnKwh.toFixed(3)} kWh)`,
        `${today.savedKwh.toFixed(3)} kWh`, 'stat-saved-today') : null),
    h('div', { class: 'grid' },
      card('Hosts by state', countList('hosts by state', Object.entries(health.hostsByState))),
      admin ? card('Hosts by power state', countList('hosts by power state', counts(hosts, (x) => powerState(x.state)))) : null,
      card('VMs by state', countList('VMs by state', Object.entries(health.vmsByState))),
      admin ? card('Powered-on capacity against demand',
        h('p', {}, `CPU: ${usedCpus.toFixed(0)} vCPUs reserved of ${cores} cores on`),
        h('meter', { min: 0, max: Math.max(cores, 1), value: usedCpus, 'aria-label': 'CPU reserved of cores on' }),
        h('p', {}, `Memory: ${fmt.mib(usedMem)} reserved of ${fmt.mib(mem)} on`),
        h('meter', { min: 0, max: Math.max(mem, 1), value: usedMem, 'aria-label': 'memory reserved of memory on' })) : null),
    card('Recent events', recent));
  const refresh = debounced(() => overview(main, _parts, ctx).then((p) => { Object.assign(self, p); }), 1500);
  const self = {
    onEvent: (e) => {
      if (!recent.querySelector(`[data-seq="${e.seq}"]`)) recent.prepend(eventRow(e)); // not twice (one read while the page loaded)
      while (recent.children.length > 15) recent.lastChild.remove();
      refresh.kick();
    },
    dispose: () => refresh.stop(),
  };
  return self;
}

// ---- Hosts ----
const PAGE = 50;

async function hosts(main, parts, ctx) {
  if (parts.length) return hostPage(main, parts[0], ctx);
  const all = await get('/hosts');
  const filter = h('input', { id: 'host-search', type: 'search', placeholder: 'name or label', value: ctx.query.get('q') || '' });
  const stateSel = h('select', { id: 'host-state' }, h('option', { value: '' }, 'any'),
    [...new Set(all.map((x) => x.state))].sort().map((s) => h('option', { value: s }, s)));
  const body = h('div', {});
  let offset = 0;
  const show = () => {
    const q = filter.value.trim().toLowerCase();
    const rows = all.filter((x) => (!stateSel.value || x.state === stateSel.value)
      && (!q || x.name.toLowerCase().includes(q) || fmt.labels(x.labels).toLowerCase().includes(q)));
    const shown = rows.slice(offset, offset + PAGE);
    fill(body, 
      table('Hosts', [
        { label: 'Name', value: (x) => hostLink(x.name) },
        { label: 'State', value: (x) => badge(x.state) },
        { label: 'Power', value: (x) => powerState(x.state) },
        { label: 'CPU used / total', value: (x) => `${x.reserved.cpus} / ${x.capacity.cores} (${fmt.pct(x.cpuUtilisation)} busy)` },
        { label: 'Memory used / total', value: (x) => `${fmt.mib(x.reserved.memoryMib)} / ${fmt.mib(x.capacity.memoryMib)}` },
        { label: 'VMs', value: (x) => String(x.vms), class: 'num' },
        { label: 'Power', value: (x) => fmt.watts(x.watts), class: 'num' },
        { label: 'Labels', value: (x) => fmt.labels(x.labels) },
      ], shown, 'No host matches.'),
      pager(offset, rows.length, (o) => { offset = o; show(); }));
  };
  filter.addEventListener('input', () => { offset = 0; show(); });
  stateSel.addEventListener('change', () => { offset = 0; show(); });
  fill(main, h('h1', {}, 'Hosts'),
    h('div', { class: 'filters' }, h('label', { for: 'host-search' }, 'Search'), filter, h('label', { for: 'host-state' }, 'State'), stateSel),
    body);
  show();
  const refresh = debounced(async () => {
    const fresh = await get('/hosts').catch(() => null);
    if (fresh) { all.splice(0, all.length, ...fresh); show(); }
  }, 2000);
  return { onEvent: (e) => { if (e.subjectKind === 'HOST') refresh.kick(); }, dispose: refresh.stop };
}

function pager(offset, total, go) {
  if (total <= PAGE) return h('p', { class: 'count' }, `${total} shown`);
  return h('nav', { class: 'pager', 'aria-label': 'pages' },
    h('button', { type: 'button', disabled: offset === 0, onclick: () => go(Math.max(0, offset - PAGE)) }, 'Previous'),
    h('span', {}, `${offset + 1}–${Math.min(total, offset + PAGE)} of ${total}`),
    h('button', { type: 'button', disabled: offset + PAGE >= total, onclick: () => go(offset + PAGE) }, 'Next'));
}

async function hostPage(main, name, ctx) {
  const [x, vms, events, trends] = await Promise.all([get(`/hosts/${enc(name)}`), page(`/vms?host=${enc(name)}&limit=${PAGE}`),
    get(`/events?subject=${enc(name)}&last=30`), get(`/trends?host=${enc(name)}`).catch(() => null)]);
  const actions = h('div', { class: 'actions', role: 'group', 'aria-label': 'host actions' },
    x.state === 'MAINTENANCE' || x.state === 'DRAINING'
      ? h('button', { type: 'button', id: 'host-activate', onclick: (ev) => act(ev.target, () => post(`/hosts/${enc(name)}/maintenance`, { enabled: false }), `${name} activated`) }, 'Activate')
      : h('button', { type: 'button', id: 'host-maintenance', onclick: async (ev) => {
        if (await confirmDialog(`Put ${name} in maintenance? Its ${x.vms} VMs are live-migrated away and it takes no new ones.`, 'Maintenance')) {
          await act(ev.target, () => post(`/hosts/${enc(name)}/maintenance`, { enabled: true }), `${name} in maintenance`);
        }
      } }, 'Maintenance'),
    h('button', { type: 'button', id: 'host-power-on', onclick: (ev) => act(ev.target, () => post(`/hosts/${enc(name)}/power-on`), `powering on ${name}`) }, 'Power on'),
    h('button', { type: 'button', id: 'host-power-off', class: 'danger', onclick: async (ev) => {
      if (await confirmDialog(`Power off ${name}?`, 'Power off')) await act(ev.target, () => post(`/hosts/${enc(name)}/power-off`), `powering off ${name}`);
    } }, 'Power off'),
    h('button', { type: 'button', id: 'host-check', onclick: async (ev) => {
      const r = await act(ev.target, () => post(`/hosts/${enc(name)}/check`));
      if (r) fill(checkOut, h('pre', {}, JSON.stringify(r, null, 2)));
    } }, 'Check'));
  const checkOut = h('div', { 'aria-live': 'polite' });
  const charts = trends && trends.times.length ? [
    chart('CPU utilisation', trends.times, [{ label: 'CPU %', values: trends.cpu.map((v) => v * 100), format: (v) => `${Math.round(v)} %` }]),
    chart('Memory used', trends.times, [{ label: 'memory %', values: trends.memory.map((v) => v * 100), format: (v) => `${Math.round(v)} %` }]),
    chart('Power', trends.times, [{ label: 'W', values: trends.watts, format: fmt.watts }])] : [h('p', {}, 'No samples yet.')];
  fill(main, h('h1', {}, `Host ${name}`),
    h('p', {}, badge(x.state), ' ', `${x.stateReason || ''} since ${fmt.time(x.stateSince)}`, ' · ', h('code', {}, x.uri)),
    actions, checkOut,
    h('dl', { class: 'facts' },
      h('dt', {}, 'Capacity'), h('dd', {}, `${x.capacity.cores} cores × ${x.capacity.mhzPerCore} MHz, ${fmt.mib(x.capacity.memoryMib)}`),
      h('dt', {}, 'Reserved'), h('dd', {}, `${x.reserved.cpus} vCPUs, ${fmt.mib(x.reserved.memoryMib)}`),
      h('dt', {}, 'Power now'), h('dd', { id: 'host-watts' }, fmt.watts(x.watts)),
      h('dt', {}, 'Labels'), h('dd', {}, fmt.labels(x.labels) || '–')),
    card('Utilisation over time', h('div', { class: 'charts' }, charts)),
    card(`VMs (${x.vms})`, h('div', { id: 'host-vms' }, vmTable(vms.items, 'No VM on this host.'),
      vms.next ? h('p', {}, link(`#/vms?host=${enc(name)}`, 'All VMs of this host')) : null)),
    card('Events', h('ol', { class: 'events' }, events.slice().reverse().map(eventRow))));
  const refresh = debounced(() => hostPage(main, name, ctx).then((p) => Object.assign(self, p)), 1500);
  const self = {
    onEvent: (e) => { if (e.subject === name || (e.subjectKind === 'VM' && (e.from === name || e.to === name))) refresh.kick(); },
    dispose: () => refresh.stop(),
  };
  return self;
}

// ---- VMs ----
function vmTable(items, empty) {
  return table('VMs', [
    { label: 'Name', value: (v) => vmLink(v.name) },
    { label: 'State', value: (v) => badge(v.state) },
    { label: 'Host', value: (v) => hostLink(v.host) },
    { label: 'vCPUs', value: (v) => String(v.spec.cpus), class: 'num' },
    { label: 'Memory', value: (v) => fmt.mib(v.spec.memoryMib), class: 'num' },
    { label: 'Owner', value: (v) => v.owner },
    { label: 'Labels', value: (v) => fmt.labels(v.spec.labels) },
  ], items, empty);
}

async function vms(main, parts, ctx) {
  if (parts[0] === 'new') return vmForm(main, ctx);
  if (parts.length) return vmPage(main, parts[0], ctx);
  const q = ctx.query;
  const field = (id, label, input) => [h('label', { for: id }, label), input];
  const state = h('select', { id: 'vm-state', name: 'state' }, h('option', { value: '' }, 'any'),
    ['PENDING', 'HOLD', 'PROVISIONING', 'BOOTING', 'RUNNING', 'MIGRATING', 'STOPPING', 'STOPPED', 'UNKNOWN', 'RECOVERING', 'FAILED']
      .map((s) => h('option', { value: s, selected: q.get('state') === s }, s)));
  const host = h('input', { id: 'vm-host', name: 'host', value: q.get('host') || '', size: 10 });
  const owner = h('input', { id: 'vm-owner', name: 'owner', value: q.get('owner') || '', size: 10 });
  const label = h('input', { id: 'vm-label', name: 'label', value: q.get('label') || '', placeholder: 'key=value', size: 12 });
  const search = h('input', { id: 'vm-search', name: 'q', type: 'search', value: q.get('q') || '', placeholder: 'part of a name' });
  const list = h('div', { id: 'vm-list', 'aria-live': 'polite' });
  const cursors = [null]; // cursor of each page shown so far: Previous goes back one
  const query = () => {
    const p = new URLSearchParams();
    for (const [k, el] of [['state', state], ['host', host], ['owner', owner], ['label', label], ['q', search]]) {
      if (el.value.trim()) p.set(k, el.value.trim());
    }
    return p;
  };
  const load = async () => {
    const p = query();
    p.set('limit', String(PAGE));
    const after = cursors[cursors.length - 1];
    if (after) p.set('after', after);
    try {
      const r = await page(`/vms?${p}`);
      fill(list, vmTable(r.items, 'No VM matches.'),
        h('nav', { class: 'pager', 'aria-label': 'pages' },
          h('button', { type: 'button', id: 'vm-prev', disabled: cursors.length === 1, onclick: () => { cursors.pop(); load(); } }, 'Previous'),
          h('span', {}, `page ${cursors.length} · ${r.items.length} shown`),
          h('button', { type: 'button', id: 'vm-next', disabled: !r.next, onclick: () => { cursors.push(r.next); load(); } }, 'Next')));
    } catch (e) {
      fill(list, h('p', { class: 'error', role: 'alert' }, problemText(e)));
    }
  };
  const form = h('form', { class: 'filters', role: 'search', onsubmit: (ev) => {
    ev.preventDefault();
    cursors.splice(1);
    history.replaceState(null, '', `#/vms?${query()}`);
    load();
  } },
  field('vm-search', 'Search', search), field('vm-state', 'State', state), field('vm-host', 'Host', host),
  field('vm-owner', 'Owner', owner), field('vm-label', 'Label', label), h('button', { type: 'submit', id: 'vm-filter' }, 'Filter'));
  fill(main, h('h1', {}, 'VMs'), h('p', {}, link('#/vms/new', 'Create a VM')), form, list);
  await load();
  const refresh = debounced(load, 1500);
  return { onEvent: (e) => { if (e.subjectKind === 'VM') refresh.kick(); }, dispose: refresh.stop };
}

async function vmForm(main, ctx) {
  const [networks, images] = await Promise.all([get('/networks'), get('/images')]);
  const errors = {};
  const row = (id, label, input, hint) => {
    errors[id] = h('span', { class: 'field-error', id: `${id}-error` });
    input.setAttribute('aria-describedby', `${id}-error${hint ? ` ${id}-hint` : ''}`);
    return h('div', { class: 'field' }, h('label', { for: id }, label), input,
      hint ? h('span', { class: 'hint', id: `${id}-hint` }, hint) : null, errors[id]);
  };
  const name = h('input', { id: 'f-name', name: 'name', required: true, autocomplete: 'off' });
  const cpus = h('input', { id: 'f-cpus', name: 'cpus', type: 'number', value: '1', min: '1', step: '1' });
  const memory = h('input', { id: 'f-memoryMib', name: 'memoryMib', type: 'number', value: '1024', step: '1' });
  const image = h('select', { id: 'f-image', name: 'image' }, h('option', { value: '' }, '(no disk)'), images.map((i) => h('option', { value: i.name }, i.name)));
  const network = h('select', { id: 'f-network', name: 'network' }, h('option', { value: '' }, '(no network)'), networks.map((n) => h('option', { value: n.name }, n.name)));
  const labels = h('input', { id: 'f-labels', name: 'labels', placeholder: 'app=web, tier=front' });
  const ha = h('select', { id: 'f-ha', name: 'ha' }, h('option', { value: '' }, 'default'), ['HIGH', 'MEDIUM', 'LOW', 'NONE'].map((x) => h('option', { value: x }, x)));
  const requirements = h('input', { id: 'f-requirements', name: 'requirements', placeholder: 'host.labels["rack"] == "r1"' });
  const summary = h('div', { id: 'form-error', class: 'error', role: 'alert' });
  const fieldFor = { name: 'f-name', cpus: 'f-cpus', memoryMib: 'f-memoryMib', disks: 'f-image', nics: 'f-network', labels: 'f-labels', ha: 'f-ha', requirements: 'f-requirements' };
  const form = h('form', { class: 'vm-form', novalidate: true, onsubmit: async (ev) => {
    ev.preventDefault();
    summary.textContent = '';
    for (const [id, el] of Object.entries(errors)) { el.textContent = ''; document.getElementById(id).removeAttribute('aria-invalid'); }
    const body = { name: name.value.trim(), cpus: Number(cpus.value), memoryMib: Number(memory.value) };
    if (cpus.value.trim() === '' || !Number.isInteger(body.cpus)) body.cpus = cpus.value; // the API says why
    if (memory.value.trim() === '' || !Number.isInteger(body.memoryMib)) body.memoryMib = memory.value;
    if (image.value) body.disks = [{ image: image.value, sizeGib: 0 }];
    if (network.value) body.nics = [{ network: network.value }];
    if (ha.value) body.ha = ha.value;
    if (requirements.value.trim()) body.requirements = requirements.value.trim();
    if (labels.value.trim()) {
      body.labels = {};
      for (const pair of labels.value.split(',')) {
        const [k, ...v] = pair.split('=');
        body.labels[k.trim()] = v.join('=').trim();
      }
    }
    const button = ev.submitter || form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const vm = await post('/vms', body);
      toast(`VM ${vm.name} created`, 'ok');
      ctx.navigate(`#/vms/${enc(vm.name)}`);
    } catch (e) {
      summary.textContent = problemText(e);
      const f = e.field ? e.field.replace(/^spec\./, '').split(/[.[]/)[0] : null;
      const id = f && fieldFor[f];
      if (id) {
        errors[id].textContent = e.problem.detail;
        const input = document.getElementById(id);
        input.setAttribute('aria-invalid', 'true');
        input.focus();
      }
    } finally {
      button.disabled = false;
    }
  } },
  row('f-name', 'Name', name, 'letters, digits and -'),
  row('f-cpus', 'vCPUs', cpus),
  row('f-memoryMib', 'Memory (MiB)', memory),
  row('f-image', 'Disk image', image),
  row('f-network', 'Network', network),
  row('f-labels', 'Labels', labels, 'key=value, separated by commas'),
  row('f-ha', 'High availability', ha),
  row('f-requirements', 'Requirements (CEL)', requirements),
  summary,
  h('div', { class: 'buttons' }, h('button', { type: 'submit', id: 'f-submit' }, 'Create'), link('#/vms', 'Cancel')));
  fill(main, h('h1', {}, 'Create a VM'), form);
  return null;
}

async function vmPage(main, name, ctx) {
  const [v, events] = await Promise.all([get(`/vms/${enc(name)}`), get(`/events?subject=${enc(name)}&last=100`)]);
  const [hostTrends, own] = v.host && ctx.session.admin
    ? await Promise.all([get(`/trends?host=${enc(v.host)}`).catch(() => null), get(`/trends?vm=${enc(name)}`).catch(() => null)])
    : [null, null];
  const states = events.filter((e) => e.kind === 'STATE_CHANGED' || e.kind === 'CREATED');
  const moves = events.filter((e) => e.actionKey && e.actionKey.startsWith('migrate/') && e.kind === 'ACTION_SUCCEEDED');
  const hostSel = h('select', { id: 'migrate-to', name: 'to' }, h('option', { value: '' }, 'let the scheduler choose'));
  const migrateExtra = ctx.session.admin ? h('p', {}, h('label', { for: 'migrate-to' }, 'Destination '), hostSel) : null;
  const buttons = [
    h('button', { type: 'button', id: 'vm-start', onclick: (ev) => act(ev.target, () => post(`/vms/${enc(name)}/start`), `starting ${name}`) }, 'Start'),
    h('button', { type: 'button', id: 'vm-stop', onclick: async (ev) => {
      if (await confirmDialog(`Stop ${name}? Its guest is shut down.`, 'Stop')) await act(ev.target, () => post(`/vms/${enc(name)}/stop`), `stopping ${name}`);
    } }, 'Stop')];
  if (ctx.session.admin) {
    buttons.push(h('button', { type: 'button', id: 'vm-migrate', onclick: async (ev) => {
      const hosts = await get('/hosts').catch(() => []);
      fill(hostSel, h('option', { value: '' }, 'let the scheduler choose'),
        hosts.filter((x) => x.name !== v.host && x.state === 'UP').map((x) => h('option', { value: x.name }, `${x.name} (${x.vms} VMs)`)));
      if (await confirmDialog(`Live-migrate ${name} from ${v.host}?`, 'Migrate', migrateExtra)) {
        const to = hostSel.value || null;
        await act(ev.target, () => post(`/vms/${enc(name)}/migrate`, to ? { to } : {}), `migrating ${name}`);
      }
    } }, 'Migrate'));
  }
  buttons.push(h('button', { type: 'button', id: 'vm-delete', class: 'danger', onclick: async (ev) => {
    if (await confirmDialog(`Delete ${name}? Its domain and disks are removed; this cannot be undone.`, 'Delete')) {
      const r = await act(ev.target, () => del(`/vms/${enc(name)}`), `deleting ${name}`);
      if (r) ctx.navigate('#/vms');
    }
  } }, 'Delete'));
  const s = v.spec;
  fill(main, h('h1', {}, `VM ${name}`),
    h('p', {}, badge(v.state), ' on ', h('span', { id: 'vm-host-now' }, hostLink(v.host)),
      v.migrationTarget ? [' → ', hostLink(v.migrationTarget)] : null, ` · ${v.stateReason || ''} since ${fmt.time(v.stateSince)}`,
      v.action ? [' · action ', h('code', {}, v.action)] : null),
    h('div', { class: 'actions', role: 'group', 'aria-label': 'VM actions' }, buttons),
    h('div', { class: 'grid' },
      card('Spec', h('dl', { class: 'facts' },
        h('dt', {}, 'vCPUs'), h('dd', {}, String(s.cpus)),
        h('dt', {}, 'Memory'), h('dd', {}, fmt.mib(s.memoryMib)),
        h('dt', {}, 'Disks'), h('dd', {}, (s.disks || []).map((d) => `${d.image}${d.sizeGib ? ` ${d.sizeGib} GiB` : ''}`).join(', ') || '–'),
        h('dt', {}, 'Networks'), h('dd', {}, (v.leases || []).map((l) => `${l.network} ${l.ip}`).join(', ') || '–'),
        h('dt', {}, 'Owner'), h('dd', {}, v.owner),
        h('dt', {}, 'Placement'), h('dd', {}, `${s.policy || ''} ${s.requirements || ''}`),
        h('dt', {}, 'HA'), h('dd', {}, String(s.ha || '–')),
        h('dt', {}, 'Labels'), h('dd', {}, fmt.labels(s.labels) || '–'),
        h('dt', {}, 'UUID'), h('dd', {}, h('code', {}, v.uuid)))),
      card('State history', table('State history', [
        { label: 'When', value: (e) => fmt.time(e.at) }, { label: 'From', value: (e) => e.from || '–' },
        { label: 'To', value: (e) => e.to || '–' }, { label: 'Why', value: (e) => e.message }], states.slice().reverse(), 'No change yet.')),
      card('Host history (migrations)', table('Migrations', [
        { label: 'When', value: (e) => fmt.time(e.at) }, { label: 'Action', value: (e) => e.actionKey },
        { label: 'What', value: (e) => e.message }], moves.slice().reverse(), 'Never migrated.'))),
    hostTrends && hostTrends.times.length ? card('Utilisation', h('div', { class: 'charts', id: 'vm-charts' },
      own && own.times.length ? chart('CPU of its vCPUs (the last polls)', own.times, [{ label: 'CPU %', values: own.cpu.map((x) => x * 100) }]) : null,
      chart(`CPU of its host ${v.host}`, hostTrends.times, [{ label: 'CPU %', values: hostTrends.cpu.map((x) => x * 100) }]))) : null,
    card('Events', h('ol', { class: 'events', id: 'vm-events' }, events.slice().reverse().map(eventRow))));
  const refresh = debounced(() => vmPage(main, name, ctx).then((p) => Object.assign(self, p)).catch((e) => {
    if (e.status === 404) fill(main, h('h1', {}, `VM ${name}`), h('p', {}, 'This VM is gone (deleted).'));
  }), 700);
  const self = { onEvent: (e) => { if (e.subject === name) refresh.kick(); }, dispose: () => refresh.stop() };
  return self;
}

// ---- Energy ----
async function energy(main, _parts, ctx) {
  const [report, trends, plan, optimizer] = await Promise.all([get('/energy'), get('/trends'), get('/plan'), get('/optimizer')]);
  const t = trends.times;
  const charts = t.length ? [
    chart('Power draw', t, [{ label: 'W', values: trends.watts, format: fmt.watts }]),
    chart('Active hosts', t, [{ label: 'hosts on', values: trends.hostsOn }]),
    chart('Mean CPU utilisation of hosts on', t, [{ label: 'CPU %', values: trends.cpu.map((v) => v * 100) }]),
    chart('Live migrations per interval', t, [{ label: 'done', values: trends.migrations }, { label: 'in flight', values: trends.migrating }])]
    : [h('p', {}, 'No samples yet.')];
  const actions = plan.plans.flatMap((p) => p.actions.map((a) => ({ ...a, origin: p.origin })));
  const notes = plan.plans.flatMap((p) => p.notes.map((n) => `${p.origin}: ${n}`));
  const apply = h('button', { type: 'button', id: 'plan-apply', disabled: !actions.length, onclick: async (ev) => {
    if (await confirmDialog(`Apply plan ${plan.id} (${actions.length} actions)? A plan that changed since is refused.`, 'Apply')) {
      const r = await act(ev.target, () => post('/plan/apply', { id: plan.id }), `plan ${plan.id} applied`);
      if (r !== undefined) energy(main, _parts, ctx);
    }
  } }, 'Apply this plan');
  fill(main, h('h1', {}, 'Energy'),
    h('div', { class: 'stats' },
      stat('power now', fmt.watts(report.hosts.reduce((s, x) => s + x.watts, 0)), 'energy-watts'),
      stat('energy used', fmt.kwh(report.joules)),
      stat('everything-on baseline', fmt.kwh(report.baselineJoules)),
      stat(`saved since ${fmt.time(report.since)}`, fmt.kwh(report.savedJoules))),
    card('Over time', h('div', { class: 'charts', id: 'energy-charts' }, charts)),
    card(`Optimizer plan ${plan.id}`, h('p', {}, `Automation: ${optimizer.automation}, policy ${optimizer.detector}/${optimizer.selection}, every ${optimizer.period}`),
      plan.current ? null : h('p', { class: 'hint', id: 'plan-stale' }, `The controller was busy: this is its plan of ${fmt.time(plan.at)}, which may have changed since.`),
      table('Planned actions', [
        { label: 'Action', value: (a) => a.action }, { label: 'From', value: (a) => a.origin },
        { label: 'Reason', value: (a) => a.cause.reason }], actions, 'Nothing to do: the optimizer recommends no change.'),
      notes.length ? h('ul', { class: 'notes' }, notes.map((n) => h('li', {}, n))) : null, apply),
    automationCard(optimizer, () => energy(main, _parts, ctx)),
    card('Energy per host group', table('Energy per label', [
      { label: 'Label', value: (g) => g.label }, { label: 'Hosts', value: (g) => String(g.hosts), class: 'num' },
      { label: 'Used', value: (g) => fmt.kwh(g.joules), class: 'num' }, { label: 'Baseline', value: (g) => fmt.kwh(g.baselineJoules), class: 'num' }],
    report.groups)));
  return null;
}

const LEVELS = ['off', 'recommend', 'partial', 'full'];
const labelText = (labels) => Object.entries(labels).sort().map(([k, v]) => `${k}=${v}`).join(',');

/** A select of automation levels; changing it PATCHes /optimizer/groups/{group} and redraws the page. */
function levelSelect(id, label, group, current, redraw) {
  const sel = h('select', { id, 'aria-label': label }, LEVELS.map((l) => h('option', { value: l, selected: l === current }, l)));
  sel.addEventListener('change', async () => {
    const done = await act(sel, () => patch(`/optimizer/groups/${enc(group)}`, { automation: sel.value }),
      `${label}: ${sel.value}`);
    if (done === undefined) sel.value = current;
    else redraw();
  });
  return sel;
}

/**
 * Automation per host group: the default level and each group's, changed in place (PATCH
 * /optimizer/groups/{labels}), a group added by its labels, a group removed (DELETE).
 */
function automationCard(optimizer, redraw) {
  const rows = [{ name: 'default', labels: null, automation: optimizer.automation },
    ...optimizer.groups.map((g) => ({ name: labelText(g.labels), labels: g.labels, automation: g.automation }))];
  const newLabels = h('input', { id: 'group-labels', placeholder: 'rack=r2', 'aria-describedby': 'group-hint' });
  const newLevel = h('select', { id: 'group-level' }, LEVELS.map((l) => h('option', { value: l, selected: l === 'recommend' }, l)));
  const add = h('form', { class: 'filters', id: 'group-add', onsubmit: async (ev) => {
    ev.preventDefault();
    const labels = newLabels.value.trim().replace(/\s*,\s*/g, ',');
    if (!labels) { newLabels.focus(); return; }
    const done = await act(ev.submitter, () => patch(`/optimizer/groups/${enc(labels)}`, { automation: newLevel.value }),
      `hosts with ${labels}: ${newLevel.value}`);
    if (done !== undefined) redraw();
  } },
  h('label', { for: 'group-labels' }, 'Labels'), newLabels, h('label', { for: 'group-level' }, 'Automation'), newLevel,
  h('button', { type: 'submit', id: 'group-add-submit' }, 'Add a group'));
  return card('Automation per host group',
    h('p', { class: 'hint', id: 'group-hint' }, 'A host runs at the level of the first group whose labels it carries, else at the default;'
      + ' a migration at the more cautious level of its two hosts. Off decides nothing, recommend only shows the plan,'
      + ' partial applies migrations, full applies everything. Labels as KEY=VALUE, several separated by commas.'),
    table('Host groups', [
      { label: 'Hosts', value: (g) => (g.labels ? `with ${fmt.labels(g.labels)}` : 'in no group (default)') },
      { label: 'Automation', value: (g) => levelSelect(`level-${g.name}`, g.labels ? `automation of hosts with ${g.name}` : 'default automation',
        g.name, g.automation, redraw) },
      { label: '', value: (g) => (g.labels ? h('button', { type: 'button', 'aria-label': `remove the group ${g.name}`, onclick: async (ev) => {
        if (await confirmDialog(`Remove the group ${g.name}? Its hosts take the default level (${optimizer.automation}).`, 'Remove')) {
          if (await act(ev.target, () => del(`/optimizer/groups/${enc(g.name)}`), `group ${g.name} removed`) !== undefined) redraw();
        }
      } }, 'Remove') : '') }], rows),
    add);
}

// ---- Events ----
async function events(main, _parts, ctx) {
  const kind = h('select', { id: 'ev-kind' }, h('option', { value: '' }, 'any'),
    ['CREATED', 'UPDATED', 'DELETED', 'STATE_CHANGED', 'ACTION_QUEUED', 'ACTION_STARTED', 'ACTION_SUCCEEDED', 'ACTION_FAILED',
      'ACTION_RETRYING', 'ACTION_REJECTED', 'ACTION_RESUMED', 'UNPLACEABLE', 'FAULT_INJECTED', 'CONTROLLER_STARTED', 'RECONCILED',
      'OPTIMIZER_NOTE', 'GUARDIAN_NOTE', 'LOGIN_FAILED'].map((k) => h('option', { value: k }, k)));
  const subject = h('input', { id: 'ev-subject', value: ctx.query.get('subject') || '', placeholder: 'host or VM name' });
  const text = h('input', { id: 'ev-text', type: 'search', placeholder: 'text in the message' });
  const list = h('ol', { class: 'events', id: 'event-list', 'aria-live': 'polite', 'aria-relevant': 'additions' });
  const matches = (e) => (!kind.value || e.kind === kind.value) && (!subject.value.trim() || e.subject === subject.value.trim())
    && (!text.value.trim() || e.message.toLowerCase().includes(text.value.trim().toLowerCase()));
  const load = async () => {
    const s = subject.value.trim();
    const rows = await get(`/events?last=500${s ? `&subject=${enc(s)}` : ''}`);
    fill(list, ...rows.filter(matches).reverse().slice(0, 200).map(eventRow));
  };
  kind.addEventListener('change', load);
  text.addEventListener('input', load);
  fill(main, h('h1', {}, 'Events'),
    h('form', { class: 'filters', role: 'search', onsubmit: (ev) => { ev.preventDefault(); load(); } },
      h('label', { for: 'ev-kind' }, 'Kind'), kind, h('label', { for: 'ev-subject' }, 'Subject'), subject,
      h('label', { for: 'ev-text' }, 'Text'), text, h('button', { type: 'submit' }, 'Filter')),
    h('p', { class: 'hint' }, 'New entries appear at the top as they happen.'), list);
  await load();
  return {
    onEvent: (e) => {
      if (matches(e) && !list.querySelector(`[data-seq="${e.seq}"]`)) {
        list.prepend(eventRow(e));
        while (list.children.length > 200) list.lastChild.remove();
      }
    },
  };
}

// ---- High availability ----
async function ha(main, _parts, ctx) {
  const [hostList, active, recovering, unknown, journal, checked, notifications] = await Promise.all([get('/hosts'), get('/actions'),
    page('/vms?state=RECOVERING&limit=100'), page('/vms?state=UNKNOWN&limit=100'), get('/events?last=500'),
    page(`/vms?services=true&limit=${SERVICE_VMS}`), get('/notifications')]);
  // A VM's service states come with the VM itself (GET /vms/NAME) where the Guardian reports them.
  const vmsWithChecks = await Promise.all(checked.items.map((v) => get(`/vms/${enc(v.name)}`).catch(() => v)));
  const troubled = hostList.filter((x) => x.state !== 'UP' && x.state !== 'OFF');
  const guardian = journal.filter((e) => e.kind === 'GUARDIAN_NOTE' || (e.cause && e.cause.origin === 'GUARDIAN')).reverse().slice(0, 50);
  fill(main, h('h1', {}, 'High availability'),
    card('Hosts by liveness', countList('hosts by state', counts(hostList, (x) => x.state))),
    card('Hosts not up', table('Hosts not up', [
      { label: 'Host', value: (x) => hostLink(x.name) }, { label: 'State', value: (x) => badge(x.state) },
      { label: 'Since', value: (x) => fmt.time(x.stateSince) }, { label: 'Why', value: (x) => x.stateReason },
      { label: '', value: (x) => (x.state === 'DOWN' || x.state === 'FENCING' ? h('button', { type: 'button', onclick: async (ev) => {
        if (await confirmDialog(`Confirm that ${x.name} is powered off? Its VMs will be restarted elsewhere: if it is still running, they run twice.`, 'Confirm off')) {
          await act(ev.target, () => post(`/hosts/${enc(x.name)}/confirm-off`), `${x.name} confirmed off`);
        }
      } }, 'Confirm off') : '') }], troubled, 'Every host that is on answers.')),
    card('Fencing and recoveries in progress', table('Actions in progress', [
      { label: 'Action', value: (a) => a.key }, { label: 'Status', value: (a) => badge(a.status) },
      { label: 'Attempts', value: (a) => String(a.attempts), class: 'num' }, { label: 'Why', value: (a) => a.cause.reason }],
    active.filter((a) => a.cause.origin === 'GUARDIAN' || a.verb === 'fence'), 'None.'),
    h('h3', {}, 'VMs recovering or unknown'), vmTable([...recovering.items, ...unknown.items], 'None.')),
    serviceCard(vmsWithChecks, checked.next),
    card('Notifications sent', table('Notifications', [
      { label: 'Time', value: (n) => h('time', { datetime: n.at }, fmt.time(n.at)) }, { label: 'Event', value: (n) => n.event },
      { label: 'About', value: (n) => n.subject }, { label: 'Channel', value: (n) => n.channel }, { label: 'To', value: (n) => n.target },
      { label: 'Status', value: (n) => badge(n.status) }, { label: 'Attempts', value: (n) => String(n.attempts), class: 'num' },
      { label: 'Last error', value: (n) => n.error || '' }], notifications,
    'None sent: notifications go to the channels of guardian.notify in corral.yaml (docs/high-availability.md).')),
    card('Guardian decisions and notes', h('ol', { class: 'events' }, guardian.map(eventRow))));
  const refresh = debounced(() => ha(main, _parts, ctx).then((p) => Object.assign(self, p)), 2000);
  const self = {
    onEvent: (e) => { if (e.subjectKind === 'HOST' || e.kind === 'GUARDIAN_NOTE' || (e.cause && e.cause.origin === 'GUARDIAN')) refresh.kick(); },
    dispose: () => refresh.stop(),
  };
  return self;
}

const SERVICE_VMS = 50;

/** How a service is checked, in words: its command, or its port and path. */
function checkText(c) {
  const kind = String(c.kind || '').toUpperCase();
  if (kind === 'TCP') return `tcp port ${c.port}`;
  if (kind === 'HTTP') return `http port ${c.port} ${c.path || '/'}`;
  return (c.command || []).join(' ');
}

/**
 * Service checks: every check each VM declares (its spec), with the state the Guardian reports for
 * it (state, failures in a row, why, restarts) where the VM's answer carries one.
 */
function serviceCard(vms, more) {
  const rows = vms.flatMap((v) => {
    const states = new Map((v.services || []).map((x) => [x.name, x]));
    return (v.spec.services || []).map((c) => ({ vm: v, check: c, seen: states.get(c.name) || null }));
  });
  const dash = (r, f) => (r.seen && r.seen[f] !== undefined && r.seen[f] !== null ? String(r.seen[f]) : '–');
  return card('Service checks',
    h('p', { class: 'hint' }, 'Failed checks in a row escalate: restart the service, then the VM, then recreate it elsewhere, then give up;'
      + ' a flapping service is not restarted. – : not reported yet.'),
    table('Service checks', [
      { label: 'VM', value: (r) => vmLink(r.vm.name) }, { label: 'VM state', value: (r) => badge(r.vm.state) },
      { label: 'Service', value: (r) => r.check.name }, { label: 'Kind', value: (r) => String(r.check.kind).toLowerCase() },
      { label: 'Check', value: (r) => checkText(r.check) }, { label: 'After', value: (r) => (r.check.after || []).join(', ') },
      { label: 'State', value: (r) => (r.seen && r.seen.state ? badge(r.seen.state) : '–') },
      { label: 'Failures', value: (r) => dash(r, 'failures'), class: 'num' }, { label: 'Restarts', value: (r) => dash(r, 'restarts'), class: 'num' },
      { label: 'Why', value: (r) => dash(r, 'reason') }], rows, 'No VM declares service checks.'),
    more ? h('p', { class: 'hint' }, `The first ${SERVICE_VMS} VMs with checks are shown.`) : null);
}

// ---- Users (admin) ----
async function users(main, _parts, ctx) {
  const [list, groups, tokens] = await Promise.all([get('/users'), get('/groups'), get('/tokens')]);
  const usage = await Promise.all(list.map((u) => get(`/quota?user=${enc(u.name)}`).catch(() => [])));
  const q = (x) => (x === null || x === undefined ? '∞' : String(x));
  const name = h('input', { id: 'u-name', required: true });
  const role = h('select', { id: 'u-role' }, h('option', { value: 'developer' }, 'developer'), h('option', { value: 'admin' }, 'admin'));
  const group = h('input', { id: 'u-group' });
  const password = h('input', { id: 'u-password', type: 'password', autocomplete: 'new-password' });
  const err = h('p', { class: 'error', role: 'alert', id: 'u-error' });
  const reload = () => users(main, _parts, ctx);
  const tUser = h('select', { id: 't-user' }, list.map((u) => h('option', { value: u.name, selected: u.name === ctx.session.me.name }, u.name)));
  const tDesc = h('input', { id: 't-description', placeholder: 'what it is for, e.g. ci' });
  const tExpires = h('input', { id: 't-expires', placeholder: 'e.g. 30d; empty: never' });
  const tOut = h('div', { id: 't-new', 'aria-live': 'polite' });
  const tErr = h('p', { class: 'error', role: 'alert', id: 't-error' });
  fill(main, h('h1', {}, 'Users'),
    card('Users, quotas and usage', table('Users', [
      { label: 'Name', value: (u) => u.name }, { label: 'Role', value: (u) => u.role }, { label: 'Group', value: (u) => u.group || '–' },
      { label: 'Password', value: (u) => (u.hasPassword ? 'yes' : 'no') },
      { label: 'VMs used / quota', value: (u) => usageText(usage[list.indexOf(u)], 'vms', q) },
      { label: 'vCPUs used / quota', value: (u) => usageText(usage[list.indexOf(u)], 'cpus', q) },
      { label: 'Memory MiB used / quota', value: (u) => usageText(usage[list.indexOf(u)], 'memoryMib', q) },
      { label: '', value: (u) => h('button', { type: 'button', class: 'danger', 'aria-label': `Delete user ${u.name}`, onclick: async (ev) => {
        if (await confirmDialog(`Delete user ${u.name}? Their tokens stop working.`, 'Delete')) {
          if (await act(ev.target, () => del(`/users/${enc(u.name)}`), `${u.name} deleted`) !== undefined) reload();
        }
      } }, 'Delete') }], list)),
    card('Add a user', h('form', { class: 'vm-form', onsubmit: async (ev) => {
      ev.preventDefault();
      err.textContent = '';
      try {
        await post('/users', { name: name.value.trim(), role: role.value, group: group.value.trim() || null, password: password.value || null });
        toast(`user ${name.value} created`, 'ok');
        reload();
      } catch (e) { err.textContent = problemText(e); }
    } },
    h('div', { class: 'field' }, h('label', { for: 'u-name' }, 'Name'), name),
    h('div', { class: 'field' }, h('label', { for: 'u-role' }, 'Role'), role),
    h('div', { class: 'field' }, h('label', { for: 'u-group' }, 'Group'), group),
    h('div', { class: 'field' }, h('label', { for: 'u-password' }, 'Password (optional)'), password),
    err, h('button', { type: 'submit', id: 'u-submit' }, 'Add'))),
    card('Groups', table('Groups', [
      { label: 'Group', value: (g) => g.name }, { label: 'Members', value: (g) => g.members.join(', ') },
      { label: 'Quota', value: (g) => `VMs ${q(g.quota.vms)}, vCPUs ${q(g.quota.cpus)}, memory ${q(g.quota.memoryMib)} MiB` }], groups)),
    card('Create a token', h('form', { class: 'vm-form', onsubmit: async (ev) => {
      ev.preventDefault();
      tErr.textContent = '';
      try {
        const t = await post('/tokens', { user: tUser.value, description: tDesc.value.trim() || null, expiresIn: tExpires.value.trim() || null });
        // Shown once, here only: the API keeps only its hash.
        fill(tOut, h('p', {}, `Token ${t.id} for ${t.user}, shown once (Corral keeps only its hash):`), h('code', { id: 't-secret', class: 'secret' }, t.token));
      } catch (e) { tErr.textContent = problemText(e); }
    } },
    h('div', { class: 'field' }, h('label', { for: 't-user' }, 'For user'), tUser),
    h('div', { class: 'field' }, h('label', { for: 't-description' }, 'Description'), tDesc),
    h('div', { class: 'field' }, h('label', { for: 't-expires' }, 'Expires in'), tExpires),
    tErr, h('button', { type: 'submit', id: 't-submit' }, 'Create token'), tOut)),
    card('Tokens and access keys', table('Tokens', [
      { label: 'Id', value: (t) => h('code', {}, t.id) }, { label: 'User', value: (t) => t.user },
      { label: 'Description', value: (t) => t.description || '–' }, { label: 'Created', value: (t) => fmt.time(t.created) },
      { label: 'Expires', value: (t) => (t.expires ? fmt.time(t.expires) : 'never') },
      { label: '', value: (t) => (t.id === ctx.session.me.token ? 'this session' : h('button', { type: 'button', class: 'danger', 'aria-label': `Revoke token ${t.id}`, onclick: async (ev) => {
        if (await confirmDialog(`Revoke token ${t.id} of ${t.user}?`, 'Revoke')) {
          if (await act(ev.target, () => del(`/tokens/${enc(t.id)}`), 'token revoked') !== undefined) reload();
        }
      } }, 'Revoke')) }], tokens)));
  return null;
}

function usageText(views, key, q) {
  const u = (views || []).find((x) => x.scope === 'user');
  return u ? `${u.usage[key]} / ${q(u.limits[key])}` : '–';
}

// ---- Clusters (shown once GET /api/v1/clusters answers: issue 20) ----
async function clusters(main) {
  const list = await get('/clusters');
  const condition = (c) => [badge(c.phase), ' ', c.reason];
  const one = (c) => card(`Cluster ${c.name}`,
    h('p', {}, condition(c.condition), ` (owner ${c.owner}, wanted ${c.desire.toLowerCase()}, since ${fmt.time(c.condition.since)})`),
    table(`Roles of ${c.name}`, [
      { label: 'Role', value: (r) => r[0] },
      { label: 'Members wanted', value: (r) => String(c.counts[r[0]] ?? '–'), class: 'num' },
      { label: 'State', value: (r) => condition(r[1]) },
    ], Object.entries(c.roles)),
    table(`Members of ${c.name}`, [
      { label: 'Member', value: (m) => vmLink(m.name) },
      { label: 'Role', value: (m) => m.role },
      { label: 'State', value: (m) => badge(m.state) },
      { label: 'Host', value: (m) => hostLink(m.host) },
      { label: 'Address', value: (m) => m.address || '–' },
    ], c.members, 'No members.'),
    h('h3', {}, 'Hooks (newest last)'),
    table(`Hooks of ${c.name}`, [
      { label: 'When', value: (o) => fmt.time(o.at) },
      { label: 'On', value: (o) => o.target },
      { label: 'Command', value: (o) => h('code', {}, o.command.join(' ')) },
      { label: 'Exit', value: (o) => String(o.exitCode), class: 'num' },
      { label: 'Attempts', value: (o) => String(o.attempts), class: 'num' },
      { label: 'Outcome', value: (o) => badge(o.succeeded ? 'OK' : o.gaveUp ? 'GAVE_UP' : 'RETRYING') },
    ], c.hooks.slice(-20), 'No hook has run.'),
    h('h3', {}, 'Scaling and history (newest last)'),
    c.history.length ? h('ol', { class: 'history' }, c.history.slice(-20).map((line) => h('li', {}, line))) : h('p', { class: 'empty' }, 'Nothing yet.'));
  fill(main, h('h1', {}, 'Clusters'),
    list.length ? list.map(one) : h('p', { class: 'empty' }, 'No cluster: `corral cluster apply -f examples/web.yaml` declares one (docs/virtual-clusters.md).'));
  return null;
}

export const pages = { overview, hosts, vms, energy, events, ha, users, clusters };
