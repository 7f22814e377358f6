//! The storage adapter and draft restore in real Chromium localStorage.
#![cfg(target_arch = "wasm32")]

use cohort_survey::drafts::{draft_key, use_drafts, Notice};
use cohort_survey::storage::{Store, StoreError};
use cohort_survey::SurveyState;
use leptos::prelude::*;
use leptos::task::tick;
use survey_core::{Answer, Draft, Questionnaire};
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

fn state() -> SurveyState {
    // Effects need an executor; mounting would start one, these tests don't mount.
    let _ = any_spawner::Executor::init_wasm_bindgen();
    SurveyState::new(Questionnaire::from_json(DEFAULT).unwrap())
}

#[wasm_bindgen_test]
async fn restores_a_saved_draft_on_its_page() {
    local().clear().unwrap();
    let mut answers = survey_core::Answers::new();
    answers.insert("sessions".into(), Answer::Number(3.0));
    let draft = Draft {
        questionnaire_id: "balint-end-of-cohort".into(),
        questionnaire_version: "2".into(),
        answers,
        page: 2,
        saved_at: js_sys::Date::now(),
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
    let owner = Owner::new();
    owner.with(|| {
        let s = state();
        let drafts = use_drafts(s, Store::memory_only());
        assert_eq!(drafts.notices.get_untracked(), vec![Notice::NotPersistent]);
        s.set_answer("sessions", Some(Answer::Number(6.0)));
        drafts.save_now(s);
    });
    assert_eq!(local().length().unwrap(), 0);
}
