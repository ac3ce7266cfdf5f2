import schema from '../../cloud/schema.json';
import type { DoctorCheck } from '../../core/contracts/setup-admin';
import { ENV_PROBE_ACTION } from '../../core/deploy/env-probe';
import { FUNCTION_ENV } from '../../core/deploy/function-env';
import { DuetError } from '../../core/errors';
import { cloud } from '../cloud';
import { isDuplicateKeyError } from '../db-errors';
import { accessToken } from '../mp/access-token';
import { readMpConfig } from '../mp/config';
import { NOTICE_TEMPLATES } from '../notice/templates';
import { insertProbe, readOneDocument, removeProbes } from './setup-repository';
import { newId } from '../ids';

type Schema = { collections: Record<string, { indexes?: Array<{ name: string; keys: Record<string, number>; unique?: boolean }> }> };

const SCHEMA = schema as unknown as Schema;

/** The runtime the bundles are built for (scripts/lib/build-functions.ts: target node16). */
const MIN_NODE_MAJOR = 16;

/** Functions probed at once: each may start a cold instance. */
const PROBE_CONCURRENCY = 6;

/**
 * Checks a deployed environment against what the code needs, reading only: the one write is the
 * pair of scratch documents a unique-index probe inserts and removes. The SDK cannot list indexes
 * or another function's settings, so each check asks the platform the question the code will ask.
 */
export async function doctor(now: Date): Promise<{ ok: boolean; failed: number; checks: DoctorCheck[] }> {
  const checks: DoctorCheck[] = [];
  const existing = await checkCollections(checks);
  await checkUniqueIndexes(checks, existing);
  await checkFunctions(checks);
  await checkMp(checks, now);
  await checkTemplates(checks);
  const failed = checks.filter((check) => !check.ok).length;
  return { ok: failed === 0, failed, checks };
}

function errorText(error: unknown): string {
  if (error instanceof DuetError) return error.detail;
  const e = error as { errCode?: unknown; errMsg?: unknown; message?: unknown } | null;
  return `${e?.errCode ?? ''} ${String(e?.errMsg ?? e?.message ?? error)}`.trim().split('\n')[0];
}

function isMissingCollection(error: unknown): boolean {
  const e = error as { errCode?: unknown; errMsg?: unknown; message?: unknown } | null;
  return e?.errCode === -502005 || /-502005|collection not exist/i.test(`${e?.errMsg ?? ''} ${e?.message ?? ''}`);
}

async function checkCollections(checks: DoctorCheck[]): Promise<Set<string>> {
  const existing = new Set<string>();
  for (const name of Object.keys(SCHEMA.collections)) {
    try {
      await readOneDocument(name);
      existing.add(name);
      checks.push({ area: 'collection', item: name, ok: true, detail: 'exists' });
    } catch (error) {
      checks.push({
        area: 'collection',
        item: name,
        ok: false,
        detail: isMissingCollection(error) ? 'missing: create it (数据库 → 添加集合)' : `cannot read it: ${errorText(error)}`,
      });
    }
  }
  return existing;
}

/**
 * Production's SDK cannot list indexes, so each unique index is tried: two scratch documents with
 * the same key values, the second of which the index must refuse. Both are removed at once; their key
 * values (`doctor-probe-…`) match no real document.
 */
function uniqueKeys(spec: Schema['collections'][string]): string[] {
  return [...new Set((spec.indexes ?? []).filter((i) => i.unique).flatMap((i) => Object.keys(i.keys)))];
}

async function checkUniqueIndexes(checks: DoctorCheck[], existing: Set<string>): Promise<void> {
  for (const [collection, spec] of Object.entries(SCHEMA.collections)) {
    for (const index of (spec.indexes ?? []).filter((i) => i.unique)) {
      const item = `${collection}.${index.name}`;
      if (!existing.has(collection)) {
        checks.push({ area: 'unique index', item, ok: false, detail: `not probed: collection ${collection} is missing` });
        continue;
      }
      const probe = `doctor-probe-${newId()}`;
      const ids = [`${probe}-a`, `${probe}-b`];
      // The same values for this index's keys; distinct ones for every other unique index's keys, so
      // only this index can refuse the second document (absent fields would all count as null).
      const fields = ids.map((id) => ({
        ...Object.fromEntries(uniqueKeys(spec).map((key) => [key, id])),
        ...Object.fromEntries(Object.keys(index.keys).map((key) => [key, probe])),
      }));
      try {
        await insertProbe(collection, ids[0], fields[0]);
        try {
          await insertProbe(collection, ids[1], fields[1]);
          checks.push({
            area: 'unique index',
            item,
            ok: false,
            detail: `missing: a duplicate was accepted; add index ${index.name} on ${Object.keys(index.keys).join(', ')} with 唯一 (集合 → 索引管理)`,
          });
        } catch (error) {
          const refused = isDuplicateKeyError(error);
          checks.push({
            area: 'unique index',
            item,
            ok: refused,
            detail: refused ? 'refuses a duplicate' : `probe failed: ${errorText(error)}`,
          });
        }
      } catch (error) {
        checks.push({ area: 'unique index', item, ok: false, detail: `probe failed: ${errorText(error)}` });
      } finally {
        await removeProbes(collection, ids).catch((error: unknown) =>
          checks.push({
            area: 'unique index',
            item,
            ok: false,
            detail: `remove the scratch documents ${ids.join(', ')} by hand: ${errorText(error)}`,
          }),
        );
      }
    }
  }
}

