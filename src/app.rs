//! The top-level component: load, then survey or error page.

use crate::browser;
use crate::drafts::{use_drafts, Drafts, Notice};
use crate::notice::{notice, notice_with, Action};
use crate::outbox::{use_outbox, Item, Outbox};
use crate::pwa;
use survey_core::payload::build_submission;
use survey_core::period::period;

/// Sent with every submission, so receivers can tell app versions apart.
pub const APP_VERSION: &str = env!("CARGO_PKG_VERSION");
use crate::dom::{el, frag, El};
use crate::fields::t;
use crate::load::{load, LoadError, Loaded};
use crate::state::SurveyState;
use crate::storage::Store;
use crate::survey::survey;
use leptos::prelude::*;

/// The whole app, mounted into `<body>`. Loads `config.json` and the
/// questionnaire it names, then shows the survey or the error page.
///
/// # Usage
/// ```ignore
/// let _owner = cohort_survey::mount_app(); // in main.rs
/// ```
pub fn app() -> El {
    browser::apply_look();
    // A plain signal filled by one task: the app loads once, and this costs
    // far less wasm than a resource.
    let loaded = RwSignal::new(None::<Result<Loaded, LoadError>>);
    leptos::task::spawn_local(async move {
        loaded.set(Some(load(browser::query_param("questionnaire"), browser::query_param("endpoint")).await));
    });
    // index.html's first screen (#boot) stays until the first page is built,
    // and goes in the same frame as that page comes: no blank, nothing moves.
    let boot = browser::boot_placeholder();
    let waiting = boot.is_none();
    el("main").id("main").class("page").region(move || match loaded.get() {
        None if waiting => el("p").class("loading").attr("role", "status").text("Loading the questionnaire…"),
        None => frag(),
        Some(result) => {
            let page = match result {
                Err(e) => error_page(e),
                Ok(l) => loaded_view(l),
            };
            if let Some(b) = &boot {
                b.remove();
            }
            page
        }
    })
}

fn loaded_view(loaded: Loaded) -> El {
    let Loaded { config, questionnaire, endpoint } = loaded;
    let store = Store::open();
    let state = SurveyState::new(questionnaire);
    let drafts = use_drafts(state, store.clone());
    let outbox = use_outbox(store);
    let detector = StoredValue::new(config.detector());

    // Embedding: talk only to parent origins the config allows.
    let origins = StoredValue::new(config.embed_origins.clone());
    let tell_parent = move |what: &'static str| origins.with_value(|o| pwa::post_to_parent(o, what, None));
    tell_parent("ready");
    pwa::watch_height(origins.get_value());
    drafts.on_saved(Callback::new(move |_| tell_parent("draft-saved")));
    outbox.on_synced(Callback::new(move |_| tell_parent("synced")));

    // A new version waits until the student chooses it (after saving the
    // draft) or comes back: never a reload in the middle of answering.
    let update_ready = RwSignal::new(false);
    pwa::register_service_worker(move || update_ready.set(true));
    let apply_update = move || {
        drafts.save_now(state);
        pwa::apply_update();
    };
    // The id of the response just submitted (never shown): shows the confirmation.
    let submitted = RwSignal::new(None::<String>);
    let failed = RwSignal::new(false);
    let on_submit = Callback::new(move |_: ()| {
        if submitted.get_untracked().is_some() {
            return; // a double tap makes one submission
        }
        let Ok(id) = browser::uuid_v4() else { return drafts.notify(Notice::NoAnonymousId) };
        let submission = state.questionnaire.with_value(|q| {
            detector.with_value(|d| {
                state.answers.with_untracked(|a| build_submission(q, a, d, id, period(config.period, js_sys::Date::now()), APP_VERSION))
            })
        });
        let item = Item {
            submission,
            request: config.request_mode(&endpoint),
            endpoint: endpoint.clone(),
            headers: config.headers.clone(),
            attempts: 0,
            next_at: 0.0,
            attention: None,
        };
        let id = item.submission.submission_id.clone();
        // Outbox first; only then is the draft cleared.
        match outbox.add(item) {
            Ok(()) => {
                drafts.clear();
                state.reset();
                drafts.notices.set(Vec::new());
                failed.set(false);
                submitted.set(Some(id));
                tell_parent("submitted");
                // Focus the confirmation's heading, so it is what is announced.
                request_animation_frame(|| browser::focus_id("confirmation-title"));
                outbox.flush(true);
            }
            Err(_) => failed.set(true),
        }
    });
    // "Your answers were restored" is said once: it goes when the student
    // moves to another page.
    Effect::new(move |prev: Option<usize>| {
        let page = state.page.get();
        if prev.is_some_and(|p| p != page) {
            drafts.notices.update(|v| v.retain(|n| !matches!(n, Notice::Restored { .. })));
        }
        page
    });
    let answering = Memo::new(move |_| submitted.with(Option::is_none));
    let title = state.questionnaire.with_value(|q| t(&q.title));
    frag()
        .show(
            move || update_ready.get(),
            move || {
                notice(
                    "notice",
                    "status",
                    "A new version of this questionnaire is ready. Your answers are kept.".into(),
                    vec![Action::button("Use the new version", apply_update)],
                )
            },
        )
        .region(move || notices(drafts, state))
        .child(outbox_status(outbox, submitted))
        .show(
            move || failed.get(),
            move || {
                notice("notice notice-warning", "alert",
                    "Your answers could not be stored for sending because this device's storage is full or blocked. They are still on this page: download them, or free some space and press Send again.".into(),
                    vec![Action::button("Download my answers", move || Drafts::download(state))])
            },
        )
        .region(move || {
            if answering.get() {
                frag().child(survey(state, on_submit, Some(detector))).child(start_again(drafts, state))
            } else {
                confirmation(outbox, submitted, &title)
            }
        })
}

