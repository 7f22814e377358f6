import { test as base, expect, Locator, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawn, ChildProcess } from 'child_process';
import { EXPORT_TOKEN } from '../../playwright.config';

/** A questionnaire file's texts in English: each {"en": ..., "cy": ...} its
 *  "en", and no `languages` (the file as it was before it had Welsh). */
function english(v: any): any {
  if (Array.isArray(v)) return v.map(english);
  if (v && typeof v === 'object') {
    if (typeof v.en === 'string' && Object.values(v).every(x => typeof x === 'string')) return v.en;
    const out: any = {};
    for (const [k, x] of Object.entries(v)) if (k !== 'languages' && k !== 'default_language') out[k] = english(x);
    return out;
  }
  return v;
}

export const questionnaire = english(JSON.parse(
  fs.readFileSync('public/questionnaires/balint-end-of-cohort.json', 'utf8')));

/** Every answerable question id of the default questionnaire, in order. */
export const questionIds: string[] = questionnaire.sections.flatMap(
  (s: any) => s.questions.map((q: any) => q.id));

/** Types into a field key by key, as a student does (never `fill()`, which
 *  sets the whole value in one event and hid a field that lost focus on
 *  every key), then checks the field kept every key and the focus. */
export async function typeInto(field: Locator, text: string, opts: { clear?: boolean } = {}) {
  await field.click();
  if (opts.clear) {
    await field.press('ControlOrMeta+a');
    await field.press('Delete');
  }
  const before = opts.clear ? '' : await field.inputValue();
  await field.pressSequentially(text);
  await expect(field).toHaveValue(before + text);
  await expect(field).toBeFocused();
}

/** A survey page opened fresh, with helpers to answer it the way a student would. */
export class Survey {
  constructor(public readonly page: Page) {}

  async open(query = '') {
    await this.page.goto(`/${query}`);
    await expect(this.page.locator('.progress, .error-page, .notice').first()).toBeVisible();
  }

  /** Forgets every draft and outbox entry, then opens the app again. The
   *  app is left first (for a plain same-origin file): a save still pending
   *  in it would write the draft back when the page is hidden, and its open
   *  IndexedDB connection would hold up the delete. */
  async clearStorage() {
    const url = this.page.url();
    await this.page.goto(new URL('config.json', url).href);
    await this.page.evaluate(() => localStorage.clear());
    // Drafts have a crash-safe copy in IndexedDB too (src/storage.rs Mirror).
    await this.page.evaluate(() => new Promise(done => {
      const req = indexedDB.deleteDatabase('cohort-survey');
      req.onsuccess = req.onerror = done;
    }));
    await this.page.goto(url);
    await expect(this.page.locator('.progress')).toBeVisible();
  }

  /** The page heading's own words (the "Section 2 of 5" caption is inside the h2). */
  heading() { return this.page.locator('h2.page-title .page-title-text'); }
  /** The h2 that takes focus after Next and Back. */
  headingElement() { return this.page.locator('h2.page-title'); }

  async next() { await this.page.getByRole('button', { name: 'Next' }).click(); }

  async answerAbout(sessions = '5') {
    await this.page.getByRole('radio', { name: 'Wednesday lunchtime' }).click();
    await typeInto(this.page.getByLabel('How many of the 6 sessions did you attend?'), sessions);
  }

  /** "Your experience": overall, and would they recommend it. */
  async answerExperience() {
    await this.page.getByRole('radio', { name: 'Positive', exact: true }).click();
    await this.page.getByRole('group', { name: /recommend/ }).getByRole('radio', { name: '9', exact: true }).click();
  }

  /** "The group": the first grid. */
  async answerGroup() {
    for (const s of questionnaire.sections[2].questions[0].statements) {
      await this.page.getByRole('group', { name: s.text }).getByRole('radio', { name: 'Agree', exact: true }).click();
    }
  }

