import { describe, expect, it } from 'vitest';
import { pick, readArrival } from './index';

describe('readArrival', () => {
  it('takes the scene from the page query first', () => {
    expect(readArrival({ scene: 'A1' }, { path: 'packages/entry/landing/index', query: { scene: 'B2' } }).scene).toBe('A1');
  });

  it('falls back to the launch options when the code cold-started the app on this page', () => {
    expect(readArrival({}, { path: 'packages/entry/landing/index', query: { scene: 'B2' } }).scene).toBe('B2');
    expect(readArrival({}, { path: '/packages/entry/landing/index', query: { scene: 'B2' } }).scene).toBe('B2');
  });

  it('ignores a launch scene that belonged to another page', () => {
    expect(readArrival({}, { path: 'pages/index/index', query: { scene: 'B2' } }).scene).toBeUndefined();
  });

  it('keeps share parameters', () => {
    expect(readArrival({ sharer: 'm1', campaign: 'c1', to: 'packages/campaign/detail/index' }, null)).toEqual({
      sharer: 'm1',
      campaign: 'c1',
      to: 'packages/campaign/detail/index',
    });
  });
});

describe('pick', () => {
  it('sends the visit the share keys with the shared page’s id, and nothing else', () => {
    const arrival = { sharer: 'm1', to: 'packages/groupbuy/group/index', id: 'g-1', persona: 'bob', $taroTimestamp: '1', campaign: '' };
    expect(pick(arrival)).toEqual({ sharer: 'm1', to: 'packages/groupbuy/group/index', id: 'g-1' });
  });

  it('decodes the share keys WeChat hands over still encoded, and leaves the scene to the server', () => {
    const arrival = { to: 'packages%2Fgroupbuy%2Fgroup%2Findex', id: 'g%3A1', sharer: 'm1', scene: 'A1%2Fb', campaign: '%E0%A4%A' };
    expect(pick(arrival)).toEqual({ to: 'packages/groupbuy/group/index', id: 'g:1', sharer: 'm1', scene: 'A1%2Fb', campaign: '%E0%A4%A' });
  });
});
