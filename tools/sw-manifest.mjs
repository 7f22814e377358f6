// Trunk post_build hook (see Trunk.toml): writes the precache list and a
// version into the staged sw.js, so the service worker knows the real hashed
// file names of this build. Trunk runs it with TRUNK_STAGING_DIR set to the
// directory that becomes dist/ when the build succeeds.
//
// Precached: index.html (as './'), every .js/.wasm/.css trunk emitted
// (including wasm-bindgen snippets/), config.json and questionnaires/*.json
// but older versions of a questionnaire (see `superseded`).
// Not precached: sw.js itself, embed.js (runs on the school's page), the
// manifest and icons (the browser fetches those itself when installing).
//
// The version is a hash of sw.js and of every precached path and its bytes:
// any change gives a new version, so the browser installs a new worker with
// its own cache, and the old cache is deleted when that worker takes over.

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { minifyInlineCss, minifyJs } from './minify.mjs';
import { precompress } from './precompress.mjs';
import { writeBoot } from './boot.mjs';
import { deferStart } from './loader.mjs';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error('sw-manifest: TRUNK_STAGING_DIR is not set (run me from a trunk post_build hook)');
  process.exit(1);
}

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [relative(staging, full).split(sep).join('/')];
  });
}

const wanted = (path) =>
  path === 'index.html' ||
  path === 'config.json' ||
  (path.startsWith('questionnaires/') && path.endsWith('.json')) ||
  (/\.(js|wasm|css)$/.test(path) && path !== 'sw.js' && path !== 'embed.js');

// First: the first screen into index.html, which is precached (and hashed
// into the version) below.
writeBoot(staging);
deferStart(staging);
minifyInlineCss(staging);

// An older version of a questionnaire (same "id", lower "version") stays in
// questionnaires/ for the receiver, which still accepts answers queued
// before an update; the app never loads it (a draft moves to the newest
// version by question id), so it is not precached: 1.7 KB less on a first
// visit. A file that is not a readable questionnaire is precached as it is.
function superseded(paths) {
  const read = (path) => {
    try {
      const q = JSON.parse(readFileSync(join(staging, path), 'utf8'));
      // Versions compare as dotted numbers ("2" > "1", "1.10" > "1.9");
      // any other form cannot be ordered, so nothing is dropped for it.
      const v = String(q.version ?? '');
      return typeof q.id === 'string' && /^\d+(\.\d+)*$/.test(v) ? { id: q.id, v: v.split('.').map(Number) } : null;
    } catch {
      return null;
    }
  };
  const qs = paths.filter((p) => p.startsWith('questionnaires/')).map((path) => ({ path, q: read(path) })).filter((x) => x.q);
  const newer = (a, b) => {
    for (let i = 0; i < Math.max(a.length, b.length); i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
    return false;
  };
  return new Set(qs.filter(({ q }) => qs.some((o) => o.q.id === q.id && newer(o.q.v, q.v))).map((x) => x.path));
}

const candidates = walk(staging).filter(wanted);
const old = superseded(candidates);
const files = candidates.filter((p) => !old.has(p)).sort();
if (old.size) console.log(`sw-manifest: not precached (older versions, for the receiver): ${[...old].join(', ')}`);
if (!files.includes('index.html')) {
  console.error('sw-manifest: no index.html in', staging);
  process.exit(1);
}

const swPath = join(staging, 'sw.js');
const source = readFileSync(swPath, 'utf8');

// The worker's own code is part of the version too: a change to it gets a
// fresh cache rather than sharing the old worker's.
const hash = createHash('sha256').update(source).update('\0');
let bytes = 0;
for (const path of files) {
  const body = readFileSync(join(staging, path));
  bytes += body.length;
  hash.update(path).update('\0').update(body).update('\0');
}
const version = hash.digest('hex').slice(0, 16);
const urls = files.map((path) => (path === 'index.html' ? './' : path));

const precacheLine = /^self\.__PRECACHE = .*;$/m;
const versionLine = /^self\.__VERSION = .*;$/m;
if (!precacheLine.test(source) || !versionLine.test(source)) {
  console.error('sw-manifest: sw.js lacks the `self.__PRECACHE = ...;` / `self.__VERSION = ...;` lines');
  process.exit(1);
}
writeFileSync(swPath, source
  .replace(precacheLine, () => `self.__PRECACHE = ${JSON.stringify(urls)};`)
  .replace(versionLine, () => `self.__VERSION = ${JSON.stringify(version)};`));

console.log(`sw-manifest: version ${version}, ${urls.length} files, ${bytes} bytes precached`);

// Then the JavaScript is minified. Run from here, not as a second hook:
// trunk starts the hooks of one stage at once, and minify must see the
// sw.js written above.
await minifyJs(staging, walk(staging));
// Last: compressed twins of the final (minified) hashed files.
precompress(staging, walk(staging));
