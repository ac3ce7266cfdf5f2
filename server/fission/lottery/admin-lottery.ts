import type { LotteryInput, LotteryRow } from '../../../core/contracts/lottery-admin';
import type { CouponTemplateDoc } from '../../../core/coupon/coupon';
import { describeTerms, describeValidity, type ValidityText } from '../../../core/coupon/labels';
import { DuetError } from '../../../core/errors';
import { checkPrizeTable, oddsText, type Prize } from '../../../core/fission/lottery';
import { findTemplates } from '../../coupon/repository';
import { newId } from '../../ids';
import { findSkus } from '../../shop/repository';
import {
  findLottery,
  findPrizeStock,
  insertLottery,
  insertPrizeStock,
  type LotteryDoc,
  listLotteries,
  type StoredPrize,
  setLotteryPaused,
  stockId,
  tallyDraws,
} from './repository';

/**
 * `createLottery`: every problem reported at once, with its path, and nothing written when there
 * is one (the table's own rules from core, then what it names: coupon templates and SKUs that
 * exist, a window that makes sense). The prizes' stock documents are written first and the lottery
 * last, so a lottery that can be read can be drawn. Insert-once by id: the same id with the same
 * lottery answers it (created: false); with another, ALREADY_EXISTS.
 */
export async function createLottery(
  request: { id?: string; lottery: LotteryInput },
  now: Date,
): Promise<{ lottery: LotteryRow; created: boolean }> {
  const input = request.lottery;
  const prizes: Prize[] = input.prizes.map((p) => ({
    id: p.id,
    kind: p.kind,
    title: p.title,
    odds: p.odds,
    ...(p.stock !== undefined ? { stock: p.stock } : {}),
    ...(p.fallback !== undefined ? { fallback: p.fallback } : {}),
    ...(p.templateId !== undefined ? { templateId: p.templateId } : {}),
    ...(p.points !== undefined ? { points: p.points } : {}),
    ...(p.skuId !== undefined ? { skuId: p.skuId } : {}),
  }));
  const problems = checkPrizeTable(prizes).map(
    (issue) => `lottery.prizes${issue.path.map((part) => (typeof part === 'number' ? `.${part}` : `.${part}`)).join('')}: ${issue.message}`,
  );
  const templates = new Map(
    (await findTemplates(prizes.flatMap((p) => (p.templateId ? [p.templateId] : [])))).map((t) => [t._id, t] as const),
  );
  const skus = new Map((await findSkus(prizes.flatMap((p) => (p.skuId ? [p.skuId] : [])))).map((s) => [s._id, s] as const));
  const stored: StoredPrize[] = prizes.map((prize, i) => {
    let subtitle = '';
    if (prize.kind === 'coupon' && prize.templateId) {
      const template = templates.get(prize.templateId);
      if (!template) problems.push(`lottery.prizes.${i}.templateId: no coupon template ${prize.templateId}`);
      else subtitle = `${describeTerms(template.terms).condition} · ${describeValidity(validityText(template.validity), now)}`;
    }
    if (prize.kind === 'product' && prize.skuId) {
      if (!skus.has(prize.skuId)) problems.push(`lottery.prizes.${i}.skuId: no SKU ${prize.skuId}`);
      subtitle = '填写地址后包邮寄出';
    }
    if (prize.kind === 'points') subtitle = '抽中即到账';
    if (prize.kind === 'thanks') subtitle = '感谢参与';
    return { ...prize, subtitle, imageFileId: null };
  });
  const startAt = new Date(input.startAt);
  const endAt = new Date(input.endAt);
  if (endAt.getTime() <= startAt.getTime()) problems.push('lottery.endAt: the window ends after it starts');
  if (endAt.getTime() <= now.getTime()) problems.push('lottery.endAt: the window has already ended');
  if (problems.length > 0) throw new DuetError('INVALID_ARGUMENT', problems.join('; '));

  const id = request.id ?? `lt-${newId().slice(0, 16)}`;
  const doc: LotteryDoc = {
    _id: id,
    title: input.title,
    description: input.description ?? '',
    price: input.price,
    perMemberDaily: input.perMemberDaily,
    totalDaily: input.totalDaily ?? null,
    startAt,
    endAt,
    paused: false,
    prizes: stored,
    createdAt: now,
    updatedAt: now,
  };
  const existing = await findLottery(id);
  if (existing) {
    if (fingerprint(existing) !== fingerprint(doc))
      throw new DuetError(
        'ALREADY_EXISTS',
        `lottery ${id} exists with another table: its odds and prizes never change once published; pick another id`,
      );
    return { lottery: await lotteryRow(existing), created: false };
  }
  for (const prize of stored) {
    if (prize.kind === 'thanks') continue;
    await insertPrizeStock({
      _id: stockId(id, prize.id),
      lotteryId: id,
      prizeId: prize.id,
      stock: prize.stock as number,
      stockLeft: prize.stock as number,
    });
  }
  const created = await insertLottery(doc);
  const kept = created ? doc : await findLottery(id);
  if (!kept) throw new DuetError('INTERNAL', `lottery ${id} exists and cannot be read`);
  if (!created && fingerprint(kept) !== fingerprint(doc))
    throw new DuetError('ALREADY_EXISTS', `lottery ${id} exists with another table; pick another id`);
  return { lottery: await lotteryRow(kept), created };
}

