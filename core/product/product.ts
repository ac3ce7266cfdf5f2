import { isPlainObject, MAX_ID_LENGTH, readId, readInteger, rejectUnknownKeys } from '../read-input';

/**
 * A product and its SKUs as an operator sets them up. The product (`products`) holds what a list
 * and a detail page show; each SKU (`skus`, `_id` = the SKU id) holds its own price and stock, so
 * an order reserves stock with one conditional update on one SKU document. Money is integer fen.
 */

export interface SkuInput {
  /** Becomes the SKU document's `_id`: unique across all products. */
  id: string;
  /** Spec name → value, e.g. { 颜色: '红', 尺码: 'M' }; every SKU of a product names the same specs. */
  specs: Record<string, string>;
  price: number;
  stock: number;
}

export interface Product {
  name: string;
  description: string;
  /** Cloud storage file ids (`cloud://…`): the app never loads an external URL. */
  images: string[];
  onShelf: boolean;
  skus: SkuInput[];
}

/** Stored in `products`. `priceFrom` is the lowest SKU price, for lists (kept by the writes that change prices). */
export interface ProductDoc {
  _id: string;
  name: string;
  description: string;
  images: string[];
  onShelf: boolean;
  campaign: string | null;
  /** The SKU ids in the operator's order (the SKU picker's order). */
  skuIds: string[];
  priceFrom: number;
  createdAt: Date;
  updatedAt: Date;
}

