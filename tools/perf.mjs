// Lighthouse, three times, against the release build served by the real
// receiver: mobile form factor, Lighthouse's default simulated slow 4G and
// 4x CPU, Debian Chromium with a fresh profile each run. Prints the median of
// each metric, the bytes on the wire per file and the targets beside them.
// Then, once more without throttling, the bytes the service worker fetches to
// precache the app on that first visit, which Lighthouse does not record.
// Reports, never judges: exits non-zero only when a run itself fails.
// Run by `cargo xtask perf` (which builds and starts the receiver); by hand:
//   node tools/perf.mjs --url http://127.0.0.1:8400/ [--runs 3] [--chrome-port 8401]
import lighthouse from 'lighthouse';
import { chromium } from '@playwright/test';
import { computeMedianRun } from 'lighthouse/core/lib/median-run.js';
import * as chromeLauncher from 'chrome-launcher';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:8400/' },
    runs: { type: 'string', default: '3' },
    'chrome-port': { type: 'string', default: '8401' },
    out: { type: 'string', default: 'e2e-output/perf' },
  },
});

// Debian Chromium as root in a container, quiet: no sandbox, GPU, QUIC or
// background traffic of its own (docs/performance.md).
const CHROME_FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const TARGETS = { score: 100, lcp: 1200, tbt: 50, cls: 0, wire: 81_920 };

const listening = (port) => new Promise((resolve) => {
  const sock = net.connect(port, '127.0.0.1');
  sock.once('connect', () => { sock.destroy(); resolve(true); });
  sock.once('error', () => resolve(false));
});

/** Waits until nothing listens on `port`: chrome-launcher given a port reuses
 *  any Chromium already there, even the last run's, still shutting down. */
