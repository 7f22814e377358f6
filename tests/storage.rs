//! The storage adapter and draft restore in real Chromium localStorage.
#![cfg(target_arch = "wasm32")]

use cohort_survey::drafts::{draft_key, use_drafts, Drafts, MirrorState, Notice};
use cohort_survey::storage::{Mirror, Store, StoreError, MIRROR_DB, MIRROR_STORE};
use cohort_survey::SurveyState;
use leptos::prelude::*;
use leptos::task::tick;
use survey_core::{Answer, Draft, Questionnaire};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const DEFAULT: &str = include_str!("../public/questionnaires/balint-end-of-cohort.json");

fn local() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

#[wasm_bindgen_test]
fn saves_and_loads_through_local_storage() {
    local().clear().unwrap();
    let store = Store::open();
    assert!(store.is_persistent());
    store.set("cohort-survey:test", "hello").unwrap();
    assert_eq!(local().get_item("cohort-survey:test").unwrap().as_deref(), Some("hello"));
    assert_eq!(store.get("cohort-survey:test").as_deref(), Some("hello"));
    assert_eq!(store.keys("cohort-survey:"), vec!["cohort-survey:test".to_owned()]);
    store.remove("cohort-survey:test");
    assert_eq!(store.get("cohort-survey:test"), None);
}

#[wasm_bindgen_test]
fn memory_store_keeps_values_for_the_page_only() {
    local().clear().unwrap();
    let store = Store::memory_only();
    assert!(!store.is_persistent());
    store.set("k", "v").unwrap();
    assert_eq!(store.get("k").as_deref(), Some("v"));
    assert_eq!(store.keys(""), vec!["k".to_owned()]);
    store.remove("k");
    assert_eq!(store.get("k"), None);
    assert_eq!(local().length().unwrap(), 0, "nothing reaches localStorage");
}

#[wasm_bindgen_test]
fn a_full_quota_is_reported_as_quota() {
    local().clear().unwrap();
    let store = Store::open();
    // Chromium's real per-origin quota (~5 MB): fill it, then one more write.
    let chunk = "x".repeat(512 * 1024);
    let mut i = 0;
    let err = loop {
        if let Err(e) = store.set(&format!("filler-{i}"), &chunk) {
            break e;
        }
        i += 1;
        assert!(i < 100, "quota never reached");
    };
    assert_eq!(err, StoreError::Quota);
    local().clear().unwrap();
}

/// The shipped questionnaire's version: a draft of it is restored as it is.
fn current_version() -> String {
    Questionnaire::from_json(DEFAULT).unwrap().version
}

fn state() -> SurveyState {
    // Effects need an executor; mounting would start one, these tests don't mount.
    let _ = any_spawner::Executor::init_wasm_bindgen();
    SurveyState::new(Questionnaire::from_json(DEFAULT).unwrap())
}

#[wasm_bindgen_test]
async fn restores_a_saved_draft_on_its_page() {
    local().clear().unwrap();
    reset_mirror().await;
    let mut answers = survey_core::Answers::new();
    answers.insert("sessions".into(), Answer::Number(3.0));
    let draft = Draft {
        questionnaire_id: "balint-end-of-cohort".into(),
        questionnaire_version: current_version(),
        answers,
        page: 2,
        saved_at: js_sys::Date::now(),
        lang: None,
    };
    local().set_item(&draft_key("balint-end-of-cohort"), &draft.to_json().to_text()).unwrap();
    let owner = Owner::new();
    owner.with(|| {
        let s = state();
        let drafts = use_drafts(s, Store::open());
        assert_eq!(s.answer("sessions"), Some(Answer::Number(3.0)));
        assert_eq!(s.page.get_untracked(), 2);
        assert!(matches!(drafts.notices.get_untracked().as_slice(), [Notice::Restored { .. }]));
    });
    tick().await;
}

#[wasm_bindgen_test]
async fn quarantines_a_corrupt_draft_and_starts_fresh() {
    local().clear().unwrap();
    reset_mirror().await;
    let key = draft_key("balint-end-of-cohort");
    local().set_item(&key, "{not json").unwrap();
    let owner = Owner::new();
    owner.with(|| {
        let s = state();
        let drafts = use_drafts(s, Store::open());
        assert!(s.answers.get_untracked().is_empty());
        let notices = drafts.notices.get_untracked();
        let [Notice::Quarantined { key: aside }] = notices.as_slice() else { panic!("{notices:?}") };
        assert_eq!(drafts.raw(aside).as_deref(), Some("{not json"));
    });
    let store = Store::open();
    assert_eq!(store.get(&key), None);
    let kept = store.keys("cohort-survey:quarantine:balint-end-of-cohort:");
    assert_eq!(kept.len(), 1);
    assert_eq!(store.get(&kept[0]).as_deref(), Some("{not json"));
}

