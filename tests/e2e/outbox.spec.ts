import { test, expect, Survey, Deployment, sendNow, typeInto } from './fixtures';
import { BASE_URL, EXPORT_TOKEN } from '../../playwright.config';
import { port, CountingProxy, stored, lockHeld, outboxIdle } from './fake-receivers';

/** Rows stored by a receiver, read through its real export. */
async function rows(base = BASE_URL): Promise<any[]> {
  const r = await fetch(`${base}/api/submissions.json`, { headers: { Authorization: `Bearer ${EXPORT_TOKEN}` } });
  expect(r.status).toBe(200);
  return (await r.json()).rows;
}

async function fault(status: number, count: number, base = BASE_URL, retry_after?: number) {
  const r = await fetch(`${base}/__test/fault`, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ status, count, retry_after }) });
  expect(r.ok).toBeTruthy();
}

/** The app opened through a counting proxy in front of `upstream` (same
 *  origin, so its config's endpoint goes through the proxy too) for `body`. */
async function proxied(survey: Survey, n: number, upstream: string, body: (proxy: CountingProxy) => Promise<void>) {
  const proxy = new CountingProxy(port(n), upstream);
  await proxy.start();
  try {
    await survey.page.goto(`${proxy.url}/`);
    await expect(survey.page.locator('.progress')).toBeVisible();
    await body(proxy);
  } finally {
    await proxy.stop();
  }
}

/** Answers everything and presses Send with no network: the response waits. */
async function queueOffline(survey: Survey, context: import('@playwright/test').BrowserContext) {
  await survey.completeToCheckPage();
  await context.setOffline(true);
  await survey.page.getByRole('button', { name: 'Send my answers' }).click();
  await expect(survey.page.locator('.send-status')).toContainText('saved on this device');
  await triedOnce(survey.page); // it tried, failed, and kept it
}

/** Waits until the stored item has failed at least once (the app tried). */
const triedOnce = (page: import('@playwright/test').Page) =>
  expect.poll(async () => (await stored(page))[0]?.attempts ?? 0, { timeout: 30_000 }).toBeGreaterThanOrEqual(1);

async function submit(survey: Survey, opts: { valued?: string } = {}) {
  await survey.open();
  await survey.completeToCheckPage(opts);
  await survey.page.getByRole('button', { name: 'Send my answers' }).click();
  await expect(survey.page.getByRole('heading', { name: 'Thank you' })).toBeVisible();
}

const sent = (page: import('@playwright/test').Page) =>
  expect(page.locator('.send-status')).toHaveText('Your answers have been sent to the programme team.', { timeout: 20_000 });

test('submitting online stores exactly one anonymous row, and the draft is cleared', async ({ survey, page }) => {
  const before = (await rows()).length;
  await submit(survey);
  await sent(page);
  const after = await rows();
  expect(after.length).toBe(before + 1);
  const row = after[after.length - 1];
  expect(row['agreement.safe']).toBe('4');
  expect(row.recommend).toBe(9);
  expect(row.period).toMatch(/^\d{4}-\d{2}$/);
  expect(await page.evaluate(() => Object.keys(localStorage).filter(k => k.startsWith('cohort-survey:draft')))).toEqual([]);
});

test('a submission with no network waits in the outbox and is sent once when back online', async ({ survey, page, context }) => {
  const before = (await rows()).length;
  await survey.open();
  await survey.completeToCheckPage();
  await context.setOffline(true);
  await page.getByRole('button', { name: 'Send my answers' }).click();
  // The confirmation says it, once: no second "waiting" notice beside it.
  await expect(page.locator('.send-status')).toContainText('You are offline. Your answers are saved on this device');
  await expect(page.locator('.outbox')).toHaveCount(0);
  await expect(page.locator('.send-status')).toContainText('will be sent automatically');
  await triedOnce(page); // it tried while offline, and kept it
  await context.setOffline(false); // the `online` event triggers the send
  await sent(page);
  await expect(page.locator('.outbox')).toHaveCount(0);
  expect((await rows()).length).toBe(before + 1);
});

