import { findProductSkus, listProducts as findProducts } from '../shop/repository';
import { productRow } from './product-row';

/** The most products one listing shows (with their SKUs in one query of at most 1000). */
const MAX_PRODUCTS = 100;

/** `listProducts`: products newest first (optionally a campaign's, on or off the shelf), with SKUs and stock. */
export async function listProducts(request: { campaign?: string; onShelf?: boolean }) {
  const products = await findProducts(request, MAX_PRODUCTS);
  const skus = await findProductSkus(products.map((product) => product._id));
  return { products: products.map((product) => productRow(product, skus)) };
}
