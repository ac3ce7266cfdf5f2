import type {
  Clock,
  Faults,
  Outbox,
  OutboxEntry,
  OutboxKind,
  PendingDelayFault,
  PendingErrorFault,
  PendingFault,
  Persona,
  Personas,
  StateStore,
  Stats,
} from './context';

/**
 * How far the emulator clock may be from real time. Far enough for any expiry or schedule a test
 * needs; beyond it dates stop being dates (past ±8.64e15 ms every `new Date()` is invalid and
 * every call fails), and nothing real is scheduled that far anyway.
 */
export const MAX_CLOCK_OFFSET_MS = Math.round(10 * 365.25 * 86_400_000);

/** A clock change refused before anything moved. */
export class ClockRangeError extends RangeError {}

export function createClock(): Clock {
  let offset = 0;
  const listeners: Array<() => void> = [];
  const changed = () => {
    for (const listener of listeners) listener();
  };
  const checked = (next: number, what: string): number => {
    if (!Number.isFinite(next) || Math.abs(next) > MAX_CLOCK_OFFSET_MS) {
      throw new ClockRangeError(`${what} would put the clock more than 10 years from real time; nothing changed`);
    }
    return next;
  };
  return {
    now: () => new Date(Date.now() + offset),
    nowMs: () => Date.now() + offset,
    offsetMs: () => offset,
    set(iso) {
      const target = new Date(iso).getTime();
      if (Number.isNaN(target)) throw new ClockRangeError(`not a time: ${String(iso)}`);
      offset = checked(target - Date.now(), `setting ${iso instanceof Date ? iso.toISOString() : iso}`);
      changed();
    },
    advance(ms) {
      // Forward only: going back is `set`, so a sign slip cannot undo what a test already waited for.
      if (!Number.isFinite(ms) || ms < 0) throw new ClockRangeError(`advanceMs must be a finite number ≥ 0, not ${ms}`);
      offset = checked(offset + ms, `advancing ${ms} ms`);
      changed();
    },
    reset(options) {
      offset = 0;
      if (!options?.silent) changed();
    },
    onChange(listener) {
      listeners.push(listener);
    },
  };
}

export function createStats(): Stats {
  let counts = new Map<string, number>();
  return {
    count(key) {
      counts.set(key, (counts.get(key) ?? 0) + 1);
    },
    snapshot: () => Object.fromEntries([...counts.entries()].sort(([a], [b]) => a.localeCompare(b))),
    reset() {
      counts = new Map();
    },
  };
}

export function createFaults(): Faults {
  // One list for both kinds, so that `list()` shows them in the order they were added.
  let pending: PendingFault[] = [];
  const consume = <T extends PendingFault>(fault: T | undefined): T | undefined => {
    if (!fault) return undefined;
    fault.remaining -= 1;
    pending = pending.filter((f) => f.remaining > 0);
    return fault;
  };
  return {
    add(target, error, times) {
      pending.push({ target, error, remaining: Math.max(1, Math.floor(times)) });
    },
    addDelay(target, delayMs, times) {
      pending.push({ target, delayMs, remaining: Math.max(1, Math.floor(times)) });
    },
    take(target) {
      return consume(pending.find((f): f is PendingErrorFault => 'error' in f && f.target === target && f.remaining > 0))?.error;
    },
    takeDelay(target) {
      return consume(pending.find((f): f is PendingDelayFault => 'delayMs' in f && f.target === target && f.remaining > 0))?.delayMs;
    },
    list: () => pending.map((f) => ({ ...f })),
    reset() {
      pending = [];
    },
  };
}

/**
 * Every message that would have left the platform. One state record per entry (`outbox/<id>`), so
 * recording the 2,000th message writes one row, not the whole outbox again.
 */
export function createOutbox(state: StateStore, clock: Clock): Outbox {
  const PREFIX = 'outbox/';
  const keyOf = (id: number) => `${PREFIX}${String(id).padStart(12, '0')}`;
  // A local cloud that kept its outbox as one record (before per-entry records) is moved over once.
  const legacy = state.get<OutboxEntry[]>('outbox');
  if (legacy) {
    for (const entry of legacy) state.set(keyOf(entry.id), entry);
    state.delete('outbox');
  }
  let entries: OutboxEntry[] = state.entries<OutboxEntry>(PREFIX).map(([, entry]) => entry);
  return {
    record(entry) {
      const full: OutboxEntry = { id: (entries.at(-1)?.id ?? 0) + 1, at: clock.now().toISOString(), ...entry };
      entries.push(full);
      state.set(keyOf(full.id), full);
      return full;
    },
    list: (kind?: OutboxKind) => (kind ? entries.filter((e) => e.kind === kind) : [...entries]),
    reset() {
      for (const [key] of state.entries(PREFIX)) state.delete(key);
      entries = [];
    },
  };
}

