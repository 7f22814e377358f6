// Called by tools/sw-manifest.mjs (trunk's post_build hook) when it is done: minifies the
// JavaScript a phone downloads, which trunk 0.21 leaves as written, and puts
// the new Subresource Integrity hash of each changed file into index.html.
//
// Measured (brotli 11): wasm-bindgen glue 7.9 -> 6.1 KB, sw.js 2.1 -> 0.8 KB,
// embed.js 1.3 -> 0.6 KB. Names the page or the worker share (exports,
// `self.__PRECACHE`) are kept: modules keep their exports, and classic
// scripts (sw.js, embed.js) are not mangled at the top level.

import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { minify } from 'terser';

/** Minifies every `.js` among `paths` (relative to `staging`) in place. */
export async function minifyJs(staging, paths) {
  const classic = new Set(['sw.js', 'embed.js']);
  const indexPath = join(staging, 'index.html');
  let index = readFileSync(indexPath, 'utf8');
  let before = 0;
  let after = 0;
  for (const path of paths.filter((p) => p.endsWith('.js')).sort()) {
    const full = join(staging, path);
    const source = readFileSync(full, 'utf8');
    const out = await minify(source, {
      module: !classic.has(path),
      compress: { passes: 2 },
      mangle: true,
      // ascii_only: keep \u escapes (embed.js's Welsh), since a host page may
      // decode a script served without a charset in its own encoding.
      format: { comments: false, ascii_only: true },
    });
    if (!out.code) {
      throw new Error(`minify: terser gave nothing for ${path}`);
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
}

/** Minifies the CSS trunk inlined into `staging`'s index.html (`rel="inline"`,
 *  so the first screen paints with no second request). Called before the
 *  precache version is computed, as it changes index.html. */
export function minifyInlineCss(staging) {
  const indexPath = join(staging, 'index.html');
  const html = readFileSync(indexPath, 'utf8');
  writeFileSync(indexPath, html.replace(/<style>([\s\S]*?)<\/style>/, (_, css) => `<style>${minifyCss(css)}</style>`));
}

/**
 * Minifies the app's CSS (inline in index.html): no
 * comments, no runs of white space, none around `{ } ; , >`. Not a general
 * CSS minifier: enough for style/main.css, whose strings (`content: ""`,
 * font names) have no such characters in them. Measured: 2,306 -> 1,750 B
 * brotli, mostly the comments.
 */
export function minifyCss(css) {
  const strings = css.replace(/\/\*[\s\S]*?\*\//g, '').match(/"[^"]*"|'[^']*'/g) ?? [];
  if (strings.some((s) => /\/\*|[{};,>]|\s\s/.test(s))) {
    throw new Error('minifyCss: a CSS string holds a character it would change; extend minifyCss');
  }
  return css
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,>])\s*/g, '$1')
    .replace(/;}/g, '}')
    .trim();
}