test('a receiver that is down, then started again, gets the response exactly once', async ({ survey, page }) => {
  // A second, real receiver that serves the app itself, stopped and started
  // for real, behind a proxy that counts the POSTs reaching it (the page is
  // opened through the proxy, so the endpoint is same-origin).
  const d = new Deployment(port(2));
  await d.start();
  try {
    await proxied(survey, 20, d.url, async proxy => {
      await survey.completeToCheckPage();
      await d.stop();
      await page.getByRole('button', { name: 'Send my answers' }).click();
      await expect(page.locator('.send-status')).toContainText('saved on this device');
      await triedOnce(page);
      await d.start();
      await sendNow(page);
      await sent(page);
      await outboxIdle(page); // nothing waits and no send is under way: nothing more can go
      expect(proxy.posts.map(p => p.status)).toEqual([201]);
      expect(await d.rows()).toHaveLength(1);
    });
  } finally {
    await d.stop();
  }
});

test('an endpoint on another origin gets the response through a CORS preflight, and only if it allows the app', async ({ survey, page }) => {
  // The app on one port, its answers going to a separate endpoint on another
  // (another origin), which the app's CSP lets it reach.
  const endpoint = `http://127.0.0.1:${port(3)}/api/submissions`;
  const csp = `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self' http://127.0.0.1:${port(3)}; manifest-src 'self'; worker-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'; object-src 'none'`;
  const app = new Deployment(port(2), `csp = "${csp}"\n`);
  app.setAppConfig(c => { c.endpoint = endpoint; });
  for (const allowed of [false, true]) {
    const target = new Deployment(port(3), allowed ? `allowed_origins = ["http://127.0.0.1:${port(2)}"]\n` : '');
    await app.start();
    await target.start();
    try {
      await page.goto(`${app.url}/`);
      await survey.completeToCheckPage();
      await page.getByRole('button', { name: 'Send my answers' }).click();
      if (allowed) {
        await sent(page);
        expect(await target.rows()).toHaveLength(1);
      } else {
        // The preflight is refused, so the browser never sends it: kept, waiting.
        await expect(page.locator('.send-status')).toContainText('saved on this device');
        await triedOnce(page);
        expect(await target.rows()).toHaveLength(0);
      }
      expect(await app.rows()).toHaveLength(0);
    } finally {
      await target.stop();
      await app.stop();
    }
    // The next round starts from a clean browser: no waiting item carried over.
    await page.evaluate(() => localStorage.clear());
  }
});

test('a receiver answering 500 is retried until it succeeds: one row', async ({ survey, page }) => {
  const before = (await rows()).length;
  await fault(500, 2);
  await submit(survey);
  await expect(page.locator('.send-status')).toContainText('saved on this device');
  await sent(page); // backoff with jitter, then success
  expect((await rows()).length).toBe(before + 1);
});

test('a receiver answering 422 puts the response under "needs attention" with a download', async ({ survey, page }) => {
  const before = (await rows()).length;
  await fault(422, 1);
  await submit(survey);
  // The confirmation says it once, in plain words; the technical reason is
  // for IT staff, behind a disclosure; nobody is asked to send their answers.
  await expect(page.locator('.send-status')).toContainText('could not accept your answers');
  await expect(page.locator('details.for-it .technical')).toContainText('422');
  await expect(page.locator('main')).not.toContainText(/e-?mail|to the programme team/i);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download my response' }).click();
  const chunks = await (await (await download).createReadStream()).toArray();
  const saved = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  expect(saved.questionnaire_id).toBe('balint-end-of-cohort');
  expect(saved.answers.recommend).toBe(9);
  // Still kept after a reload: nothing is dropped silently.
  await page.reload();
  await expect(page.locator('.outbox-attention')).toHaveCount(1);
  expect((await rows()).length).toBe(before);
  await page.evaluate(() => localStorage.clear());
});

test('junk in the outbox is kept, shown and downloadable, and does not stop the rest being sent', async ({ survey, page }) => {
  const before = (await rows()).length;
  await survey.open();
  const junk = '{"submission": {"format": 99, "answers": "?"}, "endpoint"';
  await page.evaluate(j => localStorage.setItem('cohort-survey:outbox:junk', j), junk);
  await survey.completeToCheckPage();
  await page.getByRole('button', { name: 'Send my answers' }).click();
  await sent(page);
  expect((await rows()).length).toBe(before + 1);
  const notice = page.locator('.outbox-unreadable');
  await expect(notice).toContainText('could not be read, so it cannot be sent. It is kept here');
  const download = page.waitForEvent('download');
  await notice.getByRole('button', { name: 'Download the unreadable response' }).click();
  const chunks = await (await (await download).createReadStream()).toArray();
  expect(Buffer.concat(chunks).toString('utf8')).toBe(junk);
  await page.reload();
  await expect(page.locator('.outbox-unreadable')).toHaveCount(1);
  expect(await page.evaluate(() => localStorage.getItem('cohort-survey:outbox:junk'))).toBe(junk);
});

