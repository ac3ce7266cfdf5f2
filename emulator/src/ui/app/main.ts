import './style.css';
import { type BrowseAnswer, type CloudClient, createCloudClient } from '../../client';
import { action, cnTime, count, h, messageOf, parseJson, replace, toast } from './dom';
import { cell, tree } from './ejson';

/**
 * The local cloud's web UI: one page, one view at a time (`#/<view>/<arg>`), each drawn from the control
 * plane of the origin that served it. Nothing is cached between views: what is shown is what the local
 * cloud says now.
 */

const cloud: CloudClient = createCloudClient(location.origin);

const VIEWS = [
  ['data', 'Data'],
  ['functions', 'Functions'],
  ['timers', 'Timers & clock'],
  ['faults', 'Faults'],
  ['outbox', 'Outbox'],
  ['payments', 'Payments'],
  ['personas', 'Personas & grants'],
  ['stats', 'Stats'],
] as const;
type View = (typeof VIEWS)[number][0];

const nav = h('nav', { class: 'nav' });
const main = h('main', { class: 'main', testid: 'main' });
const clockBadge = h('span', { class: 'clock', testid: 'header-clock' });
document
  .getElementById('app')
  ?.append(
    h('header', { class: 'top' }, h('strong', {}, 'Duet local cloud'), h('span', { class: 'muted' }, location.host), clockBadge),
    h('div', { class: 'shell' }, nav, main),
  );

async function refreshClock(): Promise<void> {
  try {
    const clock = await cloud.clock.get();
    clockBadge.textContent = `clock ${cnTime(clock.now)} (UTC+8)${clock.offsetMs ? ` · offset ${duration(clock.offsetMs)}` : ''}`;
  } catch {
    clockBadge.textContent = 'local cloud unreachable';
  }
}

function duration(ms: number): string {
  const sign = ms < 0 ? '-' : '+';
  let rest = Math.abs(ms);
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return sign + (parts.join(' ') || `${rest}ms`);
}

function route(): { view: View; arg: string } {
  const [, view = 'data', ...rest] = location.hash.replace(/^#/, '').split('/');
  const known = VIEWS.some(([name]) => name === view);
  return { view: (known ? view : 'data') as View, arg: decodeURIComponent(rest.join('/')) };
}

async function render(): Promise<void> {
  const { view, arg } = route();
  replace(
    nav,
    VIEWS.map(([name, label]) => h('a', { href: `#/${name}`, class: name === view ? 'active' : '', testid: `nav-${name}` }, label)),
  );
  replace(main, h('p', { class: 'muted' }, 'Loading…'));
  try {
    await VIEW_RENDERERS[view](arg);
  } catch (error) {
    replace(main, h('p', { class: 'error' }, messageOf(error)));
  }
  void refreshClock();
}

const title = (text: string, ...extra: Array<Node | string>) => h('div', { class: 'title' }, h('h1', {}, text), ...extra);
const section = (heading: string, ...children: Array<Node | string | null | false | Node[]>) =>
  h('section', { class: 'card' }, h('h2', {}, heading), ...children);
const table = (head: string[], rows: Node[], attrs: Record<string, string> = {}) =>
  h(
    'table',
    attrs,
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        head.map((name) => h('th', { class: name === 'count' ? 'num' : undefined }, name)),
      ),
    ),
    h('tbody', {}, rows),
  );
const empty = (text: string) => h('p', { class: 'muted' }, text);

// ---------------------------------------------------------------- data

interface DataState {
  coll: string;
  filter: string;
  sort: string;
  order: 'asc' | 'desc';
  limit: number;
  /** Cursors of the pages before the current one (the first page has none). */
  trail: Array<string | undefined>;
  after?: string;
  /** What the first page counted (later pages do not count again). */
  matched?: number;
}

let data: DataState | undefined;

