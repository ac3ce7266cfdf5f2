import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { HelpCampaignView, TaskView } from '../../core/contracts/help';
import { CloudCallError } from '../services/errors';
import * as helpService from '../services/help';
import { helpShareCard } from './help-share';
import { deferred } from './test-support';
import { useHelpTaskStore } from './useHelpTaskStore';

vi.mock('../services/help', () => ({ campaign: vi.fn(), start: vi.fn(), task: vi.fn(), help: vi.fn() }));

const SERVER_TIME = '2026-12-05T02:00:00.000Z';

function taskView(overrides: Partial<TaskView> = {}, viewer: Partial<TaskView['viewer']> = {}): TaskView {
  return {
    taskId: 'hc1:m1:1',
    campaignId: 'hc1',
    title: '新朋友助力领券',
    rule: '邀请 3 位新朋友助力，即得 ¥10 无门槛券',
    audienceLine: '仅限好友发起后新加入的朋友助力，每人每天最多助力 3 次',
    rewardText: '¥10 无门槛券',
    helpersNeeded: 3,
    state: 'open',
    count: 1,
    missing: 2,
    seats: [{ name: '小波', initial: '小' }, null, null],
    ownerName: '爱丽丝',
    ownerInitial: '爱',
    mine: false,
    expiresAt: '2026-12-06T02:00:00.000Z',
    serverTime: SERVER_TIME,
    reward: { kind: 'coupon', state: 'none', couponId: null },
    viewer: { helped: false, canHelp: true, reason: null, message: null, ...viewer },
    ...overrides,
  };
}

function campaignView(overrides: Partial<HelpCampaignView> = {}): HelpCampaignView {
  return {
    campaignId: 'hc1',
    title: '新朋友助力领券',
    rule: '邀请 3 位新朋友助力，即得 ¥10 无门槛券',
    audienceLine: '仅限好友发起后新加入的朋友助力，每人每天最多助力 3 次',
    rewardText: '¥10 无门槛券',
    helpersNeeded: 3,
    taskHours: 24,
    startAt: '2026-01-01T00:00:00.000Z',
    endAt: '2030-12-31T00:00:00.000Z',
    phase: 'running',
    myTask: null,
    canStart: true,
    startRefusal: null,
    serverTime: SERVER_TIME,
    ...overrides,
  };
}

const service = vi.mocked(helpService);
const store = () => useHelpTaskStore.getState();

beforeEach(() => {
  vi.resetAllMocks();
  useHelpTaskStore.setState(useHelpTaskStore.getInitialState(), true);
});

describe('useHelpTaskStore', () => {
  it('loads a task: loading, then ready; a failure shows the server’s message', async () => {
    const pending = deferred<TaskView>();
    service.task.mockReturnValueOnce(pending.promise);
    const done = store().load({ taskId: 'hc1:m1:1' });
    expect(store()).toMatchObject({ key: 't:hc1:m1:1', status: 'loading', task: null });
    pending.resolve(taskView());
    await done;
    expect(store()).toMatchObject({ status: 'ready', task: { count: 1, missing: 2 } });
    expect(store().leftMs(Date.parse(SERVER_TIME) - store().offsetMs)).toBe(24 * 60 * 60 * 1000);

    service.task.mockRejectedValueOnce(new CloudCallError('NOT_FOUND', '这个助力不存在'));
    await store().load({ taskId: 'gone' });
    expect(store()).toMatchObject({ status: 'error', error: '这个助力不存在', task: null });
  });

  it('a campaign shows the member’s task when there is one, and 发起助力 starts it once', async () => {
    service.campaign.mockResolvedValueOnce(campaignView());
    await store().load({ campaignId: 'hc1' });
    expect(store()).toMatchObject({ status: 'ready', task: null, campaign: { canStart: true } });
    const started = deferred<{ task: TaskView; created: boolean }>();
    service.start.mockReturnValueOnce(started.promise);
    const first = store().start();
    // A second tap while the first is on its way is ignored.
    expect(await store().start()).toEqual({ kind: 'busy' });
    started.resolve({ task: taskView({ mine: true, count: 0, missing: 3 }), created: true });
    expect(await first).toEqual({ kind: 'done', message: '助力已发起，快去邀请好友吧' });
    expect(service.start).toHaveBeenCalledTimes(1);
    expect(store()).toMatchObject({ acting: false, task: { mine: true }, campaign: { canStart: false } });
  });

  it('帮TA助力 shows the answered task; a refusal says why and reads the task again', async () => {
    service.task.mockResolvedValueOnce(taskView());
    await store().load({ taskId: 'hc1:m1:1' });
    service.help.mockResolvedValueOnce({ task: taskView({ count: 2, missing: 1 }, { helped: true, canHelp: false }), helperPoints: 10 });
    expect(await store().help()).toEqual({ kind: 'done', message: '助力成功，获得 10 积分' });
    expect(store().task).toMatchObject({ count: 2, viewer: { helped: true } });
    // Helped already: nothing is sent.
    expect(await store().help()).toEqual({ kind: 'busy' });

    useHelpTaskStore.setState({ task: taskView() });
    service.help.mockRejectedValueOnce(new CloudCallError('FAILED_PRECONDITION', '好友的助力已满', undefined, 'task_full'));
    service.task.mockResolvedValueOnce(
      taskView({ count: 3, missing: 0 }, { canHelp: false, reason: 'task_full', message: '好友的助力已满' }),
    );
    expect(await store().help()).toEqual({ kind: 'failed', message: '好友的助力已满' });
    await vi.waitFor(() => expect(store().task?.viewer.reason).toBe('task_full'));
  });

  it('the share card names the offer, carries the sharer, and promises nothing for the share', () => {
    const card = helpShareCard(taskView({ mine: true }), 'm1');
    expect(card.title).toBe('帮我助力「新朋友助力领券」，还差2位');
    expect(card.path).toBe('/packages/entry/landing/index?sharer=m1&to=packages%2Fhelp%2Ftask%2Findex&id=hc1%3Am1%3A1');
    expect(card.title).not.toMatch(/分享|转发|朋友圈|群/);
  });
});
