import type { ProductCard, ProductView } from '../../core/contracts/shop';
import { DuetError } from '../../core/errors';
import type { SkuDoc } from '../../core/product/product';
import { tempUrls } from '../file-urls';
import { findProduct, findProductSkus, listProducts } from './repository';

/** How many products a storefront or campaign list shows (a brand's shop, not a marketplace). */
const LIST_LIMIT = 50;

/** On-shelf products, newest first: one query for products, one for their SKUs' stock, one for image URLs. */
export async function showProducts(input: { campaign?: string }): Promise<{ products: ProductCard[] }> {
  const products = await listProducts({ onShelf: true, ...(input.campaign ? { campaign: input.campaign } : {}) }, LIST_LIMIT);
  const skus = await findProductSkus(products.map((product) => product._id));
  const stockOf = new Map<string, number>();
  const highestOf = new Map<string, number>();
  for (const sku of skus) {
    stockOf.set(sku.productId, (stockOf.get(sku.productId) ?? 0) + Math.max(0, sku.stock));
    highestOf.set(sku.productId, Math.max(highestOf.get(sku.productId) ?? 0, sku.price));
  }
  const urls = await tempUrls(products.map((product) => product.images[0]).filter((id): id is string => !!id));
  const urlOf = new Map(products.filter((p) => p.images[0]).map((p, i) => [p._id, urls[i]]));
  return {
    products: products.map((product) => ({
      productId: product._id,
      name: product.name,
      imageUrl: urlOf.get(product._id) || null,
      priceFrom: product.priceFrom,
      priceTo: Math.max(product.priceFrom, highestOf.get(product._id) ?? product.priceFrom),
      soldOut: (stockOf.get(product._id) ?? 0) === 0,
    })),
  };
}

/** One product with its SKUs in the operator's order and its spec names and values for the picker. */
export async function showProduct(input: { productId: string }): Promise<{ product: ProductView }> {
  const product = await findProduct(input.productId);
  if (!product) throw new DuetError('NOT_FOUND', `no product ${input.productId}`);
  const found = new Map((await findProductSkus([product._id])).map((sku) => [sku._id, sku]));
  const skus = product.skuIds.map((id) => found.get(id)).filter((sku): sku is SkuDoc => !!sku);
  const imageUrls = (await tempUrls(product.images)).filter((url) => url !== '');
  return {
    product: {
      productId: product._id,
      name: product.name,
      description: product.description,
      imageUrls,
      onShelf: product.onShelf,
      priceFrom: product.priceFrom,
      specs: specsOf(skus),
      skus: skus.map((sku) => ({ skuId: sku._id, specs: sku.specs, price: sku.price, stock: Math.max(0, sku.stock) })),
    },
  };
}

function specsOf(skus: readonly SkuDoc[]): ProductView['specs'] {
  const values = new Map<string, string[]>();
  for (const sku of skus) {
    for (const [name, value] of Object.entries(sku.specs)) {
      const list = values.get(name) ?? [];
      if (!list.includes(value)) list.push(value);
      values.set(name, list);
    }
  }
  return [...values].map(([name, list]) => ({ name, values: list }));
}
