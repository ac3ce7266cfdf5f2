import { isPlainObject, MAX_ID_LENGTH, readId, readInteger, rejectUnknownKeys, type Report } from '../read-input';
/**
 * A coupon template: what an operator sets up once (the terms, how long a claimed coupon lasts,
 * who may claim it, how many, when). Members claim coupons from it; the claim and checkout rules
 * read these fields and nothing else. Money is integer fen throughout.
 */

export type CouponKind = 'amount_off' | 'threshold_off' | 'percent_off' | 'no_threshold';

export type CouponTerms =
  /** 立减: a fixed amount off the eligible subtotal. */
  | { kind: 'amount_off'; amountOff: number }
  /** 满减: `amountOff` off once the eligible subtotal reaches `threshold`. */
  | { kind: 'threshold_off'; threshold: number; amountOff: number }
  /** 折扣: `percentOff`% off the eligible subtotal, never more than `cap`. */
  | { kind: 'percent_off'; percentOff: number; cap: number }
  /** 无门槛: a fixed amount off, whatever the subtotal. */
  | { kind: 'no_threshold'; amountOff: number };

export type ValidityRule = { type: 'fixed'; startsAt: Date; endsAt: Date } | { type: 'days_after_claim'; days: number };

export type Eligibility = 'anyone' | { newMembersWithinDays: number } | { campaign: string } | { article: string };

export type ProductScope = 'all' | { productIds: string[] };

export interface CouponTemplate {
  /** Shown to members on the coupon, e.g. 新人专享券. */
  name: string;
  terms: CouponTerms;
  validity: ValidityRule;
  totalStock: number;
  perMemberLimit: number;
  /** When members may claim: from `startsAt` (inclusive) until `endsAt` (exclusive), like a campaign. */
  claimWindow: { startsAt: Date; endsAt: Date };
  eligibility: Eligibility;
  scope: ProductScope;
}

export interface TemplateProblem {
  /** Where, in the input's own shape: `terms.percentOff`, `scope.productIds[2]`. */
  path: string;
  /** Shown to the operator who filled the form. */
  reason: string;
}

export type TemplateValidation = { ok: true; template: CouponTemplate } | { ok: false; problems: TemplateProblem[] };

/**
 * Upper bound of any coupon amount or cap (¥10,000). No real coupon comes near it; it catches an
 * amount typed in fen twice over, and it keeps discount × line total within Number's exact
 * integers in the checkout allocation (see apply-coupons.ts), so no BigInt is needed there.
 */
export const MAX_COUPON_FEN = 1_000_000;
/** A threshold may be larger than any coupon (满 50000 减 5000), but not absurd (¥1,000,000). */
export const MAX_THRESHOLD_FEN = 100_000_000;
export const MAX_STOCK = 10_000_000;
export const MAX_PER_MEMBER = 100;
/** Longest "valid for N days after claim" and "new member within N days". */
export const MAX_DAYS = 365;
export const MAX_PRODUCT_IDS = 500;
export const MAX_NAME_LENGTH = 30;
export { MAX_ID_LENGTH };

const TOP_KEYS = ['name', 'terms', 'validity', 'totalStock', 'perMemberLimit', 'claimWindow', 'eligibility', 'scope'];
const TERMS_KEYS: Record<CouponKind, string[]> = {
  amount_off: ['kind', 'amountOff'],
  threshold_off: ['kind', 'threshold', 'amountOff'],
  percent_off: ['kind', 'percentOff', 'cap'],
  no_threshold: ['kind', 'amountOff'],
};

