import { createHash, randomBytes } from 'node:crypto';
import type { EmulatorContext, StateStore } from '../context';
import { HttpError } from '../http';
import { cloudPathOf, encodedPath } from '../storage/paths';
import type { DecodedOpenApiRequest } from './wire';

/**
 * WeChat's content checks, `security.msgSecCheck` and `security.imgSecCheck`, with verdicts an
 * operator or a test sets through the control plane (`POST /_emu/security`): a list of rules, the
 * first that matches wins, anything else passes. Reset with the rest of the data.
 *
 * - msgSecCheck v2 (`version: 2`, `openid`, `scene` 1–4, `content`) answers errcode 0 with
 *   `result: { suggest: pass | review | risky, label }`, `detail` and `trace_id`; the v1 call (no
 *   version) answers 87014 for content a rule makes risky (and passes `review`), as v1 did.
 * - imgSecCheck (v1, a `media` upload) answers 87014 for an image a rule makes risky.
 */

export type Suggest = 'pass' | 'review' | 'risky';

/** WeChat's labels: 100 normal, 10001 ad, 20001 politics, 20002 porn, 20003 abuse, 20006 crime, 20008 fraud, 20012 vulgar, 20013 copyright, 21000 other. */
export const LABELS = [100, 10001, 20001, 20002, 20003, 20006, 20008, 20012, 20013, 21000] as const;

export interface SecurityRule {
  /** Text rules: content containing this (case-insensitive) matches. */
  contains?: string;
  /** Image rules: the image whose bytes are this cloud file's (read when checked). */
  fileId?: string;
  /** Image rules: the image with these bytes (sha256, hex). */
  sha256?: string;
  suggest: Exclude<Suggest, 'pass'>;
  label: number;
}

export interface SecurityRulesAnswer {
  rules: SecurityRule[];
}

export class SecurityCheckError extends Error {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(`${errcode} ${errmsg}`);
  }
}

const KEY = 'openapi.security.rules';
/** msgSecCheck takes at most 2500 characters of content. */
const MAX_CONTENT = 2500;
/** imgSecCheck takes an image of at most 1 MB (larger ones are refused with 40006 invalid media size). */
const MAX_IMAGE_BYTES = 1024 * 1024;

export function createSecurityRules(state: StateStore) {
  return {
    list: (): SecurityRule[] => state.get<SecurityRule[]>(KEY) ?? [],
    set: (rules: SecurityRule[]) => state.set(KEY, rules),
    reset: () => state.set(KEY, []),
  };
}
export type SecurityRules = ReturnType<typeof createSecurityRules>;

/** The rules a `POST /_emu/security` body holds, or an HTTP 400 that says what is wrong. */
export function parseSecurityRules(body: unknown): SecurityRule[] {
  const raw = (body as { rules?: unknown } | null)?.rules;
  if (!Array.isArray(raw))
    throw new HttpError(400, 'send { "rules": [ { "contains" | "fileId" | "sha256": ..., "suggest": "risky" | "review", "label"?: n } ] }');
  return raw.map((item, i) => {
    if (!item || typeof item !== 'object') throw new HttpError(400, `rules[${i}] must be an object`);
    const rule = item as Record<string, unknown>;
    const targets = ['contains', 'fileId', 'sha256'].filter((key) => rule[key] !== undefined);
    if (targets.length !== 1) throw new HttpError(400, `rules[${i}] needs exactly one of "contains", "fileId", "sha256"`);
    const target = targets[0] as 'contains' | 'fileId' | 'sha256';
    const value = rule[target];
    if (typeof value !== 'string' || value === '') throw new HttpError(400, `rules[${i}].${target} must be a non-empty string`);
    if (target === 'sha256' && !/^[0-9a-f]{64}$/.test(value))
      throw new HttpError(400, `rules[${i}].sha256 must be 64 lowercase hex digits`);
    const suggest = rule.suggest ?? 'risky';
    if (suggest !== 'risky' && suggest !== 'review') throw new HttpError(400, `rules[${i}].suggest must be "risky" or "review"`);
    const label = rule.label ?? 20002;
    if (typeof label !== 'number' || !(LABELS as readonly number[]).includes(label) || label === 100) {
      throw new HttpError(400, `rules[${i}].label must be one of ${LABELS.filter((l) => l !== 100).join(', ')}`);
    }
    return { [target]: value, suggest, label } as SecurityRule;
  });
}