/// After Send: thanks, and one plain statement of where the answers are:
/// sent, waiting (offline, or the server not answering), or not accepted.
/// No receipt code: the submission id is in every export, so a code derived
/// from it would let a student who quotes it be linked to their answers.
fn confirmation(outbox: Outbox, submitted: RwSignal<Option<String>>, title: &str) -> El {
    let online = use_online();
    browser::set_title(&format!("Thank you - {title}"));
    let item = move || {
        let id = submitted.get().unwrap_or_default();
        outbox.items.with(|v| v.iter().find(|i| i.submission.submission_id == id).cloned())
    };
    let sent = move || submitted.with(|id| id.as_ref().is_some_and(|id| outbox.sent.with(|s| s.contains(id))));
    // Memos, so a retry that only counts an attempt neither re-creates nor
    // re-announces the status.
    let text = Memo::new(move |_| {
        if sent() {
            return "Your answers have been sent to the programme team.";
        }
        match item() {
            Some(Item { attention: Some(_), .. }) => "The survey could not accept your answers. They are kept on this device, and you can download a copy for yourself. If this keeps happening, tell your programme team that the survey is not accepting answers, but do not send your answers to anyone: that would show who wrote them.",
            Some(_) if !online.get() => "You are offline. Your answers are saved on this device and will be sent automatically when you are back online, even if you close this page now.",
            Some(i) if i.attempts > 0 => "The survey server is not available at the moment. Your answers are saved on this device and will be sent automatically, even if you close this page now.",
            _ => "Sending your answers… They are saved on this device and will be sent automatically, even if you close this page now.",
        }
    });
    let details = Memo::new(move |_| match item() {
        _ if sent() => None,
        Some(Item { attention: Some((status, why)), .. }) => Some(format!("The endpoint answered {status}: {why}")),
        Some(i) if i.attempts > 0 && !online.get() => Some(format!("{} attempts so far; the browser reports no network.", i.attempts)),
        Some(i) if i.attempts > 0 => {
            Some(format!("{} attempts so far; the endpoint did not answer or answered with a temporary error.", i.attempts))
        }
        _ => None,
    });
    let refused = Memo::new(move |_| item().filter(|i| i.attention.is_some()).map(|i| i.submission.to_json().to_pretty()));
    let waiting = Memo::new(move |_| !sent() && item().is_some_and(|i| i.attention.is_none()));
    let action = |label: &str, f: Box<dyn Fn()>| {
        el("div")
            .class("actions")
            .child(el("button").attr("type", "button").class("button button-secondary").text(label).on("click", move |_| f()))
    };
    frag()
        .child(el("h1").class("title").id("confirmation-title").attr("tabindex", "-1").text("Thank you"))
        .child(el("p").text("Your answers are anonymous: they carry no name, no account and nothing about this device."))
        .child(el("p").class("send-status").attr("role", "status").dyn_text(move || text.get().to_owned()))
        .region(move || details.get().map(|d| crate::notice::for_it(&d)).unwrap_or_else(frag))
        // Waiting: the student can ask for a try now (back in signal), and the
        // automatic retries go on regardless.
        .show(move || waiting.get(), move || action("Send now", Box::new(move || outbox.flush(true))))
        .region(move || {
            refused
                .get()
                .map(|json| action("Download my response", Box::new(move || browser::download("cohort-survey-response.json", &json))))
                .unwrap_or_else(frag)
        })
}

