import { groupbuyAdminContract } from '../../core/contracts/groupbuy-admin';
import { authorized } from '../../server/admin/authorize-admin';
import { createGroupBuy } from '../../server/admin/create-group-buy';
import { listGroupBuys } from '../../server/admin/list-group-buys';
import { updateGroupBuy } from '../../server/admin/update-group-buy';
import { createHandler } from '../../server/handler';

// Group-buy console jobs, authorized like `admin`'s: the console, timers and members on the admin list.
export const main = createHandler(
  groupbuyAdminContract,
  authorized<typeof groupbuyAdminContract>({
    createGroupBuy: (input) => createGroupBuy(input, new Date()),
    updateGroupBuy: (input) => updateGroupBuy(input, new Date()),
    listGroupBuys: (input) => listGroupBuys(input),
  }),
  { audience: { createGroupBuy: 'any', updateGroupBuy: 'any', listGroupBuys: 'any' } },
);
