//! Every student-facing wording of survey-core's error codes. The words
//! themselves are in survey-core's catalogue (`survey_core::i18n`), so a
//! translation touches one table.
//!
//! GOV.UK error messages: say what to do, for this question; *Select* for
//! choices, *Enter* for text and numbers; every message names its question
//! (the summary shows the same words as the field), unless the questionnaire
//! gives the question its own wording (`errors` in the questionnaire file).

use survey_core::anon::Finding;
use survey_core::i18n::{fill, Lang, Msg};
use survey_core::num::Num;
use survey_core::{Kind, Question, ValidationError};

/// What the student is told about one identifier in their text, in `lang`.
pub fn flag(text: &str, f: &Finding, lang: Lang) -> String {
    let found = text.get(f.start..f.end).unwrap_or("");
    fill(&lang.t(Msg::Flag), &[("found", found), ("what", &lang.t(f.kind.msg()))])
}

/// The inline and summary message for one error on one question. `lang` is
/// the chosen language's tag (`cy`, `en-XA`, ...): it picks both the
/// catalogue's words and the questionnaire's text.
pub fn message(q: &Question, e: &ValidationError, lang: &str) -> String {
    use ValidationError as E;
    let ui = Lang::from_tag(lang).unwrap_or(Lang::En);
    let content = |t: &survey_core::Text| ui.pseudo(t.get(lang)).into_owned();
    let own = |t: &Option<survey_core::Text>| t.as_ref().map(content);
    let text = content(&q.text);
    let say = |m: Msg| fill(&ui.t(m), &[("text", &text)]);
    let say_n = |m: Msg, name: &str, n: &str| fill(&ui.t(m), &[("text", &text), (name, n)]);
    let num = |n: f64| Num(n).to_string();
    let choice = matches!(q.kind, Kind::Single { .. } | Kind::Multiple { .. } | Kind::Rating { .. } | Kind::Likert { .. });
    match e {
        E::Required | E::ConsentRequired => own(&q.errors.required).unwrap_or_else(|| match q.kind {
            Kind::Multiple { .. } => say(Msg::ReqMultiple),
            Kind::Likert { .. } => say(Msg::ReqLikert),
            Kind::Consent => say(Msg::ReqConsent),
            Kind::Number { .. } => say(Msg::ReqNumber),
            _ if choice => say(Msg::ReqChoice),
            _ => say(Msg::ReqText),
        }),
        E::Incomplete { missing } => {
            let statement = |id: &str| match &q.kind {
                Kind::Likert { statements, .. } => statements.iter().find(|s| s.id == id).map(|s| content(&s.text)).unwrap_or_default(),
                _ => String::new(),
            };
            let first = missing.first().map(|id| statement(id)).unwrap_or_default();
            match missing.len() {
                1 => fill(&ui.t(Msg::IncompleteOne), &[("statement", &first)]),
                n => fill(&ui.t(Msg::IncompleteMany), &[("n", &n.to_string()), ("statement", &first)]),
            }
        }
        E::WrongType { .. } => own(&q.errors.invalid).unwrap_or_else(|| match q.kind {
            Kind::Number { .. } => say(Msg::EnterFigure),
            _ if choice => say(Msg::SelectOneOf),
            _ => say(Msg::ReqText),
        }),
        E::NotAnOption { .. } | E::UnknownStatement { .. } => say(Msg::SelectOneOf),
        E::TooFewSelections { min } => say_n(Msg::TooFew, "min", &min.to_string()),
        E::TooManySelections { max } => say_n(Msg::TooMany, "max", &max.to_string()),
        E::DuplicateSelection { .. } => say(Msg::Duplicate),
        E::BelowMin { min } => say_n(Msg::BelowMin, "min", &num(*min)),
        E::AboveMax { max } => say_n(Msg::AboveMax, "max", &num(*max)),
        E::NotAStep { step } if *step == 1.0 => say(Msg::Whole),
        E::NotAStep { step } => say_n(Msg::Steps, "step", &num(*step)),
        E::NotWhole => say(Msg::SelectWhole),
        E::TooShort { min } => say_n(Msg::TooShort, "min", &min.to_string()),
        E::TooLong { max } => say_n(Msg::TooLong, "max", &max.to_string()),
        E::UnknownQuestion | E::NotShown => say(Msg::NotNeeded),
        E::ControlCharacter => say(Msg::ControlChars),
    }
}