/** Stored in `skus`. */
export interface SkuDoc {
  _id: string;
  productId: string;
  specs: Record<string, string>;
  price: number;
  stock: number;
  /** Units ever put in stock (the first stock and every add): what the stock reconcile counts from. */
  stockTotal: number;
  /** The last take or give-back: the reconcile waits for a quiet window after it. */
  lastMoveAt?: Date;
  /** False once stock moved, true after the reconcile checked it. */
  reconciled?: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface ProductProblem {
  /** Where, in the input's own shape: `skus[2].price`, `images[0]`. */
  path: string;
  /** Shown to the operator who filled the form. */
  reason: string;
}

export type ProductValidation = { ok: true; product: Product } | { ok: false; problems: ProductProblem[] };

export const MAX_NAME_LENGTH = 30;
export const MAX_DESCRIPTION_LENGTH = 2000;
export const MAX_IMAGES = 9;
export const MAX_SKUS = 50;
export const MAX_SPECS = 3;
export const MAX_SPEC_NAME_LENGTH = 10;
export const MAX_SPEC_VALUE_LENGTH = 20;
/** ¥100,000: no product of a brand's shop costs more; it catches a price typed in fen twice over. */
export const MAX_PRICE_FEN = 10_000_000;
export const MAX_STOCK = 10_000_000;
export { MAX_ID_LENGTH };
export const MAX_FILE_ID_LENGTH = 512;

/** A hostile 60 KB key is named by its first 40 characters, so the refusal stays small. */
const SHOWN_KEY_LENGTH = 40;
const TOP_KEYS = ['name', 'description', 'images', 'onShelf', 'skus'];
const SKU_KEYS = ['id', 'specs', 'price', 'stock'];

/** Records a problem; `count()` says how many so far. */
type Report = ((path: string, reason: string) => void) & { count(): number };

/** The whole input is checked, every problem reported at once, so the operator fixes the form in one go. */
export function validateProduct(input: unknown): ProductValidation {
  const problems: ProductProblem[] = [];
  const report: Report = Object.assign((path: string, reason: string) => void problems.push({ path, reason }), {
    count: () => problems.length,
  });
  if (!isPlainObject(input)) return { ok: false, problems: [{ path: '', reason: 'a product is a JSON object' }] };
  rejectUnknownKeys(input, TOP_KEYS, '', report, SHOWN_KEY_LENGTH);

  const name = readText(input.name, 'name', 1, MAX_NAME_LENGTH, report);
  const description = readText(input.description ?? '', 'description', 0, MAX_DESCRIPTION_LENGTH, report);
  const images = readImages(input.images, 'images', report);
  let onShelf = false;
  if (input.onShelf !== undefined) {
    if (typeof input.onShelf === 'boolean') onShelf = input.onShelf;
    else report('onShelf', 'onShelf is true or false');
  }
  const skus = readSkus(input.skus, 'skus', report);

  if (problems.length > 0 || name === undefined || description === undefined || !images || !skus) return { ok: false, problems };
  return { ok: true, product: { name, description, images, onShelf, skus } };
}

export interface SkuChange {
  skuId: string;
  price?: number;
  addStock?: number;
}

export interface ProductChange {
  onShelf?: boolean;
  skus?: SkuChange[];
}

/**
 * Every problem of an update against the product's SKU ids, at once: an update with any problem
 * writes nothing. (Types and bounds are the contract's; this checks what needs the product.)
 */
export function updateProblems(change: ProductChange, productId: string, skuIds: readonly string[]): ProductProblem[] {
  const problems: ProductProblem[] = [];
  const skus = change.skus ?? [];
  if (change.onShelf === undefined && skus.length === 0) {
    problems.push({ path: '', reason: 'say what to change: onShelf, or skus with price and/or addStock' });
  }
  const seen = new Set<string>();
  skus.forEach((sku, index) => {
    const path = `skus[${index}]`;
    if (!skuIds.includes(sku.skuId)) problems.push({ path: `${path}.skuId`, reason: `product ${productId} has no SKU ${sku.skuId}` });
    else if (seen.has(sku.skuId)) problems.push({ path: `${path}.skuId`, reason: 'the same SKU is listed twice' });
    seen.add(sku.skuId);
    if (sku.price === undefined && sku.addStock === undefined)
      problems.push({ path, reason: 'say what to change: price, addStock or both' });
  });
  return problems;
}

/** The lowest price of the SKUs: what a list shows as 「¥x 起」. */
export function lowestPrice(skus: ReadonlyArray<{ price: number }>): number {
  return skus.reduce((lowest, sku) => Math.min(lowest, sku.price), Number.POSITIVE_INFINITY);
}

/** A SKU's specs in words for pickers and order lines, e.g. 「红 / M」. */
export function specLabel(specs: Record<string, string>): string {
  return Object.values(specs).join(' / ');
}

function readImages(value: unknown, path: string, report: Report): string[] | undefined {
  if (!Array.isArray(value)) return void report(path, 'images is a list of 1 to 9 cloud file ids (upload with the CLI: --image FILE)');
  if (value.length === 0 || value.length > MAX_IMAGES) return void report(path, `a product has 1 to ${MAX_IMAGES} images`);
  const images: string[] = [];
  let broken = false;
  for (const [index, raw] of value.entries()) {
    const at = `${path}[${index}]`;
    if (typeof raw !== 'string' || raw.length === 0) {
      broken = true;
      report(at, 'an image is a cloud file id (cloud://…)');
      continue;
    }
    if (raw.length > MAX_FILE_ID_LENGTH) {
      broken = true;
      report(at, `an image file id is at most ${MAX_FILE_ID_LENGTH} characters`);
      continue;
    }
    if (!/^cloud:\/\/[^\s]+\/[^\s]+$/.test(raw)) {
      broken = true;
      report(
        at,
        'an image is a cloud storage file id (cloud://…): the app never loads external URLs, so upload it first (CLI: --image FILE)',
      );
      continue;
    }
    if (images.includes(raw)) {
      broken = true;
      report(at, 'the same image is listed twice');
      continue;
    }
    images.push(raw);
  }
  return broken ? undefined : images;
}

function readSkus(value: unknown, path: string, report: Report): SkuInput[] | undefined {
  if (!Array.isArray(value)) return void report(path, 'skus is a list of SKUs: { id, specs, price, stock }');
  if (value.length === 0 || value.length > MAX_SKUS) return void report(path, `a product has 1 to ${MAX_SKUS} SKUs`);
  const skus: SkuInput[] = [];
  let broken = false;
  const ids = new Map<string, number>();
  const combinations = new Map<string, number>();
  let specNames: string | undefined;
  for (const [index, raw] of value.entries()) {
    const at = `${path}[${index}]`;
    if (!isPlainObject(raw)) {
      broken = true;
      report(at, 'a SKU is an object: { id, specs, price, stock }');
      continue;
    }
    const before = report.count();
    rejectUnknownKeys(raw, SKU_KEYS, at, report, SHOWN_KEY_LENGTH);
    const id = readId(raw.id, `${at}.id`, report);
    const specs = readSpecs(raw.specs, `${at}.specs`, value.length, report);
    const price = readInteger(raw.price, `${at}.price`, 1, MAX_PRICE_FEN, report, 'a price in fen');
    const stock = readInteger(raw.stock, `${at}.stock`, 0, MAX_STOCK, report, 'stock');
    if (id !== undefined) {
      const first = ids.get(id);
      if (first !== undefined) report(`${at}.id`, `duplicate SKU id (also skus[${first}])`);
      else ids.set(id, index);
    }
    if (specs) {
      const names = JSON.stringify(Object.keys(specs).sort());
      if (specNames === undefined) specNames = names;
      else if (names !== specNames) report(`${at}.specs`, 'every SKU of a product names the same specs (e.g. all 颜色 and 尺码)');
      const combination = JSON.stringify(
        Object.keys(specs)
          .sort()
          .map((key) => [key, specs[key]]),
      );
      const first = combinations.get(combination);
      if (first !== undefined) report(`${at}.specs`, `the same spec values as skus[${first}]: a buyer could not tell them apart`);
      else combinations.set(combination, index);
    }
    if (report.count() !== before || id === undefined || !specs || price === undefined || stock === undefined) broken = true;
    else skus.push({ id, specs, price, stock });
  }
  return broken ? undefined : skus;
}

function readSpecs(value: unknown, path: string, skuCount: number, report: Report): Record<string, string> | undefined {
  if (!isPlainObject(value)) return void report(path, 'specs is an object of spec name → value, e.g. {"颜色":"红","尺码":"M"}');
  const names = Object.keys(value);
  if (names.length > MAX_SPECS) return void report(path, `at most ${MAX_SPECS} specs`);
  if (names.length === 0 && skuCount > 1) return void report(path, 'a product with several SKUs tells them apart by specs');
  const specs: Record<string, string> = {};
  let broken = false;
  for (const name of names) {
    // Spec names become field names of stored documents: no operators, no dotted paths, no prototype keys.
    const shown = name.length > 20 ? `${name.slice(0, 20)}…` : name;
    if (name.trim().length === 0 || [...name].length > MAX_SPEC_NAME_LENGTH || /^[$_]|[.\s]/.test(name)) {
      broken = true;
      report(
        `${path}.${shown}`,
        `a spec name is 1 to ${MAX_SPEC_NAME_LENGTH} characters, without spaces or dots, not starting with $ or _`,
      );
      continue;
    }
    const spec = readText(value[name], `${path}.${name}`, 1, MAX_SPEC_VALUE_LENGTH, report);
    if (spec === undefined) broken = true;
    else specs[name] = spec;
  }
  return broken ? undefined : specs;
}

function readText(value: unknown, path: string, min: number, max: number, report: Report): string | undefined {
  if (typeof value !== 'string') return void report(path, `${lastSegment(path)} must be text`);
  const text = value.trim();
  if (text.length < min) return void report(path, `${lastSegment(path)} must not be empty`);
  // Length in characters as people count them (an emoji is one), checked before anything else reads a huge string.
  if (text.length > max * 2 || [...text].length > max) return void report(path, `${lastSegment(path)} is at most ${max} characters`);
  return text;
}

function lastSegment(path: string): string {
  return path.split('.').pop() || path;
}
