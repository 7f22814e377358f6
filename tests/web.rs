//! Component tests in real headless Chromium (wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]

use cohort_survey::messages::message;
use cohort_survey::{browser, dom, field, load, survey, SurveyState};
use leptos::{prelude::*, task::tick};
use survey_core::submission::is_uuid_v4;
use survey_core::{Questionnaire, ValidationError};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const DEFAULT: &str = include_str!("../public/questionnaires/balint-end-of-cohort.json");

/// A fresh element to mount into, so tests do not see each other's DOM.
fn container() -> web_sys::HtmlElement {
    let doc = document();
    let el = doc.create_element("section").unwrap();
    doc.body().unwrap().append_child(&el).unwrap();
    el.unchecked_into()
}

fn mount_question(id: &'static str) -> (web_sys::HtmlElement, SurveyState) {
    let q = Questionnaire::from_json(DEFAULT).unwrap();
    let question = q.question(id).unwrap().clone();
    let state = SurveyState::new(q);
    let el = container();
    let owner = dom::mount(&el, move || field(state, &question, None));
    std::mem::forget(owner);
    (el, state)
}

#[wasm_bindgen_test]
async fn likert_has_a_legend_and_one_radio_per_scale_point() {
    let (el, _) = mount_question("agreement");
    tick().await;
    let fieldsets = el.query_selector_all("fieldset").unwrap();
    assert_eq!(fieldsets.length(), 4, "one fieldset per statement");
    for i in 0..fieldsets.length() {
        let fs: web_sys::Element = fieldsets.item(i).unwrap().unchecked_into();
        let legend = fs.query_selector("legend").unwrap().expect("a legend");
        assert!(!legend.text_content().unwrap().trim().is_empty());
        let radios = fs.query_selector_all("input[type=radio]").unwrap();
        // Five scale points plus "Prefer not to say", sharing one name.
        assert_eq!(radios.length(), 6);
        let name = |j| radios.item(j).unwrap().unchecked_into::<web_sys::HtmlInputElement>().name();
        assert!((1..6).all(|j| name(j) == name(0)));
        // Every radio is labelled.
        for j in 0..radios.length() {
            let input: web_sys::HtmlInputElement = radios.item(j).unwrap().unchecked_into();
            let label = el.query_selector(&format!("label[for='{}']", input.id())).unwrap();
            assert!(label.is_some_and(|l| !l.text_content().unwrap().is_empty()));
        }
    }
    let pace = el.query_selector_all("fieldset legend").unwrap().item(3).unwrap().text_content().unwrap();
    assert!(pace.contains("pace"));
}

#[wasm_bindgen_test]
async fn choosing_a_likert_point_stores_it_in_the_grid() {
    let (el, state) = mount_question("agreement");
    tick().await;
    let radio: web_sys::HtmlInputElement = el.query_selector("#agreement--safe--4").unwrap().unwrap().unchecked_into();
    radio.click();
    tick().await;
    match state.answer("agreement") {
        Some(survey_core::Answer::Grid(g)) => assert_eq!(g.get("safe").map(String::as_str), Some("4")),
        other => panic!("expected a grid answer, got {other:?}"),
    }
}

#[wasm_bindgen_test]
async fn a_required_error_is_shown_inline_and_described() {
    let (el, state) = mount_question("sessions");
    tick().await;
    let input: web_sys::HtmlInputElement = el.query_selector("#sessions-input").unwrap().unwrap().unchecked_into();
    let type_and_leave = |value: &str| {
        input.set_value(value);
        input.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
        state.leave("sessions");
    };
    // A valid answer, then the student empties the field: it is required.
    type_and_leave("3");
    tick().await;
    assert!(el.query_selector("#sessions-error").unwrap().is_none(), "no error for a valid answer");
    assert_eq!(input.get_attribute("aria-invalid"), None);
    type_and_leave("");
    tick().await;
    assert_eq!(state.errors.with_untracked(|e| e.get("sessions").cloned()), Some(ValidationError::Required));
    let question = state.questionnaire.with_value(|q| q.question("sessions").unwrap().clone());
    let required = message(&question, &ValidationError::Required, "en");
    let error = el.query_selector("#sessions-error").unwrap().expect("inline error");
    assert!(error.text_content().unwrap().contains(&required), "{:?} lacks {required:?}", error.text_content());
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(input.get_attribute("aria-describedby").unwrap().contains("sessions-error"));
}