async function renderData(arg: string): Promise<void> {
  const info = await cloud.db.info();
  const coll = arg || info.collections.find((c) => c.count > 0)?.name || info.collections[0]?.name || '';
  if (!data || data.coll !== coll) data = { coll, filter: '', sort: '', order: 'asc', limit: 50, trail: [] };
  const state = data;
  const selected = info.collections.find((c) => c.name === coll);

  const list = h(
    'ul',
    { class: 'colls', testid: 'collections' },
    info.collections.map((c) =>
      h(
        'li',
        {},
        h(
          'a',
          { href: `#/data/${encodeURIComponent(c.name)}`, class: c.name === coll ? 'active' : '', testid: `coll-${c.name}` },
          h('span', {}, c.name),
          h('span', { class: 'count' }, count(c.count)),
        ),
      ),
    ),
  );

  const filterInput = h('input', {
    class: 'mono grow',
    placeholder: '{"status": "paid", "total": {"$gte": 100}}',
    value: state.filter,
    testid: 'filter',
    'aria-label': 'filter',
  });
  const sortInput = h('input', { class: 'mono', placeholder: 'sort field', value: state.sort, testid: 'sort', 'aria-label': 'sort field' });
  const orderSelect = h(
    'select',
    { testid: 'order', 'aria-label': 'order' },
    h('option', { value: 'asc', selected: state.order === 'asc' }, 'ascending'),
    h('option', { value: 'desc', selected: state.order === 'desc' }, 'descending'),
  );
  const status = h('span', { class: 'muted', testid: 'page-status' });
  const planLine = h('p', { class: 'muted small mono plan', testid: 'page-plan', title: 'how sqlite answered this page' });
  const rows = h('div', { class: 'rows' });
  const viewer = h('aside', { class: 'viewer', testid: 'viewer', hidden: true });
  const prev = action('‹ Prev', async () => {
    state.after = state.trail.pop();
    await load();
  });
  const next = h('button', { type: 'button', testid: 'next-page' }, 'Next ›');
  const first = action('« First', async () => {
    state.trail = [];
    state.after = undefined;
    await load();
  });
  let nextCursor: string | null = null;
  next.addEventListener('click', async () => {
    if (!nextCursor) return;
    state.trail.push(state.after);
    state.after = nextCursor;
    next.disabled = true;
    await load();
  });
  prev.setAttribute('data-testid', 'prev-page');
  first.setAttribute('data-testid', 'first-page');

  const apply = async () => {
    state.filter = filterInput.value.trim();
    state.sort = sortInput.value.trim();
    state.order = orderSelect.value as 'asc' | 'desc';
    state.trail = [];
    state.after = undefined;
    await load();
  };
  filterInput.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') void apply();
  });
  sortInput.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') void apply();
  });

  async function load(): Promise<void> {
    let page: BrowseAnswer;
    try {
      page = await cloud.db.page(coll, {
        limit: state.limit,
        filter: state.filter || undefined,
        sort: state.sort || undefined,
        order: state.order,
        after: state.after,
      });
    } catch (error) {
      status.textContent = '';
      replace(rows, h('p', { class: 'error', testid: 'page-error' }, messageOf(error)));
      next.disabled = true;
      return;
    }
    nextCursor = page.next;
    if (page.matched !== null) state.matched = page.matched;
    const matched = state.matched ?? page.total;
    next.disabled = !page.next;
    prev.disabled = state.trail.length === 0 && !state.after;
    first.disabled = prev.disabled;
    const from = state.trail.length * state.limit + 1;
    status.textContent =
      page.docs.length === 0
        ? `no documents · ${count(matched)} of ${count(page.total)} match · ${page.elapsedMs} ms`
        : `${count(from)}–${count(from + page.docs.length - 1)} of ${count(matched)}${
            matched !== page.total ? ` matching (${count(page.total)} in all)` : ''
          } · answered in ${page.elapsedMs} ms`;
    planLine.textContent = `sqlite: ${page.plan.join(' · ')}`;
    // Columns: `_id`, then the fields of this page, most common first.
    const seen = new Map<string, number>();
    for (const row of page.docs) for (const key of Object.keys(row.doc)) if (key !== '_id') seen.set(key, (seen.get(key) ?? 0) + 1);
    const columns = ['_id', ...[...seen].sort((a, b) => b[1] - a[1]).map(([key]) => key)].slice(0, 8);
    replace(
      rows,
      page.docs.length === 0
        ? empty('Nothing on this page.')
        : table(
            columns,
            page.docs.map((row) =>
              h(
                'tr',
                {
                  class: 'doc-row',
                  testid: 'doc-row',
                  tabindex: 0,
                  onclick: () => showDoc(row.key, row.doc),
                  onkeydown: (event: Event) => {
                    if ((event as KeyboardEvent).key === 'Enter') showDoc(row.key, row.doc);
                  },
                },
                columns.map((column) => h('td', {}, cell(row.doc[column]))),
              ),
            ),
            { class: 'docs', testid: 'docs' },
          ),
    );
    // A column's header sorts by it on the server; again, the other way.
    rows.querySelectorAll('th').forEach((th, i) => {
      const column = columns[i];
      th.classList.add('sortable');
      th.title = `sort by ${column}`;
      th.setAttribute('data-testid', `sort-${column}`);
      if (state.sort === column) th.append(state.order === 'asc' ? ' ▲' : ' ▼');
      th.addEventListener('click', () => {
        sortInput.value = column;
        orderSelect.value = state.sort === column && state.order === 'asc' ? 'desc' : 'asc';
        void apply();
      });
    });
  }

  function showDoc(key: string, doc: Record<string, unknown>): void {
    const editor = h('textarea', { class: 'mono editor', spellcheck: 'false', testid: 'doc-editor', 'aria-label': 'document' });
    editor.value = JSON.stringify(doc, null, 2);
    const body = h('div', { class: 'doc-tree', testid: 'doc-tree' }, tree(doc));
    const save = action(
      'Save',
      async () => {
        const parsed = parseJson(editor.value, 'The document');
        if (!parsed.ok) return;
        const saved = await cloud.db.replace(coll, parsed.value as Record<string, unknown>);
        toast('Saved.');
        showDoc(saved.key, saved.doc);
        await load();
      },
      { class: 'primary', testid: 'doc-save' },
    );
    const editing = h('div', { class: 'edit', hidden: true }, editor, h('div', { class: 'buttons' }, save));
    const edit = h('button', { type: 'button', testid: 'doc-edit' }, 'Edit');
    const close = h('button', { type: 'button', testid: 'doc-close', 'aria-label': 'close' }, '✕');
    close.addEventListener('click', () => {
      viewer.hidden = true;
    });
    edit.addEventListener('click', () => {
      editing.hidden = !editing.hidden;
      body.hidden = !editing.hidden;
      edit.textContent = editing.hidden ? 'Edit' : 'View';
    });
    replace(
      viewer,
      h('div', { class: 'viewer-head' }, h('code', { testid: 'doc-key' }, key), edit, close),
      h('p', { class: 'muted small' }, 'Relaxed EJSON: dates as {"$date": ...}, ObjectIds as {"$oid": ...}.'),
      body,
      editing,
    );
    viewer.hidden = false;
  }

  const indexes = selected?.indexes ?? [];
  replace(
    main,
    title('Data', h('span', { class: 'muted' }, `${info.collections.length} collections · ${info.transactions} open transactions`)),
    h(
      'div',
      { class: 'data' },
      h('div', { class: 'card side' }, h('h2', {}, 'Collections'), list),
      h(
        'div',
        { class: 'grow-col' },
        h(
          'div',
          { class: 'card' },
          h(
            'div',
            { class: 'toolbar' },
            filterInput,
            sortInput,
            orderSelect,
            action('Apply', apply, { class: 'primary', testid: 'apply' }),
          ),
          h('div', { class: 'toolbar' }, first, prev, next, status),
          rows,
          planLine,
          h(
            'div',
            { class: 'indexes', testid: 'indexes' },
            h('h3', {}, `Indexes of ${coll}`),
            indexes.length === 0
              ? empty('None declared in cloud/schema.json.')
              : table(
                  ['name', 'keys', ''],
                  indexes.map((index) =>
                    h(
                      'tr',
                      {},
                      h('td', {}, index.name),
                      h('td', { class: 'mono' }, JSON.stringify(index.keys)),
                      h('td', {}, [index.unique ? 'unique' : '', index.sparse ? 'sparse' : ''].filter(Boolean).join(', ')),
                    ),
                  ),
                ),
          ),
        ),
        viewer,
      ),
    ),
  );
  if (coll) await load();
  else replace(rows, empty('No collections yet.'));
}

