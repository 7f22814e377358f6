//! The catalogue's words that live outside the wasm app, as copies: the embed
//! script's (`public/embed.js`, shown on the school's page before or instead
//! of the app) and the boot screen's (`index.html`, shown until the wasm has
//! loaded). Each copy must equal the catalogue's entry.

use survey_core::i18n::{Lang, Msg};

const EMBED: &str = include_str!("../../../public/embed.js");
const INDEX: &str = include_str!("../../../index.html");

/// The `TEXTS` object of embed.js (written as JSON on purpose, so it is read here).
fn embed_texts() -> serde_json::Value {
    let start = EMBED.find("var TEXTS = ").expect("embed.js has `var TEXTS = `") + "var TEXTS = ".len();
    let end = start + EMBED[start..].find("};").expect("TEXTS ends with `};`") + 1;
    serde_json::from_str(&EMBED[start..end]).expect("TEXTS is JSON")
}

#[test]
fn embed_js_carries_the_catalogues_words_in_every_language() {
    let texts = embed_texts();
    let langs = texts.as_object().unwrap();
    let mut want: Vec<&str> = Lang::ALL.iter().filter(|l| !l.is_pseudo()).map(|l| l.tag()).collect();
    want.sort_unstable();
    assert_eq!(langs.keys().collect::<Vec<_>>(), want, "every language offered to students");
    for (tag, words) in langs {
        let lang = Lang::from_tag(tag).unwrap();
        assert_eq!(words["refused"], *lang.t(Msg::EmbedRefused), "{tag} refused");
        assert_eq!(words["title"], *lang.t(Msg::EmbedFrameTitle), "{tag} title");
    }
    // Shown only through TEXTS: no English left inline.
    assert_eq!(EMBED.matches(Msg::EmbedRefused.en()).count(), 1);
    assert_eq!(EMBED.matches(Msg::EmbedFrameTitle.en()).count(), 1);
    assert!(EMBED.is_ascii(), "escaped to ASCII: the host page may load it in any encoding");
}

#[test]
fn index_html_boot_screen_uses_the_catalogues_words() {
    // The boot screen is English until the lead's wiring adds the other
    // languages; whatever it shows must be the catalogue's words.
    let text = |m: Msg| Lang::En.t(m).into_owned();
    for m in [Msg::Loading, Msg::NoScript] {
        assert!(INDEX.contains(&text(m)), "index.html lacks {m:?}: {:?}", text(m));
    }
    // And Welsh, where the page carries it (a `lang="cy"` copy).
    if INDEX.contains("lang=\"cy\"") {
        for m in [Msg::Loading, Msg::NoScript] {
            assert!(INDEX.contains(&*Lang::Cy.t(m)), "index.html has Welsh but lacks {m:?}");
        }
    }
}