/// The whole survey on page `page`, as the app mounts it.
fn mount_survey(page: usize) -> (web_sys::HtmlElement, SurveyState) {
    let q = Questionnaire::from_json(DEFAULT).unwrap();
    let state = SurveyState::new(q);
    state.page.set(page);
    let el = container();
    let owner = dom::mount(&el, move || survey(state, Callback::new(|_| ()), None));
    std::mem::forget(owner);
    (el, state)
}

/// Types `text` one key at a time, as a phone keyboard does: each key sets
/// the value and fires an `input` event, then the app reacts.
async fn type_keys(el: &web_sys::HtmlElement, field: &web_sys::HtmlElement, text: &str) {
    let _ = el;
    for ch in text.chars() {
        let value = match field.dyn_ref::<web_sys::HtmlTextAreaElement>() {
            Some(t) => t.value(),
            None => field.unchecked_ref::<web_sys::HtmlInputElement>().value(),
        };
        let next = format!("{value}{ch}");
        match field.dyn_ref::<web_sys::HtmlTextAreaElement>() {
            Some(t) => t.set_value(&next),
            None => field.unchecked_ref::<web_sys::HtmlInputElement>().set_value(&next),
        }
        field.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
        tick().await;
    }
}

fn by_id(el: &web_sys::HtmlElement, id: &str) -> web_sys::HtmlElement {
    el.query_selector(&format!("#{id}")).unwrap().unwrap_or_else(|| panic!("no #{id}")).unchecked_into()
}

/// The blocker of issue 9: each key rebuilt the page, so the field was
/// replaced, focus fell to <body> and only the first character stayed.
#[wasm_bindgen_test]
async fn typing_keeps_the_same_field_its_focus_and_every_key() {
    let (el, state) = mount_survey(4);
    tick().await;
    let field = by_id(&el, "valued-input");
    field.focus().unwrap();
    type_keys(&el, &field, "Travel").await;
    let now = by_id(&el, "valued-input");
    assert!(now.is_same_node(Some(&field)), "the textarea was replaced while typing");
    assert_eq!(now.unchecked_ref::<web_sys::HtmlTextAreaElement>().value(), "Travel");
    assert!(document().active_element().is_some_and(|a| a.is_same_node(Some(&field))), "focus left the field");
    assert_eq!(state.answer("valued").and_then(|a| a.as_text().map(str::to_owned)).as_deref(), Some("Travel"));
    // The section heading was not rebuilt either.
    assert_eq!(el.query_selector_all("h2.page-title").unwrap().length(), 1);
}

/// A skip-logic question appears without rebuilding its neighbours: the
/// number field being typed in stays the same element, with focus.
#[wasm_bindgen_test]
async fn a_follow_up_appears_without_rebuilding_the_field_in_use() {
    let (el, _) = mount_survey(0);
    tick().await;
    let group = by_id(&el, "group--wednesday");
    let sessions = by_id(&el, "sessions-input");
    sessions.focus().unwrap();
    assert!(el.query_selector("#attendance_barriers-input").unwrap().is_none());
    type_keys(&el, &sessions, "2").await;
    assert!(el.query_selector("#attendance_barriers-input").unwrap().is_some(), "the follow-up did not appear");
    assert!(by_id(&el, "sessions-input").is_same_node(Some(&sessions)));
    assert!(by_id(&el, "group--wednesday").is_same_node(Some(&group)));
    assert!(document().active_element().is_some_and(|a| a.is_same_node(Some(&sessions))));
    // "four" is kept as typed: it is the student's answer until they change it.
    type_keys(&el, &sessions, "x").await;
    assert_eq!(by_id(&el, "sessions-input").unchecked_ref::<web_sys::HtmlInputElement>().value(), "2x");
    assert!(el.query_selector("#attendance_barriers-input").unwrap().is_none(), "2x is not a number below 4");
}

