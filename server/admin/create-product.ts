import { DuetError } from '../../core/errors';
import { lowestPrice, type Product, type ProductDoc, type SkuDoc, validateProduct } from '../../core/product/product';
import { cloud } from '../cloud';
import { findCampaign } from '../content/repository';
import { newId } from '../ids';
import { findProduct, findProductSkus, findSkus, insertProduct, insertSku } from '../shop/repository';
import { productRow } from './product-row';

export interface CreateProductRequest {
  id?: string;
  campaign?: string;
  product: Record<string, unknown>;
}

/**
 * `createProduct`: the whole product checked at once (every problem in one answer, nothing written
 * when there is one), its images checked to exist in cloud storage. Insert-once by id: the same id
 * with the same product again answers the existing one (created: false); with another, ALREADY_EXISTS.
 */
export async function createProduct(request: CreateProductRequest, now: Date) {
  const checked = validateProduct(request.product);
  const problems = checked.ok ? [] : checked.problems.map((problem) => `product.${problem.path || '(root)'}: ${problem.reason}`);
  if (request.campaign && !(await findCampaign(request.campaign))) problems.push(`campaign: no campaign ${request.campaign}`);
  if (checked.ok) {
    for (const image of await missingImages(checked.product.images)) {
      problems.push(
        `product.images[${checked.product.images.indexOf(image)}]: no such file in cloud storage (upload it first: --image FILE)`,
      );
    }
  }
  if (!checked.ok || problems.length > 0) throw new DuetError('INVALID_ARGUMENT', problems.join('; '));
  return ensureProduct(request.id ?? `prd-${newId().slice(0, 16)}`, checked.product, request.campaign ?? null, now);
}

/**
 * Writes a checked product once: its SKUs first, the product last, so a product is never listed
 * without its SKUs; a run that died in between is finished by the next one. SKU ids another
 * product owns are refused before anything is written.
 */
export async function ensureProduct(id: string, product: Product, campaign: string | null, now: Date) {
  const { productDoc, skuDocs } = productDocs(id, product, campaign, now);
  const existing = await findProduct(id);
  if (existing) {
    if (fingerprint(existing, await findProductSkus([id])) !== fingerprint(productDoc, skuDocs)) {
      throw new DuetError('ALREADY_EXISTS', `product ${id} exists with other content: pick another id, or change it with updateProduct`);
    }
    return { product: productRow(existing, await findProductSkus([id])), created: false };
  }
  const taken = (await findSkus(skuDocs.map((sku) => sku._id))).filter((sku) => sku.productId !== id);
  if (taken.length > 0) {
    throw new DuetError(
      'ALREADY_EXISTS',
      taken.map((sku) => `SKU ${sku._id} belongs to product ${sku.productId}: pick another SKU id`).join('; '),
    );
  }
  for (const sku of skuDocs) await insertSku(sku);
  const created = await insertProduct(productDoc);
  const stored = created ? productDoc : await findProduct(id);
  const skus = await findProductSkus([id]);
  if (!stored || fingerprint(stored, skus) !== fingerprint(productDoc, skuDocs)) {
    throw new DuetError('ALREADY_EXISTS', `product ${id} was created at the same time with other content`);
  }
  return { product: productRow(stored, skus), created };
}

export function productDocs(id: string, product: Product, campaign: string | null, now: Date) {
  const productDoc: ProductDoc = {
    _id: id,
    name: product.name,
    description: product.description,
    images: product.images,
    onShelf: product.onShelf,
    campaign,
    skuIds: product.skus.map((sku) => sku.id),
    priceFrom: lowestPrice(product.skus),
    createdAt: now,
    updatedAt: now,
  };
  const skuDocs: SkuDoc[] = product.skus.map((sku) => ({
    _id: sku.id,
    productId: id,
    ...sku,
    stockTotal: sku.stock,
    createdAt: now,
    updatedAt: now,
  }));
  for (const sku of skuDocs) delete (sku as { id?: string }).id;
  return { productDoc, skuDocs };
}

/**
 * What makes two products "the same" for a re-run: what an operator set that updateProduct never
 * changes (names, texts, images, campaign, SKU ids and specs). Prices, stock and the shelf are left
 * out: they may have been changed since.
 */
function fingerprint(doc: ProductDoc, skus: readonly SkuDoc[]): string {
  const specs = Object.fromEntries(
    skus
      .filter((sku) => doc.skuIds.includes(sku._id))
      .map((sku) => [sku._id, Object.fromEntries(Object.entries(sku.specs).sort(([a], [b]) => (a < b ? -1 : 1)))]),
  );
  return JSON.stringify([
    doc.name,
    doc.description,
    doc.images,
    doc.campaign ?? null,
    doc.skuIds,
    doc.skuIds.map((skuId) => specs[skuId] ?? null),
  ]);
}

/** The file ids cloud storage does not have (it answers each with a status; -503003 is a missing file). */
async function missingImages(fileIds: readonly string[]): Promise<string[]> {
  const answer = (await cloud.getTempFileURL({ fileList: [...fileIds] })) as { fileList?: Array<{ fileID: string; status: number }> };
  const found = new Map((answer.fileList ?? []).map((file) => [file.fileID, file.status]));
  return fileIds.filter((fileId) => found.get(fileId) !== 0);
}
