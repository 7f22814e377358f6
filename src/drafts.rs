//! Drafts: every answer saved on the device as the student goes, restored on
//! the page they left, migrated to a new questionnaire version, and never
//! thrown away when something is wrong with storage.

use crate::browser;
use crate::prelude::*;
use crate::state::SurveyState;
use crate::storage::{Mirror, Store, StoreError};
use std::time::Duration;
use survey_core::draft::{restore as restore_answers, Draft};
use wasm_bindgen::JsCast;

/// All keys this app writes start with this.
pub const PREFIX: &str = "cohort-survey:";
/// Debounce for saving after a change.
pub const SAVE_DELAY: Duration = Duration::from_millis(500);

pub fn draft_key(questionnaire_id: &str) -> String {
    format!("{PREFIX}draft:{questionnaire_id}")
}

/// Where an unreadable draft is moved, never deleted.
pub fn quarantine_key(questionnaire_id: &str, now_ms: f64) -> String {
    format!("{PREFIX}quarantine:{questionnaire_id}:{}", now_ms as u64)
}

/// Something the student should know about their saved answers.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// Answers from an earlier sitting were restored ("from Tuesday").
    /// `when`: the draft's `saved_at`, said in the language shown.
    Restored { when: f64 },
    /// A new questionnaire version: how many answers were carried over.
    Migrated { kept: usize, dropped: usize },
    /// The saved draft could not be read; it was set aside under this key,
    /// kept, and can be downloaded as it was.
    Quarantined { key: String },
    /// The browser will not let the page store anything.
    NotPersistent,
    /// Storage is full: answers are only in this page until it is freed.
    QuotaFull,
    /// Another tab saved newer answers, now shown here.
    ChangedElsewhere,
    /// Send was pressed but the browser could not make a random id; the
    /// answers stay here and in the draft.
    NoAnonymousId,
}

/// Where the IndexedDB copy of the draft stands (see [`Mirror`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MirrorState {
    /// Opening it and comparing its copy with localStorage's.
    Opening,
    /// Compared (and restored from when newer); every save now goes to both.
    Ready,
    /// No usable IndexedDB: localStorage alone, as before.
    Unavailable,
}

/// The draft machinery of one survey.
#[derive(Clone, Copy)]
pub struct Drafts {
    store: StoredValue<Store, LocalStorage>,
    key: StoredValue<String>,
    pub notices: RwSignal<Vec<Notice>>,
    /// When the draft was last written (ms since epoch).
    pub saved_at: StoredValue<Option<f64>>,
    pending: StoredValue<Option<TimeoutHandle>>,
    /// Called after each successful save (the embed's `draft-saved` event).
    on_saved: StoredValue<Option<Callback<()>>>,
    /// The crash-safe copy, once open.
    mirror: StoredValue<Option<Mirror>, LocalStorage>,
    /// The latest draft text saved before the mirror had opened.
    queued: StoredValue<Option<String>>,
    /// Where the mirror is (tests wait on it). A stored value, not a signal:
    /// nothing follows it, and a signal type of its own cost wasm.
    pub mirror_state: StoredValue<MirrorState>,
}

impl Drafts {
    pub fn notify(&self, n: Notice) {
        self.notices.update(|v| {
            if !v.contains(&n) {
                v.push(n)
            }
        });
    }

    pub fn on_saved(&self, cb: Callback<()>) {
        self.on_saved.set_value(Some(cb));
    }

    /// A stored value as it is (for downloading a quarantined draft).
    pub fn raw(&self, key: &str) -> Option<String> {
        self.store.with_value(|s| s.get(key))
    }

    pub fn dismiss(&self, n: &Notice) {
        // Only when present: a write to the signal re-creates (and re-announces)
        // every notice, and each successful save dismisses QuotaFull.
        if self.notices.with_untracked(|v| v.contains(n)) {
            self.notices.update(|v| v.retain(|x| x != n));
        }
    }

    /// The draft as it stands now.
    pub fn current(state: SurveyState) -> Draft {
        let (id, version) = state.questionnaire.with_value(|q| (q.id.clone(), q.version.clone()));
        Draft {
            questionnaire_id: id,
            questionnaire_version: version,
            answers: state.answers.get_untracked(),
            page: state.page.get_untracked(),
            saved_at: js_sys::Date::now(),
            lang: Some(state.lang.get_untracked()).filter(|l| !l.is_empty()),
        }
    }

    /// Offers the current answers as a JSON file (storage full or blocked).
    pub fn download(state: SurveyState) {
        let json = Self::current(state).to_json().to_pretty();
        browser::download("my-answers.json", &json);
    }

