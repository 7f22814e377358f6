//! Every student-facing wording of survey-core's error codes, in one place so
//! a translation touches one file.
//!
//! GOV.UK error messages: say what to do, for this question; *Select* for
//! choices, *Enter* for text and numbers; every message names its question
//! (the summary shows the same words as the field), unless the questionnaire
//! gives the question its own wording (`errors` in the questionnaire file).

use survey_core::anon::{describe, Finding};
use survey_core::num::Num;
use survey_core::{Kind, Question, ValidationError};

/// What the student is told about one identifier in their text.
pub fn flag(text: &str, f: &Finding) -> String {
    let found = text.get(f.start..f.end).unwrap_or("");
    format!("“{found}” looks like {} - please remove it.", describe(f.kind))
}

/// The inline and summary message for one error on one question.
pub fn message(q: &Question, e: &ValidationError, lang: &str) -> String {
    use ValidationError as E;
    let own = |t: &Option<survey_core::Text>| t.as_ref().map(|t| t.get(lang).to_owned());
    let text = q.text.get(lang);
    let choice = matches!(q.kind, Kind::Single { .. } | Kind::Multiple { .. } | Kind::Rating { .. } | Kind::Likert { .. });
    match e {
        E::Required | E::ConsentRequired => own(&q.errors.required).unwrap_or_else(|| match q.kind {
            Kind::Multiple { .. } => format!("Select at least one option for: {text}"),
            Kind::Likert { .. } => format!("Select an answer for each statement in: {text}"),
            Kind::Consent => "Select the box to confirm you understand how your answers are used".into(),
            Kind::Number { .. } => format!("Enter a number for: {text}"),
            _ if choice => format!("Select an answer for: {text}"),
            _ => format!("Enter an answer for: {text}"),
        }),
        E::Incomplete { missing } => {
            let statement = |id: &str| match &q.kind {
                Kind::Likert { statements, .. } => {
                    statements.iter().find(|s| s.id == id).map(|s| s.text.get(lang).to_owned()).unwrap_or_default()
                }
                _ => String::new(),
            };
            let first = missing.first().map(|id| statement(id)).unwrap_or_default();
            match missing.len() {
                1 => format!("Select an answer for the statement “{first}”"),
                n => format!("Select an answer for the {n} statements left blank, starting with “{first}”"),
            }
        }
        E::WrongType { .. } => own(&q.errors.invalid).unwrap_or_else(|| match q.kind {
            Kind::Number { .. } => format!("Enter a number as a figure, like 4, for: {text}"),
            _ if choice => format!("Select one of the answers for: {text}"),
            _ => format!("Enter an answer for: {text}"),
        }),
        E::NotAnOption { .. } | E::UnknownStatement { .. } => format!("Select one of the answers for: {text}"),
        E::TooFewSelections { min } => format!("Select at least {min} options for: {text}"),
        E::TooManySelections { max } => format!("Select no more than {max} options for: {text}"),
        E::DuplicateSelection { .. } => format!("Select each option only once for: {text}"),
        E::BelowMin { min } => format!("Enter a number of {} or more for: {text}", Num(*min)),
        E::AboveMax { max } => format!("Enter a number of {} or less for: {text}", Num(*max)),
        E::NotAStep { step } if *step == 1.0 => format!("Enter a whole number for: {text}"),
        E::NotAStep { step } => format!("Enter a number in steps of {} for: {text}", Num(*step)),
        E::NotWhole => format!("Select a whole number for: {text}"),
        E::TooShort { min } => format!("Enter at least {min} characters for: {text}"),
        E::TooLong { max } => format!("Enter {max} characters or fewer for: {text}"),
        E::UnknownQuestion | E::NotShown => format!("This answer is not needed: {text}"),
        E::ControlCharacter => format!("Remove the invisible control characters from your answer to: {text}"),
    }
}
