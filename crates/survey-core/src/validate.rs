//! Answer validation, shared by the browser and the receiver. Errors are codes
//! with parameters, never English: the UI words them in one place.

use crate::{Answer, Answers, Question, Questionnaire, Section};
use serde::Serialize;

/// Why one answer is refused. Serialises as `{"code": "too_long", "max": 500}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ValidationError {
    /// A required question has no answer.
    Required,
    /// The JSON shape does not fit the question kind (e.g. text for a number).
    WrongType { expected: &'static str },
    /// A value that is not one of the question's options or scale points.
    NotAnOption { value: String },
    /// A likert answer names a statement the question does not have.
    UnknownStatement { statement: String },
    /// A required likert question with some statements left unanswered.
    Incomplete { missing: Vec<String> },
    TooFewSelections { min: u32 },
    TooManySelections { max: u32 },
    /// The same option chosen twice in a multiple-choice answer.
    DuplicateSelection { value: String },
    BelowMin { min: f64 },
    AboveMax { max: f64 },
    /// Not on the grid `min + k * step`.
    NotAStep { step: f64 },
    /// A rating that is not a whole number.
    NotWhole,
    TooShort { min: u32 },
    TooLong { max: u32 },
    /// A consent box that is not ticked.
    ConsentRequired,
    /// Receiver only: an answer to a question the questionnaire does not have.
    UnknownQuestion,
    /// Receiver only: an answer to a question that skip logic hides.
    NotShown,
}

/// One refused answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldError {
    pub question: String,
    #[serde(flatten)]
    pub error: ValidationError,
}

/// Checks one answer against its question (`None` = not answered).
pub fn validate_question(question: &Question, answer: Option<&Answer>) -> Result<(), ValidationError> {
    let _ = (question, answer);
    todo!()
}

/// Checks the shown questions of one section, in order.
pub fn validate_section(q: &Questionnaire, section: &Section, answers: &Answers) -> Vec<FieldError> {
    let _ = (q, section, answers);
    todo!()
}

/// Checks a whole response as the receiver must: every shown question, plus
/// answers to unknown (`UnknownQuestion`) or hidden (`NotShown`) questions.
pub fn validate_all(q: &Questionnaire, answers: &Answers) -> Vec<FieldError> {
    let _ = (q, answers);
    todo!()
}
