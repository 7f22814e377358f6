//! Answer validation, shared by the browser and the receiver. Errors are codes
//! with parameters, never English: the UI words them in one place.

use crate::json::Json;
use crate::logic::walk;
use crate::{Answer, Answers, Kind, Opt, Question, Questionnaire, Section, PREFER_NOT_TO_SAY};

/// Why one answer is refused. Serialises as `{"code": "too_long", "max": 500}`.
#[derive(Debug, Clone, PartialEq)]
pub enum ValidationError {
    /// A required question has no answer.
    Required,
    /// The JSON shape does not fit the question kind (e.g. text for a number).
    WrongType {
        expected: &'static str,
    },
    /// A value that is not one of the question's options or scale points.
    NotAnOption {
        value: String,
    },
    /// A likert answer names a statement the question does not have.
    UnknownStatement {
        statement: String,
    },
    /// A required likert question with some statements left unanswered.
    Incomplete {
        missing: Vec<String>,
    },
    TooFewSelections {
        min: u32,
    },
    TooManySelections {
        max: u32,
    },
    /// The same option chosen twice in a multiple-choice answer.
    DuplicateSelection {
        value: String,
    },
    BelowMin {
        min: f64,
    },
    AboveMax {
        max: f64,
    },
    /// Not on the grid `min + k * step`.
    NotAStep {
        step: f64,
    },
    /// A rating that is not a whole number.
    NotWhole,
    TooShort {
        min: u32,
    },
    TooLong {
        max: u32,
    },
    /// A consent box that is not ticked.
    ConsentRequired,
    /// Text holding a control character other than newline or tab (NUL,
    /// escape, carriage return, ...): nothing a person types, and a way to
    /// smuggle bytes into exports.
    ControlCharacter,
    /// Receiver only: an answer to a question the questionnaire does not have.
    UnknownQuestion,
    /// Receiver only: an answer to a question that skip logic hides.
    NotShown,
}

/// One refused answer.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    pub question: String,
    pub error: ValidationError,
}

impl ValidationError {
    /// The stable code, e.g. `too_long`.
    pub fn code(&self) -> &'static str {
        use ValidationError as E;
        match self {
            E::Required => "required",
            E::WrongType { .. } => "wrong_type",
            E::NotAnOption { .. } => "not_an_option",
            E::UnknownStatement { .. } => "unknown_statement",
            E::Incomplete { .. } => "incomplete",
            E::TooFewSelections { .. } => "too_few_selections",
            E::TooManySelections { .. } => "too_many_selections",
            E::DuplicateSelection { .. } => "duplicate_selection",
            E::BelowMin { .. } => "below_min",
            E::AboveMax { .. } => "above_max",
            E::NotAStep { .. } => "not_a_step",
            E::NotWhole => "not_whole",
            E::TooShort { .. } => "too_short",
            E::TooLong { .. } => "too_long",
            E::ConsentRequired => "consent_required",
            E::ControlCharacter => "control_character",
            E::UnknownQuestion => "unknown_question",
            E::NotShown => "not_shown",
        }
    }

    /// `{"code": "too_long", "max": 500}`: the code and its parameter.
    pub fn to_json(&self) -> Json {
        Json::Obj(self.fields())
    }

    fn fields(&self) -> Vec<(String, Json)> {
        use ValidationError as E;
        let param = match self {
            E::WrongType { expected } => Some(("expected", Json::from(*expected))),
            E::NotAnOption { value } | E::DuplicateSelection { value } => Some(("value", Json::from(value.as_str()))),
            E::UnknownStatement { statement } => Some(("statement", Json::from(statement.as_str()))),
            E::Incomplete { missing } => Some(("missing", Json::Arr(missing.iter().map(|m| Json::from(m.as_str())).collect()))),
            E::TooFewSelections { min } | E::TooShort { min } => Some(("min", Json::Num(f64::from(*min)))),
            E::TooManySelections { max } | E::TooLong { max } => Some(("max", Json::Num(f64::from(*max)))),
            E::BelowMin { min } => Some(("min", Json::Num(*min))),
            E::AboveMax { max } => Some(("max", Json::Num(*max))),
            E::NotAStep { step } => Some(("step", Json::Num(*step))),
            _ => None,
        };
        std::iter::once(("code", Json::from(self.code()))).chain(param).map(|(k, v)| (k.to_owned(), v)).collect()
    }
}

