//! The outbox: a submitted response is written to localStorage first and sent
//! from there, so no network, a closed tab or a server error never loses it.
//!
//! Each response has its own key (`cohort-survey:outbox:<id>`), so a broken
//! entry cannot take others with it and two tabs never rewrite one list. The
//! receiver de-duplicates by submission id, which makes retries exactly-once.
//!
//! A delivered item leaves a small marker (`cohort-survey:delivered:<id>`),
//! so a tab can tell "another tab sent it" from "the storage lost it" (a
//! browser eviction, a cleanup tool): the first is dropped, the second is
//! written back from memory and still sent.

use crate::prelude::*;
use crate::storage::{Store, StoreError};
use std::time::Duration;
use survey_core::config::RequestMode;
use survey_core::json::{self, obj, Fields, Json, Shape, StrMap};
use survey_core::retry::{Answer, Outcome, RetryPolicy};
use survey_core::Submission;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

const KEY_PREFIX: &str = "cohort-survey:outbox:";
/// Marks an id delivered (value: when, ms), so other tabs drop their copy
/// rather than write it back. Pruned after [`DELIVERED_KEEP_MS`].
const DELIVERED_PREFIX: &str = "cohort-survey:delivered:";
const DELIVERED_KEEP_MS: f64 = 30.0 * 86_400_000.0;
/// Set once the student has been told that storage is not persistent.
const TOLD_NOT_PERSISTENT: &str = "cohort-survey:told-not-persistent";
/// How often pending items are looked at while any wait.
const TICK: Duration = Duration::from_secs(3);
/// A send that has not finished by then is aborted and retried like a
/// network failure, so a hung endpoint never holds the outbox lock. Far above
/// a healthy endpoint's answer (an Apps Script web app takes 1-3 s).
pub const SEND_TIMEOUT: Duration = Duration::from_secs(20);

/// One response waiting to be sent (or needing attention).
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub submission: Submission,
    pub endpoint: String,
    /// How to send to `endpoint` (config.json's mode for it when submitted).
    pub request: RequestMode,
    pub headers: StrMap,
    pub attempts: u32,
    /// Not before this time (ms since epoch); stays on the device.
    pub next_at: f64,
    /// Set when the endpoint refused it for good: status and its reason.
    pub attention: Option<(u16, String)>,
}

impl Item {
    /// Reads a stored item; `attention` is `[status, reason]` or null.
    pub fn from_json(text: &str) -> Shape<Item> {
        let v = json::parse(text)?;
        let mut f = Fields::new(&v, "")?;
        // The first field read returns at once; the others keep a failure
        // for `done` (no Default for a submission).
        let submission = f.req_with("submission", Submission::read)?;
        let item = Item {
            submission,
            endpoint: f.take("endpoint", Json::str),
            // Items stored before modes existed were all JSON.
            request: f.take_opt("request", RequestMode::from_json).unwrap_or_default(),
            headers: f.take_opt("headers", Json::string_map).unwrap_or_default(),
            attempts: f.take("attempts", Json::u32),
            next_at: f.take("next_at", Json::f64),
            attention: f.take_opt("attention", |v, at| match v {
                Json::Arr(pair) if pair.len() == 2 => Ok((pair[0].u32(at)? as u16, pair[1].str(at)?)),
                v => Err(json::shape_err(at, format_args!("expected [status, reason], found {}", v.kind()))),
            }),
        };
        f.done()?;
        Ok(item)
    }

    /// The item as stored.
    pub fn to_json(&self) -> String {
        obj([
            ("submission", self.submission.to_json()),
            ("endpoint", self.endpoint.as_str().into()),
            ("request", self.request.as_str().into()),
            ("headers", Json::Obj(self.headers.iter().map(|(k, v)| (k.clone(), v.as_str().into())).collect())),
            ("attempts", Json::Num(f64::from(self.attempts))),
            ("next_at", Json::Num(self.next_at)),
            (
                "attention",
                self.attention
                    .as_ref()
                    .map_or(Json::Null, |(status, why)| Json::Arr(vec![Json::Num(f64::from(*status)), why.as_str().into()])),
            ),
        ])
        .to_text()
    }
}

