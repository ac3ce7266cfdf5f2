import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findInducement } from './inducement';

describe('findInducement', () => {
  it.each([
    ['分享小程序至朋友圈，领取专属优惠', 'reward_for_share'],
    ['转发到 3 个群，送你 20 元红包', 'reward_for_share'],
    ['分享给好友即可获得积分', 'reward_for_share'],
    ['集赞换好礼', 'collect_likes'],
    ['点赞满 30 个领奖品', 'collect_likes'],
    ['关注公众号，多一次抽奖机会', 'chance_for_share_or_follow'],
    ['分享后再抽一次', 'chance_for_share_or_follow'],
    ['好友随机砍一刀，最高砍 50 元', 'chance_in_share_flow'],
    ['邀请好友助力，拼手气', 'chance_in_share_flow'],
    ['邀请好友助力，赢取大奖', 'chance_in_share_flow'],
  ])('%s → %s', (text, kind) => {
    expect(findInducement(text)?.kind).toBe(kind);
  });

  it.each([
    '邀请 3 位新朋友助力，即得 ¥10 无门槛券',
    '每位好友砍 ¥2.00，最后一位砍 ¥2.50，最低 ¥49.00',
    '满 2 人成团，超时未成团自动退款',
    '分享给好友',
    '再次分享',
    '拼团价 ¥59.00，立省 ¥40',
    '每次抽奖消耗 100 积分，中奖概率见奖品表',
    '适用人群：新会员专享券',
    '分享人',
    '优惠券已发完',
  ])('%s passes', (text) => {
    expect(findInducement(text)).toBeNull();
  });

  it('a share word with a reward word anywhere in the same text is flagged, whatever surrounds them', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('分享', '转发', '朋友圈', '微信群'),
        fc.constantFrom('领取', '红包', '优惠', '积分', '好礼'),
        fc.string({ maxLength: 8 }),
        fc.string({ maxLength: 8 }),
        (share, reward, before, between) => {
          expect(findInducement(`${before}${share}${between}${reward}`)).not.toBeNull();
        },
      ),
    );
  });
});