test('the same outbox open in two tabs sends one POST', async ({ survey, page, context }) => {
  // Counted in POSTs at the receiver: it de-duplicates, so rows would hide a
  // second send. The proxy holds each POST back a few seconds, so without
  // the lock the second tab would send while the first one's is under way.
  const before = (await rows()).length;
  await proxied(survey, 21, BASE_URL, async proxy => {
    await queueOffline(survey, context);
    proxy.delayMs = 5000;
    await context.setOffline(false); // the first tab starts sending
    const other = await context.newPage();
    await other.goto(`${proxy.url}/`);
    await expect(other.locator('.outbox')).toContainText('1 response waiting to send');
    await Promise.all([sendNow(page), sendNow(other)]);
    await outboxIdle(page);
    await outboxIdle(other);
    expect(proxy.attempts).toBe(1);
    expect(proxy.posts.map(p => p.status)).toEqual([201]);
    expect((await rows()).length).toBe(before + 1);
  });
});

test('a double tap on Send makes one submission', async ({ survey, page }) => {
  const before = (await rows()).length;
  await survey.open();
  await survey.completeToCheckPage();
  await page.getByRole('button', { name: 'Send my answers' }).dblclick();
  await sent(page);
  await outboxIdle(page);
  expect((await rows()).length).toBe(before + 1);
});

test('an email in free text is flagged on the check page and arrives as [email]', async ({ survey, page }) => {
  const before = (await rows()).length;
  await survey.open();
  await survey.completeToCheckPage({ valued: 'Email me at jo.bloggs@example.ac.uk about it' });
  await expect(page.locator('.flag')).toContainText('“jo.bloggs@example.ac.uk” looks like an email address - please remove it.');
  await survey.expectNoAxeViolations();
  await page.getByRole('button', { name: 'Send my answers' }).click();
  await sent(page);
  const after = await rows();
  expect(after.length).toBe(before + 1);
  expect(after[after.length - 1].valued).toBe('Email me at [email] about it');
});

test('an identifier is flagged under the field while typing, and the flag goes when it is removed', async ({ survey, page }) => {
  await survey.open();
  await survey.answerAbout();
  await survey.next();
  await survey.answerExperience();
  await survey.next();
  await survey.answerGroup();
  await survey.next();
  await survey.answerSessions();
  await survey.next();
  const field = page.locator('.field', { has: page.getByLabel('What should change?') });
  await typeInto(page.getByLabel('What should change?'), 'Ring Dr Patel on 07700 900123 about rotas', { clear: true });
  await expect(field.locator('.flags')).toHaveAttribute('aria-live', 'polite');
  await expect(field.locator('.flag')).toHaveText([
    '“Dr Patel” looks like a name - please remove it.',
    '“07700 900123” looks like a phone number - please remove it.',
  ]);
  await survey.expectNoAxeViolations();
  await typeInto(page.getByLabel('What should change?'), 'Ring the coordinator about rotas', { clear: true });
  await expect(field.locator('.flag')).toHaveCount(0);
});

test('an endpoint URL parameter not in the allow-list is refused', async ({ survey, page }) => {
  await survey.open('?endpoint=https%3A%2F%2Fevil.example%2Fcollect');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sorry, the questionnaire cannot be opened');
  await expect(page.locator('.error-page')).toContainText('somewhere this survey does not allow');
});

test('a send that never gets an answer times out, releases the lock, and the response goes on the next try', async ({ survey, page }) => {
  test.setTimeout(120_000);
  // An endpoint that accepts the POST and never answers (the proxy holds it).
  const before = (await rows()).length;
  await proxied(survey, 22, BASE_URL, async proxy => {
    await survey.completeToCheckPage();
    proxy.hang = true;
    await page.getByRole('button', { name: 'Send my answers' }).click();
    await expect.poll(() => proxy.attempts).toBe(1);
    await expect.poll(() => lockHeld(page)).toBe(true); // hung, holding the lock
    // After the send timeout: aborted by the app, still queued, lock free.
    await expect.poll(() => proxy.aborted, { timeout: 40_000 }).toBeGreaterThanOrEqual(1);
    await expect.poll(async () => ({ held: await lockHeld(page), queued: (await stored(page)).map(i => i.attempts >= 1) }),
      { timeout: 40_000, intervals: [100] }).toEqual({ held: false, queued: [true] });
    await expect(page.locator('.send-status')).toContainText('saved on this device');
    proxy.hang = false; // the endpoint is healthy again
    await sent(page);
    await outboxIdle(page);
    expect(proxy.posts.map(p => p.status)).toEqual([201]);
    expect((await rows()).length).toBe(before + 1);
  });
});

