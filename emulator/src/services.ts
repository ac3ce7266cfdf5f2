import type { Clock, FaultSpec, Faults, Outbox, OutboxEntry, OutboxKind, Persona, Personas, StateStore, Stats } from './context';

export function createClock(): Clock {
  let offset = 0;
  const listeners: Array<() => void> = [];
  const changed = () => {
    for (const listener of listeners) listener();
  };
  return {
    now: () => new Date(Date.now() + offset),
    nowMs: () => Date.now() + offset,
    offsetMs: () => offset,
    set(iso) {
      const target = new Date(iso).getTime();
      if (Number.isNaN(target)) throw new Error(`not a time: ${String(iso)}`);
      offset = target - Date.now();
      changed();
    },
    advance(ms) {
      if (!Number.isFinite(ms)) throw new Error(`not a duration: ${ms}`);
      offset += ms;
      changed();
    },
    reset() {
      offset = 0;
      changed();
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
  let pending: Array<{ target: string; error: FaultSpec; remaining: number }> = [];
  return {
    add(target, error, times) {
      pending.push({ target, error, remaining: Math.max(1, Math.floor(times)) });
    },
    take(target) {
      const fault = pending.find((f) => f.target === target && f.remaining > 0);
      if (!fault) return undefined;
      fault.remaining -= 1;
      pending = pending.filter((f) => f.remaining > 0);
      return fault.error;
    },
    list: () => pending.map((f) => ({ ...f })),
    reset() {
      pending = [];
    },
  };
}

export function createOutbox(state: StateStore, clock: Clock): Outbox {
  const KEY = 'outbox';
  let entries: OutboxEntry[] = state.get<OutboxEntry[]>(KEY) ?? [];
  return {
    record(entry) {
      const full: OutboxEntry = { id: (entries.at(-1)?.id ?? 0) + 1, at: clock.now().toISOString(), ...entry };
      entries.push(full);
      state.set(KEY, entries);
      return full;
    },
    list: (kind?: OutboxKind) => (kind ? entries.filter((e) => e.kind === kind) : [...entries]),
    reset() {
      entries = [];
      state.set(KEY, entries);
    },
  };
}

/** Demo personas every fresh local cloud has; tests add their own. */
export const DEFAULT_PERSONAS: Persona[] = [
  { name: 'alice', openid: 'o-mini-alice', mpOpenid: 'o-mp-alice', unionid: 'u-alice', follows: true, nickname: '爱丽丝' },
  { name: 'bob', openid: 'o-mini-bob', mpOpenid: 'o-mp-bob', unionid: 'u-bob', follows: false, nickname: '小波' },
  { name: 'carol', openid: 'o-mini-carol', mpOpenid: 'o-mp-carol', follows: false, nickname: '卡罗尔' },
];

export function createPersonas(state: StateStore): Personas {
  const KEY = 'personas';
  let all: Persona[] = state.get<Persona[]>(KEY) ?? DEFAULT_PERSONAS.map((p) => ({ ...p }));
  const save = () => state.set(KEY, all);
  return {
    list: () => all.map((p) => ({ ...p })),
    get: (name) => all.find((p) => p.name === name),
    byOpenid: (openid) => all.find((p) => p.openid === openid),
    byMpOpenid: (mpOpenid) => all.find((p) => p.mpOpenid === mpOpenid),
    upsert(input) {
      const existing = all.find((p) => p.name === input.name);
      const merged: Persona = {
        openid: `o-mini-${input.name}`,
        mpOpenid: `o-mp-${input.name}`,
        follows: false,
        ...existing,
        ...input,
      } as Persona;
      all = existing ? all.map((p) => (p.name === input.name ? merged : p)) : [...all, merged];
      save();
      return { ...merged };
    },
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
  };
}
