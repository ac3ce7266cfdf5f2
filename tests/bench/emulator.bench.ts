/**
 * npm run bench — how fast the Duet local cloud is on this machine. Prints numbers, asserts nothing
 * about time (machines differ; CI must not flake on a slow runner).
 *
 *   a. start-to-ready: the CLI as a child process (as `npm run emulator` runs it, and with
 *      `node --import tsx` to show what the tsx launcher costs) and startEmulator() in-process,
 *      each until GET /_emu/health answers 200.
 *   b. `doc().get()` round trips through the real wx-server-sdk in this process against a local
 *      cloud running as a child process: sequential and with 16 in flight.
 *   c. 1,000 invocations of a trivial function on 4 warm instances, 4 and 16 in flight.
 *   d. /admin requests one `member.login` makes (GET /_emu/stats), for a new and an existing member.
 *   e. cold start of every Duet function (bundle bytes, spawn → module loaded, as GET /_emu/functions
 *      reports it) beside a floor function that only requires wx-server-sdk, as a ratio.
 *   f. the flash sale: 1,000 members fire `coupon.claim` at once at a 100-stock template, through the
 *      functions of build/cloudfunctions (run `npm run build:functions` first) on a local cloud in a
 *      child process with DUET_FUNCTION_INSTANCES (default here 8) instances per function: wall
 *      time, claims per second, p50/p99, database requests per claim (GET /_emu/stats), the ratio to
 *      a no-op invocation, and the invariant (100 coupons, stock 0, 900 sold_out refusals).
 *   o. orders: 500 members each create an order (`order.create`: stock reserved, prepay) and pay it (the
 *      local cloud settles the payment and delivers the callback to `payNotify`), 16 in flight, through
 *      the functions of build/cloudfunctions on a local cloud in a child process: orders per second,
 *      p50/p99 of each step, database requests per creation and per callback (the exact counts are
 *      asserted in tests/integration/order-budget.test.ts), and the invariant (every order paid once,
 *      stock taken once per order, one notice each).
 *   g. group-buy (拼团), through the functions of build/cloudfunctions, each part on a local cloud of its own in a
 *      child process (so one part's payments and documents do not slow the other):
 *      1. 200 groups of 3 filled by 600 members: 200 leaders open and pay (set up first), then 400 friends
 *         join, 16 in flight, then pay seat by seat (each group's second seat, then the seat that fills it):
 *         joins per second, p50/p99 of each step, database requests per join and per payment callback, and
 *         the invariant (200 groups succeeded with 3 paid each, 600 orders paid, activity and SKU stock
 *         taken 600 times, 600 group.succeeded notices).
 *      2. the deadline job for 1,000 failing groups: 1,000 groups of 2 opened and paid by their leader only
 *         (through groupbuy.open and the payments control plane; the set-up time is printed), the clock moved
 *         past the deadline, `expireGroups` run until it says no `more`, then `driveRefunds` until every
 *         refund is submitted to the local cloud's WeChat Pay: wall time, groups per second, database
 *         requests per failed group, and the invariant (1,000 failed, 1,000 refunds, one per paid order).
 *   p. the points mall: 1,000 members (written directly: member with 150 points in one lot, identity, the grant's
 *      ledger entry) fire `points.exchange` at once at a 100-stock coupon item (100 points, 1 per member), through
 *      the functions of build/cloudfunctions on a local cloud in a child process with DUET_FUNCTION_INSTANCES
 *      (default here 8): wall time, exchanges per second, p50/p99, database requests per exchange (GET
 *      /_emu/stats), then 100 sequential exchanges for the cost of one that succeeds, and the invariant (100
 *      done, stockLeft 0, 900 sold_out refusals, 100 coupons to 100 members, and for every member balance =
 *      sum of ledger entries = sum of lots, 50 for a winner, 150 for the others).
 *   n. notices: 2,000 due `order.paid` notices (written directly, as writeNoticeOnce writes them: pending, due, one
 *      unique key each), each member with its app identity and one subscription grant for the kind's template (in the
 *      ledger collection and in the local cloud's WeChat grants), a 50 ms latency fault on `subscribeMessage.send`,
 *      then `noticeAdmin.dispatchNotices` run as the console until its report says `more: false`, through the
 *      functions of build/cloudfunctions on a local cloud in a child process; once at the dispatcher's own
 *      concurrency (the settings' default), once at concurrency 20, and once more with no latency fault (the floor:
 *      what the dispatcher and the local cloud cost without WeChat's latency): wall time, the ideal (2,000 × 50 ms ÷
 *      concurrency), wall / ideal (the goal is ≤ 1.2: printed, not asserted), notices per second, database requests
 *      per notice (GET /_emu/stats), runs, and the invariant (2,000 subscription messages in the outbox for 2,000
 *      distinct notices and pages, every notice sent, no grant below zero).
 *
 *   u. the funnel: 1,000,000 events of one day (100,000 members, the shapes the features write: visits, claims,
 *      orders, payments, refunds, follows, credited to 200 articles), written through the real SDK, then
 *      `funnelAdmin.snapshotFunnel` for that day as the console until it says no `more` (each run within its 40 s
 *      budget, as the scheduler gives it): runs (resumptions), events per second, database requests, total time,
 *      and the invariant (the day's paid fen in the snapshot = the sum over the generated events); then the
 *      30-day × 200-article `funnel` on the snapshots: its database requests and time.
 *
 *   h. 助力 (friend help) on one hot task: a 20-helper task and 200 friends (written directly: member and identity)
 *      firing `help.help` at once, through the functions of build/cloudfunctions on a local cloud in a child process
 *      with DUET_FUNCTION_INSTANCES (default here 8): wall time, answers per second, p50/p99, database requests per
 *      help, and the invariant (20 counted, the task completed once, one coupon, 180 refused); then 10 hot tasks in
 *      turn, each with exactly 20 friends at once (every help must count: seats by conditional update on one
 *      document): counted helps per second.
 *   l. the points lottery: 800 draws by 200 members (written directly with points for 4 draws each: member, identity,
 *      the grant's ledger entry), 16 in flight, on a table whose top prize has 10 units (20% of rolls land on it, the
 *      rest of them fall back), through the functions of build/cloudfunctions on a local cloud in a child process with
 *      DUET_FUNCTION_INSTANCES (default here 8): draws per second, p50/p99, database requests per draw (GET
 *      /_emu/stats), the machine's load, and the invariant (every draw settled or abandoned, none pending; the top
 *      prize at most 10 and stock never below zero; one −price ledger entry per settled draw; every balance = its
 *      ledger sum ≥ 0).
 *
 * `npm run bench -- e` runs only the sections named (any of a b c d e f g h l n o p u).
 */
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  assertNoRealCredentials,
  type CloudClient,
  createCloudClient,
  type RunningEmulator,
  startEmulator,
} from '../../emulator/src/index';
import { buildFunctions } from '../../scripts/lib/build-functions';
import { identityKey, newMemberDoc } from '../../core/member/member';
import { accountFields } from '../../core/points/account';
import { ledgerId } from '../../core/points/ledger';
import noticeTemplates from '../../cloud/subscribe-templates.json';
import { ORDER_DETAIL_PAGE } from '../../core/pages';
import { placeOf } from '../../core/funnel/place';
import { zeroMetrics } from '../../core/funnel/tally';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '../..');
const benchFunctions = path.join(import.meta.dirname, 'fixtures/functions');
const tsxBin = path.join(root, 'node_modules/.bin/tsx');
const cliPath = path.join(root, 'emulator/src/cli.ts');
const STARTS = 5;
const GETS = 2000;
const INVOCATIONS = 1000;
const INSTANCES = 4;
const COLD_STARTS = 9;
const sections = new Set(
  process.argv
    .slice(2)
    .join('')
    .replace(/[^a-hlnopu]/g, '')
    .split('')
    .filter(Boolean),
);
const runs = (section: string) => sections.size === 0 || sections.has(section);

