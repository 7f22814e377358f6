// The app shell: offline start (service worker), install (manifest, icons),
// the receiver's CSP, and embedding in a school's page (embed.js).
import { test, expect, reloadControlled, typeInto } from './fixtures';
import type { Page } from '@playwright/test';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';

/** Registers sw.js the way the app does, and waits until it is active. The app
 *  registers it too (pwa::register_service_worker); registering the same
 *  script URL again returns the same registration, so this does not depend on
 *  that wiring. */
async function activateServiceWorker(page: Page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.register('./sw.js');
    await navigator.serviceWorker.ready;
  });
  // A page loaded before the worker activated is not controlled: reload.
  await reloadControlled(page);
}

/** The response's headers minus content-length, for fulfilling with a new body. */
function headersFor(response: { headers(): Record<string, string> }) {
  const { 'content-length': _, ...rest } = response.headers();
  return rest;
}

/** The precache list the build wrote into dist/sw.js. */
function precacheList(): string[] {
  // The build minifies sw.js: `self.__PRECACHE=[...]` wherever it ends up.
  const line = fs.readFileSync('dist/sw.js', 'utf8').match(/self\.__PRECACHE\s*=\s*(\[[^\]]*\])/);
  return JSON.parse(line![1]);
}

test.describe('offline', () => {
  test.use({ serviceWorkers: 'allow' }); // whatever the config's default
  test('after one visit online, the app opens and works with no signal', async ({ survey, page, context }) => {
    await survey.open();
    await expect(page.locator('.progress')).toHaveText('Section 1 of 6');
    await activateServiceWorker(page);

    // Everything in the build's precache list is in the one cache of this version.
    const list = precacheList();
    expect(list).toEqual(expect.arrayContaining(['./', 'config.json', 'questionnaires/balint-end-of-cohort.json']));
    expect(list.some(f => f.endsWith('_bg.wasm'))).toBe(true);
    const cached = await page.evaluate(async () => {
      const names = await caches.keys();
      const cache = await caches.open(names[0]);
      return { names, urls: (await cache.keys()).map(r => new URL(r.url).pathname) };
    });
    expect(cached.names).toHaveLength(1);
    expect(cached.names[0]).toMatch(/^cohort-survey:\/:[0-9a-f]{16}$/);
    expect(cached.urls.sort()).toEqual(list.map(f => '/' + f.replace(/^\.\//, '')).sort());

    // Submissions are never answered by the worker: a POST goes to the receiver.
    const post = page.waitForResponse(r => r.url().endsWith('/api/submissions'));
    await page.evaluate(() => fetch('api/submissions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }));
    expect((await post).fromServiceWorker()).toBe(false);

    await context.setOffline(true);
    try {
      const response = await page.reload();
      expect(response?.fromServiceWorker()).toBe(true);
      await expect(page.locator('.progress')).toHaveText('Section 1 of 6');
      // Really offline: a file the worker has no copy of cannot be fetched.
      expect(await page.evaluate(() => fetch('questionnaires/balint-end-of-cohort.json?uncached').then(() => 'fetched', () => 'failed'))).toBe('failed');
      await survey.answerAbout();
      await survey.next();
      await expect(page.locator('.progress')).toHaveText('Section 2 of 6');
    } finally {
      await context.setOffline(false);
    }
  });

  test('a new version waits until the page asks it to take over; then older caches go', async ({ survey, page }) => {
    await survey.open();
    await activateServiceWorker(page);
    const [current] = await page.evaluate(() => caches.keys());
    // A cache left by an older version of this app, and another app's cache.
    await page.evaluate(async () => {
      await caches.open('cohort-survey:/:0123456789abcdef');
      await caches.open('someone-else');
    });

    // "A new deployment": the same scope, another script URL, so the browser
    // installs a second worker next to the active one.
    const installed = await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.register('./sw.js?new-version');
      // The update job may not have started when register() resolves: wait
      // (bounded) until the new script is the one installed and waiting.
      const deadline = Date.now() + 15_000;
      while (!reg.waiting?.scriptURL.endsWith('new-version') && Date.now() < deadline) {
        await new Promise(r => setTimeout(r, 100));
      }
      // Time for an automatic skipWaiting() (there must be none) to act.
      await new Promise(r => setTimeout(r, 500));
      return { waiting: reg.waiting?.scriptURL, controller: navigator.serviceWorker.controller?.scriptURL };
    });
    expect(installed.waiting).toMatch(/\/sw\.js\?new-version$/);
    expect(installed.controller).toMatch(/\/sw\.js$/);

    // What pwa::apply_update does: SKIP_WAITING, then reload on controllerchange.
    const switched = page.evaluate(() => new Promise<string>(resolve =>
      navigator.serviceWorker.addEventListener('controllerchange', () =>
        resolve(navigator.serviceWorker.controller!.scriptURL))));
    await page.evaluate(async () =>
      (await navigator.serviceWorker.getRegistration())!.waiting!.postMessage({ type: 'SKIP_WAITING' }));
    expect(await switched).toMatch(/\/sw\.js\?new-version$/);
    await expect.poll(() => page.evaluate(() => caches.keys().then(k => k.sort())))
      .toEqual([current, 'someone-else'].sort());
    await page.reload();
    await expect(page.locator('.progress')).toHaveText('Section 1 of 6');
  });
});

test('the manifest is linked and complete, and its icons load', async ({ page, request }) => {
  await page.goto('/');
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  const manifestUrl = new URL(href!, page.url());
  const response = await request.get(manifestUrl.href);
  expect(response.status()).toBe(200);
  const manifest = await response.json();
  expect(manifest).toMatchObject({
    name: 'Balint group feedback',
    short_name: 'Balint feedback',
    start_url: './',
    scope: './',
    display: 'standalone',
  });
  expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
  expect(manifest.background_color).toMatch(/^#[0-9a-f]{6}$/i);

  const pngs = manifest.icons.filter((i: any) => i.type === 'image/png');
  for (const size of ['192x192', '512x512']) {
    expect(pngs.some((i: any) => i.sizes === size && (i.purpose ?? 'any').split(' ').includes('any')), `any ${size}`).toBe(true);
  }
  expect(pngs.some((i: any) => i.sizes === '512x512' && i.purpose.split(' ').includes('maskable'))).toBe(true);
  for (const icon of manifest.icons) {
    const res = await request.get(new URL(icon.src, manifestUrl).href);
    expect(res.status(), icon.src).toBe(200);
    expect(res.headers()['content-type'], icon.src).toBe(icon.type);
    if (icon.type === 'image/png') {
      // The PNG's own width and height (IHDR) match what the manifest says.
      const body = await res.body();
      expect(body.subarray(1, 4).toString('ascii')).toBe('PNG');
      expect(`${body.readUInt32BE(16)}x${body.readUInt32BE(20)}`).toBe(icon.sizes);
    }
  }

  // Light and dark browser chrome.
  const themes = await page.locator('meta[name="theme-color"]').evaluateAll(
    els => els.map(e => [e.getAttribute('media'), e.getAttribute('content')]));
  expect(themes).toEqual([
    ['(prefers-color-scheme: light)', expect.stringMatching(/^#/)],
    ['(prefers-color-scheme: dark)', expect.stringMatching(/^#/)],
  ]);
});

test.describe('installability', () => {
  test.use({ serviceWorkers: 'allow' });

  test("Chromium's own installability check reports no errors", async ({ page }) => {
    await page.goto('/');
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.reload();
    const cdp = await page.context().newCDPSession(page);
    // The same check behind Chrome's install prompt (manifest, icons, worker).
    // Playwright's contexts are off-the-record, which Chromium reports as
    // "in-incognito"; every other reason (manifest, icons, worker) counts.
    await expect.poll(async () => (await cdp.send('Page.getInstallabilityErrors')).installabilityErrors
      .map((e: any) => e.errorId).filter((id: string) => id !== 'in-incognito'), { timeout: 15_000 }).toEqual([]);
    const manifest = await cdp.send('Page.getAppManifest');
    expect(manifest.errors).toEqual([]);
  });
});

test.describe('content security policy', () => {
  test.use({ serviceWorkers: 'allow' });

  test('the receiver sends its CSP and nothing in the app violates it', async ({ survey, page }) => {
    await page.addInitScript(() => {
      (window as any).__cspViolations = [];
      document.addEventListener('securitypolicyviolation', e => {
        (window as any).__cspViolations.push(`${e.effectiveDirective} blocked ${e.blockedURI}`);
      }, true);
    });
    const response = await page.goto('/');
    const csp = response!.headers()['content-security-policy'];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("worker-src 'self'");
    expect(csp).toContain("manifest-src 'self'");
    expect(csp).toMatch(/script-src [^;]*'sha256-/); // trunk's inline loader, by hash
    expect(csp).toMatch(/style-src [^;]*'sha256-/); // the inline CSS, by hash
    expect(csp).not.toContain('unsafe-inline');

    await expect(page.locator('.progress')).toHaveText('Section 1 of 6');
    const violations = () => page.evaluate(() => (window as any).__cspViolations);
    expect(await violations()).toEqual([]);
    await activateServiceWorker(page); // the worker loads under worker-src (and reloads)
    await expect(page.locator('.progress')).toHaveText('Section 1 of 6');
    // The icon loads under img-src.
    await page.evaluate(async () => {
      const img = new Image();
      img.src = document.querySelector<HTMLLinkElement>('link[rel="icon"]')!.href;
      await img.decode();
    });
    await survey.next(); // error summary
    await survey.answerAbout('2');
    await survey.next();
    await survey.answerExperience();
    await survey.next();
    await expect(page.locator('.progress')).toHaveText('Section 3 of 6');
    expect(await violations()).toEqual([]);
  });
});

// ---------------------------------------------------------------- embedding --

/** A tiny web server on another origin (127.0.0.1, random port). `hits`
 *  lists every path it was asked for. */
async function serve(pages: Record<string, (origin: string) => string>) {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    const page = pages[new URL(req.url ?? '/', 'http://x').pathname];
    if (!page) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(page(origin));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    hits,
    close: () => new Promise<void>(resolve => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** A school's page with the documented snippet. It records the events
 *  embed.js re-dispatches, and every raw message that reaches the window. */
const hostPage = (app: string, questionnaire = 'questionnaires/balint-end-of-cohort.json') => () => `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Medical school: Balint groups</title>
<script>
  window.__events = [];
  window.__messages = [];
  for (const t of ['ready', 'draft-saved', 'submitted', 'synced']) {
    document.addEventListener('cohort-survey:' + t, e => window.__events.push(
      { type: e.type, onFrame: e.target === document.querySelector('iframe.cohort-survey-frame'), detail: e.detail }));
  }
  addEventListener('message', e => window.__messages.push({ origin: e.origin, data: e.data }));
</script></head>
<body><h1>Balint groups</h1><p>Please tell us how the year went.</p>
<script id="embed" src="${app}/embed.js" data-questionnaire="${questionnaire}" async></script>
<p>Thank you.</p></body></html>`;

/** Posts forged app messages to the parent: what a foreign frame could try. */
const forgedFrame = (height: number) => `<!DOCTYPE html><html lang="en"><head><title>x</title></head><body><script>
  parent.postMessage({ source: 'cohort-survey', type: 'resize', height: ${height} }, '*');
  parent.postMessage({ source: 'cohort-survey', type: 'submitted', detail: 'forged' }, '*');
</script></body></html>`;

test.describe('embedding with embed.js', () => {
  // The worker is not what these tests are about, and a worker in the frame
  // would answer the frame's requests before page.route could see them.
  test.use({ serviceWorkers: 'block' });

  let host: Awaited<ReturnType<typeof serve>>;
  let stranger: Awaited<ReturnType<typeof serve>>;
  test.beforeEach(async ({ baseURL }) => {
    host = await serve({ '/': hostPage(baseURL!) });
    stranger = await serve({ '/forged': () => forgedFrame(77) });
  });
  test.afterEach(async () => {
    await host.close();
    await stranger.close();
  });

  /** What a school configures on its own deployment: its page may frame the
   *  app (the receiver's CSP says frame-ancestors 'self' by default) and may
   *  hear its events (config.json embed_origins). The shipped files stay strict. */
  async function allowHost(page: Page, app: string, opts = { embedOrigins: true }) {
    await page.route(url => url.origin === app && url.pathname === '/', async route => {
      const response = await route.fetch();
      const headers = response.headers();
      headers['content-security-policy'] = headers['content-security-policy']
        .replace(/frame-ancestors [^;]*/, `frame-ancestors 'self' ${host.origin}`);
      await route.fulfill({ response, headers });
    });
    if (opts.embedOrigins) {
      await page.route(`${app}/config.json`, async route => {
        const response = await route.fetch();
        const config = await response.json();
        await route.fulfill({ response, headers: headersFor(response), json: { ...config, embed_origins: [host.origin] } });
      });
    }
  }

  test('the snippet puts the app in a titled frame right after itself', async ({ survey, page, baseURL }) => {
    await allowHost(page, baseURL!);
    await page.goto(host.origin + '/');
    const iframe = page.locator('iframe.cohort-survey-frame');
    await expect(iframe).toHaveAttribute('title', 'Balint group feedback questionnaire');
    expect(await iframe.evaluate(el => el.previousElementSibling?.id)).toBe('embed');
    const src = new URL((await iframe.getAttribute('src'))!);
    expect(src.origin).toBe(baseURL);
    expect(src.searchParams.get('questionnaire')).toBe('questionnaires/balint-end-of-cohort.json');
    expect(src.searchParams.get('embed')).toBe('1');
    expect(await iframe.evaluate(el => getComputedStyle(el).borderTopWidth)).toBe('0px');
    const frame = page.frameLocator('iframe.cohort-survey-frame');
    await expect(frame.locator('.progress')).toHaveText('Section 1 of 6');
    // The app can tell who embeds it: the referrer carries the host's origin only.
    const referrer = await page.frame({ url: u => u.origin === baseURL })!.evaluate(() => document.referrer);
    expect(referrer).toBe(host.origin + '/');
  });

  test('messages from anyone but the app in its own frame are ignored', async ({ survey, page, baseURL }) => {
    await allowHost(page, baseURL!);
    // A page on the app's own origin that is not the embedded frame.
    await page.route(`${baseURL}/forged-same-origin.html`, route =>
      route.fulfill({ contentType: 'text/html', body: forgedFrame(66) }));
    await page.goto(host.origin + '/');
    const iframe = page.locator('iframe.cohort-survey-frame');
    await expect(page.frameLocator('iframe.cohort-survey-frame').locator('.progress')).toHaveText('Section 1 of 6');
    const before = await iframe.evaluate(el => el.getBoundingClientRect().height);

    await page.evaluate(([strangerUrl, sameOriginUrl]) => {
      // 1. the host page itself, with a forged source field
      window.postMessage({ source: 'cohort-survey', type: 'resize', height: 55 }, '*');
      window.postMessage({ source: 'cohort-survey', type: 'submitted' }, '*');
      // 2. a frame on a third origin, 3. a frame on the app's origin that is not the app's frame
      for (const src of [strangerUrl, sameOriginUrl]) {
        const f = document.createElement('iframe');
        f.src = src;
        f.title = 'other';
        document.body.append(f);
      }
    }, [stranger.origin + '/forged', `${baseURL}/forged-same-origin.html`]);
    await expect.poll(() => page.evaluate(() => (window as any).__messages
      .filter((m: any) => m.data?.type === 'resize' && [55, 66, 77].includes(m.data.height)).length)).toBe(3);

    expect(await iframe.evaluate(el => el.getBoundingClientRect().height)).toBe(before);
    expect(await page.evaluate(() => (window as any).__events.map((e: any) => e.type)))
      .not.toContain('cohort-survey:submitted');
  });

  test('embed.js refuses a data-questionnaire with a control character or on another origin, and loads nothing', async ({ survey, page, baseURL }) => {
    await allowHost(page, baseURL!);
    const foreign: string[] = [];
    const fromApp: string[] = [];
    page.on('request', r => {
      const url = new URL(r.url());
      if (url.hostname === 'evil.example') foreign.push(r.url());
      if (url.origin === baseURL) fromApp.push(url.pathname);
    });
    // As HTML character references: TAB, LF, CR; then two plainly foreign ones.
    const bad = ['/&#9;/evil.example/q.json', '/&#10;/evil.example/q.json', '/&#13;/evil.example/q.json',
      '//evil.example/q.json', 'https://evil.example/q.json'];
    const pages: Record<string, () => string> = {};
    bad.forEach((q, i) => { pages[`/bad-${i}`] = hostPage(baseURL!, q); });
    const school = await serve(pages);
    try {
      for (let i = 0; i < bad.length; i++) {
        await page.goto(`${school.origin}/bad-${i}`);
        await expect(page.locator('.cohort-survey-refused'), bad[i]).toContainText('The questionnaire cannot be shown here');
        await expect(page.locator('iframe.cohort-survey-frame'), bad[i]).toHaveCount(0);
      }
      // Nothing was asked of the app beyond embed.js, nor of the other host.
      expect(foreign).toEqual([]);
      expect([...new Set(fromApp)]).toEqual(['/embed.js']);
    } finally {
      await school.close();
    }
  });

  test.describe('app side', () => {
    test('the host hears ready, and the frame is always exactly as tall as the questionnaire', async ({ survey, page, baseURL }) => {
      await allowHost(page, baseURL!);
      await page.goto(host.origin + '/');
      await expect.poll(() => page.evaluate(() => (window as any).__events))
        .toEqual([{ type: 'cohort-survey:ready', onFrame: true, detail: null }]);
      // Every message the app sent came from the app origin with source 'cohort-survey'.
      const fromApp = await page.evaluate(app => (window as any).__messages.filter((m: any) => m.origin === app), baseURL!);
      expect(fromApp.every((m: any) => m.data.source === 'cohort-survey')).toBe(true);

      const iframe = page.locator('iframe.cohort-survey-frame');
      const frame = page.frame({ url: u => u.origin === baseURL })!;
      const fits = async () => {
        const outer = await iframe.evaluate(el => el.getBoundingClientRect().height);
        const inner = await frame.evaluate(() => ({
          content: Math.ceil(document.documentElement.getBoundingClientRect().height),
          scrolls: document.documentElement.scrollHeight > document.documentElement.clientHeight,
        }));
        return { fits: Math.abs(outer - inner.content) <= 1 && !inner.scrolls, outer };
      };
      await expect.poll(async () => (await fits()).fits).toBe(true);
      const first = (await fits()).outer;

      // Taller: the error summary appears.
      const inside = page.frameLocator('iframe.cohort-survey-frame');
      await inside.getByRole('button', { name: 'Next' }).click();
      await expect(inside.locator('.error-summary')).toBeVisible();
      await expect.poll(async () => (await fits()).fits).toBe(true);
      const withErrors = (await fits()).outer;
      expect(withErrors).toBeGreaterThan(first);

      // Shorter again: fewer than 4 sessions shows a follow-up, 5 hides it.
      await inside.getByRole('radio', { name: 'Wednesday lunchtime' }).click();
      const sessions = inside.getByLabel('How many of the 6 sessions did you attend?');
      await typeInto(sessions, '2', { clear: true });
      await expect(inside.locator('#q-attendance_barriers')).toBeVisible();
      await expect.poll(async () => (await fits()).fits).toBe(true);
      const withFollowUp = (await fits()).outer;
      await typeInto(sessions, '5', { clear: true });
      await expect(inside.locator('#q-attendance_barriers')).toBeHidden();
      await expect.poll(async () => (await fits()).outer).toBeLessThan(withFollowUp);
      await expect.poll(async () => (await fits()).fits).toBe(true);
    });

    test('a host not listed in embed_origins hears nothing', async ({ survey, page, baseURL }) => {
      await allowHost(page, baseURL!, { embedOrigins: false });
      await page.goto(host.origin + '/');
      const iframe = page.locator('iframe.cohort-survey-frame');
      await expect(page.frameLocator('iframe.cohort-survey-frame').locator('.progress')).toHaveText('Section 1 of 6');
      const initial = await iframe.evaluate(el => el.getBoundingClientRect().height);
      // Make the app taller (it would post 'resize' if allowed), let two frames
      // render (ResizeObserver reports then), then post a marker from the
      // frame itself: messages between two windows arrive in order, so once
      // the marker is here anything the app had posted would be here too.
      const frame = page.frame({ url: u => u.origin === baseURL })!;
      await page.frameLocator('iframe.cohort-survey-frame').getByRole('button', { name: 'Next' }).click();
      await expect(page.frameLocator('iframe.cohort-survey-frame').locator('.error-summary')).toBeVisible();
      await frame.evaluate(async host => {
        for (let i = 0; i < 2; i++) await new Promise(requestAnimationFrame);
        parent.postMessage({ marker: 'end-of-test' }, host);
      }, host.origin);
      await expect.poll(() => page.evaluate(() => (window as any).__messages.some((m: any) => m.data?.marker === 'end-of-test'))).toBe(true);
      expect(await page.evaluate(app => (window as any).__messages.filter((m: any) => m.origin === app && !m.data?.marker), baseURL!)).toEqual([]);
      expect(await page.evaluate(() => (window as any).__events)).toEqual([]);
      expect(await iframe.evaluate(el => el.getBoundingClientRect().height)).toBe(initial);
    });
  });
});
