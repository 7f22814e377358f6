// Every word in the student's language (issue 12): a whole questionnaire in
// Welsh, a switch mid-way that keeps every answer, a reload that stays in
// Welsh, axe in Welsh and right-to-left, and the en-XA pseudo-locale run that
// names any English word that bypassed the catalogue.
import { test, expect, Deployment } from './fixtures';
import { port } from './fake-receivers';
import { untranslatedWords } from './i18n-helpers';
import { Page } from '@playwright/test';
import * as fs from 'fs';

/** The default questionnaire as shipped: every text is {"en": …, "cy": …}. */
const raw = JSON.parse(fs.readFileSync('public/questionnaires/balint-end-of-cohort.json', 'utf8'));
const cy = (t: any) => (typeof t === 'string' ? t : t.cy);
/** Interface words, from the one catalogue (survey-core's i18n.rs). */
const catalogue = fs.readFileSync('crates/survey-core/src/i18n.rs', 'utf8');
function word(key: string, lang: 'en' | 'cy') {
  const entry = catalogue.match(new RegExp(`\\n\\s*${key}\\s*\\{([\\s\\S]*?)\\},?\\s*\\n`))![1];
  return entry.match(new RegExp(`\\b${lang}:\\s*"((?:[^"\\\\]|\\\\.)*)"`))![1];
}
/** What the tests type: shown back on the check page, not a string of ours. */
const TYPED = ['Clywed sut mae eraill yn ymdopi.', 'Mwy o sesiynau.'];

/** Answers the page on screen, in Welsh words, as a student does. */
async function answerPageInWelsh(page: Page, section: any) {
  for (const q of section.questions) {
    if (q.show_if) continue;
    switch (q.type) {
      case 'single':
        await page.getByRole('radio', { name: cy(q.options[2].label), exact: true }).click();
        break;
      case 'number':
        await page.getByLabel(cy(q.text)).pressSequentially('5');
        break;
      case 'rating':
        await page.getByRole('group', { name: cy(q.text) }).getByRole('radio', { name: '9', exact: true }).click();
        break;
      case 'likert':
        for (const s of q.statements) {
          await page.getByRole('group', { name: cy(s.text), exact: true }).getByRole('radio', { name: cy(q.scale[3].label), exact: true }).click();
        }
        break;
      case 'long_text':
        if (q.required || q.id === 'valued' || q.id === 'change') {
          await page.getByLabel(cy(q.text)).pressSequentially(q.id === 'change' ? TYPED[1] : TYPED[0]);
        }
        break;
      case 'consent':
        await page.getByRole('checkbox').click();
        break;
    }
  }
}

async function next(page: Page, lang: 'en' | 'cy') {
  await page.getByRole('button', { name: word('Next', lang), exact: true }).click();
}

test('a student completes the whole questionnaire in Welsh, and the receiver gets no language', async ({ survey, page }) => {
  await survey.open('?lang=cy');
  await survey.clearStorage();
  await expect(page.locator('html')).toHaveAttribute('lang', 'cy');
  await expect(page.locator('h1.title')).toHaveText(cy(raw.title));
  for (const [i, section] of raw.sections.entries()) {
    await expect(survey.heading()).toHaveText(cy(section.title));
    await expect(page.locator('.progress')).toHaveText(word('SectionOf', 'cy').replace('{n}', String(i + 1)).replace('{total}', '6'));
    await survey.expectNoAxeViolations();
    await answerPageInWelsh(page, section);
    await next(page, 'cy');
  }
  await expect(survey.heading()).toHaveText(word('CheckAnswers', 'cy'));
  await expect(page).toHaveTitle(new RegExp(`^${word('CheckAnswers', 'cy')} - `));
  // The check page says the answers in Welsh too.
  await expect(page.locator('.summary-answer').filter({ hasText: cy(raw.sections[0].questions[0].options[2].label) })).toHaveCount(1);
  await survey.expectNoAxeViolations();
  const before = await rowsOf(survey.page.url());
  await page.getByRole('button', { name: word('SendMyAnswers', 'cy') }).click();
  await expect(page.locator('#confirmation-title')).toHaveText(word('ThankYou', 'cy'));
  await expect(page.locator('.send-status')).toHaveText(word('Sent', 'cy'));
  await survey.expectNoAxeViolations();
  const rows = await rowsOf(survey.page.url());
  expect(rows.length).toBe(before.length + 1);
  const row = rows[rows.length - 1];
  expect(JSON.stringify(row)).not.toContain('"language"');
  expect(row.answers?.consent ?? row.consent).toBeTruthy();
});

async function rowsOf(url: string) {
  const { EXPORT_TOKEN } = await import('../../playwright.config');
  const r = await fetch(new URL('/api/submissions.json', url), { headers: { Authorization: `Bearer ${EXPORT_TOKEN}` } });
  return (await r.json()).rows as any[];
}