// ---------------------------------------------------------------- helpers

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`;

function summary(samples: number[]): { median: number; min: number; max: number; p95: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), min: sorted[0], max: sorted[sorted.length - 1], p95: percentile(sorted, 95) };
}

/** The status of GET /_emu/health, 0 while nothing listens yet. */
async function health(url: string): Promise<number> {
  try {
    return (await createCloudClient(url).control('GET', '/_emu/health')).status;
  } catch {
    return 0;
  }
}

/** Runs `total` calls of `task` with `concurrency` in flight; returns the wall time and each call's latency. */
async function load(total: number, concurrency: number, task: (i: number) => Promise<void>) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const t0 = performance.now();
        await task(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const wall = performance.now() - started;
  return { wall, latencies: latencies.sort((a, b) => a - b) };
}

function report(label: string, total: number, run: { wall: number; latencies: number[] }, unit: string) {
  const { wall, latencies } = run;
  console.log(
    `  ${label.padEnd(26)} ${String(total).padStart(5)} in ${ms(wall).padStart(10)}  ` +
      `${((total / wall) * 1000).toFixed(0).padStart(6)} ${unit}/s  p50 ${ms(percentile(latencies, 50))}  p95 ${ms(percentile(latencies, 95))}`,
  );
}

interface ChildCloud {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Spawns the CLI and resolves once its banner names the URL; `readyMs` is spawn → first 200 from /_emu/health. */
async function spawnCloud(
  launcher: 'tsx' | 'node --import tsx',
  options: { functionsDir?: string; env?: Record<string, string> } = {},
): Promise<ChildCloud & { readyMs: number }> {
  const args = ['--ephemeral', '--port', '0', '--quiet', '--no-triggers', '--functions', options.functionsDir ?? benchFunctions];
  const spawnOptions: SpawnOptions = { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } };
  const t0 = performance.now();
  const child: ChildProcess =
    launcher === 'tsx'
      ? spawn(tsxBin, [cliPath, ...args], spawnOptions)
      : spawn(process.execPath, ['--import', 'tsx', cliPath, ...args], spawnOptions);
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /ready: (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.once('exit', (code) => reject(new Error(`the local cloud exited (${code}) before it was ready:\n${output}`)));
    child.once('error', reject);
  });
  while ((await health(url)) !== 200) await sleep(5);
  const readyMs = performance.now() - t0;
  // Keep draining its output so a chatty child never blocks on a full pipe.
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    url,
    child,
    readyMs,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Points wx-server-sdk in this process at a local cloud, as a script or test would; returns its env id. */
async function pointSdkAt(url: string): Promise<string> {
  process.env.TCB_CONTEXT_CNFG = JSON.stringify({ URL: `${url}/admin` });
  process.env.TENCENTCLOUD_SECRETID = 'dummy-id';
  process.env.TENCENTCLOUD_SECRETKEY = 'dummy-key';
  process.env.TENCENTCLOUD_RUNENV = 'SCF';
  process.env.TENCENTCLOUD_REGION ??= 'ap-shanghai';
  const { env } = await createCloudClient(url).health();
  process.env.TCB_ENV = env;
  process.env.SCF_NAMESPACE = env;
  return env;
}

/**
 * The real SDK pointed at a local cloud, and calls into its functions: a member's (with an openid)
 * or the console's. `call` answers the envelope; a platform failure (crash, timeout) throws.
 */
async function connectTo(url: string) {
  const client = createCloudClient(url);
  const env = await pointSdkAt(url);
  const sdk = require('wx-server-sdk');
  sdk.init({ env });
  const db = sdk.database();
  const invoke = (name: string, event: Record<string, unknown>, openid?: string) =>
    client.invoke(name, openid ? { event, user: { openid } } : { event, source: 'wx_cloudconsole' });
  const call = async (name: string, event: Record<string, unknown>, openid?: string): Promise<Envelope> => {
    const answer = await invoke(name, event, openid);
    if ('error' in answer) throw new Error(`${name} failed on the platform: ${answer.error.errCode} ${answer.error.errMsg}`);
    return answer.result as Envelope;
  };
  return { client, sdk, db, invoke, call };
}

// ---------------------------------------------------------------- a. start-to-ready

async function benchStart(): Promise<void> {
  console.log(`\na. start-to-ready (spawn/start → GET /_emu/health 200), ${STARTS} runs each, ephemeral, triggers off`);
  const print = (label: string, samples: number[]) => {
    const s = summary(samples);
    console.log(
      `  ${label.padEnd(44)} median ${ms(s.median).padStart(9)}  min ${ms(s.min).padStart(9)}  max ${ms(s.max).padStart(9)}   [${samples.map((v) => v.toFixed(0)).join(', ')}]`,
    );
  };
  for (const launcher of ['tsx', 'node --import tsx'] as const) {
    const samples: number[] = [];
    for (let i = 0; i < STARTS; i++) {
      const cloud = await spawnCloud(launcher);
      samples.push(cloud.readyMs);
      await cloud.stop();
    }
    print(launcher === 'tsx' ? 'child: tsx emulator/src/cli.ts' : 'child: node --import tsx emulator/src/cli.ts', samples);
  }
  const inProcess: number[] = [];
  for (let i = 0; i < STARTS; i++) {
    const t0 = performance.now();
    const emulator = await startEmulator({
      port: 0,
      ephemeral: true,
      quiet: true,
      triggers: false,
      projectRoot: root,
      functionsDir: benchFunctions,
    });
    while ((await health(emulator.url)) !== 200) await sleep(5);
    inProcess.push(performance.now() - t0);
    await emulator.stop();
  }
  print('in-process: startEmulator()', inProcess);
}

// ---------------------------------------------------------------- b. doc().get through the SDK

async function benchDocGet(envId: string): Promise<void> {
  console.log(`\nb. db.collection().doc(id).get() through wx-server-sdk 4.0.2 in this process → local cloud in a child process`);
  const cloud = require('wx-server-sdk');
  cloud.init({ env: envId });
  const db = cloud.database();
  const collection = 'bench_docs';
  await db.createCollection(collection).catch(() => undefined);
  const { _id } = await db.collection(collection).add({ data: { name: 'bench', n: 1, tags: ['a', 'b'], at: new Date() } });
  const get = async () => {
    const { data } = await db.collection(collection).doc(_id).get();
    if (data._id !== _id) throw new Error('read the wrong document');
  };
  for (let i = 0; i < 100; i++) await get(); // warm the SDK, the sockets and the JIT
  report('sequential', GETS, await load(GETS, 1, get), 'req');
  report('concurrency 16', GETS, await load(GETS, 16, get), 'req');
}

// ---------------------------------------------------------------- c. function invocations

async function benchInvocations(client: CloudClient): Promise<void> {
  console.log(`\nc. ${INVOCATIONS} invocations of a trivial function (POST /_emu/functions/noop/invoke), ${INSTANCES} warm instances`);
  const invoke = async (event: Record<string, unknown>) => {
    const answer = await client.invoke('noop', { event });
    if ('error' in answer) throw new Error(`noop failed: ${JSON.stringify(answer.error)}`);
    return (answer.result as { pid: number }).pid;
  };
  // Held concurrent calls make the pool grow to its limit (DUET_FUNCTION_INSTANCES, default 4).
  const t0 = performance.now();
  const warmPids = await Promise.all(Array.from({ length: INSTANCES }, () => invoke({ holdMs: 300 })));
  const warmMs = performance.now() - t0 - 300;
  const listed = await client.functions.list();
  const instances = listed.functions.find((f) => f.name === 'noop')?.instances.total;
  console.log(
    `  warm-up: ${INSTANCES} cold starts in parallel ≈ ${ms(warmMs)} (excluding the 300 ms hold); ` +
      `${new Set(warmPids).size} distinct pids; GET /_emu/functions → ${instances} instances`,
  );
  for (const concurrency of [4, 16]) {
    const pids = new Set<number>();
    const run = await load(INVOCATIONS, concurrency, async () => {
      pids.add(await invoke({}));
    });
    report(`concurrency ${concurrency}`, INVOCATIONS, run, 'inv');
    const newPids = [...pids].filter((pid) => !warmPids.includes(pid));
    console.log(`  ${''.padEnd(26)} ran on ${pids.size} instances (pids) — ${newPids.length} not from the warm-up`);
  }
  const after = await client.functions.list();
  console.log(`  instances after: ${after.functions.find((f) => f.name === 'noop')?.instances.total}`);
}

// ---------------------------------------------------------------- d. database round trips per login

async function benchLoginRoundTrips(): Promise<void> {
  console.log('\nd. /admin requests per member.login (GET /_emu/stats, real functions built by scripts/lib/build-functions)');
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'duet-bench-functions-'));
  let emulator: RunningEmulator | undefined;
  try {
    const t0 = performance.now();
    const built = await buildFunctions({ root, outDir });
    console.log(`  built ${built.map((f) => `${f.name} (${(f.bytes / 1024).toFixed(0)} kB)`).join(', ')} in ${ms(performance.now() - t0)}`);
    emulator = await startEmulator({ port: 0, ephemeral: true, quiet: true, triggers: false, projectRoot: root, functionsDir: outDir });
    const client = createCloudClient(emulator.url);
    const stats = async () => (await client.stats()).counts;
    const diff = (before: Record<string, number>, after: Record<string, number>) => {
      const out: Record<string, number> = {};
      for (const [key, value] of Object.entries(after)) if (value - (before[key] ?? 0) > 0) out[key] = value - (before[key] ?? 0);
      return out;
    };
    const login = async (persona: string) => {
      const t = performance.now();
      const answer = await client.invoke('member', { event: { action: 'login' }, persona });
      const envelope = 'result' in answer ? (answer.result as { ok?: boolean; data?: { _id: string } }) : undefined;
      if (!envelope?.ok || !envelope.data) throw new Error(`member.login failed: ${JSON.stringify(answer)}`);
      return { ms: performance.now() - t, id: envelope.data._id };
    };
    const line = (label: string, counts: Record<string, number>, took: number) => {
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      const parts = Object.entries(counts)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      console.log(`  ${label.padEnd(37)} ${String(total).padStart(2)} requests  (${parts})  [${ms(took)}]`);
    };

    await client.reset();
    let before = await stats();
    const first = await login('alice');
    let after = await stats();
    line('new member, unionid (alice; cold)', diff(before, after), first.ms);
    before = after;
    const again = await login('alice');
    after = await stats();
    if (again.id !== first.id) throw new Error('the second login made another member');
    line('existing member, unionid (alice)', diff(before, after), again.ms);
    // carol has no unionid: the app identity alone decides.
    before = after;
    const carol = await login('carol');
    after = await stats();
    line('new member, no unionid (carol)', diff(before, after), carol.ms);
    before = after;
    const carolAgain = await login('carol');
    after = await stats();
    if (carolAgain.id !== carol.id) throw new Error('the second login made another member');
    line('existing member, no unionid (carol)', diff(before, after), carolAgain.ms);

    const warm: number[] = [];
    for (let i = 0; i < 50; i++) warm.push((await login('alice')).ms);
    const s = summary(warm);
    console.log(`  existing-member login, warm, 50 sequential: p50 ${ms(s.median)}  p95 ${ms(s.p95)}  min ${ms(s.min)}  max ${ms(s.max)}`);
  } finally {
    await emulator?.stop();
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- e. cold starts

const FLOOR = 'floor';

async function benchColdStarts(): Promise<void> {
  console.log(
    `\ne. cold starts: ${COLD_STARTS} per function, each after POST /_emu/reset { coldStarts: true } (which kills instances); ` +
      'GET /_emu/functions → lastColdStart',
  );
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'duet-bench-cold-'));
  let emulator: RunningEmulator | undefined;
  try {
    const built = await buildFunctions({ root, outDir });
    // The floor: what any function pays before its own code (Node start-up plus wx-server-sdk).
    fs.mkdirSync(path.join(outDir, FLOOR));
    const floorSource =
      "'use strict';\nconst cloud = require('wx-server-sdk');\nexports.main = async () => ({ ok: typeof cloud.init === 'function' });\n";
    fs.writeFileSync(path.join(outDir, FLOOR, 'index.js'), floorSource);
    const functions = [{ name: FLOOR, bytes: Buffer.byteLength(floorSource) }, ...built];
    emulator = await startEmulator({ port: 0, ephemeral: true, quiet: true, triggers: false, projectRoot: root, functionsDir: outDir });
    const client = createCloudClient(emulator.url);
    const samples = new Map<string, { ms: number[]; loadMs: number[] }>(functions.map((f) => [f.name, { ms: [], loadMs: [] }]));
    // Interleaved rounds, so a burst of load on the machine spreads over all functions alike.
    for (let round = 0; round < COLD_STARTS; round++) {
      for (const fn of functions) {
        await client.reset({ coldStarts: true });
        // Any event: an unknown action still loads the module first.
        await client.invoke(fn.name, { event: { action: '__bench__' } });
        const listed = await client.functions.list();
        const cold = listed.functions.find((f) => f.name === fn.name)?.lastColdStart;
        if (!cold) throw new Error(`no cold start recorded for ${fn.name}`);
        samples.get(fn.name)?.ms.push(cold.ms);
        samples.get(fn.name)?.loadMs.push(cold.loadMs);
      }
    }
    const floor = samples.get(FLOOR);
    if (!floor) throw new Error('no floor samples');
    const floorMs = summary(floor.ms).median;
    const floorLoad = summary(floor.loadMs).median;
    console.log(
      `  ${'function'.padEnd(12)} ${'bundle'.padStart(9)}  ${'cold start'.padStart(11)} ${'× floor'.padStart(8)}  ${'module load'.padStart(11)} ${'× floor'.padStart(8)}`,
    );
    for (const fn of functions) {
      const sample = samples.get(fn.name);
      if (!sample) continue;
      const cold = summary(sample.ms).median;
      const loadMs = summary(sample.loadMs).median;
      console.log(
        `  ${fn.name.padEnd(12)} ${`${(fn.bytes / 1024).toFixed(1)} KB`.padStart(9)}  ${ms(cold).padStart(11)} ${(cold / floorMs).toFixed(2).padStart(8)}  ` +
          `${ms(loadMs).padStart(11)} ${(loadMs / floorLoad).toFixed(2).padStart(8)}`,
      );
    }
    console.log('  (medians; cold start = spawn → module loaded as the local cloud saw it; module load = require() of index.js)');

    // What a test suite pays per test and function: a plain reset reloads the idle instance in place.
    const RESET_NAMES = ['member', 'order', 'admin'];
    console.log(`  reset then the first call, ${COLD_STARTS} rounds each (medians):`);
    for (const name of RESET_NAMES) {
      const times: Record<'reload' | 'cold', number[]> = { reload: [], cold: [] };
      await client.invoke(name, { event: { action: '__bench__' } });
      for (let round = 0; round < COLD_STARTS; round++) {
        for (const mode of ['reload', 'cold'] as const) {
          const started = performance.now();
          await client.reset({ coldStarts: mode === 'cold' });
          await client.invoke(name, { event: { action: '__bench__' } });
          times[mode].push(performance.now() - started);
          // Back to one warm instance for the next round's plain reset.
          if (mode === 'cold') await client.invoke(name, { event: { action: '__bench__' } });
        }
      }
      console.log(
        `  ${name.padEnd(12)} reload in place ${ms(summary(times.reload).median).padStart(9)}   kill and cold start ${ms(summary(times.cold).median).padStart(9)}`,
      );
    }
  } finally {
    await emulator?.stop();
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- f. flash sale

const FLASH_MEMBERS = 1000;
const FLASH_STOCK = 100;
const FLASH_INSTANCES = process.env.DUET_FUNCTION_INSTANCES ?? '8';
/** Sequential calls for the per-call cost (no queueing): claims of a second template, and no-ops. */
const SEQUENTIAL = 200;

interface Envelope {
  ok: boolean;
  code?: string;
  reason?: string;
  data?: any;
}

const outcomeOf = (answer: Envelope) =>
  answer.ok ? (answer.data?.repeated ? 'repeated' : 'issued') : `${answer.code}/${answer.reason ?? '-'}`;

async function benchFlashSale(): Promise<void> {
  const built = path.join(root, 'build/cloudfunctions');
  if (!fs.existsSync(path.join(built, 'coupon/index.js')) || !fs.existsSync(path.join(built, 'couponAdmin/index.js'))) {
    throw new Error(`f. needs the built functions in ${built}: run \`npm run build:functions\` first`);
  }
  console.log(
    `\nf. flash sale: ${FLASH_MEMBERS} members claim a ${FLASH_STOCK}-stock template at once (coupon.claim, functions of build/cloudfunctions), ` +
      `local cloud in a child process, DUET_FUNCTION_INSTANCES=${FLASH_INSTANCES}`,
  );
  // One folder for the built functions and the no-op, so both run on the same local cloud.
  const functionsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'duet-bench-flash-'));
  fs.cpSync(built, functionsDir, { recursive: true });
  fs.cpSync(path.join(benchFunctions, 'noop'), path.join(functionsDir, 'noop'), { recursive: true });
  const cloud = await spawnCloud('tsx', { functionsDir, env: { DUET_FUNCTION_INSTANCES: FLASH_INSTANCES } });
  try {
    const { client, db, invoke, call } = await connectTo(cloud.url);
    const databaseRequests = async () => {
      const { counts } = await client.stats();
      let total = 0;
      const byAction: Record<string, number> = {};
      for (const [action, n] of Object.entries(counts)) {
        if (!action.startsWith('database.')) continue;
        total += n;
        byAction[action] = n;
      }
      return { total, byAction };
    };
    const instancesOf = async (name: string) =>
      (await client.functions.list()).functions.find((f) => f.name === name)?.instances.total ?? 0;

    // The claim window is open from an hour ago on the local cloud's clock.
    const now = new Date((await client.health()).time);
    const template = (id: string, totalStock: number) => ({
      action: 'createCouponTemplate',
      id,
      listed: true,
      template: {
        name: '秒杀立减券',
        terms: { kind: 'threshold_off', threshold: 9900, amountOff: 2000 },
        validity: { type: 'days_after_claim', days: 7 },
        totalStock,
        perMemberLimit: 1,
        claimWindow: {
          startsAt: new Date(now.getTime() - 3_600_000).toISOString(),
          endsAt: new Date(now.getTime() + 86_400_000).toISOString(),
        },
        eligibility: 'anyone',
        scope: 'all',
      },
    });
    for (const [id, stock] of [
      ['tpl-flash', FLASH_STOCK],
      ['tpl-cost', SEQUENTIAL],
    ] as const) {
      const made = await call('couponAdmin', template(id, stock));
      if (!made.ok) throw new Error(`createCouponTemplate ${id} failed: ${JSON.stringify(made)}`);
    }
    console.log(`  couponAdmin.createCouponTemplate: tpl-flash (${FLASH_STOCK} stock, 1 per member)`);

    const openids = Array.from({ length: FLASH_MEMBERS }, (_, i) => `o-flash-${String(i).padStart(4, '0')}`);
    const logins = await load(FLASH_MEMBERS, 32, async (i) => {
      const answer = await call('member', { action: 'login' }, openids[i]);
      if (!answer.ok) throw new Error(`member.login of ${openids[i]} failed: ${JSON.stringify(answer)}`);
    });
    report('member.login, 32 in flight', FLASH_MEMBERS, logins, 'login');

    // Warm every instance first, so the sale measures claims rather than cold starts: held no-ops,
    // and a burst of coupon.center calls (reads, no stock taken).
    const instances = Number(FLASH_INSTANCES);
    await Promise.all(Array.from({ length: instances }, () => call('noop', { holdMs: 300 })));
    await Promise.all(openids.slice(0, instances * 4).map((openid) => call('coupon', { action: 'center' }, openid)));
    console.log(
      `  warm instances: coupon ${await instancesOf('coupon')}, noop ${await instancesOf('noop')} (limit ${instances} per function)`,
    );
    if (instances > os.cpus().length) {
      // Claims then really interleave, but the instances and the local cloud also share the CPUs: on a
      // small or busy machine a claim can outlive its function timeout (counted below as a platform error).
      console.log(`  note: ${instances} instances per function on ${os.cpus().length} CPUs (load ${os.loadavg()[0].toFixed(2)})`);
    }

    // The sale: every claim in flight at once.
    const before = await databaseRequests();
    const outcomes = new Map<string, number>();
    const latencies: number[] = [];
    const started = performance.now();
    await Promise.all(
      openids.map(async (openid, i) => {
        const t0 = performance.now();
        const answer = await invoke(
          'coupon',
          { action: 'claim', templateId: 'tpl-flash', requestId: `flash-${String(i).padStart(8, '0')}` },
          openid,
        );
        latencies.push(performance.now() - t0);
        // A platform failure (crash, timeout) is counted, not thrown: the invariant below says what it cost.
        const outcome = 'error' in answer ? `platform error ${answer.error.errCode}` : outcomeOf(answer.result as Envelope);
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }),
    );
    const wall = performance.now() - started;
    const after = await databaseRequests();
    latencies.sort((a, b) => a - b);
    const claimP50 = percentile(latencies, 50);
    const perClaim = (after.total - before.total) / FLASH_MEMBERS;
    const breakdown = Object.entries(after.byAction)
      .map(([action, n]) => [action, n - (before.byAction[action] ?? 0)] as const)
      .filter(([, n]) => n > 0)
      .map(([action, n]) => `${action.replace('database.', '')} ${n}`)
      .join(', ');
    console.log(`  ${FLASH_MEMBERS} claims at once: wall ${ms(wall)}, ${((FLASH_MEMBERS / wall) * 1000).toFixed(0)} claims/s`);
    console.log(
      `  claim latency (queueing included): p50 ${ms(claimP50)}  p99 ${ms(percentile(latencies, 99))}  max ${ms(latencies[latencies.length - 1])}`,
    );
    console.log(`  database requests: ${after.total - before.total} = ${perClaim.toFixed(2)} per claim  (${breakdown})`);
    console.log(`  coupon instances after the sale: ${await instancesOf('coupon')}`);

    // The same burst of no-ops: what the platform alone costs at this concurrency.
    const noopLatencies: number[] = [];
    const noopStarted = performance.now();
    await Promise.all(
      openids.map(async (openid) => {
        const t0 = performance.now();
        await call('noop', {}, openid);
        noopLatencies.push(performance.now() - t0);
      }),
    );
    const noopWall = performance.now() - noopStarted;
    noopLatencies.sort((a, b) => a - b);
    const noopP50 = percentile(noopLatencies, 50);
    console.log(
      `  ${FLASH_MEMBERS} no-ops at once:  wall ${ms(noopWall)}, p50 ${ms(noopP50)}  p99 ${ms(percentile(noopLatencies, 99))}` +
        `  → claim p50 / no-op p50 = ${(claimP50 / noopP50).toFixed(1)}×`,
    );

    // One call at a time: the cost of a claim itself, without the queue in front of it.
    const sequentialNoop = await load(SEQUENTIAL, 1, async (i) => {
      await call('noop', {}, openids[i]);
    });
    const costBefore = await databaseRequests();
    const sequentialClaims = await load(SEQUENTIAL, 1, async (i) => {
      const answer = await call(
        'coupon',
        { action: 'claim', templateId: 'tpl-cost', requestId: `cost-${String(i).padStart(8, '0')}` },
        openids[i],
      );
      if (!answer.ok) throw new Error(`sequential claim ${i} failed: ${JSON.stringify(answer)}`);
    });
    const costAfter = await databaseRequests();
    const seqClaimP50 = percentile(sequentialClaims.latencies, 50);
    const seqNoopP50 = percentile(sequentialNoop.latencies, 50);
    console.log(
      `  ${SEQUENTIAL} sequential, warm: claim p50 ${ms(seqClaimP50)} p99 ${ms(percentile(sequentialClaims.latencies, 99))}, ` +
        `no-op p50 ${ms(seqNoopP50)} p99 ${ms(percentile(sequentialNoop.latencies, 99))} → claim / no-op = ${(seqClaimP50 / seqNoopP50).toFixed(1)}×, ` +
        `${((costAfter.total - costBefore.total) / SEQUENTIAL).toFixed(2)} database requests per claim`,
    );

    // The invariant, from the answers and from the database through the SDK.
    const issued = outcomes.get('issued') ?? 0;
    const soldOut = outcomes.get('RESOURCE_EXHAUSTED/sold_out') ?? 0;
    const stored = (await db.collection('coupons').where({ templateId: 'tpl-flash' }).count()).total as number;
    const { data: flash } = await db.collection('coupon_templates').doc('tpl-flash').get();
    const holders: { data: Array<{ memberId: string }> } = await db
      .collection('coupons')
      .where({ templateId: 'tpl-flash' })
      .field({ memberId: true })
      .limit(1000)
      .get();
    const distinctHolders = new Set(holders.data.map((coupon) => coupon.memberId)).size;
    const outcomeText = [...outcomes.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([outcome, n]) => `${outcome} ${n}`)
      .join(', ');
    const holds =
      issued === FLASH_STOCK &&
      soldOut === FLASH_MEMBERS - FLASH_STOCK &&
      outcomes.size === 2 &&
      stored === FLASH_STOCK &&
      distinctHolders === FLASH_STOCK &&
      flash.stockLeft === 0;
    // Whatever happened, never more than the stock: a platform failure may strand a unit (reconcileCoupons gives it back), never issue one.
    const oversold = stored > FLASH_STOCK || flash.stockLeft < 0 || stored + flash.stockLeft > FLASH_STOCK || distinctHolders !== stored;
    console.log(
      `  invariant: answers ${outcomeText}; coupons stored ${stored} (${distinctHolders} distinct members); stockLeft ${flash.stockLeft} ` +
        `→ ${holds ? 'OK' : oversold ? 'VIOLATED: oversold' : 'NOT MET (nothing oversold)'} ` +
        `(expected ${FLASH_STOCK} issued, ${FLASH_MEMBERS - FLASH_STOCK} RESOURCE_EXHAUSTED/sold_out, ${FLASH_STOCK} coupons, 0 stock left)`,
    );
    if (oversold) throw new Error('flash sale: more coupons than stock (see above)');
  } finally {
    await cloud.stop();
    fs.rmSync(functionsDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- o. orders

const ORDERS = 500;
const ORDER_CONCURRENCY = 16;
const ORDER_INSTANCES = process.env.DUET_FUNCTION_INSTANCES ?? '8';
const ORDER_STOCK = 10_000;
const PNG_1PX = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415478da63f8cfc0000003010100c9fe92ef0000000049454e44ae426082',
  'hex',
);

async function benchOrders(): Promise<void> {
  const built = path.join(root, 'build/cloudfunctions');
  for (const name of ['order', 'payNotify', 'shopAdmin', 'member']) {
    if (!fs.existsSync(path.join(built, name, 'index.js'))) {
      throw new Error(`o. needs the built functions in ${built}: run \`npm run build:functions\` first`);
    }
  }
  console.log(
    `\no. orders: ${ORDERS} members create an order and pay it (order.create, then the payment settled and its callback ` +
      `delivered to payNotify), ${ORDER_CONCURRENCY} in flight; functions of build/cloudfunctions, local cloud in a child process, ` +
      `DUET_FUNCTION_INSTANCES=${ORDER_INSTANCES}`,
  );
  const cloud = await spawnCloud('tsx', { functionsDir: built, env: { DUET_FUNCTION_INSTANCES: ORDER_INSTANCES } });
  try {
    const { client, sdk, db, call } = await connectTo(cloud.url);
    const counts = async () => (await client.stats()).counts;
    const databaseOf = (before: Record<string, number>, after: Record<string, number>) => {
      let total = 0;
      const byAction: Record<string, number> = {};
      for (const [action, n] of Object.entries(after)) {
        const made = n - (before[action] ?? 0);
        if (!action.startsWith('database.') || made <= 0) continue;
        total += made;
        byAction[action.replace('database.', '')] = made;
      }
      return { total, byAction };
    };
    const perOrder = (before: Record<string, number>, after: Record<string, number>, n: number) => {
      const { total, byAction } = databaseOf(before, after);
      const parts = Object.entries(byAction)
        .map(([action, made]) => `${action} ${(made / n).toFixed(2)}`)
        .join(', ');
      const pay = ((after['wx.wxPayApi'] ?? 0) - (before['wx.wxPayApi'] ?? 0)) / n;
      return `${(total / n).toFixed(2)} database requests each (${parts}); cloudPay calls ${pay.toFixed(2)} each`;
    };

    // A product with one SKU stocked for every order, its image in the local cloud's storage.
    const image = (await sdk.uploadFile({ cloudPath: 'products/bench.png', fileContent: PNG_1PX })).fileID as string;
    const made = await call('shopAdmin', {
      action: 'createProduct',
      id: 'prd-bench',
      product: {
        name: '压测商品',
        description: 'bench',
        images: [image],
        onShelf: true,
        skus: [{ id: 'sku-bench', specs: { 规格: '标准' }, price: 9900, stock: ORDER_STOCK }],
      },
    });
    if (!made.ok) throw new Error(`createProduct failed: ${JSON.stringify(made)}`);

    const openids = Array.from({ length: ORDERS }, (_, i) => `o-buyer-${String(i).padStart(4, '0')}`);
    const logins = await load(ORDERS, 32, async (i) => {
      const answer = await call('member', { action: 'login' }, openids[i]);
      if (!answer.ok) throw new Error(`member.login of ${openids[i]} failed: ${JSON.stringify(answer)}`);
    });
    report('member.login, 32 in flight', ORDERS, logins, 'login');

    // Warm every instance of both functions first, so the run measures orders rather than cold starts:
    // order.counts (reads only), and payNotify called by a member (refused at once, changes nothing).
    const instances = Number(ORDER_INSTANCES);
    await Promise.all(openids.slice(0, instances).map((openid) => call('order', { action: 'counts' }, openid)));
    await Promise.all(openids.slice(0, instances).map((openid) => client.invoke('payNotify', { event: {}, user: { openid } })));
    const listed = (await client.functions.list()).functions;
    const instancesOf = (name: string) => listed.find((f) => f.name === name)?.instances.total ?? 0;
    console.log(`  warm instances: order ${instancesOf('order')}, payNotify ${instancesOf('payNotify')} (limit ${instances} per function)`);
    if (instances > os.cpus().length) {
      console.log(`  note: ${instances} instances per function on ${os.cpus().length} CPUs (load ${os.loadavg()[0].toFixed(2)})`);
    }

    const address = { name: '张三', phone: '13800138000', region: '浙江省 杭州市 西湖区', detail: '文三路 100 号' };
    const orderIds: string[] = new Array(ORDERS);
    const createLatencies: number[] = [];
    const settleLatencies: number[] = [];
    const failures = new Map<string, number>();
    const fail = (what: string) => failures.set(what, (failures.get(what) ?? 0) + 1);

    // Each worker takes the next member and runs its order through: create, then pay.
    const before = await counts();
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: ORDER_CONCURRENCY }, async () => {
        while (next < ORDERS) {
          const i = next++;
          let t0 = performance.now();
          const created = await client.invoke('order', {
            event: {
              action: 'create',
              lines: [{ skuId: 'sku-bench', quantity: 1 }],
              requestId: `bench-${String(i).padStart(8, '0')}`,
              address,
            },
            user: { openid: openids[i] },
          });
          createLatencies.push(performance.now() - t0);
          const envelope = 'result' in created ? (created.result as Envelope) : undefined;
          if (!envelope?.ok || !envelope.data?.payment) {
            fail(`create: ${'error' in created ? `platform error ${created.error.errCode}` : outcomeOf(envelope as Envelope)}`);
            continue;
          }
          orderIds[i] = envelope.data.order.orderId;
          t0 = performance.now();
          const settled = await client.payments.settle(orderIds[i]);
          settleLatencies.push(performance.now() - t0);
          if (!settled.deliveries[0]?.acked) fail('callback not acknowledged');
        }
      }),
    );
    const wall = performance.now() - started;
    const after = await counts();
    createLatencies.sort((a, b) => a - b);
    settleLatencies.sort((a, b) => a - b);
    const paid = orderIds.filter(Boolean).length;
    console.log(`  ${ORDERS} orders created and paid: wall ${ms(wall)}, ${((paid / wall) * 1000).toFixed(1)} orders/s`);
    console.log(
      `  create            p50 ${ms(percentile(createLatencies, 50))}  p99 ${ms(percentile(createLatencies, 99))}  max ${ms(createLatencies[createLatencies.length - 1])}`,
    );
    console.log(
      `  settle + callback p50 ${ms(percentile(settleLatencies, 50))}  p99 ${ms(percentile(settleLatencies, 99))}  max ${ms(settleLatencies[settleLatencies.length - 1])}`,
    );
    console.log(`  per order (create + callback): ${perOrder(before, after, ORDERS)}`);

    // Each step alone, one at a time on the warm instances, for its own request count and cost.
    const SAMPLE = 50;
    const sampleIds: string[] = [];
    const createBefore = await counts();
    const sequentialCreates = await load(SAMPLE, 1, async (i) => {
      const answer = await call(
        'order',
        { action: 'create', lines: [{ skuId: 'sku-bench', quantity: 1 }], requestId: `bench-seq-${String(i).padStart(6, '0')}`, address },
        openids[i],
      );
      if (!answer.ok) throw new Error(`sequential create ${i} failed: ${JSON.stringify(answer)}`);
      sampleIds.push(answer.data.order.orderId);
    });
    const createAfter = await counts();
    const sequentialSettles = await load(SAMPLE, 1, async (i) => {
      const settled = await client.payments.settle(sampleIds[i]);
      if (!settled.deliveries[0]?.acked) throw new Error(`callback ${i} not acknowledged`);
    });
    const settleAfter = await counts();
    console.log(
      `  ${SAMPLE} sequential, warm: create p50 ${ms(percentile(sequentialCreates.latencies, 50))} p99 ${ms(percentile(sequentialCreates.latencies, 99))}; ` +
        `settle + callback p50 ${ms(percentile(sequentialSettles.latencies, 50))} p99 ${ms(percentile(sequentialSettles.latencies, 99))}`,
    );
    console.log(`  per creation: ${perOrder(createBefore, createAfter, SAMPLE)}`);
    console.log(`  per callback: ${perOrder(createAfter, settleAfter, SAMPLE)}`);

    // The invariant, from the database through the SDK.
    const total = ORDERS + SAMPLE;
    const ordersPaid = (await db.collection('orders').where({ state: 'paid' }).count()).total as number;
    const ordersAll = (await db.collection('orders').count()).total as number;
    const confirmed = (await db.collection('stock_reservations').where({ state: 'confirmed' }).count()).total as number;
    const notices = (await db.collection('notices').where({ kind: 'order.paid' }).count()).total as number;
    const { data: sku } = await db.collection('skus').doc('sku-bench').get();
    const failureText = [...failures.entries()].map(([what, n]) => `${what} ${n}`).join(', ') || 'none';
    const holds =
      failures.size === 0 &&
      ordersAll === total &&
      ordersPaid === total &&
      confirmed === total &&
      notices === total &&
      sku.stock === ORDER_STOCK - total;
    console.log(
      `  invariant: orders ${ordersAll}, paid ${ordersPaid}, reservations confirmed ${confirmed}, order.paid notices ${notices}, ` +
        `stock ${sku.stock} of ${ORDER_STOCK}; failures: ${failureText} → ${holds ? 'OK' : 'NOT MET'} (expected ${total} of each, stock ${ORDER_STOCK - total})`,
    );
    if (sku.stock < 0 || confirmed > total || notices > total) throw new Error('orders: stock oversold or an order paid twice (see above)');
  } finally {
    await cloud.stop();
  }
}

