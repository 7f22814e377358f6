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
use crate::i18n::{self, tr, trf};
use crate::load::{load, LoadError, Loaded};
use crate::prelude::*;
use crate::state::SurveyState;
use crate::storage::Store;
use crate::survey::survey;
use survey_core::i18n::{choose, Lang, Msg};

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
    spawn_local(async move {
        let result = load(browser::query_param("questionnaire"), browser::query_param("endpoint")).await;
        // Reading and checking the questionnaire, then building the first
        // page: two tasks, not one long one.
        next_task().await;
        loaded.set(Some(result));
    });
    // index.html's first screen (#boot) stays until the first page is built,
    // and goes in the same frame as that page comes: no blank, nothing moves.
    let boot = browser::boot_placeholder();
    let waiting = boot.is_none();
    el("main").id("main").class("page").region(move || match loaded.get() {
        None if waiting => el("p").class("loading").attr("role", "status").text(&tr(Msg::Loading)),
        None => frag(),
        Some(result) => {
            let page = match result {
                Err(e) => {
                    // No questionnaire to say which languages it offers: any
                    // language the interface has, by ?lang= or the browser.
                    let all: Vec<String> = Lang::ALL.iter().filter(|l| !l.is_pseudo()).map(|l| l.tag().to_owned()).collect();
                    i18n::set(&choose(browser::query_param("lang").as_deref(), None, &i18n::browser_languages(), &all, "en"));
                    error_page(e)
                }
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
    // The language: ?lang=, else the one kept with the draft, else the
    // browser's, else the questionnaire's default.
    let stored = Some(state.lang.get_untracked()).filter(|l| !l.is_empty());
    let chosen = state.questionnaire.with_value(|q| {
        choose(browser::query_param("lang").as_deref(), stored.as_deref(), &i18n::browser_languages(), &q.languages, &q.default_language)
    });
    state.lang.set(chosen);
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
    // Empty until then. A String, not an Option: `RwSignal<String>` is a
    // type the app links already (ids are never empty).
    let submitted = RwSignal::new(String::new());
    let failed = RwSignal::new(false);
    let on_submit = Callback::new(move |_: ()| {
        if submitted.with_untracked(|s| !s.is_empty()) {
            return; // a double tap makes one submission
        }
        let Ok(id) = browser::uuid_v4() else { return drafts.notify(Notice::NoAnonymousId) };
        let submission = state.questionnaire.with_value(|q| {
            detector.with_value(|d| {
                state.answers.with_untracked(|a| {
                    let lang = state.lang.get_untracked();
                    build_submission(q, a, d, id, period(config.period, js_sys::Date::now()), APP_VERSION, config.language_to_record(&lang))
                })
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
                submitted.set(id);
                tell_parent("submitted");
                // Focus the confirmation's heading, so it is what is announced.
                crate::dom::focus_later("confirmation-title");
                outbox.flush(true);
            }
            Err(_) => failed.set(true),
        }
    });
    // "Your answers were restored" is said once: it goes when the student
    // moves to another page.
    run_effect(move |prev| {
        let page = state.page.get();
        if prev.is_some_and(|p| p != page) {
            drafts.notices.update(|v| v.retain(|n| !matches!(n, Notice::Restored { .. })));
        }
        page
    });
    let answering = Memo::new(move |_| submitted.with(String::is_empty));
    // Everything shown is rebuilt in the new language when it changes; the
    // answers, the page and the outbox are signals outside, so they stay.
    frag().region(move || {
        i18n::set(&state.lang.get());
        let title = state.questionnaire.with_value(|q| t(&q.title));
        frag()
            .child(language_switch(state))
            .show(
                move || update_ready.get(),
                move || notice("notice", "status", tr(Msg::UpdateReady), vec![Action::button(tr(Msg::UseNewVersion), apply_update)]),
            )
            .region(move || notices(drafts, state))
            .child(outbox_status(outbox, submitted))
            .show(
                move || failed.get(),
                move || {
                    notice(
                        "notice notice-warning",
                        "alert",
                        tr(Msg::OutboxStoreFailed),
                        vec![Action::button(tr(Msg::DownloadMyAnswers), move || Drafts::download(state))],
                    )
                },
            )
            .region(move || {
                if answering.get() {
                    frag().child(survey(state, on_submit, Some(detector))).child(start_again(drafts, state))
                } else {
                    confirmation(outbox, submitted, &title)
                }
            })
    })
}

/// The language switch, on every page: a link per other language the
/// questionnaire offers, named in its own language (with `lang` set, so a
/// screen reader says it right). A link, so it also works as `?lang=`; a
/// click switches in place, keeping every answer and the page, and puts the
/// choice in the address so a reload keeps it too.
fn language_switch(state: SurveyState) -> El {
    let (offered, current) = (state.questionnaire.with_value(|q| q.languages.clone()), state.lang.get_untracked());
    let others: Vec<String> = offered.into_iter().filter(|l| *l != current).collect();
    if others.is_empty() {
        return frag();
    }
    let mut list = el("ul").class("language-switch-list");
    for tag in others {
        let name = Lang::from_tag(&tag).filter(|l| !l.is_pseudo()).map_or(tag.clone(), |l| l.name_in_itself().to_owned());
        let href = browser::url_with_param("lang", &tag);
        let chosen = tag.clone();
        let link =
            el("a").attr("href", &href).attr("lang", &tag).attr("hreflang", &tag).id(&format!("language-{tag}")).text(&name).on_click(
                move || {
                    browser::replace_url(&browser::url_with_param("lang", &chosen));
                    state.lang.set(chosen.clone());
                    // The switch is built again: focus goes back to it.
                    crate::dom::focus_later("language-switch");
                },
            );
        list = list.child(el("li").child(link));
    }
    el("nav").class("language-switch").id("language-switch").attr("tabindex", "-1").attr("aria-label", &tr(Msg::Language)).child(list)
}

/// After Send: thanks, and one plain statement of where the answers are:
/// sent, waiting (offline, or the server not answering), or not accepted.
/// No receipt code: the submission id is in every export, so a code derived
/// from it would let a student who quotes it be linked to their answers.
fn confirmation(outbox: Outbox, submitted: RwSignal<String>, title: &str) -> El {
    let online = use_online();
    browser::set_title(&format!("{} - {title}", tr(Msg::ThankYou)));
    let item = move || {
        let id = submitted.get();
        outbox.items.with(|v| v.iter().find(|i| i.submission.submission_id == id).cloned())
    };
    let sent = move || submitted.with(|id| !id.is_empty() && outbox.sent.with(|s| s.contains(id)));
    // Memos, so a retry that only counts an attempt neither re-creates nor
    // re-announces the status. (Of the words, not the `Msg`: the app's other
    // memos hold `Option<String>`, and each memo type is its own wasm code.)
    let text = Memo::new(move |_| {
        let msg = if sent() {
            Msg::Sent
        } else {
            match item() {
                Some(Item { attention: Some(_), .. }) => Msg::NotAccepted,
                Some(_) if !online.get() => Msg::Offline,
                Some(i) if i.attempts > 0 => Msg::ServerDown,
                _ => Msg::Sending,
            }
        };
        Some(tr(msg))
    });
    let details = Memo::new(move |_| match item() {
        _ if sent() => None,
        Some(Item { attention: Some((status, why)), .. }) => Some(endpoint_answered(status, &why)),
        Some(i) if i.attempts > 0 && !online.get() => Some(trf(Msg::AttemptsOffline, &[("n", &i.attempts.to_string())])),
        Some(i) if i.attempts > 0 => Some(trf(Msg::AttemptsTemporary, &[("n", &i.attempts.to_string())])),
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
        .child(el("h1").class("title").id("confirmation-title").attr("tabindex", "-1").text(&tr(Msg::ThankYou)))
        .child(el("p").text(&tr(Msg::Anonymous)))
        .child(el("p").class("send-status").attr("role", "status").dyn_text(move || text.get().unwrap_or_default()))
        .region(move || details.get().map(|d| crate::notice::for_it(&d)).unwrap_or_else(frag))
        // Waiting: the student can ask for a try now (back in signal), and the
        // automatic retries go on regardless.
        .show(move || waiting.get(), move || action(&tr(Msg::SendNow), Box::new(move || outbox.flush(true))))
        .region(move || {
            refused
                .get()
                .map(|json| action(&tr(Msg::DownloadMyResponse), Box::new(move || browser::download("cohort-survey-response.json", &json))))
                .unwrap_or_else(frag)
        })
}

/// "The endpoint answered 422: ...", for IT staff.
fn endpoint_answered(status: u16, why: &str) -> String {
    trf(Msg::EndpointAnswered, &[("status", &status.to_string()), ("why", why)])
}

/// Whether the browser reports a network (`navigator.onLine`), following the
/// `online`/`offline` events.
/// (An `RwSignal`, not a `signal()` pair: the app's other flags are `RwSignal<bool>`,
/// and each signal type is its own code in the wasm.)
fn use_online() -> RwSignal<bool> {
    let now = || web_sys::window().map(|w| w.navigator().on_line()).unwrap_or(true);
    let online = RwSignal::new(now());
    let on = window_event_listener("online", move |_| online.set(true));
    let off = window_event_listener("offline", move |_| online.set(false));
    on_cleanup(move || {
        on.remove();
        off.remove();
    });
    online
}

/// What waits in the outbox, and what needs attention, with the actions.
/// `except` is the response the confirmation is showing: its state is said
/// there, once.
fn outbox_status(outbox: Outbox, except: RwSignal<String>) -> El {
    let other = move |i: &Item| except.with(|e| *e != i.submission.submission_id);
    // A memo (of the words, one per count), so a retry that only updates an
    // item's attempt count does not re-create the notice: its button stays
    // put and it is not re-announced.
    let pending = Memo::new(move |_| {
        let n = outbox.items.with(|v| v.iter().filter(|i| i.attention.is_none() && other(i)).count());
        (n > 0).then(|| if n == 1 { tr(Msg::WaitingOne) } else { trf(Msg::WaitingMany, &[("n", &n.to_string())]) })
    });
    let waiting = move || match pending.get() {
        None => frag(),
        Some(text) => notice("notice outbox", "status", text, vec![Action::button(tr(Msg::SendNow), move || outbox.flush(true))]),
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
                        tr(Msg::OutboxAttention),
                        vec![Action::button(tr(Msg::DownloadMyResponse), move || browser::download("cohort-survey-response.json", &json))],
                        Some(endpoint_answered(status, &why)),
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
                        tr(Msg::OutboxUnreadable),
                        vec![Action::button(tr(Msg::DownloadUnreadableResponse), move || {
                            browser::download("unreadable-response.txt", &raw)
                        })],
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
                notice(
                    "notice notice-warning outbox-unsaved",
                    "alert",
                    tr(Msg::OutboxNotKept),
                    vec![Action::button(tr(Msg::DownloadMyResponse), move || browser::download("cohort-survey-response.json", &json))],
                )
            })
            .collect();
        if outbox.not_persistent.get() && outbox.pending() > 0 {
            notices.push(notice(
                "notice outbox-not-persistent",
                "status",
                tr(Msg::StorageMayClear),
                vec![Action::dismiss(move || outbox.not_persistent.set(false))],
            ));
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
                    Notice::Restored { when } => (false, trf(Msg::Restored, &[("when", &browser::day_name(*when))])),
                    Notice::Migrated { kept, dropped } => (
                        false,
                        match dropped {
                            0 => trf(Msg::UpdatedAllKept, &[("kept", &kept.to_string())]),
                            d => trf(Msg::UpdatedSomeLost, &[("kept", &kept.to_string()), ("dropped", &d.to_string())]),
                        },
                    ),
                    Notice::Quarantined { .. } => (true, tr(Msg::DraftUnreadable)),
                    Notice::NotPersistent => (true, tr(Msg::StorageBlocked)),
                    Notice::QuotaFull => (true, tr(Msg::StorageFull)),
                    Notice::ChangedElsewhere => (false, tr(Msg::ChangedElsewhere)),
                    Notice::NoAnonymousId => (true, tr(Msg::NoAnonymousId)),
                };
                let mut actions = Vec::new();
                // Inside an iframe, storage may be partitioned or blocked: the
                // app's own tab usually has working storage.
                if matches!(n, Notice::NotPersistent) && pwa::in_frame() {
                    actions.push(Action::new_tab(tr(Msg::OpenNewTab), browser::own_url()));
                }
                // The unreadable copy, exactly as stored, for the programme team.
                if let Notice::Quarantined { key } = &n {
                    if let Some(raw) = drafts.raw(key) {
                        actions.push(Action::button(tr(Msg::DownloadUnreadableCopy), move || {
                            browser::download("unreadable-answers.txt", &raw)
                        }));
                    }
                }
                if matches!(n, Notice::QuotaFull | Notice::NotPersistent | Notice::NoAnonymousId) {
                    actions.push(Action::button(tr(Msg::DownloadMyAnswers), download));
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
        crate::dom::focus_later("start-again-dialog");
    };
    let confirm = move |_| {
        drafts.clear();
        state.reset();
        drafts.notices.set(Vec::new());
        asking.set(false);
        crate::dom::focus_later("page-title");
    };
    let cancel = move |_| {
        asking.set(false);
        crate::dom::focus_later("start-again-button");
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
                .child(el("p").id("start-again-q").text(&tr(Msg::StartAgainQuestion)))
                .child(
                    el("div")
                        .class("actions")
                        .child(button("button button-warning", &tr(Msg::YesDelete)).on("click", confirm))
                        .child(button("button button-secondary", &tr(Msg::Cancel)).on("click", cancel)),
                )
        } else {
            button("link-button", &tr(Msg::StartAgain)).id("start-again-button").on("click", ask)
        }
    })
}

/// Shown when the config or the questionnaire cannot be used. Says what went
/// wrong in plain words, with the technical detail for IT below.
pub fn error_page(error: LoadError) -> El {
    browser::set_title(&format!("{}{}", tr(Msg::ErrorPrefix), tr(Msg::CannotOpen)));
    let why = match error {
        LoadError::Refused(_) => Msg::ErrRefused,
        LoadError::Fetch { .. } => Msg::ErrOffline,
        _ => Msg::ErrFile,
    };
    el("div")
        .class("error-page")
        .attr("role", "alert")
        .child(el("h1").class("title").text(&tr(Msg::CannotOpen)))
        .child(el("p").text(&tr(why)))
        .child(el("p").text(&tr(Msg::ErrAnswersKept)))
        .child(
            el("details").child(el("summary").text(&tr(Msg::TechnicalDetails))).child(el("p").class("technical").text(&error.to_string())),
        )
}
