import { HOME_PAGE } from '../core/entry/plan-visit';
import { LANDING_PAGE } from '../core/entry/scene';

/** Tab pages must be opened with switchTab; the others with redirectTo / navigateTo. */
export const TAB_PAGES = ['pages/index/index', 'pages/member/index'];
export const CAMPAIGN_PAGE = 'packages/campaign/detail/index';
export { HOME_PAGE, LANDING_PAGE };

export function pageUrl(page: string, params: Record<string, string> = {}): string {
  const query = Object.entries(params)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
  return `/${page}${query ? `?${query}` : ''}`;
}