// ---------------------------------------------------------------- functions

async function renderFunctions(arg: string): Promise<void> {
  const [{ functions, dir, error }, { personas }] = await Promise.all([cloud.functions.list(), cloud.personas.list()]);
  const name = arg || functions[0]?.name || '';
  const logs = h('div', { testid: 'fn-logs' });
  const result = h('pre', { class: 'mono result', testid: 'invoke-result' });
  const event = h('textarea', { class: 'mono', rows: 5, testid: 'invoke-event', 'aria-label': 'event' });
  event.value = '{}';
  const as = h(
    'select',
    { testid: 'invoke-as', 'aria-label': 'call as' },
    h('option', { value: '' }, 'the console (wx_devtools, no user)'),
    personas.map((p) => h('option', { value: p.name }, `${p.name} (${p.openid})`)),
  );
  async function loadLogs(): Promise<void> {
    if (!name) return;
    const answer = await cloud.functions.logs(name, { limit: 20 });
    replace(
      logs,
      answer.logs.length === 0
        ? empty('No invocations yet.')
        : answer.logs
            .slice()
            .reverse()
            .map((log) =>
              h(
                'details',
                { class: `log ${log.status}` },
                h(
                  'summary',
                  {},
                  h('span', { class: `pill ${log.status}` }, log.status),
                  ` ${cnTime(log.startedAt)} · ${log.source}${log.openid ? ` · ${log.openid}` : ''}${log.trigger ? ` · ${log.trigger}` : ''} · ${log.durationMs} ms`,
                ),
                log.error ? h('p', { class: 'error mono' }, `${log.error.errCode} ${log.error.errMsg}`) : null,
                h(
                  'pre',
                  { class: 'mono' },
                  log.lines.map((line) => `${line.stream === 'stderr' ? '! ' : ''}${line.text}`).join('\n') || '(no output)',
                ),
              ),
            ),
    );
  }
  replace(
    main,
    title('Functions', h('span', { class: 'muted mono' }, dir)),
    error ? h('p', { class: 'error' }, error) : null,
    h(
      'div',
      { class: 'data' },
      h(
        'div',
        { class: 'card side' },
        h('h2', {}, 'Functions'),
        functions.length === 0
          ? empty('No functions in this folder.')
          : h(
              'ul',
              { class: 'colls' },
              functions.map((fn) =>
                h(
                  'li',
                  {},
                  h(
                    'a',
                    {
                      href: `#/functions/${encodeURIComponent(fn.name)}`,
                      class: fn.name === name ? 'active' : '',
                      testid: `fn-${fn.name}`,
                    },
                    h('span', {}, fn.name),
                    h('span', { class: 'count' }, fn.instances.total ? `${fn.instances.busy}/${fn.instances.total}` : ''),
                  ),
                ),
              ),
            ),
      ),
      name
        ? h(
            'div',
            { class: 'grow-col' },
            section(
              `Invoke ${name}`,
              h('label', {}, 'event (JSON)', event),
              h(
                'div',
                { class: 'toolbar' },
                h('label', { class: 'inline' }, 'call as ', as),
                action(
                  'Invoke',
                  async () => {
                    const parsed = parseJson(event.value, 'The event');
                    if (!parsed.ok) return;
                    const answer = await cloud.invoke(name, { event: parsed.value, persona: as.value || undefined });
                    result.textContent = JSON.stringify(answer, null, 2);
                    await loadLogs();
                  },
                  { class: 'primary', testid: 'invoke' },
                ),
              ),
              result,
            ),
            section('Logs (newest first)', action('Refresh', loadLogs), logs),
          )
        : null,
    ),
  );
  await loadLogs();
}

