import { test, expect, Page } from '@playwright/test';
import * as http from 'http';

// embed.js speaks the host page's language: its fallback notice and the
// frame's default title come in English or Welsh (data-lang, else the
// browser's languages), and data-lang reaches the app as ?lang=.
// The host page comes from a real server on loopback, a port of this spec's
// range: Chromium's local network access rules stop a page that is not on
// loopback (a routed, made-up origin included) from loading the receiver's script.

const PORT = Number(process.env.E2E_PORT ?? 8181) + 2;
const HOST = `http://127.0.0.1:${PORT}`;
let hostHtml = '';
let hostCharset = 'utf-8';
let server: http.Server;
test.beforeAll(async () => {
  server = http.createServer((_, res) => res.writeHead(200, { 'Content-Type': `text/html; charset=${hostCharset}` }).end(hostHtml));
  await new Promise<void>(resolve => server.listen(PORT, '127.0.0.1', resolve));
});
test.afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>(resolve => server.close(() => resolve()));
});

async function hostWith(page: Page, app: string, attrs: string, charset = 'utf-8') {
  hostCharset = charset;
  hostHtml = `<!DOCTYPE html><html lang="en"><head><meta charset="${charset}"><title>School</title></head>
<body><h1>Balint groups</h1><script src="${app}/embed.js" ${attrs} async></script></body></html>`;
  // The app itself is not under test here: an empty page keeps the frame cheap.
  await page.route(url => url.origin === app && url.pathname === '/', route =>
    route.fulfill({ contentType: 'text/html', body: '<!DOCTYPE html><title>app</title>' }));
  await page.goto(`${HOST}/`);
}

test('data-lang="cy" gives a Welsh frame title and passes ?lang=cy to the app', async ({ page, baseURL }) => {
  await hostWith(page, baseURL!, 'data-questionnaire="questionnaires/balint-end-of-cohort.json" data-lang="cy"');
  const iframe = page.locator('iframe.cohort-survey-frame');
  await expect(iframe).toHaveAttribute('title', 'Holiadur adborth grŵp Balint');
  const src = new URL((await iframe.getAttribute('src'))!);
  expect(src.searchParams.get('lang')).toBe('cy');
});

test('the Welsh survives a host page in another character encoding', async ({ page, baseURL }) => {
  // The receiver (like most servers) sends embed.js without a charset, so the
  // browser decodes it in the host page's encoding: only ASCII is safe.
  await hostWith(page, baseURL!, 'data-questionnaire="questionnaires/balint-end-of-cohort.json" data-lang="cy"', 'windows-1252');
  expect(await page.evaluate(() => document.characterSet)).toBe('windows-1252');
  await expect(page.locator('iframe.cohort-survey-frame')).toHaveAttribute('title', 'Holiadur adborth grŵp Balint');
});

test('without data-lang nothing is passed and the title is English', async ({ page, baseURL }) => {
  await hostWith(page, baseURL!, 'data-questionnaire="questionnaires/balint-end-of-cohort.json"');
  const iframe = page.locator('iframe.cohort-survey-frame');
  await expect(iframe).toHaveAttribute('title', 'Balint group feedback questionnaire');
  expect(new URL((await iframe.getAttribute('src'))!).searchParams.has('lang')).toBe(false);
});

test('a malformed data-lang is ignored', async ({ page, baseURL }) => {
  await hostWith(page, baseURL!, 'data-questionnaire="questionnaires/balint-end-of-cohort.json" data-lang="cy&endpoint=x"');
  const iframe = page.locator('iframe.cohort-survey-frame');
  await expect(iframe).toHaveAttribute('title', 'Balint group feedback questionnaire');
  const src = new URL((await iframe.getAttribute('src'))!);
  expect(src.searchParams.has('lang')).toBe(false);
  expect(src.searchParams.has('endpoint')).toBe(false);
});

test.describe('a browser set to Welsh', () => {
  test.use({ locale: 'cy-GB' });

  test('gets the refusal notice in Welsh', async ({ page, baseURL }) => {
    expect(await page.evaluate(() => navigator.languages[0])).toBe('cy-GB');
    await hostWith(page, baseURL!, 'data-questionnaire="https://elsewhere.example/q.json"');
    await expect(page.getByRole('alert')).toHaveText(
      "Nid oes modd dangos yr holiadur yma: mae cod mewnosod y dudalen hon yn enwi holiadur neu gyfeiriad nad yw'n cael ei ganiatáu. Rhowch wybod i berchennog y dudalen.");
    await expect(page.locator('iframe')).toHaveCount(0);
  });

  test('data-lang="en" wins over the browser', async ({ page, baseURL }) => {
    await hostWith(page, baseURL!, 'data-questionnaire="https://elsewhere.example/q.json" data-lang="en"');
    await expect(page.getByRole('alert')).toContainText('The questionnaire cannot be shown here');
  });
});
