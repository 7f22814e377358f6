// "Any endpoint" (issue 14): the app against local stand-ins for the
// webhooks schools use (tests/e2e/fake-receivers.ts), in the request mode
// docs/endpoints.md gives for each. Every case counts POSTs at the endpoint
// and its stored records: offline-then-online and 503-then-OK arrive once.
import { test, expect, Survey, Deployment } from './fixtures';
import { port, appsScriptLike, jsonOnly, dedupById, Webhook, outboxIdle } from './fake-receivers';

const SCRIPT = port(30), ECHO = port(31), JSON_ONLY = port(32), DEDUP = port(33);
const hosts = [SCRIPT, ECHO, JSON_ONLY, DEDUP].map(p => `http://127.0.0.1:${p}`).join(' ');
// The school's CSP: connect-src lists the endpoint and, for Apps Script, the
// host its answer is redirected to (CSP checks every hop).
const csp = `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self' ${hosts}; manifest-src 'self'; worker-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'; object-src 'none'`;

// The app, served by a real receiver of its own whose config.json each test rewrites.
const app = new Deployment(port(29), `csp = "${csp}"\n`);
test.beforeAll(async () => { await app.start(); });
test.afterAll(async () => { await app.stop(); });

const appsScript = appsScriptLike(SCRIPT, ECHO);
const kinds: { name: string; request: 'json' | 'simple'; path: string; hook: Webhook; start(): Promise<void>; stop(): Promise<void> }[] = [
  { name: 'an Apps-Script-like endpoint (no preflight, 302 to another host)', request: 'simple', path: '/macros/s/demo/exec',
    hook: appsScript.script, start: () => appsScript.start(), stop: () => appsScript.stop() },
  { name: 'an endpoint that requires the JSON mode', request: 'json', path: '/flow', hook: jsonOnly(JSON_ONLY),
    start() { return this.hook.start(); }, stop() { return this.hook.stop(); } },
  { name: 'a form backend that de-duplicates by id only (204, no body)', request: 'simple', path: '/f/demo', hook: dedupById(DEDUP),
    start() { return this.hook.start(); }, stop() { return this.hook.stop(); } },
];

async function openAt(survey: Survey, endpoint: string, request: string) {
  app.setAppConfig(c => { c.endpoint = endpoint; c.request = request; });
  await survey.page.goto(`${app.url}/`);
  await expect(survey.page.locator('.progress')).toBeVisible();
  await survey.completeToCheckPage();
}

const sent = (survey: Survey) =>
  expect(survey.page.locator('.send-status')).toHaveText('Your answers have been sent to the programme team.', { timeout: 20_000 });

for (const kind of kinds) {
  test.describe(kind.name, () => {
    test.beforeEach(async () => { kind.hook.posts = []; kind.hook.records.clear(); kind.hook.options = 0; await kind.start(); });
    test.afterEach(async () => { await kind.stop(); });

    test('offline, then online: one POST, one record', async ({ survey, page, context }) => {
      await openAt(survey, kind.hook.url + kind.path, kind.request);
      await context.setOffline(true);
      await page.getByRole('button', { name: 'Send my answers' }).click();
      await expect(page.locator('.send-status')).toContainText('saved on this device');
      expect(kind.hook.posts).toHaveLength(0);
      await context.setOffline(false);
      await sent(survey);
      await outboxIdle(page);
      expect(kind.hook.posts).toHaveLength(1);
      expect(kind.hook.records.size).toBe(1);
      const p = kind.hook.posts[0];
      if (kind.request === 'simple') {
        // Sent without asking first: a safelisted type, no custom header.
        expect(p.contentType).toBe('text/plain;charset=UTF-8');
        expect(p.key).toBeUndefined();
        expect(kind.hook.options).toBe(0);
      } else {
        expect(p.contentType).toBe('application/json');
        expect(p.key).toBe(JSON.parse(p.body).submission_id);
      }
    });

    test('503, then OK: retried, one record', async ({ survey, page }) => {
      await openAt(survey, kind.hook.url + kind.path, kind.request);
      kind.hook.failNext = 1;
      await page.getByRole('button', { name: 'Send my answers' }).click();
      await sent(survey);
      await outboxIdle(page);
      expect(kind.hook.posts.map(p => p.status ?? 'ok')).toEqual([503, 'ok']);
      expect(kind.hook.records.size).toBe(1);
    });
  });
}

test('an Apps-Script-like endpoint answering 200 without confirming the id keeps the response under "needs attention"', async ({ survey, page }) => {
  // Apps Script answers 200 even when doPost fails (an HTML error page): a
  // 2xx that does not name the submission is not taken as delivered.
  const broken = new Webhook(port(34), (_w, req, res) => {
    if (req.method !== 'POST') { res.writeHead(405).end(); return; }
    res.writeHead(200, { 'Access-Control-Allow-Origin': '*', 'Content-Type': 'text/html' }).end('<p>TypeError: Cannot read properties of null (line 7)</p>');
  });
  const local = new Deployment(port(35), `csp = "${csp.replace("connect-src 'self'", `connect-src 'self' ${broken.url}`)}"\n`);
  local.setAppConfig(c => { c.endpoint = `${broken.url}/exec`; c.request = 'simple'; });
  await broken.start();
  await local.start();
  try {
    await page.goto(`${local.url}/`);
    await survey.completeToCheckPage();
    await page.getByRole('button', { name: 'Send my answers' }).click();
    await expect(page.locator('.send-status')).toContainText('could not accept your answers');
    await expect(page.locator('details.for-it .technical')).toContainText('answered without confirming this response was stored');
    expect(broken.posts).toHaveLength(1);
    await page.reload();
    await expect(page.locator('.outbox-attention')).toHaveCount(1);
  } finally {
    await local.stop();
    await broken.stop();
  }
});

test('a simple endpoint cannot be given custom headers: the config is refused with a clear error', async ({ page }) => {
  app.setAppConfig(c => { c.endpoint = `http://127.0.0.1:${SCRIPT}/exec`; c.request = 'simple'; c.headers = { 'X-Form-Key': 'k' }; });
  try {
    await page.goto(`${app.url}/`);
    await expect(page.locator('.error-page')).toContainText('cannot be used with the "simple" endpoint');
  } finally {
    app.setAppConfig(c => { delete c.headers; });
  }
});

test('the Power Automate schema in docs/endpoints.md is the one generated from docs/submission.schema.json', async () => {
  const fs = await import('fs');
  // @ts-ignore: a plain ES module without types
  const { powerAutomateSchema } = await import('../../tools/power-automate-schema.mjs');
  const doc = fs.readFileSync('docs/endpoints.md', 'utf8');
  const block = doc.split('<!-- power-automate-schema -->')[1].split('<!-- /power-automate-schema -->')[0];
  const inDoc = JSON.parse(block.replace(/```json|```/g, ''));
  expect(inDoc).toEqual(powerAutomateSchema(JSON.parse(fs.readFileSync('docs/submission.schema.json', 'utf8'))));
});
