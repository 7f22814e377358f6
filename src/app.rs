//! The top-level component: load, then survey or error page.

use crate::browser;
use crate::load::{load, LoadError, Loaded};
use crate::state::SurveyState;
use crate::survey::Survey;
use leptos::prelude::*;

/// The whole app. Loads `config.json` and the questionnaire it names.
#[component]
pub fn App() -> impl IntoView {
    let loaded = LocalResource::new(|| load(browser::query_param("questionnaire")));
    let body = move || match loaded.get() {
        None => view! { <p class="loading" role="status">"Loading the questionnaire…"</p> }.into_any(),
        Some(Err(e)) => view! { <ErrorPage error=e /> }.into_any(),
        Some(Ok(l)) => view! { <Loaded loaded=l /> }.into_any(),
    };
    view! { <main id="main" class="page">{body}</main> }
}

#[component]
fn Loaded(loaded: Loaded) -> impl IntoView {
    let state = SurveyState::new(loaded.questionnaire);
    let sent = RwSignal::new(false);
    let on_submit = move |_| sent.set(true);
    view! {
        <Show when=move || !sent.get() fallback=|| view! { <h1 class="title">"Thank you"</h1> }>
            <Survey state=state on_submit=on_submit />
        </Show>
    }
}

/// Shown when the config or the questionnaire cannot be used. Says what went
/// wrong in plain words, with the technical detail for IT below.
#[component]
pub fn ErrorPage(error: LoadError) -> impl IntoView {
    let offline = matches!(error, LoadError::Fetch { .. });
    view! {
        <div class="error-page" role="alert">
            <h1 class="title">"Sorry, the questionnaire cannot be opened"</h1>
            {if offline {
                view! { <p>"It could not be loaded. If you have no signal, try again when you are back online."</p> }.into_any()
            } else {
                view! { <p>"The questionnaire file has a mistake in it. Please tell the programme team; it is not something you did."</p> }.into_any()
            }}
            <p>"Any answers you have already given on this device are kept."</p>
            <details>
                <summary>"Technical details for the programme team"</summary>
                <p class="technical">{error.to_string()}</p>
            </details>
        </div>
    }
}
