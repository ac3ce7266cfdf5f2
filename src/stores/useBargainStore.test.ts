import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { BargainOfferView, TaskView } from '../../core/contracts/bargain';
import { loadLastAddress, saveLastAddress } from '../services/address';
import * as bargainService from '../services/bargain';
import { CloudCallError } from '../services/errors';
import { taskShareCard } from './bargain-share';
import { ORDER_SERVER_TIME, orderView, paymentParams } from './order-fixtures';
import { payAndConfirm } from './pay-flow';
import { deferred } from './test-support';
import { useBargainStore } from './useBargainStore';

vi.mock('../services/bargain', () => ({
  list: vi.fn(),
  mine: vi.fn(),
  offer: vi.fn(),
  task: vi.fn(),
  start: vi.fn(),
  cut: vi.fn(),
  buy: vi.fn(),
}));
vi.mock('../services/address', () => ({ loadLastAddress: vi.fn(), saveLastAddress: vi.fn() }));
vi.mock('./pay-flow', () => ({ payAndConfirm: vi.fn() }));

const services = vi.mocked(bargainService);
const payFlow = vi.mocked(payAndConfirm);
const ADDRESS = { name: '张三', phone: '13800138000', region: '浙江省 杭州市 西湖区', detail: '文三路 100 号' };
const SERVER_TIME = '2026-12-05T02:00:00.000Z';
const store = () => useBargainStore.getState();

const offer = (overrides: Partial<BargainOfferView> = {}): BargainOfferView => ({
  bargainId: 'bg-1',
  title: '护手霜好友砍价',
  productId: 'prd-1',
  productName: '护手霜',
  imageUrl: null,
  skuId: 'sku-1',
  specsText: '规格：单支装',
  price: 3900,
  floor: 1900,
  friends: 3,
  cuts: [666, 666, 668],
  rule: '3 位好友帮砍，每人砍 ¥6.66，最后一位砍 ¥6.68，最低 ¥19.00',
  taskHours: 24,
  startAt: '2026-01-01T00:00:00.000Z',
  endAt: '2030-12-31T00:00:00.000Z',
  phase: 'running',
  stockLeft: 10,
  perMemberLimit: 1,
  ...overrides,
});

const task = (me: Partial<TaskView['me']> = {}, overrides: Partial<TaskView> = {}): TaskView => ({
  taskId: 'bt-1',
  bargainId: 'bg-1',
  state: 'open',
  owner: { nickname: '爱丽丝', initial: '爱' },
  price: 3900,
  floor: 1900,
  current: 3234,
  friends: 3,
  cuts: 1,
  nextCut: 666,
  cutters: [{ nickname: '小波', initial: '小', fen: 666 }],
  expiresAt: '2026-12-06T02:00:00.000Z',
  me: { role: 'owner', cut: null, canCut: false, canBuy: true, orderId: null, orderState: null, ...me },
  ...overrides,
});

beforeEach(() => {
  vi.resetAllMocks();
  useBargainStore.setState(useBargainStore.getInitialState(), true);
  vi.mocked(loadLastAddress).mockReturnValue(ADDRESS);
});