// ---------------------------------------------------------------- g. group-buy

const GB_GROUPS = 200;
const GB_SIZE = 3;
const GB_FAILING = 1000;
const GB_CONCURRENCY = 16;
const GB_INSTANCES = process.env.DUET_FUNCTION_INSTANCES ?? '8';
const GB_SKU_STOCK = 10_000;
const GB_FILL_STOCK = 1000;
const GB_FAIL_STOCK = 2000;
/** Job runs one after another; a job that never says "no more" is a bug, not a long wait. */
const GB_MAX_JOB_RUNS = 500;
const GB_ADDRESS = { name: '张三', phone: '13800138000', region: '浙江省 杭州市 西湖区', detail: '文三路 100 号' };

/** Database requests (by action) and cloudPay calls between two GET /_emu/stats, per `n`. */
function perEach(before: Record<string, number>, after: Record<string, number>, n: number): string {
  let database = 0;
  const byAction: Record<string, number> = {};
  for (const [action, count] of Object.entries(after)) {
    const made = count - (before[action] ?? 0);
    if (!action.startsWith('database.') || made <= 0) continue;
    database += made;
    byAction[action.replace('database.', '')] = made;
  }
  const pay = (after['wx.wxPayApi'] ?? 0) - (before['wx.wxPayApi'] ?? 0);
  const parts = Object.entries(byAction)
    .map(([action, made]) => `${action} ${(made / n).toFixed(2)}`)
    .join(', ');
  return `${(database / n).toFixed(2)} database requests each (${parts})${pay ? `; cloudPay calls ${(pay / n).toFixed(2)} each` : ''}`;
}

