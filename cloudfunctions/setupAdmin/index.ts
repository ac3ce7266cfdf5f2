import { setupAdminContract } from '../../core/contracts/setup-admin';
import { authorized } from '../../server/admin/authorize-admin';
import { createHandler } from '../../server/handler';
import { doctor } from '../../server/setup/doctor';

// Setup checks for a deployed environment, authorized like `admin`'s: run `doctor` from 云端测试 after a deploy.
export const main = createHandler(setupAdminContract, authorized<typeof setupAdminContract>({ doctor: () => doctor(new Date()) }), {
  audience: { doctor: 'any' },
});
