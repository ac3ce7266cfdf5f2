import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, shanghaiDay } from '../points/rules';
import { creditedTouch, creditKey, DIMENSIONS, type Dimension, MODELS, type Model } from './attribution';
import type { EventTouch, FunnelEventDoc, FunnelKind } from './events';
import { ALL_BUCKETS, placeOf } from './place';
import { buildFunnelTable, changeOf, type SnapshotDoc, snapshotId } from './report';
import {
  emptyTally,
  type Group,
  groupRows,
  METRICS,
  type Metrics,
  tallyBucket,
  tallyEntries,
  tallyFromEntries,
  tallyNewMembers,
  zeroMetrics,
} from './tally';

/**
 * The snapshot's promise: tallying a day bucket by bucket (in any order, saved and restored between
 * buckets as a resumed run does) gives exactly what a brute-force count over the day's raw events
 * gives, under every model and dimension; and every paid fen is credited to exactly one row.
 */
const DAY0 = '2026-11-20';
const START = Date.parse(`${DAY0}T00:00:00+08:00`);
const HOUR = 3_600_000;

const touchArb = fc.option(
  fc.record({
    scene: fc.option(fc.constantFrom('s1', 's2', 's3'), { nil: null }),
    article: fc.option(fc.constantFrom('art-a', 'art-b', 'art-c'), { nil: null }),
    campaign: fc.option(fc.constantFrom('cmp-x', 'cmp-y'), { nil: null }),
    channel: fc.constantFrom('article', 'share', 'mp', 'poster'),
    sharer: fc.option(fc.constantFrom('m1', 'm2'), { nil: null }),
    hoursAgo: fc.integer({ min: 0, max: 24 * 12 }),
  }),
  { nil: null },
);

const KINDS: FunnelKind[] = [
  'visit',
  'scan',
  'follow',
  'unfollow',
  'coupon_claimed',
  'order_created',
  'order_paid',
  'order_refunded',
  'login',
  'points_earned',
];

const eventArb = fc.record({
  member: fc.constantFrom(...Array.from({ length: 40 }, (_, i) => `m${i}`)),
  kind: fc.constantFrom(...KINDS),
  hour: fc.integer({ min: 0, max: 24 * 3 - 1 }),
  orderHoursBefore: fc.integer({ min: 0, max: 60 }),
  fen: fc.integer({ min: 0, max: 50_000 }),
  attributed: fc.boolean(),
  touch: touchArb,
  firstTouch: touchArb,
});

function toTouch(t: fc.Arbitrary<unknown> extends never ? never : any, at: number): EventTouch | null {
  if (!t) return null;
  return {
    scene: t.scene,
    article: t.article,
    campaign: t.campaign,
    channel: t.channel,
    sharer: t.sharer,
    at: new Date(at - t.hoursAgo * HOUR),
  };
}

function materialize(raw: fc.Arbitrary<any> extends never ? never : any[]): FunnelEventDoc[] {
  return raw.map((r, i) => {
    const at = new Date(START + r.hour * HOUR + i);
    const money = r.kind === 'order_paid' || r.kind === 'order_refunded';
    const event: FunnelEventDoc = {
      _id: `${r.kind}:${i}`,
      kind: r.kind,
      memberId: r.member,
      at,
      touch: toTouch(r.touch, at.getTime()),
      firstTouch: toTouch(r.firstTouch, at.getTime()),
      ...(money || r.kind === 'order_created' ? { fen: r.fen } : {}),
      ...(money ? { orderAt: new Date(at.getTime() - r.orderHoursBefore * HOUR) } : {}),
      ...(r.kind === 'visit' ? { attributed: r.attributed } : {}),
      ...(r.kind === 'points_earned' ? { delta: 10 } : {}),
    };
    return { ...event, ...placeOf(event) };
  });
}