#[wasm_bindgen_test]
async fn unavailable_storage_says_so_and_keeps_answers_in_memory() {
    local().clear().unwrap();
    reset_mirror().await;
    let memory = Store::memory_only();
    let owner = Owner::new();
    owner.with(|| {
        let s = state();
        let drafts = use_drafts(s, memory.clone());
        assert_eq!(drafts.notices.get_untracked(), vec![Notice::NotPersistent]);
        s.set_answer("sessions", Some(Answer::Number(6.0)));
        drafts.save_now(s);
    });
    // The draft is in the page's memory, and nowhere else.
    let kept = memory.get(&draft_key("balint-end-of-cohort")).expect("the draft is kept in memory");
    assert_eq!(Draft::from_json(&kept).unwrap().answers.get("sessions"), Some(&Answer::Number(6.0)));
    assert_eq!(local().length().unwrap(), 0);
    // Not in IndexedDB either: the student was told answers do not survive.
    let mirror = Mirror::open().await.unwrap();
    assert_eq!(mirror.get(&draft_key("balint-end-of-cohort")).await, None);
}

// -------------------------------------------- the IndexedDB copy (Mirror) --

fn idb() -> web_sys::IdbFactory {
    web_sys::window().unwrap().indexed_db().unwrap().unwrap()
}

/// Waits for an IndexedDB request to succeed; its result.
async fn succeeded(req: &web_sys::IdbRequest) -> JsValue {
    let done = js_sys::Promise::new(&mut |resolve, reject| {
        req.set_onsuccess(Some(&resolve));
        req.set_onerror(Some(&reject));
    });
    JsFuture::from(done).await.unwrap();
    req.result().unwrap()
}

/// Deletes the mirror database (open connections close on `versionchange`).
async fn reset_mirror() {
    succeeded(&idb().delete_database(MIRROR_DB).unwrap()).await;
}

/// Waits (up to 5 s) until `cond` holds; a condition, not a fixed sleep.
async fn until(what: &str, mut cond: impl FnMut() -> bool) {
    for _ in 0..500 {
        if cond() {
            return;
        }
        sleep_ms(10).await;
    }
    panic!("timed out waiting until {what}");
}

async fn sleep_ms(ms: i32) {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms).unwrap();
    });
    JsFuture::from(p).await.unwrap();
}

fn draft_with(sessions: f64, page: usize, saved_at: f64) -> Draft {
    let mut answers = survey_core::Answers::new();
    answers.insert("sessions".into(), Answer::Number(sessions));
    Draft { questionnaire_id: "balint-end-of-cohort".into(), questionnaire_version: current_version(), answers, page, saved_at, lang: None }
}

/// Starts the draft machinery on a fresh state and waits until it has
/// compared localStorage with the IndexedDB copy.
async fn start(owner: &Owner) -> (SurveyState, Drafts) {
    let (s, drafts) = owner.with(|| {
        let s = state();
        (s, use_drafts(s, Store::open()))
    });
    until("the mirror was compared", || drafts.mirror_state.get_value() != MirrorState::Opening).await;
    (s, drafts)
}

/// Waits (up to 5 s) until the IndexedDB copy is a draft that `fits`.
async fn mirrored(fits: impl Fn(&Draft) -> bool) -> Draft {
    for _ in 0..500 {
        let copy = Mirror::open().await.unwrap().get(&draft_key("balint-end-of-cohort")).await;
        if let Some(d) = copy.and_then(|t| Draft::from_json(&t).ok()).filter(&fits) {
            return d;
        }
        sleep_ms(10).await;
    }
    panic!("the IndexedDB copy never became what was expected");
}

#[wasm_bindgen_test]
async fn every_save_also_reaches_indexeddb_and_clear_leaves_an_empty_newer_copy() {
    local().clear().unwrap();
    reset_mirror().await;
    let owner = Owner::new();
    let (s, drafts) = start(&owner).await;
    assert_eq!(drafts.mirror_state.get_value(), MirrorState::Ready);
    owner.with(|| {
        s.set_answer("sessions", Some(Answer::Number(4.0)));
        drafts.save_now(s);
    });
    let copy = mirrored(|d| !d.answers.is_empty()).await;
    assert_eq!(copy.answers.get("sessions"), Some(&Answer::Number(4.0)));
    let stored = Draft::from_json(&local().get_item(&draft_key("balint-end-of-cohort")).unwrap().unwrap()).unwrap();
    assert_eq!(stored.saved_at, copy.saved_at, "one save, the same draft in both stores");
    // The durable write is measured in the browser.
    until("draft-mirror is measured", || {
        web_sys::window().unwrap().performance().unwrap().get_entries_by_name("draft-mirror").length() > 0
    })
    .await;

    owner.with(|| drafts.clear());
    let cleared = mirrored(|d| d.answers.is_empty()).await;
    assert!(cleared.saved_at >= copy.saved_at);
    assert_eq!(local().get_item(&draft_key("balint-end-of-cohort")).unwrap(), None);
}

