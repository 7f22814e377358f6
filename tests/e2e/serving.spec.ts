// The receiver serves the app's hashed assets compressed (issue 11): the
// wasm a student waits for travels as brotli or gzip, not raw.
import { test, expect } from './fixtures';

test('the wasm, JS and CSS arrive compressed, and are cached for good', async ({ survey, page }) => {
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
  const res = await page.request.get([...encodings.keys()].find(p => p.endsWith('.css'))!);
  expect(res.headers()['cache-control']).toContain('immutable');
  expect(res.headers()['vary']).toMatch(/accept-encoding/i);
});
