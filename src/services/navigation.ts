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

/** Every dead end's way out. */
export function goHome(): Promise<void> {
  return replaceWith(HOME_PAGE);
}