#[wasm_bindgen_test]
async fn a_newer_indexeddb_copy_wins_over_localstorage_and_is_written_back() {
    local().clear().unwrap();
    reset_mirror().await;
    let now = js_sys::Date::now();
    // What a kill leaves: localStorage still holds an older save.
    local().set_item(&draft_key("balint-end-of-cohort"), &draft_with(2.0, 0, now - 5_000.0).to_json().to_text()).unwrap();
    let mirror = Mirror::open().await.unwrap();
    mirror.put(&draft_key("balint-end-of-cohort"), &draft_with(5.0, 1, now - 1_000.0).to_json().to_text()).await.unwrap();
    let owner = Owner::new();
    let (s, drafts) = start(&owner).await;
    assert_eq!(s.answer("sessions"), Some(Answer::Number(5.0)));
    assert_eq!(s.page.get_untracked(), 1);
    assert!(drafts.notices.get_untracked().iter().filter(|n| matches!(n, Notice::Restored { .. })).count() == 1);
    let back = Draft::from_json(&local().get_item(&draft_key("balint-end-of-cohort")).unwrap().unwrap()).unwrap();
    assert_eq!(back.answers.get("sessions"), Some(&Answer::Number(5.0)), "localStorage caught up");
}

#[wasm_bindgen_test]
async fn an_older_or_empty_indexeddb_copy_does_not_replace_localstorage() {
    for mirror_draft in [draft_with(5.0, 1, js_sys::Date::now() - 60_000.0), {
        let mut cleared = draft_with(0.0, 0, js_sys::Date::now() + 60_000.0);
        cleared.answers.clear();
        cleared
    }] {
        local().clear().unwrap();
        reset_mirror().await;
        local().set_item(&draft_key("balint-end-of-cohort"), &draft_with(3.0, 0, js_sys::Date::now()).to_json().to_text()).unwrap();
        Mirror::open().await.unwrap().put(&draft_key("balint-end-of-cohort"), &mirror_draft.to_json().to_text()).await.unwrap();
        let owner = Owner::new();
        let (s, _) = start(&owner).await;
        assert_eq!(s.answer("sessions"), Some(Answer::Number(3.0)), "{mirror_draft:?}");
    }
}

#[wasm_bindgen_test]
async fn junk_in_indexeddb_never_stops_start_up_and_localstorage_stands() {
    let junk: [JsValue; 5] = [
        "{not json".into(),
        "{\"questionnaire_id\":\"balint-end-of-cohort\"}".into(),
        JsValue::from_f64(42.0),
        js_sys::Object::new().into(),
        // Another questionnaire's draft, newer.
        draft_with(6.0, 2, js_sys::Date::now() + 60_000.0).to_json().to_text().replace("balint-end-of-cohort", "other").into(),
    ];
    for value in junk {
        local().clear().unwrap();
        reset_mirror().await;
        local().set_item(&draft_key("balint-end-of-cohort"), &draft_with(3.0, 0, js_sys::Date::now()).to_json().to_text()).unwrap();
        put_raw(&value).await;
        let owner = Owner::new();
        let (s, drafts) = start(&owner).await;
        assert_eq!(drafts.mirror_state.get_value(), MirrorState::Ready);
        assert_eq!(s.answer("sessions"), Some(Answer::Number(3.0)), "{value:?}");
    }

    // A database of that name that this app did not make (no store): no
    // mirror, localStorage alone.
    local().clear().unwrap();
    reset_mirror().await;
    local().set_item(&draft_key("balint-end-of-cohort"), &draft_with(4.0, 0, js_sys::Date::now()).to_json().to_text()).unwrap();
    succeeded(&idb().open_with_u32(MIRROR_DB, 1).unwrap()).await.unchecked_into::<web_sys::IdbDatabase>().close();
    let owner = Owner::new();
    let (s, drafts) = start(&owner).await;
    assert_eq!(drafts.mirror_state.get_value(), MirrorState::Unavailable);
    assert_eq!(s.answer("sessions"), Some(Answer::Number(4.0)));
    owner.with(|| {
        s.set_answer("sessions", Some(Answer::Number(5.0)));
        drafts.save_now(s);
    });
    assert!(local().get_item(&draft_key("balint-end-of-cohort")).unwrap().unwrap().contains("\"sessions\":5"));
    reset_mirror().await;
}

/// Puts any value (not only text) under the draft key, as junk left by an
/// older app, an extension, or a half-written record would be.
async fn put_raw(value: &JsValue) {
    Mirror::open().await.expect("IndexedDB works here"); // creates the store
    let db: web_sys::IdbDatabase = succeeded(&idb().open(MIRROR_DB).unwrap()).await.unchecked_into();
    let tx = db.transaction_with_str_and_mode(MIRROR_STORE, web_sys::IdbTransactionMode::Readwrite).unwrap();
    let put = tx.object_store(MIRROR_STORE).unwrap().put_with_key(value, &draft_key("balint-end-of-cohort").into()).unwrap();
    succeeded(&put).await;
    db.close();
}
