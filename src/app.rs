//! The top-level component: load, then survey or error page.

use crate::browser;
use crate::drafts::{use_drafts, Drafts, Notice};
use crate::storage::Store;
use crate::load::{load, LoadError, Loaded};
use crate::state::SurveyState;
use crate::survey::Survey;
use leptos::prelude::*;

/// The whole app. Loads `config.json` and the questionnaire it names.
#[component]
pub fn App() -> impl IntoView {
    // A plain signal filled by one task: the app loads once, and this costs
    // far less wasm than a resource.
    let loaded = RwSignal::new(None::<Result<Loaded, LoadError>>);
    leptos::task::spawn_local(async move {
        loaded.set(Some(load(browser::query_param("questionnaire")).await));
    });
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
    let drafts = use_drafts(state, Store::open());
    let sent = RwSignal::new(false);
    let on_submit = move |_| sent.set(true);
    view! {
        <Notices drafts=drafts state=state />
        <Show when=move || !sent.get() fallback=|| view! { <h1 class="title">"Thank you"</h1> }>
            <Survey state=state on_submit=on_submit />
            <StartAgain drafts=drafts state=state />
        </Show>
    }
}

/// Quiet notices about saved answers, at the top of the page.
#[component]
fn Notices(drafts: Drafts, state: SurveyState) -> impl IntoView {
    let download = move |_| {
        let draft = Drafts::current(state);
        browser::download("my-answers.json", &serde_json::to_string_pretty(&draft).unwrap_or_default());
    };
    move || {
        drafts
            .notices
            .get()
            .into_iter()
            .map(|n| {
                let (warning, text) = match &n {
                    Notice::Restored { when } => (false, format!("Your answers from {when} were restored.")),
                    Notice::Migrated { kept, dropped } => (
                        false,
                        match dropped {
                            0 => format!("The questionnaire has been updated. All {kept} of your answers were kept."),
                            d => format!(
                                "The questionnaire has been updated. {kept} of your answers were kept; {d} no longer fit a question and need answering again."
                            ),
                        },
                    ),
                    Notice::Quarantined => (
                        true,
                        "Your saved answers could not be read, so the questionnaire starts fresh. The unreadable copy is kept on this device.".into(),
                    ),
                    Notice::NotPersistent => (
                        true,
                        "This browser is not letting the page save your answers. They will be lost if you close or reload this page.".into(),
                    ),
                    Notice::QuotaFull => (
                        true,
                        "This device's storage is full, so your latest answers are not saved. Keep this page open, or download your answers.".into(),
                    ),
                    Notice::ChangedElsewhere => (false, "Your answers were updated from another tab.".into()),
                };
                let offer_download = matches!(n, Notice::QuotaFull | Notice::NotPersistent);
                let dismiss = move |_| drafts.dismiss(&n);
                view! {
                    <div class="notice" class:notice-warning=warning role="status">
                        <p>{text}</p>
                        {offer_download.then(|| view! {
                            <button type="button" class="button button-secondary" on:click=download>"Download my answers"</button>
                        })}
                        <button type="button" class="link-button" on:click=dismiss>"Dismiss"<span class="visually-hidden">" this message"</span></button>
                    </div>
                }
            })
            .collect_view()
    }
}

/// "Start again", behind a confirmation, because it deletes the answers on
/// this device.
#[component]
fn StartAgain(drafts: Drafts, state: SurveyState) -> impl IntoView {
    let asking = RwSignal::new(false);
    let confirm = move |_| {
        drafts.clear();
        state.reset();
        drafts.notices.set(Vec::new());
        asking.set(false);
    };
    view! {
        <div class="start-again">
            <Show when=move || asking.get() fallback=move || view! {
                <button type="button" class="link-button" on:click=move |_| asking.set(true)>"Start again"</button>
            }>
                <div class="notice notice-warning" role="alertdialog" aria-labelledby="start-again-q">
                    <p id="start-again-q">"Delete all your answers on this device and start again?"</p>
                    <div class="actions">
                        <button type="button" class="button" on:click=confirm>"Yes, delete my answers"</button>
                        <button type="button" class="button button-secondary" on:click=move |_| asking.set(false)>"Cancel"</button>
                    </div>
                </div>
            </Show>
        </div>
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