/** The definition, counted the slow way over every event of the day at once. */
function bruteForce(events: FunnelEventDoc[], day: string, model: Model, by: Dimension): Map<string, Metrics> {
  const rows = new Map<string, Metrics>();
  const visitors = new Map<string, Set<string>>();
  const payers = new Map<string, Set<string>>();
  for (const e of events.filter((x) => x.day === day)) {
    const key = creditKey(creditedTouch(e, model), by);
    const row = rows.get(key) ?? zeroMetrics();
    rows.set(key, row);
    const add = (map: Map<string, Set<string>>) => map.set(key, (map.get(key) ?? new Set()).add(e.memberId));
    if (e.kind === 'visit') {
      add(visitors);
      if (e.attributed) row.scans += 1;
    } else if (e.kind === 'scan') row.scans += 1;
    else if (e.kind === 'follow') row.followsGained += 1;
    else if (e.kind === 'unfollow') row.followsLost += 1;
    else if (e.kind === 'coupon_claimed') row.claims += 1;
    else if (e.kind === 'order_created') row.orders += 1;
    else if (e.kind === 'order_paid') {
      add(payers);
      row.paidFen += e.fen ?? 0;
    } else if (e.kind === 'order_refunded') row.refundedFen += e.fen ?? 0;
  }
  for (const [key, set] of visitors) (rows.get(key) as Metrics).visitors = set.size;
  for (const [key, set] of payers) (rows.get(key) as Metrics).payers = set.size;
  // Rows of steps that count nothing (a login) exist in neither: drop empty rows on both sides.
  for (const [key, row] of rows) if (METRICS.every((m) => row[m] === 0)) rows.delete(key);
  return rows;
}

function snapshotDay(events: FunnelEventDoc[], day: string, bucketOrder: readonly string[]): SnapshotDoc[] {
  let stored = tallyEntries(emptyTally());
  for (const bucket of bucketOrder) {
    const tally = tallyFromEntries(stored); // a resumed run starts from the saved state
    tallyBucket(
      tally,
      events.filter((e) => e.day === day && e.bucket === bucket),
    );
    stored = tallyEntries(tally);
  }
  const tally = tallyFromEntries(stored);
  return MODELS.flatMap((model) =>
    DIMENSIONS.map((by) => ({
      _id: snapshotId(day, model, by),
      day,
      model,
      by,
      windowDays: 7,
      rows: groupRows(tally, `${model}|${by}` as Group),
      total: tally.total,
    })),
  );
}

const nonEmpty = (rows: SnapshotDoc['rows']) =>
  new Map(rows.filter((row) => METRICS.some((m) => row[m] !== 0)).map(({ key, ...metrics }) => [key, metrics]));

