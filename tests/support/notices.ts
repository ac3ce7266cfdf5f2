import { expect } from 'vitest';
import type { TestCloud } from './cloud';
import { docOf, docsOf } from './orders';

/**
 * Notices and grants as the features and the sheet leave them, for the dispatcher's tests: notices
 * written in the shape `writeNoticeOnce` writes, grants accepted through the local sheet's route and
 * `notice.recordGrants` (or written to the ledger alone, to make the ledger and WeChat disagree).
 */

export interface NoticeInput {
  kind: string;
  key: string;
  memberId: string;
  data?: Record<string, unknown>;
  /** Default: now. */
  dueAt?: Date;
  /** Default: a day after `dueAt`. */
  expiresAt?: Date;
}

export async function nowOf(cloud: TestCloud): Promise<Date> {
  return new Date((await cloud.client.clock.get()).now);
}

/** Order-paid data for a notice, its `orderId` the key (so each message names its notice). */
export function paidData(orderId: string): Record<string, unknown> {
  return { goods: '秋冬羊毛围巾', amount: '89.00', orderId, status: '已支付' };
}

export async function writeNotices(cloud: TestCloud, notices: NoticeInput[]): Promise<string[]> {
  const now = await nowOf(cloud);
  const docs = notices.map((notice) => {
    const dueAt = notice.dueAt ?? now;
    return {
      _id: `${notice.kind}:${notice.key}`,
      kind: notice.kind,
      memberId: notice.memberId,
      data: notice.data ?? {},
      dueAt,
      expiresAt: notice.expiresAt ?? new Date(dueAt.getTime() + 24 * 3600_000),
      state: 'pending',
      attempts: 0,
      createdAt: now,
    };
  });
  const collection = cloud.db().collection('notices');
  for (let i = 0; i < docs.length; i += 100) await collection.add({ data: docs.slice(i, i + 100) });
  return docs.map((doc) => doc._id);
}

/** The member's sheet answered `accept` for a template `times` times: WeChat's count and our ledger agree. */
export async function acceptGrants(cloud: TestCloud, persona: string, templateId: string, times = 1): Promise<void> {
  const openid = `o-mini-${persona}`;
  for (let i = 0; i < times; i += 1) {
    await cloud.client.grants.add({ openid, templateIds: [templateId], result: 'accept' });
    const answer = await cloud.invoke(
      'notice',
      { action: 'recordGrants', requestId: `accept-${templateId}-${i}`.replace(/_/g, '-'), answers: { [templateId]: 'accept' } },
      persona,
    );
    expect(answer, JSON.stringify(answer)).toMatchObject({ ok: true });
  }
}

/** Ledger entries alone (WeChat holds nothing unless the test adds it): what a lost 43101 or a second device leaves. */
export async function writeLedgerGrants(
  cloud: TestCloud,
  grants: Array<{ openid: string; memberId: string; templateId: string; remaining: number }>,
): Promise<void> {
  const updatedAt = await nowOf(cloud);
  const docs = grants.map((grant) => ({
    _id: `${grant.openid}:${grant.templateId}`,
    ...grant,
    accepted: grant.remaining,
    rejected: 0,
    banned: false,
    corrected: 0,
    updatedAt,
  }));
  await cloud.db().collection('subscribe_grants').add({ data: docs });
}

export function writeLedgerGrant(cloud: TestCloud, openid: string, memberId: string, templateId: string, remaining: number) {
  return writeLedgerGrants(cloud, [{ openid, memberId, templateId, remaining }]);
}

export async function ledgerGrant(cloud: TestCloud, openid: string, templateId: string): Promise<any> {
  return docOf(cloud, 'subscribe_grants', `${openid}:${templateId}`);
}

/** WeChat's (the local cloud's) remaining grants of one openid for one template. */
export async function wechatGrants(cloud: TestCloud, openid: string, templateId: string): Promise<number> {
  const answer = (await cloud.client.grants.list(openid)) as { grants: Record<string, number> };
  return answer.grants[templateId] ?? 0;
}

/** `noticeAdmin.dispatchNotices` as the console; answers the run's report. */
export async function dispatch(cloud: TestCloud, input: Record<string, unknown> = {}): Promise<any> {
  const answer = await cloud.invoke('noticeAdmin', { action: 'dispatchNotices', ...input });
  expect(answer, JSON.stringify(answer)).toMatchObject({ ok: true });
  return answer.data;
}

export async function noticeAdmin(cloud: TestCloud, action: string, input: Record<string, unknown> = {}): Promise<any> {
  const answer = await cloud.invoke('noticeAdmin', { action, ...input });
  expect(answer, JSON.stringify(answer)).toMatchObject({ ok: true });
  return answer.data;
}

export async function noticesOf(cloud: TestCloud, where: Record<string, unknown> = {}): Promise<any[]> {
  return docsOf(cloud, 'notices', where);
}

/** The subscription messages that reached WeChat (failed sends are in the outbox too, with their errcode). */
export async function subscribeMessages(cloud: TestCloud): Promise<any[]> {
  const { entries } = await cloud.client.outbox.list('subscribeMessage');
  return entries.filter((entry: any) => (entry.response?.errcode ?? 0) === 0);
}

/** The 公众号 template messages that were accepted. */
export async function mpTemplateMessages(cloud: TestCloud): Promise<any[]> {
  const { entries } = await cloud.client.outbox.list('mp');
  return entries.filter((entry: any) => String(entry.api).includes('message/template/send') && (entry.response?.errcode ?? 0) === 0);
}

/**
 * A notice job (the dispatcher, or a broadcast) in a child process against this local cloud, to be
 * killed with SIGKILL mid-run (tests/support/dispatch-child.ts).
 */
export async function startKillable(cloud: TestCloud, job: 'dispatch' | 'broadcast', input: string) {
  const { spawn } = await import('node:child_process');
  const path = await import('node:path');
  const { functionEnv } = await import('../../emulator/src/context');
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(import.meta.dirname, 'dispatch-child.ts'),
      `${cloud.url}/admin`,
      cloud.emulator.ctx.options.envId,
      (await nowOf(cloud)).toISOString(),
      job,
      input,
    ],
    { env: { ...process.env, DUET_CHILD_ENV: JSON.stringify(functionEnv(cloud.emulator.ctx)) }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return {
    output: () => output,
    /** Polls until `ready` holds (at most 30 s), then kills the process and waits for it to be gone. */
    async killWhen(ready: () => Promise<boolean>): Promise<void> {
      for (let waited = 0; !(await ready()); waited += 1) {
        expect(waited, `the job never got there: ${output}`).toBeLessThan(600);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      child.kill('SIGKILL');
      await exited;
      expect(output, 'the job ended before the kill').not.toMatch(/^\{/m);
    },
  };
}
