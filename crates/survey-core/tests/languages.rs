//! Questionnaire languages: `languages` / `default_language`, the check that
//! every text has every declared language, and the default questionnaire in
//! English and Welsh.

use survey_core::schema::text_path;
use survey_core::{Questionnaire, SchemaError, Text};

const DEFAULT: &str = include_str!("../../../public/questionnaires/balint-end-of-cohort.json");
const V1: &str = include_str!("../../../public/questionnaires/balint-end-of-cohort-v1.json");

/// A questionnaire in `languages`, with `texts` as its one question's text and
/// a likert grid whose second statement is `statement`.
fn doc(languages: &str, text: &str, statement: &str) -> String {
    format!(
        r#"{{"id":"t","version":"1",{languages}"title":{{"en":"T","cy":"T cy"}},"sections":[
          {{"id":"s","title":{{"en":"S","cy":"S cy"}},"questions":[
            {{"id":"q","type":"short_text","text":{text}}}]}},
          {{"id":"s2","title":{{"en":"S2","cy":"S2 cy"}},"questions":[
            {{"id":"l","type":"likert","text":{{"en":"L","cy":"L cy"}},
              "scale":[{{"value":"1","label":{{"en":"One","cy":"Un"}}}}],
              "statements":[{{"id":"a","text":{{"en":"A","cy":"A cy"}}}},{{"id":"b","text":{statement}}}]}}]}}]}}"#
    )
}

const BOTH: &str = r#""languages":["en","cy"],"default_language":"en","#;
const GOOD: &str = r#"{"en":"Q","cy":"C"}"#;

fn refused(json: &str) -> String {
    Questionnaire::from_json(json).expect_err("should be refused").to_string()
}

#[test]
fn a_complete_file_loads_with_its_languages() {
    let q = Questionnaire::from_json(&doc(BOTH, GOOD, GOOD)).unwrap();
    assert_eq!(q.languages, ["en", "cy"]);
    assert_eq!(q.default_language, "en");
    assert_eq!(q.sections[1].questions[0].text.get("cy"), "L cy");
}

#[test]
fn a_gap_is_refused_with_its_path() {
    let e = Questionnaire::from_json(&doc(BOTH, GOOD, r#"{"en":"B"}"#)).unwrap_err();
    assert_eq!(e, SchemaError::MissingLanguage { at: "sections[1].questions[0].statements[1].text".into(), lang: "cy".into() });
    assert_eq!(e.to_string(), r#"sections[1].questions[0].statements[1].text: no "cy""#);
    // Blank counts as missing; the first gap in file order is named.
    assert_eq!(refused(&doc(BOTH, r#"{"en":"Q","cy":"  "}"#, r#"{"en":"B"}"#)), r#"sections[0].questions[0].text: no "cy""#);
    // A plain string is the default language only.
    assert_eq!(refused(&doc(BOTH, r#""Q""#, GOOD)), r#"sections[0].questions[0].text: no "cy""#);
    let no_en = doc(r#""languages":["en","cy"],"default_language":"cy","#, r#""Q""#, GOOD);
    assert_eq!(refused(&no_en), r#"sections[0].questions[0].text: no "en""#);
}

#[test]
fn every_kind_of_text_is_checked() {
    // Each place a text can stand, with its Welsh removed from the default questionnaire.
    let cases = [
        ("/title", "title"),
        ("/intro", "intro"),
        ("/sections/4/intro", "sections[4].intro"),
        ("/sections/0/questions/0/hint", "sections[0].questions[0].hint"),
        ("/sections/0/questions/0/errors/required", "sections[0].questions[0].errors.required"),
        ("/sections/0/questions/1/errors/invalid", "sections[0].questions[1].errors.invalid"),
        ("/sections/0/questions/0/options/3/label", "sections[0].questions[0].options[3].label"),
        ("/sections/1/questions/1/max_label", "sections[1].questions[1].max_label"),
        ("/sections/2/questions/0/scale/4/label", "sections[2].questions[0].scale[4].label"),
    ];
    for (pointer, path) in cases {
        let mut v: serde_json::Value = serde_json::from_str(DEFAULT).unwrap();
        let t = v.pointer_mut(pointer).unwrap_or_else(|| panic!("{pointer}")).as_object_mut().unwrap();
        assert!(t.remove("cy").is_some(), "{pointer} had Welsh");
        assert_eq!(refused(&v.to_string()), format!("{path}: no \"cy\""));
    }
}

#[test]
fn languages_and_default_are_checked() {
    let with = |langs: &str| refused(&doc(langs, GOOD, GOOD));
    assert_eq!(
        with(r#""languages":["en","cy"],"default_language":"fr","#),
        r#"languages: default_language "fr" is not one of the languages"#
    );
    assert_eq!(with(r#""languages":[],"#), "languages: must name at least one language");
    assert_eq!(with(r#""languages":["en","en"],"#), r#"languages: "en" is listed more than once"#);
    assert_eq!(with(r#""languages":["en","Welsh language"],"#), r#"languages: "Welsh language" is not a language tag like "en" or "cy""#);
    // Without default_language the first language is the default.
    let q = Questionnaire::from_json(&doc(r#""languages":["cy","en"],"#, GOOD, GOOD)).unwrap();
    assert_eq!(q.default_language, "cy");
}

#[test]
fn a_file_without_languages_loads_as_english_only() {
    let q = Questionnaire::from_json(V1).unwrap();
    assert_eq!((q.languages.as_slice(), q.default_language.as_str()), (&["en".to_owned()][..], "en"));
    // Old files may mix plain and localised texts as before: not checked.
    let q = Questionnaire::from_json(&doc("", r#""Q""#, r#"{"en":"B"}"#)).unwrap();
    assert_eq!(q.languages, ["en"]);
}

#[test]
fn the_default_questionnaire_has_every_declared_language_in_every_text() {
    let q = Questionnaire::from_json(DEFAULT).unwrap();
    assert_eq!(q.languages, ["en", "cy"]);
    assert_eq!(q.default_language, "en");
    let mut texts = 0;
    q.each_text(&mut |at, t: &Text| {
        texts += 1;
        let at = text_path(at);
        let Text::Localised(m) = t else { panic!("{at}: a plain string") };
        for l in &q.languages {
            assert!(m.get(l).is_some_and(|s| !s.trim().is_empty()), "{at}: no {l}");
        }
        // A Welsh text identical to the English is a forgotten translation
        // (numbers-only labels aside).
        assert!(m["cy"] != m["en"] || !m["en"].chars().any(char::is_alphabetic), "{at}: Welsh is a copy of the English");
    });
    assert!(texts > 50, "walked {texts} texts");
}
