import { defineConfig } from '@playwright/test';

// End-to-end tests against the release build served by the real receiver
// (crates/collector) with a fresh SQLite file. `cargo xtask test` builds both
// first. Debian's Chromium: Playwright never downloads a browser here.
const PORT = Number(process.env.E2E_PORT ?? 8181);
export const BASE_URL = `http://127.0.0.1:${PORT}`;
export const EXPORT_TOKEN = 'e2e-export-token';

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'e2e-output/test-results',
  workers: 1, // two cores: one browser at a time is fastest and least flaky
  fullyParallel: false,
  // Real browser, real servers, real service workers: one retry absorbs a
  // scheduling hiccup. A test that needed it is reported as flaky (by
  // Playwright and in `cargo xtask test`'s summary), never silently passed.
  retries: 1,
  timeout: 60_000,
  reporter: [['list']],
  use: {
    baseURL: BASE_URL,
    viewport: { width: 390, height: 844 },
    // Specs that test the service worker opt in; elsewhere page.route must see
    // every request (a worker would fetch the questionnaire itself).
    serviceWorkers: 'block',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  webServer: {
    command: `rm -f e2e-output/e2e.sqlite* && mkdir -p e2e-output && target/server/collector --listen 127.0.0.1:${PORT} --database e2e-output/e2e.sqlite --dist-dir dist --questionnaires-dir public/questionnaires`,
    url: `${BASE_URL}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: { COLLECTOR_EXPORT_TOKEN: EXPORT_TOKEN, COLLECTOR_TEST_FAULTS: '1', COLLECTOR_LOG: 'warn' },
  },
});