  /** "The sessions and leaders": the second grid. */
  async answerSessions() {
    for (const s of questionnaire.sections[3].questions[0].statements) {
      await this.page.getByRole('group', { name: s.text }).getByRole('radio', { name: 'Agree', exact: true }).click();
    }
  }

  async answerThoughts(valued = 'Hearing how others cope.') {
    await typeInto(this.page.getByLabel('What did you value most about the group?'), valued);
    await typeInto(this.page.getByLabel('What should change?'), 'More sessions near exams.');
  }

  async consent() { await this.page.getByRole('checkbox').click(); }

  /** Answers every page and arrives at "Check your answers". */
  async completeToCheckPage(opts: { sessions?: string; valued?: string } = {}) {
    await this.answerAbout(opts.sessions);
    await this.next();
    if (opts.sessions && Number(opts.sessions) < 4) {
      // The follow-up appears on the first page; it is optional.
    }
    await this.answerExperience();
    await this.next();
    await this.answerGroup();
    await this.next();
    await this.answerSessions();
    await this.next();
    await this.answerThoughts(opts.valued);
    await this.next();
    await this.consent();
    await this.next();
    await expect(this.heading()).toHaveText('Check your answers');
  }

  /** axe-core on the current page: WCAG 2.1 A and AA rules. */
  async expectNoAxeViolations() {
    const results = await new AxeBuilder({ page: this.page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
      .analyze();
    const summary = results.violations.map(v => `${v.id}: ${v.nodes.map(n => n.target.join(' ')).join(', ')}`);
    expect(summary, 'axe violations').toEqual([]);
  }

  async screenshot(name: string) {
    await this.page.screenshot({ path: `e2e-output/screenshots/${name}.png`, fullPage: true });
  }
}

/** A real receiver of its own, serving its own copy of the release build,
 * that a test can stop, start again and redeploy. */
export class Deployment {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-deploy-'));
  dist = path.join(this.dir, 'dist');
  proc?: ChildProcess;
  /** `toml`: extra receiver settings (collector.toml), e.g. CORS origins. */
  constructor(public port: number, public toml = '') { fs.cpSync('dist', this.dist, { recursive: true }); }
  get url() { return `http://127.0.0.1:${this.port}`; }
  async start() {
    const config = path.join(this.dir, 'collector.toml');
    fs.writeFileSync(config, this.toml);
    this.proc = spawn('target/server/collector', ['--config', config, '--listen', `127.0.0.1:${this.port}`,
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
  /** Rewrites the deployed app's config.json. */
  setAppConfig(change: (c: any) => void) {
    const file = path.join(this.dist, 'config.json');
    const c = JSON.parse(fs.readFileSync(file, 'utf8'));
    change(c);
    fs.writeFileSync(file, JSON.stringify(c));
  }
  async rows() {
    const r = await fetch(`${this.url}/api/submissions.json`, { headers: { Authorization: `Bearer ${EXPORT_TOKEN}` } });
    return (await r.json()).rows as any[];
  }
}

export const test = base.extend<{ survey: Survey }>({
  survey: async ({ page }, use) => {
    // Surface app crashes (a wasm panic logs to the console) as test failures.
    const errors: string[] = [];
    page.on('pageerror', e => errors.push(e.message));
    await use(new Survey(page));
    expect(errors, 'uncaught page errors').toEqual([]);
  },
});

/** Taps "Send now" if it is still there: the automatic retry may win the
 *  race and send first. Either way the test then checks one row. */
export async function sendNow(page: Page) {
  await page.getByRole('button', { name: 'Send now' }).click({ timeout: 3000 }).catch(() => undefined);
}

/** Reloads so the active service worker controls the page, then lets the
 *  app's own start-up `register('./sw.js')` finish (jobs on one scope run in
 *  order), so it cannot overtake a registration or update the test makes next. */
export async function reloadControlled(page: Page) {
  await page.reload();
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
  await expect(page.locator('h2.page-title')).toBeVisible();
  await page.evaluate(async () => { await navigator.serviceWorker.register('./sw.js'); });
}

export { expect };
