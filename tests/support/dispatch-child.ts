/**
 * A notice job in a process of its own, against a local cloud, so a test can kill it mid-run with
 * SIGKILL: a real crash, nothing after the kill runs (no `finally`, no lease given back).
 *
 *   node --import tsx tests/support/dispatch-child.ts <adminUrl> <envId> <nowIso> dispatch <concurrency>
 *   node --import tsx tests/support/dispatch-child.ts <adminUrl> <envId> <nowIso> broadcast <request JSON>
 *
 * The functions' environment (公众号 settings) comes in DUET_CHILD_ENV as JSON. Prints the result
 * when the run ends on its own.
 */
import path from 'node:path';
import { readAppPages } from '../../scripts/lib/app-pages';

const [adminUrl, envId, nowIso, job, input] = process.argv.slice(2);
Object.assign(process.env, JSON.parse(process.env.DUET_CHILD_ENV ?? '{}'), {
  TCB_CONTEXT_CNFG: JSON.stringify({ URL: adminUrl }),
  TENCENTCLOUD_SECRETID: 'dummy-id',
  TENCENTCLOUD_SECRETKEY: 'dummy-key',
  TENCENTCLOUD_RUNENV: 'SCF',
  TENCENTCLOUD_REGION: 'ap-shanghai',
  SCF_NAMESPACE: envId,
  TCB_ENV: envId,
});
// What the function build defines (scripts/lib/build-functions.ts).
(globalThis as { DUET_APP_PAGES?: readonly string[] }).DUET_APP_PAGES = readAppPages(path.join(import.meta.dirname, '../..'));

const now = new Date(nowIso);
// The package is CommonJS (no top-level await): the server is loaded after the env is in place.
const run =
  job === 'broadcast'
    ? import('../../server/notice/broadcast').then(({ broadcast }) => broadcast(JSON.parse(input), now))
    : import('../../server/notice/dispatch-notices').then(({ dispatchNotices }) =>
        dispatchNotices(now, { budgetMs: 40_000, concurrency: Number(input) }),
      );
run.then((result) => process.stdout.write(`${JSON.stringify(result)}\n`));
