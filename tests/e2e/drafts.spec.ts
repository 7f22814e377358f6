import { test, expect, questionnaire, typeInto } from './fixtures';

const DRAFT_KEY = 'cohort-survey:draft:balint-end-of-cohort';

/** Waits until the debounced save has written the draft. */
async function savedDraft(page: import('@playwright/test').Page) {
  await expect.poll(() => page.evaluate(k => localStorage.getItem(k), DRAFT_KEY)).not.toBeNull();
  return JSON.parse((await page.evaluate(k => localStorage.getItem(k), DRAFT_KEY))!);
}

test('answers survive a reload and come back on the page the student left', async ({ survey, page }) => {
  await survey.open();
  await survey.answerAbout('5');
  await survey.next();
  await page.getByRole('radio', { name: 'Positive', exact: true }).click();
  await page.getByRole('group', { name: questionnaire.sections[1].questions[1].statements[0].text })
    .getByRole('radio', { name: 'Strongly agree' }).click();
  await page.reload(); // pagehide flushes the pending save at once
  await expect(survey.heading()).toHaveText('Your experience');
  await expect(page.locator('.notice')).toContainText('Your answers from earlier today were restored.');
  await expect(page.getByRole('radio', { name: 'Positive', exact: true })).toBeChecked();
  await expect(page.locator('#agreement--safe--5')).toBeChecked();
  await survey.page.getByRole('button', { name: 'Back' }).click();
  await expect(page.getByRole('radio', { name: 'Wednesday lunchtime' })).toBeChecked();
  await expect(page.getByLabel('How many of the 6 sessions did you attend?')).toHaveValue('5');
});

test('closing the tab and opening a new one restores the draft', async ({ survey, page, context }) => {
  await survey.open();
  await survey.answerAbout('3');
  await typeInto(page.getByLabel('What made it hard to attend more sessions?'), 'Night shifts on placement.', { clear: true });
  const draft = await savedDraft(page);
  expect(draft.answers.attendance_barriers).toBe('Night shifts on placement.');
  await page.close();
  const again = await context.newPage();
  await again.goto('/');
  await expect(again.getByLabel('What made it hard to attend more sessions?')).toHaveValue('Night shifts on placement.');
  await expect(again.locator('.notice')).toContainText('restored');
});

test('a corrupt draft is quarantined, never deleted, and the app starts fresh with a notice', async ({ survey, page }) => {
  await survey.open();
  await page.evaluate(k => localStorage.setItem(k, '{"questionnaire_id": "balint-end-of-cohort", "answers": [broken'), DRAFT_KEY);
  await page.reload();
  await expect(page.locator('.notice')).toContainText('could not be read');
  await expect(page.locator('.progress')).toHaveText('Section 1 of 5');
  const stored = await page.evaluate(() => Object.keys(localStorage).map(k => [k, localStorage.getItem(k)]));
  const quarantined = stored.filter(([k]) => k!.startsWith('cohort-survey:quarantine:balint-end-of-cohort:'));
  expect(quarantined).toHaveLength(1);
  expect(quarantined[0][1]).toBe('{"questionnaire_id": "balint-end-of-cohort", "answers": [broken');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download the unreadable copy' }).click();
  const chunks = await (await (await download).createReadStream()).toArray();
  expect(Buffer.concat(chunks).toString('utf8')).toBe('{"questionnaire_id": "balint-end-of-cohort", "answers": [broken');
  await survey.expectNoAxeViolations();
});

test('a new questionnaire version keeps the answers that still fit and says how many', async ({ survey, page }) => {
  await survey.open();
  await survey.answerAbout('5');
  await survey.next();
  await page.getByRole('radio', { name: 'Very positive' }).click();
  await savedDraft(page);
  // Version 2: "overall" loses its "Very positive" option, "group" is gone.
  const v2 = JSON.parse(JSON.stringify(questionnaire));
  v2.version = '2';
  v2.sections[0].questions = v2.sections[0].questions.filter((q: any) => q.id !== 'group');
  v2.sections[1].questions[0].options = v2.sections[1].questions[0].options.slice(0, 4);
  await page.route('**/questionnaires/balint-end-of-cohort.json', r => r.fulfill({ json: v2 }));
  await page.reload();
  await expect(page.locator('.notice').first())
    .toContainText('The questionnaire has been updated. 1 of your answers were kept; 2 no longer fit a question and need answering again.');
  await survey.page.getByRole('button', { name: 'Back' }).click();
  await expect(page.getByLabel('How many of the 6 sessions did you attend?')).toHaveValue('5');
});