const p50p99 = (latencies: number[]) =>
  `p50 ${ms(percentile(latencies, 50))}  p99 ${ms(percentile(latencies, 99))}  max ${ms(latencies[latencies.length - 1])}`;

/**
 * A local cloud of its own for one part of g (so one part's payments and documents never slow the
 * other): a product and a group-buy activity on it, `members` logged in, every instance of the
 * functions measured warmed. Answers what the part needs to drive and check it.
 */
async function groupBuyCloud(
  kind: string,
  activity: { size: number; fillHours: number; stock: number },
  members: number,
  instances: number,
) {
  const cloud = await spawnCloud('tsx', {
    functionsDir: path.join(root, 'build/cloudfunctions'),
    env: { DUET_FUNCTION_INSTANCES: String(instances) },
  });
  const { client, sdk, db, invoke, call } = await connectTo(cloud.url);
  const failures = new Map<string, number>();
  const fail = (what: string) => failures.set(what, (failures.get(what) ?? 0) + 1);
  const activityId = `gb-${kind}`;
  const skuId = `sku-gb-${kind}`;
  const openids = Array.from({ length: members }, (_unused, i) => `o-gb-${kind}-${String(i).padStart(4, '0')}`);
  try {
    const image = (await sdk.uploadFile({ cloudPath: `products/bench-${kind}.png`, fileContent: PNG_1PX })).fileID as string;
    const product = await call('shopAdmin', {
      action: 'createProduct',
      id: `prd-gb-${kind}`,
      product: {
        name: '拼团压测商品',
        description: 'bench',
        images: [image],
        onShelf: true,
        skus: [{ id: skuId, specs: { 规格: '标准' }, price: 9900, stock: GB_SKU_STOCK }],
      },
    });
    if (!product.ok) throw new Error(`createProduct failed: ${JSON.stringify(product)}`);
    const now = new Date((await client.health()).time);
    const made = await call('groupbuyAdmin', {
      action: 'createGroupBuy',
      id: activityId,
      activity: {
        title: '压测拼团',
        productId: `prd-gb-${kind}`,
        skus: [{ skuId, groupPrice: 5900 }],
        ...activity,
        startAt: new Date(now.getTime() - 3_600_000).toISOString(),
        endAt: new Date(now.getTime() + 7 * 86_400_000).toISOString(),
      },
    });
    if (!made.ok) throw new Error(`createGroupBuy failed: ${JSON.stringify(made)}`);

    const logins = await load(members, 32, async (i) => {
      const answer = await call('member', { action: 'login' }, openids[i]);
      if (!answer.ok) throw new Error(`member.login of ${openids[i]} failed: ${JSON.stringify(answer)}`);
    });
    report('member.login, 32 in flight', members, logins, 'login');

    // Warm every instance of the functions measured: groupbuy.list (reads only), payNotify called by a
    // member (refused at once, changes nothing), and the deadline job with nothing due.
    await Promise.all(openids.slice(0, instances * 2).map((openid) => call('groupbuy', { action: 'list' }, openid)));
    await Promise.all(openids.slice(0, instances).map((openid) => invoke('payNotify', {}, openid)));
    await call('scheduler', { action: 'run', jobs: ['expireGroups'] });
    const listed = (await client.functions.list()).functions;
    const instancesOf = (name: string) => listed.find((f) => f.name === name)?.instances.total ?? 0;
    console.log(
      `  warm instances: groupbuy ${instancesOf('groupbuy')}, payNotify ${instancesOf('payNotify')}, scheduler ${instancesOf('scheduler')} ` +
        `(limit ${instances} per function)`,
    );
    if (instances > os.cpus().length) {
      console.log(`  note: ${instances} instances per function on ${os.cpus().length} CPUs (load ${os.loadavg()[0].toFixed(2)})`);
    }
  } catch (error) {
    await cloud.stop();
    throw error;
  }

  return {
    cloud,
    client,
    db,
    call,
    activityId,
    skuId,
    openids,
    failures,
    counts: async () => (await client.stats()).counts,
    countOf: async (collection: string, where: Record<string, unknown>) =>
      (await db.collection(collection).where(where).count()).total as number,
    docsOf: async (collection: string, where: Record<string, unknown>) =>
      (await db.collection(collection).where(where).limit(1000).get()).data as any[],
    /** `groupbuy.open` or `.join` as member `i`: the group and order, or undefined (the refusal counted). */
    seat: async (i: number, target: { activityId: string } | { groupId: string }, requestId: string) => {
      const action = 'groupId' in target ? 'join' : 'open';
      const answer = await invoke('groupbuy', { action, ...target, skuId, requestId, address: GB_ADDRESS }, openids[i]);
      const envelope = 'result' in answer ? (answer.result as Envelope) : undefined;
      if (!envelope?.ok) {
        fail(`${action}: ${'error' in answer ? `platform error ${answer.error.errCode}` : outcomeOf(envelope as Envelope)}`);
        return undefined;
      }
      return { groupId: envelope.data.group.groupId as string, orderId: envelope.data.order.orderId as string };
    },
    /** The payment settled through the local cloud's control plane, its callback delivered to payNotify. */
    settle: async (orderId: string | undefined, what: string) => {
      if (!orderId) return;
      const settled = await client.payments.settle(orderId);
      if (!settled.deliveries[0]?.acked) fail(`${what}: callback not acknowledged`);
    },
    failureText: () => [...failures.entries()].map(([what, n]) => `${what} ${n}`).join(', ') || 'none',
  };
}

async function benchGroupBuy(): Promise<void> {
  const built = path.join(root, 'build/cloudfunctions');
  for (const name of ['groupbuy', 'groupbuyAdmin', 'payNotify', 'scheduler', 'shopAdmin', 'member']) {
    if (!fs.existsSync(path.join(built, name, 'index.js'))) {
      throw new Error(`g. needs the built functions in ${built}: run \`npm run build:functions\` first`);
    }
  }
  console.log(
    `\ng. group-buy: functions of build/cloudfunctions, a local cloud in a child process for each part, ` +
      `DUET_FUNCTION_INSTANCES=${GB_INSTANCES}, ${GB_CONCURRENCY} in flight`,
  );
  await benchGroupsFilling();
  await benchGroupsFailing();
}

/** g.1: groups that fill. Leaders open and pay first; then friends join, then pay seat by seat. */
async function benchGroupsFilling(): Promise<void> {
  const seats = GB_GROUPS * GB_SIZE;
  const friends = GB_GROUPS * (GB_SIZE - 1);
  console.log(
    `  1. ${GB_GROUPS} groups of ${GB_SIZE} filled by ${seats} members (activity stock ${GB_FILL_STOCK}, SKU stock ${GB_SKU_STOCK})`,
  );
  const gb = await groupBuyCloud('fill', { size: GB_SIZE, fillHours: 24, stock: GB_FILL_STOCK }, seats, Number(GB_INSTANCES));
  try {
    const { activityId, counts } = gb;
    const leaders: Array<{ groupId: string; orderId: string } | undefined> = new Array(GB_GROUPS);
    let before = await counts();
    const opens = await load(GB_GROUPS, GB_CONCURRENCY, async (g) => {
      leaders[g] = await gb.seat(g, { activityId }, `gb-open-${String(g).padStart(8, '0')}`);
    });
    let after = await counts();
    const perOpen = perEach(before, after, GB_GROUPS);
    before = after;
    const leaderPays = await load(GB_GROUPS, GB_CONCURRENCY, (g) => gb.settle(leaders[g]?.orderId, 'leader'));
    after = await counts();
    const perLeaderPay = perEach(before, after, GB_GROUPS);
    console.log(
      `     leaders open (set-up)          ${p50p99(opens.latencies)}  (${((GB_GROUPS / opens.wall) * 1000).toFixed(1)} opens/s)`,
    );
    console.log(`     leaders pay: settle + callback ${p50p99(leaderPays.latencies)}`);
    console.log(`     per open: ${perOpen}`);
    console.log(`     per leader's callback (opens the group): ${perLeaderPay}`);

    // Friends 2g and 2g+1 join group g: taken from the queue one after the other, they race for its seats.
    const friendOrders: Array<string | undefined> = new Array(friends);
    before = await counts();
    const joins = await load(friends, GB_CONCURRENCY, async (j) => {
      const groupId = leaders[Math.floor(j / (GB_SIZE - 1))]?.groupId;
      if (groupId) friendOrders[j] = (await gb.seat(GB_GROUPS + j, { groupId }, `gb-join-${String(j).padStart(8, '0')}`))?.orderId;
    });
    after = await counts();
    const perJoin = perEach(before, after, friends);
    // Each group's payments in seat order: the seats before the last (the group stays open), then the seats that fill it.
    const settleLatencies: number[] = [];
    const waves: string[] = [];
    for (let seat = 0; seat < GB_SIZE - 1; seat++) {
      const wave = Array.from({ length: GB_GROUPS }, (_unused, g) => friendOrders[g * (GB_SIZE - 1) + seat]);
      const filling = seat === GB_SIZE - 2;
      before = await counts();
      const paid = await load(GB_GROUPS, GB_CONCURRENCY, (g) => gb.settle(wave[g], 'friend'));
      after = await counts();
      settleLatencies.push(...paid.latencies);
      waves.push(
        `     per callback, seat ${seat + 2} of ${GB_SIZE}${filling ? ' (fills the group: success, notices)' : ''}: ${perEach(before, after, GB_GROUPS)}` +
          `  [p50 ${ms(percentile(paid.latencies, 50))}, p99 ${ms(percentile(paid.latencies, 99))}]`,
      );
    }
    settleLatencies.sort((a, b) => a - b);
    console.log(
      `     ${friends} joins, ${GB_CONCURRENCY} in flight: wall ${ms(joins.wall)}, ${((friends / joins.wall) * 1000).toFixed(1)} joins/s`,
    );
    console.log(`     join                           ${p50p99(joins.latencies)}`);
    console.log(`     friends pay: settle + callback ${p50p99(settleLatencies)}`);
    console.log(`     per join: ${perJoin}`);
    for (const line of waves) console.log(line);

    const groups = await gb.docsOf('groups', { activityId });
    const filled = groups.filter(
      (group) =>
        group.state === 'succeeded' &&
        group.paid === GB_SIZE &&
        group.taken === GB_SIZE &&
        new Set(group.paidBy).size === GB_SIZE &&
        group.paidBy.every((member: string) => group.heldBy.includes(member)) &&
        !!group.settledAt,
    ).length;
    const orders = await gb.countOf('orders', { 'group.activityId': activityId });
    const paid = await gb.countOf('orders', { 'group.activityId': activityId, state: 'paid', 'group.state': 'succeeded' });
    const notices = await gb.countOf('notices', { kind: 'group.succeeded' });
    const { data: activity } = await gb.db.collection('groupbuy_activities').doc(activityId).get();
    const { data: sku } = await gb.db.collection('skus').doc(gb.skuId).get();
    const holds =
      gb.failures.size === 0 &&
      groups.length === GB_GROUPS &&
      filled === GB_GROUPS &&
      orders === seats &&
      paid === seats &&
      notices === seats &&
      activity.stockLeft === GB_FILL_STOCK - seats &&
      sku.stock === GB_SKU_STOCK - seats;
    console.log(
      `     invariant: groups ${groups.length}, succeeded with ${GB_SIZE} paid ${filled}; orders ${orders}, paid and succeeded ${paid}; ` +
        `group.succeeded notices ${notices}; activity stockLeft ${activity.stockLeft} of ${GB_FILL_STOCK}; SKU stock ${sku.stock} of ${GB_SKU_STOCK}; ` +
        `failures: ${gb.failureText()} → ${holds ? 'OK' : 'NOT MET'} ` +
        `(expected ${GB_GROUPS} groups, ${seats} orders and notices, stockLeft ${GB_FILL_STOCK - seats}, SKU ${GB_SKU_STOCK - seats})`,
    );
    if (activity.stockLeft < 0 || sku.stock < 0 || groups.some((group) => group.paid > group.size || group.taken > group.size)) {
      throw new Error('group-buy: stock oversold or a group over-full (see above)');
    }
  } finally {
    await gb.cloud.stop();
  }
}

