//! One data-driven renderer for every question kind, following the GOV.UK
//! pattern: label (or legend), hint and error message together, joined by
//! `aria-describedby`. A kind is a choice of frame (div, fieldset, group) and
//! of controls; both come from the same few builders in [`crate::dom`].

use crate::dom::{el, frag, El};
use crate::i18n::{content, tr, trf};
use crate::messages::{flag, message};
use crate::prelude::*;
use crate::state::SurveyState;
use std::rc::Rc;
use std::sync::Arc;
use survey_core::anon::Detector;
use survey_core::i18n::Msg;
use survey_core::num::{fmt_num, parse_f64};
use survey_core::{Answer, Kind, Opt, Question, Text, ValidationError, PREFER_NOT_TO_SAY};
use wasm_bindgen::JsValue;

/// Questionnaire content in the chosen language.
pub fn t(text: &Text) -> String {
    content(text)
}

/// Reads the current answer as a choice value; sets one.
type GetChoice = Rc<dyn Fn() -> Option<String>>;
type SetChoice = Rc<dyn Fn(String)>;

/// A question, rendered for its kind. Reads and writes `state`; text fields
/// flag identifiers with `detector`, if any. (Passed in, not taken from
/// Leptos context: context is a type-keyed hash map, about 2 KB of wasm for
/// these two values.)
///
/// # Usage
/// ```ignore
/// let state = SurveyState::new(questionnaire);
/// dom::mount(&parent, move || field(state, &question, None));
/// ```
pub fn field(state: SurveyState, question: &Question, detector: Option<StoredValue<Detector>>) -> El {
    let q = question.clone();
    let id: Arc<str> = q.id.as_str().into();
    let error = {
        let (id, q) = (id.clone(), q.clone());
        {
            let lang = crate::i18n::tag();
            Memo::new(move |_| state.errors.with(|e| e.get(&id).map(|err| message(&q, err, &lang))))
        }
    };
    let has_error = move || error.with(Option::is_some);
    let hint_id = q.hint.as_ref().map(|_| format!("{id}-hint"));
    let error_id = format!("{id}-error");
    let described = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let mut ids: Vec<String> = hint_id.iter().cloned().collect();
            if has_error() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let input_id = format!("{id}-input");
    let text = t(&q.text);
    let optional = !q.required && !matches!(q.kind, Kind::Info | Kind::Consent);
    let leave = {
        let id = id.clone();
        move || state.leave(&id)
    };

    // The frame: which element holds the question, and what names it.
    let (tag, heading): (&str, El) = match &q.kind {
        Kind::Info => return el("div").class("field info").id(&format!("q-{id}")).child(el("p").text(&text)),
        Kind::Single { .. } | Kind::Rating { .. } | Kind::Multiple { .. } => ("fieldset", el("legend")),
        Kind::Likert { .. } => ("div", el("p").id(&format!("{id}-label"))),
        Kind::Consent => ("div", el("span")),
        _ => ("div", el("label").attr("for", &input_id)),
    };
    let frame =
        el(tag).id(&format!("q-{id}")).dyn_attr("class", move || Some(if has_error() { "field field-error" } else { "field" }.into()));
    let frame = match &q.kind {
        Kind::Likert { .. } => frame.attr("role", "group").attr("aria-labelledby", &format!("{id}-label")),
        _ => frame,
    };
    let grouped = tag == "fieldset" || matches!(q.kind, Kind::Likert { .. });
    let frame = if grouped { frame.dyn_attr("aria-describedby", described.clone()) } else { frame };
    let heading = heading.class("question").text(&text);
    let heading = if optional { heading.child(el("span").class("optional").text(&tr(Msg::Optional))) } else { heading };
    let error_view = {
        let error_id = error_id.clone();
        move || {
            error.get().map(|m| {
                el("p").class("error-message").id(&error_id).child(el("span").class("visually-hidden").text(&tr(Msg::ErrorPrefix))).text(&m)
            })
        }
    };
    let top = |frame: El| {
        let frame = if matches!(q.kind, Kind::Consent) { frame } else { frame.child(heading) };
        frame
            .opt(q.hint.as_ref().map(|h| el("p").class("hint").id(hint_id.as_deref().unwrap_or_default()).text(&t(h))))
            .region(move || error_view().unwrap_or_else(frag))
    };
    // A control (input, textarea) carries the description itself.
    let control = |e: El| {
        e.id(&input_id)
            .attr("name", &id)
            .dyn_attr("aria-describedby", described.clone())
            .dyn_attr("aria-invalid", move || has_error().then(|| "true".into()))
    };
    let answer_text = {
        let id = id.clone();
        move || state.answer(&id).and_then(|a| a.as_text().map(str::to_owned)).unwrap_or_default()
    };

    match q.kind.clone() {
        Kind::Info => unreachable!(),
        Kind::ShortText { max_length, .. } | Kind::LongText { max_length, .. } => {
            let long = matches!(q.kind, Kind::LongText { .. });
            let input = if long { el("textarea").attr("rows", "5") } else { el("input").attr("type", "text").attr("autocomplete", "off") };
            let set = {
                let id = id.clone();
                move |v: String| state.set_answer(&id, Some(Answer::Text(v)))
            };
            let value = answer_text.clone();
            let input = control(input.class("input"))
                .dyn_prop("value", move || JsValue::from_str(&value()))
                .on("input", move |ev| set(event_target_value(&ev)))
                .on("blur", move |_| leave());
            let remaining = {
                let value = answer_text.clone();
                move || {
                    let r = max_length as i64 - value().chars().count() as i64;
                    let (m, n) = if r >= 0 { (Msg::CharsRemaining, r) } else { (Msg::CharsTooMany, -r) };
                    trf(m, &[("n", &n.to_string())])
                }
            };
            // Identifiers flagged while typing (the check page repeats them);
            // a polite live region, so a screen reader hears a new one.
            let flags = move || {
                let text = answer_text();
                let found = detector.map(|d| d.with_value(|d| d.find(&text))).unwrap_or_default();
                frag().children(found.iter().map(|f| el("p").class("flag").text(&flag(&text, f, crate::i18n::ui()))).collect())
            };
            top(frame)
                .child(input)
                .child(el("p").class("count").id(&format!("{id}-count")).attr("aria-live", "polite").dyn_text(remaining))
                .child(el("div").class("flags").attr("aria-live", "polite").region(flags))
        }
        Kind::Number { step, .. } => {
            let whole = step.is_none_or(|s| s.fract() == 0.0);
            // What the student typed, exactly: "05" or "1." must not be
            // rewritten to "5" or "1" under their fingers (the caret would
            // jump and a decimal point could never be typed).
            let typed = StoredValue::new(None::<String>);
            let value = {
                let id = id.clone();
                move || match state.answer(&id) {
                    Some(Answer::Number(n)) => typed.get_value().filter(|t| parse_f64(t.trim()) == Some(n)).unwrap_or_else(|| fmt_num(n)),
                    Some(Answer::Text(s)) => s,
                    _ => String::new(),
                }
            };
            let on_input = {
                let id = id.clone();
                move |ev| {
                    let raw = event_target_value(&ev);
                    typed.set_value(Some(raw.clone()));
                    // Keep what was typed even when it is not a number, so the
                    // student sees it and the error, and nothing is lost.
                    let a = match parse_f64(raw.trim()) {
                        Some(n) => Answer::Number(n),
                        _ => Answer::Text(raw),
                    };
                    state.set_answer(&id, Some(a));
                }
            };
            let input = control(el("input").attr("type", "text").class("input input-short"))
                .attr("inputmode", if whole { "numeric" } else { "decimal" })
                .attr("autocomplete", "off")
                .dyn_prop("value", move || JsValue::from_str(&value()))
                .on("input", on_input)
                .on("blur", move |_| leave());
            top(frame).child(input)
        }
        Kind::Consent => {
            let id2 = id.clone();
            let checked = move || state.answer(&id2) == Some(Answer::Bool(true));
            let set = {
                let id = id.clone();
                move |on: bool| {
                    state.set_answer(&id, Some(Answer::Bool(on)));
                    state.leave(&id);
                }
            };
            let input = control(el("input").attr("type", "checkbox"))
                .dyn_prop("checked", move || JsValue::from_bool(checked()))
                .on("change", move |ev| set(event_target_checked(&ev)));
            top(frame).child(el("div").class("choice").child(input).child(el("label").attr("for", &input_id).text(&text)))
        }
        Kind::Single { options, prefer_not_to_say } => {
            let choices = with_prefer_not(options, prefer_not_to_say);
            top(frame).children(radios(&id, choices, text_getter(state, &id), choose(state, &id, |v| Some(Answer::Text(v)))))
        }
        Kind::Rating { min, max, min_label, max_label } => {
            let choices = (min..=max).map(|n| (n.to_string(), n.to_string())).collect();
            let ends = format!(
                "{min} = {}, {max} = {}",
                min_label.as_ref().map(t).unwrap_or_default(),
                max_label.as_ref().map(t).unwrap_or_default()
            );
            let get: GetChoice = {
                let id = id.clone();
                Rc::new(move || state.answer(&id).and_then(|a| a.as_number()).map(fmt_num))
            };
            let end = |class: &str, label: &Option<Text>| {
                el("span").class(class).attr("aria-hidden", "true").text(&label.as_ref().map(t).unwrap_or_default())
            };
            // The end labels sit at the scale's ends in both layouts: under
            // the first and last points in one row (wide), above the first and
            // below the last in a list (phones).
            let rating = el("div")
                .class("rating")
                .child(end("rating-end rating-min", &min_label))
                .children(radios(&id, choices, get, choose(state, &id, |v| parse_f64(&v).map(Answer::Number))))
                .child(end("rating-end rating-max", &max_label));
            top(frame).child(rating).child(el("p").class("visually-hidden").text(&ends))
        }
        Kind::Multiple { options, .. } => {
            let boxes = options
                .into_iter()
                .map(|o| {
                    let value: Arc<str> = o.value.as_str().into();
                    let checked = {
                        let (id, value) = (id.clone(), value.clone());
                        move || matches!(state.answer(&id), Some(Answer::Many(v)) if v.iter().any(|x| **x == *value))
                    };
                    let set = {
                        let id = id.clone();
                        move |on: bool| {
                            let mut v = match state.answer(&id) {
                                Some(Answer::Many(v)) => v,
                                _ => Vec::new(),
                            };
                            v.retain(|x| **x != *value);
                            if on {
                                v.push(value.to_string());
                            }
                            state.set_answer(&id, Some(Answer::Many(v)));
                            state.leave(&id);
                        }
                    };
                    choice("checkbox", &id, &o.value, &t(&o.label), Box::new(checked), Box::new(set))
                })
                .collect();
            top(frame).child(el("div").class("choices").children(boxes))
        }
        Kind::Likert { scale, statements, prefer_not_to_say } => {
            let choices = with_prefer_not(scale, prefer_not_to_say);
            let rows = statements
                .into_iter()
                .map(|s| {
                    let sid: Arc<str> = s.id.as_str().into();
                    let get: GetChoice = {
                        let (id, sid) = (id.clone(), sid.clone());
                        Rc::new(move || match state.answer(&id) {
                            Some(Answer::Grid(g)) => g.get(&sid).cloned(),
                            _ => None,
                        })
                    };
                    // A grid is checked when the student moves on (Next), not
                    // when focus moves between its statements: the first tap
                    // is not an error.
                    let set: SetChoice = {
                        let (id, sid) = (id.clone(), sid.clone());
                        Rc::new(move |v: String| {
                            let mut g = match state.answer(&id) {
                                Some(Answer::Grid(g)) => g,
                                _ => Default::default(),
                            };
                            g.insert(sid.to_string(), v);
                            state.set_answer(&id, Some(Answer::Grid(g)));
                        })
                    };
                    let missing = {
                        let (id, sid) = (id.clone(), sid.clone());
                        move || state.errors.with(|e| matches!(e.get(&id), Some(ValidationError::Incomplete { missing }) if missing.iter().any(|m| **m == *sid)))
                    };
                    let name = format!("{id}--{sid}");
                    el("fieldset")
                        .class("statement")
                        .id(&format!("q-{name}"))
                        .dyn_class("statement-missing", missing)
                        .child(el("legend").text(&t(&s.text)))
                        .children(radios(&name, choices.clone(), get, set))
                })
                .collect();
            top(frame).children(rows)
        }
    }
}

