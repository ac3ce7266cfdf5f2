export default definePageConfig({ navigationBarTitleText: '好友砍价', enableShareAppMessage: true });