test('skip logic shows the follow-up only for fewer than 4 sessions, and a hidden answer is not on the check page', async ({ survey, page }) => {
  await survey.open();
  const followUp = page.getByLabel('What made it hard to attend more sessions?');
  await survey.answerAbout('2');
  await expect(followUp).toBeVisible();
  await typeInto(followUp, 'Clashed with surgery teaching.', { clear: true });
  await typeInto(page.getByLabel('How many of the 6 sessions did you attend?'), '6', { clear: true });
  await expect(followUp).toBeHidden();
  await survey.next();
  await survey.answerExperience();
  await survey.next();
  await survey.answerThoughts();
  await survey.next();
  await survey.consent();
  await survey.next();
  await expect(page.locator('main')).not.toContainText('What made it hard to attend');
  await expect(page.locator('main')).not.toContainText('Clashed with surgery teaching.');
});

test('when storage is blocked the survey still works and says answers will not survive', async ({ survey, page }) => {
  // Chromium cannot be told to block storage for one origin from a test, so
  // make localStorage throw the way a sandboxed iframe does.
  await page.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      get() { throw new DOMException('The document is sandboxed', 'SecurityError'); },
    });
  });
  await survey.open();
  await expect(page.locator('.notice')).toContainText('will be lost if you close or reload this page');
  await survey.answerAbout('4');
  await survey.next();
  await expect(survey.heading()).toHaveText('Your experience');
});

test('a full storage warns, keeps the answers on the page, and offers a download', async ({ survey, page }) => {
  await survey.open();
  // Fill this origin's real localStorage quota (about 5 MB in Chromium).
  await page.evaluate(() => {
    const chunk = 'x'.repeat(256 * 1024);
    for (let i = 0; ; i++) {
      try { localStorage.setItem(`filler-${i}`, chunk); } catch { break; }
    }
    let small = 'x'.repeat(1024);
    for (let i = 0; ; i++) {
      try { localStorage.setItem(`filler-small-${i}`, small); } catch { break; }
    }
  });
  await survey.answerAbout('5');
  await survey.next();
  await survey.answerExperience();
  await expect(page.locator('.notice-warning')).toContainText('storage is full');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download my answers' }).click();
  const file = await download;
  const text = await (await file.createReadStream()).toArray();
  const saved = JSON.parse(Buffer.concat(text).toString('utf8'));
  expect(saved.answers.sessions).toBe(5);
  expect(saved.answers.overall).toBe('4');
  await page.evaluate(() => localStorage.clear());
});

test('two tabs on the same questionnaire do not silently overwrite each other', async ({ survey, page, context }) => {
  await survey.open();
  const other = await context.newPage();
  await other.goto('/');
  await expect(other.locator('.progress')).toBeVisible();
  await survey.answerAbout('4');
  await savedDraft(page);
  await expect(other.locator('.notice')).toContainText('updated from another tab');
  await expect(other.getByLabel('How many of the 6 sessions did you attend?')).toHaveValue('4');
  await expect(other.getByRole('radio', { name: 'Wednesday lunchtime' })).toBeChecked();
});

test('a draft save of a fully answered questionnaire is measured in the browser', async ({ survey, page }) => {
  await survey.open();
  await survey.completeToCheckPage({ sessions: '2', valued: 'x'.repeat(1900) });
  await savedDraft(page);
  const saves = await page.evaluate(() => performance.getEntriesByName('draft-save').map(e => e.duration));
  expect(saves.length).toBeGreaterThan(0);
  const last = saves[saves.length - 1];
  console.log(`draft-save: ${saves.length} saves, last ${last.toFixed(2)} ms, max ${Math.max(...saves).toFixed(2)} ms`);
});

test('"Start again" asks first, then deletes the answers on this device', async ({ survey, page }) => {
  await survey.open();
  await survey.answerAbout('5');
  await savedDraft(page);
  await page.getByRole('button', { name: 'Start again' }).click();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('radio', { name: 'Wednesday lunchtime' })).toBeChecked();
  await page.getByRole('button', { name: 'Start again' }).click();
  await expect(page.getByRole('alertdialog')).toContainText('Delete all your answers on this device and start again?');
  await page.getByRole('button', { name: 'Yes, delete my answers' }).click();
  await expect(page.getByRole('radio', { name: 'Wednesday lunchtime' })).not.toBeChecked();
  await expect(page.getByLabel('How many of the 6 sessions did you attend?')).toHaveValue('');
  await page.reload();
  await expect(page.locator('.notice')).toHaveCount(0);
  await expect(page.getByRole('radio', { name: 'Wednesday lunchtime' })).not.toBeChecked();
});