/// The outbox's reactive view: what waits, what needs attention, what was sent.
#[derive(Clone, Copy)]
pub struct Outbox {
    store: StoredValue<Store, LocalStorage>,
    pub items: RwSignal<Vec<Item>>,
    /// Stored entries that cannot be read (junk, or another version's
    /// format), exactly as stored: shown with a download, never deleted.
    pub unreadable: RwSignal<Vec<String>>,
    /// Submission ids delivered during this visit.
    pub sent: RwSignal<Vec<String>>,
    /// Ids of waiting items the storage lost and that could not be written
    /// back: they live only in this page now (still sent while it is open).
    pub unsaved: RwSignal<Vec<String>>,
    /// The browser refused persistent storage while a response waits: shown
    /// once per device, plainly.
    pub not_persistent: RwSignal<bool>,
    sending: StoredValue<bool>,
    asked_persist: StoredValue<bool>,
    /// Called when one is delivered. Not given the id: the embedding page is
    /// told only that something synced (and a `Callback<()>` is the type the
    /// app's other callbacks already link).
    on_synced: StoredValue<Option<Callback<()>>>,
}

impl Outbox {
    /// Reads every stored item; unreadable entries are left where they are
    /// (never deleted) and offered for download, so nothing is dropped silently.
    pub fn load(store: Store) -> Self {
        let ob = Outbox {
            store: StoredValue::new_local(store),
            items: RwSignal::new(Vec::new()),
            unreadable: RwSignal::new(Vec::new()),
            sent: RwSignal::new(Vec::new()),
            unsaved: RwSignal::new(Vec::new()),
            not_persistent: RwSignal::new(false),
            sending: StoredValue::new(false),
            asked_persist: StoredValue::new(false),
            on_synced: StoredValue::new(None),
        };
        ob.refresh();
        ob
    }

    pub fn on_synced(&self, cb: Callback<()>) {
        self.on_synced.set_value(Some(cb));
    }

    /// Re-reads the stored items. An item this page holds that the storage
    /// lost (and no tab delivered) is written back; if that fails it stays in
    /// memory, is still sent, and is listed in `unsaved`.
    fn refresh(&self) {
        let (mut items, mut unreadable, mut unsaved) = (Vec::new(), Vec::new(), Vec::new());
        let now = js_sys::Date::now();
        self.store.with_value(|s| {
            for raw in s.keys(KEY_PREFIX).iter().filter_map(|k| s.get(k)) {
                match Item::from_json(&raw) {
                    Ok(item) => items.push(item),
                    Err(_) => unreadable.push(raw),
                }
            }
            for key in s.keys(DELIVERED_PREFIX) {
                if s.get(&key).and_then(|v| survey_core::num::parse_f64(&v)).is_none_or(|at| now - at > DELIVERED_KEEP_MS) {
                    s.remove(&key);
                }
            }
        });
        for mine in self.items.get_untracked() {
            let id = &mine.submission.submission_id;
            if items.iter().any(|i| i.submission.submission_id == *id) || self.delivered(id) {
                continue;
            }
            if self.store.with_value(|s| s.set(&Self::key(id), &mine.to_json())).is_err() {
                unsaved.push(id.clone());
            }
            items.push(mine);
        }
        if self.unsaved.with_untracked(|u| *u != unsaved) {
            self.unsaved.set(unsaved);
        }
        self.items.set(items);
        if self.unreadable.with_untracked(|u| *u != unreadable) {
            self.unreadable.set(unreadable);
        }
    }

    pub fn pending(&self) -> usize {
        self.items.with(|v| v.iter().filter(|i| i.attention.is_none()).count())
    }

    fn key(id: &str) -> String {
        format!("{KEY_PREFIX}{id}")
    }

    /// Whether some tab has delivered `id` (its marker is stored).
    fn delivered(&self, id: &str) -> bool {
        self.store.with_value(|s| s.get(&format!("{DELIVERED_PREFIX}{id}"))).is_some()
    }

    /// Puts a response in the outbox. Only after this succeeds may the draft
    /// be cleared.
    pub fn add(&self, item: Item) -> Result<(), StoreError> {
        let json = item.to_json();
        self.store.with_value(|s| s.set(&Self::key(&item.submission.submission_id), &json))?;
        self.items.update(|v| v.push(item));
        Ok(())
    }

    /// Stores the item and updates this page's copy (which `refresh` writes
    /// back if the store lost it).
    fn write(&self, item: &Item) {
        let id = &item.submission.submission_id;
        let _ = self.store.with_value(|s| s.set(&Self::key(id), &item.to_json()));
        self.items.update(|v| v.iter_mut().filter(|i| i.submission.submission_id == *id).for_each(|i| *i = item.clone()));
    }

    /// Marks `id` delivered first, then forgets the item everywhere.
    fn remove_delivered(&self, id: &str) {
        self.store.with_value(|s| {
            // Whole milliseconds: printing an f64 would link core's float formatting.
            let _ = s.set(&format!("{DELIVERED_PREFIX}{id}"), &(js_sys::Date::now() as i64).to_string());
            s.remove(&Self::key(id));
        });
        self.items.update(|v| v.retain(|i| i.submission.submission_id != id));
    }

