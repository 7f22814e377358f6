import { Page } from '@playwright/test';

/** One untranslated word, and the text it stands in (to find its source). */
export type Untranslated = { word: string; text: string };

/**
 * The plain English words left on a page shown in the `en-XA` pseudo-locale
 * (`?lang=en-XA`). There every word from survey-core's catalogue and from the
 * questionnaire is accented (`Next` -> `[Ñéẋţ öñé]`), so any run of two or
 * more ASCII letters is a string that bypassed both: it is reported with the
 * text it stands in, so the test names it.
 *
 * Looks at visible text, the accessible-name attributes of visible elements
 * (aria-label, title, alt, placeholder, value of buttons) and document.title.
 * Leaves out what is not a string of ours: form field values, elements in
 * another language (`lang` other than en-XA, like the language switch naming
 * "Cymraeg"), `translate="no"`, and any text in `ignore` (what the test itself
 * typed, which the check page shows back).
 */
export async function untranslatedWords(page: Page, ignore: string[] = []): Promise<Untranslated[]> {
  return page.evaluate((ignore) => {
    const ours = (el: Element | null) => {
      if (!el) return false;
      if (el.closest('script, style, template, noscript, [translate="no"], input, textarea, select')) return false;
      const lang = el.closest('[lang]')?.getAttribute('lang');
      if (lang && lang.toLowerCase() !== 'en-xa') return false;
      return el.checkVisibility({ visibilityProperty: true, opacityProperty: false });
    };
    const found: { word: string; text: string }[] = [];
    const scan = (text: string) => {
      let t = text;
      for (const i of ignore) t = t.split(i).join(' ');
      for (const w of t.match(/[A-Za-z]{2,}/g) ?? []) found.push({ word: w, text: text.trim() });
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.textContent && n.textContent.trim() && ours(n.parentElement)) scan(n.textContent);
    }
    for (const el of Array.from(document.body.querySelectorAll('[aria-label], [title], [alt], [placeholder], input[type=button], input[type=submit]'))) {
      if (!ours(el) && !el.matches('input[type=button], input[type=submit]')) continue;
      for (const a of ['aria-label', 'title', 'alt', 'placeholder']) {
        const v = el.getAttribute(a);
        if (v) scan(v);
      }
      if (el.matches('input[type=button], input[type=submit]')) scan((el as HTMLInputElement).value);
    }
    scan(document.title);
    return found;
  }, ignore);
}
