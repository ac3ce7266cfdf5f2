// Marks one of the caller's to-dos done: event { id } → { updated: 0 | 1 }.
const cloud = require('wx-server-sdk');

cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
const db = cloud.database();

exports.main = async (event) => {
  const { OPENID } = cloud.getWXContext();
  // The owner in the filter: nobody completes someone else's to-do.
  const { stats } = await db
    .collection('todos')
    .where({ _id: String(event.id), owner: OPENID || 'console', done: false })
    .update({ data: { done: true, doneAt: db.serverDate() } });
  return { updated: stats.updated };
};
