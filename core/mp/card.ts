/**
 * The mini-program card (customer-service `miniprogrampage`) the gateway sends a new follower:
 * it opens the page the QR code's scene names, with its params, or the home page.
 */

export const HOME_PAGE = 'pages/index/index';
export const WELCOME_TITLE = '欢迎关注！点这里进入小程序，会员福利等你领';

/** `page?key=value&...` for a card's `pagepath` (no leading slash, params URL-encoded, keys sorted for stable output). */
export function pagePathOf(page: string | undefined | null, params?: Record<string, string> | null): string {
  const clean = (page ?? '').trim().replace(/^\/+/, '').trim() || HOME_PAGE;
  const entries = Object.entries(params ?? {})
    .filter(([key, value]) => key && value !== undefined && value !== null)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0) return clean;
  return `${clean}?${entries.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`).join('&')}`;
}
