// Writes brotli (.br, quality 11) and gzip (.gz, level 9) twins of every
// content-hashed build output (app JS, wasm, CSS), so the reference receiver
// serves them compressed (tower-http ServeDir's precompressed_br/gzip) without
// compressing on each request. Only hashed files: their names change with
// their bytes, so a twin can never go stale. index.html, config.json, sw.js and
// questionnaires are edited in place by schools and stay uncompressed.
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const hashed = (path) => /-[0-9a-f]{12,}(_bg)?\.(js|wasm|css)$/.test(path);

export function precompress(dir, paths) {
  let raw = 0, br = 0;
  for (const path of paths.filter(hashed)) {
    const body = readFileSync(join(dir, path));
    const b = brotliCompressSync(body, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
    });
    writeFileSync(join(dir, `${path}.br`), b);
    writeFileSync(join(dir, `${path}.gz`), gzipSync(body, { level: 9 }));
    raw += body.length;
    br += b.length;
  }
  console.log(`precompress: ${raw} bytes of hashed assets -> ${br} bytes brotli (.br and .gz written beside them)`);
}