/// Whether the browser reports a network (`navigator.onLine`), following the
/// `online`/`offline` events.
fn use_online() -> ReadSignal<bool> {
    let now = || web_sys::window().map(|w| w.navigator().on_line()).unwrap_or(true);
    let (online, set_online) = signal(now());
    let on = window_event_listener(leptos::ev::online, move |_| set_online.set(true));
    let off = window_event_listener(leptos::ev::offline, move |_| set_online.set(false));
    on_cleanup(move || {
        on.remove();
        off.remove();
    });
    online
}

/// What waits in the outbox, and what needs attention, with the actions.
/// `except` is the response the confirmation is showing: its state is said
/// there, once.
fn outbox_status(outbox: Outbox, except: RwSignal<Option<String>>) -> El {
    let other = move |i: &Item| except.with(|e| e.as_deref() != Some(i.submission.submission_id.as_str()));
    // A memo, so a retry that only updates an item's attempt count does not
    // re-create the notice: its button stays put and it is not re-announced.
    let pending = Memo::new(move |_| outbox.items.with(|v| v.iter().filter(|i| i.attention.is_none() && other(i)).count()));
    let waiting = move || {
        let n = pending.get();
        if n == 0 {
            return frag();
        }
        let text = if n == 1 {
            "1 response waiting to send - it will go automatically when you are back online.".to_owned()
        } else {
            format!("{n} responses waiting to send - they will go automatically when you are back online.")
        };
        notice("notice outbox", "status", text, vec![Action::button("Send now", move || outbox.flush(true))])
    };
    // Never "email it to someone": that would reveal who wrote it. The answers
    // stay here and can be downloaded; the technical reason is for IT staff.
    let attention = move || {
        frag().children(
            outbox
                .items
                .get()
                .into_iter()
                .filter(other)
                .filter_map(|i| {
                    let (status, why) = i.attention.clone()?;
                    let json = i.submission.to_json().to_pretty();
                    Some(notice_with(
                        "notice notice-warning outbox-attention",
                        "alert",
                        "A response on this device was not accepted by the survey. It is kept here, and you can download a copy for yourself. Please do not send it to anyone: that would show who wrote it.".into(),
                        vec![Action::button("Download my response", move || browser::download("cohort-survey-response.json", &json))],
                        Some(format!("The endpoint answered {status}: {why}")),
                    ))
                })
                .collect(),
        )
    };
    let unreadable = move || {
        frag().children(
            outbox
                .unreadable
                .get()
                .into_iter()
                .map(|raw| {
                    notice(
                        "notice notice-warning outbox-unreadable",
                        "alert",
                        "A response saved on this device for sending could not be read, so it cannot be sent. It is kept here, and you can download it.".into(),
                        vec![Action::button("Download the unreadable response", move || browser::download("unreadable-response.txt", &raw))],
                    )
                })
                .collect(),
        )
    };
    // The storage lost a waiting response and it could not be written back;
    // or the browser refused persistent storage (said once per device).
    let storage = move || {
        let ids = outbox.unsaved.get();
        let mut notices: Vec<El> = outbox
            .items
            .get()
            .into_iter()
            .filter(|i| ids.contains(&i.submission.submission_id))
            .map(|i| {
                let json = i.submission.to_json().to_pretty();
                notice("notice notice-warning outbox-unsaved", "alert",
                    "A response waiting to be sent could not be kept on this device: its storage was cleared and cannot be written to now. It will still be sent while this page stays open. Download a copy for yourself in case the page is closed first.".into(),
                    vec![Action::button("Download my response", move || browser::download("cohort-survey-response.json", &json))])
            })
            .collect();
        if outbox.not_persistent.get() && outbox.pending() > 0 {
            notices.push(notice("notice outbox-not-persistent", "status",
                "Until your answers are sent, they live only on this device, and this browser may clear them to free space. Keep this page's data until they have gone.".into(),
                vec![Action::dismiss(move || outbox.not_persistent.set(false))]));
        }
        frag().children(notices)
    };
    frag().region(waiting).region(storage).region(attention).region(unreadable)
}