// ---------------------------------------------------------------- timers and clock

async function renderTimers(): Promise<void> {
  const [{ enabled, triggers }, clock] = await Promise.all([cloud.triggers.list(), cloud.clock.get()]);
  const fired = h('pre', { class: 'mono result', testid: 'fire-result' });
  const advance = h('input', { value: '60', class: 'short', testid: 'advance-minutes', 'aria-label': 'minutes' });
  const setTo = h('input', { value: clock.now, class: 'mono iso', testid: 'clock-set', 'aria-label': 'ISO time' });
  replace(
    main,
    title('Timers & clock'),
    section(
      'Clock',
      h(
        'p',
        { testid: 'clock-now' },
        `${cnTime(clock.now)} (UTC+8) · ${clock.now} · ${clock.offsetMs ? `offset ${duration(clock.offsetMs)}` : 'real time (no offset)'}`,
      ),
      h(
        'div',
        { class: 'toolbar' },
        advance,
        h('span', {}, 'minutes'),
        action(
          'Advance',
          async () => {
            await cloud.clock.advance(Math.round(Number(advance.value) * 60_000));
            await render();
          },
          { testid: 'clock-advance' },
        ),
        setTo,
        action(
          'Set',
          async () => {
            await cloud.clock.set(setTo.value.trim());
            await render();
          },
          { testid: 'clock-set-button' },
        ),
        action(
          'Back to real time',
          async () => {
            await cloud.clock.reset();
            await render();
          },
          { testid: 'clock-reset' },
        ),
      ),
    ),
    section(
      `Timer triggers (${enabled ? 'fire by themselves on the emulator clock' : 'on demand only'})`,
      triggers.length === 0
        ? empty('No function declares a timer trigger.')
        : table(
            ['function', 'trigger', 'cron (UTC+8)', 'next fire', ''],
            triggers.map((t) =>
              h(
                'tr',
                { testid: `trigger-${t.function}` },
                h('td', {}, t.function),
                h('td', {}, t.name),
                h('td', { class: 'mono' }, t.config),
                h('td', { testid: 'trigger-next' }, t.problem ? h('span', { class: 'error' }, t.problem) : cnTime(t.next)),
                h(
                  'td',
                  {},
                  action(
                    'Fire now',
                    async () => {
                      const answer = await cloud.triggers.fire(t.function);
                      fired.textContent = `${t.function}: ${JSON.stringify(answer, null, 2)}`;
                    },
                    { testid: `fire-${t.function}` },
                  ),
                ),
              ),
            ),
          ),
      fired,
    ),
  );
}

