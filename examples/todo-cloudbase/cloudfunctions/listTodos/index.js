// The caller's to-dos, oldest first: → { todos: [{ _id, title, done }] }.
const cloud = require('wx-server-sdk');

cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
const db = cloud.database();

exports.main = async () => {
  const { OPENID } = cloud.getWXContext();
  const { data } = await db
    .collection('todos')
    .where({ owner: OPENID || 'console' })
    .orderBy('createdAt', 'asc')
    .field({ title: true, done: true })
    .get();
  return { todos: data };
};