/** The whole input is checked, every problem reported at once, so the operator fixes the form in one go. */
export function validateTemplate(input: unknown): TemplateValidation {
  const problems: TemplateProblem[] = [];
  const report = (path: string, reason: string) => problems.push({ path, reason });

  if (!isPlainObject(input)) return { ok: false, problems: [{ path: '', reason: 'a coupon template is a JSON object' }] };
  rejectUnknownKeys(input, TOP_KEYS, '', report);

  const name = readName(input.name, 'name', report);
  const terms = readTerms(input.terms, 'terms', report);
  const validity = readValidity(input.validity, 'validity', report);
  const totalStock = readInteger(input.totalStock, 'totalStock', 1, MAX_STOCK, report);
  const perMemberLimit = readInteger(input.perMemberLimit, 'perMemberLimit', 1, MAX_PER_MEMBER, report);
  const claimWindow = readWindow(input.claimWindow, 'claimWindow', report);
  const eligibility = readEligibility(input.eligibility, 'eligibility', report);
  const scope = readScope(input.scope, 'scope', report);

  if (totalStock !== undefined && perMemberLimit !== undefined && perMemberLimit > totalStock) {
    report('perMemberLimit', 'perMemberLimit cannot exceed totalStock');
  }
  // A fixed validity that ends before claiming closes would hand out coupons that are already dead.
  if (validity?.type === 'fixed' && claimWindow && validity.endsAt.getTime() < claimWindow.endsAt.getTime()) {
    report('validity.endsAt', 'a fixed validity cannot end before the claim window does');
  }

  if (problems.length > 0 || !name || !terms || !validity || !totalStock || !perMemberLimit || !claimWindow || !eligibility || !scope) {
    return { ok: false, problems };
  }
  return { ok: true, template: { name, terms, validity, totalStock, perMemberLimit, claimWindow, eligibility, scope } };
}

/** The terms alone, for readers that must not trust stored terms blindly (the checkout). */
export function termsProblems(input: unknown): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  readTerms(input, 'terms', (path, reason) => problems.push({ path, reason }));
  return problems;
}

function readName(value: unknown, path: string, report: Report): string | undefined {
  if (typeof value !== 'string') return void report(path, 'name must be text');
  const name = value.trim();
  if (name.length === 0) return void report(path, 'name must not be empty');
  if ([...name].length > MAX_NAME_LENGTH) return void report(path, `name is at most ${MAX_NAME_LENGTH} characters`);
  return name;
}

function readTerms(value: unknown, path: string, report: Report): CouponTerms | undefined {
  if (!isPlainObject(value)) return void report(path, 'terms must be an object');
  const kind = value.kind;
  if (kind !== 'amount_off' && kind !== 'threshold_off' && kind !== 'percent_off' && kind !== 'no_threshold') {
    return void report(`${path}.kind`, 'kind is one of amount_off (立减), threshold_off (满减), percent_off (折扣), no_threshold (无门槛)');
  }
  rejectUnknownKeys(value, TERMS_KEYS[kind], path, report);
  if (kind === 'percent_off') {
    const percentOff = readInteger(value.percentOff, `${path}.percentOff`, 1, 99, report);
    const cap = readFen(value.cap, `${path}.cap`, MAX_COUPON_FEN, report);
    return percentOff !== undefined && cap !== undefined ? { kind, percentOff, cap } : undefined;
  }
  const amountOff = readFen(value.amountOff, `${path}.amountOff`, MAX_COUPON_FEN, report);
  if (kind === 'threshold_off') {
    const threshold = readFen(value.threshold, `${path}.threshold`, MAX_THRESHOLD_FEN, report);
    // 满 100 减 100 is a free product, not 满减: an operator who means that sets a 无门槛 coupon.
    if (threshold !== undefined && amountOff !== undefined && threshold <= amountOff) {
      return void report(`${path}.threshold`, 'a threshold_off threshold must be above its amountOff');
    }
    return threshold !== undefined && amountOff !== undefined ? { kind, threshold, amountOff } : undefined;
  }
  return amountOff !== undefined ? { kind, amountOff } : undefined;
}

function readValidity(value: unknown, path: string, report: Report): ValidityRule | undefined {
  if (!isPlainObject(value)) return void report(path, 'validity must be an object');
  if (value.type === 'fixed') {
    rejectUnknownKeys(value, ['type', 'startsAt', 'endsAt'], path, report);
    const window = readWindow(value, path, report, false);
    return window ? { type: 'fixed', ...window } : undefined;
  }
  if (value.type === 'days_after_claim') {
    rejectUnknownKeys(value, ['type', 'days'], path, report);
    const days = readInteger(value.days, `${path}.days`, 1, MAX_DAYS, report);
    return days !== undefined ? { type: 'days_after_claim', days } : undefined;
  }
  return void report(`${path}.type`, 'validity type is fixed or days_after_claim');
}

