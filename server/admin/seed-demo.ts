import { CAMPAIGN_PAGE, LOTTERY_PAGE } from '../../core/pages';
import type { KeywordRuleInput } from '../../core/admin/keyword-rules';
import type { SceneTarget } from '../../core/entry/scene';
import type { CouponTemplate } from '../../core/coupon/template';
import { insertTemplate } from '../coupon/repository';
import { ensureArticleCode } from './create-article-code';
import { templateDoc } from './create-coupon-template';
import { setNewMemberPack } from './set-new-member-pack';
import { putArticle, putCampaign } from '../content/repository';
import { putKeywordRule } from '../mp/repository';
import { ruleId } from './set-keyword-replies';
import { seedMall } from './seed-mall';
import { seedGroupBuys } from './seed-group-buys';
import { seedProducts } from './seed-products';

/** Fixed, so a second run writes exactly the same documents. */
const SEEDED_AT = new Date('2026-01-01T00:00:00.000Z');

export const DEMO_ARTICLES = [
  {
    _id: 'art-spring',
    title: '春季会员节：新会员专享好礼',
    url: 'https://mp.weixin.qq.com/s/duet-demo-spring',
    publishedAt: new Date('2026-03-01T02:00:00.000Z'),
    /**
     * The 公众号 article(s) it was published as (`<msg_data_id>_<index>`): `articleReport` sums their reads from the
     * datacube. `npm run dev` loads their numbers (core/funnel/demo-mp-articles.ts; a test keeps the two in step).
     */
    mpMsgids: ['2247483650_1'],
  },
  {
    _id: 'art-groupbuy',
    title: '三人成团，精选好物半价',
    url: 'https://mp.weixin.qq.com/s/duet-demo-groupbuy',
    publishedAt: new Date('2026-04-10T02:00:00.000Z'),
    mpMsgids: ['2247483712_1'],
  },
  {
    _id: 'art-points',
    title: '积分翻倍周：签到、下单都翻倍',
    url: 'https://mp.weixin.qq.com/s/duet-demo-points',
    publishedAt: new Date('2026-05-20T02:00:00.000Z'),
    mpMsgids: ['2247483771_2'],
  },
];

export const DEMO_CAMPAIGNS = [
  {
    _id: 'cmp-spring',
    name: '春季会员节',
    description: '新会员领取专属优惠券，老会员积分加倍。',
    startsAt: new Date('2026-01-01T00:00:00.000Z'),
    endsAt: new Date('2030-12-31T16:00:00.000Z'),
  },
  {
    _id: 'cmp-groupbuy',
    name: '好物拼团',
    description: '邀请好友一起拼，三人成团立享半价。',
    startsAt: new Date('2026-01-01T00:00:00.000Z'),
    endsAt: new Date('2030-12-31T16:00:00.000Z'),
  },
  {
    _id: 'cmp-winter',
    name: '冬日暖心季',
    description: '冬季会员专享活动，感谢每一位参与的会员。',
    startsAt: new Date('2025-11-01T00:00:00.000Z'),
    endsAt: new Date('2026-01-31T16:00:00.000Z'),
  },
];

export const DEMO_SCENES: Array<SceneTarget & { scene: string }> = [
  {
    scene: 'spring-a1',
    article: 'art-spring',
    campaign: 'cmp-spring',
    channel: 'article',
    page: CAMPAIGN_PAGE,
    params: { campaign: 'cmp-spring', article: 'art-spring' },
  },
  {
    scene: 'group-a2',
    article: 'art-groupbuy',
    campaign: 'cmp-groupbuy',
    channel: 'article',
    page: CAMPAIGN_PAGE,
    params: { campaign: 'cmp-groupbuy', article: 'art-groupbuy' },
  },
  { scene: 'points-a3', article: 'art-points', channel: 'article', page: 'pages/member/index' },
  { scene: 'spring-poster', campaign: 'cmp-spring', channel: 'poster', page: CAMPAIGN_PAGE, params: { campaign: 'cmp-spring' } },
];

export const DEMO_KEYWORD_RULES: KeywordRuleInput[] = [
  {
    keyword: '优惠',
    match: 'contains',
    reply: { type: 'miniprogrampage', title: '春季会员节：点击领取专属优惠', pagepath: `${CAMPAIGN_PAGE}?campaign=cmp-spring` },
    priority: 10,
  },
  {
    // Points earned in the mini-program, spent from the 公众号: 抽奖 answers with a card to the lottery page.
    keyword: '抽奖',
    match: 'exact',
    reply: { type: 'miniprogrampage', title: '积分抽奖：用积分试试手气', pagepath: LOTTERY_PAGE },
    priority: 20,
  },
  {
    keyword: '你好',
    match: 'exact',
    reply: { type: 'text', content: '你好！欢迎光临，回复「优惠」领取会员福利。' },
    priority: 100,
  },
];

const ALWAYS = { startsAt: new Date('2026-01-01T00:00:00+08:00'), endsAt: new Date('2030-12-31T00:00:00+08:00') };

