import { bargainAdminContract } from '../../core/contracts/bargain-admin';
import { authorized } from '../../server/admin/authorize-admin';
import { createBargain, listBargains } from '../../server/fission/bargain/create-bargain';
import { createHandler } from '../../server/handler';

// 砍价 console jobs, authorized like `admin`'s: the console, timers and members on the admin list.
export const main = createHandler(
  bargainAdminContract,
  authorized<typeof bargainAdminContract>({
    createBargain: (input) => createBargain(input, new Date()),
    listBargains: (input) => listBargains(input),
  }),
  { audience: { createBargain: 'any', listBargains: 'any' } },
);
