import { test, expect, Survey, Deployment, sendNow, typeInto } from './fixtures';
import { BASE_URL, EXPORT_TOKEN } from '../../playwright.config';

/** Rows stored by a receiver, read through its real export. */
async function rows(base = BASE_URL): Promise<any[]> {
  const r = await fetch(`${base}/api/submissions.json`, { headers: { Authorization: `Bearer ${EXPORT_TOKEN}` } });
  expect(r.status).toBe(200);
  return (await r.json()).rows;
}

async function fault(status: number, count: number) {
  const r = await fetch(`${BASE_URL}/__test/fault`, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ status, count }) });
  expect(r.ok).toBeTruthy();
}

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
  await expect(page.locator('.outbox')).toContainText('1 response waiting to send - it will go automatically when you are back online.');
  await expect(page.locator('.send-status')).toContainText('will be sent automatically');
  await page.waitForTimeout(1500);
  await context.setOffline(false); // the `online` event triggers the send
  await sent(page);
  await expect(page.locator('.outbox')).toHaveCount(0);
  expect((await rows()).length).toBe(before + 1);
});

test('a receiver that is down, then started again, gets the response exactly once', async ({ survey, page }) => {
  // A second, real receiver that serves the app itself (so the endpoint is
  // same-origin under its CSP); stopped and started for real.
  const d = new Deployment(8183);
  await d.start();
  try {
    await page.goto(`${d.url}/`);
    await survey.completeToCheckPage();
    await d.stop();
    await page.getByRole('button', { name: 'Send my answers' }).click();
    await expect(page.locator('.outbox')).toContainText('1 response waiting to send');
    await page.waitForTimeout(1000);
    await d.start();
    await sendNow(page);
    await sent(page);
    await page.waitForTimeout(3500); // a second send would have landed by now
    expect(await d.rows()).toHaveLength(1);
  } finally {
    await d.stop();
  }
});

test('an endpoint on another origin gets the response through a CORS preflight, and only if it allows the app', async ({ survey, page }) => {
  // The app on :8183, its answers going to a separate endpoint on :8184
  // (another origin), which the app's CSP lets it reach.
  const endpoint = 'http://127.0.0.1:8184/api/submissions';
  const csp = `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self' http://127.0.0.1:8184; manifest-src 'self'; worker-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'; object-src 'none'`;
  const app = new Deployment(8183, `csp = "${csp}"\n`);
  app.setAppConfig(c => { c.endpoint = endpoint; });
  for (const allowed of [false, true]) {
    const target = new Deployment(8184, allowed ? 'allowed_origins = ["http://127.0.0.1:8183"]\n' : '');
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
        await expect(page.locator('.outbox')).toContainText('1 response waiting to send');
        await page.waitForTimeout(2000);
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
  await expect(page.locator('.outbox')).toContainText('waiting to send');
  await sent(page); // backoff with jitter, then success
  expect((await rows()).length).toBe(before + 1);
});

test('a receiver answering 422 puts the response under "needs attention" with a download', async ({ survey, page }) => {
  const before = (await rows()).length;
  await fault(422, 1);
  await submit(survey);
  const attention = page.locator('.outbox-attention');
  await expect(attention).toContainText('was not accepted by the survey');
  // The technical reason is for IT staff, behind a disclosure; the student
  // is never asked to send their answers to anyone.
  await expect(attention.locator('details.for-it .technical')).toContainText('422');
  await expect(attention).not.toContainText(/e-?mail|to the programme team/i);
  await expect(page.locator('.send-status')).toContainText('could not accept your answers');
  const download = page.waitForEvent('download');
  await attention.getByRole('button', { name: 'Download my response' }).click();
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
  await expect(notice).toContainText('could not be read, so it cannot be sent. It is kept here.');
  const download = page.waitForEvent('download');
  await notice.getByRole('button', { name: 'Download the unreadable response' }).click();
  const chunks = await (await (await download).createReadStream()).toArray();
  expect(Buffer.concat(chunks).toString('utf8')).toBe(junk);
  await page.reload();
  await expect(page.locator('.outbox-unreadable')).toHaveCount(1);
  expect(await page.evaluate(() => localStorage.getItem('cohort-survey:outbox:junk'))).toBe(junk);
});

test('the same outbox open in two tabs sends one row', async ({ survey, page, context }) => {
  const before = (await rows()).length;
  await survey.open();
  await survey.completeToCheckPage();
  await context.setOffline(true);
  await page.getByRole('button', { name: 'Send my answers' }).click();
  await expect(page.locator('.outbox')).toBeVisible();
  const other = await context.newPage();
  await other.goto('/').catch(() => {}); // offline: served from nowhere, so reopen once online
  await context.setOffline(false);
  await other.goto('/');
  await Promise.all([
    page.getByRole('button', { name: 'Send now' }).click({ timeout: 2000 }).catch(() => {}),
    other.getByRole('button', { name: 'Send now' }).click({ timeout: 2000 }).catch(() => {}),
  ]);
  await expect.poll(async () => (await rows()).length, { timeout: 20_000 }).toBe(before + 1);
  await page.waitForTimeout(4000); // any stray second send would land by now
  expect((await rows()).length).toBe(before + 1);
});

test('a double tap on Send makes one submission', async ({ survey, page }) => {
  const before = (await rows()).length;
  await survey.open();
  await survey.completeToCheckPage();
  await page.getByRole('button', { name: 'Send my answers' }).dblclick();
  await sent(page);
  await page.waitForTimeout(1000);
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