/** Demo personas every fresh local cloud has; tests add their own. */
export const DEFAULT_PERSONAS: Persona[] = [
  { name: 'alice', openid: 'o-mini-alice', mpOpenid: 'o-mp-alice', unionid: 'u-alice', follows: true, nickname: '爱丽丝' },
  { name: 'bob', openid: 'o-mini-bob', mpOpenid: 'o-mp-bob', unionid: 'u-bob', follows: false, nickname: '小波' },
  { name: 'carol', openid: 'o-mini-carol', mpOpenid: 'o-mp-carol', follows: false, nickname: '卡罗尔' },
];

/** A persona change refused before anything changed (bad field, or an id another persona has). */
export class PersonaError extends Error {}

const PERSONA_FIELDS: Record<string, 'string' | 'boolean'> = {
  name: 'string',
  openid: 'string',
  mpOpenid: 'string',
  unionid: 'string',
  follows: 'boolean',
  nickname: 'string',
};

/** The ids that name one person: a second persona with one of them would be the same user twice. */
const PERSONA_IDS = ['openid', 'mpOpenid', 'unionid'] as const;

export function createPersonas(state: StateStore): Personas {
  const KEY = 'personas';
  let all: Persona[] = state.get<Persona[]>(KEY) ?? DEFAULT_PERSONAS.map((p) => ({ ...p }));
  const save = () => state.set(KEY, all);

  const merge = (list: Persona[], input: Record<string, unknown>): { list: Persona[]; merged: Persona } => {
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(input)) {
      const type = PERSONA_FIELDS[key];
      if (!type) throw new PersonaError(`persona ${String(input.name)}: unknown field ${JSON.stringify(key)}`);
      // A unionid can be taken away again (the user unbinds the open platform account).
      if (key === 'unionid' && value === null) continue;
      if (typeof value !== type || (type === 'string' && (value as string).length === 0)) {
        throw new PersonaError(`persona ${String(input.name)}: ${key} must be a${type === 'string' ? ' non-empty string' : ' boolean'}`);
      }
      fields[key] = value;
    }
    const existing = list.find((p) => p.name === input.name);
    const merged = {
      openid: `o-mini-${input.name}`,
      mpOpenid: `o-mp-${input.name}`,
      follows: false,
      ...existing,
      ...fields,
    } as Persona;
    if (input.unionid === null) delete merged.unionid;
    for (const id of PERSONA_IDS) {
      const value = merged[id];
      const owner = value === undefined ? undefined : list.find((p) => p.name !== merged.name && p[id] === value);
      if (owner) throw new PersonaError(`persona ${merged.name}: ${id} ${value} is already persona ${owner.name}'s`);
    }
    return { list: existing ? list.map((p) => (p.name === merged.name ? merged : p)) : [...list, merged], merged };
  };

  const upsertAll = (inputs: Array<Partial<Persona> & { name: string }>): Persona[] => {
    // Every change checked against the ones before it in the batch; nothing saved unless all pass.
    let next = all;
    const merged: Persona[] = [];
    for (const input of inputs) {
      const step = merge(next, input as Record<string, unknown>);
      next = step.list;
      merged.push(step.merged);
    }
    all = next;
    save();
    return merged.map((p) => ({ ...p }));
  };

  return {
    list: () => all.map((p) => ({ ...p })),
    get: (name) => all.find((p) => p.name === name),
    byOpenid: (openid) => all.find((p) => p.openid === openid),
    byMpOpenid: (mpOpenid) => all.find((p) => p.mpOpenid === mpOpenid),
    upsert: (input) => upsertAll([input])[0],
    upsertAll,
    reset() {
      all = DEFAULT_PERSONAS.map((p) => ({ ...p }));
      save();
    },
  };
}

/** The state store used until (and when) no durable store is configured: memory only. */
export function createMemoryState(): StateStore {
  const values = new Map<string, string>();
  return {
    get: <T>(key: string) => (values.has(key) ? (JSON.parse(values.get(key) as string) as T) : undefined),
    set: (key, value) => {
      values.set(key, JSON.stringify(value));
    },
    delete: (key) => {
      values.delete(key);
    },
    entries: <T>(prefix: string) =>
      [...values.keys()]
        .filter((key) => key.startsWith(prefix))
        .sort()
        .map((key): [string, T] => [key, JSON.parse(values.get(key) as string) as T]),
  };
}
