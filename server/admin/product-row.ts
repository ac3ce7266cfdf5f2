import type { ProductDoc, SkuDoc } from '../../core/product/product';

/** A product with its SKUs as the console shows it (SKUs in the operator's order). */
export function productRow(doc: ProductDoc, skus: readonly SkuDoc[]) {
  const byId = new Map(skus.filter((sku) => sku.productId === doc._id).map((sku) => [sku._id, sku]));
  const ordered = doc.skuIds.map((id) => byId.get(id)).filter((sku): sku is SkuDoc => sku !== undefined);
  return {
    id: doc._id,
    name: doc.name,
    description: doc.description,
    images: doc.images,
    onShelf: doc.onShelf,
    campaign: doc.campaign ?? null,
    priceFrom: doc.priceFrom,
    totalStock: ordered.reduce((sum, sku) => sum + sku.stock, 0),
    skus: ordered.map((sku) => ({ id: sku._id, specs: sku.specs, price: sku.price, stock: sku.stock })),
    createdAt: new Date(doc.createdAt).toISOString(),
    updatedAt: new Date(doc.updatedAt).toISOString(),
  };
}
