//! Cohort Survey: the Leptos renderer over `survey-core`.
//!
//! - [`App`] loads the run-time config and the questionnaire, then shows the
//!   survey or a friendly error page.
//! - `survey` holds the page flow (sections, Back/Next, check page).
//! - `fields` renders one question of each kind.
//! - `messages` turns survey-core's error codes into English, in one place.
//! - `load` and `browser` are the adapters to the outside world.

mod app;
pub mod browser;
pub mod drafts;
pub mod fields;
pub mod load;
pub mod messages;
pub mod notice;
pub mod outbox;
pub mod pwa;
pub mod state;
pub mod storage;
mod survey;

pub use app::App;
pub use fields::Field;
pub use state::SurveyState;
pub use survey::Survey;
