/**
 * The demo articles as the 公众号 published them: their msgids (the seed's `mpMsgids` name the same
 * ones; server/admin/seed-demo.test.ts checks it) and 30 days of numbers, which `npm run dev` loads into the local cloud's
 * 公众号 fake (`POST /_emu/mp/articles`), so `pullDatacube` and `articleReport` show real-looking reads.
 * Plain data in core/ so the dev script (scripts/ imports core/ only) and the seed test can read it.
 */

/** One day of an article's numbers, as the fake takes it. */
export interface DemoArticleDay {
  readUser: number;
  readUserSource: Record<string, number>;
  shareUser: number;
  zaikanUser: number;
  likeUser: number;
  collectionUser: number;
  readSubscribeUser: number;
  readFinishRate: number;
}

export interface DemoMpArticle {
  /** The demo article (`articles` `_id`) this publication is. */
  article: string;
  /** `<msg_data_id>_<index>`: the 1st (or 2nd…) article of one publication. */
  msgid: string;
  title: string;
  /** Asia/Shanghai. */
  publishedAt: string;
  contentUrl: string;
  days: Record<string, DemoArticleDay>;
}

const DAY_MS = 86_400_000;
const DAYS = 30;

/**
 * Readers fall by 40 % a day after the push, to a tail of a few a day; followers read it in the
 * 公众号 message on the first days, shares and 朋友圈 carry it later. Whole numbers, the same every run.
 */
function daysOf(publishedAt: string, peak: number): Record<string, DemoArticleDay> {
  const days: Record<string, DemoArticleDay> = {};
  const start = Date.parse(`${publishedAt}T00:00:00Z`);
  for (let d = 0; d < DAYS; d += 1) {
    const readUser = Math.max(3 + ((d * 7) % 5), Math.round(peak * 0.6 ** d));
    const message = Math.round(readUser * (d === 0 ? 0.62 : d < 3 ? 0.45 : 0.2));
    const moments = Math.round(readUser * 0.18);
    const chats = Math.round(readUser * 0.12);
    const recommended = Math.round(readUser * 0.05);
    days[new Date(start + d * DAY_MS).toISOString().slice(0, 10)] = {
      readUser,
      readUserSource: {
        公众号消息: message,
        聊天会话: chats,
        朋友圈: moments,
        推荐: recommended,
        其他: Math.max(0, readUser - message - chats - moments - recommended),
      },
      shareUser: Math.round(readUser * 0.06),
      zaikanUser: Math.round(readUser * 0.01),
      likeUser: Math.round(readUser * 0.03),
      collectionUser: Math.round(readUser * 0.01),
      readSubscribeUser: Math.round(readUser * 0.008),
      readFinishRate: 0.58,
    };
  }
  return days;
}

const PUBLICATIONS = [
  {
    article: 'art-spring',
    msgid: '2247483650_1',
    title: '春季会员节：新会员专享好礼',
    publishedAt: '2026-03-01',
    contentUrl: 'https://mp.weixin.qq.com/s/duet-demo-spring',
    peak: 1860,
  },
  {
    article: 'art-groupbuy',
    msgid: '2247483712_1',
    title: '三人成团，精选好物半价',
    publishedAt: '2026-04-10',
    contentUrl: 'https://mp.weixin.qq.com/s/duet-demo-groupbuy',
    peak: 1240,
  },
  {
    article: 'art-points',
    msgid: '2247483771_2',
    title: '积分翻倍周：签到、下单都翻倍',
    publishedAt: '2026-05-20',
    contentUrl: 'https://mp.weixin.qq.com/s/duet-demo-points',
    peak: 980,
  },
];

export const DEMO_MP_ARTICLES: DemoMpArticle[] = PUBLICATIONS.map(({ peak, ...publication }) => ({
  ...publication,
  days: daysOf(publication.publishedAt, peak),
}));
