import { test, expect, Survey, Deployment, questionnaire } from './fixtures';
import { EXPORT_TOKEN } from '../../playwright.config';
import type { Browser, Page } from '@playwright/test';


// The programme report on a receiver of its own (port 8301) with k = 5, so
// that "fewer than k" and "k" are both reached through the real app.
const K = 5;
const dep = new Deployment(8301, `report_min_cell = ${K}\n`);

test.describe.configure({ mode: 'serial' });
test.beforeAll(async () => { await dep.start(); });
test.afterAll(async () => { await dep.stop(); });

/** One student: a fresh browser context answers every page, typing key by
 *  key (the fixtures' `typeInto`), sends, and waits until the receiver has it. */
async function respond(browser: Browser, i: number) {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  try {
    await page.goto(`${dep.url}/`);
    const survey = new Survey(page);
    await expect(page.locator('.progress')).toBeVisible();
    await survey.completeToCheckPage({ valued: `Valued answer ${i}` });
    await page.getByRole('button', { name: 'Send my answers' }).click();
    await expect(page.locator('.send-status')).toHaveText('Your answers have been sent to the programme team.', { timeout: 20_000 });
  } finally {
    await context.close();
  }
  await expect.poll(async () => (await dep.rows()).length).toBe(i);
}

async function signIn(page: Page) {
  await page.goto(`${dep.url}/report`);
  await expect(page).toHaveURL(`${dep.url}/report/sign-in`);
  await page.getByLabel('Export token').pressSequentially(EXPORT_TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${dep.url}/report`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(questionnaire.title);
}

test('the report without a session redirects to sign-in, and a wrong token is refused', async ({ page }) => {
  await page.goto(`${dep.url}/report`);
  await expect(page).toHaveURL(`${dep.url}/report/sign-in`);
  await expect(page.getByRole('heading', { name: 'Sign in to the programme report' })).toBeVisible();
  await page.getByLabel('Export token').pressSequentially('not-the-token');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('That export token is not right');
  expect((await page.context().cookies()).map(c => c.name)).not.toContain('cs_report_session');
  await new Survey(page).expectNoAxeViolations();
});

test('with fewer than k responses the report shows no number that rests on them', async ({ page, browser }) => {
  for (let i = 1; i < K; i++) await respond(browser, i);
  await signIn(page);
  // Chromium keeps the Secure cookie on http://127.0.0.1 (a secure context).
  const session = (await page.context().cookies()).find(c => c.name === 'cs_report_session');
  expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict' });
  await expect(page.locator('#responses')).toHaveText(String(K - 1));
  await expect(page.locator('.hidden-note')).toContainText(`fewer than ${K} responses`);
  // Every data cell and every number a chart would carry is hidden.
  const cells = await page.locator('main table td').allTextContents();
  expect(cells.length).toBeGreaterThan(20);
  // Only zeros may show: statements of version 1's grid that version 2 (which
  // the app sends) no longer asks, where nobody answered. They rest on no one.
  expect(cells.filter(c => c !== 'hidden' && c !== '0')).toEqual([]);
  expect(cells.filter(c => c === 'hidden').length).toBeGreaterThan(20);
  const chartValues = await page.locator('svg text.val').allTextContents();
  expect(chartValues.filter(v => !['hidden', '–', '0', 'no answers'].includes(v))).toEqual([]);
  expect(chartValues.filter(v => v === 'hidden').length).toBeGreaterThan(10);
  expect(await page.locator('svg rect[fill="#1d70b8"]').count()).toBe(0);
  await expect(page.locator('main')).not.toContainText('Valued answer');
  await expect(page.locator('main')).toContainText('median and quartiles hidden');
});

test('at k responses the charts and free text appear; axe finds nothing; it prints on A4', async ({ page, browser }) => {
  await respond(browser, K);
  await signIn(page);
  await expect(page.locator('#responses')).toHaveText(String(K));
  const overall = page.locator('#q-overall');
  await expect(overall.locator('svg[role="img"]')).toBeVisible();
  await expect(overall.getByRole('row', { name: /^Positive/ }).getByRole('cell').first()).toHaveText(`${K} (100%)`);
  await expect(overall.locator('svg text.val', { hasText: `${K} (100%)` })).toHaveCount(1);
  // Likert: one diverging chart per grid, "Agree" for every statement.
  for (const [id, n] of [['agreement', 4], ['agreement_sessions', 4]] as const) {
    const grid = page.locator(`#q-${id}`);
    await expect(grid.locator('svg[role="img"]')).toHaveCount(1);
    await expect(grid.locator('table td', { hasText: `${K} (100%)` })).toHaveCount(n);
    // Drawn: four "Agree" segments (plus the legend's squares and the empty
    // "prefer not to say" boxes).
    await expect(grid.locator('svg rect[fill="#92c5de"][stroke="#0b0c0c"]')).toHaveCount(n);
  }
  await expect(page.locator('#q-recommend')).toContainText('median 9, quartiles 9 to 9');
  await expect(page.locator('#q-valued li')).toHaveCount(K);
  await expect(page.locator('#q-valued')).toContainText(`${K} answers`);
  await new Survey(page).expectNoAxeViolations();
  await new Survey(page).screenshot('report-screen');

  // The free-text filter works without JavaScript (a GET form).
  await page.getByLabel('Show only free-text answers containing').pressSequentially('answer 3');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page.locator('#q-valued li')).toHaveText(['Valued answer 3']);
  await expect(page.locator('#q-valued')).toContainText('1 match the filter');

  // A breakdown by group: the one group used has all K; the rest are empty.
  await page.goto(`${dep.url}/report?by=group`);
  await expect(page.getByRole('row', { name: /Wednesday lunchtime/ }).first()).toContainText(String(K));

  await page.goto(`${dep.url}/report`);
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('form.filters')).toBeHidden();
  await page.pdf({ path: 'e2e-output/screenshots/report-a4.pdf', format: 'A4' }).catch(() => undefined);
  await page.setViewportSize({ width: 794, height: 1123 }); // A4 at 96 dpi
  await new Survey(page).screenshot('report-print');
});

test('sign-out ends access', async ({ page }) => {
  await signIn(page);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/report\/sign-in\?signed_out=1$/);
  await expect(page.getByRole('status')).toHaveText('You have signed out.');
  await page.goto(`${dep.url}/report`);
  await expect(page).toHaveURL(`${dep.url}/report/sign-in`);
  expect((await page.request.get(`${dep.url}/api/report.json`)).status()).toBe(401);
});