impl FieldError {
    /// `{"question": "essay", "code": "too_long", "max": 500}`.
    pub fn to_json(&self) -> Json {
        let mut pairs = vec![("question".to_owned(), Json::from(self.question.as_str()))];
        pairs.extend(self.error.fields());
        Json::Obj(pairs)
    }
}

/// Relative tolerance for the step grid, so `0.1 + 0.2` still sits on a 0.1 step.
const STEP_TOLERANCE: f64 = 1e-9;

/// Checks one answer against its question (`None` = not answered).
///
/// An empty answer ([`Answer::is_empty`]: blank text, nothing chosen, an
/// empty grid, an unticked box) counts as no answer. Checks run in this
/// order and the first failure is returned: required, shape (`WrongType`),
/// then the kind's own rules.
pub fn validate_question(question: &Question, answer: Option<&Answer>) -> Result<(), ValidationError> {
    use ValidationError as E;
    let answer = answer.filter(|a| !a.is_empty());
    let Some(answer) = answer else {
        return match question.kind {
            Kind::Consent => Err(E::ConsentRequired),
            _ if question.required => Err(E::Required),
            _ => Ok(()),
        };
    };
    let wrong = |expected: &'static str| Err(E::WrongType { expected });
    match (&question.kind, answer) {
        (Kind::Info, _) => wrong("nothing"),
        (Kind::Consent, Answer::Bool(_)) => Ok(()), // non-empty, so `true`
        (Kind::Consent, _) => wrong("true/false"),
        (Kind::Single { options, prefer_not_to_say }, Answer::Text(v)) => {
            if is_option(options, v) || (*prefer_not_to_say && v == PREFER_NOT_TO_SAY) {
                Ok(())
            } else {
                Err(E::NotAnOption { value: v.clone() })
            }
        }
        (Kind::Single { .. }, _) => wrong("text"),
        (Kind::Likert { scale, statements, prefer_not_to_say }, Answer::Grid(grid)) => {
            if let Some(unknown) = grid.keys().find(|k| !statements.iter().any(|s| &s.id == *k)) {
                return Err(E::UnknownStatement { statement: unknown.clone() });
            }
            // Statement order, so the first complaint is the first row shown.
            for s in statements {
                if let Some(v) = grid.get(&s.id) {
                    if !(is_option(scale, v) || (*prefer_not_to_say && v == PREFER_NOT_TO_SAY)) {
                        return Err(E::NotAnOption { value: v.clone() });
                    }
                }
            }
            let missing: Vec<String> = statements.iter().filter(|s| !grid.contains_key(&s.id)).map(|s| s.id.clone()).collect();
            if question.required && !missing.is_empty() {
                return Err(E::Incomplete { missing });
            }
            Ok(())
        }
        (Kind::Likert { .. }, _) => wrong("object"),
        (Kind::Multiple { options, min, max }, Answer::Many(chosen)) => {
            for (i, v) in chosen.iter().enumerate() {
                if !is_option(options, v) {
                    return Err(E::NotAnOption { value: v.clone() });
                }
                if chosen[..i].contains(v) {
                    return Err(E::DuplicateSelection { value: v.clone() });
                }
            }
            // Something is chosen here (empty was handled above), so `min`
            // applies; an optional question left empty never reaches this.
            let n = chosen.len();
            match (min, max) {
                (Some(min), _) if n < *min as usize => Err(E::TooFewSelections { min: *min }),
                (_, Some(max)) if n > *max as usize => Err(E::TooManySelections { max: *max }),
                _ => Ok(()),
            }
        }
        (Kind::Multiple { .. }, _) => wrong("list"),
        (Kind::Rating { min, max, .. }, Answer::Number(n)) => {
            let (min, max) = (*min as f64, *max as f64);
            if n.fract() != 0.0 {
                Err(E::NotWhole)
            } else if *n < min {
                Err(E::BelowMin { min })
            } else if *n > max {
                Err(E::AboveMax { max })
            } else {
                Ok(())
            }
        }
        (Kind::Number { min, max, step }, Answer::Number(n)) => {
            if let Some(min) = min.filter(|m| n < m) {
                return Err(E::BelowMin { min });
            }
            if let Some(max) = max.filter(|m| n > m) {
                return Err(E::AboveMax { max });
            }
            if let Some(step) = *step {
                let k = (n - min.unwrap_or(0.0)) / step;
                if (k - k.round()).abs() > STEP_TOLERANCE * k.abs().max(1.0) {
                    return Err(E::NotAStep { step });
                }
            }
            Ok(())
        }
        (Kind::Rating { .. } | Kind::Number { .. }, _) => wrong("number"),
        (Kind::ShortText { .. } | Kind::LongText { .. }, Answer::Text(t)) if has_control_character(t) => Err(E::ControlCharacter),
        (Kind::ShortText { min_length, max_length } | Kind::LongText { min_length, max_length }, Answer::Text(t)) => {
            // Characters, not bytes: "é" is one. Surrounding spaces do not
            // count towards the minimum but do take up room. A redaction tag
            // counts as one char (see `checked_len`), so the receiver accepts
            // what the browser accepted before redacting.
            let (len, tagged) = crate::anon::checked_len(t);
            if let Some(min) = min_length.filter(|m| !tagged && (crate::anon::checked_len(t.trim()).0 as u64) < u64::from(*m)) {
                return Err(E::TooShort { min });
            }
            if len as u64 > u64::from(*max_length) {
                return Err(E::TooLong { max: *max_length });
            }
            Ok(())
        }
        (Kind::ShortText { .. } | Kind::LongText { .. }, _) => wrong("text"),
    }
}

