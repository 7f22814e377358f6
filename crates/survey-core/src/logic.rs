//! Skip logic: which sections and questions are shown, given the answers so far.
// Filled in by the skip-logic work; signatures are the contract the app and
// the receiver code against.

use crate::{Answers, Condition, Question, Questionnaire, Section};

/// Evaluates a `show_if` condition; `None` means always shown.
pub fn is_shown(cond: Option<&Condition>, answers: &Answers) -> bool {
    let _ = (cond, answers);
    todo!()
}

impl Questionnaire {
    /// The section's own condition holds.
    pub fn section_shown(&self, section: &Section, answers: &Answers) -> bool {
        let _ = (section, answers);
        todo!()
    }

    /// Its section is shown and its own condition holds.
    pub fn question_shown(&self, section: &Section, question: &Question, answers: &Answers) -> bool {
        let _ = (section, question, answers);
        todo!()
    }

    /// Only the answers a submission may carry: to shown, answerable questions
    /// (not `info`), and not empty.
    pub fn shown_answers(&self, answers: &Answers) -> Answers {
        let _ = answers;
        todo!()
    }
}