/// Quiet notices about saved answers, at the top of the page.
fn notices(drafts: Drafts, state: SurveyState) -> El {
    let download = move || Drafts::download(state);
    frag().children(
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
                    Notice::Quarantined { .. } => (
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
                    Notice::NoAnonymousId => (true, "This browser cannot make an anonymous id for your response, so it has not been sent. Your answers are kept on this device, and you can download them.".into()),
                };
                let mut actions = Vec::new();
                // Inside an iframe, storage may be partitioned or blocked: the
                // app's own tab usually has working storage.
                if matches!(n, Notice::NotPersistent) && pwa::in_frame() {
                    actions.push(Action::new_tab("Open in a new tab", browser::own_url()));
                }
                // The unreadable copy, exactly as stored, for the programme team.
                if let Notice::Quarantined { key } = &n {
                    if let Some(raw) = drafts.raw(key) {
                        actions.push(Action::button("Download the unreadable copy", move || browser::download("unreadable-answers.txt", &raw)));
                    }
                }
                if matches!(n, Notice::QuotaFull | Notice::NotPersistent | Notice::NoAnonymousId) {
                    actions.push(Action::button("Download my answers", download));
                }
                actions.push(Action::dismiss(move || drafts.dismiss(&n)));
                notice(if warning { "notice notice-warning" } else { "notice" }, "status", text, actions)
            })
            .collect(),
    )
}

/// "Start again", behind a confirmation, because it deletes the answers on
/// this device.
fn start_again(drafts: Drafts, state: SurveyState) -> El {
    let asking = RwSignal::new(false);
    let asking_memo = Memo::new(move |_| asking.get());
    // Focus follows the dialog: into it when it opens, to the first page's
    // heading after deleting, back to "Start again" on Cancel.
    let ask = move |_| {
        asking.set(true);
        request_animation_frame(|| browser::focus_id("start-again-dialog"));
    };
    let confirm = move |_| {
        drafts.clear();
        state.reset();
        drafts.notices.set(Vec::new());
        asking.set(false);
        request_animation_frame(|| browser::focus_id("page-title"));
    };
    let cancel = move |_| {
        asking.set(false);
        request_animation_frame(|| browser::focus_id("start-again-button"));
    };
    let button = |class: &str, label: &str| el("button").attr("type", "button").class(class).text(label);
    el("div").class("start-again").region(move || {
        if asking_memo.get() {
            el("div")
                .class("notice notice-warning")
                .id("start-again-dialog")
                .attr("tabindex", "-1")
                .attr("role", "alertdialog")
                .attr("aria-labelledby", "start-again-q")
                .child(el("p").id("start-again-q").text("Delete all your answers on this device and start again?"))
                .child(
                    el("div")
                        .class("actions")
                        .child(button("button button-warning", "Yes, delete my answers").on("click", confirm))
                        .child(button("button button-secondary", "Cancel").on("click", cancel)),
                )
        } else {
            button("link-button", "Start again").id("start-again-button").on("click", ask)
        }
    })
}

/// Shown when the config or the questionnaire cannot be used. Says what went
/// wrong in plain words, with the technical detail for IT below.
pub fn error_page(error: LoadError) -> El {
    browser::set_title("Error: Sorry, the questionnaire cannot be opened");
    let why = match error {
        LoadError::Refused(_) => "This link asks to send your answers somewhere this survey does not allow, so it was stopped. Please use the link from your programme team.",
        LoadError::Fetch { .. } => "It could not be loaded. If you have no signal, try again when you are back online.",
        _ => "The questionnaire file has a mistake in it. Please tell the programme team; it is not something you did.",
    };
    el("div")
        .class("error-page")
        .attr("role", "alert")
        .child(el("h1").class("title").text("Sorry, the questionnaire cannot be opened"))
        .child(el("p").text(why))
        .child(el("p").text("Any answers you have already given on this device are kept."))
        .child(
            el("details")
                .child(el("summary").text("Technical details for the programme team"))
                .child(el("p").class("technical").text(&error.to_string())),
        )
}