describe('useBargainStore', () => {
  it('lists the running bargains and the caller’s tasks; an empty list is ready with nothing in it, a failure says why', async () => {
    services.list.mockResolvedValueOnce({ offers: [offer()], serverTime: SERVER_TIME });
    services.mine.mockResolvedValueOnce({ tasks: [{ task: task(), offer: offer() }], serverTime: SERVER_TIME });
    await store().loadList();
    expect(store()).toMatchObject({ key: 'list', status: 'ready', offers: [offer()], myTasks: [{ task: task(), offer: offer() }] });
    services.list.mockResolvedValueOnce({ offers: [], serverTime: SERVER_TIME });
    services.mine.mockResolvedValueOnce({ tasks: [], serverTime: SERVER_TIME });
    await store().loadList();
    expect(store()).toMatchObject({ status: 'ready', offers: [], myTasks: [] });
    useBargainStore.setState(useBargainStore.getInitialState(), true);
    services.list.mockRejectedValueOnce(new CloudCallError('UNAVAILABLE', '服务繁忙，请稍后重试'));
    services.mine.mockResolvedValueOnce({ tasks: [], serverTime: SERVER_TIME });
    await store().loadList();
    expect(store()).toMatchObject({ status: 'error', error: '服务繁忙，请稍后重试', offers: [] });
  });

  it('loads an offer with the caller’s live task; another task’s page never shows it', async () => {
    const pending = deferred<Awaited<ReturnType<typeof bargainService.offer>>>();
    services.offer.mockReturnValueOnce(pending.promise);
    const done = store().loadOffer('bg-1');
    expect(store()).toMatchObject({ status: 'loading', key: 'bargain:bg-1', offer: null });
    pending.resolve({ offer: offer(), myTask: task(), canStart: false, blocked: null, serverTime: SERVER_TIME });
    await done;
    expect(store()).toMatchObject({ status: 'ready', offer: offer(), task: task(), canStart: false });

    services.task.mockRejectedValueOnce(new CloudCallError('NOT_FOUND', '这次砍价不存在'));
    await store().loadTask('bt-gone');
    expect(store()).toMatchObject({ status: 'error', key: 'task:bt-gone', task: null, offer: null, error: '这次砍价不存在' });
  });

  it('starts a task and shows it in place of the offer’s button', async () => {
    services.offer.mockResolvedValueOnce({ offer: offer(), myTask: null, canStart: true, blocked: null, serverTime: SERVER_TIME });
    await store().loadOffer('bg-1');
    services.start.mockResolvedValueOnce({
      task: task({}, { cuts: 0, cutters: [], current: 3900 }),
      offer: offer(),
      repeated: false,
      serverTime: SERVER_TIME,
    });
    expect(await store().startTask()).toEqual({ kind: 'done', message: '砍价已发起' });
    expect(store()).toMatchObject({ canStart: false, task: { cuts: 0, current: 3900 }, phase: 'idle' });
  });

  it('a friend’s cut answers the fixed amount; a refusal reads the task again and says why', async () => {
    services.task.mockResolvedValue({
      task: task({ role: 'friend', canCut: true, canBuy: false }),
      offer: offer(),
      serverTime: SERVER_TIME,
    });
    await store().loadTask('bt-1');
    services.cut.mockResolvedValueOnce({
      task: task({ role: 'friend', cut: 666, canCut: false, canBuy: false }, { cuts: 2 }),
      fen: 666,
      repeated: false,
      serverTime: SERVER_TIME,
    });
    expect(await store().cut()).toEqual({ kind: 'done', message: '你帮TA砍掉了 ¥6.66' });
    expect(store().task?.me).toMatchObject({ cut: 666, canCut: false });

    useBargainStore.setState({ task: task({ role: 'friend', canCut: true, canBuy: false }) });
    services.cut.mockRejectedValueOnce(new CloudCallError('FAILED_PRECONDITION', 'TA已砍到底价'));
    expect(await store().cut()).toEqual({ kind: 'failed', message: 'TA已砍到底价' });
    expect(services.task).toHaveBeenCalledTimes(2);
    expect(store().phase).toBe('idle');
  });

  it('buys at the server’s price with the address, pays, and ignores a second tap while paying', async () => {
    store().begin();
    services.task.mockResolvedValueOnce({ task: task(), offer: offer(), serverTime: SERVER_TIME });
    await store().loadTask('bt-1');
    const order = orderView({ payable: 3234 });
    services.buy.mockResolvedValueOnce({ order, payment: paymentParams(), repeated: false });
    const paying = deferred<Awaited<ReturnType<typeof payAndConfirm>>>();
    payFlow.mockReturnValueOnce(paying.promise);
    const first = store().buy();
    expect(await store().buy()).toEqual({ kind: 'busy' });
    paying.resolve({ kind: 'confirmed', order: { ...order, state: 'paid' }, serverTime: ORDER_SERVER_TIME });
    expect(await first).toEqual({ kind: 'ordered', orderId: order.orderId, payment: 'confirmed' });
    expect(services.buy).toHaveBeenCalledWith('bt-1', ADDRESS);
    expect(vi.mocked(saveLastAddress)).toHaveBeenCalledWith(ADDRESS);
  });

  it('refuses to buy with an incomplete address, sending nothing', async () => {
    vi.mocked(loadLastAddress).mockReturnValue(null);
    store().begin();
    services.task.mockResolvedValueOnce({ task: task(), offer: offer(), serverTime: SERVER_TIME });
    await store().loadTask('bt-1');
    const outcome = await store().buy();
    expect(outcome.kind).toBe('invalid');
    expect(services.buy).not.toHaveBeenCalled();
    expect(store().editingAddress).toBe(true);
  });
});

describe('taskShareCard', () => {
  it('names the offer and the friends still needed, through the landing page, with no reward for sending it', () => {
    const card = taskShareCard(task(), offer(), 'm-alice');
    expect(card.title).toBe('帮我砍一刀：护手霜，还差 2 位好友砍到 ¥19.00');
    expect(card.path).toBe('/packages/entry/landing/index?sharer=m-alice&to=packages%2Fbargain%2Ftask%2Findex&id=bt-1');
    expect(card.title).not.toMatch(/分享|转发|朋友圈|群|领取|奖励|红包/);
    expect(taskShareCard(task({}, { cuts: 3 }), offer(), null)).toMatchObject({
      title: '护手霜 已砍到 ¥19.00',
      path: '/packages/bargain/task/index?id=bt-1',
    });
  });
});
