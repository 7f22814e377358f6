// Rewrites trunk's wasm loader in the staged index.html (called from
// sw-manifest.mjs, the post_build hook) so the app starts only after the
// first screen (tools/boot.mjs) has painted.
//
// Why: trunk preloads the wasm (`<link rel="preload">`) and starts it at
// once. On a slow phone the 130 KB download then shares the line with the
// page itself, and where the app is ready before the browser's first frame
// (a fast network, a slow renderer) the first thing painted is the app's own
// page, so the first screen from HTML never counts. Instead the JS glue and
// the wasm are fetched together, in parallel, right after the first frame:
// on a slow link that is a few milliseconds after the HTML arrives (the CSS
// is inline), and nothing paints twice. "After" is the first-contentful-paint
// entry (the frame on screen, not just drawn: a timer after
// requestAnimationFrame can run before that), else, where Paint Timing is
// missing, the task after the first frame.
//
// A page that cannot paint yet (a background tab, an iframe scrolled out of
// view, which browsers stop rendering) starts anyway: at once when hidden,
// else after 3 s, so the outbox still syncs.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function deferStart(staging) {
  const indexPath = join(staging, 'index.html');
  let html = readFileSync(indexPath, 'utf8');
  const loader = html.match(/<script type="module">\s*import init, \* as bindings from '(\.\/[^']+\.js)';\s*const wasm = await init\(\{ module_or_path: '(\.\/[^']+_bg\.wasm)' \}\);[\s\S]*?<\/script>/);
  if (!loader) {
    console.error("loader: trunk's wasm loader script is not in index.html in the expected form (trunk version changed?)");
    process.exit(1);
  }
  const [script, js, wasm] = loader;
  const started = `<script type="module">
await new Promise((go) => {
  if (document.visibilityState === 'hidden') return go();
  setTimeout(go, 3000);
  if (!self.PerformanceObserver?.supportedEntryTypes?.includes('paint')) return requestAnimationFrame(() => setTimeout(go));
  new PerformanceObserver((list, seen) => {
    if (list.getEntriesByName('first-contentful-paint').length) { seen.disconnect(); go(); }
  }).observe({ type: 'paint', buffered: true });
});
const wasm = fetch('${wasm}');
const { default: init } = await import('${js}');
await init({ module_or_path: wasm });
</script>`;
  html = html.replace(script, started);
  // The preloads would start both downloads before the first paint.
  html = html.replace(/<link rel="(?:module)?preload" href="\.\/[^"]+\.(?:js|wasm)"[^>]*>/g, '');
  if (/rel="(?:module)?preload"/.test(html)) {
    console.error('loader: a preload of the app is left in index.html');
    process.exit(1);
  }
  writeFileSync(indexPath, html);
}
