// Writes the first screen into the staged index.html's #boot placeholder, so
// a phone paints the questionnaire's title, its introduction and the first
// question's frame from HTML and CSS before the wasm arrives (issue 11). The
// app removes #boot in the same frame as it puts the real first page in its
// place, with the same elements and classes, so nothing moves.
//
// The app's own classes where they give the look; not the ones tests and
// scripts take as "the app is up" (.progress, .page-title).
//
// Only the frame: the question's label and hint, not its options. A tap on a
// placeholder that the app then replaced would be an answer lost.
//
// From the questionnaire that config.json names, in its default language. A
// school that edits config.json or the questionnaire after the build sees the
// old words for the moment before the app starts, never in the app itself.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// The words come from the one catalogue (survey-core's i18n.rs), in the
// questionnaire's default language when the catalogue has it.
const catalogue = readFileSync(new URL('../crates/survey-core/src/i18n.rs', import.meta.url), 'utf8');
export function word(key, lang) {
  // One entry: `Key { en: "…", cy: "…" },` on one line or several.
  const entry = catalogue.match(new RegExp(`\\n\\s*${key}\\s*\\{([\\s\\S]*?)\\},?\\s*\\n`));
  const pick = (l) => entry?.[1].match(new RegExp(`\\b${l}:\\s*"((?:[^"\\\\]|\\\\.)*)"`))?.[1];
  const text = pick(lang) ?? pick('en');
  if (text == null) throw new Error(`boot: no ${key} in the catalogue`);
  return text;
}

const escape = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

export function writeBoot(staging) {
  const indexPath = join(staging, 'index.html');
  const html = readFileSync(indexPath, 'utf8');
  const start = html.indexOf('<div id="boot"');
  const end = html.indexOf('<!-- /boot -->');
  if (start < 0 || end < 0) {
    console.error('boot: index.html lacks <div id="boot"> ... <!-- /boot -->');
    process.exit(1);
  }
  let q;
  try {
    const config = JSON.parse(readFileSync(join(staging, 'config.json'), 'utf8'));
    const path = join(staging, String(config.questionnaire ?? '').replace(/^\.\//, ''));
    if (!existsSync(path)) throw new Error(`no ${config.questionnaire}`);
    q = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    // A broken file is the app's to report, with its error page; the boot
    // screen stays the plain one.
    console.log(`boot: first screen not written (${e.message})`);
    return;
  }
  const lang = q.default_language ?? 'en';
  const text = (t) => (t == null ? '' : typeof t === 'string' ? t : (t[lang] ?? t.en ?? Object.values(t)[0] ?? ''));
  const sections = q.sections ?? [];
  const first = sections[0] ?? { questions: [] };
  // What the app counts before any answer: sections with no condition.
  const shown = sections.filter((s) => !s.show_if).length;
  const question = (first.questions ?? []).find((x) => !x.show_if);
  const hint = question?.hint ? `<p class="hint">${escape(text(question.hint))}</p>` : '';
  const grouped = ['single', 'multiple', 'rating'].includes(question?.type);
  const frame = !question || question.type === 'info' || question.type === 'consent'
    ? ''
    : grouped
      ? `<fieldset class="field"><legend class="question">${escape(text(question.text))}</legend>${hint}</fieldset>`
      : `<div class="field"><p class="question">${escape(text(question.text))}</p>${hint}</div>`;
  const loading = `<p class="loading">${escape(word('Loading', lang))}</p>`;
  const noscript = `<noscript><p>${escape(word('NoScript', lang))}</p></noscript>`;
  // The language switch, as plain links: one works before the app does (a
  // reload in that language), and nothing has been answered yet to lose.
  const others = (q.languages ?? []).filter((l) => l !== lang);
  const name = (l) => new Intl.DisplayNames([l], { type: 'language' }).of(l) ?? l;
  const switcher = others.length === 0 ? '' :
    `<nav class="language-switch" aria-label="${escape(word('Language', lang))}"><ul class="language-switch-list">` +
    others.map((l) => `<li><a href="?lang=${escape(l)}" lang="${escape(l)}" hreflang="${escape(l)}">${escape(name(l))}</a></li>`).join('') +
    `</ul></nav>`;
  const boot = `<div id="boot" class="page" aria-busy="true">` + switcher +
    `<h1 class="title">${escape(text(q.title))}</h1>` +
    (q.intro ? `<p class="intro">${escape(text(q.intro))}</p>` : '') +
    `<h2><span class="caption">${escape(word('SectionOf', lang).replace('{n}', '1').replace('{total}', String(shown)))}</span><span class="page-title-text">${escape(text(first.title))}</span></h2>` +
    frame + loading + noscript + `</div>`;
  // The page's own language and title follow the questionnaire too.
  const page = (html.slice(0, start) + boot + html.slice(end))
    .replace(/<html lang="[^"]*"/, `<html lang="${escape(lang)}"`)
    .replace(/<title>[^<]*<\/title>/, `<title>${escape(text(q.title))}</title>`);
  writeFileSync(indexPath, page);
  console.log(`boot: first screen of ${q.id ?? 'the questionnaire'} written into index.html`);
}
