// Bench: how long the app takes to flush 1,000 queued submissions to the
// real receiver on loopback. Run by `cargo xtask bench` (after a release
// build); prints figures, asserts nothing. Bounded: one run, loopback only.
import { chromium } from '@playwright/test';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const N = Number(process.env.BENCH_ITEMS ?? 1000);
const port = 8191;
const base = `http://127.0.0.1:${port}`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-bench-'));
const receiver = spawn('target/server/collector', ['--listen', `127.0.0.1:${port}`, '--database', path.join(dir, 'db.sqlite'),
  '--dist-dir', 'dist', '--questionnaires-dir', 'public/questionnaires'],
  { stdio: 'ignore', env: { ...process.env, COLLECTOR_LISTEN: '', COLLECTOR_DB: '', COLLECTOR_EXPORT_TOKEN: 'bench', COLLECTOR_LOG: 'warn' } });
try {
  for (let i = 0; ; i++) {
    try { if ((await fetch(`${base}/healthz`)).ok) break; } catch {}
    if (i > 100) throw new Error('receiver did not start');
    await new Promise(r => setTimeout(r, 100));
  }
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  const page = await browser.newPage();
  page.on('crash', () => console.error('page crashed'));
  page.on('pageerror', e => console.error('page error:', e.message));
  await page.goto(base + '/');
  await page.waitForSelector('.progress');
  // Queue N valid responses exactly as the app stores them.
  await page.evaluate((n) => {
    const statements = ['safe', 'learned', 'community', 'pace', 'facilitation', 'anxious', 'ethics', 'timetable'];
    for (let i = 0; i < n; i++) {
      const b = crypto.getRandomValues(new Uint8Array(16)); b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
      const h = [...b].map(x => x.toString(16).padStart(2, '0')).join('');
      const id = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
      const submission = { format: 1, submission_id: id, questionnaire_id: 'balint-end-of-cohort', questionnaire_version: '1',
        period: '2026-11', app_version: 'bench', answers: { group: 'wednesday', sessions: 5, overall: '4',
          agreement: Object.fromEntries(statements.map(s => [s, '4'])), recommend: 8, consent: true,
          valued: 'Time to think about patients with peers. '.repeat(5) } };
      localStorage.setItem(`cohort-survey:outbox:${id}`, JSON.stringify({ submission, endpoint: '/api/submissions', headers: {}, attempts: 0, next_at: 0, attention: null }));
    }
  }, N);
  const started = Date.now();
  await page.reload();
  await page.waitForFunction(() => !Object.keys(localStorage).some(k => k.startsWith('cohort-survey:outbox:')), null, { timeout: 600_000, polling: 100 });
  const secs = (Date.now() - started) / 1000;
  const r = await fetch(`${base}/api/submissions.json`, { headers: { Authorization: 'Bearer bench' } });
  const rows = (await r.json()).rows.length;
  console.log(`outbox flush: ${N} queued -> ${rows} rows stored in ${secs.toFixed(2)} s (${(N / secs).toFixed(0)} submissions/s, reload included)`);
  await browser.close();
  if (rows !== N) { console.error(`expected ${N} rows, got ${rows}`); process.exitCode = 1; }
} finally {
  receiver.kill('SIGTERM');
}
