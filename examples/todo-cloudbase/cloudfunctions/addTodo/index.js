// Adds a to-do for the caller: event { title } → { _id }.
const cloud = require('wx-server-sdk');

cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
const db = cloud.database();

exports.main = async (event) => {
  const title = typeof event.title === 'string' ? event.title.trim() : '';
  if (!title || title.length > 100) return { error: '标题需为 1 到 100 个字' };
  // Calls from the mini-program carry the user's OPENID; a script or the console has none.
  const { OPENID } = cloud.getWXContext();
  const { _id } = await db.collection('todos').add({
    data: { owner: OPENID || 'console', title, done: false, createdAt: db.serverDate() },
  });
  return { _id };
};