async function untilFree(port) {
  for (let i = 0; i < 100; i++) {
    if (!await listening(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`port ${port} (Chromium's DevTools) is in use by another program; choose another port`);
}

/** One Lighthouse run in a browser of its own, with a profile of its own. */
async function measure(url, port) {
  await untilFree(port);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-lighthouse-'));
  const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    chromeFlags: CHROME_FLAGS,
    userDataDir: profile,
    port,
  });
  try {
    // The default config is mobile, simulated throttling (150 ms RTT,
    // 1.6 Mbit/s down, 4x CPU): what a student's phone on a weak signal sees.
    const result = await lighthouse(url, {
      port: chrome.port, output: ['json', 'html'], logLevel: 'error', onlyCategories: ['performance'],
    });
    if (!result?.lhr) throw new Error('Lighthouse returned no result');
    if (result.lhr.runtimeError) throw new Error(`Lighthouse: ${result.lhr.runtimeError.code}: ${result.lhr.runtimeError.message}`);
    return { lhr: result.lhr, html: result.report[1], encodings: encodings(result.artifacts) };
  } finally {
    const exited = new Promise((r) => chrome.process.exitCode !== null ? r() : chrome.process.once('exit', r));
    chrome.kill();
    await exited;
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

/** Content-Encoding of each response, from the run's DevTools log: whether
 *  the receiver sent the brotli or gzip twin, or the file as it is. */
function encodings(artifacts) {
  const log = artifacts?.DevtoolsLog ?? artifacts?.devtoolsLogs?.defaultPass ?? [];
  const byUrl = new Map();
  for (const e of log) {
    if (e.method !== 'Network.responseReceived') continue;
    const h = e.params.response.headers ?? {};
    const enc = Object.entries(h).find(([k]) => k.toLowerCase() === 'content-encoding')?.[1];
    byUrl.set(e.params.response.url, enc ?? '-');
  }
  return byUrl;
}

/** Bytes the service worker fetches on a first visit: every request made by
 *  the worker until it is active and its cache holds the whole precache list. */
async function precacheBytes(url) {
  const browser = await chromium.launch({ executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    args: CHROME_FLAGS.filter((f) => !f.startsWith('--headless')) });
  try {
    const context = await browser.newContext();
    const rows = [];
    const scripts = [];
    context.on('requestfinished', async (req) => {
      const script = new URL(req.url()).pathname.endsWith('/sw.js');
      if (!req.serviceWorker() && !script) return;
      const [sizes, res] = await Promise.all([req.sizes(), req.response()]);
      // The worker's own script reports no body size; it is sent uncompressed.
      const body = sizes.responseBodySize || (script ? (await res.body()).length : 0);
      const row = { name: req.url().replace(new URL(url).origin, ''), enc: res?.headers()['content-encoding'] ?? '-',
        bytes: body + sizes.responseHeadersSize };
      if (script) scripts.push(row); else rows.push(row);
    });
    const page = await context.newPage();
    await page.goto(url);
    const cached = await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      let n = 0;
      for (const name of await caches.keys()) n += (await (await caches.open(name)).keys()).length;
      return n;
    });
    for (let i = 0; rows.length < cached; i++) {
      if (i > 100) throw new Error(`the service worker cached ${cached} files but ${rows.length} of its requests were seen`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const all = [...scripts, ...rows];
    return { rows: all, total: all.reduce((a, r) => a + r.bytes, 0) };
  } finally {
    await browser.close();
  }
}

const median = (xs) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const num = (lhr, id) => lhr.audits[id]?.numericValue;
const ms = (v) => Number.isFinite(v) ? `${Math.round(v)} ms` : 'n/a';
const s = (v) => Number.isFinite(v) ? `${(v / 1000).toFixed(2)} s` : 'n/a';
const mark = (ok) => ok ? 'met' : 'MISSED';

const runs = Number(args.runs);
const results = [];
// Lighthouse scales the CPU time it observes (4x): anything else running on
// the machine inflates TBT and LCP, so say how busy it was.
const load = os.loadavg()[0];
console.log(`load average ${load.toFixed(1)} on ${os.cpus().length} cores`
  + (load > os.cpus().length / 2 ? ': the machine is busy, so TBT and LCP come out worse than on an idle one' : ''));
for (let i = 1; i <= runs; i++) {
  const started = Date.now();
  const r = await measure(args.url, Number(args['chrome-port']));
  const l = r.lhr;
  console.log(`lighthouse run ${i}/${runs} (${((Date.now() - started) / 1000).toFixed(0)} s): `
    + `performance ${Math.round(l.categories.performance.score * 100)}, FCP ${s(num(l, 'first-contentful-paint'))}, `
    + `LCP ${s(num(l, 'largest-contentful-paint'))}, TBT ${ms(num(l, 'total-blocking-time'))}, `
    + `CLS ${num(l, 'cumulative-layout-shift')?.toFixed(3)}`);
  results.push(r);
}

const lhrs = results.map((r) => r.lhr);
const med = {
  score: median(lhrs.map((l) => l.categories.performance.score * 100)),
  fcp: median(lhrs.map((l) => num(l, 'first-contentful-paint'))),
  lcp: median(lhrs.map((l) => num(l, 'largest-contentful-paint'))),
  tbt: median(lhrs.map((l) => num(l, 'total-blocking-time'))),
  cls: median(lhrs.map((l) => num(l, 'cumulative-layout-shift'))),
};
// Bytes per file from Lighthouse's own median run (closest to the median FCP
// and TTI); they do not vary between runs of the same build.
const mid = results[lhrs.indexOf(computeMedianRun(lhrs))];
const items = mid.lhr.audits['network-requests']?.details?.items;
if (!items?.length) throw new Error('the network-requests audit has no requests');

const origin = new URL(args.url).origin;
console.log(`\nLighthouse ${mid.lhr.lighthouseVersion}, ${mid.lhr.environment.hostUserAgent.match(/Chrome\/[\d.]+/)?.[0]}, `
  + `mobile, simulated slow 4G (${mid.lhr.configSettings.throttling.rttMs} ms RTT, `
  + `${(mid.lhr.configSettings.throttling.throughputKbps / 1000).toFixed(1)} Mbit/s, `
  + `${mid.lhr.configSettings.throttling.cpuSlowdownMultiplier}x CPU, benchmark index `
  + `${median(lhrs.map((l) => l.environment.benchmarkIndex))}); median of ${runs} runs\n`);
const rows = [
  ['performance score', `${med.score}`, '100', mark(med.score >= TARGETS.score)],
  ['First Contentful Paint', s(med.fcp), '-', ''],
  ['Largest Contentful Paint', s(med.lcp), '<= 1.20 s', mark(med.lcp <= TARGETS.lcp)],
  ['Total Blocking Time', ms(med.tbt), '<= 50 ms', mark(med.tbt <= TARGETS.tbt)],
  ['Cumulative Layout Shift', med.cls.toFixed(3), '0', mark(med.cls === TARGETS.cls)],
];
console.log(`${'metric'.padEnd(26)} ${'median'.padStart(10)}  ${'target'.padEnd(10)}`);
for (const [name, value, target, ok] of rows) console.log(`${name.padEnd(26)} ${value.padStart(10)}  ${target.padEnd(10)} ${ok}`);

// Which element the LCP is, and whether its time went on loading or rendering.
const lcpItems = mid.lhr.audits['largest-contentful-paint-element']?.details?.items ?? [];
const lcpNode = lcpItems.find((i) => i.type === 'table' && i.items?.[0]?.node)?.items[0].node;
const phases = lcpItems.find((i) => i.items?.[0]?.phase)?.items ?? [];
if (lcpNode) {
  console.log(`LCP element (median run): ${lcpNode.selector} "${(lcpNode.nodeLabel ?? '').slice(0, 50)}"; `
    + phases.map((p) => `${p.phase} ${Math.round(p.timing)} ms`).join(', '));
}

console.log(`\n${'file on the wire (first visit)'.padEnd(52)} ${'encoding'.padEnd(8)} ${'transfer B'.padStart(10)} ${'resource B'.padStart(10)}`);
let wire = 0;
for (const it of items) {
  const name = it.url.startsWith(origin) ? it.url.slice(origin.length) : it.url;
  console.log(`${name.slice(0, 52).padEnd(52)} ${(mid.encodings.get(it.url) ?? '?').padEnd(8)} `
    + `${String(it.transferSize ?? 0).padStart(10)} ${String(it.resourceSize ?? 0).padStart(10)}`);
  wire += it.transferSize ?? 0;
}
console.log(`${`TOTAL (${items.length} requests, headers included)`.padEnd(61)} ${String(wire).padStart(10)}`
  + `   target <= 81,920 B: ${mark(wire <= TARGETS.wire)}`);

// Lighthouse records the page's requests only; the service worker the app
// registers then precaches the shell with requests of its own.
const sw = await precacheBytes(args.url);
console.log(`\nthe service worker on the same first visit: its script and precache (Playwright, unthrottled; Lighthouse does not see them):`);
for (const r of sw.rows) console.log(`${r.name.slice(0, 52).padEnd(52)} ${r.enc.padEnd(8)} ${String(r.bytes).padStart(10)}`);
console.log(`${`service worker (${sw.rows.length} requests, headers included)`.padEnd(61)} ${String(sw.total).padStart(10)}`);
console.log(`${'first visit with the service worker'.padEnd(61)} ${String(wire + sw.total).padStart(10)}`
  + `   target <= 81,920 B: ${mark(wire + sw.total <= TARGETS.wire)}`);

fs.mkdirSync(args.out, { recursive: true });
fs.writeFileSync(path.join(args.out, 'lighthouse.html'), mid.html);
results.forEach((r, i) => fs.writeFileSync(path.join(args.out, `lighthouse-${i + 1}.json`), JSON.stringify(r.lhr)));
console.log(`\nreports: ${args.out}/lighthouse.html (median run), lighthouse-N.json (every run)`);
