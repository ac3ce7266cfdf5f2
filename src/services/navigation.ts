import Taro from '@tarojs/taro';
import { HOME_PAGE, pageUrl, TAB_PAGES } from '../routes';

/** Replaces the current page with `page`: tab pages cannot take a query, so they get none. */
export async function replaceWith(page: string, params: Record<string, string> = {}): Promise<void> {
  if (TAB_PAGES.includes(page)) {
    await Taro.switchTab({ url: `/${page}` });
    return;
  }
  await Taro.redirectTo({ url: pageUrl(page, params) });
}

/** Opens `page` on top of the current one (a tab page is switched to: it cannot be stacked). */
export async function openPage(page: string, params: Record<string, string> = {}): Promise<void> {
  if (TAB_PAGES.includes(page)) {
    await Taro.switchTab({ url: `/${page}` });
    return;
  }
  await Taro.navigateTo({ url: pageUrl(page, params) });
}

/**
 * The current page's query, decoded. WeChat hands a page its query still URL-encoded (and Taro's
 * H5 router does too), so an id with `:` in it arrives as `%3A`; a value that is not valid
 * percent-encoding is kept as it came.
 */
export function pageParams(): Record<string, string | undefined> {
  const raw = (Taro.getCurrentInstance().router?.params ?? {}) as Record<string, string | undefined>;
  const params: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'string') continue;
    try {
      params[key] = decodeURIComponent(value);
    } catch {
      params[key] = value;
    }
  }
  return params;
}

/** Every dead end's way out. */
export function goHome(): Promise<void> {
  return replaceWith(HOME_PAGE);
}
