import { HOME_PAGE } from '../pages';

/**
 * The mini-program card (customer-service `miniprogrampage`) the gateway sends a new follower:
 * it opens the page the QR code's scene names, with its params, or the home page.
 */

export const WELCOME_TITLE = '欢迎关注！点这里进入小程序，会员福利等你领';
export const SCAN_CARD_TITLE = '点这里进入小程序查看';

/**
 * A follower who scans a code gets a card only when the code names where they came from (an
 * article or a campaign): a bare 公众号 code is answered by WeChat itself.
 */
export function scanCard(arrival: {
  touch: { article?: string; campaign?: string };
  pagepath: string;
}): { title: string; pagepath: string } | null {
  if (!arrival.touch.article && !arrival.touch.campaign) return null;
  return { title: SCAN_CARD_TITLE, pagepath: arrival.pagepath };
}

/** `page?key=value&...` for a card's `pagepath` (no leading slash, params URL-encoded, keys sorted for stable output). */
export function pagePathOf(page: string | undefined | null, params?: Record<string, string> | null): string {
  const clean = (page ?? '').trim().replace(/^\/+/, '').trim() || HOME_PAGE;
  const entries = Object.entries(params ?? {})
    .filter(([key, value]) => key && value !== undefined && value !== null)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0) return clean;
  return `${clean}?${entries.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`).join('&')}`;
}
