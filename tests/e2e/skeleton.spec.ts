import { test, expect, questionIds, questionnaire } from './fixtures';

test('every question is reachable with Next and has an accessible name', async ({ survey, page }) => {
  await survey.open();
  const seen = new Set<string>();
  const record = async () => {
    for (const id of questionIds) {
      if (await page.locator(`#q-${id}`).count()) seen.add(id);
    }
    // Every form control on the page has an accessible name.
    for (const control of await page.locator('input, textarea').all()) {
      await expect(control).toHaveAccessibleName(/\S/);
    }
  };
  await expect(page.locator('.progress')).toHaveText('Section 1 of 6');
  await survey.answerAbout('2'); // fewer than 4 sessions shows the follow-up
  await expect(page.locator('#q-attendance_barriers')).toBeVisible();
  await record();
  await survey.next();
  await expect(page.locator('.progress')).toHaveText('Section 2 of 6');
  await survey.answerExperience();
  await record();
  await survey.next();
  await survey.answerGroup();
  await record();
  await survey.next();
  await survey.answerSessions();
  await record();
  await survey.next();
  await survey.answerThoughts();
  await record();
  await survey.next();
  await survey.consent();
  await record();
  await survey.next();
  await expect(survey.heading()).toHaveText('Check your answers');
  expect([...seen].sort()).toEqual([...questionIds].sort());
});

test('the check page lists the answers given and links back to change them', async ({ survey, page }) => {
  await survey.open();
  await survey.completeToCheckPage({ valued: 'The honesty of the group.' });
  const summary = page.locator('main');
  /** The answer shown for the question whose text matches `question`. */
  const answer = (question: RegExp) => page.locator('.summary-row').filter({ hasText: question }).locator('.summary-answer');
  await expect(summary).toContainText('Wednesday lunchtime');
  await expect(answer(/How many of the 6 sessions did you attend/)).toHaveText('5');
  await expect(summary).toContainText('Positive');
  await expect(summary).toContainText('The group felt like a safe place to share difficult experiences.: Agree');
  await expect(answer(/recommend Balint groups/)).toHaveText('9');
  await expect(summary).toContainText('The honesty of the group.');
  await expect(summary).toContainText('Yes');
  // Change goes back to the right page with the field focused.
  await page.getByRole('link', { name: /Change What did you value most/ }).click();
  await expect(survey.heading()).toHaveText('In your own words');
  await expect(page.getByLabel('What did you value most about the group?')).toBeFocused();
});

test('a broken questionnaire file shows the friendly error page', async ({ survey, page }) => {
  await page.route('**/questionnaires/balint-end-of-cohort.json', route =>
    route.fulfill({ status: 200, contentType: 'application/json',
      body: JSON.stringify({ ...questionnaire, sections: [{ id: 's', title: 'S', questions: [
        { id: 'q7', type: 'number', text: 'How many?', min: 5, max: 3 }] }] }) }));
  await survey.open();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sorry, the questionnaire cannot be opened');
  await page.getByText('Technical details for the programme team').click();
  await expect(page.locator('.technical')).toContainText('question "q7": min 5 is greater than max 3');
  await survey.expectNoAxeViolations();
  await survey.screenshot('error-page');
});

