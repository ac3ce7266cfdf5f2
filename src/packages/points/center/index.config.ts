export default definePageConfig({ navigationBarTitleText: '积分中心' });
