// Issue 9: a student types, taps and uses the keyboard as people do. Every
// text entry here goes key by key, and every check asks the field itself.
import { test, expect, questionnaire, typeInto, Survey } from './fixtures';
import type { Page } from '@playwright/test';
import { BASE_URL, EXPORT_TOKEN } from '../../playwright.config';

async function rows(): Promise<any[]> {
  const r = await fetch(`${BASE_URL}/api/submissions.json`, { headers: { Authorization: `Bearer ${EXPORT_TOKEN}` } });
  return (await r.json()).rows;
}

/** What has focus: its tag, name, accessible label text and id. */
const focused = (page: Page) => page.evaluate(() => {
  const a = document.activeElement as HTMLInputElement | null;
  const label = a?.id ? document.querySelector(`label[for="${a.id}"]`)?.textContent ?? '' : '';
  return { tag: a?.tagName.toLowerCase() ?? '', id: a?.id ?? '', name: a?.name ?? '', type: a?.type ?? '',
    text: (a?.textContent ?? '').trim(), label: label.trim(), checked: !!a?.checked };
});

/** Presses Tab until the focused element matches, as a keyboard user would
 *  (at most 80 presses: a page has far fewer stops than that). */
async function tabTo(page: Page, match: (f: Awaited<ReturnType<typeof focused>>) => boolean, what: string) {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    if (match(await focused(page))) return;
  }
  throw new Error(`Tab never reached ${what}`);
}

/** In a radio group that has focus: Space selects the focused option, then
 *  arrow keys move (and select) until `label`. Focus must stay in the group. */
async function chooseByArrows(page: Page, label: string) {
  const start = await focused(page);
  expect(start.type).toBe('radio');
  if (!start.checked) await page.keyboard.press('Space');
  for (let i = 0; i < 15 && (await focused(page)).label !== label; i++) {
    await page.keyboard.press('ArrowDown');
    const now = await focused(page);
    expect(now.type, 'focus left the radio group').toBe('radio');
    expect(now.name).toBe(start.name);
    expect(now.checked, 'the arrow key selects the option it moves to').toBe(true);
  }
  expect((await focused(page)).label).toBe(label);
}

const pressNext = async (page: Page) => {
  await tabTo(page, f => f.tag === 'button' && f.text === 'Next', 'Next');
  await page.keyboard.press('Enter');
};

test('the long-text field keeps every key, its focus and the caret', async ({ survey, page }) => {
  await survey.open();
  await survey.completeToCheckPage();
  await page.getByRole('link', { name: /Change What should change/ }).click();
  const field = page.getByLabel('What should change?');
  await expect(field).toBeFocused();
  await typeInto(field, 'Travel', { clear: true });
  // Tap again and go on typing: nothing typed before is lost.
  await field.click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.type('abc');
  await expect(field).toHaveValue('Travelabc');
  // The caret stays where the student put it: a field rewritten on every key
  // would jump it to the end.
  await page.keyboard.press('ControlOrMeta+Home');
  await page.keyboard.type('X');
  await expect(field).toHaveValue('XTravelabc');
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.type('t');
  await expect(field).toHaveValue('Xtravelabc');
  await expect(field).toBeFocused();
  // The number field too, and a follow-up question appears without taking focus.
  await survey.next();
  await survey.next();
  await expect(survey.heading()).toHaveText('Check your answers');
  await page.getByRole('link', { name: /Change How many of the 6 sessions/ }).click();
  const sessions = page.getByLabel('How many of the 6 sessions did you attend?');
  await typeInto(sessions, '2', { clear: true });
  await expect(page.getByLabel('What made it hard to attend more sessions?')).toBeVisible();
  await expect(sessions).toBeFocused();
  await typeInto(sessions, '1');
  await expect(sessions).toHaveValue('21');
});

test('a number typed in words is kept as typed, explained, and survives a reload', async ({ survey, page }) => {
  await survey.open();
  const sessions = page.getByLabel('How many of the 6 sessions did you attend?');
  await typeInto(sessions, 'four');
  await page.keyboard.press('Tab');
  await expect(page.locator('#sessions-error')).toContainText('Enter the number of sessions you attended as a figure, like 4');
  await expect.poll(() => page.evaluate(() => localStorage.getItem('cohort-survey:draft:balint-end-of-cohort') ?? '')).toContain('four');
  await page.reload();
  await expect(sessions).toHaveValue('four');
});

