export default definePageConfig({ navigationBarTitleText: 'Duet' });
