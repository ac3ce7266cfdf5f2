export default definePageConfig({ navigationBarTitleText: '邀请参团', enableShareAppMessage: true });