test('the whole questionnaire can be completed and sent by keyboard alone', async ({ survey, page }) => {
  const valued = `Keyboard only ${Date.now()}`;
  await survey.open();
  // About your group
  await tabTo(page, f => f.type === 'radio' && f.name === 'group', 'the group question');
  await chooseByArrows(page, 'Wednesday lunchtime');
  await tabTo(page, f => f.id === 'sessions-input', 'sessions');
  await page.keyboard.type('5');
  await expect(page.getByLabel('How many of the 6 sessions did you attend?')).toHaveValue('5');
  await pressNext(page);
  // Focus is on the new page's heading, which carries the caption.
  await expect(survey.headingElement()).toBeFocused();
  await expect(survey.headingElement()).toContainText('Section 2 of 6');
  // Your experience
  await tabTo(page, f => f.type === 'radio' && f.name === 'overall', 'overall');
  await chooseByArrows(page, 'Positive');
  await tabTo(page, f => f.type === 'radio' && f.name === 'recommend', 'recommend');
  await chooseByArrows(page, '8');
  await pressNext(page);
  // The group
  await expect(survey.heading()).toHaveText('The group');
  for (const s of questionnaire.sections[2].questions[0].statements) {
    await tabTo(page, f => f.type === 'radio' && f.name === `agreement--${s.id}`, s.id);
    await chooseByArrows(page, 'Agree');
  }
  await pressNext(page);
  // The sessions and leaders
  await expect(survey.heading()).toHaveText('The sessions and leaders');
  for (const s of questionnaire.sections[3].questions[0].statements) {
    await tabTo(page, f => f.type === 'radio' && f.name === `agreement_sessions--${s.id}`, s.id);
    await chooseByArrows(page, 'Disagree');
  }
  await pressNext(page);
  // In your own words
  await tabTo(page, f => f.id === 'valued-input', 'valued');
  await page.keyboard.type(valued);
  await expect(page.getByLabel('What did you value most about the group?')).toHaveValue(valued);
  await expect(page.getByLabel('What did you value most about the group?')).toBeFocused();
  await pressNext(page);
  // Before you send
  await tabTo(page, f => f.type === 'checkbox', 'consent');
  await page.keyboard.press('Space');
  await expect(page.getByRole('checkbox')).toBeChecked();
  await pressNext(page);
  await expect(survey.heading()).toHaveText('Check your answers');
  await tabTo(page, f => f.tag === 'button' && f.text === 'Send my answers', 'Send');
  await page.keyboard.press('Enter');
  await expect(page.locator('#confirmation-title')).toBeFocused();
  await expect(page.locator('.send-status')).toHaveText('Your answers have been sent to the programme team.', { timeout: 20_000 });
  const row = (await rows()).find(r => r.valued === valued);
  expect(row, 'the response reached the receiver').toBeTruthy();
  expect(row.group).toBe('wednesday');
  expect(row.sessions).toBe(5);
  expect(row.overall).toBe('4');
  expect(row['agreement.community']).toBe('4');
  expect(row['agreement_sessions.ethics']).toBe('2');
  expect(row.recommend).toBe(8);
});

// On a slow phone the frame that moves focus to the new page's heading can
// come after the student has already pressed Tab: they keep their place.
test('a student who tabs on before the new page\'s focus frame keeps their place', async ({ survey, page }) => {
  // A slow phone: every animation frame comes 1.5 s late (long enough for
  // the Tabs below to land first).
  await page.addInitScript(() => {
    const raf = window.requestAnimationFrame.bind(window);
    window.requestAnimationFrame = (cb) => { setTimeout(() => raf(cb), 1500); return 0; };
  });
  await survey.open();
  await tabTo(page, f => f.type === 'radio' && f.name === 'group', 'the group question');
  await chooseByArrows(page, 'Wednesday lunchtime');
  await tabTo(page, f => f.id === 'sessions-input', 'sessions');
  await page.keyboard.type('5');
  await pressNext(page);
  await expect(survey.headingElement()).toContainText('Section 2 of 6');
  // Before the late frame: Tab into the new page.
  await tabTo(page, f => f.type === 'radio' && f.name === 'overall', 'overall');
  const mine = await focused(page);
  await page.waitForTimeout(1800); // past the late frame (a fixed wait: the point is that nothing happens)
  expect(await focused(page)).toEqual(mine);
  // With no Tab, the late frame still moves focus to the heading.
  await chooseByArrows(page, 'Positive');
  await tabTo(page, f => f.type === 'radio' && f.name === 'recommend', 'recommend');
  await chooseByArrows(page, '8');
  await pressNext(page);
  await expect(survey.headingElement()).toBeFocused();
});