    /// Sends what is due (or everything pending, when `now_all`), one tab at
    /// a time: a Web Lock where the browser has one, else an expiring lease
    /// in localStorage.
    pub fn flush(&self, now_all: bool) {
        if self.sending.get_value() {
            return;
        }
        // Once something waits, whether it survives a browser clean-up matters.
        if !self.asked_persist.get_value() && self.items.with_untracked(|v| !v.is_empty()) {
            self.asked_persist.set_value(true);
            self.check_persistence();
        }
        let this = *self;
        let job = move || async move {
            this.sending.set_value(true);
            this.refresh();
            let due: Vec<Item> = this
                .items
                .get_untracked()
                .into_iter()
                .filter(|i| i.attention.is_none() && (now_all || i.next_at <= js_sys::Date::now()))
                .collect();
            for item in due {
                this.send(item).await;
            }
            this.refresh();
            this.sending.set_value(false);
        };
        if !with_web_lock("cohort-survey-outbox", job) && lease(&self.store) {
            spawn_local(async move {
                job().await;
                release(&this.store);
            });
        }
    }

    async fn send(&self, mut item: Item) {
        // Another tab may have sent it since we read it.
        if self.delivered(&item.submission.submission_id) {
            return;
        }
        let (status, redirected, retry_after, body) = post(&item).await;
        let answer = Answer { status, redirected, retry_after: retry_after.as_deref(), body: &body };
        let outcome = RetryPolicy::default().classify_answer(
            item.request,
            &answer,
            &item.submission.submission_id,
            item.attempts,
            js_sys::Math::random(),
            js_sys::Date::now(),
        );
        match outcome {
            Outcome::Delivered => {
                let id = item.submission.submission_id.clone();
                self.remove_delivered(&id);
                self.sent.update(|s| s.push(id));
                if let Some(cb) = self.on_synced.get_value() {
                    cb.run(());
                }
            }
            Outcome::Retry { after_ms } => {
                item.attempts = item.attempts.saturating_add(1);
                item.next_at = js_sys::Date::now() + after_ms as f64;
                self.write(&item);
            }
            Outcome::NeedsAttention { status } => {
                let why = if (200..300).contains(&status) {
                    // See docs/endpoints.md, "What counts as delivered".
                    format!("it answered without confirming this response was stored: {}", reason(&body))
                } else {
                    reason(&body)
                };
                item.attention = Some((status, why));
                self.write(&item);
            }
        }
    }

    /// Asks for persistent storage while a response waits; when the browser
    /// refuses, sets `not_persistent` (once per device).
    fn check_persistence(&self) {
        let this = *self;
        if self.store.with_value(|s| s.get(TOLD_NOT_PERSISTENT).is_some()) {
            return;
        }
        // Asking again is harmless: the browser answers with its decision.
        let Some(promise) = web_sys::window().and_then(|w| w.navigator().storage().persist().ok()) else { return };
        spawn_local(async move {
            if JsFuture::from(promise).await.ok().and_then(|v| v.as_bool()) == Some(false) {
                let _ = this.store.with_value(|s| s.set(TOLD_NOT_PERSISTENT, "1"));
                this.not_persistent.set(true);
            }
        });
    }
}

/// The endpoint's own words for a refusal, kept short.
fn reason(body: &str) -> String {
    let v = json::parse(body).ok();
    let field = |k| v.as_ref().and_then(|v| v.get(k)).and_then(|m| m.str("").ok());
    let text = field("message").or_else(|| field("error")).unwrap_or_else(|| body.to_owned());
    text.chars().take(300).collect()
}