test('switching language mid-way keeps every answer and the page; a reload stays in Welsh', async ({ survey, page }) => {
  await survey.open('?lang=en');
  await survey.clearStorage();
  await survey.answerAbout('5');
  await survey.next();
  await page.getByRole('radio', { name: 'Positive', exact: true }).click();
  await expect(survey.heading()).toHaveText(raw.sections[1].title.en);
  // The switch names Welsh in Welsh, and says so to a screen reader.
  const link = page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: 'Cymraeg' });
  await expect(link).toHaveAttribute('lang', 'cy');
  await link.focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('html')).toHaveAttribute('lang', 'cy');
  await expect(survey.heading()).toHaveText(cy(raw.sections[1].title));
  const positive = raw.sections[1].questions[0].options.find((o: any) => o.label.en === 'Positive');
  await expect(page.getByRole('radio', { name: cy(positive.label), exact: true })).toBeChecked();
  await expect(page.locator('#language-switch')).toBeFocused();
  await page.getByRole('button', { name: word('Back', 'cy'), exact: true }).click();
  await expect(page.getByLabel(cy(raw.sections[0].questions[1].text))).toHaveValue('5');
  await expect(page.getByRole('radio', { name: cy(raw.sections[0].questions[0].options[2].label), exact: true })).toBeChecked();
  // The choice is kept with the draft: the address without ?lang= opens in Welsh.
  await expect.poll(() => page.evaluate(() => Object.values(localStorage).some(v => v.includes('"lang":"cy"')))).toBe(true);
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'cy');
  await expect(survey.heading()).toHaveText(cy(raw.sections[0].title));
  await expect(page.getByLabel(cy(raw.sections[0].questions[1].text))).toHaveValue('5');
  // And back to English the same way.
  await page.getByRole('link', { name: 'English' }).click();
  await expect(survey.heading()).toHaveText(raw.sections[0].title.en);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
});

/** Every page, answered with the English fixtures, calling `check` on each. */
async function everyPage(survey: any, page: Page, check: (name: string) => Promise<void>) {
  const steps: [string, () => Promise<void>][] = [
    // By id: the words are pseudo-locale words here.
    ['about', async () => {
      await page.locator('#group--wednesday').check();
      await page.locator('#sessions-input').pressSequentially('5');
    }],
    ['experience', async () => {
      await page.locator('#overall--4').check();
      await page.locator('#recommend--9').check();
    }],
    ['group', async () => {
      for (const s of raw.sections[2].questions[0].statements) await page.locator(`#q-agreement--${s.id} input`).nth(3).check();
    }],
    ['sessions', async () => {
      for (const s of raw.sections[3].questions[0].statements) await page.locator(`#q-agreement_sessions--${s.id} input`).nth(3).check();
    }],
    ['thoughts', async () => {
      await page.locator('#valued-input').pressSequentially('Hearing how others cope.');
      await page.locator('#change-input').pressSequentially('More sessions near exams.');
    }],
    ['consent', () => page.locator('#consent-input').check()],
  ];
  for (const [name, answer] of steps) {
    await check(name);
    await answer();
    await page.locator('form.section button[type=submit]').click();
  }
  await expect(page.locator('.summary').first()).toBeVisible();
  await check('check');
  await page.locator('.actions .button').first().click();
  await expect(page.locator('#confirmation-title')).toBeVisible();
  await check('confirmation');
}

for (const lang of ['en-XA', 'ar-XB']) {
  test(`every page in the ${lang} pseudo-locale: no English word, no overflow at 320 px, no axe violation`, async ({ survey, page }) => {
    await page.setViewportSize({ width: 320, height: 640 });
    await survey.open(`?lang=${lang}`);
    await survey.clearStorage();
    await expect(page.locator('html')).toHaveAttribute('lang', lang);
    await expect(page.locator('html')).toHaveAttribute('dir', lang === 'ar-XB' ? 'rtl' : 'ltr');
    // Errors too: Next on an empty page shows the summary and inline errors.
    await page.locator('form.section button[type=submit]').click();
    await expect(page.locator('.error-summary')).toBeVisible();
    await everyPage(survey, page, async name => {
      if (lang === 'en-XA') {
        const left = await untranslatedWords(page, ['Hearing how others cope.', 'More sessions near exams.']);
        expect(left, `English words on the ${name} page`).toEqual([]);
      }
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `sideways scroll on the ${name} page`).toBeLessThanOrEqual(0);
      await survey.expectNoAxeViolations();
    });
  });
}

test('a school that opts in records the language, and only then', async ({ page }) => {
  const d = new Deployment(port(40));
  d.setAppConfig(c => (c.record_language = true));
  await d.start();
  try {
    await page.goto(`${d.url}/?lang=cy`);
    for (const section of raw.sections) {
      await answerPageInWelsh(page, section);
      await next(page, 'cy');
    }
    await page.getByRole('button', { name: word('SendMyAnswers', 'cy') }).click();
    await expect(page.locator('.send-status')).toHaveText(word('Sent', 'cy'));
    await expect.poll(async () => (await d.rows()).length).toBe(1);
    expect((await d.rows())[0].language).toBe('cy');
  } finally {
    await d.stop();
  }
});

test('the error page speaks the language asked for, though no questionnaire says which it offers', async ({ survey, page }) => {
  await page.route('**/questionnaires/balint-end-of-cohort.json', route => route.fulfill({ status: 404, body: 'gone' }));
  await survey.open('?lang=cy');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(word('CannotOpen', 'cy'));
  await expect(page.locator('html')).toHaveAttribute('lang', 'cy');
  await expect(page).toHaveTitle(word('ErrorPrefix', 'cy') + word('CannotOpen', 'cy'));
  await survey.expectNoAxeViolations();
});
