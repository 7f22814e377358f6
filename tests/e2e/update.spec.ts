import { test, expect } from './fixtures';
import { EXPORT_TOKEN } from '../../playwright.config';
import { spawn, ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// These tests need a receiver they can stop and redeploy, so each runs its
// own real receiver serving its own copy of the release build.
test.use({ serviceWorkers: 'allow' });

class Deployment {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-deploy-'));
  dist = path.join(this.dir, 'dist');
  proc?: ChildProcess;
  constructor(public port: number) { fs.cpSync('dist', this.dist, { recursive: true }); }
  get url() { return `http://127.0.0.1:${this.port}`; }
  async start() {
    this.proc = spawn('target/server/collector', ['--listen', `127.0.0.1:${this.port}`,
      '--database', path.join(this.dir, 'db.sqlite'), '--questionnaires-dir', 'public/questionnaires', '--dist-dir', this.dist],
      { stdio: 'ignore', env: { ...process.env, COLLECTOR_LISTEN: '', COLLECTOR_DB: '', COLLECTOR_EXPORT_TOKEN: EXPORT_TOKEN } });
    await expect.poll(async () => (await fetch(`${this.url}/healthz`).catch(() => null))?.status, { timeout: 15_000 }).toBe(200);
  }
  async stop() {
    if (!this.proc || this.proc.exitCode !== null) return;
    const exited = new Promise(r => this.proc!.once('exit', r));
    this.proc.kill('SIGTERM');
    await exited;
  }
  async rows() {
    const r = await fetch(`${this.url}/api/submissions.json`, { headers: { Authorization: `Bearer ${EXPORT_TOKEN}` } });
    return (await r.json()).rows as any[];
  }
}

async function controlled(page: import('@playwright/test').Page) {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
}

test('with every server stopped the app opens from cache, is completed into the outbox, and syncs once when the receiver is back', async ({ survey, page }) => {
  const d = new Deployment(8184);
  await d.start();
  try {
    await page.goto(`${d.url}/`);
    await controlled(page);
    await d.stop();
    await page.reload(); // no server at all: the service worker serves the shell
    await expect(page.locator('.progress')).toHaveText('Section 1 of 4');
    await survey.completeToCheckPage();
    await page.getByRole('button', { name: 'Send my answers' }).click();
    await expect(page.locator('.outbox')).toContainText('1 response waiting to send');
    await d.start();
    await page.getByRole('button', { name: 'Send now' }).click();
    await expect(page.locator('.send-status')).toHaveText('Your answers have been sent to the programme team.', { timeout: 20_000 });
    await page.waitForTimeout(3500);
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
    await page.getByLabel('What made it hard to attend more sessions?').fill('Exams.');
    await page.evaluate(() => { (window as any).__sameDocument = true; });
    // Deploy a new build: a changed service worker is a new version.
    const sw = path.join(d.dist, 'sw.js');
    fs.writeFileSync(sw, fs.readFileSync(sw, 'utf8') + '\n// redeployed\n');
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
    await expect(page.getByText('A new version of this questionnaire is ready.')).toBeVisible({ timeout: 20_000 });
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