    /// Saves now (cancelling a pending debounced save). Skips the write when
    /// storage already holds these answers and page, so two tabs do not
    /// echo each other's saves back and forth.
    pub fn save_now(&self, state: SurveyState) {
        if let Some(h) = self.pending.try_update_value(Option::take).flatten() {
            h.clear();
        }
        let draft = Self::current(state);
        let key = self.key.get_value();
        let stored = self.store.with_value(|s| s.get(&key));
        if let Some(old) = stored.as_deref().and_then(|s| Draft::from_json(s).ok()) {
            if old.answers == draft.answers && old.page == draft.page && old.lang == draft.lang {
                return;
            }
        }
        let perf = browser::Measure::start("draft-save");
        let json = draft.to_json().to_text();
        // Also when localStorage is full: IndexedDB has its own, larger quota.
        self.mirror_write(json.clone());
        match self.store.with_value(|s| s.set(&key, &json)) {
            Ok(()) => {
                perf.end();
                self.saved_at.set_value(Some(draft.saved_at));
                self.dismiss(&Notice::QuotaFull);
                if let Some(cb) = self.on_saved.get_value() {
                    cb.run(());
                }
            }
            Err(StoreError::Quota) => self.notify(Notice::QuotaFull),
            Err(StoreError::Failed(_)) => self.notify(Notice::NotPersistent),
        }
    }

    /// Deletes the draft: only on the student's explicit "Start again" or
    /// after the response is safely in the outbox.
    pub fn clear(&self) {
        self.store.with_value(|s| s.remove(&self.key.get_value()));
        self.saved_at.set_value(None);
        // An empty draft, not a delete: being newer than any copy left in
        // localStorage, it also says "cleared" to the next start-up.
        let qid = self.key.with_value(|k| k.trim_start_matches(&draft_key("")).to_owned());
        let empty = Draft {
            questionnaire_id: qid,
            questionnaire_version: String::new(),
            answers: Default::default(),
            page: 0,
            saved_at: js_sys::Date::now(),
            lang: None,
        };
        self.mirror_write(empty.to_json().to_text());
    }

    /// Writes the draft text to the IndexedDB copy (in order: IndexedDB runs
    /// read-write transactions on one store in the order they were made).
    fn mirror_write(&self, json: String) {
        match self.mirror.with_value(Clone::clone) {
            Some(mirror) => {
                let key = self.key.get_value();
                spawn_local(async move {
                    // Until `complete`: when this copy is on disk.
                    let perf = browser::Measure::start("draft-mirror");
                    if mirror.put(&key, &json).await.is_ok() {
                        perf.end();
                    }
                });
            }
            None if self.mirror_state.get_value() == MirrorState::Opening => self.queued.set_value(Some(json)),
            None => {}
        }
    }
}

/// Restores the draft into `state`, then keeps it saved: 500 ms after each
/// change, at once when the page is hidden or closed, and in step with other
/// tabs through the `storage` event.
///
/// # Usage
/// ```ignore
/// let state = SurveyState::new(questionnaire);
/// let drafts = use_drafts(state, Store::open());
/// view! { <Notices drafts /> }
/// ```
pub fn use_drafts(state: SurveyState, store: Store) -> Drafts {
    let qid = state.questionnaire.with_value(|q| q.id.clone());
    let key = draft_key(&qid);
    let persistent = store.is_persistent();
    let drafts = Drafts {
        store: StoredValue::new_local(store),
        key: StoredValue::new(key.clone()),
        notices: RwSignal::new(Vec::new()),
        saved_at: StoredValue::new(None),
        pending: StoredValue::new(None),
        on_saved: StoredValue::new(None),
        mirror: StoredValue::new_local(None),
        queued: StoredValue::new(None),
        mirror_state: StoredValue::new(if persistent { MirrorState::Opening } else { MirrorState::Unavailable }),
    };
    if !persistent {
        drafts.notify(Notice::NotPersistent);
    }
    restore(state, drafts, &qid, &key);
    if persistent {
        restore_from_mirror(state, drafts, qid.clone(), key.clone());
    }

    // Debounced save on every change of answers or page (not on the first
    // run, which is the restore itself).
    run_effect(move |first| {
        state.answers.track();
        state.page.track();
        state.lang.track();
        if first.is_none() {
            return 0;
        }
        if let Some(h) = drafts.pending.try_update_value(Option::take).flatten() {
            h.clear();
        }
        let handle = set_timeout_with_handle(move || drafts.save_now(state), SAVE_DELAY).ok();
        drafts.pending.set_value(handle);
        0
    });

    // Save at once when the student switches away or closes the page: a
    // phone may kill a hidden tab without warning.
    let flush = move || {
        if drafts.pending.with_value(Option::is_some) {
            drafts.save_now(state);
        }
    };
    let on_hide = window_event_listener("visibilitychange", move |_| {
        if document().visibility_state() == web_sys::VisibilityState::Hidden {
            flush();
        }
    });
    let on_pagehide = window_event_listener("pagehide", move |_| flush());

    // Another tab wrote this draft: take its answers when they are newer.
    let on_storage = window_event_listener("storage", move |ev| {
        let ev: web_sys::StorageEvent = ev.unchecked_into();
        if ev.key().as_deref() != Some(drafts.key.get_value().as_str()) {
            return;
        }
        let Some(d) = ev.new_value().and_then(|v| Draft::from_json(&v).ok()) else { return };
        if drafts.saved_at.get_value().is_some_and(|mine| mine >= d.saved_at) {
            return;
        }
        if d.answers != state.answers.get_untracked() {
            let m = state.questionnaire.with_value(|q| restore_answers(&d, q));
            state.answers.set(m.answers);
            drafts.saved_at.set_value(Some(d.saved_at));
            drafts.notify(Notice::ChangedElsewhere);
        }
    });

    // Ask the browser to keep our storage once the student has started.
    run_effect(move |asked| {
        if asked == Some(1) {
            return 1;
        }
        let started = state.answers.with(|a| !a.is_empty());
        if started {
            browser::request_persistent_storage();
        }
        usize::from(started)
    });

    on_cleanup(move || {
        on_hide.remove();
        on_pagehide.remove();
        on_storage.remove();
    });
    drafts
}

