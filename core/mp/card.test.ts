import { describe, expect, it } from 'vitest';
import { SCAN_CARD_TITLE, scanCard } from './card';

describe('scanCard', () => {
  it('answers a scan of a code that names an article or a campaign with a card to its page', () => {
    expect(scanCard({ touch: { article: 'art-1' }, pagepath: 'packages/campaign/detail/index?campaign=c' })).toEqual({
      title: SCAN_CARD_TITLE,
      pagepath: 'packages/campaign/detail/index?campaign=c',
    });
    expect(scanCard({ touch: { campaign: 'c' }, pagepath: 'pages/index/index' })?.title).toBe(SCAN_CARD_TITLE);
  });

  it('sends nothing for a code that names neither (WeChat answers a bare 公众号 code itself)', () => {
    expect(scanCard({ touch: {}, pagepath: 'pages/index/index' })).toBeNull();
    expect(scanCard({ touch: { article: '', campaign: '' }, pagepath: 'pages/index/index' })).toBeNull();
  });
});
