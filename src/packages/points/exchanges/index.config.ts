export default definePageConfig({ navigationBarTitleText: '我的兑换' });
