import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { ActivityInput } from '../../core/contracts/groupbuy-admin';
import { decideClaim } from '../../core/coupon/claim-decision';
import { validateTemplate } from '../../core/coupon/template';
import { activityPhase } from '../../core/groupbuy/rules';
import { activityDoc } from './create-group-buy';
import { DEMO_MP_ARTICLES } from '../../core/funnel/demo-mp-articles';
import { shanghaiDay } from '../../core/points/rules';
import { DEMO_ARTICLES, DEMO_CAMPAIGNS, DEMO_COUPON_TEMPLATES } from './seed-demo';
import { DEMO_GROUP_BUYS } from './seed-group-buys';
import { DEMO_PRODUCTS } from './seed-products';

// Importing the seed loads the server's modules (and wx-server-sdk's init) but calls no database.
describe('DEMO_COUPON_TEMPLATES', () => {
  it('are all valid templates, as createCouponTemplate would check them', () => {
    expect(DEMO_COUPON_TEMPLATES.length).toBeGreaterThan(0);
    for (const { id, template } of DEMO_COUPON_TEMPLATES) {
      const checked = validateTemplate(template);
      expect(checked, `${id}: ${JSON.stringify(checked)}`).toEqual({ ok: true, template });
    }
  });

  it('have distinct ids and name only demo campaigns', () => {
    const ids = DEMO_COUPON_TEMPLATES.map((entry) => entry.id);
    expect(new Set(ids).size).toBe(ids.length);
    const campaigns = new Set(DEMO_CAMPAIGNS.map((campaign) => campaign._id));
    for (const { id, campaign } of DEMO_COUPON_TEMPLATES) {
      if (campaign !== undefined) expect(campaigns.has(campaign), `${id} names ${campaign}`).toBe(true);
    }
  });

  it('give the demo campaign a coupon center with something to claim today (2026-12-03)', () => {
    const now = new Date('2026-12-03T02:00:00Z');
    const member = { joinedAt: new Date('2026-12-01T00:00:00Z'), hasPaidOrder: false };
    const claimable = DEMO_COUPON_TEMPLATES.filter(
      ({ campaign, template }) =>
        campaign === 'cmp-spring' &&
        decideClaim({ template, status: 'active', stockLeft: template.totalStock, memberClaimed: 0, member, now }).ok,
    );
    expect(claimable.length).toBeGreaterThan(0);
  });
});

describe('DEMO_GROUP_BUYS', () => {
  const now = new Date('2026-12-03T02:00:00Z');

  it('are activities createGroupBuy would accept: valid input, SKUs of their demo product below its price, running today', () => {
    expect(DEMO_GROUP_BUYS.map((entry) => entry.id)).toContain('gb-spring-mug');
    expect(new Set(DEMO_GROUP_BUYS.map((entry) => entry.id)).size).toBe(DEMO_GROUP_BUYS.length);
    for (const { id, activity } of DEMO_GROUP_BUYS) {
      const parsed = z.safeParse(ActivityInput, activity);
      expect(parsed.success, `${id}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
      const product = DEMO_PRODUCTS.find((entry) => entry.id === activity.productId);
      expect(product, `${id} names ${activity.productId}`).toBeDefined();
      for (const { skuId, groupPrice } of activity.skus) {
        const sku = product?.product.skus.find((entry) => entry.id === skuId);
        expect(sku, `${id}: ${skuId}`).toBeDefined();
        expect(groupPrice, `${id}: ${skuId}`).toBeLessThan(sku?.price ?? 0);
      }
      const doc = activityDoc(id, activity, now);
      expect(activityPhase(doc, now), id).toBe('running');
    }
  });
});

describe('DEMO_ARTICLES and their 公众号 numbers (npm run dev loads DEMO_MP_ARTICLES into the 公众号 fake)', () => {
  it('link each demo article to the msgid it was published as, on its publish day', () => {
    for (const article of DEMO_ARTICLES) {
      const published = DEMO_MP_ARTICLES.filter((a) => a.article === article._id);
      expect(article.mpMsgids, article._id).toEqual(published.map((a) => a.msgid));
      expect(published.length, article._id).toBeGreaterThan(0);
      for (const a of published) expect(a.publishedAt, a.msgid).toBe(shanghaiDay(article.publishedAt));
    }
  });

  it('give 30 days from the publish day, readers by scene never more than the readers', () => {
    expect(new Set(DEMO_MP_ARTICLES.map((a) => a.msgid)).size).toBe(DEMO_MP_ARTICLES.length);
    for (const { msgid, publishedAt, days } of DEMO_MP_ARTICLES) {
      const dates = Object.keys(days);
      expect(dates, msgid).toHaveLength(30);
      expect(dates[0], msgid).toBe(publishedAt);
      for (const [date, day] of Object.entries(days)) {
        const scenes = Object.values(day.readUserSource).reduce((sum, n) => sum + n, 0);
        expect(scenes, `${msgid} ${date}`).toBeLessThanOrEqual(day.readUser);
        expect(day.readUser, `${msgid} ${date}`).toBeGreaterThan(0);
      }
    }
  });
});