// ---------------------------------------------------------------- faults

async function renderFaults(): Promise<void> {
  const { faults } = await cloud.faults.list();
  const target = h('input', {
    class: 'mono wide',
    placeholder: 'database.getDocument, subscribeMessage.send, cloudPay.unifiedOrder…',
    testid: 'fault-target',
  });
  const kind = h(
    'select',
    { testid: 'fault-kind', 'aria-label': 'kind' },
    h('option', { value: 'error' }, 'error'),
    h('option', { value: 'timeout' }, 'timeout'),
    h('option', { value: 'delay' }, 'delay'),
  );
  const code = h('input', { class: 'short', value: '-1', 'aria-label': 'errCode', testid: 'fault-code' });
  const msg = h('input', { value: 'system error', 'aria-label': 'errMsg', testid: 'fault-message' });
  const delay = h('input', { class: 'short', value: '500', 'aria-label': 'delay ms' });
  const times = h('input', { class: 'short', value: '1', 'aria-label': 'times', testid: 'fault-times' });
  replace(
    main,
    title('Faults'),
    section(
      'Add a fault',
      h(
        'div',
        { class: 'toolbar wrap' },
        h('label', {}, 'target', target),
        h('label', {}, 'kind', kind),
        h('label', {}, 'errCode', code),
        h('label', {}, 'errMsg', msg),
        h('label', {}, 'delay ms', delay),
        h('label', {}, 'times', times),
        action(
          'Add',
          async () => {
            const n = Number(times.value);
            if (kind.value === 'delay') await cloud.faults.delay(target.value.trim(), Number(delay.value), n);
            else
              await cloud.faults.add(
                target.value.trim(),
                kind.value === 'timeout' ? 'timeout' : { errCode: Number(code.value), errMsg: msg.value },
                n,
              );
            await render();
          },
          { class: 'primary', testid: 'fault-add' },
        ),
      ),
    ),
    section(
      'Pending',
      faults.length === 0
        ? empty('No pending faults.')
        : table(
            ['target', 'fault', 'remaining'],
            faults.map((f) =>
              h(
                'tr',
                { testid: 'fault-row' },
                h('td', { class: 'mono' }, f.target),
                h('td', { class: 'mono' }, 'delayMs' in f ? `delay ${f.delayMs} ms` : JSON.stringify(f.error)),
                h('td', {}, String(f.remaining)),
              ),
            ),
          ),
    ),
  );
}