/** g.2: the deadline job for groups that do not fill, and the refunds it reserves. */
async function benchGroupsFailing(): Promise<void> {
  console.log(`  2. the deadline job: ${GB_FAILING} open groups of 2, each with only its leader paid (activity stock ${GB_FAIL_STOCK})`);
  const gb = await groupBuyCloud('fail', { size: 2, fillHours: 1, stock: GB_FAIL_STOCK }, GB_FAILING, Number(GB_INSTANCES));
  try {
    const { activityId, client, call, counts } = gb;
    // Set up through the real path only: each leader opens (groupbuy.open) and pays (settled by the control plane).
    const leaders: Array<{ groupId: string; orderId: string } | undefined> = new Array(GB_FAILING);
    const started = performance.now();
    const opens = await load(GB_FAILING, GB_CONCURRENCY, async (i) => {
      leaders[i] = await gb.seat(i, { activityId }, `gb-fail-${String(i).padStart(8, '0')}`);
    });
    const pays = await load(GB_FAILING, GB_CONCURRENCY, (i) => gb.settle(leaders[i]?.orderId, 'leader'));
    const setupWall = performance.now() - started;
    const openGroups = await gb.countOf('groups', { activityId, state: 'open', paid: 1 });
    console.log(
      `     set-up: ${openGroups} open groups in ${ms(setupWall)} (${((GB_FAILING / setupWall) * 1000).toFixed(1)} groups/s); ` +
        `open ${p50p99(opens.latencies)} (${ms(opens.wall)}); settle + callback ${p50p99(pays.latencies)} (${ms(pays.wall)})`,
    );

    // Past every deadline (1 hour after opening), then the job as the timer would run it, again while it says `more`.
    await client.clock.advance(2 * 3_600_000);
    const runJob = async (job: string) => {
      const answer = await call('scheduler', { action: 'run', jobs: [job] });
      if (!answer.ok) throw new Error(`scheduler ${job} failed: ${JSON.stringify(answer)}`);
      const run = answer.data.jobs[0] as { ran: boolean; ms: number; result?: Record<string, any>; error?: string };
      if (!run.ran || run.error || !run.result) throw new Error(`scheduler ${job} did not run: ${JSON.stringify(run)}`);
      return run;
    };
    const runUntilDone = async (job: string) => {
      const runs: Array<Awaited<ReturnType<typeof runJob>>> = [];
      const before = await counts();
      const t0 = performance.now();
      do {
        if (runs.length >= GB_MAX_JOB_RUNS) throw new Error(`${job} keeps saying more`);
        runs.push(await runJob(job));
      } while (runs[runs.length - 1].result?.more);
      const wall = performance.now() - t0;
      const after = await counts();
      const sum = (key: string) => runs.reduce((total, run) => total + Number(run.result?.[key] ?? 0), 0);
      const jobMs = runs.reduce((total, run) => total + run.ms, 0);
      return { runs, wall, before, after, sum, jobMs };
    };

    const expiry = await runUntilDone('expireGroups');
    const failed = expiry.sum('failed');
    console.log(
      `     expireGroups: ${expiry.runs.length} runs, wall ${ms(expiry.wall)} (in the job ${ms(expiry.jobMs)}; per run ` +
        `${expiry.runs.map((run) => run.ms).join(', ')} ms); ${failed} failed, ${expiry.sum('errors')} errors → ` +
        `${((failed / expiry.wall) * 1000).toFixed(1)} groups/s`,
    );
    console.log(`     per failed group: ${perEach(expiry.before, expiry.after, Math.max(1, failed))}`);

    const refunding = await runUntilDone('driveRefunds');
    const submitted = refunding.sum('submitted');
    console.log(
      `     driveRefunds: ${refunding.runs.length} runs, wall ${ms(refunding.wall)} (in the job ${ms(refunding.jobMs)}); ${submitted} submitted ` +
        `(${refunding.sum('retried')} retried, ${refunding.sum('failed')} failed, ${refunding.sum('busy')} busy) → ` +
        `${((submitted / refunding.wall) * 1000).toFixed(1)} refunds/s`,
    );
    console.log(`     per refund submitted: ${perEach(refunding.before, refunding.after, Math.max(1, submitted))}`);

    const _ = gb.db.command;
    const failedGroups = await gb.countOf('groups', { activityId, state: 'failed', settledAt: _.exists(true) });
    const stillOpen = await gb.countOf('groups', { activityId, state: 'open' });
    const refunds = await gb.docsOf('refunds', { reason: 'group_failed' });
    const refundCount = await gb.countOf('refunds', { reason: 'group_failed' });
    const refundsSubmitted = await gb.countOf('refunds', { reason: 'group_failed', state: 'submitted' });
    const leaderOrders = new Set(leaders.flatMap((seat) => (seat ? [seat.orderId] : [])));
    const refundedOrders = new Set(refunds.map((refund) => refund.orderId));
    const onePerOrder = refundedOrders.size === refunds.length && [...leaderOrders].every((orderId) => refundedOrders.has(orderId));
    // WeChat Pay's side: each paid leader's payment holds exactly one refund.
    const ledger = (await client.payments.list()).payments.filter((payment) => leaderOrders.has(payment.outTradeNo));
    const ledgerOnce = ledger.filter((payment) => payment.refunds.length === 1).length;
    const notices = await gb.countOf('notices', { kind: 'group.failed' });
    const { data: activity } = await gb.db.collection('groupbuy_activities').doc(activityId).get();
    const holds =
      gb.failures.size === 0 &&
      leaderOrders.size === GB_FAILING &&
      failed === GB_FAILING &&
      failedGroups === GB_FAILING &&
      stillOpen === 0 &&
      refundCount === GB_FAILING &&
      refundsSubmitted === GB_FAILING &&
      onePerOrder &&
      ledgerOnce === GB_FAILING &&
      notices === GB_FAILING &&
      activity.stockLeft === GB_FAIL_STOCK;
    console.log(
      `     invariant: groups failed and settled ${failedGroups}, still open ${stillOpen}; refunds ${refundCount} (${refundsSubmitted} submitted, ` +
        `for ${refundedOrders.size} orders, ${onePerOrder ? 'one per paid leader' : 'NOT one per paid leader'}); payments with exactly one refund ` +
        `${ledgerOnce}; group.failed notices ${notices}; activity stockLeft ${activity.stockLeft} of ${GB_FAIL_STOCK}; ` +
        `failures: ${gb.failureText()} → ${holds ? 'OK' : 'NOT MET'} (expected ${GB_FAILING} of each, stockLeft ${GB_FAIL_STOCK})`,
    );
    if (refundCount > GB_FAILING || ledger.some((payment) => payment.refunds.length > 1)) {
      throw new Error('group-buy: a payment refunded twice (see above)');
    }
  } finally {
    await gb.cloud.stop();
  }
}

// ---------------------------------------------------------------- p. points mall

const MALL_MEMBERS = 1000;
const MALL_STOCK = 100;
const MALL_POINTS = 100;
/** Every member holds enough for one exchange (and not two). */
const MALL_GRANT = 150;
const MALL_INSTANCES = process.env.DUET_FUNCTION_INSTANCES ?? '8';
/** The mini-program's appid the local cloud is started with: the seeded identities are keyed by it. */
const MALL_APPID = 'wxd0e7000000000001';
/** Sequential exchanges (of a second item) for the cost of one that succeeds. */
const MALL_SEQUENTIAL = 100;

const LOTTERY_MEMBERS = 200;
const LOTTERY_DRAWS_EACH = 4;
const LOTTERY_PRICE = 10;
const LOTTERY_CONCURRENCY = 16;

// ---------------------------------------------------------------- l. points lottery

async function benchLottery(): Promise<void> {
  const built = path.join(root, 'build/cloudfunctions');
  for (const name of ['lottery', 'lotteryAdmin', 'couponAdmin']) {
    if (!fs.existsSync(path.join(built, name, 'index.js'))) {
      throw new Error(`l. needs the built functions in ${built}: run \`npm run build:functions\` first`);
    }
  }
  const total = LOTTERY_MEMBERS * LOTTERY_DRAWS_EACH;
  console.log(
    `\nl. points lottery: ${total} draws by ${LOTTERY_MEMBERS} members, ${LOTTERY_CONCURRENCY} in flight, top prize 10 units ` +
      `(20% of rolls), functions of build/cloudfunctions, local cloud in a child process, DUET_FUNCTION_INSTANCES=${MALL_INSTANCES}`,
  );
  const cloud = await spawnCloud('tsx', {
    functionsDir: built,
    env: { DUET_FUNCTION_INSTANCES: MALL_INSTANCES, DUET_MINI_APPID: MALL_APPID },
  });
  try {
    const { client, db, invoke, call } = await connectTo(cloud.url);
    const counts = async () => (await client.stats()).counts;
    const now = new Date((await client.health()).time);
    const window = {
      startsAt: new Date(now.getTime() - 3_600_000).toISOString(),
      endsAt: new Date(now.getTime() + 86_400_000).toISOString(),
    };
    for (const id of ['tpl-lot-top', 'tpl-lot-second']) {
      const made = await call('couponAdmin', {
        action: 'createCouponTemplate',
        id,
        template: {
          name: '抽奖券',
          terms: { kind: 'no_threshold', amountOff: 500 },
          validity: { type: 'days_after_claim', days: 7 },
          totalStock: 10_000,
          perMemberLimit: 100,
          claimWindow: window,
          eligibility: 'anyone',
          scope: 'all',
        },
      });
      if (!made.ok) throw new Error(`createCouponTemplate ${id} failed: ${JSON.stringify(made)}`);
    }
    const lottery = await call('lotteryAdmin', {
      action: 'createLottery',
      id: 'lt-bench',
      lottery: {
        title: '压测抽奖',
        price: LOTTERY_PRICE,
        perMemberDaily: 20,
        startAt: window.startsAt,
        endAt: new Date(now.getTime() + 7 * 86_400_000).toISOString(),
        prizes: [
          { id: 'top', kind: 'coupon', title: '大奖券', odds: 2000, stock: 10, templateId: 'tpl-lot-top', fallback: 'second' },
          { id: 'second', kind: 'coupon', title: '5元券', odds: 2000, stock: 100, templateId: 'tpl-lot-second', fallback: 'pts' },
          { id: 'pts', kind: 'points', title: '5积分', odds: 2000, stock: 100_000, points: 5 },
          { id: 'thanks', kind: 'thanks', title: '谢谢参与', odds: 4000 },
        ],
      },
    });
    if (!lottery.ok) throw new Error(`createLottery failed: ${JSON.stringify(lottery)}`);

    const grant = LOTTERY_PRICE * LOTTERY_DRAWS_EACH;
    const openids = Array.from({ length: LOTTERY_MEMBERS }, (_, i) => `o-lot-${String(i).padStart(4, '0')}`);
    const memberIds = openids.map((openid) => `m-${openid}`);
    const account = { balance: grant, lots: [{ expiresAt: null, left: grant }] };
    const seeded = await load(LOTTERY_MEMBERS, 32, async (i) => {
      const memberId = memberIds[i];
      await db.collection('members').add({ data: { ...newMemberDoc(memberId, null, now), ...accountFields({}, account), pointsSeq: 1 } });
      await db.collection('identities').add({
        data: { _id: identityKey(MALL_APPID, openids[i]), memberId, kind: 'app', appid: MALL_APPID, openid: openids[i], createdAt: now },
      });
      await db.collection('points_ledger').add({
        data: {
          _id: ledgerId(`admin:bench-lottery-${i}`),
          memberId,
          delta: grant,
          source: 'admin',
          title: '平台赠送',
          balanceAfter: grant,
          at: now,
          seq: 1,
          expiresAt: null,
          operator: 'bench',
          reason: '压测',
        },
      });
    });
    report('seed (member, identity, entry)', LOTTERY_MEMBERS, seeded, 'member');
    await Promise.all(openids.slice(0, Number(MALL_INSTANCES) * 2).map((openid) => call('lottery', { action: 'show' }, openid)));

    const loadBefore = os.loadavg()[0];
    const before = await counts();
    const outcomes = new Map<string, number>();
    const run = await load(total, LOTTERY_CONCURRENCY, async (i) => {
      // Draw i is member i mod N's (i div N)-th: a member's draws are spread over the run, as people draw.
      const answer = await invoke(
        'lottery',
        { action: 'draw', lotteryId: 'lt-bench', requestId: `bench-${String(i).padStart(6, '0')}` },
        openids[i % LOTTERY_MEMBERS],
      );
      const envelope = 'error' in answer ? null : (answer.result as Envelope);
      const outcome = !envelope ? 'platform error' : envelope.ok ? 'ok' : `${envelope.code}/${envelope.reason ?? '-'}`;
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    });
    const after = await counts();
    console.log(
      `  ${total} draws, ${LOTTERY_CONCURRENCY} in flight: wall ${ms(run.wall)}, ${((total / run.wall) * 1000).toFixed(1)} draws/s`,
    );
    console.log(
      `  draw latency: p50 ${ms(percentile(run.latencies, 50))}  p99 ${ms(percentile(run.latencies, 99))}  max ${ms(run.latencies[run.latencies.length - 1])}`,
    );
    console.log(`  per draw: ${perEach(before, after, total)}`);
    console.log(`  load average (1 min) before ${loadBefore.toFixed(2)}, after ${os.loadavg()[0].toFixed(2)} on ${os.cpus().length} CPUs`);

    const draws = (
      await db
        .collection('lottery_draws')
        .where({ lotteryId: 'lt-bench' })
        .field({ memberId: true, state: true, prizeId: true, pointsTaken: true })
        .limit(1000)
        .get()
    ).data as Array<{ memberId: string; state: string; prizeId: string | null; pointsTaken: boolean }>;
    const done = draws.filter((d) => d.state === 'done');
    const pending = draws.filter((d) => d.state === 'pending').length;
    const stock = (await db.collection('lottery_stock').where({ lotteryId: 'lt-bench' }).limit(10).get()).data as Array<{
      prizeId: string;
      stock: number;
      stockLeft: number;
    }>;
    const stockOk = stock.every((s) => s.stockLeft >= 0 && s.stock - s.stockLeft === done.filter((d) => d.prizeId === s.prizeId).length);
    const top = done.filter((d) => d.prizeId === 'top').length;
    const spends = (await db.collection('points_ledger').where({ source: 'lottery' }).field({ delta: true }).limit(1000).get())
      .data as Array<{ delta: number }>;
    const _ = db.command;
    const sums = (await db
      .collection('points_ledger')
      .aggregate()
      .match({ memberId: _.in(memberIds) })
      .group({ _id: '$memberId', total: _.aggregate.sum('$delta') })
      .limit(1000)
      .end()) as { list: Array<{ _id: string; total: number }> };
    const ledgerOf = new Map(sums.list.map((row) => [row._id, row.total]));
    const members = (
      await db
        .collection('members')
        .where({ _id: _.in(memberIds) })
        .field({ points: true })
        .limit(1000)
        .get()
    ).data as Array<{
      _id: string;
      points: number;
    }>;
    const unbalanced = members.filter((m) => m.points < 0 || ledgerOf.get(m._id) !== m.points).length;
    const holds =
      draws.length === total &&
      pending === 0 &&
      top <= 10 &&
      stockOk &&
      spends.length === done.length &&
      spends.every((e) => e.delta === -LOTTERY_PRICE) &&
      unbalanced === 0;
    const outcomeText = [...outcomes.entries()].map(([outcome, n]) => `${outcome} ${n}`).join(', ');
    console.log(
      `  invariant: answers ${outcomeText}; draws ${draws.length} (done ${done.length}, pending ${pending}); top prizes ${top} of 10; ` +
        `stock ${stock.map((s) => `${s.prizeId} ${s.stockLeft}/${s.stock}`).join(', ')}; lottery ledger entries ${spends.length}; ` +
        `members unbalanced or negative ${unbalanced} of ${members.length} → ${holds ? 'OK' : 'VIOLATED'}`,
    );
  } finally {
    await cloud.stop();
  }
}

