//! Framework-free core of Cohort Survey.
//!
//! Everything here is pure Rust with no browser or server dependency, so the
//! Leptos app and the reference receiver compile the same code and the host
//! runs its tests with plain `cargo test`.
//!
//! # Usage
//! ```
//! use survey_core::Questionnaire;
//! let q = Questionnaire::from_json(r#"{"id":"demo","version":"1","title":"Demo",
//!   "sections":[{"id":"s1","title":"One","questions":[
//!     {"id":"name","type":"short_text","text":"Your favourite colour"}]}]}"#).unwrap();
//! assert_eq!(q.sections[0].questions[0].id, "name");
//! ```

pub mod anon;
pub mod answers;
pub mod config;
pub mod draft;
pub mod i18n;
pub mod logic;
pub mod payload;
pub mod period;
pub mod retry;
pub mod schema;
pub mod submission;
pub mod text;
pub mod validate;

/// The JSON reader/writer, at its old path (it lives in the `cs-json` crate).
pub use cs_json as json;
/// Decimal <-> `f64` conversion, at its old path.
pub use cs_json::num;

pub use answers::{Answer, Answers};
pub use config::{Config, ConfigError};
pub use cs_json::StrMap;
pub use draft::{Draft, DraftError, Migration};
pub use schema::{Condition, Kind, Opt, Question, QuestionType, Questionnaire, SchemaError, Section, Statement, PREFER_NOT_TO_SAY};
pub use submission::Submission;
pub use text::Text;
pub use validate::{FieldError, ValidationError};