test.describe('on a phone with touch', () => {
  test.use({ hasTouch: true, isMobile: true, viewport: { width: 360, height: 740 } });

  test('the whole questionnaire is completed by tapping and typing', async ({ survey, page }) => {
    const valued = `Tapped ${Date.now()}`;
    await survey.open();
    await page.getByRole('radio', { name: 'Thursday evening' }).tap();
    await expect(page.getByRole('radio', { name: 'Thursday evening' })).toBeChecked();
    const sessions = page.getByLabel('How many of the 6 sessions did you attend?');
    await sessions.tap();
    await page.keyboard.type('3');
    await expect(sessions).toHaveValue('3');
    await expect(sessions).toBeFocused();
    const barriers = page.getByLabel('What made it hard to attend more sessions?');
    await barriers.tap();
    await page.keyboard.type('Placements far away.');
    await expect(barriers).toHaveValue('Placements far away.');
    await expect(barriers).toBeFocused();
    await page.getByRole('button', { name: 'Next' }).tap();
    await page.getByRole('radio', { name: 'Very positive' }).tap();
    await page.getByRole('group', { name: /recommend/ }).getByRole('radio', { name: '10', exact: true }).tap();
    await page.getByRole('button', { name: 'Next' }).tap();
    for (const s of questionnaire.sections[2].questions[0].statements) {
      // The row is the tap target, not only the small circle.
      await page.getByRole('group', { name: s.text }).locator('label', { hasText: /^Strongly agree$/ }).tap();
    }
    await page.getByRole('button', { name: 'Next' }).tap();
    for (const s of questionnaire.sections[3].questions[0].statements) {
      await page.getByRole('group', { name: s.text }).getByRole('radio', { name: 'Prefer not to say' }).tap();
    }
    await page.getByRole('button', { name: 'Next' }).tap();
    const field = page.getByLabel('What did you value most about the group?');
    await field.tap();
    await page.keyboard.type(valued);
    await expect(field).toHaveValue(valued);
    await expect(field).toBeFocused();
    await page.getByRole('button', { name: 'Next' }).tap();
    await page.getByRole('checkbox').tap();
    await page.getByRole('button', { name: 'Next' }).tap();
    await page.getByRole('button', { name: 'Send my answers' }).tap();
    await expect(page.locator('.send-status')).toHaveText('Your answers have been sent to the programme team.', { timeout: 20_000 });
    const row = (await rows()).find(r => r.valued === valued);
    expect(row, 'the response reached the receiver').toBeTruthy();
    expect(row.attendance_barriers).toBe('Placements far away.');
    expect(row['agreement.pace']).toBe('5');
    expect(row['agreement_sessions.timetable']).toBe('prefer_not_to_say');
    expect(row.recommend).toBe(10);
  });
});

test('a grid is checked when the student moves on, and its summary link goes to the first blank statement', async ({ survey, page }) => {
  await survey.open();
  await survey.answerAbout();
  await survey.next();
  await survey.answerExperience();
  await survey.next();
  const statements = questionnaire.sections[2].questions[0].statements;
  await page.getByRole('group', { name: statements[0].text }).getByRole('radio', { name: 'Agree', exact: true }).click();
  await page.getByRole('group', { name: statements[1].text }).getByRole('radio', { name: 'Agree', exact: true }).click();
  await expect(page.locator('#agreement-error')).toHaveCount(0);
  await expect(page).toHaveTitle('The group - Balint groups: end-of-cohort feedback');
  await survey.next();
  const summary = page.locator('.error-summary');
  await expect(summary).toBeFocused();
  await expect(page).toHaveTitle(/^Error: The group - /);
  // The grid's message names its first blank statement.
  await expect(summary.getByRole('link')).toHaveText([
    `Select an answer for the 2 statements left blank, starting with “${statements[2].text}”`,
  ]);
  await summary.getByRole('link', { name: /statements left blank/ }).click();
  await expect(page.locator(`#agreement--${statements[2].id}--1`)).toBeFocused();
  // Answered: the errors go, and so does "Error: " in the title.
  for (const s of statements.slice(2)) {
    await page.getByRole('group', { name: s.text }).getByRole('radio', { name: 'Agree', exact: true }).click();
  }
  await expect(page.locator('.field-error')).toHaveCount(0);
  await survey.next();
  await expect(page).toHaveTitle('The sessions and leaders - Balint groups: end-of-cohort feedback');
});

test('every error in the summary names its question', async ({ survey, page }) => {
  await survey.open();
  await survey.answerAbout();
  await survey.next();
  await survey.next();
  await expect(page.locator('.error-summary').getByRole('link')).toHaveText([
    'Select how your experience of the Balint group was overall',
    'Select how likely you are to recommend Balint groups, from 0 to 10',
  ]);
});