/// POSTs one item: status (`None`: the network failed or [`SEND_TIMEOUT`]
/// passed), whether a redirect was followed, `Retry-After`, and the body.
async fn post(item: &Item) -> (Option<u16>, bool, Option<String>, String) {
    let failed = (None, false, None, String::new());
    let Some(window) = web_sys::window() else { return failed };
    let headers = web_sys::Headers::new().ok();
    if let Some(h) = &headers {
        match item.request {
            RequestMode::Json => {
                let _ = h.set("Content-Type", "application/json");
                let _ = h.set("Idempotency-Key", &item.submission.submission_id);
                for (k, v) in &item.headers {
                    let _ = h.set(k, v);
                }
            }
            // A CORS-safelisted type and nothing else: the browser sends it
            // without asking first (no preflight), and the id is in the body.
            RequestMode::Simple => {
                let _ = h.set("Content-Type", "text/plain;charset=UTF-8");
            }
        }
    }
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    // Anonymous: no cookies, no referrer, and the page's address never leaves.
    init.set_credentials(web_sys::RequestCredentials::Omit);
    init.set_referrer_policy(web_sys::ReferrerPolicy::NoReferrer);
    init.set_mode(web_sys::RequestMode::Cors);
    init.set_cache(web_sys::RequestCache::NoStore);
    if let Some(h) = &headers {
        init.set_headers(h);
    }
    let body = item.submission.to_json().to_text();
    init.set_body(&JsValue::from_str(&body));
    // AbortController and a timer rather than AbortSignal.timeout(), which
    // Safari before 16 lacks. The signal also covers reading the body.
    let abort = web_sys::AbortController::new().ok();
    init.set_signal(abort.as_ref().map(|a| a.signal()).as_ref());
    let timer = abort.and_then(|a| set_timeout_with_handle(move || a.abort(), SEND_TIMEOUT).ok());
    let result = async {
        let resp: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(&item.endpoint, &init)).await.ok()?.unchecked_into();
        let retry_after = resp.headers().get("Retry-After").ok().flatten();
        // A body that cannot be read to the end (aborted) is a failed send.
        let text = JsFuture::from(resp.text().ok()?).await.ok()?.as_string().unwrap_or_default();
        Some((Some(resp.status()), resp.redirected(), retry_after, text))
    }
    .await;
    if let Some(t) = timer {
        t.clear();
    }
    result.unwrap_or(failed)
}

/// Runs `job` under `navigator.locks.request(name, {ifAvailable: true})`.
/// Returns false when the browser has no Web Locks.
fn with_web_lock<F, Fut>(name: &str, job: F) -> bool
where
    F: FnOnce() -> Fut + 'static,
    Fut: std::future::Future<Output = ()> + 'static,
{
    let Some(window) = web_sys::window() else { return false };
    let locks = js_sys::Reflect::get(&window.navigator(), &"locks".into()).unwrap_or(JsValue::UNDEFINED);
    let Ok(request) = js_sys::Reflect::get(&locks, &"request".into()).and_then(|f| f.dyn_into::<js_sys::Function>()) else {
        return false;
    };
    let opts = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&opts, &"ifAvailable".into(), &JsValue::TRUE);
    let cb = wasm_bindgen::closure::Closure::once_into_js(move |lock: JsValue| -> js_sys::Promise {
        if lock.is_null() {
            // Another tab holds the lock and is sending.
            return js_sys::Promise::resolve(&JsValue::UNDEFINED);
        }
        wasm_bindgen_futures::future_to_promise(async move {
            job().await;
            Ok(JsValue::UNDEFINED)
        })
    });
    request.call3(&locks, &name.into(), &opts, &cb).is_ok()
}

const LEASE_KEY: &str = "cohort-survey:outbox-lease";

/// Fallback lock: a 30 s lease in localStorage (not atomic, but the receiver
/// de-duplicates anyway; this only avoids double work).
fn lease(store: &StoredValue<Store, LocalStorage>) -> bool {
    let now = js_sys::Date::now();
    store.with_value(|s| {
        let held = s.get(LEASE_KEY).and_then(|v| survey_core::num::parse_f64(&v)).is_some_and(|until| until > now);
        // Whole milliseconds: printing an f64 would link core's float formatting.
        !held && s.set(LEASE_KEY, &((now + 30_000.0) as i64).to_string()).is_ok()
    })
}

fn release(store: &StoredValue<Store, LocalStorage>) {
    store.with_value(|s| s.remove(LEASE_KEY));
}

/// Starts the sender: at start-up, when the browser comes back online, when
/// the page becomes visible again, and every few seconds while anything waits.
///
/// # Usage
/// ```ignore
/// let outbox = use_outbox(Store::open());
/// view! { <p>{move || outbox.pending()} " waiting"</p> }
/// ```
pub fn use_outbox(store: Store) -> Outbox {
    let outbox = Outbox::load(store);
    outbox.flush(false);
    let online = window_event_listener("online", move |_| outbox.flush(true));
    let visible = window_event_listener("visibilitychange", move |_| {
        if document().visibility_state() == web_sys::VisibilityState::Visible {
            outbox.flush(false);
        }
    });
    let interval = set_interval_with_handle(
        move || {
            if outbox.pending() > 0 {
                outbox.flush(false);
            }
        },
        TICK,
    )
    .ok();
    on_cleanup(move || {
        online.remove();
        visible.remove();
        if let Some(i) = interval {
            i.clear();
        }
    });
    outbox
}