/// A grid is checked when the student moves on, not when the first
/// statement is chosen.
#[wasm_bindgen_test]
async fn a_grid_is_not_an_error_after_its_first_statement() {
    let (el, state) = mount_survey(2);
    tick().await;
    let first: web_sys::HtmlInputElement = by_id(&el, "agreement--safe--4").unchecked_into();
    first.focus().unwrap();
    first.click();
    tick().await;
    by_id(&el, "agreement--learned--4").focus().unwrap();
    tick().await;
    assert!(el.query_selector("#agreement-error").unwrap().is_none(), "error shown after one statement");
    // Next: now it is checked, and the message names the first blank statement.
    state.next();
    tick().await;
    let error = by_id(&el, "agreement-error").text_content().unwrap();
    assert!(error.contains("3 statements left blank") && error.contains("relationship between clinicians"), "{error}");
    assert_eq!(state.target_of("agreement"), "q-agreement--learned");
}

/// "05" and "1." stay as typed while the number is the same: rewriting them
/// to "5" would move the caret and make a decimal point impossible to type.
#[wasm_bindgen_test]
async fn a_number_field_shows_exactly_what_was_typed() {
    let (el, state) = mount_survey(0);
    tick().await;
    let sessions = by_id(&el, "sessions-input");
    type_keys(&el, &sessions, "05").await;
    assert_eq!(sessions.unchecked_ref::<web_sys::HtmlInputElement>().value(), "05");
    assert_eq!(state.answer("sessions"), Some(survey_core::Answer::Number(5.0)));
}

// ------------------------------------------------------------ random ids --

fn crypto() -> web_sys::Crypto {
    web_sys::window().unwrap().crypto().unwrap()
}

/// Runs `body` with `crypto.<method>` replaced by a function that throws
/// (what a browser without strong randomness, or a broken shim, does), then
/// puts the real one back.
fn with_throwing(methods: &[&str], body: impl FnOnce()) {
    let throwing = js_sys::Function::new_no_args("throw new Error('no strong randomness here')");
    for m in methods {
        js_sys::Reflect::set(&crypto(), &(*m).into(), &throwing).unwrap();
    }
    body();
    for m in methods {
        js_sys::Reflect::delete_property(&crypto(), &(*m).into()).unwrap();
    }
}

#[wasm_bindgen_test]
fn submission_ids_are_random_lower_case_uuid_v4() {
    let ids: Vec<String> = (0..50).map(|_| browser::uuid_v4().expect("Chromium has crypto.randomUUID")).collect();
    for id in &ids {
        assert!(is_uuid_v4(id), "{id}");
        assert_eq!(id, &id.to_ascii_lowercase(), "{id}");
    }
    let distinct: std::collections::BTreeSet<_> = ids.iter().collect();
    assert_eq!(distinct.len(), ids.len());
    // Without randomUUID (plain http), getRandomValues, still a CSPRNG.
    with_throwing(&["randomUUID"], || {
        let a = browser::uuid_v4().expect("getRandomValues still works");
        let b = browser::uuid_v4().unwrap();
        assert!(is_uuid_v4(&a) && a != b && a != "00000000-0000-4000-8000-000000000000", "{a} {b}");
    });
}

#[wasm_bindgen_test]
fn without_strong_randomness_there_is_an_error_not_a_made_up_id() {
    with_throwing(&["randomUUID", "getRandomValues"], || {
        assert_eq!(browser::uuid_v4(), Err(browser::NoRandomness));
    });
    // A getRandomValues that writes nothing: an all-zero id is refused too.
    let noop = js_sys::Function::new_with_args("a", "return a");
    js_sys::Reflect::set(&crypto(), &"getRandomValues".into(), &noop).unwrap();
    with_throwing(&["randomUUID"], || assert_eq!(browser::uuid_v4(), Err(browser::NoRandomness)));
    js_sys::Reflect::delete_property(&crypto(), &"getRandomValues".into()).unwrap();
    // No `crypto` at all.
    let window: js_sys::Object = web_sys::window().unwrap().into();
    let own = js_sys::Object::get_own_property_descriptor(&window, &"crypto".into());
    let gone = js_sys::Object::new();
    js_sys::Reflect::set(&gone, &"value".into(), &JsValue::UNDEFINED).unwrap();
    js_sys::Reflect::set(&gone, &"configurable".into(), &true.into()).unwrap();
    js_sys::Object::define_property(&window, &"crypto".into(), &gone);
    let without = browser::uuid_v4();
    if own.is_undefined() {
        js_sys::Reflect::delete_property(&window, &"crypto".into()).unwrap();
    } else {
        js_sys::Object::define_property(&window, &"crypto".into(), &own.unchecked_into());
    }
    assert_eq!(without, Err(browser::NoRandomness));
    assert!(browser::uuid_v4().is_ok(), "crypto is back");
}

