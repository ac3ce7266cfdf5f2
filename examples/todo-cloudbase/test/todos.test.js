// Run with `npm test`: `duet-local-cloud exec -- node --test` starts an ephemeral local cloud serving
// this project's functions and gives this process its address in DUET_EMULATOR_URL.
const assert = require('node:assert/strict');
const { beforeEach, describe, it } = require('node:test');
const { createCloudClient } = require('duet-local-cloud/client');

const url = process.env.DUET_EMULATOR_URL;
if (!url) throw new Error('DUET_EMULATOR_URL is not set: run the tests with `npm test` (duet-local-cloud exec -- node --test)');

// The real wx-server-sdk, pointed at the local cloud: the same calls the mini-program's backend makes.
Object.assign(process.env, {
  TCB_CONTEXT_CNFG: JSON.stringify({ URL: `${url}/admin` }),
  TENCENTCLOUD_SECRETID: 'dummy',
  TENCENTCLOUD_SECRETKEY: 'dummy',
  TENCENTCLOUD_RUNENV: 'SCF',
  TENCENTCLOUD_REGION: 'ap-shanghai',
  SCF_NAMESPACE: 'duet-local',
});
const cloud = require('wx-server-sdk');

cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
const db = cloud.database();
const emulator = createCloudClient(url);

const call = async (name, data) => (await cloud.callFunction({ name, data })).result;
const HOUR_MS = 60 * 60 * 1000;

describe('to-do list', () => {
  // Every test starts from an empty database and the real time.
  beforeEach(() => emulator.reset());

  it('adds and lists to-dos through the real SDK', async () => {
    const first = await call('addTodo', { title: '买牛奶' });
    await call('addTodo', { title: '  写周报 ' });
    assert.match(first._id, /\S/);
    const { todos } = await call('listTodos', {});
    assert.deepEqual(
      todos.map(({ title, done }) => ({ title, done })),
      [
        { title: '买牛奶', done: false },
        { title: '写周报', done: false },
      ],
    );
    assert.deepEqual(await call('addTodo', { title: ' ' }), { error: '标题需为 1 到 100 个字' });
  });

  it('keeps each user to their own to-dos', async () => {
    await emulator.personas.upsert([{ name: 'alice' }, { name: 'bob' }]);
    // As the mini-program calls it: with the user's OPENID.
    const asUser = async (persona, name, event) => {
      const answer = await emulator.invoke(name, { persona, event });
      assert.equal(answer.error, undefined, JSON.stringify(answer.error));
      return answer.result;
    };
    const { _id } = await asUser('alice', 'addTodo', { title: 'alice 的事' });
    await asUser('bob', 'addTodo', { title: 'bob 的事' });
    assert.deepEqual(
      (await asUser('alice', 'listTodos', {})).todos.map((todo) => todo.title),
      ['alice 的事'],
    );
    assert.deepEqual(await asUser('bob', 'completeTodo', { id: _id }), { updated: 0 });
    assert.deepEqual(await asUser('alice', 'completeTodo', { id: _id }), { updated: 1 });
    const stored = (await db.collection('todos').doc(_id).get()).data;
    assert.equal(stored.owner, 'o-mini-alice');
    assert.equal(stored.done, true);
  });

  it('purgeDone, fired from the control plane, removes to-dos done over an hour ago, and only those', async () => {
    const { triggers } = await emulator.triggers.list();
    assert.deepEqual(
      triggers.map(({ function: fn, name, config }) => ({ fn, name, config })),
      [{ fn: 'purgeDone', name: 'purgeDoneDaily', config: '0 0 3 * * * *' }],
    );
    // Noon in Beijing: moving two hours on does not reach the 03:00 run.
    await emulator.clock.set('2026-03-01T12:00:00+08:00');
    const done = await call('addTodo', { title: '已完成' });
    const open = await call('addTodo', { title: '未完成' });
    assert.deepEqual(await call('completeTodo', { id: done._id }), { updated: 1 });

    // Done just now: kept.
    assert.deepEqual((await emulator.triggers.fire('purgeDone')).result, { removed: 0 });
    // Two hours later on the local cloud's clock (functions and serverDate follow it).
    await emulator.clock.advance(2 * HOUR_MS);
    assert.deepEqual((await emulator.triggers.fire('purgeDone')).result, { removed: 1 });

    const { data } = await db.collection('todos').get();
    assert.deepEqual(
      data.map((todo) => todo._id),
      [open._id],
    );
  });

  it('purgeDone runs by itself at 03:00 when the clock passes it', async () => {
    await emulator.clock.set('2026-03-01T01:00:00+08:00');
    const done = await call('addTodo', { title: '昨晚完成' });
    await call('completeTodo', { id: done._id });
    // 01:00 → 04:00: the timer is due at 03:00 and fires on its own (not called by this test).
    await emulator.clock.advance(3 * HOUR_MS);
    let timerRuns = [];
    for (let attempt = 0; attempt < 100 && timerRuns.length === 0; attempt++) {
      const { logs } = await emulator.functions.logs('purgeDone');
      timerRuns = logs.filter((log) => log.trigger && log.status !== undefined);
      if (timerRuns.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(timerRuns.length, 1, 'the timer fired once');
    assert.equal(timerRuns[0].status, 'success');
    assert.equal((await db.collection('todos').count()).total, 0);
  });
});
