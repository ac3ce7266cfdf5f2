import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSubscribeMessage, NOTICE_KINDS, type NoticeKind, type NoticeTemplates } from '../../core/notice/builders';
import { ASK_MOMENTS, MAX_TEMPLATES_PER_ASK } from '../../core/notice/grants';
import * as pages from '../../core/pages';
import { projectRoot } from '../support/cloud';

/**
 * The templates file (what the dispatcher sends and what the local cloud checks against) agrees with
 * the builders: every notice kind is mapped to a registered template, every keyword is filled from a
 * field its kind has, and whatever the notice data holds, the message passes WeChat's limits.
 */
const config = JSON.parse(readFileSync(path.join(projectRoot, 'cloud/subscribe-templates.json'), 'utf8')) as NoticeTemplates & {
  mpTemplates: Array<{ id: string; fields: string[] }>;
};
const APP_PAGES = new Set<string>((Object.values(pages) as unknown[]).filter((value): value is string => typeof value === 'string'));

/** Notice data as the features write it, with every text field replaced by `text`. */
function _sampleData(kind: NoticeKind, text: string): Record<string, unknown> {
  const at = '2026-12-06T15:59:59.999Z';
  return {
    orderId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
    goods: text,
    amount: '59',
    refundAmount: '20.5',
    reason: text,
    carrier: text,
    trackingNo: text,
    name: text,
    summary: text,
    title: text,
    content: text,
    validUntil: at,
    points: 120,
    balance: 480,
    expiresAt: at,
    ...(kind.startsWith('order') || kind.startsWith('group') ? { page: `${pages.ORDER_DETAIL_PAGE}?id=a1b2` } : {}),
  };
}

describe('notice templates: the file and the builders agree', () => {
  it('maps every notice kind, and only those, to a registered template with a page of the app', () => {
    expect(Object.keys(config.notices).sort()).toEqual([...NOTICE_KINDS].sort());
    for (const [kind, mapping] of Object.entries(config.notices)) {
      const template = config.templates.find((t) => t.id === mapping.template);
      expect(template, kind).toBeDefined();
      expect(Object.keys(mapping.keywords).sort(), kind).toEqual(Object.keys(template!.keywords).sort());
      expect(APP_PAGES.has(mapping.page), `${kind}: ${mapping.page}`).toBe(true);
      if (mapping.mp) {
        const mp = config.mpTemplates.find((t) => t.id === mapping.mp!.template);
        expect(mp, kind).toBeDefined();
        expect(Object.keys(mapping.mp.fields).sort(), kind).toEqual([...mp!.fields].sort());
      }
    }
  });

  it('offers, at each moment the app asks, at most 3 registered templates', () => {
    expect(Object.keys(config.asks ?? {}).sort()).toEqual([...ASK_MOMENTS].sort());
    for (const [moment, ids] of Object.entries(config.asks ?? {})) {
      expect(ids.length, moment).toBeGreaterThan(0);
      expect(ids.length, moment).toBeLessThanOrEqual(MAX_TEMPLATES_PER_ASK);
      for (const id of ids)
        expect(
          config.templates.some((t) => t.id === id),
          `${moment}: ${id}`,
        ).toBe(true);
    }
  });

  it('fills the coupon reminder as a member reads it: name, the last day on the Shanghai calendar, the wallet', () => {
    const message = buildSubscribeMessage(config, 'coupon.expiring', {
      name: '春季满99减20券',
      summary: '满99减20元',
      validUntil: '2026-12-06T15:59:59.999Z',
    });
    expect(message).toEqual({
      templateId: 'TPL_COUPON_EXPIRING',
      page: pages.COUPON_WALLET_PAGE,
      data: { thing1: { value: '春季满99减20券' }, date2: { value: '2026年12月6日' }, thing3: { value: '优惠券即将到期，记得使用哦' } },
    });
  });
});