// The URL parser drops TAB, LF and CR anywhere in a URL (WHATWG URL standard),
// so "/<TAB>/evil.example/q.json" would be fetched as //evil.example/q.json.
for (const [name, escaped] of [['TAB', '%09'], ['LF', '%0A'], ['CR', '%0D']]) {
  test(`?questionnaire=/${name}/another-host/q.json shows the error page and requests nothing from that host`, async ({ survey, page, baseURL }) => {
    // A school serving the files without a CSP: the app's own check is all there is.
    await page.route(url => url.origin === baseURL && url.pathname === '/', async route => {
      const response = await route.fetch();
      const { 'content-security-policy': _, ...headers } = response.headers();
      await route.fulfill({ response, headers });
    });
    const foreign: string[] = [];
    page.on('request', r => { if (new URL(r.url()).origin !== baseURL) foreign.push(r.url()); });
    // Were it fetched, the other host would happily serve a questionnaire.
    await page.route('http://evil.example/**', route => route.fulfill({ status: 200, contentType: 'application/json',
      headers: { 'access-control-allow-origin': '*' }, body: JSON.stringify({ ...questionnaire, title: 'Not from your school' }) }));
    await survey.open(`?questionnaire=/${escaped}/evil.example/q.json`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sorry, the questionnaire cannot be opened');
    await page.getByText('Technical details for the programme team').click();
    await expect(page.locator('.technical')).toContainText('is not a file on this site');
    expect(foreign).toEqual([]);
  });
}

test('a missing questionnaire file shows the error page too', async ({ survey, page }) => {
  await page.route('**/questionnaires/balint-end-of-cohort.json', route => route.fulfill({ status: 404, body: 'gone' }));
  await survey.open();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sorry, the questionnaire cannot be opened');
  await expect(page.locator('.technical')).toContainText('HTTP 404');
});

test('a bad config.json shows the error page with its reason, and a saved draft survives it', async ({ survey, page }) => {
  await survey.open();
  await survey.answerAbout('5');
  await expect.poll(() => page.evaluate(() => localStorage.getItem('cohort-survey:draft:balint-end-of-cohort'))).not.toBeNull();
  // A school's IT puts a plain-http endpoint on another host into the config.
  await page.route('**/config.json', route => route.fulfill({ status: 200, contentType: 'application/json',
    body: JSON.stringify({ questionnaire: 'questionnaires/balint-end-of-cohort.json', endpoint: 'http://collect.example.org/api' }) }));
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sorry, the questionnaire cannot be opened');
  await expect(page.locator('.technical')).toContainText('config.json: endpoint "http://collect.example.org/api" must be a path on this site');
  // Fixed config: the answers given before are all there.
  await page.unroute('**/config.json');
  await page.reload();
  await expect(page.locator('.notice')).toContainText('were restored');
  await expect(page.getByLabel('How many of the 6 sessions did you attend?')).toHaveValue('5');
});

test('axe reports no violations on any page, light and dark, and nothing scrolls sideways at 320 px', async ({ survey, page }) => {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 320, height: 700 });
    await survey.open();
    await survey.clearStorage(); // the first round's draft would be restored
    const names = ['1-about', '2-experience', '3-group', '4-sessions', '5-thoughts', '6-consent'];
    const fill = [() => survey.answerAbout('2'), () => survey.answerExperience(), () => survey.answerGroup(), () => survey.answerSessions(),
      () => survey.answerThoughts(), () => survey.consent()];
    for (let i = 0; i < names.length; i++) {
      await survey.expectNoAxeViolations();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `horizontal scroll on ${names[i]}`).toBeLessThanOrEqual(0);
      await survey.screenshot(`${names[i]}-${scheme}`);
      await fill[i]();
      await survey.next();
    }
    await expect(survey.heading()).toHaveText('Check your answers');
    await survey.expectNoAxeViolations();
    await survey.screenshot(`7-check-${scheme}`);
  }
});

test('Next on an incomplete page shows the error summary; its link focuses the field', async ({ survey, page }) => {
  await survey.open();
  await survey.next();
  const summary = page.locator('.error-summary');
  await expect(summary).toBeVisible();
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link')).toHaveCount(2);
  await summary.getByRole('link', { name: /how many of the 6 sessions/i }).click();
  await expect(page.getByLabel('How many of the 6 sessions did you attend?')).toBeFocused();
  const input = page.getByLabel('How many of the 6 sessions did you attend?');
  await expect(input).toHaveAttribute('aria-invalid', 'true');
  await expect(input).toHaveAttribute('aria-describedby', /sessions-error/);
  await survey.expectNoAxeViolations();
  await survey.screenshot('error-summary');
});

test('tap targets are at least 44 px and inputs use 16 px text', async ({ survey, page }) => {
  await survey.open();
  await survey.answerAbout();
  await survey.next();
  for (const el of await page.locator('.choice, .button').all()) {
    const box = await el.boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(44);
    expect(box!.width).toBeGreaterThanOrEqual(44);
  }
  await survey.next(); // incomplete: stays
  await survey.answerExperience();
  await survey.next();
  await survey.answerGroup();
  await survey.next();
  await survey.answerSessions();
  await survey.next();
  const size = await page.getByLabel('What should change?').evaluate(e => getComputedStyle(e).fontSize);
  expect(parseFloat(size)).toBeGreaterThanOrEqual(16);
});

test('Send is refused while anything shown is missing; the check page links straight to it', async ({ survey, page, baseURL }) => {
  // A draft restored on the check page with the consent and recommend answers
  // missing (e.g. after a questionnaire update).
  await survey.open();
  await page.evaluate(() => localStorage.setItem('cohort-survey:draft:balint-end-of-cohort', JSON.stringify({
    questionnaire_id: 'balint-end-of-cohort', questionnaire_version: '2', page: 6, saved_at: Date.now(),
    answers: { group: 'thursday', sessions: 6, overall: '5', agreement: { safe: '5', learned: '5', community: '5', pace: '5' },
      agreement_sessions: { facilitation: '5', anxious: '1', ethics: '5', timetable: '5' } } })));
  await page.reload();
  await expect(survey.heading()).toHaveText('Check your answers');
  await expect(page.locator('.summary-row', { hasText: 'recommend' })).toContainText('Not answered');
  await page.getByRole('button', { name: 'Send my answers' }).click();
  const summary = page.locator('.error-summary');
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link')).toHaveText([/recommend Balint groups/, /Select the box/]);
  await summary.getByRole('link', { name: /Select the box/ }).click();
  await expect(survey.heading()).toHaveText('Before you send');
  await expect(page.getByRole('checkbox')).toBeFocused();
  const r = await fetch(`${baseURL}/api/submissions.json`, { headers: { Authorization: 'Bearer e2e-export-token' } });
  expect((await r.json()).rows.every((row: any) => row.group !== 'thursday')).toBe(true);
});
