// Cohort Survey service worker: the app opens with no signal.
//
// What it does, and what it never does:
// - On install it stores the app shell in one cache named after the build:
//   index.html (as './'), trunk's hashed JS, wasm and CSS, config.json and the
//   questionnaires. The list and the version below are written in at build
//   time by tools/sw-manifest.mjs (a trunk post_build hook); this source file
//   only holds placeholders.
// - index.html / navigations, config.json and questionnaires: network first,
//   so a school's edit shows up at once; after NETWORK_TIMEOUT_MS with no
//   answer (a weak signal) or on a network error, the saved copy.
// - Hashed assets (their name changes when their content does): cache first.
// - It never touches anything but GET requests on its own origin inside its
//   scope, and never the /api/ paths: submissions always go to the network
//   (the app keeps its own outbox and retries).
// - A new version installs in the background and then WAITS. It takes over
//   only when the page posts {type: 'SKIP_WAITING'} (the app does that after
//   the student's draft is saved), so a page never runs half old, half new.
// - When a version activates it deletes the caches of older versions.

'use strict';

// Filled in at build time. Do not edit these two lines by hand.
self.__PRECACHE = [];
self.__VERSION = 'dev';

const NETWORK_TIMEOUT_MS = 3000;
const SCOPE = new URL(self.registration.scope);
// One cache per build. The scope is part of the name so two copies of the app
// under different paths of one origin never delete each other's caches.
const CACHE_PREFIX = `cohort-survey:${SCOPE.pathname}:`;
const CACHE = CACHE_PREFIX + self.__VERSION;
const INDEX = new URL('./', SCOPE).href;
const PRECACHED = new Set(self.__PRECACHE.map((path) => new URL(path, SCOPE).href));
// trunk's content-hashed names: name-<hex>.js, name-<hex>_bg.wasm, name-<hex>.css.
// The hash is a u64 printed without leading zeros: usually 16 digits, sometimes fewer.
const HASHED = /-[0-9a-f]{8,16}(_bg)?\.(js|wasm|css)$/;

self.addEventListener('install', (event) => {
  // A hashed file cannot be stale (its name is its content), so it comes
  // from the HTTP cache the page just filled: a first visit does not
  // download the app twice. A file that keeps its name (index.html,
  // config.json, questionnaires) is revalidated (`no-cache`: a 304 when
  // unchanged), so the new version never stores a stale copy.
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      cache.addAll([...PRECACHED].map((url) => new Request(url, { cache: HASHED.test(url) ? 'default' : 'no-cache' })))),
  );
  // No skipWaiting() here: see the SKIP_WAITING message below.
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys().then((names) => Promise.all(
      names.filter((n) => n.startsWith(CACHE_PREFIX) && n !== CACHE).map((n) => caches.delete(n)))),
  );
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'SKIP_WAITING') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return; // POSTs (submissions) go to the network untouched
  const url = new URL(request.url);
  if (url.origin !== SCOPE.origin || !url.pathname.startsWith(SCOPE.pathname)) return;
  if (url.pathname.includes('/api/')) return; // submissions, exports: never from a cache
  const path = url.pathname.slice(SCOPE.pathname.length);

  if (request.mode === 'navigate') {
    // Every page of the app is index.html; its query (?questionnaire=, embed=1)
    // is read by the app, so one saved copy serves them all.
    const isIndex = path === '' || path === 'index.html';
    event.respondWith(networkFirst(event, INDEX, isIndex));
  } else if (path === 'config.json' || path.startsWith('questionnaires/')) {
    event.respondWith(networkFirst(event, request, true));
  } else if (HASHED.test(url.pathname) || PRECACHED.has(url.href)) {
    event.respondWith(cacheFirst(event));
  }
  // Anything else (icons, manifest, embed.js, health checks): the browser's
  // normal handling.
});

/** The network's answer, or the saved copy under `key` when the network
 *  fails, answers 5xx, or takes longer than NETWORK_TIMEOUT_MS. A good answer
 *  replaces the saved copy when `store` is true, even if it arrives late. */
function networkFirst(event, key, store) {
  const saved = () => caches.open(CACHE).then((cache) => cache.match(key));
  let update = Promise.resolve();
  const network = fetch(event.request).then((response) => {
    if (store && response.ok && response.type === 'basic') {
      const copy = response.clone();
      update = caches.open(CACHE).then((cache) => cache.put(key, copy));
    }
    return response;
  });
  // Keep the worker alive until the late answer is stored.
  event.waitUntil(network.then(() => update, () => {}).catch(() => {}));

  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (response) => { if (!done && response) { done = true; resolve(response); } return response; };
    const timer = setTimeout(() => saved().then(finish), NETWORK_TIMEOUT_MS);
    network.then(
      async (response) => {
        clearTimeout(timer);
        if (response.status >= 500 && finish(await saved())) return;
        finish(response);
      },
      async (error) => {
        clearTimeout(timer);
        if (!finish(await saved()) && !done) { done = true; reject(error); }
      },
    );
  });
}

/** The saved copy, else the network (and save a good answer for next time). */
async function cacheFirst(event) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(event.request);
  if (hit) return hit;
  const response = await fetch(event.request);
  if (response.ok && response.type === 'basic') event.waitUntil(cache.put(event.request, response.clone()));
  return response;
}
