// Timer (every day at 03:00, Beijing time): removes to-dos done more than an hour ago (one ticked
// off at 02:59 stays until the next night).
const cloud = require('wx-server-sdk');

cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
const db = cloud.database();
const _ = db.command;

const HOUR_MS = 60 * 60 * 1000;

exports.main = async () => {
  // The platform's clock: under the local cloud it follows POST /_emu/clock.
  const cutoff = new Date(Date.now() - HOUR_MS);
  const { stats } = await db
    .collection('todos')
    .where({ done: true, doneAt: _.lt(cutoff) })
    .remove();
  console.log(`purged ${stats.removed} done to-dos`);
  return { removed: stats.removed };
};
