// Draws the app icons as PNGs with nothing but node's zlib, so no image tool
// is needed. Run from the repository root: `node tools/make-icons.mjs`.
// The output is committed; rerun only when the design below changes.
//
// The design (the same as public/icons/icon.svg): a calm blue tile with six
// light dots sitting in a circle round a soft centre, a Balint group in a
// ring. The maskable icon fills the whole square and keeps every dot inside
// the central safe zone (a circle of 40% of the size), so any mask shape fits.

import { deflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';

const TILE = [0x1f, 0x5f, 0x8b];   // --accent (light theme)
const DOT = [0xff, 0xff, 0xff];
const CENTRE = [0x8c, 0xc4, 0xee]; // --accent (dark theme)

/** Shapes in a 512-unit square, painted in order. */
function shapes(maskable) {
  const out = [maskable
    ? { kind: 'rect', x: 0, y: 0, w: 512, h: 512, r: 0, rgb: TILE }
    : { kind: 'rect', x: 16, y: 16, w: 480, h: 480, r: 104, rgb: TILE }];
  const ring = maskable ? 124 : 140, dot = maskable ? 30 : 34;
  for (let i = 0; i < 6; i++) {
    const a = -Math.PI / 2 + i * Math.PI / 3;
    out.push({ kind: 'circle', cx: 256 + ring * Math.cos(a), cy: 256 + ring * Math.sin(a), r: dot, rgb: DOT });
  }
  out.push({ kind: 'circle', cx: 256, cy: 256, r: maskable ? 54 : 62, rgb: CENTRE });
  return out;
}

function inside(s, x, y) {
  if (s.kind === 'circle') return (x - s.cx) ** 2 + (y - s.cy) ** 2 <= s.r ** 2;
  if (x < s.x || y < s.y || x > s.x + s.w || y > s.y + s.h) return false;
  // Rounded corners: distance to the nearest corner centre.
  const cx = Math.min(Math.max(x, s.x + s.r), s.x + s.w - s.r);
  const cy = Math.min(Math.max(y, s.y + s.r), s.y + s.h - s.r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= s.r ** 2;
}

/** RGBA pixels, 4x4 supersampled so edges are smooth. */
function render(size, maskable) {
  const list = shapes(maskable), n = 4, px = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const ux = (x + (sx + 0.5) / n) * 512 / size, uy = (y + (sy + 0.5) / n) * 512 / size;
          let hit = null;
          for (const s of list) if (inside(s, ux, uy)) hit = s.rgb;
          if (hit) { r += hit[0]; g += hit[1]; b += hit[2]; a += 1; }
        }
      }
      const o = (y * size + x) * 4;
      // Colour is averaged over covered samples only (straight alpha).
      px[o] = a ? Math.round(r / a) : 0; px[o + 1] = a ? Math.round(g / a) : 0;
      px[o + 2] = a ? Math.round(b / a) : 0; px[o + 3] = Math.round(255 * a / (n * n));
    }
  }
  return px;
}

const CRC = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});
function crc32(buf) {
  let c = -1;
  for (const byte of buf) c = CRC[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0); ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; ihdr[9] = 6; // 8-bit RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

function svg(maskable) {
  const parts = shapes(maskable).map(s => {
    const fill = '#' + s.rgb.map(c => c.toString(16).padStart(2, '0')).join('');
    const f = v => +v.toFixed(2);
    return s.kind === 'rect'
      ? `<rect x="${s.x}" y="${s.y}" width="${s.w}" height="${s.h}" rx="${s.r}" fill="${fill}"/>`
      : `<circle cx="${f(s.cx)}" cy="${f(s.cy)}" r="${s.r}" fill="${fill}"/>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">\n  ${parts.join('\n  ')}\n</svg>\n`;
}

const dir = 'public/icons';
writeFileSync(`${dir}/icon-192.png`, png(192, render(192, false)));
writeFileSync(`${dir}/icon-512.png`, png(512, render(512, false)));
writeFileSync(`${dir}/icon-maskable-512.png`, png(512, render(512, true)));
writeFileSync(`${dir}/apple-touch-icon.png`, png(180, render(180, true)));
writeFileSync(`${dir}/icon.svg`, svg(false));
console.log('icons written to', dir);
