import { couponAdminContract } from '../../core/contracts/coupon-admin';
import { authorized } from '../../server/admin/authorize-admin';
import { createCouponTemplate } from '../../server/admin/create-coupon-template';
import { grantCoupons } from '../../server/admin/grant-coupons';
import { listCouponTemplates } from '../../server/admin/list-coupon-templates';
import { setNewMemberPack } from '../../server/admin/set-new-member-pack';
import { updateCouponTemplate } from '../../server/admin/update-coupon-template';
import { reconcileCouponStock } from '../../server/coupon/reconcile-stock';
import { createHandler } from '../../server/handler';

/** A run of the reconcile by hand stops starting templates after this long (the timeout is 60 s). */
const RECONCILE_BUDGET_MS = 40_000;

// Coupon console jobs, authorized like `admin`'s: the console, timers and members on the admin list.
export const main = createHandler(
  couponAdminContract,
  authorized<typeof couponAdminContract>({
    createCouponTemplate: (input) => createCouponTemplate(input, new Date()),
    updateCouponTemplate: (input) => updateCouponTemplate(input, new Date()),
    listCouponTemplates: (input) => listCouponTemplates(input),
    setNewMemberPack: (input) => setNewMemberPack(input, new Date()),
    grantCoupons: (input) => grantCoupons(input, new Date()),
    reconcileCoupons: (input) => reconcileCouponStock(new Date(), RECONCILE_BUDGET_MS, input.templateId),
  }),
  {
    audience: {
      createCouponTemplate: 'any',
      updateCouponTemplate: 'any',
      listCouponTemplates: 'any',
      setNewMemberPack: 'any',
      grantCoupons: 'any',
      reconcileCoupons: 'any',
    },
  },
);