function traceId(): string {
  return `${randomBytes(4).toString('hex')}-${randomBytes(4).toString('hex')}-${randomBytes(4).toString('hex')}`;
}

export function checkMessage(request: DecodedOpenApiRequest, rules: SecurityRule[], openidKnown: (openid: string) => boolean) {
  const { params } = request;
  const content = typeof params.content === 'string' ? params.content : undefined;
  if (content === undefined || content === '') throw new SecurityCheckError(47001, 'data format error hint: content is empty');
  if ([...content].length > MAX_CONTENT) throw new SecurityCheckError(47001, 'data format error hint: content too long');
  const version = params.version === undefined ? 1 : Number(params.version);
  const lower = content.toLowerCase();
  const rule = rules.find((r) => r.contains !== undefined && lower.includes(r.contains.toLowerCase()));
  if (version !== 2) {
    // v1: a verdict only by its errcode.
    if (rule?.suggest === 'risky') throw new SecurityCheckError(87014, 'risky content');
    return { errcode: 0, errmsg: 'ok' };
  }
  const openid = typeof params.openid === 'string' ? params.openid : '';
  if (!openid || !openidKnown(openid)) throw new SecurityCheckError(40003, 'invalid openid');
  const scene = Number(params.scene);
  if (![1, 2, 3, 4].includes(scene)) throw new SecurityCheckError(40097, 'invalid args: scene');
  const suggest: Suggest = rule?.suggest ?? 'pass';
  const label = rule?.label ?? 100;
  return {
    errcode: 0,
    errmsg: 'ok',
    result: { suggest, label },
    detail: [
      {
        strategy: 'content_model',
        errcode: 0,
        suggest,
        label,
        prob: rule ? 90 : 0,
        ...(rule?.contains ? { keyword: rule.contains } : {}),
      },
    ],
    trace_id: traceId(),
  };
}

export async function checkImage(request: DecodedOpenApiRequest, rules: SecurityRule[], ctx: EmulatorContext) {
  const media = request.media.media;
  if (!media || media.bytes.length === 0) throw new SecurityCheckError(41005, 'media data missing');
  if (media.bytes.length > MAX_IMAGE_BYTES) throw new SecurityCheckError(40006, 'invalid media size');
  const hash = createHash('sha256').update(media.bytes).digest('hex');
  for (const rule of rules) {
    if (rule.sha256 && rule.sha256 === hash) return verdict(rule);
    if (rule.fileId) {
      const bytes = await fileBytes(ctx, rule.fileId);
      if (bytes && createHash('sha256').update(bytes).digest('hex') === hash) return verdict(rule);
    }
  }
  return { errcode: 0, errmsg: 'ok' };
}

function verdict(rule: SecurityRule) {
  // imgSecCheck is v1: only a risky image is refused; one to review passes.
  if (rule.suggest === 'risky') throw new SecurityCheckError(87014, 'risky content');
  return { errcode: 0, errmsg: 'ok' };
}

/** A cloud file's bytes as the storage serves them, or null when it has no such file. */
async function fileBytes(ctx: EmulatorContext, fileId: string): Promise<Buffer | null> {
  const cloudPath = cloudPathOf(ctx.options.envId, fileId);
  if (!cloudPath) return null;
  const response = await fetch(`${ctx.baseUrl}/_emu/storage/${encodedPath(cloudPath)}`);
  if (!response.ok) return null;
  return Buffer.from(await response.arrayBuffer());
}