test('storage cleared while a response waits: it is written back and still sent exactly once', async ({ survey, page, context }) => {
  const before = (await rows()).length;
  await proxied(survey, 23, BASE_URL, async proxy => {
    await queueOffline(survey, context);
    const id = (await stored(page))[0].submission.submission_id;
    await page.evaluate(() => localStorage.clear()); // an eviction or a clean-up tool
    await expect.poll(async () => (await stored(page)).map(i => i.submission.submission_id)).toEqual([id]);
    await expect(page.locator('.send-status')).toContainText('saved on this device');
    await context.setOffline(false);
    await sent(page);
    await outboxIdle(page);
    expect(proxy.posts.map(p => p.status)).toEqual([201]);
    expect((await rows()).length).toBe(before + 1);
  });
});

test('storage cleared and no longer writable: the student is told, can download the response, and it is still sent', async ({ survey, page, context }) => {
  const before = (await rows()).length;
  await survey.open();
  await queueOffline(survey, context);
  await page.evaluate(() => {
    localStorage.clear();
    Storage.prototype.setItem = () => { throw new DOMException('full', 'QuotaExceededError'); };
  });
  const notice = page.locator('.outbox-unsaved');
  await expect(notice).toContainText('could not be kept on this device');
  const download = page.waitForEvent('download');
  await notice.getByRole('button', { name: 'Download my response' }).click();
  const chunks = await (await (await download).createReadStream()).toArray();
  expect(JSON.parse(Buffer.concat(chunks).toString('utf8')).answers.recommend).toBe(9);
  await context.setOffline(false);
  await sent(page);
  expect((await rows()).length).toBe(before + 1);
});

test('when the browser refuses persistent storage, the student is told once while a response waits', async ({ survey, page, context }) => {
  await context.addInitScript(() => { navigator.storage.persist = async () => false; });
  await survey.open();
  await survey.completeToCheckPage();
  await context.setOffline(true);
  await page.getByRole('button', { name: 'Send my answers' }).click();
  const notice = page.locator('.outbox-not-persistent');
  await expect(notice).toContainText('Until your answers are sent, they live only on this device');
  await survey.expectNoAxeViolations();
  await context.setOffline(false);
  await sent(page);
  await expect(notice).toHaveCount(0);
  // Once: another waiting response later does not repeat it.
  await survey.open();
  await queueOffline(survey, context);
  await expect(notice).toHaveCount(0);
  await context.setOffline(false);
  await sent(page);
});

test('a cross-origin 503 with Retry-After is retried after the time asked, not after the usual 1-2 s', async ({ survey, page }) => {
  // The app on one receiver, posting to another (a real receiver with test
  // faults on) through a proxy that timestamps every POST that reaches it.
  const target = new Deployment(port(25), `allowed_origins = ["http://127.0.0.1:${port(24)}"]\n`);
  const proxy = new CountingProxy(port(26), target.url);
  const endpoint = `${proxy.url}/api/submissions`;
  const csp = `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self' ${proxy.url}; manifest-src 'self'; worker-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'; object-src 'none'`;
  const app = new Deployment(port(24), `csp = "${csp}"\n`);
  app.setAppConfig(c => { c.endpoint = endpoint; });
  process.env.COLLECTOR_TEST_FAULTS = '1';
  try {
    await target.start();
  } finally {
    delete process.env.COLLECTOR_TEST_FAULTS;
  }
  await app.start();
  await proxy.start();
  try {
    await fault(503, 1, target.url, 8);
    await page.goto(`${app.url}/`);
    await survey.completeToCheckPage();
    await page.getByRole('button', { name: 'Send my answers' }).click();
    await sent(page);
    await outboxIdle(page);
    expect(proxy.posts.map(p => p.status)).toEqual([503, 201]);
    const gap = proxy.posts[1].at - proxy.posts[0].at;
    expect(gap).toBeGreaterThanOrEqual(8000);
    expect(gap).toBeLessThan(8000 + 6000); // the asked time plus at most a tick, not the 1 h cap
  } finally {
    await proxy.stop();
    await app.stop();
    await target.stop();
  }
});
