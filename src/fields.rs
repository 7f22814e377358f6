//! One component per question kind, following the GOV.UK pattern: label (or
//! legend), hint and error message together, joined by `aria-describedby`.

use crate::messages::{flag, message};
use crate::state::SurveyState;
use leptos::prelude::*;
use std::sync::Arc;
use survey_core::anon::Detector;
use survey_core::num::fmt_num;
use survey_core::{Answer, Kind, Opt, Question, Text, PREFER_NOT_TO_SAY};

/// Only English content today; the format already carries other languages.
pub const LANG: &str = "en";

fn t(text: &Text) -> String {
    text.get(LANG).to_owned()
}

/// A question, rendered for its kind. Reads and writes the [`SurveyState`]
/// from context.
///
/// # Usage
/// ```ignore
/// provide_context(SurveyState::new(questionnaire));
/// view! { <Field question=question.clone() /> }
/// ```
#[component]
pub fn Field(question: Question) -> impl IntoView {
    let state = expect_context::<SurveyState>();
    let id = question.id.clone();
    let error = {
        let (id, q) = (id.clone(), question.clone());
        Memo::new(move |_| state.errors.with(|e| e.get(&id).map(|err| message(&q, err, LANG))))
    };
    let hint_id = question.hint.as_ref().map(|_| format!("{id}-hint"));
    let error_id = format!("{id}-error");
    let described = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let mut ids: Vec<String> = hint_id.iter().cloned().collect();
            if error.with(Option::is_some) {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let invalid = move || error.with(Option::is_some).then_some("true");
    let hint = question.hint.as_ref().map(|h| view! { <p class="hint" id=hint_id.clone()>{t(h)}</p> });
    let error_view = move || {
        error.get().map(|m| {
            view! {
                <p class="error-message" id=error_id.clone()>
                    <span class="visually-hidden">"Error: "</span>
                    {m}
                </p>
            }
        })
    };
    let optional = (!question.required && !matches!(question.kind, Kind::Info | Kind::Consent))
        .then(|| view! { <span class="optional">" (optional)"</span> });
    let text = t(&question.text);
    let class = move || if error.with(Option::is_some) { "field field-error" } else { "field" };
    let container = format!("q-{id}");

    match question.kind.clone() {
        Kind::Info => view! { <div class="field info" id=container><p>{text}</p></div> }.into_any(),
        Kind::ShortText { max_length, .. } | Kind::LongText { max_length, .. } => {
            let long = matches!(question.kind, Kind::LongText { .. });
            let input_id = format!("{id}-input");
            let value = {
                let id = id.clone();
                move || state.answer(&id).and_then(|a| a.as_text().map(str::to_owned)).unwrap_or_default()
            };
            let on_input = {
                let id = id.clone();
                move |ev| {
                    let v = event_target_value(&ev);
                    state.set_answer(&id, Some(Answer::Text(v)));
                }
            };
            let on_blur = {
                let id = id.clone();
                move |_| state.leave(&id)
            };
            let count_id = format!("{id}-count");
            let remaining = {
                let value = value.clone();
                move || max_length as i64 - value().chars().count() as i64
            };
            let label_for = input_id.clone();
            // Identifiers flagged while typing (the check page repeats them);
            // a polite live region, so a screen reader hears a new one.
            let flags = {
                let value = value.clone();
                let detector = use_context::<StoredValue<Detector>>();
                move || {
                    let text = value();
                    let found = detector.map(|d| d.with_value(|d| d.find(&text))).unwrap_or_default();
                    found.iter().map(|f| view! { <p class="flag">{flag(&text, f)}</p> }).collect_view()
                }
            };
            let control = if long {
                view! {
                    <textarea id=input_id.clone() name=id.clone() rows="5" class="input"
                        aria-describedby=described.clone() aria-invalid=invalid
                        prop:value=value.clone() on:input=on_input on:blur=on_blur></textarea>
                }
                .into_any()
            } else {
                view! {
                    <input id=input_id.clone() name=id.clone() type="text" class="input" autocomplete="off"
                        aria-describedby=described.clone() aria-invalid=invalid
                        prop:value=value.clone() on:input=on_input on:blur=on_blur />
                }
                .into_any()
            };
            view! {
                <div class=class id=container>
                    <label class="question" for=label_for>{text}{optional}</label>
                    {hint}
                    {error_view}
                    {control}
                    <p class="count" id=count_id aria-live="polite">
                        {move || {
                            let r = remaining();
                            if r >= 0 { format!("{r} characters remaining") } else { format!("{} characters too many", -r) }
                        }}
                    </p>
                    <div class="flags" aria-live="polite">{flags}</div>
                </div>
            }
            .into_any()
        }
        Kind::Number { step, .. } => {
            let input_id = format!("{id}-input");
            let label_for = input_id.clone();
            let whole = step.is_none_or(|s| s.fract() == 0.0);
            // What the student typed, exactly: "05" or "1." must not be
            // rewritten to "5" or "1" under their fingers (the caret would
            // jump and a decimal point could never be typed).
            let typed = StoredValue::new(None::<String>);
            let value = {
                let id = id.clone();
                move || match state.answer(&id) {
                    Some(Answer::Number(n)) => {
                        typed.get_value().filter(|t| survey_core::num::parse_f64(t.trim()) == Some(n)).unwrap_or_else(|| fmt_num(n))
                    }
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
                    let a = match survey_core::num::parse_f64(raw.trim()) {
                        Some(n) => Answer::Number(n),
                        _ => Answer::Text(raw),
                    };
                    state.set_answer(&id, Some(a));
                }
            };
            let on_blur = {
                let id = id.clone();
                move |_| state.leave(&id)
            };
            view! {
                <div class=class id=container>
                    <label class="question" for=label_for>{text}{optional}</label>
                    {hint}
                    {error_view}
                    <input id=input_id name=id.clone() type="text" class="input input-short"
                        inputmode=if whole { "numeric" } else { "decimal" } autocomplete="off"
                        aria-describedby=described aria-invalid=invalid
                        prop:value=value on:input=on_input on:blur=on_blur />
                </div>
            }
            .into_any()
        }
        Kind::Consent => {
            let input_id = format!("{id}-input");
            let checked = {
                let id = id.clone();
                move || state.answer(&id) == Some(Answer::Bool(true))
            };
            let on_change = {
                let id = id.clone();
                move |ev| {
                    state.set_answer(&id, Some(Answer::Bool(event_target_checked(&ev))));
                    state.leave(&id);
                }
            };
            view! {
                <div class=class id=container>
                    {error_view}
                    <div class="choice">
                        <input id=input_id.clone() name=id.clone() type="checkbox"
                            aria-describedby=described aria-invalid=invalid
                            prop:checked=checked on:change=on_change />
                        <label for=input_id>{text}</label>
                    </div>
                </div>
            }
            .into_any()
        }
        Kind::Single { options, prefer_not_to_say } => {
            let choices = with_prefer_not(options, prefer_not_to_say);
            view! {
                <fieldset class=class id=container aria-describedby=described>
                    <legend class="question">{text}{optional}</legend>
                    {hint}
                    {error_view}
                    <Radios name=id.clone() choices=choices
                        get={let id = id.clone(); Arc::new(move || state.answer(&id).and_then(|a| a.as_text().map(str::to_owned))) as GetChoice}
                        set={let id = id.clone(); Arc::new(move |v: String| { state.set_answer(&id, Some(Answer::Text(v))); state.leave(&id); }) as SetChoice} />
                </fieldset>
            }
            .into_any()
        }
        Kind::Rating { min, max, min_label, max_label } => {
            let choices: Vec<(String, String)> = (min..=max).map(|n| (n.to_string(), n.to_string())).collect();
            let ends = format!(
                "{min} = {}, {max} = {}",
                min_label.as_ref().map(t).unwrap_or_default(),
                max_label.as_ref().map(t).unwrap_or_default()
            );
            view! {
                <fieldset class=class id=container aria-describedby=described>
                    <legend class="question">{text}{optional}</legend>
                    {hint}
                    {error_view}
                    // The end labels sit at the scale's ends in both layouts:
                    // under the first and last points in one row (wide), above
                    // the first and below the last in a list (phones).
                    <div class="rating">
                        <span class="rating-end rating-min" aria-hidden="true">{min_label.as_ref().map(t)}</span>
                        <Radios name=id.clone() choices=choices
                            get={let id = id.clone(); Arc::new(move || state.answer(&id).and_then(|a| a.as_number()).map(fmt_num)) as GetChoice}
                            set={let id = id.clone(); Arc::new(move |v: String| { state.set_answer(&id, survey_core::num::parse_f64(&v).map(Answer::Number)); state.leave(&id); }) as SetChoice} />
                        <span class="rating-end rating-max" aria-hidden="true">{max_label.as_ref().map(t)}</span>
                    </div>
                    <p class="visually-hidden">{ends}</p>
                </fieldset>
            }
            .into_any()
        }
        Kind::Multiple { options, .. } => {
            let boxes = options
                .into_iter()
                .map(|o| {
                    let input_id = format!("{id}--{}", o.value);
                    let value = o.value.clone();
                    let checked = {
                        let (id, value) = (id.clone(), value.clone());
                        move || matches!(state.answer(&id), Some(Answer::Many(v)) if v.contains(&value))
                    };
                    let on_change = {
                        let id = id.clone();
                        move |ev| {
                            let on = event_target_checked(&ev);
                            let mut v = match state.answer(&id) {
                                Some(Answer::Many(v)) => v,
                                _ => Vec::new(),
                            };
                            v.retain(|x| *x != value);
                            if on {
                                v.push(value.clone());
                            }
                            state.set_answer(&id, Some(Answer::Many(v)));
                            state.leave(&id);
                        }
                    };
                    view! {
                        <div class="choice">
                            <input type="checkbox" id=input_id.clone() name=id.clone() value=o.value.clone()
                                prop:checked=checked on:change=on_change />
                            <label for=input_id>{t(&o.label)}</label>
                        </div>
                    }
                })
                .collect_view();
            view! {
                <fieldset class=class id=container aria-describedby=described>
                    <legend class="question">{text}{optional}</legend>
                    {hint}
                    {error_view}
                    <div class="choices">{boxes}</div>
                </fieldset>
            }
            .into_any()
        }
        Kind::Likert { scale, statements, prefer_not_to_say } => {
            let label_id = format!("{id}-label");
            let choices = with_prefer_not(scale, prefer_not_to_say);
            let rows = statements
                .into_iter()
                .map(|s| {
                    let sid = s.id.clone();
                    let get = {
                        let (id, sid) = (id.clone(), sid.clone());
                        move || match state.answer(&id) {
                            Some(Answer::Grid(g)) => g.get(&sid).cloned(),
                            _ => None,
                        }
                    };
                    let set = {
                        let (id, sid) = (id.clone(), sid.clone());
                        move |v: String| {
                            let mut g = match state.answer(&id) {
                                Some(Answer::Grid(g)) => g,
                                _ => Default::default(),
                            };
                            g.insert(sid.clone(), v);
                            state.set_answer(&id, Some(Answer::Grid(g)));
                        }
                    };
                    let missing = {
                        let (id, sid) = (id.clone(), sid.clone());
                        move || {
                            state.errors.with(|e| {
                                matches!(e.get(&id), Some(survey_core::ValidationError::Incomplete { missing }) if missing.contains(&sid))
                            })
                        }
                    };
                    view! {
                        <fieldset class="statement" id=format!("q-{id}--{sid}") class:statement-missing=missing>
                            <legend>{t(&s.text)}</legend>
                            <Radios name=format!("{id}--{sid}") choices=choices.clone() get=Arc::new(get) as GetChoice set=Arc::new(set) as SetChoice />
                        </fieldset>
                    }
                })
                .collect_view();
            let labelled_by = label_id.clone();
            // A grid is checked when the student moves on (Next), not when
            // focus moves between its statements: the first tap is not an error.
            view! {
                <div class=class id=container role="group" aria-labelledby=labelled_by
                    aria-describedby=described>
                    <p class="question" id=label_id>{text}{optional}</p>
                    {hint}
                    {error_view}
                    {rows}
                </div>
            }
            .into_any()
        }
    }
}

/// Options as (value, label), with "Prefer not to say" last when allowed.
fn with_prefer_not(options: Vec<Opt>, prefer_not: bool) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = options.into_iter().map(|o| (o.value, t(&o.label))).collect();
    if prefer_not {
        v.push((PREFER_NOT_TO_SAY.into(), "Prefer not to say".into()));
    }
    v
}

/// Type-erased accessors for [`Radios`], so its view code is compiled once
/// rather than once per caller.
pub type GetChoice = Arc<dyn Fn() -> Option<String> + Send + Sync>;
pub type SetChoice = Arc<dyn Fn(String) + Send + Sync>;

/// A native radio group: one `<input type=radio>` per choice, each inside a
/// large tap target.
#[component]
pub fn Radios(name: String, choices: Vec<(String, String)>, get: GetChoice, set: SetChoice) -> impl IntoView {
    choices
        .into_iter()
        .map(|(value, label)| {
            let input_id = format!("{name}--{value}");
            let checked = {
                let (get, value) = (get.clone(), value.clone());
                move || get().as_deref() == Some(value.as_str())
            };
            let on_change = {
                let (set, value) = (set.clone(), value.clone());
                move |_| set(value.clone())
            };
            let pnts = value == PREFER_NOT_TO_SAY;
            view! {
                <div class="choice" class:choice-pnts=pnts>
                    <input type="radio" id=input_id.clone() name=name.clone() value=value
                        prop:checked=checked on:change=on_change />
                    <label for=input_id>{label}</label>
                </div>
            }
        })
        .collect_view()
}
