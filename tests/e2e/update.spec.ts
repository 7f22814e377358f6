import { test, expect, Deployment, reloadControlled, sendNow, typeInto } from './fixtures';
import * as fs from 'fs';
import * as path from 'path';

// These tests need a receiver they can stop and redeploy, so each runs its
// own real receiver serving its own copy of the release build.
test.use({ serviceWorkers: 'allow' });

async function controlled(page: import('@playwright/test').Page) {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await reloadControlled(page);
}

test('with every server stopped the app opens from cache, is completed into the outbox, and syncs once when the receiver is back', async ({ survey, page }) => {
  const d = new Deployment(8184);
  await d.start();
  try {
    await page.goto(`${d.url}/`);
    await controlled(page);
    await d.stop();
    await page.reload(); // no server at all: the service worker serves the shell
    await expect(page.locator('.progress')).toHaveText('Section 1 of 6');
    await survey.completeToCheckPage();
    await page.getByRole('button', { name: 'Send my answers' }).click();
    await expect(page.locator('.send-status')).toContainText('saved on this device');
    // Every answer the receiver gives to a POST: one send that arrived is one response.
    const answered: number[] = [];
    page.on('response', r => {
      if (r.request().method() === 'POST' && r.url().endsWith('/api/submissions')) answered.push(r.status());
    });
    await d.start();
    await sendNow(page);
    await expect(page.locator('.send-status')).toHaveText('Your answers have been sent to the programme team.', { timeout: 20_000 });
    // Nothing is left to send (the outbox is empty), so no later send can come.
    await expect.poll(() => page.evaluate(() => Object.keys(localStorage).filter(k => k.startsWith('cohort-survey:outbox:')).length)).toBe(0);
    expect(answered).toEqual([201]);
    expect(await d.rows()).toHaveLength(1);
  } finally {
    await d.stop();
  }
});

test('a new build deployed mid-draft shows the update notice, keeps the draft and reloads only when chosen', async ({ survey, page }) => {
  const d = new Deployment(8185);
  await d.start();
  try {
    await page.goto(`${d.url}/`);
    await controlled(page);
    await survey.answerAbout('3');
    await typeInto(page.getByLabel('What made it hard to attend more sessions?'), 'Exams.', { clear: true });
    await page.evaluate(() => { (window as any).__sameDocument = true; });
    // Deploy a new build: a changed service worker is a new version.
    const sw = path.join(d.dist, 'sw.js');
    fs.writeFileSync(sw, fs.readFileSync(sw, 'utf8') + '\n// redeployed\n');
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
    // First the browser must have installed the new worker (it waits) ...
    await expect.poll(() => page.evaluate(async () => {
      const reg = await navigator.serviceWorker.getRegistration();
      if (!reg?.waiting) await reg?.update().catch(() => {});
      return reg?.waiting?.state ?? reg?.installing?.state ?? 'none';
    }), { timeout: 20_000 }).toBe('installed');
    // ... then the app must have noticed and said so.
    await expect(page.getByText('A new version of this questionnaire is ready.')).toBeVisible({ timeout: 10_000 });
    // Nothing reloaded by itself; the answers are still on the page.
    expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
    await expect(page.getByLabel('What made it hard to attend more sessions?')).toHaveValue('Exams.');
    await Promise.all([
      page.waitForEvent('load'), // the one reload, after the student chose it
      page.getByRole('button', { name: 'Use the new version' }).click(),
    ]);
    expect(await page.evaluate(() => (window as any).__sameDocument ?? false)).toBe(false);
    await expect(page.getByLabel('What made it hard to attend more sessions?')).toHaveValue('Exams.');
    await expect(page.getByText('A new version of this questionnaire is ready.')).toHaveCount(0);
  } finally {
    await d.stop();
  }
});
