//! Drafts kept on the device, and their migration to a new questionnaire version.

use crate::answers::{answers_from_json, answers_to_json};
use crate::json::{self, obj, Fields, Json, JsonError};
use crate::validate::{validate_question, ValidationError};
use crate::{Answer, Answers, Kind, Question, Questionnaire, PREFER_NOT_TO_SAY};
use thiserror::Error;

/// What the app keeps in storage while a student answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub questionnaire_id: String,
    pub questionnaire_version: String,
    pub answers: Answers,
    /// Index of the page the student was on (sections, then the check page).
    pub page: usize,
    /// Milliseconds since the Unix epoch; stays on the device, never sent.
    pub saved_at: f64,
    /// The language the student chose (a tag such as `cy`), so a reload or
    /// the next sitting shows the same; stays on the device, never sent.
    pub lang: Option<String>,
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

/// Why stored draft text could not be read back. The app quarantines such a
/// draft instead of failing to start.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DraftError {
    /// Not JSON at all (cut short, corrupted, or not written by this app).
    #[error("draft is not valid JSON: {0}")]
    Json(String),
    /// Valid JSON, but not a draft (missing or mistyped fields).
    #[error("draft has the wrong shape: {0}")]
    Shape(String),
}

impl Draft {
    /// Reads a draft back from storage.
    pub fn from_json(json: &str) -> Result<Draft, DraftError> {
        let v = json::parse(json).map_err(|e| DraftError::Json(e.to_string()))?;
        // Fields a later version may add are ignored, not refused: a draft
        // must survive an app update in either direction.
        let read = |v: &Json| -> Result<Draft, JsonError> {
            let mut f = Fields::new(v, "")?;
            let d = Draft {
                questionnaire_id: f.take("questionnaire_id", Json::str),
                questionnaire_version: f.take("questionnaire_version", Json::str),
                answers: f.take("answers", answers_from_json),
                page: f.take("page", Json::u32) as usize,
                saved_at: f.take("saved_at", Json::f64),
                lang: f.take_opt("lang", Json::str),
            };
            f.done()?;
            Ok(d)
        };
        read(&v).map_err(|e| DraftError::Shape(e.to_string()))
    }

    /// The draft as stored.
    pub fn to_json(&self) -> Json {
        let mut v = obj([
            ("questionnaire_id", self.questionnaire_id.as_str().into()),
            ("questionnaire_version", self.questionnaire_version.as_str().into()),
            ("answers", answers_to_json(&self.answers)),
            ("page", Json::Num(self.page as f64)),
            ("saved_at", Json::Num(self.saved_at)),
        ]);
        if let (Some(l), Json::Obj(fields)) = (&self.lang, &mut v) {
            fields.push(("lang".into(), l.as_str().into()));
        }
        v
    }
}

/// The answers of a stored draft, for the questionnaire loaded now.
///
/// The same version gets every answer back exactly as it was stored, even one
/// the page still flags (like `four` typed into a number field): it is the
/// student's answer until they change it. Only another version is migrated
/// (see [`migrate`]), and the app tells the student what was dropped.
pub fn restore(draft: &Draft, to: &Questionnaire) -> Migration {
    if draft.questionnaire_id == to.id && draft.questionnaire_version == to.version {
        let kept = draft.answers.values().filter(|a| !a.is_empty()).count();
        return Migration { answers: draft.answers.clone(), kept, dropped: 0 };
    }
    migrate(&draft.answers, to)
}

/// Carries answers over to the questionnaire `to` (usually a new version).
///
/// An answer is kept when its question still exists and the answer still
/// fits it: same shape, and every chosen option, scale point or number still
/// valid. Likert answers keep the statements that still exist with a valid
/// value, and count as kept when at least one survives.
///
/// Limits the student can put right on the page are not reasons to drop:
/// `required` (and so an incomplete likert), too few or too many selections,
/// and text that is now too short or too long. The page flags those when the
/// student gets there, whereas dropping would silently lose their writing.
///
/// `kept` and `dropped` count questions. Empty answers carry nothing over and
/// are left out without counting as either.
pub fn migrate(answers: &Answers, to: &Questionnaire) -> Migration {
    let mut out = Migration { answers: Answers::new(), kept: 0, dropped: 0 };
    for (id, answer) in answers {
        if answer.is_empty() {
            continue;
        }
        let carried = to.question(id).and_then(|q| carry(q, answer));
        match carried {
            Some(a) => {
                out.answers.insert(id.clone(), a);
                out.kept += 1;
            }
            None => out.dropped += 1,
        }
    }
    out
}

/// The part of `answer` still valid for `question`, if any.
fn carry(question: &Question, answer: &Answer) -> Option<Answer> {
    use ValidationError as E;
    if let (Kind::Likert { scale, statements, prefer_not_to_say }, Answer::Grid(grid)) = (&question.kind, answer) {
        let fits = |st: &str, v: &str| {
            statements.iter().any(|s| s.id == st) && (scale.iter().any(|o| o.value == v) || (*prefer_not_to_say && v == PREFER_NOT_TO_SAY))
        };
        let kept: crate::json::StrMap = grid.iter().filter(|(st, v)| fits(st, v)).map(|(st, v)| (st.clone(), v.clone())).collect();
        return (!kept.is_empty()).then_some(Answer::Grid(kept));
    }
    match validate_question(question, Some(answer)) {
        Ok(())
        | Err(
            E::Required
            | E::Incomplete { .. }
            | E::TooFewSelections { .. }
            | E::TooManySelections { .. }
            | E::TooShort { .. }
            | E::TooLong { .. },
        ) => Some(answer.clone()),
        Err(_) => None,
    }
}