// ---------------------------------------------------------------- outbox

const OUTBOX_KINDS = ['subscribeMessage', 'customerServiceMessage', 'wxacode', 'mp', 'openapi'] as const;

async function renderOutbox(arg: string): Promise<void> {
  const kind = (OUTBOX_KINDS as readonly string[]).includes(arg) ? (arg as (typeof OUTBOX_KINDS)[number]) : undefined;
  const [{ entries }, { templates }] = await Promise.all([cloud.outbox.list(kind), cloud.templates()]);
  const byId = new Map(templates.map((t) => [t.id, t]));
  const kinds = h(
    'select',
    { testid: 'outbox-kind', 'aria-label': 'kind' },
    h('option', { value: '' }, 'every kind'),
    OUTBOX_KINDS.map((name) => h('option', { value: name, selected: name === kind }, name)),
  );
  kinds.addEventListener('change', () => {
    location.hash = `#/outbox/${kinds.value}`;
  });
  replace(
    main,
    title('Outbox', h('span', { class: 'muted' }, `${entries.length} · everything that would have left the platform, newest first`), kinds),
    entries.length === 0
      ? empty('Nothing sent yet.')
      : h(
          'div',
          { class: 'outbox' },
          entries
            .slice()
            .reverse()
            .map((entry) => {
              const request = (entry.request ?? {}) as Record<string, any>;
              const head = h(
                'div',
                { class: 'entry-head' },
                h('span', { class: 'pill' }, entry.kind),
                h('code', {}, entry.api),
                h('span', { class: 'muted' }, `${cnTime(entry.at)}${entry.functionName ? ` · ${entry.functionName}` : ''}`),
              );
              const raw = h(
                'details',
                {},
                h('summary', { class: 'muted' }, 'request and response'),
                h('pre', { class: 'mono' }, JSON.stringify({ request: entry.request, response: entry.response }, null, 2)),
              );
              if (entry.kind === 'subscribeMessage' && request.template_id) {
                const template = byId.get(String(request.template_id));
                const fields = Object.entries((request.data ?? {}) as Record<string, { value?: unknown }>);
                const ok = (entry.response as { errcode?: number } | undefined)?.errcode;
                return h(
                  'div',
                  { class: 'entry' },
                  head,
                  h(
                    'div',
                    { class: 'wx-card', testid: 'wx-card' },
                    h('div', { class: 'wx-title', testid: 'wx-card-title' }, template?.title ?? String(request.template_id)),
                    h('div', { class: 'wx-time' }, cnTime(entry.at).slice(5, 16)),
                    h(
                      'dl',
                      { class: 'wx-rows' },
                      fields.map(([key, field]) => [h('dt', {}, key), h('dd', {}, String(field?.value ?? ''))]),
                    ),
                    h('div', { class: 'wx-foot' }, h('span', {}, '进入小程序查看'), h('span', { class: 'wx-arrow' }, '›')),
                  ),
                  h(
                    'p',
                    { class: 'muted small' },
                    `to ${request.touser} · page ${request.page ?? '(none)'}${ok ? ` · refused: errcode ${ok}` : ''}`,
                  ),
                  raw,
                );
              }
              return h('div', { class: 'entry' }, head, raw);
            }),
        ),
  );
}

