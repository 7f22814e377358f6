//! The survey's reactive state: signals at the top, shared through context.

use crate::prelude::*;
use survey_core::validate::{validate_question, validate_section};
use survey_core::{Answer, Answers, FieldError, Question, Questionnaire, ValidationError};

/// Inline errors by question id, and the error summary at the top of the
/// page (after Next or Submit). Inline errors are a short Vec rather than a
/// BTreeMap: a page holds a handful of questions, and each BTreeMap value
/// type adds about 5 KB of code to the wasm app. The summary is kept here, not
/// in a signal of its own, as each signal type is about 2.5 KB of wasm.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Errors(Vec<(String, ValidationError)>, pub Vec<FieldError>);

impl Errors {
    pub fn get(&self, id: &str) -> Option<&ValidationError> {
        self.0.iter().find(|(k, _)| k == id).map(|(_, e)| e)
    }

    /// The error summary, in page order.
    pub fn summary(&self) -> &[FieldError] {
        &self.1
    }

    pub fn contains_key(&self, id: &str) -> bool {
        self.get(id).is_some()
    }

    pub fn insert(&mut self, id: String, error: ValidationError) {
        self.remove(&id);
        self.0.push((id, error));
    }

    pub fn remove(&mut self, id: &str) {
        self.0.retain(|(k, _)| k != id);
    }
}

/// All state of one survey, `Copy` so components take it from context freely.
///
/// # Usage
/// ```ignore
/// let state = SurveyState::new(questionnaire);
/// provide_context(state);
/// // in a child component:
/// let state = expect_context::<SurveyState>();
/// state.set_answer("sessions", Some(Answer::Number(4.0)));
/// ```
#[derive(Clone, Copy)]
pub struct SurveyState {
    pub questionnaire: StoredValue<Questionnaire>,
    pub answers: RwSignal<Answers>,
    /// Index into `questionnaire.sections`; `sections.len()` is the check page.
    pub page: RwSignal<usize>,
    /// Inline errors currently shown, by question id, and the error summary.
    pub errors: RwSignal<Errors>,
    /// Questions the student has left or changed: only these are checked as
    /// they go, so nobody is told off before they start.
    pub touched: RwSignal<Vec<String>>,
    /// The element (id) whose first control gets focus once the next page has
    /// rendered (instead of the page heading): "Change" and error-summary links.
    pub focus_after_render: StoredValue<Option<String>>,
    /// The language shown (a tag such as `cy`; empty until chosen), kept
    /// with the draft. The views are rebuilt when it changes.
    pub lang: RwSignal<String>,
}

impl SurveyState {
    pub fn new(questionnaire: Questionnaire) -> Self {
        Self {
            questionnaire: StoredValue::new(questionnaire),
            answers: RwSignal::new(Answers::new()),
            page: RwSignal::new(0),
            errors: RwSignal::new(Errors::default()),
            touched: RwSignal::new(Vec::new()),
            focus_after_render: StoredValue::new(None),
            lang: RwSignal::new(String::new()),
        }
    }

    /// Back to an empty questionnaire on its first page.
    pub fn reset(&self) {
        self.answers.set(Answers::new());
        self.errors.set(Errors::default());
        self.touched.set(Vec::new());
        self.go(0);
    }

    /// The check page's index.
    pub fn check_page(&self) -> usize {
        self.questionnaire.with_value(|q| q.sections.len())
    }

    /// Indices of the sections skip logic shows for the current answers.
    pub fn shown_sections(&self) -> Vec<usize> {
        self.answers.with(|a| {
            self.questionnaire
                .with_value(|q| q.sections.iter().enumerate().filter(|(_, s)| q.section_shown(s, a)).map(|(i, _)| i).collect())
        })
    }

    /// Whether a question is shown right now.
    pub fn is_shown(&self, id: &str) -> bool {
        self.answers.with(|a| self.questionnaire.with_value(|q| q.questions().any(|(s, qu)| qu.id == id && q.question_shown(s, qu, a))))
    }

    pub fn answer(&self, id: &str) -> Option<Answer> {
        self.answers.with(|a| a.get(id).cloned())
    }

    /// Stores (or clears, with `None`) one answer, and re-checks it when the
    /// student has already interacted with it.
    pub fn set_answer(&self, id: &str, answer: Option<Answer>) {
        self.answers.update(|a| match answer {
            Some(v) if !v.is_empty() => {
                a.insert(id.to_owned(), v);
            }
            // Rebuilt without it rather than `remove`d: a page's answers are
            // few, and removing from a BTreeMap links its rebalancing code
            // (about 3 KB of wasm) for this one call.
            _ if a.contains_key(id) => {
                *a = survey_core::answers::map_of(std::mem::take(a).into_iter().filter(|(k, _)| k != id));
            }
            _ => {}
        });
        if self.touched.with_untracked(|t| t.iter().any(|x| x == id)) {
            self.check(id);
        }
    }

