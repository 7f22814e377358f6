//! Cohort Survey: the Leptos renderer over `survey-core`.
//!
//! - [`app`] loads the run-time config and the questionnaire, then shows the
//!   survey or a friendly error page.
//! - `survey` holds the page flow (sections, Back/Next, check page).
//! - `fields` renders a question of any kind (one data-driven renderer).
//! - `dom` holds the few element builders every view is made of.
//! - `messages` turns survey-core's error codes into English, in one place.
//! - `load` and `browser` are the adapters to the outside world.

mod app;
pub mod browser;
pub mod dom;
pub mod drafts;
pub mod fields;
pub mod i18n;
pub mod load;
pub mod messages;
pub mod notice;
pub mod outbox;
pub mod prelude;
pub mod pwa;
pub mod state;
pub mod storage;
pub mod survey;

pub use app::app;
pub use fields::field;
pub use state::SurveyState;
pub use survey::survey;

/// Mounts the app into `<body>`; it replaces index.html's first screen
/// (`#boot`) once its own first page is ready. The app lives as long as the
/// page: its root owner is never dropped.
pub fn start() {
    let body = dom::document().body().expect("a <body>");
    std::mem::forget(dom::mount(&body, app));
}
