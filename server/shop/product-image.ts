import { deflateSync } from 'node:zlib';

/** Two colours of a soft diagonal gradient and the colour of the shape drawn on it (RGB 0–255). */
export interface ImagePalette {
  from: [number, number, number];
  to: [number, number, number];
  shape: [number, number, number];
  /** bottle, box, cup or tube: a simple silhouette that hints at the product. */
  kind: 'bottle' | 'box' | 'cup' | 'tube';
}

/**
 * A square product picture made in code (PNG, `size` px): a soft gradient, a pale halo and a
 * rounded silhouette with a shadow, edges anti-aliased. For the demo shop, whose seed runs inside a
 * function with no image files; real products get real photos (`--image`).
 */
export function productImagePng(palette: ImagePalette, size = 360): Buffer {
  const rows = Buffer.alloc((size * 3 + 1) * size);
  const mix = (a: number, b: number, t: number) => a + (b - a) * t;
  for (let y = 0; y < size; y += 1) {
    const row = y * (size * 3 + 1);
    rows[row] = 1; // PNG filter "Sub": each byte minus its left neighbour, which makes gradients small.
    for (let x = 0; x < size; x += 1) {
      const u = x / size;
      const v = y / size;
      let rgb = palette.from.map((c, i) => mix(c, palette.to[i], (u + v) / 2));
      // A pale halo behind the product.
      const halo = coverage(Math.hypot(u - 0.5, v - 0.46) - 0.34, size);
      rgb = rgb.map((c) => mix(c, 255, 0.35 * halo));
      // The shadow on the ground, then the silhouette.
      const shadow = coverage(Math.hypot((u - 0.5) / 0.26, (v - 0.8) / 0.045) - 1, size / 10);
      rgb = rgb.map((c) => mix(c, 0, 0.18 * shadow));
      const body = coverage(silhouette(palette.kind, u, v), size);
      rgb = rgb.map((c, i) => mix(c, palette.shape[i] * (1 - 0.22 * u), body));
      // A soft highlight on the left edge of the shape.
      const shine = body * coverage(Math.abs(u - silhouetteLeft(palette.kind) - 0.05) - 0.015, size);
      rgb = rgb.map((c) => mix(c, 255, 0.45 * shine));
      for (let i = 0; i < 3; i += 1) {
        const offset = row + 1 + x * 3 + i;
        const value = Math.round(Math.max(0, Math.min(255, rgb[i])));
        const left = x > 0 ? pixels[i] : 0;
        rows[offset] = (value - left) & 0xff;
        pixels[i] = value;
      }
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const pixels = [0, 0, 0];

/** 1 inside (distance < 0), 0 outside, a one-pixel ramp between (distance in image units). */
function coverage(distance: number, size: number): number {
  return Math.max(0, Math.min(1, 0.5 - distance * size));
}

/** Signed distance (image units, negative inside) to the product's silhouette. */
function silhouette(kind: ImagePalette['kind'], u: number, v: number): number {
  switch (kind) {
    case 'bottle':
      return Math.min(roundedBox(u, v, 0.5, 0.56, 0.15, 0.22, 0.06), roundedBox(u, v, 0.5, 0.28, 0.05, 0.08, 0.02));
    case 'box':
      return roundedBox(u, v, 0.5, 0.55, 0.22, 0.22, 0.03);
    case 'cup':
      return Math.min(roundedBox(u, v, 0.47, 0.56, 0.16, 0.2, 0.04), Math.abs(Math.hypot(u - 0.64, v - 0.55) - 0.08) - 0.022);
    default:
      return Math.min(roundedBox(u, v, 0.5, 0.52, 0.1, 0.25, 0.05), roundedBox(u, v, 0.5, 0.8, 0.06, 0.03, 0.01));
  }
}

function silhouetteLeft(kind: ImagePalette['kind']): number {
  return { bottle: 0.35, box: 0.28, cup: 0.31, tube: 0.4 }[kind];
}

function roundedBox(u: number, v: number, cx: number, cy: number, halfW: number, halfH: number, radius: number): number {
  const dx = Math.abs(u - cx) - halfW + radius;
  const dy = Math.abs(v - cy) - halfH + radius;
  return Math.hypot(Math.max(dx, 0), Math.max(dy, 0)) + Math.min(Math.max(dx, dy), 0) - radius;
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

let crcTable: Uint32Array | undefined;

function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n += 1) {
      let c = n;
      for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const byte of bytes) crc = crcTable[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
