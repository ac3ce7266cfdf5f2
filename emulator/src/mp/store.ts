import type { StateStore } from '../context';

/** What the fake 公众号 remembers between requests (and restarts). */
export interface MpState {
  tokens: Array<{ token: string; issuedAt: number; expiresAt: number; supersededAt?: number }>;
  /** Follow details per 公众号 openid (the follow flag itself lives on the persona). */
  subscribers: Record<string, { subscribeTime: number; scene: string; qrScene?: number; qrSceneStr?: string }>;
  /** Last time (ms) each user pushed something: opens the customer-service window. */
  interactions: Record<string, number>;
  qrcodes: Array<{
    ticket: string;
    actionName: string;
    sceneId?: number;
    sceneStr?: string;
    url: string;
    createdAt: number;
    expiresAt?: number;
  }>;
  menu?: { button: unknown[] };
  media: Array<{ mediaId: string; type: string; size: number; createdAt: number }>;
  /**
   * Followers that are no persona (`POST /_emu/mp/followers`), numbered from 1 in the order added.
   * Kept as ranges: 25,000 followers are one entry, so the state saved on every token or push stays small.
   */
  syntheticFollowers: SyntheticRange[];
}

export interface SyntheticRange {
  /** Number of the range's first follower. */
  from: number;
  count: number;
  /** Every other follower of the range (the 1st, 3rd, ...) has a unionid. */
  unionids: boolean;
  /** Seconds, emulator clock: when the range was added. */
  subscribeTime: number;
}

/**
 * A follow or unfollow WeChat saw (a `subscribe` / `unsubscribe` push), for the datacube user
 * statistics. Control-plane changes of a persona's `follows` are not follows: they record nothing.
 */
export interface FollowEvent {
  /** Seconds, emulator clock. */
  time: number;
  openid: string;
  type: 'subscribe' | 'unsubscribe';
  /** `user_source` of `datacube/getusersummary`: how the follow came (for an unfollow: the follow it ends). */
  source: number;
}

/** One article's numbers on one day (Asia/Shanghai), as `POST /_emu/mp/articles` sets them. */
export interface ArticleDay {
  readUser: number;
  /** Readers per scene other than 全部 (公众号消息, 聊天会话, 朋友圈, 公众号主页, 其他, 推荐, 搜一搜). */
  readUserSource: Record<string, number>;
  shareUser: number;
  zaikanUser: number;
  likeUser: number;
  commentCount: number;
  collectionUser: number;
  /** Fen. */
  praiseMoney: number;
  readSubscribeUser: number;
  readDeliveryRate?: number;
  readFinishRate?: number;
  /** Minutes. */
  readAvgActivetime?: number;
  readJumpPosition?: Array<{ position: number; rate: number }>;
}

/** A published article (发表内容) of the 公众号 and its numbers per day: the datacube article statistics. */
export interface MpArticle {
  /** `<msg_data_id>_<index>`, as the datacube APIs name an article. */
  msgid: string;
  title: string;
  /** The publish date, `YYYY-MM-DD` (Asia/Shanghai). */
  publishedAt: string;
  /** 0 notified (群发), 1 published without notification. */
  publishType: 0 | 1;
  contentUrl: string;
  /** By `YYYY-MM-DD`, none before `publishedAt`. */
  days: Record<string, ArticleDay>;
}

const KEY = 'mp';
/** One record per follow event (`mp.follows/<sequence>`), so a push writes one small row. */
const FOLLOWS = 'mp.follows/';
/** One record per article (`mp.articles/<msgid>`). */
const ARTICLES = 'mp.articles/';

export function emptyMpState(): MpState {
  return { tokens: [], subscribers: {}, interactions: {}, qrcodes: [], media: [], syntheticFollowers: [] };
}

export class MpStore {
  state: MpState;
  private follows: FollowEvent[];
  private articleMap: Map<string, MpArticle>;

  constructor(private readonly store: StateStore) {
    this.state = { ...emptyMpState(), ...(store.get<MpState>(KEY) ?? {}) };
    this.follows = store.entries<FollowEvent>(FOLLOWS).map(([, event]) => event);
    this.articleMap = new Map(store.entries<MpArticle>(ARTICLES).map(([, article]) => [article.msgid, article]));
  }

  save(): void {
    this.store.set(KEY, this.state);
  }

  /** Follow events in the order they happened. */
  followEvents(): readonly FollowEvent[] {
    return this.follows;
  }

  recordFollow(event: FollowEvent): void {
    this.follows.push(event);
    this.store.set(`${FOLLOWS}${String(this.follows.length).padStart(12, '0')}`, event);
  }

  articles(): MpArticle[] {
    return [...this.articleMap.values()];
  }

  /** Adds an article, or replaces the one with its msgid. */
  putArticle(article: MpArticle): void {
    this.articleMap.set(article.msgid, article);
    this.store.set(`${ARTICLES}${article.msgid}`, article);
  }

  reset(): void {
    this.state = emptyMpState();
    this.save();
    for (const prefix of [FOLLOWS, ARTICLES]) for (const [key] of this.store.entries(prefix)) this.store.delete(key);
    this.follows = [];
    this.articleMap = new Map();
  }
}
