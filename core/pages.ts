/**
 * The app's page paths, defined once for the app, the functions and the admin jobs: no leading
 * slash, no query (as WeChat's page paths and wxacode's `page`).
 */
export const HOME_PAGE = 'pages/index/index';
export const MEMBER_PAGE = 'pages/member/index';
/** Tab pages open with switchTab; the others with redirectTo / navigateTo. */
export const TAB_PAGES: readonly string[] = [HOME_PAGE, MEMBER_PAGE];
/**
 * The page every article code opens (the `page` of wxacode.getUnlimited). It reads the scene,
 * asks `member.visit` where to go and routes to the scene's target `page`, so target pages never
 * need to know about scenes.
 */
export const LANDING_PAGE = 'packages/entry/landing/index';
export const CAMPAIGN_PAGE = 'packages/campaign/detail/index';
/** A campaign's coupon center (query `campaign`); without one, the storefront's coupons claimable now. */
export const COUPON_CENTER_PAGE = 'packages/coupon/center/index';
/** The member's coupons: usable, used and expired. */
export const COUPON_WALLET_PAGE = 'packages/coupon/wallet/index';
/** One coupon of the member and its rules (query `id`: the coupon). */
export const COUPON_DETAIL_PAGE = 'packages/coupon/detail/index';
/** H5 only: where an unknown route lands (the mini-program goes to the home page instead). */
export const NOT_FOUND_PAGE = 'packages/entry/not-found/index';
/** Products on the shelf (query `campaign` optional). */
export const PRODUCT_LIST_PAGE = 'packages/shop/list/index';
/** One product with its SKU picker (query `id`: the product). */
export const PRODUCT_DETAIL_PAGE = 'packages/shop/detail/index';
/** Checkout: address, coupon (the best first), payable, pay (query `lines`: skuId*quantity,…). */
export const CHECKOUT_PAGE = 'packages/order/checkout/index';
/** Write a review of a completed order line (query `orderId`, `line` default 0). */
export const REVIEW_WRITE_PAGE = 'packages/review/write/index';
/** The member's orders with state tabs (query `state` optional). */
export const ORDER_LIST_PAGE = 'packages/order/list/index';
/** One order (query `id`): countdown to auto-cancel, cancel / pay / refund / confirm receipt. */
export const ORDER_DETAIL_PAGE = 'packages/order/detail/index';
/** A group-buy activity: open groups to join, 我要开团 (query `id`: the activity). */
export const GROUP_ACTIVITY_PAGE = 'packages/groupbuy/activity/index';
/** The invite page a share card opens (query `id`: the group, `sharer`: who shared it). */
export const GROUP_INVITE_PAGE = 'packages/groupbuy/group/index';
/** The member's groups with their states. */
export const MY_GROUPS_PAGE = 'packages/groupbuy/mine/index';
/** Running group-buy activities (the storefront's 拼团 entry). */
export const GROUP_LIST_PAGE = 'packages/groupbuy/list/index';
/** Points center: balance, the 7-day check-in calendar, expiring soon, how to earn, history (签到 in the 公众号 sends a card here). */
export const POINTS_CENTER_PAGE = 'packages/points/center/index';
/** The points mall's items (the storefront's 积分商城 entry). */
export const POINTS_MALL_PAGE = 'packages/points/mall/index';
/** One mall item and its exchange confirmation (query `id`: the item). */
export const MALL_ITEM_PAGE = 'packages/points/item/index';
/**
 * 砍价: one page for the running bargains (no query: the storefront's entry), an offer (query `bargain`: the
 * bargain, with the caller's task in it) and a task (query `id`: what a share card opens, for its owner and a friend).
 */
export const BARGAIN_TASK_PAGE = 'packages/bargain/task/index';
/** The member's exchanges. */
export const MY_EXCHANGES_PAGE = 'packages/points/exchanges/index';
/**
 * 助力: a campaign (query `campaign`: start my task, or see it) or one task (query `id`: the owner's
 * progress, or what a friend who opened the card can do).
 */
export const HELP_TASK_PAGE = 'packages/help/task/index';
/** The points lottery (query `id` optional: the newest open one without it); the 公众号 menu and its 抽奖 card open it. */
export const LOTTERY_PAGE = 'packages/lottery/index/index';
/** The member's draws and prizes (claim a product prize's address here). */
export const MY_DRAWS_PAGE = 'packages/lottery/mine/index';
