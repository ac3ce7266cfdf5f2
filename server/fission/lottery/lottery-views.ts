import type { DrawView, LotteryView, PrizeView } from '../../../core/contracts/lottery';
import { drawsLeftToday, lotteryState, oddsText } from '../../../core/fission/lottery';
import type { DrawDoc, LotteryDoc, PrizeStockDoc } from './repository';

const SHANGHAI_MS = 8 * 3600_000;

/** 12月31日 in Asia/Shanghai. */
function shanghaiDate(at: Date): string {
  const shifted = new Date(new Date(at).getTime() + SHANGHAI_MS);
  return `${shifted.getUTCMonth() + 1}月${shifted.getUTCDate()}日`;
}

export function lotteryView(lottery: LotteryDoc, stock: readonly PrizeStockDoc[], now: Date): LotteryView {
  const left = new Map(stock.map((doc) => [doc.prizeId, doc.stockLeft]));
  const titleOf = new Map(lottery.prizes.map((prize) => [prize.id, prize.title]));
  const thanks = lottery.prizes.find((prize) => prize.kind === 'thanks');
  const prizes: PrizeView[] = lottery.prizes.map((prize) => ({
    prizeId: prize.id,
    kind: prize.kind,
    title: prize.title,
    subtitle: prize.subtitle,
    odds: prize.odds,
    oddsText: oddsText(prize.odds),
    soldOut: prize.kind !== 'thanks' && (left.get(prize.id) ?? 0) <= 0,
    fallbackTitle: prize.kind === 'thanks' ? null : (titleOf.get(prize.fallback ?? '') ?? thanks?.title ?? null),
  }));
  const rules = [
    `每次抽奖消耗 ${lottery.price} 积分，结果由系统随机产生，各奖品中奖概率如上所示`,
    lottery.totalDaily
      ? `每人每天可抽 ${lottery.perMemberDaily} 次；活动每天共 ${lottery.totalDaily} 次，先到先得`
      : `每人每天可抽 ${lottery.perMemberDaily} 次`,
    '奖品抽完后会在上表标明，抽中时改发标明的替代奖品',
    '优惠券抽中即放入卡包，积分即时到账，实物奖品填写收货地址后包邮寄出',
    `活动时间：${shanghaiDate(lottery.startAt)} 至 ${shanghaiDate(lottery.endAt)}`,
  ];
  return {
    lotteryId: lottery._id,
    title: lottery.title,
    description: lottery.description,
    price: lottery.price,
    perMemberDaily: lottery.perMemberDaily,
    totalDaily: lottery.totalDaily,
    startAt: new Date(lottery.startAt).toISOString(),
    endAt: new Date(lottery.endAt).toISOString(),
    state: lotteryState(lottery, now),
    prizes,
    rules,
  };
}

export function drawStateText(draw: DrawDoc): string {
  if (draw.state === 'pending') return '开奖中';
  if (draw.state === 'abandoned') return '未完成，积分未扣除';
  switch (draw.prize?.kind) {
    case 'coupon':
      return '优惠券已放入卡包';
    case 'points':
      return `${draw.prize.points ?? ''} 积分已到账`;
    case 'product':
      return draw.claim === 'claimed' ? '已安排包邮寄出' : '待填写收货地址';
    default:
      return '谢谢参与';
  }
}

export function drawView(draw: DrawDoc): DrawView {
  return {
    drawId: draw._id,
    lotteryId: draw.lotteryId,
    lotteryTitle: draw.lotteryTitle,
    state: draw.state,
    prize: draw.state === 'done' && draw.prize ? { prizeId: draw.prize.prizeId, kind: draw.prize.kind, title: draw.prize.title } : null,
    won: draw.state === 'done' && Boolean(draw.prize && draw.prize.kind !== 'thanks'),
    price: draw.price,
    stateText: drawStateText(draw),
    couponId: draw.couponId,
    orderId: draw.orderId,
    claim: draw.claim,
    createdAt: new Date(draw.createdAt).toISOString(),
  };
}

export { drawsLeftToday };
