//! Component tests in real headless Chromium (wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]

use cohort_survey::{Field, SurveyState};
use leptos::{mount::mount_to, prelude::*, task::tick};
use survey_core::Questionnaire;
use wasm_bindgen::JsCast;
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
    let handle = mount_to(el.clone(), move || {
        provide_context(state);
        view! { <Field question=question.clone() /> }
    });
    std::mem::forget(handle);
    (el, state)
}

#[wasm_bindgen_test]
async fn likert_has_a_legend_and_one_radio_per_scale_point() {
    let (el, _) = mount_question("agreement");
    tick().await;
    let fieldsets = el.query_selector_all("fieldset").unwrap();
    assert_eq!(fieldsets.length(), 8, "one fieldset per statement");
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
    let anxious = el.query_selector_all("fieldset legend").unwrap().item(5).unwrap().text_content().unwrap();
    assert!(anxious.contains("anxious"));
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
    assert_eq!(input.get_attribute("aria-invalid"), None);
    input.set_value("9");
    input.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    state.leave("sessions");
    tick().await;
    let error = el.query_selector("#sessions-error").unwrap().expect("inline error");
    assert!(error.text_content().unwrap().contains("6 or less"), "{}", error.text_content().unwrap());
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(input.get_attribute("aria-describedby").unwrap().contains("sessions-error"));
}
