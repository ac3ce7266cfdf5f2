import { callCloud } from './cloud';

/** Products on the shelf, newest first; of one campaign when named. */
export function products(campaign?: string) {
  return callCloud('shop', 'products', campaign ? { campaign } : {});
}

/** One product with its specs and SKUs (live prices and stock). */
export function product(productId: string) {
  return callCloud('shop', 'product', { productId });
}