    /// The student left a question: from now on it is checked as it changes.
    pub fn leave(&self, id: &str) {
        if self.touched.with_untracked(|t| t.iter().any(|x| x == id)) {
            return self.check(id);
        }
        self.touched.update(|t| t.push(id.to_owned()));
        // A first visit that leaves a field empty is not an error yet; Next
        // will say so. Anything typed is checked at once.
        if self.answer(id).is_some() {
            self.check(id);
        }
    }

    /// Checks one question and updates its inline error and the summary.
    pub fn check(&self, id: &str) {
        let result = self.questionnaire.with_value(|q| {
            q.question(id).map(|question| validate_question(question, self.answers.with_untracked(|a| a.get(id).cloned()).as_ref()))
        });
        let Some(result) = result else { return };
        self.errors.update(|e| match result {
            Ok(()) => {
                e.remove(id);
                // Keep the summary in step: a fixed field leaves it.
                e.1.retain(|f| f.question != id);
            }
            Err(err) => {
                e.insert(id.to_owned(), err);
            }
        });
    }

    /// Checks a whole section; shows every error inline and in the summary.
    /// Returns true when the section is complete.
    pub fn check_section(&self, index: usize) -> bool {
        let errs = self
            .questionnaire
            .with_value(|q| self.answers.with_untracked(|a| q.sections.get(index).map(|s| validate_section(q, s, a)).unwrap_or_default()));
        self.show_errors(errs)
    }

    /// Checks every shown section (before submitting).
    pub fn check_all(&self) -> bool {
        let errs = self.questionnaire.with_value(|q| {
            self.answers
                .with_untracked(|a| q.sections.iter().filter(|s| q.section_shown(s, a)).flat_map(|s| validate_section(q, s, a)).collect())
        });
        self.show_errors(errs)
    }

    fn show_errors(&self, errs: Vec<FieldError>) -> bool {
        self.touched.update(|t| {
            for e in &errs {
                if !t.contains(&e.question) {
                    t.push(e.question.clone());
                }
            }
        });
        let ok = errs.is_empty();
        self.errors.update(|e| {
            for f in &errs {
                e.insert(f.question.clone(), f.error.clone());
            }
            e.1 = errs;
        });
        ok
    }

    /// Moves to the next shown section (or the check page).
    pub fn next(&self) {
        let page = self.page.get_untracked();
        if !self.check_section(page) {
            return;
        }
        let next = self.shown_sections().into_iter().find(|i| *i > page).unwrap_or_else(|| self.check_page());
        self.go(next);
    }

    /// Moves to the previous shown section.
    pub fn back(&self) {
        let page = self.page.get_untracked();
        if let Some(prev) = self.shown_sections().into_iter().rev().find(|i| *i < page) {
            self.go(prev);
        }
    }

    pub fn go(&self, page: usize) {
        self.errors.update(|e| e.1.clear());
        self.page.set(page.min(self.check_page()));
    }

    /// Shows the page holding question `id` and moves focus to its first
    /// control, as GOV.UK error-summary and "Change" links do; for a grid with
    /// blank statements, to the first blank one.
    pub fn show_question(&self, id: &str) {
        let Some(section) = self.section_of(id) else { return };
        let target = self.target_of(id);
        if self.page.get_untracked() == section {
            crate::dom::focus_next_frame(move || crate::browser::focus_first_control(&target));
        } else {
            self.focus_after_render.set_value(Some(target));
            self.go(section);
        }
    }

    /// The element id a link to question `id` goes to: the question, or its
    /// first blank statement when a grid is incomplete.
    pub fn target_of(&self, id: &str) -> String {
        self.errors.with_untracked(|e| match e.get(id) {
            Some(ValidationError::Incomplete { missing }) if !missing.is_empty() => format!("q-{id}--{}", missing[0]),
            _ => format!("q-{id}"),
        })
    }

    /// Whether any question of section `page` shows an inline error.
    pub fn page_has_errors(&self, page: usize) -> bool {
        self.errors.with(|e| {
            self.questionnaire.with_value(|q| q.sections.get(page).is_some_and(|s| s.questions.iter().any(|qu| e.contains_key(&qu.id))))
        })
    }

    /// The question with this id, if any.
    pub fn question(&self, id: &str) -> Option<Question> {
        self.questionnaire.with_value(|q| q.question(id).cloned())
    }

    /// The section index holding a question.
    pub fn section_of(&self, id: &str) -> Option<usize> {
        self.questionnaire.with_value(|q| q.sections.iter().position(|s| s.questions.iter().any(|qu| qu.id == id)))
    }
}
