// The receiver serves the app's hashed assets compressed (issue 11): the
// wasm a student waits for travels as brotli or gzip, not raw.
import { test, expect, questionnaire } from './fixtures';
import { CountingProxy, port } from './fake-receivers';

test('the wasm and JS arrive compressed, and are cached for good; the CSS is in the page', async ({ survey, page }) => {
  const encodings = new Map<string, string | undefined>();
  page.on('response', r => {
    if (/-[0-9a-f]{12,}(_bg)?\.(js|wasm|css)$/.test(new URL(r.url()).pathname)) {
      encodings.set(new URL(r.url()).pathname, r.headers()['content-encoding']);
    }
  });
  await survey.open();
  const wasm = await page.evaluate(() => {
    const e = performance.getEntriesByType('resource').find(r => r.name.endsWith('_bg.wasm')) as PerformanceResourceTiming;
    return { encoded: e.encodedBodySize, decoded: e.decodedBodySize };
  });
  // Compressed on the wire: well under half its size.
  expect(wasm.encoded).toBeGreaterThan(0);
  expect(wasm.encoded).toBeLessThan(wasm.decoded * 0.5);
  expect([...encodings.keys()].some(p => p.endsWith('_bg.wasm'))).toBe(true);
  for (const [path, enc] of encodings) expect(['br', 'gzip'], path).toContain(enc);
  // The CSS is inline (the first screen paints without waiting for another file).
  expect([...encodings.keys()].filter(p => p.endsWith('.css'))).toEqual([]);
  expect(await page.evaluate(() => getComputedStyle(document.querySelector('main')!).maxWidth)).not.toBe('none');
  const res = await page.request.get([...encodings.keys()].find(p => p.endsWith('.js'))!);
  expect(res.headers()['cache-control']).toContain('immutable');
  expect(res.headers()['vary']).toMatch(/accept-encoding/i);
});

// First paint from HTML (issue 11): before the wasm arrives, index.html
// already shows the questionnaire's title, introduction and the first
// question's frame; the app then puts its first page in the same place.
test('the first screen paints from index.html before the wasm, and the app takes over without a shift', async ({ page }) => {
  let release = () => {};
  const gate = new Promise<void>(r => (release = r));
  await page.route('**/*_bg.wasm', async route => {
    await gate;
    await route.continue();
  });
  await page.addInitScript(() => {
    (window as any).__shift = 0;
    new PerformanceObserver(list => {
      for (const e of list.getEntries() as any[]) if (!e.hadRecentInput) (window as any).__shift += e.value;
    }).observe({ type: 'layout-shift', buffered: true });
  });
  await page.goto('./');
  const first = questionnaire.sections[0];
  const boot = page.locator('#boot');
  await expect(boot.locator('h1')).toHaveText(questionnaire.title);
  await expect(boot.locator('.intro')).toHaveText(questionnaire.intro);
  await expect(boot.locator('.page-title-text')).toHaveText(first.title);
  // Not the app's own markers: tests and scripts wait for those.
  await expect(boot.locator('.progress, .page-title')).toHaveCount(0);
  await expect(boot.locator('.question')).toHaveText(first.questions[0].text);
  // Nothing to tap yet: a tap the app then replaced would be an answer lost.
  await expect(boot.locator('input, textarea, button')).toHaveCount(0);
  const tops = () =>
    page.evaluate(() =>
      ['h1.title', '.intro', 'h2', '.field .question'].map(s => {
        // The first visible one: the app's page goes on below the frame.
        const e = [...document.querySelectorAll(s)].find(e => (e as HTMLElement).offsetParent !== null);
        return e ? Math.round(e.getBoundingClientRect().top) : `no ${s}`;
      }),
    );
  const before = await tops();
  release();
  await expect(page.locator('main .field input').first()).toBeVisible();
  await expect(boot).toHaveCount(0);
  expect(await tops()).toEqual(before);
  expect(await page.evaluate(() => (window as any).__shift)).toBe(0);
});

// The app starts after the first screen has painted (tools/loader.mjs): its
// 130 KB do not share the line with the page, and where the app would be
// ready before the browser's first frame the first screen still paints
// first. Nothing preloads it; the JS and wasm are then fetched together.
test('the app is fetched after the first screen has painted, JS and wasm in parallel', async ({ page }) => {
  await page.goto('./');
  await expect(page.locator('h2.page-title')).toBeVisible();
  const t = await page.evaluate(() => {
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime;
    const res = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const start = (re: RegExp) => res.find(r => re.test(new URL(r.name).pathname))?.startTime;
    return { fcp, wasm: start(/_bg\.wasm$/), js: start(/-[0-9a-f]+\.js$/), end: res.find(r => /-[0-9a-f]+\.js$/.test(r.name))?.responseEnd };
  });
  expect(t.fcp, JSON.stringify(t)).toBeGreaterThan(0);
  expect(t.wasm, JSON.stringify(t)).toBeGreaterThan(t.fcp!);
  expect(t.js, JSON.stringify(t)).toBeGreaterThan(t.fcp!);
  // In parallel: the wasm does not wait for the JS glue to arrive.
  expect(t.wasm!, JSON.stringify(t)).toBeLessThanOrEqual(t.end!);
  expect(await page.locator('link[rel="preload"], link[rel="modulepreload"]').count()).toBe(0);
});

test('the app also starts in a browser without Paint Timing', async ({ page }) => {
  await page.addInitScript(() => { delete (window as any).PerformanceObserver; });
  await page.goto('./');
  await expect(page.locator('h2.page-title')).toBeVisible();
  await expect(page.locator('#boot')).toHaveCount(0);
});

// The service worker's precache on a first visit takes the hashed files the
// page has just downloaded from the HTTP cache: the app crosses the network
// once, not twice (it did, with `cache: 'reload'`: about 150 KB more).
test.describe('with the service worker', () => {
  test.use({ serviceWorkers: 'allow' });
test('a first visit downloads each hashed file once, service worker included', async ({ page, baseURL }) => {
  const proxy = new CountingProxy(port(41), new URL(baseURL!).origin);
  await proxy.start();
  try {
    await page.goto(`${proxy.url}/`);
    await expect(page.locator('h2.page-title')).toBeVisible();
    // Installed: the shell is in its cache.
    await expect.poll(() => page.evaluate(async () => {
      const r = await navigator.serviceWorker.ready;
      return !!r.active && (await caches.keys()).length > 0 && (await (await caches.open((await caches.keys())[0])).keys()).length;
    }), { timeout: 15_000 }).toBeGreaterThan(4);
    const full = proxy.gets.filter(g => g.status === 200 && /-[0-9a-f]{8,16}(_bg)?\.(js|wasm|css)$/.test(g.path));
    const count = (ext: RegExp) => full.filter(g => ext.test(g.path)).length;
    expect(count(/_bg\.wasm$/), JSON.stringify(proxy.gets)).toBe(1);
    expect(count(/\.js$/)).toBe(1);
    expect(count(/\.css$/)).toBe(0); // inline in index.html
    // The questionnaire is precached, but not its older version: that file
    // is only for the receiver (answers queued before an update).
    const cached = await page.evaluate(async () =>
      (await (await caches.open((await caches.keys())[0])).keys()).map(r => new URL(r.url).pathname));
    expect(cached.some(p => p.endsWith('/balint-end-of-cohort.json')), cached.join()).toBe(true);
    expect(cached.filter(p => p.includes('-v1.json')), cached.join()).toEqual([]);
    expect(proxy.gets.filter(g => g.path.includes('-v1.json'))).toEqual([]);
  } finally {
    await proxy.stop();
  }
});
});
