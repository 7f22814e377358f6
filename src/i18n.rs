//! The language the app is showing, and its words: survey-core's catalogue
//! (`survey_core::i18n`) for the interface, the questionnaire's own texts for
//! its content, the browser's `Intl` for dates.
//!
//! The chosen tag lives in [`SurveyState::lang`](crate::state::SurveyState)
//! (remembered with the draft); the views are rebuilt when it changes, and
//! read it from here while they are built, so no view passes it around.
//!
//! # Usage
//! ```ignore
//! i18n::set("cy");
//! el("button").text(&tr(Msg::Next));                          // "Nesaf"
//! el("span").text(&trf(Msg::SectionOf, &[("n", "2"), ("total", "6")]));
//! el("h1").text(&content(&questionnaire.title));
//! ```

use std::cell::RefCell;
use survey_core::i18n::{fill, Lang, Msg};
use survey_core::Text;

thread_local! {
    static TAG: RefCell<(Lang, String)> = const { RefCell::new((Lang::En, String::new())) };
}

/// Shows `tag` from now on: the catalogue language for it (English for a
/// questionnaire language the catalogue lacks), and `<html lang dir>`.
pub fn set(tag: &str) {
    let ui = Lang::from_tag(tag).unwrap_or(Lang::En);
    TAG.with(|t| *t.borrow_mut() = (ui, tag.to_owned()));
    if let Some(html) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = html.set_attribute("lang", if tag.is_empty() { ui.tag() } else { tag });
        let _ = html.set_attribute("dir", ui.dir());
    }
}

/// The interface language.
pub fn ui() -> Lang {
    TAG.with(|t| t.borrow().0)
}

/// The chosen tag (`cy`, `en-XA`, ...); empty before a choice.
pub fn tag() -> String {
    TAG.with(|t| t.borrow().1.clone())
}

/// An interface text.
pub fn tr(m: Msg) -> String {
    ui().t(m).into_owned()
}

/// An interface text with its `{placeholders}` filled.
pub fn trf(m: Msg, args: &[(&str, &str)]) -> String {
    fill(&ui().t(m), args)
}

/// Questionnaire content in the chosen language (a pseudo-locale reads the
/// English and transforms it, so untranslated content shows in tests too).
pub fn content(t: &Text) -> String {
    let ui = ui();
    let tag = tag();
    let text = t.get(if ui.is_pseudo() || tag.is_empty() { ui.content_tag() } else { &tag });
    ui.pseudo(text).into_owned()
}

/// The browser's languages, most wanted first (`navigator.languages`).
pub fn browser_languages() -> Vec<String> {
    let Some(w) = web_sys::window() else { return Vec::new() };
    w.navigator().languages().iter().filter_map(|v| v.as_string()).collect()
}

/// A date as `Intl.DateTimeFormat` writes it in the chosen language, with
/// `options` such as `{weekday: "long"}`. A browser without that language's
/// data (Chromium has none for Welsh) would answer in English words: then the
/// date is written in figures (`22/11`), which read the same in any language.
pub fn date(ms: f64, options: &[(&str, &str)]) -> String {
    let opts = js_sys::Object::new();
    let locales = js_sys::Array::of1(&ui().tag().into());
    let known = js_sys::Intl::DateTimeFormat::supported_locales_of(&locales, &js_sys::Object::new()).length() > 0;
    let (locales, options) = if known || ui().is_pseudo() {
        (locales, options)
    } else {
        (js_sys::Array::of1(&"en-GB".into()), &[("day", "numeric"), ("month", "numeric")][..])
    };
    for (k, v) in options {
        let _ = js_sys::Reflect::set(&opts, &(*k).into(), &(*v).into());
    }
    let f = js_sys::Intl::DateTimeFormat::new(&locales, &opts);
    let s = f.format().call1(&f, &js_sys::Date::new(&ms.into())).ok().and_then(|s| s.as_string()).unwrap_or_default();
    ui().pseudo(&s).into_owned()
}