// ------------------------------------------------- URLs from outside --

fn origin() -> String {
    web_sys::window().unwrap().location().origin().unwrap()
}

#[wasm_bindgen_test]
fn a_questionnaire_path_is_used_only_when_the_browser_resolves_it_to_this_origin() {
    assert_eq!(load::same_origin_url("questionnaires/q.json"), Some(format!("{}/questionnaires/q.json", origin())));
    assert_eq!(load::same_origin_url("/q.json?v=2"), Some(format!("{}/q.json?v=2", origin())));
    for c in ['\t', '\n', '\r'] {
        // The browser itself reads these as another host: the rule is needed.
        let sneaky = format!("/{c}/evil.example/q.json");
        let parsed = web_sys::Url::new_with_base(&sneaky, &origin()).unwrap();
        assert_eq!(parsed.host(), "evil.example", "the URL parser drops {c:?}");
        assert_eq!(load::same_origin_url(&sneaky), None, "{sneaky:?}");
        assert_eq!(load::same_origin_url(&format!("{c}//evil.example/q.json")), None);
    }
    for bad in ["//evil.example/q.json", "/\\evil.example/q.json", "https://evil.example/q.json", "javascript:alert(1)", " /q.json", ""] {
        assert_eq!(load::same_origin_url(bad), None, "{bad:?}");
    }
}

#[wasm_bindgen_test]
fn endpoints_and_embed_origins_are_checked_with_the_browser_url_parser() {
    assert!(load::endpoint_allowed("/api/submissions"));
    assert!(load::endpoint_allowed("https://forms.example.ac.uk/balint"));
    assert!(load::endpoint_allowed("http://127.0.0.1:8080/api/submissions"));
    for bad in [
        "/\t/evil.example/api",
        "/\n/evil.example/api",
        "http://evil.example/api",
        "https://user@evil.example/api",
        "http://localhost\t.evil.example/api",
        "//evil.example/api",
    ] {
        assert!(!load::endpoint_allowed(bad), "{bad:?}");
    }
    assert!(load::is_browser_origin("https://moodle.example.ac.uk"));
    assert!(load::is_browser_origin("http://127.0.0.1:8080"));
    // Not as a browser writes an origin, so never equal to `event.origin`.
    for bad in [
        "https://Moodle.example.ac.uk",
        "https://moodle.example.ac.uk:443",
        "https://moodle.example.ac.uk\t",
        "https://moodle.example.ac.uk/",
    ] {
        assert!(!load::is_browser_origin(bad), "{bad:?}");
    }
}

#[wasm_bindgen_test]
fn dates_are_said_in_the_language_shown_through_intl() {
    let ten_days_ago = js_sys::Date::now() - 10.0 * 86_400_000.0;
    cohort_survey::i18n::set("cy");
    let welsh = browser::day_name(ten_days_ago);
    let yesterday = browser::day_name(js_sys::Date::now() - 86_400_000.0);
    cohort_survey::i18n::set("en");
    let english = browser::day_name(ten_days_ago);
    // Intl's Welsh month, or figures where the browser has no Welsh data
    // (Chromium): never an English word.
    let months_cy =
        ["Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf", "Awst", "Medi", "Hydref", "Tachwedd", "Rhagfyr"];
    let figures = welsh.chars().any(|c| c.is_ascii_digit()) && !welsh.chars().any(char::is_alphabetic);
    assert!(months_cy.iter().any(|m| welsh.contains(m)) || figures, "{welsh}");
    assert!(english.chars().any(char::is_alphabetic), "English has Intl's month name: {english}");
    assert_ne!(welsh, english);
    assert_eq!(yesterday, "ddoe");
    assert_eq!(document().document_element().unwrap().get_attribute("lang").as_deref(), Some("en"));
}
