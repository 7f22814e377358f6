//! Skip logic: which sections and questions are shown, given the answers so far.
//!
//! A `show_if` condition only ever looks back (the schema check refuses forward
//! references), so visibility is decided in one pass in questionnaire order.
//! While walking, only the answers of questions already found to be shown are
//! visible to later conditions: an answer left behind in a question that skip
//! logic has since hidden counts as unanswered, so chains collapse (if A hides
//! B and C depends on B, C is hidden too) and stale answers never steer.
//!
//! Condition semantics (see `docs/questionnaire-format.md`):
//!
//! * A test reads the question's answer, or for a likert question with
//!   `statement` the scale value given for that statement.
//! * `equals` / `not_equals` compare like with like: text with text, numbers
//!   as `f64`, true/false with true/false, lists as sets. Different shapes
//!   never match, so the text `"4"` is not the number `4`.
//! * `one_of` matches a single text answer (single choice, text, or a likert
//!   statement); `includes` matches a multiple-choice answer; `lt`, `lte`,
//!   `gt`, `gte` match numbers.
//! * An unanswered question (no answer, an empty answer, or a hidden
//!   question) fails every test except `not_equals` and `answered: false`.

use crate::schema::Op;
use crate::{Answer, Answers, Condition, Kind, Question, Questionnaire, Section};

/// Evaluates a `show_if` condition against `answers`; `None` means always shown.
///
/// This reads `answers` as given. To get the collapse of chained skip logic,
/// use [`Questionnaire::question_shown`] or [`Questionnaire::section_shown`],
/// which only let conditions see answers to questions that are themselves shown.
pub fn is_shown(cond: Option<&Condition>, answers: &Answers) -> bool {
    cond.is_none_or(|c| holds(c, answers))
}

fn holds(cond: &Condition, answers: &Answers) -> bool {
    match cond {
        Condition::All(list) => list.iter().all(|c| holds(c, answers)),
        Condition::Any(list) => list.iter().any(|c| holds(c, answers)),
        Condition::Not(c) => !holds(c, answers),
        Condition::Test { question, statement, op } => {
            let value = subject(answers, question, statement.as_deref());
            test(op, value.as_ref())
        }
    }
}

/// The answer a test looks at, or `None` when unanswered.
fn subject(answers: &Answers, question: &str, statement: Option<&str>) -> Option<Answer> {
    let answer = answers.get(question).filter(|a| !a.is_empty())?;
    match statement {
        None => Some(answer.clone()),
        Some(st) => match answer {
            Answer::Grid(grid) => grid.get(st).filter(|v| !v.trim().is_empty()).map(|v| Answer::Text(v.clone())),
            // A statement of a question whose answer is not a grid: unanswered.
            _ => None,
        },
    }
}

fn test(op: &Op, value: Option<&Answer>) -> bool {
    let Some(value) = value else {
        return matches!(op, Op::NotEquals(_) | Op::Answered(false));
    };
    let number = value.as_number();
    match op {
        Op::Equals(expected) => same(value, expected),
        Op::NotEquals(expected) => !same(value, expected),
        Op::OneOf(list) => value.as_text().is_some_and(|t| list.iter().any(|v| v == t)),
        Op::Lt(x) => number.is_some_and(|n| n < *x),
        Op::Lte(x) => number.is_some_and(|n| n <= *x),
        Op::Gt(x) => number.is_some_and(|n| n > *x),
        Op::Gte(x) => number.is_some_and(|n| n >= *x),
        Op::Includes(v) => matches!(value, Answer::Many(chosen) if chosen.contains(v)),
        Op::Answered(answered) => *answered,
    }
}

/// Like-with-like equality; lists compare as sets since choice order carries
/// no meaning.
fn same(a: &Answer, b: &Answer) -> bool {
    match (a, b) {
        (Answer::Text(x), Answer::Text(y)) => x == y,
        (Answer::Number(x), Answer::Number(y)) => x == y,
        (Answer::Bool(x), Answer::Bool(y)) => x == y,
        (Answer::Many(x), Answer::Many(y)) => x.iter().all(|v| y.contains(v)) && y.iter().all(|v| x.contains(v)),
        (Answer::Grid(x), Answer::Grid(y)) => x == y,
        _ => false,
    }
}

/// Walks `sections` in order, calling `visit(section, question, shown)` for
/// every question, and returns the answers that shown, answerable questions
/// carry: exactly what later conditions may see.
pub(crate) fn walk<'q>(sections: &'q [Section], answers: &Answers, mut visit: impl FnMut(&'q Section, &'q Question, bool)) -> Answers {
    let mut visible = Answers::new();
    for section in sections {
        let section_shown = is_shown(section.show_if.as_ref(), &visible);
        for question in &section.questions {
            let shown = section_shown && is_shown(question.show_if.as_ref(), &visible);
            visit(section, question, shown);
            if shown && !matches!(question.kind, Kind::Info) {
                if let Some(a) = answers.get(&question.id).filter(|a| !a.is_empty()) {
                    visible.insert(question.id.clone(), a.clone());
                }
            }
        }
    }
    visible
}

impl Questionnaire {
    /// The section's own condition holds, reading only answers to questions
    /// that are shown themselves.
    pub fn section_shown(&self, section: &Section, answers: &Answers) -> bool {
        // Conditions only look back, so the sections before this one suffice.
        let before = self.sections.iter().position(|s| s.id == section.id).unwrap_or(self.sections.len());
        let visible = walk(&self.sections[..before], answers, |_, _, _| {});
        is_shown(section.show_if.as_ref(), &visible)
    }

    /// Its section is shown and its own condition holds, reading only answers
    /// to questions that are shown themselves. A question that is not in this
    /// questionnaire is never shown.
    pub fn question_shown(&self, section: &Section, question: &Question, answers: &Answers) -> bool {
        let mut found = false;
        let upto = self.sections.iter().position(|s| s.id == section.id).map_or(0, |i| i + 1);
        walk(&self.sections[..upto], answers, |s, q, shown| {
            found |= shown && s.id == section.id && q.id == question.id;
        });
        found
    }

    /// Only the answers a submission may carry: to shown, answerable questions
    /// (not `info`), and not empty. Answers to unknown ids are dropped too.
    pub fn shown_answers(&self, answers: &Answers) -> Answers {
        walk(&self.sections, answers, |_, _, _| {})
    }
}