async function benchPointsMall(): Promise<void> {
  const built = path.join(root, 'build/cloudfunctions');
  for (const name of ['points', 'pointsAdmin', 'couponAdmin']) {
    if (!fs.existsSync(path.join(built, name, 'index.js'))) {
      throw new Error(`p. needs the built functions in ${built}: run \`npm run build:functions\` first`);
    }
  }
  console.log(
    `\np. points mall: ${MALL_MEMBERS} members fire points.exchange at once at a ${MALL_STOCK}-stock coupon item ` +
      `(${MALL_POINTS} points, 1 per member; each member holds ${MALL_GRANT}), functions of build/cloudfunctions, ` +
      `local cloud in a child process, DUET_FUNCTION_INSTANCES=${MALL_INSTANCES}`,
  );
  const cloud = await spawnCloud('tsx', {
    functionsDir: built,
    env: { DUET_FUNCTION_INSTANCES: MALL_INSTANCES, DUET_MINI_APPID: MALL_APPID },
  });
  try {
    const { client, db, invoke, call } = await connectTo(cloud.url);
    const counts = async () => (await client.stats()).counts;
    const now = new Date((await client.health()).time);

    // The coupon the item gives, and two items: the one raced for, and one for the sequential cost.
    const template = await call('couponAdmin', {
      action: 'createCouponTemplate',
      id: 'tpl-mall-bench',
      template: {
        name: '积分兑换券',
        terms: { kind: 'no_threshold', amountOff: 500 },
        validity: { type: 'days_after_claim', days: 7 },
        totalStock: 10_000,
        perMemberLimit: 10,
        claimWindow: {
          startsAt: new Date(now.getTime() - 3_600_000).toISOString(),
          endsAt: new Date(now.getTime() + 86_400_000).toISOString(),
        },
        eligibility: 'anyone',
        scope: 'all',
      },
    });
    if (!template.ok) throw new Error(`createCouponTemplate failed: ${JSON.stringify(template)}`);
    for (const [id, stock] of [
      ['mi-bench', MALL_STOCK],
      ['mi-cost', MALL_SEQUENTIAL],
    ] as const) {
      const made = await call('pointsAdmin', {
        action: 'createMallItem',
        id,
        item: {
          kind: 'coupon',
          title: '5元券',
          points: MALL_POINTS,
          templateId: 'tpl-mall-bench',
          stock,
          perMemberLimit: 1,
          startAt: new Date(now.getTime() - 3_600_000).toISOString(),
          endAt: new Date(now.getTime() + 7 * 86_400_000).toISOString(),
        },
      });
      if (!made.ok) throw new Error(`createMallItem ${id} failed: ${JSON.stringify(made)}`);
    }

    // Members as a login and a console grant leave them: the member with its points in one lot, its
    // identity, and the grant's ledger entry (so every ledger sums to its balance from the start).
    const openids = Array.from({ length: MALL_MEMBERS }, (_, i) => `o-mall-${String(i).padStart(4, '0')}`);
    const memberIds = openids.map((openid) => `m-${openid}`);
    const account = { balance: MALL_GRANT, lots: [{ expiresAt: null, left: MALL_GRANT }] };
    const seeded = await load(MALL_MEMBERS, 32, async (i) => {
      const memberId = memberIds[i];
      await db.collection('members').add({ data: { ...newMemberDoc(memberId, null, now), ...accountFields({}, account), pointsSeq: 1 } });
      await db.collection('identities').add({
        data: { _id: identityKey(MALL_APPID, openids[i]), memberId, kind: 'app', appid: MALL_APPID, openid: openids[i], createdAt: now },
      });
      await db.collection('points_ledger').add({
        data: {
          _id: ledgerId(`admin:bench-grant-${i}`),
          memberId,
          delta: MALL_GRANT,
          source: 'admin',
          title: '平台赠送',
          balanceAfter: MALL_GRANT,
          at: now,
          seq: 1,
          expiresAt: null,
          operator: 'bench',
          reason: '压测',
        },
      });
    });
    report('seed (member, identity, entry)', MALL_MEMBERS, seeded, 'member');

    // Warm every instance first (the mall page: reads only), so the burst measures exchanges, not cold starts.
    const instances = Number(MALL_INSTANCES);
    await Promise.all(openids.slice(0, instances * 4).map((openid) => call('points', { action: 'mall' }, openid)));
    const instancesOf = async (name: string) =>
      (await client.functions.list()).functions.find((f) => f.name === name)?.instances.total ?? 0;
    console.log(`  warm instances: points ${await instancesOf('points')} (limit ${instances} per function)`);
    if (instances > os.cpus().length) {
      console.log(`  note: ${instances} instances per function on ${os.cpus().length} CPUs (load ${os.loadavg()[0].toFixed(2)})`);
    }

    // The burst: every exchange in flight at once (as many workers as members).
    const before = await counts();
    const outcomes = new Map<string, number>();
    const { wall, latencies } = await load(MALL_MEMBERS, MALL_MEMBERS, async (i) => {
      const answer = await invoke(
        'points',
        { action: 'exchange', itemId: 'mi-bench', requestId: `mall-${String(i).padStart(8, '0')}` },
        openids[i],
      );
      // A platform failure (crash, timeout) is counted, not thrown: the invariant below says what it cost.
      const envelope = 'error' in answer ? null : (answer.result as Envelope);
      const outcome = !envelope
        ? `platform error ${'error' in answer ? answer.error.errCode : ''}`
        : envelope.ok
          ? `ok/${envelope.data?.exchange?.state}`
          : `${envelope.code}/${envelope.reason ?? '-'}`;
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    });
    const after = await counts();
    console.log(
      `  ${MALL_MEMBERS} exchanges at once: wall ${ms(wall)}, ${((MALL_MEMBERS / wall) * 1000).toFixed(0)} exchanges/s (answers, won or refused)`,
    );
    console.log(
      `  exchange latency (queueing included): p50 ${ms(percentile(latencies, 50))}  p99 ${ms(percentile(latencies, 99))}  max ${ms(latencies[latencies.length - 1])}`,
    );
    console.log(`  per exchange of the burst: ${perEach(before, after, MALL_MEMBERS)}`);

    // The invariant, from the answers and from the database through the SDK.
    const _ = db.command;
    const { data: item } = await db.collection('mall_items').doc('mi-bench').get();
    const exchanges = (
      await db.collection('exchanges').where({ itemId: 'mi-bench' }).field({ memberId: true, state: true }).limit(1000).get()
    ).data as Array<{ memberId: string; state: string }>;
    const done = exchanges.filter((x) => x.state === 'done');
    const pending = exchanges.filter((x) => x.state === 'pending').length;
    const coupons = (await db.collection('coupons').where({ templateId: 'tpl-mall-bench' }).field({ memberId: true }).limit(1000).get())
      .data as Array<{ memberId: string }>;
    const holders = new Set(coupons.map((c) => c.memberId));
    const members = (
      await db
        .collection('members')
        .where({ _id: _.in(memberIds.slice(0, 500)) })
        .field({ points: true, pointLots: true })
        .limit(500)
        .get()
    ).data.concat(
      (
        await db
          .collection('members')
          .where({ _id: _.in(memberIds.slice(500)) })
          .field({ points: true, pointLots: true })
          .limit(500)
          .get()
      ).data,
    ) as Array<{ _id: string; points: number; pointLots: Array<{ left: number }> }>;
    const sums = (await db
      .collection('points_ledger')
      .aggregate()
      .group({ _id: '$memberId', total: _.aggregate.sum('$delta') })
      .limit(2000)
      .end()) as { list: Array<{ _id: string; total: number }> };
    const ledgerOf = new Map(sums.list.map((row) => [row._id, row.total]));
    const unbalanced = members.filter((m) => {
      const lots = (m.pointLots ?? []).reduce((total, lot) => total + lot.left, 0);
      const expected = holders.has(m._id) ? MALL_GRANT - MALL_POINTS : MALL_GRANT;
      return m.points !== expected || ledgerOf.get(m._id) !== m.points || lots !== m.points;
    }).length;
    const exchanged = outcomes.get('ok/done') ?? 0;
    const soldOut = outcomes.get('RESOURCE_EXHAUSTED/sold_out') ?? 0;
    const outcomeText = [...outcomes.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([outcome, n]) => `${outcome} ${n}`)
      .join(', ');
    const holds =
      exchanged === MALL_STOCK &&
      soldOut === MALL_MEMBERS - MALL_STOCK &&
      outcomes.size === 2 &&
      item.stockLeft === 0 &&
      done.length === MALL_STOCK &&
      pending === 0 &&
      coupons.length === MALL_STOCK &&
      holders.size === MALL_STOCK &&
      done.every((x) => holders.has(x.memberId)) &&
      members.length === MALL_MEMBERS &&
      unbalanced === 0;
    const oversold = item.stockLeft < 0 || done.length > MALL_STOCK || coupons.length > MALL_STOCK || holders.size !== coupons.length;
    console.log(
      `  invariant: answers ${outcomeText}; exchanges done ${done.length}, pending ${pending}; stockLeft ${item.stockLeft}; ` +
        `coupons ${coupons.length} (${holders.size} members); members whose balance, ledger sum and lots disagree or are wrong ` +
        `${unbalanced} of ${members.length} → ${holds ? 'OK' : oversold ? 'VIOLATED: oversold' : 'NOT MET (nothing oversold)'} ` +
        `(expected ${MALL_STOCK} done, ${MALL_MEMBERS - MALL_STOCK} RESOURCE_EXHAUSTED/sold_out, stockLeft 0, ` +
        `${MALL_STOCK} coupons, every member balanced at ${MALL_GRANT - MALL_POINTS} or ${MALL_GRANT})`,
    );

    // One at a time on the warm instances: the cost of an exchange that succeeds, without the queue.
    const buyers = members.filter((m) => !holders.has(m._id)).slice(0, MALL_SEQUENTIAL);
    const openidOf = new Map(memberIds.map((memberId, i) => [memberId, openids[i]]));
    const costBefore = await counts();
    const sequential = await load(buyers.length, 1, async (i) => {
      const answer = await call(
        'points',
        { action: 'exchange', itemId: 'mi-cost', requestId: `mall-cost-${String(i).padStart(6, '0')}` },
        openidOf.get(buyers[i]._id),
      );
      if (!answer.ok || answer.data?.exchange?.state !== 'done')
        throw new Error(`sequential exchange ${i} failed: ${JSON.stringify(answer)}`);
    });
    const costAfter = await counts();
    console.log(
      `  ${buyers.length} sequential, warm, all done: p50 ${ms(percentile(sequential.latencies, 50))} p99 ${ms(percentile(sequential.latencies, 99))}; ` +
        `per exchange: ${perEach(costBefore, costAfter, buyers.length)}`,
    );
    if (oversold) throw new Error('points mall: more exchanges than stock (see above)');
  } finally {
    await cloud.stop();
  }
}