fn restore(state: SurveyState, drafts: Drafts, qid: &str, key: &str) {
    let Some(raw) = drafts.store.with_value(|s| s.get(key)) else { return };
    let draft = match Draft::from_json(&raw) {
        Ok(d) if d.questionnaire_id == qid => d,
        _ => {
            // Keep the bad value where it can be recovered, then start fresh.
            let aside = quarantine_key(qid, js_sys::Date::now());
            let moved = drafts.store.with_value(|s| s.set(&aside, &raw));
            // If it cannot be moved (storage full), it stays where it is.
            let key = if moved.is_ok() {
                drafts.store.with_value(|s| s.remove(key));
                aside
            } else {
                key.to_owned()
            };
            drafts.notify(Notice::Quarantined { key });
            return;
        }
    };
    apply(state, drafts, draft);
}

/// Puts a stored draft's answers (migrated when the version changed) on the
/// page it was left on, and says so.
fn apply(state: SurveyState, drafts: Drafts, draft: Draft) {
    let (version, m) = state.questionnaire.with_value(|q| (q.version.clone(), restore_answers(&draft, q)));
    if let Some(l) = &draft.lang {
        state.lang.set(l.clone());
    }
    if draft.questionnaire_version != version {
        drafts.notify(Notice::Migrated { kept: m.kept, dropped: m.dropped });
    }
    if m.answers.is_empty() {
        return;
    }
    state.answers.set(m.answers);
    state.page.set(draft.page.min(state.check_page()));
    drafts.saved_at.set_value(Some(draft.saved_at));
    drafts.notify(Notice::Restored { when: draft.saved_at });
}

/// Opens the IndexedDB copy and, when it holds a newer draft than the one
/// restored from localStorage (the browser was killed before localStorage
/// reached the disk), restores that one and writes it back to localStorage.
/// Anything unreadable there is ignored: localStorage's draft stands.
fn restore_from_mirror(state: SurveyState, drafts: Drafts, qid: String, key: String) {
    let restored = state.answers.get_untracked();
    let restored_at = drafts.saved_at.get_value();
    spawn_local(async move {
        let mirror = Mirror::open().await;
        let stored = match &mirror {
            Some(m) => m.get(&key).await,
            None => None,
        };
        if drafts.mirror_state.is_disposed() {
            return; // the survey is gone (unmounted) meanwhile
        }
        let Some(mirror) = mirror else {
            drafts.mirror_state.set_value(MirrorState::Unavailable);
            return;
        };
        drafts.mirror.set_value(Some(mirror));
        let queued = drafts.queued.try_update_value(Option::take).flatten();
        let newer = stored
            .as_deref()
            .and_then(|s| Draft::from_json(s).ok())
            .filter(|d| d.questionnaire_id == qid && !d.answers.is_empty() && restored_at.is_none_or(|t| d.saved_at > t));
        // Only while the student has changed nothing since start-up: never
        // replace what they are typing.
        let untouched = queued.is_none() && state.answers.with_untracked(|a| *a == restored);
        match newer {
            Some(d) if untouched => {
                drafts.notices.update(|v| v.retain(|n| !matches!(n, Notice::Restored { .. })));
                apply(state, drafts, d);
                drafts.save_now(state); // localStorage catches up
            }
            _ => {
                if let Some(json) = queued {
                    drafts.mirror_write(json);
                }
            }
        }
        drafts.mirror_state.set_value(MirrorState::Ready);
    });
}
