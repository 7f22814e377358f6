//! Every student-facing wording of survey-core's error codes, in one place so
//! a translation touches one file.

use survey_core::anon::{describe, Finding};
use survey_core::num::Num;
use survey_core::{Kind, Question, ValidationError};

/// What the student is told about one identifier in their text.
pub fn flag(text: &str, f: &Finding) -> String {
    let found = text.get(f.start..f.end).unwrap_or("");
    format!("“{found}” looks like {} - please remove it.", describe(f.kind))
}

/// The inline and summary message for one error on one question (GOV.UK
/// style: says what to do, names the question where it helps).
pub fn message(q: &Question, e: &ValidationError, lang: &str) -> String {
    use ValidationError as E;
    let text = q.text.get(lang);
    match e {
        E::Required => match q.kind {
            Kind::Single { .. } | Kind::Rating { .. } => format!("Select an answer for: {text}"),
            Kind::Multiple { .. } => format!("Select at least one option for: {text}"),
            Kind::Likert { .. } => format!("Answer each statement in: {text}"),
            Kind::Number { .. } => format!("Enter a number for: {text}"),
            _ => format!("Enter an answer for: {text}"),
        },
        E::Incomplete { missing } => match missing.len() {
            1 => "Choose an answer for the statement left blank".into(),
            n => format!("Choose an answer for the {n} statements left blank"),
        },
        E::ConsentRequired => "Tick the box to confirm you understand how your answers are used".into(),
        E::WrongType { .. } => "That answer cannot be used here - please answer again".into(),
        E::NotAnOption { .. } | E::UnknownStatement { .. } => "That answer is no longer one of the choices - please choose again".into(),
        E::TooFewSelections { min } => format!("Select at least {min} options"),
        E::TooManySelections { max } => format!("Select no more than {max} options"),
        E::DuplicateSelection { .. } => "Select each option only once".into(),
        E::BelowMin { min } => format!("Enter a number of {} or more", Num(*min)),
        E::AboveMax { max } => format!("Enter a number of {} or less", Num(*max)),
        E::NotAStep { step } if *step == 1.0 => "Enter a whole number".into(),
        E::NotAStep { step } => format!("Enter a number in steps of {}", Num(*step)),
        E::NotWhole => "Choose a whole number".into(),
        E::TooShort { min } => format!("Write at least {min} characters"),
        E::TooLong { max } => format!("Answer must be {max} characters or fewer"),
        E::UnknownQuestion | E::NotShown => "This answer is not needed".into(),
        E::ControlCharacter => "Remove the invisible control characters from this answer".into(),
    }
}