// ---------------------------------------------------------------- n. notices

const NOTICES_DUE = 2000;
const NOTICE_KIND = 'order.paid';
/** The kind's subscription template, as the dispatcher sends it (cloud/subscribe-templates.json). */
const NOTICE_TEMPLATE = noticeTemplates.notices[NOTICE_KIND].template;
/** WeChat's latency on every subscription message, injected as a delay fault. */
const NOTICE_SEND_MS = 50;
/** The second run's concurrency (the contract allows 1-50). */
const NOTICE_WIDE = 20;
const NOTICE_APPID = 'wxd0e7000000000001';
/** Runs one after another; a dispatcher that never says "no more" is a bug, not a long wait. */
const NOTICE_MAX_RUNS = 50;

interface NoticeBenchRun {
  label: string;
  concurrency: number;
  wall: number;
  ideal: number;
  ok: boolean;
}

async function benchNotices(): Promise<void> {
  const built = path.join(root, 'build/cloudfunctions');
  if (!fs.existsSync(path.join(built, 'noticeAdmin', 'index.js'))) {
    throw new Error(`n. needs the built functions in ${built}: run \`npm run build:functions\` first`);
  }
  console.log(
    `\nn. notices: ${NOTICES_DUE} due ${NOTICE_KIND} notices (${NOTICE_TEMPLATE}), each member holding one grant; ` +
      `subscribeMessage.send delayed ${NOTICE_SEND_MS} ms; noticeAdmin.dispatchNotices as the console until more: false; ` +
      'functions of build/cloudfunctions, local cloud in a child process',
  );
  const cloud = await spawnCloud('tsx', { functionsDir: built, env: { DUET_MINI_APPID: NOTICE_APPID } });
  try {
    const connection = await connectTo(cloud.url);
    const results: NoticeBenchRun[] = [];
    results.push(await noticeRun(connection, undefined, NOTICE_SEND_MS));
    results.push(await noticeRun(connection, NOTICE_WIDE, NOTICE_SEND_MS));
    // The floor: the same dispatch with WeChat answering at once, so what is not WeChat's latency shows on its own.
    const floor = await noticeRun(connection, undefined, 0);
    console.log('  summary:');
    for (const r of results) {
      console.log(
        `    ${r.label.padEnd(44)} wall ${ms(r.wall).padStart(10)}  ideal ${ms(r.ideal).padStart(10)}  ` +
          `wall/ideal ${(r.wall / r.ideal).toFixed(2)}  invariant ${r.ok ? 'OK' : 'NOT MET'}`,
      );
    }
    console.log(
      `    ${floor.label.padEnd(44)} wall ${ms(floor.wall).padStart(10)}  (no latency: the dispatcher and the local cloud alone)  ` +
        `invariant ${floor.ok ? 'OK' : 'NOT MET'}`,
    );
  } finally {
    await cloud.stop();
  }
}

/**
 * One dispatch of a fresh set of notices on a freshly reset local cloud; `concurrency` undefined: the dispatcher's
 * own; `sendMs` 0: no latency fault.
 */
async function noticeRun(
  connection: Awaited<ReturnType<typeof connectTo>>,
  concurrency: number | undefined,
  sendMs: number,
): Promise<NoticeBenchRun> {
  const { client, db, call } = connection;
  await client.reset();
  const counts = async () => (await client.stats()).counts;

  // The concurrency the dispatcher uses when not told: the settings (DEFAULT_CONCURRENCY unless an operator changed it).
  // This also starts the noticeAdmin instance, so the dispatch below measures no cold start.
  const settings = await call('noticeAdmin', { action: 'noticeSettings' });
  if (!settings.ok) throw new Error(`noticeSettings failed: ${JSON.stringify(settings)}`);
  const used = concurrency ?? (settings.data.settings.concurrency as number);
  const label =
    (concurrency === undefined ? `default concurrency (${used})` : `concurrency ${used} (dispatchNotices input)`) +
    (sendMs === 0 ? ', no latency' : '');
  console.log(`  ${label}:`);

  // Notices as a paid order leaves them (server/order/order-notices.ts through writeNoticeOnce), due a minute ago
  // on the local cloud's clock; members as a login leaves them, with one accepted grant each (in the ledger the
  // dispatcher reads, and in WeChat's, which the local cloud's subscribeMessage.send consumes).
  const now = new Date((await client.health()).time);
  const due = new Date(now.getTime() - 60_000);
  const ids: string[] = [];
  const seeded = await load(NOTICES_DUE, 32, async (i) => {
    const n = String(i).padStart(5, '0');
    const memberId = `m-notice-${n}`;
    const openid = `o-notice-${n}`;
    const orderId = `ord-notice-${n}`;
    const noticeId = `${NOTICE_KIND}:${orderId}`;
    ids[i] = noticeId;
    await db.collection('members').add({ data: newMemberDoc(memberId, null, now) });
    await db.collection('identities').add({
      data: { _id: identityKey(NOTICE_APPID, openid), memberId, kind: 'app', appid: NOTICE_APPID, openid, createdAt: now },
    });
    await db.collection('subscribe_grants').add({
      data: {
        _id: `${openid}:${NOTICE_TEMPLATE}`,
        openid,
        memberId,
        templateId: NOTICE_TEMPLATE,
        remaining: 1,
        accepted: 1,
        rejected: 0,
        banned: false,
        corrected: 0,
        updatedAt: now,
      },
    });
    const dueAt = new Date(due.getTime() + i);
    await db.collection('notices').add({
      data: {
        _id: noticeId,
        kind: NOTICE_KIND,
        memberId,
        data: { orderId, goods: '压测商品', amount: '99.00', page: `${ORDER_DETAIL_PAGE}?id=${orderId}` },
        dueAt,
        expiresAt: new Date(dueAt.getTime() + 3 * 24 * 3_600_000),
        state: 'pending',
        attempts: 0,
        createdAt: now,
      },
    });
    await client.grants.add({ openid, templateIds: [NOTICE_TEMPLATE], result: 'accept' });
  });
  report('    seed (member, identity, grant, notice)', NOTICES_DUE, seeded, 'notice');

  if (sendMs > 0) await client.faults.delay('subscribeMessage.send', sendMs, NOTICES_DUE);
  const before = await counts();
  const dispatches: Array<{ ms: number; report: Record<string, any> }> = [];
  const started = performance.now();
  do {
    if (dispatches.length >= NOTICE_MAX_RUNS) throw new Error('dispatchNotices keeps saying more');
    const t0 = performance.now();
    const answer = await call('noticeAdmin', { action: 'dispatchNotices', ...(concurrency === undefined ? {} : { concurrency }) });
    if (!answer.ok) throw new Error(`dispatchNotices failed: ${JSON.stringify(answer)}`);
    dispatches.push({ ms: performance.now() - t0, report: answer.data });
  } while (dispatches[dispatches.length - 1].report.more);
  const wall = performance.now() - started;
  const after = await counts();

  const ideal = (NOTICES_DUE * sendMs) / used;
  const sum = (key: string) => dispatches.reduce((total, run) => total + Number(run.report[key] ?? 0), 0);
  const sends = (after['openapi.subscribeMessage.send'] ?? 0) - (before['openapi.subscribeMessage.send'] ?? 0);
  console.log(
    `    dispatch: wall ${ms(wall)}, ` +
      (sendMs > 0
        ? `ideal ${NOTICES_DUE} × ${sendMs} ms ÷ ${used} = ${ms(ideal)} → wall/ideal ${(wall / ideal).toFixed(2)} (goal ≤ 1.2); `
        : 'no latency fault; ') +
      `${((NOTICES_DUE / wall) * 1000).toFixed(1)} notices/s; ${sends} sends`,
  );
  console.log(
    `    ${dispatches.length} run${dispatches.length === 1 ? '' : 's'} [${dispatches.map((run) => ms(run.ms)).join(', ')}]: claimed ${sum('claimed')}, ` +
      `sent ${sum('sent')}, fellBack ${sum('fellBack')}, skipped ${sum('skipped')}, failed ${sum('failed')}, retried ${sum('retried')}, ` +
      `deferred ${sum('deferred')}, released ${sum('released')}`,
  );
  console.log(`    per notice: ${perEach(before, after, NOTICES_DUE)}`);

  // The invariant: WeChat's side (the outbox, the grants it holds) and the database, through the SDK.
  const _ = db.command;
  const outbox = (await client.outbox.list('subscribeMessage')).entries as Array<{
    request: { touser?: string; template_id?: string; page?: string };
    response: { errcode?: number };
  }>;
  const delivered = outbox.filter((entry) => entry.response?.errcode === 0);
  const pages = new Set(delivered.map((entry) => entry.request.page));
  const seededIds = new Set(ids);
  const noticeIds = new Set(
    delivered.map((entry) => `${NOTICE_KIND}:${new URLSearchParams((entry.request.page ?? '').split('?')[1] ?? '').get('id')}`),
  );
  const unknownIds = [...noticeIds].filter((id) => !seededIds.has(id)).length;
  const marked = delivered.filter((entry) => entry.request.page?.endsWith(`&from=notice_sub&nk=${NOTICE_KIND}`)).length;
  const notices = (await db.collection('notices').count()).total as number;
  const sent = (await db.collection('notices').where({ state: 'sent', channel: 'subscribe' }).count()).total as number;
  const negative = (
    await db
      .collection('subscribe_grants')
      .where({ remaining: _.lt(0) })
      .count()
  ).total as number;
  const used0 = (await db.collection('subscribe_grants').where({ remaining: 0 }).count()).total as number;
  const wechat = (await client.grants.list()) as { grants: Record<string, Record<string, number>> };
  const wechatLeft = Object.values(wechat.grants).flatMap((byTemplate) => Object.values(byTemplate));
  const wechatNegative = wechatLeft.filter((n) => n < 0).length;
  const wechatUnused = wechatLeft.filter((n) => n > 0).length;
  const ok =
    outbox.length === NOTICES_DUE &&
    delivered.length === NOTICES_DUE &&
    pages.size === NOTICES_DUE &&
    noticeIds.size === NOTICES_DUE &&
    unknownIds === 0 &&
    marked === NOTICES_DUE &&
    notices === NOTICES_DUE &&
    sent === NOTICES_DUE &&
    negative === 0 &&
    used0 === NOTICES_DUE &&
    wechatNegative === 0 &&
    wechatUnused === 0;
  console.log(
    `    invariant: outbox ${outbox.length} subscription messages (${delivered.length} errcode 0) for ${noticeIds.size} distinct notices ` +
      `(${unknownIds} unknown), ${pages.size} distinct pages (${marked} marked from=notice_sub); notices ${notices}, sent by subscription ${sent}; ` +
      `ledger grants below zero ${negative}, used up ${used0}; WeChat grants below zero ${wechatNegative}, left unused ${wechatUnused} → ` +
      `${ok ? 'OK' : 'NOT MET'} (expected ${NOTICES_DUE} of each, nothing below zero, nothing left)`,
  );
  return { label, concurrency: used, wall, ideal, ok };
}

// ---------------------------------------------------------------- main

// ---------------------------------------------------------------- u. the funnel

const FUNNEL_EVENTS = Number(process.env.DUET_BENCH_FUNNEL_EVENTS ?? 1_000_000);
const FUNNEL_MEMBERS = 100_000;
const FUNNEL_ARTICLES = 200;
const FUNNEL_DAY = '2026-11-20';
const FUNNEL_MAX_RUNS = 200;

/** One generated event of the day: the fields and shapes the features' writers give them (core/funnel/README.md). */
function funnelEvent(i: number): Record<string, unknown> {
  const dayStart = Date.parse(`${FUNNEL_DAY}T00:00:00+08:00`);
  const at = new Date(dayStart + Math.floor((i / FUNNEL_EVENTS) * 86_399_000));
  const memberId = `fm-${(i * 7919) % FUNNEL_MEMBERS}`;
  const article = `art-${String(i % FUNNEL_ARTICLES).padStart(3, '0')}`;
  const touch = {
    scene: `s-${article}`,
    article,
    campaign: `cmp-${i % 10}`,
    channel: i % 5 === 0 ? 'share' : 'article',
    sharer: i % 5 === 0 ? `fm-${i % 997}` : null,
    at: new Date(at.getTime() - (i % 9) * 86_400_000),
  };
  const kinds = [
    'visit',
    'visit',
    'visit',
    'login',
    'coupon_claimed',
    'order_created',
    'order_paid',
    'points_earned',
    'follow',
    'order_refunded',
  ];
  const kind = kinds[i % kinds.length] as string;
  const money = kind === 'order_paid' || kind === 'order_refunded';
  const event: Record<string, unknown> = {
    _id: `${kind}:bench-${i}`,
    kind,
    memberId,
    at,
    touch,
    firstTouch: touch,
    ...(kind === 'visit' ? { channel: touch.channel, attributed: i % 2 === 0 } : {}),
    ...(money || kind === 'order_created' ? { fen: 1000 + (i % 500), orderId: `o-${i}`, orderAt: at } : {}),
    ...(kind === 'points_earned' ? { delta: 10, source: 'checkin' } : {}),
  };
  return { ...event, ...placeOf(event as { kind: string; at: Date; memberId: string }) };
}

