// Run by tools/sw-manifest.mjs (trunk's post_build hook) when it is done: minifies the
// JavaScript a phone downloads, which trunk 0.21 leaves as written, and puts
// the new Subresource Integrity hash of each changed file into index.html.
//
// Measured (brotli 11): wasm-bindgen glue 7.9 -> 6.1 KB, sw.js 2.1 -> 0.8 KB,
// embed.js 1.3 -> 0.6 KB. Names the page or the worker share (exports,
// `self.__PRECACHE`) are kept: modules keep their exports, and classic
// scripts (sw.js, embed.js) are not mangled at the top level.

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { minify } from 'terser';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error('minify: TRUNK_STAGING_DIR is not set (run me from a trunk post_build hook)');
  process.exit(1);
}

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [relative(staging, full).split(sep).join('/')];
  });
}

const classic = new Set(['sw.js', 'embed.js']);
const indexPath = join(staging, 'index.html');
let index = readFileSync(indexPath, 'utf8');
let before = 0;
let after = 0;
for (const path of walk(staging).filter((p) => p.endsWith('.js')).sort()) {
  const full = join(staging, path);
  const source = readFileSync(full, 'utf8');
  const out = await minify(source, {
    module: !classic.has(path),
    compress: { passes: 2 },
    mangle: true,
    format: { comments: false },
  });
  if (!out.code) {
    console.error(`minify: terser gave nothing for ${path}`);
    process.exit(1);
  }
  writeFileSync(full, out.code);
  before += source.length;
  after += out.code.length;
  // The element that loads this file carries its hash: replace it.
  const attr = new RegExp(`(href="\\./${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"[^>]*integrity=")sha384-[^"]+"`);
  if (attr.test(index)) {
    const sri = createHash('sha384').update(out.code).digest('base64');
    index = index.replace(attr, `$1sha384-${sri}"`);
  }
}
writeFileSync(indexPath, index);
console.log(`minify: ${before} -> ${after} bytes of JavaScript`);
