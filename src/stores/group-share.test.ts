import { describe, expect, it } from 'vitest';
import { activityView, groupView } from './group-fixtures';
import { activityShareCard, h5Url, inviteShareCard, priceWords } from './group-share';

describe('group-buy share cards', () => {
  it('the invite card names the offer and the seats missing, and opens the landing page with the sharer and the group', () => {
    expect(inviteShareCard(groupView(), activityView(), 'm-alice')).toEqual({
      title: '¥39 拼樱花陶瓷马克杯，还差1人',
      path: '/packages/entry/landing/index?sharer=m-alice&to=packages%2Fgroupbuy%2Fgroup%2Findex&id=g1',
      imageUrl: 'https://cdn.example.com/mug.png',
    });
  });

  it('a finished group’s card names the offer only; a sharer not known yet opens the group directly', () => {
    const done = groupView({ state: 'succeeded', missing: 0, free: 0, paid: 2 });
    expect(inviteShareCard(done, activityView({ imageUrl: null }), null)).toEqual({
      title: '¥39 拼樱花陶瓷马克杯',
      path: '/packages/groupbuy/group/index?id=g1',
    });
  });

  it('the activity card says how many make a group', () => {
    expect(activityShareCard(activityView({ groupPrice: 3990 }), 'm1')).toMatchObject({
      title: '¥39.90 拼樱花陶瓷马克杯，2人成团',
      path: '/packages/entry/landing/index?sharer=m1&to=packages%2Fgroupbuy%2Factivity%2Findex&id=gb-mug',
    });
  });

  it('prices are said as people say them', () => {
    expect(priceWords(3900)).toBe('¥39');
    expect(priceWords(3990)).toBe('¥39.90');
    expect(priceWords(5)).toBe('¥0.05');
  });

  it('the H5 link is this app’s page with the card’s path in the hash, never the current URL’s query', () => {
    const location = { origin: 'http://127.0.0.1:8790', pathname: '/' };
    expect(h5Url('/packages/entry/landing/index?sharer=m1', location)).toBe(
      'http://127.0.0.1:8790/#/packages/entry/landing/index?sharer=m1',
    );
  });
});
