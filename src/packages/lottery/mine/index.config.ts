export default definePageConfig({ navigationBarTitleText: '我的抽奖' });
