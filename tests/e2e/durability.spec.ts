// A hard kill (kill -9 of every browser process: a phone reclaiming memory, a
// crash) shortly after the last key. Chromium writes localStorage to disk in
// delayed batches, so the app also writes each draft to IndexedDB with
// durability "strict" (src/storage.rs Mirror) and restores the newer copy.
//
// Playwright cannot SIGKILL a browser it launched, so this spec starts
// Chromium itself with a profile directory of its own, drives it over CDP,
// and kills the whole process group.
import { test, expect, chromium, Browser, Page } from '@playwright/test';
import { spawn, ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Survey, questionnaire } from './fixtures';
import { port } from './fake-receivers';

/** DevTools port for the spawned browser (this spec's own range). */
// Relative to E2E_PORT, clear of the ports the other specs' fake receivers use.
const CDP_PORT = port(50);
/** How long after the last key the browser is killed (the target: 1 s). */
const KILL_AFTER_MS = Number(process.env.KILL_AFTER_MS ?? 1000);
const DRAFT_KEY = 'cohort-survey:draft:balint-end-of-cohort';
/** The two grids' statements (pages 3 and 4). */
const grids: { text: string }[][] = [questionnaire.sections[2].questions[0].statements, questionnaire.sections[3].questions[0].statements];
const ANSWERS = 7; // group, sessions, overall, two grids, recommend, valued
const LAST_TEXT = 'Hearing how others cope.';

type Run = { proc: ChildProcess; browser: Browser };

async function launch(profile: string): Promise<Run> {
  const proc = spawn('/usr/bin/chromium', [
    '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--no-default-browser-check',
    `--user-data-dir=${profile}`, `--remote-debugging-port=${CDP_PORT}`, '--remote-debugging-address=127.0.0.1',
    'about:blank',
  ], { detached: true, stdio: 'ignore' }); // its own process group, to kill it whole
  let browser: Browser | undefined;
  await expect.poll(async () => {
    browser = await chromium.connectOverCDP(`http://127.0.0.1:${CDP_PORT}`).catch(() => undefined);
    return !!browser;
  }, { timeout: 20_000 }).toBe(true);
  return { proc, browser: browser! };
}

/** SIGKILL to every process of the browser (browser, renderers, storage
 *  service): nothing gets to flush. */
async function kill(run: Run) {
  if (run.proc.exitCode !== null || run.proc.signalCode !== null) return;
  const exited = new Promise(resolve => run.proc.once('exit', resolve));
  process.kill(-run.proc.pid!, 'SIGKILL');
  await exited;
  await run.browser.close().catch(() => undefined);
}

async function newPage(run: Run): Promise<Page> {
  return run.browser.contexts()[0].newPage();
}

/** What each store holds on disk after the kill, read before the app runs
 *  (from /healthz: same origin, no app). */
async function whatSurvived(page: Page, baseURL: string) {
  await page.goto(`${baseURL}/healthz`);
  return page.evaluate(async ([key, last]) => {
    const local = localStorage.getItem(key);
    const mirror = await new Promise<string | null>(resolve => {
      const open = indexedDB.open('cohort-survey');
      open.onerror = () => resolve(null);
      open.onsuccess = () => {
        const db = open.result;
        if (!db.objectStoreNames.contains('drafts')) { db.close(); resolve(null); return; }
        const get = db.transaction('drafts').objectStore('drafts').get(key);
        get.onsuccess = () => { db.close(); resolve(typeof get.result === 'string' ? get.result : null); };
        get.onerror = () => { db.close(); resolve(null); };
      };
    });
    // How many answers, and whether the last key's text is there.
    const seen = (json: string | null) => {
      const answers = json ? JSON.parse(json).answers : {};
      return `${Object.keys(answers).length}${answers.valued === last ? ' with' : ' without'} the last key`;
    };
    return { localStorage: seen(local), indexedDB: seen(mirror) };
  }, [DRAFT_KEY, LAST_TEXT]);
}

test(`answers typed ${KILL_AFTER_MS} ms before the browser is killed with SIGKILL all come back`, async ({ baseURL }) => {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-profile-'));
  let run = await launch(profile);
  try {
    const page = await newPage(run);
    await page.goto(`${baseURL}/`);
    await expect(page.locator('.progress')).toBeVisible();
    // Seven answers over five pages, the last one typed key by key.
    const survey = new Survey(page);
    await survey.answerAbout('5');
    await survey.next();
    await survey.answerExperience();
    await survey.next();
    await survey.answerGroup();
    await survey.next();
    await survey.answerSessions();
    await survey.next();
    await expect(survey.heading()).toHaveText('In your own words');
    const valued = page.getByLabel('What did you value most about the group?');
    await valued.pressSequentially(LAST_TEXT);
    await expect(valued).toHaveValue(LAST_TEXT);
    const lastKey = await page.evaluate(() => performance.now());
    await page.waitForTimeout(KILL_AFTER_MS);
    const timings = await page.evaluate(() => ({
      saves: performance.getEntriesByName('draft-save').map(e => Math.round(e.startTime)),
      mirrored: performance.getEntriesByName('draft-mirror').map(e => [Math.round(e.startTime), Math.round(e.duration)]),
    }));
    console.log(`last key at ${Math.round(lastKey)} ms; saves at ${timings.saves.join(', ')}; ` +
      `IndexedDB commits [start, ms] ${JSON.stringify(timings.mirrored)}`);
    await kill(run);

    run = await launch(profile);
    const check = await newPage(run);
    const survived = await whatSurvived(check, baseURL!);
    console.log(`killed ${KILL_AFTER_MS} ms after the last key; answers on disk of ${ANSWERS}: ` +
      `localStorage ${survived.localStorage}, IndexedDB ${survived.indexedDB}`);

    await check.goto(`${baseURL}/`);
    const again = new Survey(check);
    await expect(again.heading()).toHaveText('In your own words');
    await expect(check.getByLabel('What did you value most about the group?')).toHaveValue(LAST_TEXT);
    const back = () => check.getByRole('button', { name: 'Back' }).click();
    for (const grid of [grids[1], grids[0]]) {
      await back();
      for (const s of grid) {
        await expect(check.getByRole('group', { name: s.text }).getByRole('radio', { name: 'Agree', exact: true })).toBeChecked();
      }
    }
    await back();
    await expect(check.getByRole('radio', { name: 'Positive', exact: true })).toBeChecked();
    await expect(check.getByRole('group', { name: /recommend/ }).getByRole('radio', { name: '9', exact: true })).toBeChecked();
    await back();
    await expect(check.getByRole('radio', { name: 'Wednesday lunchtime' })).toBeChecked();
    await expect(check.getByLabel('How many of the 6 sessions did you attend?')).toHaveValue('5');
    // localStorage, the primary store, has caught up with the restored copy.
    await expect.poll(() => check.evaluate(k => Object.keys(JSON.parse(localStorage.getItem(k) ?? '{"answers":{}}').answers).length, DRAFT_KEY)).toBe(ANSWERS);
  } finally {
    await kill(run).catch(() => undefined);
    fs.rmSync(profile, { recursive: true, force: true });
  }
});
