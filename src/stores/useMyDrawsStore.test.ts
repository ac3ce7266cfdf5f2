import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { DrawView } from '../../core/contracts/lottery';
import { CloudCallError } from '../services/errors';
import * as lotteryService from '../services/lottery';
import { useMyDrawsStore } from './useMyDrawsStore';

vi.mock('../services/lottery', () => ({ mine: vi.fn(), claim: vi.fn() }));
vi.mock('../services/address', () => ({ loadLastAddress: vi.fn(() => null), saveLastAddress: vi.fn() }));

const mine = vi.mocked(lotteryService.mine);
const claim = vi.mocked(lotteryService.claim);
const store = () => useMyDrawsStore.getState();
const ADDRESS = { name: '张三', phone: '13800138000', region: '浙江省 杭州市 西湖区', detail: '文三路 100 号' };

const cup = (overrides: Partial<DrawView> = {}): DrawView => ({
  drawId: 'd-cup',
  lotteryId: 'lt-1',
  lotteryTitle: '会员积分抽奖',
  state: 'done',
  prize: { prizeId: 'mug', kind: 'product', title: '樱花杯' },
  won: true,
  price: 50,
  stateText: '待填写收货地址',
  couponId: null,
  orderId: null,
  claim: 'unclaimed',
  createdAt: '2026-12-03T02:00:00.000Z',
  ...overrides,
});

beforeEach(() => {
  vi.resetAllMocks();
  useMyDrawsStore.setState(useMyDrawsStore.getInitialState(), true);
});

describe('useMyDrawsStore', () => {
  it('lists the draws; 我的奖品 asks for the prizes only', async () => {
    mine.mockResolvedValueOnce({ draws: [cup()] });
    await store().load();
    expect(store()).toMatchObject({ status: 'ready', draws: [cup()], onlyWon: false });
    mine.mockResolvedValueOnce({ draws: [] });
    await store().load(true);
    expect(mine).toHaveBeenLastCalledWith(true);
    expect(store()).toMatchObject({ status: 'ready', draws: [], onlyWon: true });
  });

  it('a claim checks the address first, sends it once, and shows the claimed prize', async () => {
    mine.mockResolvedValueOnce({ draws: [cup()] });
    await store().load();
    store().openClaim('d-cup');
    expect(await store().claim()).toMatchObject({ kind: 'invalid' });
    expect(claim).not.toHaveBeenCalled();
    for (const [field, value] of Object.entries(ADDRESS)) store().setAddressField(field as keyof typeof ADDRESS, value);
    const claimed = cup({ claim: 'claimed', orderId: 'o1', stateText: '已安排包邮寄出' });
    claim.mockResolvedValueOnce({ draw: claimed, repeated: false });
    expect(await store().claim()).toEqual({ kind: 'claimed', draw: claimed });
    expect(claim).toHaveBeenCalledWith('d-cup', ADDRESS);
    expect(store()).toMatchObject({ claiming: null, submitting: false, draws: [claimed] });
  });

  it('a refused claim keeps the sheet open with the reason', async () => {
    store().openClaim('d-cup');
    for (const [field, value] of Object.entries(ADDRESS)) store().setAddressField(field as keyof typeof ADDRESS, value);
    claim.mockRejectedValueOnce(new CloudCallError('FAILED_PRECONDITION', '樱花杯库存不足'));
    expect(await store().claim()).toEqual({ kind: 'failed', message: '樱花杯库存不足' });
    expect(store()).toMatchObject({ claiming: 'd-cup', submitting: false });
  });
});