// ---------------------------------------------------------------- payments

async function renderPayments(): Promise<void> {
  const { payments } = await cloud.payments.list();
  const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;
  const refunds = payments.flatMap((p) => p.refunds);
  replace(
    main,
    title('Payments', h('span', { class: 'muted' }, 'Nothing settles by itself: settle here, as WeChat Pay would')),
    section(
      'Orders',
      payments.length === 0
        ? empty('No payments yet.')
        : table(
            ['outTradeNo', 'body', 'total', 'payer', 'created', 'state', 'callbacks', ''],
            payments
              .slice()
              .reverse()
              .map((p) =>
                h(
                  'tr',
                  { testid: `payment-${p.outTradeNo}` },
                  h('td', { class: 'mono' }, p.outTradeNo),
                  h('td', {}, p.body),
                  h('td', {}, yuan(p.totalFee)),
                  h('td', { class: 'mono' }, p.openid ?? '—'),
                  h('td', {}, cnTime(p.createdAt)),
                  h('td', {}, h('span', { class: `pill ${p.state}`, testid: 'payment-state' }, p.state)),
                  h('td', {}, `${p.deliveries.length}${p.callbackAcked ? ' (acked)' : ''}`),
                  h(
                    'td',
                    { class: 'buttons' },
                    p.state === 'NOTPAY'
                      ? [
                          action('Pay', () => settle(p.outTradeNo, 'SUCCESS'), { class: 'primary', testid: 'settle-success' }),
                          action('Fail', () => settle(p.outTradeNo, 'FAIL'), { testid: 'settle-fail' }),
                          action('Paid, callback lost', () => settle(p.outTradeNo, 'SUCCESS', 0), {
                            testid: 'settle-lost',
                            title: 'paid, but the pay callback never arrives',
                          }),
                        ]
                      : null,
                  ),
                ),
              ),
          ),
    ),
    section(
      'Refunds',
      refunds.length === 0
        ? empty('No refunds yet.')
        : table(
            ['outRefundNo', 'order', 'refund', 'created', 'state', ''],
            refunds.map((r) =>
              h(
                'tr',
                { testid: `refund-${r.outRefundNo}` },
                h('td', { class: 'mono' }, r.outRefundNo),
                h('td', { class: 'mono' }, r.outTradeNo),
                h('td', {}, `${yuan(r.refundFee)} of ${yuan(r.totalFee)}`),
                h('td', {}, cnTime(r.createdAt)),
                h('td', {}, h('span', { class: `pill ${r.state}` }, r.state)),
                h(
                  'td',
                  { class: 'buttons' },
                  r.state === 'PROCESSING'
                    ? [
                        action('Refunded', () => settleRefund(r.outRefundNo, 'SUCCESS'), { class: 'primary', testid: 'refund-success' }),
                        action('Failed', () => settleRefund(r.outRefundNo, 'CHANGE'), { testid: 'refund-change' }),
                      ]
                    : null,
                ),
              ),
            ),
          ),
    ),
  );
}