/// The current answer as text, for a choice's `checked`.
fn text_getter(state: SurveyState, id: &Arc<str>) -> GetChoice {
    let id = id.clone();
    Rc::new(move || state.answer(&id).and_then(|a| a.as_text().map(str::to_owned)))
}

/// Stores a chosen value (as `answer` makes it) and checks the question: a
/// choice is complete the moment it is made.
fn choose(state: SurveyState, id: &Arc<str>, answer: fn(String) -> Option<Answer>) -> SetChoice {
    let id = id.clone();
    Rc::new(move |v| {
        state.set_answer(&id, answer(v));
        state.leave(&id);
    })
}

/// Options as (value, label), with "Prefer not to say" last when allowed.
fn with_prefer_not(options: Vec<Opt>, prefer_not: bool) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = options.into_iter().map(|o| (o.value, t(&o.label))).collect();
    if prefer_not {
        v.push((PREFER_NOT_TO_SAY.into(), tr(Msg::PreferNotToSay)));
    }
    v
}

/// A native radio group: one `<input type=radio>` per choice, each inside a
/// large tap target.
fn radios(name: &str, choices: Vec<(String, String)>, get: GetChoice, set: SetChoice) -> Vec<El> {
    choices
        .into_iter()
        .map(|(value, label)| {
            let checked = {
                let (get, value) = (get.clone(), value.clone());
                move || get().as_deref() == Some(value.as_str())
            };
            let set = {
                let (set, value) = (set.clone(), value.clone());
                move |_| set(value.clone())
            };
            let c = choice("radio", name, &value, &label, Box::new(checked), Box::new(set));
            if value == PREFER_NOT_TO_SAY {
                c.class("choice choice-pnts")
            } else {
                c
            }
        })
        .collect()
}

/// One radio or checkbox with its label, in a large tap target.
fn choice(kind: &str, name: &str, value: &str, label: &str, checked: Box<dyn Fn() -> bool>, set: Box<dyn Fn(bool)>) -> El {
    let input_id = format!("{name}--{value}");
    el("div")
        .class("choice")
        .child(
            el("input")
                .attr("type", kind)
                .id(&input_id)
                .attr("name", name)
                .attr("value", value)
                .dyn_prop("checked", move || JsValue::from_bool(checked()))
                .on("change", move |ev| set(event_target_checked(&ev))),
        )
        .child(el("label").attr("for", &input_id).text(label))
}