test('a too-long answer is named in the summary', async ({ survey, page }) => {
  await survey.open();
  await survey.completeToCheckPage();
  await page.getByRole('link', { name: /Change What should change/ }).click();
  const field = page.getByLabel('What should change?');
  // Pasting is the realistic way to get 2,001 characters in; `fill` is a paste.
  await field.fill('x'.repeat(2001));
  await field.blur();
  await survey.next();
  await expect(page.locator('.error-summary').getByRole('link'))
    .toHaveText(['Enter 2000 characters or fewer for: What should change?']);
});

test('after Send, focus is on the confirmation; it shows one state and no receipt code', async ({ survey, page, context }) => {
  await survey.open();
  await survey.completeToCheckPage();
  await context.setOffline(true);
  await page.getByRole('button', { name: 'Send my answers' }).click();
  await expect(page.locator('#confirmation-title')).toBeFocused();
  await expect(page).toHaveTitle('Thank you - Balint groups: end-of-cohort feedback');
  await expect(page.locator('.send-status')).toContainText('You are offline.');
  await expect(page.locator('.send-status')).toHaveCount(1);
  await expect(page.locator('main')).not.toContainText(/receipt|e-?mail/i);
  await context.setOffline(false);
  await expect(page.locator('.send-status')).toHaveText('Your answers have been sent to the programme team.', { timeout: 20_000 });
  await survey.screenshot('confirmation');
});

test('a server that is down is told apart from being offline', async ({ survey, page }) => {
  await survey.open();
  await survey.completeToCheckPage();
  // The app's endpoint answers 503 for a while (the receiver's test hook).
  const r = await fetch(`${BASE_URL}/__test/fault`, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ status: 503, count: 2 }) });
  expect(r.ok).toBeTruthy();
  await page.getByRole('button', { name: 'Send my answers' }).click();
  await expect(page.locator('.send-status')).toContainText('The survey server is not available at the moment.');
  await expect(page.locator('.send-status')).not.toContainText('503');
  await page.getByText('Details for IT staff').first().click();
  await expect(page.locator('.for-it .technical').first()).toContainText('attempts so far');
  await expect(page.locator('.send-status')).toHaveText('Your answers have been sent to the programme team.', { timeout: 30_000 });
});

test('Start again: focus moves into the dialog, its delete button is a warning, and back out', async ({ survey, page }) => {
  await survey.open();
  await survey.answerAbout();
  await page.getByRole('button', { name: 'Start again' }).click();
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toBeFocused();
  await expect(dialog.getByRole('button', { name: 'Yes, delete my answers' })).toHaveClass(/button-warning/);
  await survey.screenshot('start-again');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('button', { name: 'Start again' })).toBeFocused();
  await page.getByRole('button', { name: 'Start again' }).click();
  await page.getByRole('button', { name: 'Yes, delete my answers' }).click();
  await expect(survey.headingElement()).toBeFocused();
  await expect(page.getByLabel('How many of the 6 sessions did you attend?')).toHaveValue('');
});

test('"your answers were restored" is said once, not on every page', async ({ survey, page }) => {
  await survey.open();
  await survey.answerAbout();
  await page.reload();
  await expect(page.locator('.notice')).toContainText('were restored');
  await survey.next();
  await expect(survey.heading()).toHaveText('Your experience');
  await expect(page.locator('.notice', { hasText: 'were restored' })).toHaveCount(0);
});

/** Where the 0-10 scale's end labels and end points are on the page (document
 *  coordinates, read at once: the page may still be scrolling to the top). */
async function scaleBoxes(page: Page) {
  await expect(page.getByRole('group', { name: /recommend/ })).toBeVisible();
  return page.evaluate(() => {
    const at = (sel: string) => {
      const r = document.querySelector(sel)!.getBoundingClientRect();
      return { x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height };
    };
    return { min: at('#q-recommend .rating-min'), max: at('#q-recommend .rating-max'),
      zero: at('#recommend--0'), ten: at('#recommend--10') };
  });
}