/** The demo campaign's coupon center, the storefront's coupon, and the new-member pack's template. */
export const DEMO_COUPON_TEMPLATES: Array<{ id: string; campaign?: string; listed: boolean; template: CouponTemplate }> = [
  {
    id: 'tpl-spring-new',
    campaign: 'cmp-spring',
    listed: true,
    template: {
      name: '新人专享券',
      terms: { kind: 'no_threshold', amountOff: 1000 },
      validity: { type: 'days_after_claim', days: 7 },
      totalStock: 1000,
      perMemberLimit: 1,
      claimWindow: ALWAYS,
      eligibility: { newMembersWithinDays: 7 },
      scope: 'all',
    },
  },
  {
    id: 'tpl-spring-99-20',
    campaign: 'cmp-spring',
    listed: true,
    template: {
      name: '春季满减券',
      terms: { kind: 'threshold_off', threshold: 9900, amountOff: 2000 },
      // The last millisecond of a Shanghai day, so the coupon reads and works "until 12月31日".
      validity: { type: 'fixed', startsAt: ALWAYS.startsAt, endsAt: new Date('2030-12-31T23:59:59.999+08:00') },
      totalStock: 500,
      perMemberLimit: 2,
      claimWindow: ALWAYS,
      eligibility: 'anyone',
      scope: 'all',
    },
  },
  {
    id: 'tpl-spring-85',
    campaign: 'cmp-spring',
    listed: true,
    template: {
      name: '会员折扣券',
      terms: { kind: 'percent_off', percentOff: 15, cap: 3000 },
      validity: { type: 'days_after_claim', days: 15 },
      totalStock: 200,
      perMemberLimit: 1,
      claimWindow: ALWAYS,
      eligibility: 'anyone',
      scope: 'all',
    },
  },
  {
    id: 'tpl-spring-later',
    campaign: 'cmp-spring',
    listed: true,
    template: {
      name: '夏日预告券',
      terms: { kind: 'threshold_off', threshold: 29900, amountOff: 6000 },
      validity: { type: 'days_after_claim', days: 7 },
      totalStock: 100,
      perMemberLimit: 1,
      claimWindow: { startsAt: new Date('2030-06-01T00:00:00+08:00'), endsAt: ALWAYS.endsAt },
      eligibility: 'anyone',
      scope: 'all',
    },
  },
  {
    id: 'tpl-store-5',
    listed: true,
    template: {
      name: '全场通用券',
      terms: { kind: 'no_threshold', amountOff: 500 },
      validity: { type: 'days_after_claim', days: 30 },
      totalStock: 10000,
      perMemberLimit: 1,
      claimWindow: ALWAYS,
      eligibility: 'anyone',
      scope: 'all',
    },
  },
  {
    // The 助力 demo campaign's reward (core/fission/demo-help.ts, seeded by scripts/lib/seed.ts through helpAdmin): handed out by completed tasks only, no coupon center lists it.
    id: 'tpl-help-10',
    listed: false,
    template: {
      name: '好友助力券',
      terms: { kind: 'no_threshold', amountOff: 1000 },
      validity: { type: 'days_after_claim', days: 30 },
      totalStock: 10000,
      perMemberLimit: 1,
      claimWindow: ALWAYS,
      eligibility: 'anyone',
      scope: 'all',
    },
  },
  {
    id: 'tpl-welcome-8',
    listed: false,
    template: {
      name: '新人礼包券',
      terms: { kind: 'threshold_off', threshold: 5000, amountOff: 800 },
      validity: { type: 'days_after_claim', days: 30 },
      totalStock: 100000,
      perMemberLimit: 1,
      claimWindow: ALWAYS,
      eligibility: 'anyone',
      scope: 'all',
    },
  },
];

/**
 * `seed`: the demo brand for `npm run dev` (its shop: seed-products.ts; its group-buys:
 * seed-group-buys.ts). Fixed `_id`s and fixed times: a second run writes the same documents
 * (articles, campaigns and keyword rules by `set`, codes, templates, products and group-buys
 * insert-once). It adds to what operators made; it never removes anything.
 */
export async function seedDemo(now: Date) {
  for (const { _id, ...article } of DEMO_ARTICLES) await putArticle(_id, { ...article, createdAt: SEEDED_AT });
  for (const { _id, ...campaign } of DEMO_CAMPAIGNS) await putCampaign(_id, { ...campaign, createdAt: SEEDED_AT });
  const scenes: Array<{ scene: string; fileID: string; created: boolean }> = [];
  for (const target of DEMO_SCENES) {
    // The demo must not depend on which pages the local app has released.
    const { doc, created } = await ensureArticleCode(target, { checkPath: false, envVersion: 'develop' }, now);
    scenes.push({ scene: doc._id, fileID: doc.fileID, created });
  }
  for (const rule of DEMO_KEYWORD_RULES) {
    const { keyword, match, reply, priority } = rule;
    await putKeywordRule(ruleId(rule), { keyword, match, reply, priority, updatedAt: SEEDED_AT });
  }
  // Insert-once: a second run keeps the stock members already claimed from.
  for (const { id, campaign, listed, template } of DEMO_COUPON_TEMPLATES) {
    await insertTemplate(templateDoc(id, template, { campaign, listed }, SEEDED_AT));
  }
  await setNewMemberPack({ templateIds: ['tpl-welcome-8'], trigger: 'login' }, SEEDED_AT, SEEDED_AT);
  const products = await seedProducts(SEEDED_AT);
  // After the products: an activity sells their SKUs.
  const groupBuys = await seedGroupBuys(SEEDED_AT);
  // After the templates and products: mall items issue and ship them.
  const mallItems = await seedMall(SEEDED_AT);
  return {
    articles: DEMO_ARTICLES.length,
    campaigns: DEMO_CAMPAIGNS.length,
    scenes,
    keywordReplies: DEMO_KEYWORD_RULES.length,
    couponTemplates: DEMO_COUPON_TEMPLATES.length,
    products,
    groupBuys,
    mallItems,
  };
}
