import type { Product } from '../../core/product/product';
import { cloud } from '../cloud';
import { type ImagePalette, productImagePng } from '../shop/product-image';
import { ensureProduct } from './create-product';

/** The demo shop of the demo campaign `cmp-spring`: fixed ids, pictures made in code. */
export const DEMO_PRODUCTS: Array<{ id: string; campaign: string; palette: ImagePalette; product: Omit<Product, 'images'> }> = [
  {
    id: 'prd-spring-tea',
    campaign: 'cmp-spring',
    palette: { from: [226, 240, 222], to: [196, 222, 200], shape: [86, 140, 96], kind: 'box' },
    product: {
      name: '明前龙井春茶礼盒',
      description: '西湖产区明前采摘，清香回甘，礼盒装适合送礼。',
      onShelf: true,
      skus: [
        { id: 'sku-spring-tea-125', specs: { 规格: '125g' }, price: 8800, stock: 50 },
        { id: 'sku-spring-tea-250', specs: { 规格: '250g' }, price: 15800, stock: 30 },
      ],
    },
  },
  {
    id: 'prd-spring-mug',
    campaign: 'cmp-spring',
    palette: { from: [222, 234, 248], to: [200, 214, 240], shape: [238, 170, 184], kind: 'cup' },
    product: {
      name: '樱花陶瓷马克杯',
      description: '手工上釉，容量 350ml，可用于微波炉。',
      onShelf: true,
      skus: [
        { id: 'sku-spring-mug-pink', specs: { 颜色: '樱粉' }, price: 4900, stock: 100 },
        { id: 'sku-spring-mug-blue', specs: { 颜色: '天青' }, price: 4900, stock: 80 },
        { id: 'sku-spring-mug-white', specs: { 颜色: '米白' }, price: 5900, stock: 10 },
      ],
    },
  },
  {
    id: 'prd-spring-lotion',
    campaign: 'cmp-spring',
    palette: { from: [250, 226, 214], to: [232, 196, 206], shape: [196, 84, 96], kind: 'bottle' },
    product: {
      name: '玫瑰香氛身体乳',
      description: '玫瑰精油配方，清爽不黏腻，春季保湿之选。',
      onShelf: true,
      skus: [
        { id: 'sku-spring-lotion-200-rose', specs: { 容量: '200ml', 香型: '玫瑰' }, price: 6900, stock: 60 },
        { id: 'sku-spring-lotion-200-lily', specs: { 容量: '200ml', 香型: '百合' }, price: 6900, stock: 40 },
        { id: 'sku-spring-lotion-400-rose', specs: { 容量: '400ml', 香型: '玫瑰' }, price: 11900, stock: 25 },
        { id: 'sku-spring-lotion-400-lily', specs: { 容量: '400ml', 香型: '百合' }, price: 11900, stock: 0 },
      ],
    },
  },
  {
    id: 'prd-spring-cream',
    campaign: 'cmp-spring',
    palette: { from: [250, 240, 220], to: [240, 220, 190], shape: [214, 150, 80], kind: 'tube' },
    product: {
      name: '蜂蜜护手霜',
      description: '天然蜂蜜滋养，随身小支装。',
      onShelf: true,
      skus: [
        { id: 'sku-spring-cream-1', specs: { 规格: '单支装' }, price: 3900, stock: 200 },
        { id: 'sku-spring-cream-3', specs: { 规格: '三支装' }, price: 9900, stock: 50 },
      ],
    },
  },
];

/**
 * Uploads each demo product's picture (the same path each run: the same file id) and writes the
 * product once: a second seed keeps the stock, prices and shelf operators changed since.
 */
export async function seedProducts(now: Date) {
  for (const { id, campaign, palette, product } of DEMO_PRODUCTS) {
    const uploaded = await cloud.uploadFile({ cloudPath: `products/demo/${id}.png`, fileContent: productImagePng(palette) });
    await ensureProduct(id, { ...product, images: [uploaded.fileID] }, campaign, now);
  }
  return DEMO_PRODUCTS.length;
}
