import { DuetError } from '../../core/errors';
import { lowestPrice, type ProductChange, updateProblems } from '../../core/product/product';
import { changeSku, findProduct, findProductSkus, setProductFields } from '../shop/repository';
import { productRow } from './product-row';

export interface UpdateProductRequest extends ProductChange {
  productId: string;
}

/**
 * `updateProduct`: per SKU a new price and/or stock added, the shelf on or off. Every problem is
 * found before the first write (a refused update writes nothing). Stock is added by an increment
 * on the server, so concurrent adds and orders' reservations all count.
 */
export async function updateProduct(request: UpdateProductRequest, now: Date) {
  const product = await findProduct(request.productId);
  if (!product) throw new DuetError('NOT_FOUND', `no product ${request.productId}`);
  const problems = updateProblems(request, product._id, product.skuIds);
  if (problems.length > 0) {
    throw new DuetError('INVALID_ARGUMENT', problems.map((p) => `${p.path || '(root)'}: ${p.reason}`).join('; '));
  }
  for (const change of request.skus ?? []) {
    if (!(await changeSku(change.skuId, product._id, change, now))) {
      throw new DuetError('NOT_FOUND', `SKU ${change.skuId} of product ${product._id} vanished`);
    }
  }
  const priced = (request.skus ?? []).some((change) => change.price !== undefined);
  const fields: { onShelf?: boolean; priceFrom?: number } = {};
  if (request.onShelf !== undefined) fields.onShelf = request.onShelf;
  // Read after this call's own price writes; a concurrent price change recomputes it again after its own.
  if (priced) fields.priceFrom = lowestPrice((await findProductSkus([product._id])).filter((sku) => product.skuIds.includes(sku._id)));
  await setProductFields(product._id, fields, now);
  const updated = await findProduct(product._id);
  if (!updated) throw new DuetError('NOT_FOUND', `product ${product._id} vanished`);
  return { product: productRow(updated, await findProductSkus([product._id])) };
}
