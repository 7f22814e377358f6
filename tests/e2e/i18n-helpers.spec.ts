import { test, expect } from '@playwright/test';
import { untranslatedWords } from './i18n-helpers';

// The helper the pseudo-locale run relies on: it must name plain English and
// only plain English (a helper that finds nothing would make that run pass
// whatever the page shows).
test('untranslatedWords names plain English and nothing else', async ({ page }) => {
  await page.setContent(`<!DOCTYPE html><html lang="en-XA"><head><title>[Ŝéçţîöñ] Error</title></head><body>
    <h1>[Ĉĥéçķ ýöûŕ áñšŵéŕš öñé ţŵö]</h1>
    <button>Next</button>
    <button aria-label="Close the dialog">[×]</button>
    <p>[Ŝéñţ] 3 / 12</p>
    <input value="typed by the student">
    <textarea>also typed</textarea>
    <p>my answer: hello world</p>
    <nav><a href="?lang=cy" lang="cy">Cymraeg</a></nav>
    <p hidden>Hidden words</p>
    <p style="display:none">Not shown</p>
    <p translate="no">NHS</p>
  </body></html>`);
  const found = await untranslatedWords(page, ['hello world']);
  expect(found.map(f => f.word).sort()).toEqual(['Close', 'Error', 'Next', 'answer', 'dialog', 'my', 'the'].sort());
  expect(found.find(f => f.word === 'answer')!.text).toBe('my answer: hello world');
});
