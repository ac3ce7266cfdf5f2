export default defineAppConfig({
  pages: ['pages/index/index', 'pages/member/index'],
  // Feature pages live in subpackages so the main package stays small as features grow.
  subPackages: [
    { root: 'packages/member', pages: ['profile/index', 'reminders/index'] },
    // Every article code and share card opens entry/landing (core/entry/scene.ts LANDING_PAGE).
    { root: 'packages/entry', pages: ['landing/index', 'not-found/index'] },
    { root: 'packages/campaign', pages: ['detail/index'] },
    { root: 'packages/coupon', pages: ['center/index', 'wallet/index', 'detail/index'] },
    { root: 'packages/shop', pages: ['list/index', 'detail/index'] },
    { root: 'packages/order', pages: ['checkout/index', 'list/index', 'detail/index'] },
    // Group-buy: a share card opens group/index (through entry/landing); checkout is the order package's.
    { root: 'packages/groupbuy', pages: ['list/index', 'activity/index', 'group/index', 'mine/index'] },
    // Points: the center (签到 in the 公众号 sends a card here), the mall, an item and the member's exchanges.
    { root: 'packages/points', pages: ['center/index', 'mall/index', 'item/index', 'exchanges/index'] },
    // 助力: a campaign and a task (a share card opens task/index through entry/landing).
    { root: 'packages/help', pages: ['task/index'] },
    // The points lottery (the 公众号 menu and its 抽奖 card open index/index) and the member's draws and prizes.
    { root: 'packages/lottery', pages: ['index/index', 'mine/index'] },
    // Reviews: the write page (the order page's 评价 and the review.invite notice open it).
    { root: 'packages/review', pages: ['write/index'] },
    // 砍价: the offer, the member's task and a friend's view in one page (a share card opens it through entry/landing).
    { root: 'packages/bargain', pages: ['task/index'] },
  ],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: 'Duet',
    navigationBarTextStyle: 'black',
  },
  tabBar: {
    color: '#8a8a8a',
    selectedColor: '#e4393c',
    backgroundColor: '#ffffff',
    list: [
      { pagePath: 'pages/index/index', text: '首页', iconPath: 'assets/tab/home.png', selectedIconPath: 'assets/tab/home-active.png' },
      {
        pagePath: 'pages/member/index',
        text: '会员中心',
        iconPath: 'assets/tab/member.png',
        selectedIconPath: 'assets/tab/member-active.png',
      },
    ],
  },
  lazyCodeLoading: 'requiredComponents',
});