async function settle(outTradeNo: string, result: 'SUCCESS' | 'FAIL', deliveries?: number): Promise<void> {
  const answer = await cloud.payments.settle(outTradeNo, { result, deliveries });
  const last = answer.deliveries.at(-1);
  toast(`${outTradeNo}: ${answer.payment.state}${last ? ` · callback ${last.acked ? 'acked' : 'not acked'}` : ''}`);
  await render();
}

async function settleRefund(outRefundNo: string, result: 'SUCCESS' | 'CHANGE'): Promise<void> {
  const answer = await cloud.payments.settleRefund(outRefundNo, { result });
  toast(`${outRefundNo}: ${answer.refund.state}`);
  await render();
}

// ---------------------------------------------------------------- personas and grants

async function renderPersonas(): Promise<void> {
  const [{ personas }, { grants }] = await Promise.all([cloud.personas.list(), cloud.grants.list()]);
  const grantRows = Object.entries(grants).flatMap(([openid, byTemplate]) =>
    Object.entries(byTemplate).map(([template, n]) =>
      h('tr', {}, h('td', { class: 'mono' }, openid), h('td', { class: 'mono' }, template), h('td', {}, String(n))),
    ),
  );
  replace(
    main,
    title('Personas & grants'),
    section(
      'Personas',
      table(
        ['name', 'nickname', 'mini-program openid', '公众号 openid', 'unionid', 'follows'],
        personas.map((p) =>
          h(
            'tr',
            { testid: `persona-${p.name}` },
            h('td', {}, p.name),
            h('td', {}, p.nickname ?? ''),
            h('td', { class: 'mono' }, p.openid),
            h('td', { class: 'mono' }, p.mpOpenid),
            h('td', { class: 'mono' }, p.unionid ?? '—'),
            h('td', {}, p.follows ? 'yes' : 'no'),
          ),
        ),
      ),
    ),
    section(
      'Subscription grants (one-time, per user × template)',
      grantRows.length === 0 ? empty('No grants.') : table(['openid', 'template', 'remaining'], grantRows),
    ),
  );
}

// ---------------------------------------------------------------- stats

/** Through the CSSOM: the page's CSP refuses style attributes. */
function bar(share: number): HTMLElement {
  const el = h('span', { class: 'bar' });
  el.style.width = `${Math.max(2, share * 100)}%`;
  return el;
}

async function renderStats(): Promise<void> {
  const { counts } = await cloud.stats();
  const entries = Object.entries(counts);
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  const max = Math.max(1, ...entries.map(([, n]) => n));
  replace(
    main,
    title('Stats', h('span', { class: 'muted' }, `${count(total)} requests since start or the last reset`), action('Refresh', render)),
    section(
      'Requests by action',
      entries.length === 0
        ? empty('No requests yet.')
        : table(
            ['action', 'count', ''],
            entries.map(([key, n]) =>
              h(
                'tr',
                {},
                h('td', { class: 'mono' }, key),
                h('td', { class: 'num' }, count(n)),
                h('td', { class: 'bar-cell' }, bar(n / max)),
              ),
            ),
            { testid: 'stats' },
          ),
    ),
  );
}

const VIEW_RENDERERS: Record<View, (arg: string) => Promise<void>> = {
  data: renderData,
  functions: renderFunctions,
  timers: renderTimers,
  faults: renderFaults,
  outbox: renderOutbox,
  payments: renderPayments,
  personas: renderPersonas,
  stats: renderStats,
};

window.addEventListener('hashchange', () => void render());
void render();
setInterval(() => void refreshClock(), 5000);
