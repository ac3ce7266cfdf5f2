/**
 * Induced sharing (诱导分享), as WeChat's platform rules name it (PLATFORM.md, sharing): a reward
 * tied to the share itself, a reward for sharing to 朋友圈 or groups, collecting likes, draw chances
 * for sharing or following, and chance inside a share flow. A text that reads like one of these is
 * refused before it reaches a reader; the app's own copy is scanned for them in CI
 * (tests/lint/inducement.test.ts).
 *
 * The unit is one text (a string literal, a template, a notice field): the phrasing the rules name
 * puts the share and the reward in one sentence ("分享小程序至朋友圈，领取专属优惠"). A reward that
 * follows a friend's real participation ("3 位新朋友助力，即得 ¥10 券") names no share and passes.
 */

export type InducementKind = 'reward_for_share' | 'collect_likes' | 'chance_for_share_or_follow' | 'chance_in_share_flow';

export interface Inducement {
  kind: InducementKind;
  /** The words that made the text read as inducement, for the message. */
  matched: string[];
  /** English, for the developer or operator. */
  reason: string;
}

/** Sharing the page or card: to a friend, to 朋友圈, to a group. */
const SHARE = /分享|转发|朋友圈|(?<![拼社人])群(?![众发体])/u;
/** Something of value given for it. */
const REWARD = /领取|领券|领红包|赢取|赢得|获得|可得|即得|送你|赠送|奖励|奖品|大奖|红包|优惠|折扣|免单|免费|积分|[^发]券|礼品|好礼|返现/u;
/** Likes collected from friends (集赞, 点赞换). */
const LIKES = /集赞|攒赞|点赞(?:换|领|送|得|满)/u;
/** Draw chances (抽奖机会, 抽奖次数, 再抽一次). */
const CHANCE = /抽奖(?:机会|次数)|再抽|多抽|额外.{0,4}抽|抽.{0,2}次/u;
const FOLLOW = /关注/u;
/** Chance where a friend's action decides an outcome (随机砍价, 手气, 助力赢大奖). */
const RANDOM = /随机|手气|概率|运气|赢取|大奖/u;
const FRIEND_ACTION = /砍|助力|好友|朋友/u;

function matches(pattern: RegExp, text: string): string {
  return pattern.exec(text)?.[0] ?? '';
}

/** What makes `text` read as induced sharing, or null when it does not. */
export function findInducement(text: string): Inducement | null {
  const share = matches(SHARE, text);
  const likes = matches(LIKES, text);
  if (likes) return { kind: 'collect_likes', matched: [likes], reason: 'collecting likes for a reward is induced sharing' };
  const chance = matches(CHANCE, text);
  const follow = matches(FOLLOW, text);
  if (chance && (share || follow)) {
    return {
      kind: 'chance_for_share_or_follow',
      matched: [share || follow, chance],
      reason: 'draw chances may not be given for sharing or following the 公众号',
    };
  }
  const reward = matches(REWARD, text);
  if (share && reward) {
    return { kind: 'reward_for_share', matched: [share, reward], reason: 'a reward may not be tied to sharing' };
  }
  const random = matches(RANDOM, text);
  const friend = matches(FRIEND_ACTION, text);
  if (random && friend && (share || /砍|助力/u.test(text))) {
    return {
      kind: 'chance_in_share_flow',
      matched: [random, friend],
      reason: 'a share flow may not have an uncertain outcome (random cuts, luck)',
    };
  }
  return null;
}