/// A control character other than newline and tab (C0, DEL and C1).
pub fn has_control_character(text: &str) -> bool {
    text.chars().any(|c| c.is_control() && c != '\n' && c != '\t')
}

fn is_option(options: &[Opt], value: &str) -> bool {
    options.iter().any(|o| o.value == value)
}

/// Checks the shown questions of one section, in order. A hidden section has
/// nothing to check.
pub fn validate_section(q: &Questionnaire, section: &Section, answers: &Answers) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let upto = q.sections.iter().position(|s| s.id == section.id).map_or(0, |i| i + 1);
    walk(&q.sections[..upto], answers, |s, question, shown| {
        if shown && s.id == section.id {
            push(&mut errors, question, validate_question(question, answers.get(&question.id)));
        }
    });
    errors
}

/// Checks a whole response as the receiver must: every shown question, plus
/// answers to unknown (`UnknownQuestion`) or hidden (`NotShown`) questions.
///
/// Errors come in questionnaire order; unknown ids follow at the end, sorted.
/// An empty answer to a hidden question is harmless and not reported.
pub fn validate_all(q: &Questionnaire, answers: &Answers) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let mut known = std::collections::HashSet::new();
    walk(&q.sections, answers, |_, question, shown| {
        known.insert(question.id.as_str());
        let answer = answers.get(&question.id);
        let result = if shown {
            validate_question(question, answer)
        } else if answer.is_some_and(|a| !a.is_empty()) {
            Err(ValidationError::NotShown)
        } else {
            Ok(())
        };
        push(&mut errors, question, result);
    });
    for id in answers.keys().filter(|id| !known.contains(id.as_str())) {
        errors.push(FieldError { question: id.clone(), error: ValidationError::UnknownQuestion });
    }
    errors
}

fn push(errors: &mut Vec<FieldError>, question: &Question, result: Result<(), ValidationError>) {
    if let Err(error) = result {
        errors.push(FieldError { question: question.id.clone(), error });
    }
}
