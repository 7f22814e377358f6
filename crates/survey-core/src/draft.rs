//! Drafts kept on the device, and their migration to a new questionnaire version.

use crate::{Answers, Questionnaire};
use serde::{Deserialize, Serialize};

/// What the app keeps in storage while a student answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub questionnaire_id: String,
    pub questionnaire_version: String,
    pub answers: Answers,
    /// Index of the page the student was on (sections, then the check page).
    pub page: usize,
    /// Milliseconds since the Unix epoch; stays on the device, never sent.
    pub saved_at: f64,
}

/// The outcome of carrying answers over to another questionnaire version.
#[derive(Debug, Clone, PartialEq)]
pub struct Migration {
    pub answers: Answers,
    /// Answers kept (by question).
    pub kept: usize,
    /// Answers dropped: question gone, kind changed, or value no longer valid.
    pub dropped: usize,
}

/// Keeps every answer whose question still exists with a compatible kind and a
/// still valid value (ignoring `required`); drops the rest.
pub fn migrate(answers: &Answers, to: &Questionnaire) -> Migration {
    let _ = (answers, to);
    todo!()
}