async function probeFunction(name: string): Promise<DoctorCheck[]> {
  const declared = FUNCTION_ENV[name] ?? [];
  let set: string[];
  let node = '';
  try {
    const answer = (await cloud.callFunction({ name, data: { action: ENV_PROBE_ACTION } })) as {
      result?: { ok?: boolean; data?: { set?: unknown; node?: unknown } };
    };
    node = String(answer.result?.data?.node ?? '');
    const listed = answer.result?.ok ? answer.result.data?.set : undefined;
    if (!Array.isArray(listed)) {
      return [
        {
          area: 'function',
          item: name,
          ok: false,
          detail: 'deployed, but an older build that cannot report its variables: deploy it again',
        },
      ];
    }
    set = listed.map(String);
  } catch (error) {
    return [{ area: 'function', item: name, ok: false, detail: `not callable (not deployed?): ${errorText(error)}` }];
  }
  // The bundles target Node 16 (esbuild); miniprogram-ci 2.1.42 creates a missing function on Nodejs8.9.
  const major = Number(/^v(\d+)\./.exec(node)?.[1] ?? 0);
  const checks: DoctorCheck[] = [
    major >= MIN_NODE_MAJOR
      ? { area: 'function', item: name, ok: true, detail: `deployed (Node ${node})` }
      : { area: 'function', item: name, ok: false, detail: `runs on Node ${node}: create it again with 运行环境 Node.js 16 or later` },
  ];
  for (const variable of declared) {
    const present = set.includes(variable.name);
    checks.push({
      area: 'env',
      item: `${name}.${variable.name}`,
      ok: present || !variable.required,
      detail: present
        ? 'set'
        : variable.required
          ? `missing: set it in 云函数 → ${name} → 配置 → 环境变量 (${variable.what})`
          : `not set: ${variable.what}`,
    });
  }
  return checks;
}

async function checkFunctions(checks: DoctorCheck[]): Promise<void> {
  const names = Object.keys(FUNCTION_ENV);
  for (let start = 0; start < names.length; start += PROBE_CONCURRENCY) {
    const batch = await Promise.all(names.slice(start, start + PROBE_CONCURRENCY).map(probeFunction));
    for (const result of batch) checks.push(...result);
  }
}

/** The token mpGateway checks signatures with, and the appid and secret every 公众号 call needs. */
async function checkMp(checks: DoctorCheck[], now: Date): Promise<void> {
  let config: ReturnType<typeof readMpConfig>;
  try {
    config = readMpConfig(process.env);
    checks.push({ area: '公众号', item: 'DUET_MP_TOKEN', ok: true, detail: 'set and well-formed (setupAdmin’s own variables)' });
  } catch (error) {
    checks.push({ area: '公众号', item: 'DUET_MP_TOKEN', ok: false, detail: `${errorText(error)} (setupAdmin’s own variables)` });
    return;
  }
  try {
    await accessToken(config, now);
    checks.push({ area: '公众号', item: 'access token', ok: true, detail: `obtained for ${config.appid}` });
  } catch (error) {
    checks.push({
      area: '公众号',
      item: 'access token',
      ok: false,
      detail: `WeChat refused ${config.appid}: ${errorText(error)} (check DUET_MP_APPID, DUET_MP_SECRET and the 公众号's IP whitelist)`,
    });
  }
}

/** Every template the notices use exists in the mini-program's account, with the keywords the code fills. */
async function checkTemplates(checks: DoctorCheck[]): Promise<void> {
  let listed: Array<{ priTmplId?: string; content?: string }>;
  try {
    const answer = (await cloud.openapi.subscribeMessage.getTemplateList({})) as { data?: Array<{ priTmplId?: string; content?: string }> };
    listed = answer.data ?? [];
  } catch (error) {
    checks.push({ area: 'template', item: 'subscribeMessage.getTemplateList', ok: false, detail: errorText(error) });
    return;
  }
  const byId = new Map(listed.map((template) => [template.priTmplId, template.content ?? '']));
  for (const template of NOTICE_TEMPLATES.templates) {
    const item = `${template.id} ${template.title ?? ''}`.trim();
    const content = byId.get(template.id);
    if (content === undefined) {
      checks.push({
        area: 'template',
        item,
        ok: false,
        detail: 'not in the account: add it (订阅消息 → 我的模板) and put its id in cloud/subscribe-templates.json',
      });
      continue;
    }
    const missing = Object.keys(template.keywords).filter((keyword) => !content.includes(`{{${keyword}.DATA}}`));
    checks.push({
      area: 'template',
      item,
      ok: missing.length === 0,
      detail: missing.length === 0 ? 'registered with its keywords' : `the account's template lacks ${missing.join(', ')}`,
    });
  }
}
