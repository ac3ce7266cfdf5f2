import type { PointsRules } from '../../core/points/rules';
import { findPointsRules, putPointsRules } from '../ledger/repository';

function rulesView(rules: PointsRules) {
  return { ...rules, expiry: { ...rules.expiry } };
}

/** `setPointsRules`: the parts given replace the current ones; the rest stay. */
export async function setPointsRules(input: Partial<PointsRules>) {
  const current = await findPointsRules();
  const next: PointsRules = {
    checkIn: input.checkIn ?? current.checkIn,
    follow: input.follow ?? current.follow,
    purchase: input.purchase ?? current.purchase,
    invite: input.invite ?? current.invite,
    expiry: input.expiry ?? current.expiry,
  };
  await putPointsRules(next);
  return { rules: rulesView(next) };
}

export async function getPointsRules() {
  return { rules: rulesView(await findPointsRules()) };
}
