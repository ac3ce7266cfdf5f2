import { shopAdminContract } from '../../core/contracts/shop-admin';
import { authorized } from '../../server/admin/authorize-admin';
import { createProduct } from '../../server/admin/create-product';
import { listProducts } from '../../server/admin/list-products';
import { updateProduct } from '../../server/admin/update-product';
import { createHandler } from '../../server/handler';

// Product console jobs, authorized like `admin`'s: the console, timers and members on the admin list.
export const main = createHandler(
  shopAdminContract,
  authorized<typeof shopAdminContract>({
    createProduct: (input) => createProduct(input, new Date()),
    updateProduct: (input) => updateProduct(input, new Date()),
    listProducts: (input) => listProducts(input),
  }),
  { audience: { createProduct: 'any', updateProduct: 'any', listProducts: 'any' } },
);
