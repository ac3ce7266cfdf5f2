import type { DrawView, LotteryView } from '../../../core/contracts/lottery';
import { drawsLeftToday, lotteryState } from '../../../core/fission/lottery';
import { shanghaiDay } from '../../../core/points/rules';
import type { Caller } from '../../handler';
import { memberOfCaller } from '../../member/resolve-member';
import { drawView, lotteryView } from './lottery-views';
import { countDrawnToday, findLottery, findPrizeStock, listLotteries, listMemberDraws } from './repository';
import { DuetError } from '../../../core/errors';

/** The lottery page: a lottery (the newest open one when none is named), the caller's balance and draws left today. */
export async function showLottery(
  caller: Caller,
  input: { lotteryId?: string },
  now: Date,
): Promise<{ lottery: LotteryView | null; balance: number; drawsLeftToday: number; serverTime: string }> {
  const member = await memberOfCaller(caller, now);
  const lottery = input.lotteryId
    ? await findLottery(input.lotteryId)
    : ((await listLotteries(20)).find((doc) => lotteryState(doc, now) === 'open') ?? null);
  if (input.lotteryId && !lottery) throw new DuetError('NOT_FOUND', `lottery ${input.lotteryId} does not exist`);
  const balance = Number(member.points ?? 0);
  if (!lottery) return { lottery: null, balance, drawsLeftToday: 0, serverTime: now.toISOString() };
  const [stock, drawn] = await Promise.all([findPrizeStock(lottery._id), countDrawnToday(lottery._id, member._id, shanghaiDay(now))]);
  return {
    lottery: lotteryView(lottery, stock, now),
    balance,
    drawsLeftToday: drawsLeftToday(lottery, drawn),
    serverTime: now.toISOString(),
  };
}

/** The caller's draws, newest first. */
export async function showMyDraws(
  caller: Caller,
  input: { lotteryId?: string; onlyWon?: boolean },
  now: Date,
): Promise<{ draws: DrawView[] }> {
  const member = await memberOfCaller(caller, now);
  const draws = await listMemberDraws(member._id, input);
  return { draws: draws.map(drawView) };
}