export async function pauseLottery(input: { lotteryId: string; paused: boolean }, now: Date): Promise<{ lottery: LotteryRow }> {
  if (!(await setLotteryPaused(input.lotteryId, input.paused, now)))
    throw new DuetError('NOT_FOUND', `lottery ${input.lotteryId} does not exist`);
  const lottery = await findLottery(input.lotteryId);
  if (!lottery) throw new DuetError('NOT_FOUND', `lottery ${input.lotteryId} does not exist`);
  return { lottery: await lotteryRow(lottery) };
}

export async function lotteryReport(input: { lotteryId?: string }): Promise<{ lotteries: LotteryRow[] }> {
  if (input.lotteryId) {
    const lottery = await findLottery(input.lotteryId);
    if (!lottery) throw new DuetError('NOT_FOUND', `lottery ${input.lotteryId} does not exist`);
    return { lotteries: [await lotteryRow(lottery)] };
  }
  const lotteries = await listLotteries(50);
  return { lotteries: await Promise.all(lotteries.map(lotteryRow)) };
}

async function lotteryRow(lottery: LotteryDoc): Promise<LotteryRow> {
  const [stock, tally] = await Promise.all([findPrizeStock(lottery._id), tallyDraws(lottery._id)]);
  const left = new Map(stock.map((doc) => [doc.prizeId, doc]));
  return {
    id: lottery._id,
    title: lottery.title,
    description: lottery.description,
    price: lottery.price,
    perMemberDaily: lottery.perMemberDaily,
    totalDaily: lottery.totalDaily,
    startAt: new Date(lottery.startAt).toISOString(),
    endAt: new Date(lottery.endAt).toISOString(),
    paused: lottery.paused,
    prizes: lottery.prizes.map((prize) => ({
      id: prize.id,
      kind: prize.kind,
      title: prize.title,
      odds: prize.odds,
      oddsText: oddsText(prize.odds),
      stock: prize.stock ?? null,
      stockLeft: left.get(prize.id)?.stockLeft ?? null,
      fallback: prize.kind === 'thanks' ? null : (prize.fallback ?? (lottery.prizes.find((p) => p.kind === 'thanks')?.id as string)),
      templateId: prize.templateId ?? null,
      points: prize.points ?? null,
      skuId: prize.skuId ?? null,
      won: tally.wonByPrize[prize.id] ?? 0,
    })),
    draws: tally.byState,
    pointsTaken: tally.pointsTaken,
    unclaimed: tally.unclaimed,
    createdAt: new Date(lottery.createdAt).toISOString(),
  };
}

function validityText(rule: CouponTemplateDoc['validity']): ValidityText {
  if (rule.type === 'days_after_claim') return rule;
  return { type: 'fixed', startsAt: new Date(rule.startsAt).toISOString(), endsAt: new Date(rule.endsAt).toISOString() };
}

function fingerprint(doc: LotteryDoc): string {
  const { title, price, perMemberDaily, totalDaily, startAt, endAt, prizes } = doc;
  return JSON.stringify({
    title,
    price,
    perMemberDaily,
    totalDaily,
    startAt: new Date(startAt).toISOString(),
    endAt: new Date(endAt).toISOString(),
    prizes: prizes.map(({ id, kind, title, odds, stock, fallback, templateId, points, skuId }) => ({
      id,
      kind,
      title,
      odds,
      stock,
      fallback,
      templateId,
      points,
      skuId,
    })),
  });
}