for (const width of [320, 390]) {
  test(`the 0-10 scale keeps its end labels at its ends at ${width} px`, async ({ survey, page }) => {
    await page.setViewportSize({ width, height: 800 });
    await survey.open();
    await survey.answerAbout();
    await survey.next();
    const { min, max, zero, ten } = await scaleBoxes(page);
    // A list: "Not at all likely" just above 0, "Extremely likely" just below 10.
    expect(min.y + min.height).toBeLessThanOrEqual(zero.y);
    expect(zero.y - (min.y + min.height)).toBeLessThan(44);
    expect(max.y).toBeGreaterThanOrEqual(ten.y + ten.height);
    expect(max.y - (ten.y + ten.height)).toBeLessThan(44);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
}

test('on a wide screen the 0-10 scale is one row with its labels under its two ends', async ({ survey, page }) => {
  await page.setViewportSize({ width: 900, height: 800 });
  await survey.open();
  await survey.answerAbout();
  await survey.next();
  const { min, max, zero, ten } = await scaleBoxes(page);
  expect(Math.abs(zero.y - ten.y)).toBeLessThan(2);
  expect(min.y).toBeGreaterThan(zero.y);
  expect(Math.abs(min.x - zero.x)).toBeLessThan(60);
  expect(Math.abs((max.x + max.width) - (ten.x + ten.width))).toBeLessThan(60);
});

for (const [width, height] of [[320, 640], [390, 844]]) {
  test(`no page of the default questionnaire is more than about three screens at ${width}x${height}`, async ({ survey, page }) => {
    await page.setViewportSize({ width, height });
    await survey.open();
    const answer = [() => survey.answerAbout('2'), () => survey.answerExperience(), () => survey.answerGroup(),
      () => survey.answerSessions(), () => survey.answerThoughts(), () => survey.consent()];
    for (const step of answer) {
      await expect(survey.headingElement()).toBeVisible();
      const scroll = await page.evaluate(() => document.documentElement.scrollHeight);
      expect(scroll, await survey.heading().textContent() ?? '').toBeLessThanOrEqual(3.5 * height); // "about three screens"
      await step();
      await survey.next();
    }
  });
}

for (const width of [320, 390]) {
  test(`screenshots of every page at ${width} px`, async ({ survey, page }) => {
    await page.setViewportSize({ width, height: 800 });
    await survey.open();
    const shot = (name: string) => page.screenshot({ path: `e2e-output/screenshots/${width}/${name}.png`, fullPage: true });
    await shot('1-about');
    await survey.next();
    await shot('1-about-errors');
    await survey.answerAbout('2');
    await survey.next();
    await shot('2-experience');
    await survey.answerExperience();
    await survey.next();
    await shot('3-group');
    await survey.answerGroup();
    await survey.next();
    await shot('4-sessions');
    await survey.answerSessions();
    await survey.next();
    await shot('5-thoughts');
    await typeInto(page.getByLabel('What should change?'), 'Ring Dr Patel on 07700 900123');
    await shot('5-thoughts-flags');
    await survey.next();
    await shot('6-consent');
    await survey.consent();
    await survey.next();
    await shot('7-check');
    await page.getByRole('button', { name: 'Send my answers' }).click();
    await expect(page.locator('.send-status')).toHaveText('Your answers have been sent to the programme team.', { timeout: 20_000 });
    await shot('8-confirmation');
  });
}

test('embedded: transparent, left-aligned, the host\'s theme, and no second title', async ({ survey, page }) => {
  // embed.js passes data-theme and data-hide-title on to the frame's address.
  await page.goto('/config.json'); // any page of the app's origin, to host the script
  await page.setContent(`<h1>Balint feedback</h1><script src="${BASE_URL}/embed.js" data-theme="dark" data-hide-title></script>`);
  const src = new URL((await page.locator('iframe.cohort-survey-frame').getAttribute('src'))!);
  expect(src.searchParams.get('theme')).toBe('dark');
  expect(src.searchParams.get('hide_title')).toBe('1');
  expect(src.searchParams.get('embed')).toBe('1');
  // The app at that address.
  await survey.open(`?${src.searchParams.toString()}`);
  const look = await page.evaluate(() => ({
    theme: document.documentElement.dataset.theme,
    bg: getComputedStyle(document.body).backgroundColor,
    scheme: getComputedStyle(document.documentElement).colorScheme,
    title: document.querySelector('h1.title')!.getBoundingClientRect().height,
    left: document.querySelector('main')!.getBoundingClientRect().left,
  }));
  expect(look.theme).toBe('dark');
  expect(look.bg).toBe('rgba(0, 0, 0, 0)');
  expect(look.scheme).toBe('dark');
  expect(look.title).toBeLessThanOrEqual(1);
  expect(look.left).toBe(0);
  // Still one h1 for screen readers, and no axe violations in the dark theme
  // on a dark host (here the top-level page stands in for the host's colour).
  await page.evaluate(() => { document.documentElement.style.background = '#121416'; });
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Balint groups: end-of-cohort feedback');
  await survey.expectNoAxeViolations();
});