describe('funnel snapshots', () => {
  it('bucket by bucket, in any order and across resumptions, equal a brute-force count under every model', () => {
    fc.assert(
      fc.property(
        fc.array(eventArb, { maxLength: 400 }),
        fc.shuffledSubarray([...ALL_BUCKETS], { minLength: ALL_BUCKETS.length }),
        (raw, order) => {
          const events = materialize(raw);
          for (const day of [DAY0, addDays(DAY0, 1), addDays(DAY0, 2)]) {
            const docs = snapshotDay(events, day, order);
            for (const doc of docs) {
              expect(nonEmpty(doc.rows)).toEqual(bruteForce(events, day, doc.model, doc.by));
              // Every paid and refunded fen of the day is credited to exactly one row.
              const sum = (m: 'paidFen' | 'refundedFen') => doc.rows.reduce((s, row) => s + row[m], 0);
              const dayEvents = events.filter((e) => e.day === day);
              const fen = (kind: string) => dayEvents.filter((e) => e.kind === kind).reduce((s, e) => s + (e.fen ?? 0), 0);
              expect(sum('paidFen')).toBe(fen('order_paid'));
              expect(sum('refundedFen')).toBe(fen('order_refunded'));
              expect(doc.total.paidFen).toBe(fen('order_paid'));
              expect(doc.total.visitors).toBe(new Set(dayEvents.filter((e) => e.kind === 'visit').map((e) => e.memberId)).size);
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('money counts on the day of its order, in Asia/Shanghai', () => {
    const paidAfterMidnight = {
      kind: 'order_paid',
      at: new Date('2026-11-20T16:05:00Z'),
      orderAt: new Date('2026-11-20T15:58:00Z'),
      memberId: 'm1',
    };
    expect(placeOf(paidAfterMidnight).day).toBe('2026-11-20'); // ordered 23:58, paid 00:05
    const refundLater = {
      kind: 'order_refunded',
      at: new Date('2026-11-23T03:00:00Z'),
      orderAt: new Date('2026-11-20T03:00:00Z'),
      memberId: 'm1',
    };
    expect(placeOf(refundLater).day).toBe('2026-11-20');
    expect(placeOf({ kind: 'visit', at: new Date('2026-11-20T16:05:00Z'), memberId: 'm1' }).day).toBe('2026-11-21');
    expect(shanghaiDay(new Date('2026-11-20T16:05:00Z'))).toBe('2026-11-21');
  });

  it('the report over snapshots equals brute force over the period, and its totals equal the rows summed (counts of events)', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 100 }), fc.constantFrom(...MODELS), fc.constantFrom(...DIMENSIONS), (raw, model, by) => {
        const events = materialize(raw);
        const days = [DAY0, addDays(DAY0, 1), addDays(DAY0, 2)];
        const docs = days.flatMap((day) => snapshotDay(events, day, ALL_BUCKETS));
        const table = buildFunnelTable(docs, { from: addDays(DAY0, 1), to: addDays(DAY0, 2) }, model, by);
        const expected = new Map<string, Metrics>();
        for (const day of days.slice(1))
          for (const [key, row] of bruteForce(events, day, model, by)) {
            const sum = expected.get(key) ?? zeroMetrics();
            for (const m of METRICS) sum[m] += row[m];
            expected.set(key, sum);
          }
        const got = new Map(
          table.rows
            .filter((row) => METRICS.some((m) => row[m] !== 0))
            .map((row) => [row.key, Object.fromEntries(METRICS.map((m) => [m, row[m]]))]),
        );
        expect(got).toEqual(expected);
        for (const m of ['scans', 'claims', 'orders', 'paidFen', 'refundedFen'] as const)
          expect(table.totals[m]).toBe(table.rows.reduce((s, row) => s + row[m], 0));
        expect(table.previous).toEqual({ from: addDays(DAY0, -1), to: DAY0 });
        for (const row of table.rows) expect(row.netFen).toBe(row.paidFen - row.refundedFen);
      }),
      { numRuns: 100 },
    );
  });

  it('new members count once, credited to their first touch under every model', () => {
    const tally = emptyTally();
    tallyNewMembers(tally, [
      { _id: 'n1', firstTouch: { scene: 's', article: 'art-a', campaign: null, channel: 'article', sharer: null, at: new Date(START) } },
      { _id: 'n2', firstTouch: null },
    ]);
    expect(tally.total.newMembers).toBe(2);
    for (const model of MODELS) {
      expect(groupRows(tally, `${model}|article`).map((r) => [r.key, r.newMembers])).toEqual([
        ['(direct)', 1],
        ['art-a', 1],
      ]);
      expect(groupRows(tally, `${model}|channel`).map((r) => [r.key, r.newMembers])).toEqual([
        ['article', 1],
        ['direct', 1],
      ]);
    }
  });

  it('change against the previous period: a zero base is "new", never infinity', () => {
    expect(changeOf(5, 0)).toBe('new');
    expect(changeOf(0, 0)).toBe('—');
    expect(changeOf(150, 100)).toBe('+50.0%');
    expect(changeOf(0, 100)).toBe('-100.0%');
    expect(changeOf(-50, -100)).toBe('+50.0%');
    expect(changeOf(1, 3)).toBe('-66.7%');
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: -1e9, max: 1e9 }), (a, b) => {
        expect(changeOf(a, b)).toMatch(/^(new|—|[+-]?\d+\.\d%)$/);
      }),
    );
  });

  it('last non-direct: a touch older than the window is direct; money is measured from the order', () => {
    const touch: EventTouch = { scene: 's', article: 'art-a', campaign: null, channel: 'article', sharer: null, at: new Date(START) };
    const day8 = new Date(START + 8 * 24 * HOUR);
    expect(creditedTouch({ at: day8, touch, firstTouch: touch }, 'last_non_direct')).toBeNull();
    expect(creditedTouch({ at: day8, touch, firstTouch: touch }, 'last')).toEqual(touch);
    expect(creditedTouch({ at: day8, touch, firstTouch: touch, orderAt: new Date(START + 6 * 24 * HOUR) }, 'last_non_direct')).toEqual(
      touch,
    );
  });
});