async function benchFunnel(): Promise<void> {
  const built = path.join(root, 'build/cloudfunctions');
  if (!fs.existsSync(path.join(built, 'funnelAdmin', 'index.js'))) {
    throw new Error(`u. needs the built functions in ${built}: run \`npm run build:functions\` first`);
  }
  console.log(
    `\nu. funnel: ${FUNNEL_EVENTS.toLocaleString('en')} events of ${FUNNEL_DAY} (${FUNNEL_MEMBERS.toLocaleString('en')} members, ` +
      `${FUNNEL_ARTICLES} articles), then funnelAdmin.snapshotFunnel as the console until more: false; ` +
      'functions of build/cloudfunctions, local cloud in a child process',
  );
  const cloud = await spawnCloud('tsx', { functionsDir: built });
  try {
    const { client, db, call } = await connectTo(cloud.url);
    await client.clock.set(`${FUNNEL_DAY}T20:00:00.000Z`);
    const setupStarted = performance.now();
    let paidFen = 0;
    const BATCH = 1000;
    await load(Math.ceil(FUNNEL_EVENTS / BATCH), 4, async (b) => {
      const docs = [];
      for (let i = b * BATCH; i < Math.min(FUNNEL_EVENTS, (b + 1) * BATCH); i += 1) {
        const event = funnelEvent(i);
        if (event.kind === 'order_paid') paidFen += event.fen as number;
        docs.push(event);
      }
      await db.collection('events').add({ data: docs });
    });
    console.log(`  set-up: ${FUNNEL_EVENTS.toLocaleString('en')} events written in ${((performance.now() - setupStarted) / 1000) | 0} s`);

    const before = (await client.stats()).counts;
    const started = performance.now();
    const runMs: number[] = [];
    let events = 0;
    let functionRequests = 0;
    let answer: Envelope | undefined;
    for (let run = 0; run < FUNNEL_MAX_RUNS; run += 1) {
      const t0 = performance.now();
      answer = await call('funnelAdmin', { action: 'snapshotFunnel', from: FUNNEL_DAY, to: FUNNEL_DAY });
      runMs.push(performance.now() - t0);
      if (!answer.ok) throw new Error(`snapshotFunnel failed: ${JSON.stringify(answer)}`);
      events += answer.data.events;
      functionRequests += answer.data.requests;
      if (!answer.data.more) break;
    }
    const wall = performance.now() - started;
    const after = (await client.stats()).counts;
    const dbRequests = Object.entries(after)
      .filter(([action]) => action.startsWith('database.'))
      .reduce((sum, [action, n]) => sum + (n - (before[action] ?? 0)), 0);
    const { data } = await db.collection('funnel_daily').doc(`${FUNNEL_DAY}|last_non_direct|article`).get();
    const snapshotPaid = (data as { total: { paidFen: number } }).total.paidFen;
    const ok = !answer?.data.more && events === FUNNEL_EVENTS && snapshotPaid === paidFen;
    console.log(
      `  snapshot: ${runMs.length} run(s) (longest ${ms(Math.max(...runMs))}, each within a 40 s budget), ${(wall / 1000).toFixed(1)} s in all, ` +
        `${Math.round(events / (wall / 1000)).toLocaleString('en')} events/s, ${dbRequests} database requests ` +
        `(${functionRequests} counted by the job), ${events.toLocaleString('en')} events read`,
    );
    console.log(`  invariant: paid fen ${snapshotPaid} = generated ${paidFen}, every event read once: ${ok ? 'OK' : 'NOT MET'}`);

    // The 30-day funnel over 200 articles, on 60 days of snapshots (the period and the one before it).
    const zero = zeroMetrics();
    for (let d = 0; d < 60; d += 1) {
      const day = new Date(Date.parse('2026-09-01T00:00:00Z') + d * 86_400_000).toISOString().slice(0, 10);
      const rows = Array.from({ length: FUNNEL_ARTICLES }, (_, a) => ({
        key: `art-${String(a).padStart(3, '0')}`,
        ...zero,
        visitors: 5,
        payers: 1,
        paidFen: 990,
      }));
      await db.collection('funnel_daily').add({
        data: {
          _id: `${day}|last|article`,
          day,
          model: 'last',
          by: 'article',
          windowDays: 7,
          rows,
          total: { ...zero, paidFen: 990 * FUNNEL_ARTICLES },
        },
      });
    }
    await call('funnelAdmin', { action: 'funnel', from: '2026-10-01', to: '2026-10-30', by: 'article', model: 'last' }); // warm
    const reportBefore = (await client.stats()).counts;
    const t0 = performance.now();
    const report = await call('funnelAdmin', { action: 'funnel', from: '2026-10-01', to: '2026-10-30', by: 'article', model: 'last' });
    const reportMs = performance.now() - t0;
    const reportAfter = (await client.stats()).counts;
    const reportRequests = Object.entries(reportAfter)
      .filter(([action]) => action.startsWith('database.'))
      .reduce((sum, [action, n]) => sum + (n - (reportBefore[action] ?? 0)), 0);
    console.log(
      `  funnel 30 days × ${FUNNEL_ARTICLES} articles: ${reportRequests} database requests, ${ms(reportMs)}, ` +
        `${report.ok ? report.data.rows.length : 'failed'} rows`,
    );
  } finally {
    await cloud.stop();
  }
}

// ---------------------------------------------------------------- h. 助力 on one hot task

const HELP_SEATS = 20;
const HELP_BURST = 200;
const HELP_ROUNDS = 10;

async function benchHelp(): Promise<void> {
  const built = path.join(root, 'build/cloudfunctions');
  for (const name of ['help', 'helpAdmin', 'couponAdmin']) {
    if (!fs.existsSync(path.join(built, name, 'index.js'))) {
      throw new Error(`h. needs the built functions in ${built}: run \`npm run build:functions\` first`);
    }
  }
  console.log(
    `\nh. 助力: ${HELP_BURST} friends fire help.help at once at one ${HELP_SEATS}-helper task, then ${HELP_ROUNDS} hot tasks ` +
      `with exactly ${HELP_SEATS} friends each; functions of build/cloudfunctions, local cloud in a child process, ` +
      `DUET_FUNCTION_INSTANCES=${MALL_INSTANCES}`,
  );
  const cloud = await spawnCloud('tsx', {
    functionsDir: built,
    env: { DUET_FUNCTION_INSTANCES: MALL_INSTANCES, DUET_MINI_APPID: MALL_APPID },
  });
  try {
    const { client, db, invoke, call } = await connectTo(cloud.url);
    const counts = async () => (await client.stats()).counts;
    const now = new Date((await client.health()).time);
    const window = {
      startAt: new Date(now.getTime() - 3_600_000).toISOString(),
      endAt: new Date(now.getTime() + 7 * 86_400_000).toISOString(),
    };
    const template = await call('couponAdmin', {
      action: 'createCouponTemplate',
      id: 'tpl-help-bench',
      listed: false,
      template: {
        name: '助力券',
        terms: { kind: 'no_threshold', amountOff: 1000 },
        validity: { type: 'days_after_claim', days: 7 },
        totalStock: 10_000,
        perMemberLimit: 100,
        claimWindow: { startsAt: window.startAt, endsAt: window.endAt },
        eligibility: 'anyone',
        scope: 'all',
      },
    });
    if (!template.ok) throw new Error(`createCouponTemplate failed: ${JSON.stringify(template)}`);
    // not_helped: any member may help once in the campaign (the friends are written before the tasks start).
    const made = await call('helpAdmin', {
      action: 'createHelpCampaign',
      id: 'hc-bench',
      campaign: {
        title: '助力压测',
        reward: { kind: 'coupon', templateId: 'tpl-help-bench' },
        helpersNeeded: HELP_SEATS,
        ...window,
        taskHours: 24,
        audience: 'not_helped',
        dailyLimit: 1,
      },
    });
    if (!made.ok) throw new Error(`createHelpCampaign failed: ${JSON.stringify(made)}`);

    const owners = Array.from({ length: HELP_ROUNDS + 1 }, (_, i) => `o-help-owner-${i}`);
    const friends = Array.from({ length: HELP_BURST + HELP_ROUNDS * HELP_SEATS }, (_, i) => `o-help-${String(i).padStart(5, '0')}`);
    const openids = [...owners, ...friends];
    const seeded = await load(openids.length, 32, async (i) => {
      const memberId = `m-${openids[i]}`;
      await db.collection('members').add({ data: newMemberDoc(memberId, null, now) });
      await db.collection('identities').add({
        data: { _id: identityKey(MALL_APPID, openids[i]), memberId, kind: 'app', appid: MALL_APPID, openid: openids[i], createdAt: now },
      });
    });
    report('seed (member, identity)', openids.length, seeded, 'member');
    const startTask = async (owner: string): Promise<string> => {
      const started = await call('help', { action: 'start', campaignId: 'hc-bench' }, owner);
      if (!started.ok) throw new Error(`help.start failed: ${JSON.stringify(started)}`);
      return started.data?.task?.taskId as string;
    };
    // Warm the instances (task views: reads only), so the burst measures helps, not cold starts.
    const hot = await startTask(owners[0]);
    await Promise.all(friends.slice(0, Number(MALL_INSTANCES) * 4).map((openid) => call('help', { action: 'task', taskId: hot }, openid)));

    // 1. The burst on one task.
    const before = await counts();
    const outcomes = new Map<string, number>();
    const burst = await load(HELP_BURST, HELP_BURST, async (i) => {
      const answer = await invoke('help', { action: 'help', taskId: hot }, friends[i]);
      const envelope = 'error' in answer ? null : (answer.result as Envelope);
      const outcome = !envelope ? 'platform error' : envelope.ok ? 'counted' : `${envelope.code}/${envelope.reason ?? '-'}`;
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    });
    const after = await counts();
    console.log(
      `  ${HELP_BURST} helps at once on one task: wall ${ms(burst.wall)}, ${((HELP_BURST / burst.wall) * 1000).toFixed(0)} answers/s`,
    );
    console.log(
      `  help latency (queueing included): p50 ${ms(percentile(burst.latencies, 50))}  p99 ${ms(percentile(burst.latencies, 99))}`,
    );
    console.log(`  per help of the burst: ${perEach(before, after, HELP_BURST)}`);
    console.log(`  outcomes: ${[...outcomes].map(([k, v]) => `${k} ${v}`).join(', ')}`);
    const { data: task } = await db.collection('help_tasks').doc(hot).get();
    const coupons = (await db.collection('coupons').where({ templateId: 'tpl-help-bench' }).limit(1000).get()).data as unknown[];
    const helps = (await db.collection('helps').where({ taskId: hot }).limit(1000).get()).data as Array<{ state: string }>;
    const burstOk =
      task.state === 'completed' &&
      task.count === HELP_SEATS &&
      new Set(task.helperIds).size === HELP_SEATS &&
      outcomes.get('counted') === HELP_SEATS &&
      helps.length === HELP_SEATS &&
      helps.every((h) => h.state === 'counted') &&
      coupons.length === 1;
    console.log(
      `  invariant: task ${task.state} with ${task.count} helpers, ${helps.length} helps, ${coupons.length} coupon — ${burstOk ? 'holds' : 'BROKEN'}`,
    );

    // 2. Hot tasks in turn, each filled by exactly its seats at once: every help counts.
    const rounds: number[] = [];
    let counted = 0;
    for (let round = 0; round < HELP_ROUNDS; round += 1) {
      const taskId = await startTask(owners[round + 1]);
      const mine = friends.slice(HELP_BURST + round * HELP_SEATS, HELP_BURST + (round + 1) * HELP_SEATS);
      const run = await load(mine.length, mine.length, async (i) => {
        const answer = await call('help', { action: 'help', taskId }, mine[i]);
        if (answer.ok) counted += 1;
        else console.log(`  round ${round}: refused ${answer.code}/${answer.reason}`);
      });
      rounds.push(run.wall);
    }
    const total = rounds.reduce((sum, wall) => sum + wall, 0);
    const completed = (await db.collection('help_tasks').where({ campaignId: 'hc-bench', state: 'completed' }).count()).total;
    console.log(
      `  ${HELP_ROUNDS} hot tasks × ${HELP_SEATS} friends at once: ${counted} counted in ${ms(total)}, ` +
        `${((counted / total) * 1000).toFixed(0)} counted helps/s (one task: median ${ms(summary(rounds).median)}), ` +
        `${completed} tasks completed (expected ${HELP_ROUNDS + 1}), load ${os.loadavg()[0].toFixed(2)}`,
    );
  } finally {
    await cloud.stop();
  }
}

async function main(): Promise<void> {
  assertNoRealCredentials();
  const started = performance.now();
  const cpus = os.cpus();
  console.log('Duet local cloud benchmark');
  console.log(`  date     ${new Date().toISOString()}`);
  console.log(`  node     ${process.version} (${process.platform} ${process.arch})`);
  console.log(`  cpus     ${cpus.length} × ${cpus[0]?.model?.trim() ?? 'unknown'}`);
  console.log(`  memory   ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`);
  // Other work on the machine skews every number below; the load average says how much there was.
  const load = () =>
    os
      .loadavg()
      .map((v) => v.toFixed(2))
      .join(' ');
  console.log(`  load     ${load()} (1/5/15 min)`);

  if (runs('a')) await benchStart();

  // The SDK in this process talks to a local cloud in another process, as a script or test would.
  const cloud = runs('b') || runs('c') ? await spawnCloud('tsx') : undefined;
  if (cloud)
    try {
      const client = createCloudClient(cloud.url);
      const env = await pointSdkAt(cloud.url);
      if (runs('b')) await benchDocGet(env);
      if (runs('c')) await benchInvocations(client);
    } finally {
      await cloud.stop();
    }

  if (runs('d')) await benchLoginRoundTrips();
  if (runs('e')) await benchColdStarts();
  if (runs('f')) await benchFlashSale();
  if (runs('o')) await benchOrders();
  if (runs('g')) await benchGroupBuy();
  if (runs('p')) await benchPointsMall();
  if (runs('h')) await benchHelp();
  if (runs('l')) await benchLottery();
  if (runs('n')) await benchNotices();
  if (runs('u')) await benchFunnel();
  console.log(`\ndone in ${((performance.now() - started) / 1000).toFixed(1)} s (load ${load()})`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
