export default defineAppConfig({
  pages: ['pages/index/index', 'pages/member/index'],
  // Feature pages live in subpackages so the main package stays small as features grow.
  subPackages: [
    {
      root: 'packages/member',
      pages: ['profile/index'],
    },
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
