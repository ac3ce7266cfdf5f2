export {
  BARGAIN_TASK_PAGE,
  CAMPAIGN_PAGE,
  CHECKOUT_PAGE,
  COUPON_CENTER_PAGE,
  COUPON_DETAIL_PAGE,
  COUPON_WALLET_PAGE,
  GROUP_ACTIVITY_PAGE,
  GROUP_INVITE_PAGE,
  GROUP_LIST_PAGE,
  HELP_TASK_PAGE,
  HOME_PAGE,
  LANDING_PAGE,
  LOTTERY_PAGE,
  MALL_ITEM_PAGE,
  MEMBER_PAGE,
  MY_DRAWS_PAGE,
  MY_EXCHANGES_PAGE,
  MY_GROUPS_PAGE,
  NOT_FOUND_PAGE,
  ORDER_DETAIL_PAGE,
  ORDER_LIST_PAGE,
  POINTS_CENTER_PAGE,
  POINTS_MALL_PAGE,
  PRODUCT_DETAIL_PAGE,
  PRODUCT_LIST_PAGE,
  REVIEW_WRITE_PAGE,
  TAB_PAGES,
} from '../core/pages';

export function pageUrl(page: string, params: Record<string, string> = {}): string {
  const query = Object.entries(params)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
  return `/${page}${query ? `?${query}` : ''}`;
}
