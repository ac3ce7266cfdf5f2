import { couponContract } from '../../core/contracts/coupon';
import { createHandler } from '../../server/handler';
import { claimCoupon } from '../../server/coupon/claim-coupon';
import { showCenter } from '../../server/coupon/show-center';
import { showCoupon } from '../../server/coupon/show-coupon';
import { showWallet } from '../../server/coupon/show-wallet';

export const main = createHandler(couponContract, {
  center: (input, { caller }) => showCenter(caller, input, new Date()),
  claim: (input, { caller }) => claimCoupon(caller, input, new Date()),
  wallet: (_input, { caller }) => showWallet(caller, new Date()),
  detail: (input, { caller }) => showCoupon(caller, input, new Date()),
});
