import { shopContract } from '../../core/contracts/shop';
import { createHandler } from '../../server/handler';
import { showProduct, showProducts } from '../../server/shop/show-products';

export const main = createHandler(shopContract, {
  products: (input) => showProducts(input),
  product: (input) => showProduct(input),
});