function readWindow(value: unknown, path: string, report: Report, strict = true): { startsAt: Date; endsAt: Date } | undefined {
  if (!isPlainObject(value)) return void report(path, 'a window must be an object');
  if (strict) rejectUnknownKeys(value, ['startsAt', 'endsAt'], path, report);
  const startsAt = readTime(value.startsAt, `${path}.startsAt`, report);
  const endsAt = readTime(value.endsAt, `${path}.endsAt`, report);
  if (!startsAt || !endsAt) return undefined;
  if (endsAt.getTime() <= startsAt.getTime()) return void report(`${path}.endsAt`, 'endsAt must be after startsAt');
  return { startsAt, endsAt };
}

// A time without an offset would be read in whatever zone the server runs in: demand one.
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

function readTime(value: unknown, path: string, report: Report): Date | undefined {
  let time: Date | undefined;
  if (value instanceof Date) time = new Date(value.getTime());
  else if (typeof value === 'string' && ISO_WITH_OFFSET.test(value)) time = new Date(value);
  else return void report(path, 'a time is an ISO string with its offset, e.g. 2030-01-01T00:00:00+08:00');
  if (Number.isNaN(time.getTime())) return void report(path, 'not a valid time');
  return time;
}

function readEligibility(value: unknown, path: string, report: Report): Eligibility | undefined {
  if (value === 'anyone') return 'anyone';
  if (!isPlainObject(value)) return void report(path, 'eligibility is "anyone" or one of newMembersWithinDays, campaign, article');
  const keys = Object.keys(value);
  if (keys.length !== 1) return void report(path, 'eligibility names exactly one condition');
  if (keys[0] === 'newMembersWithinDays') {
    // 0 is meaningful: members who joined today (Asia/Shanghai).
    const days = readInteger(value.newMembersWithinDays, `${path}.newMembersWithinDays`, 0, MAX_DAYS, report);
    return days !== undefined ? { newMembersWithinDays: days } : undefined;
  }
  if (keys[0] === 'campaign') {
    const campaign = readId(value.campaign, `${path}.campaign`, report);
    return campaign !== undefined ? { campaign } : undefined;
  }
  if (keys[0] === 'article') {
    const article = readId(value.article, `${path}.article`, report);
    return article !== undefined ? { article } : undefined;
  }
  return void report(`${path}.${keys[0]}`, 'unknown eligibility condition');
}

function readScope(value: unknown, path: string, report: Report): ProductScope | undefined {
  if (value === 'all') return 'all';
  if (!isPlainObject(value)) return void report(path, 'scope is "all" or { productIds }');
  rejectUnknownKeys(value, ['productIds'], path, report);
  const ids = value.productIds;
  if (!Array.isArray(ids)) return void report(`${path}.productIds`, 'productIds must be a list of product ids');
  if (ids.length === 0) return void report(`${path}.productIds`, 'productIds needs at least one id');
  if (ids.length > MAX_PRODUCT_IDS) return void report(`${path}.productIds`, `at most ${MAX_PRODUCT_IDS} product ids`);
  const seen = new Set<string>();
  const productIds: string[] = [];
  let broken = false;
  ids.forEach((raw, index) => {
    const id = readId(raw, `${path}.productIds[${index}]`, report);
    if (id === undefined) broken = true;
    else if (seen.has(id)) {
      broken = true;
      report(`${path}.productIds[${index}]`, 'duplicate product id');
    } else {
      seen.add(id);
      productIds.push(id);
    }
  });
  return broken ? undefined : { productIds };
}

function readFen(value: unknown, path: string, max: number, report: Report): number | undefined {
  return readInteger(value, path, 1, max, report, 'an amount in fen');
}
