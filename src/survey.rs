//! The page flow: one section per page, Back / Next, then "Check your answers".

use crate::browser;
use crate::fields::{Field, LANG};
use crate::messages::{flag, message};
use crate::notice::notice;
use crate::state::SurveyState;
use leptos::html;
use leptos::prelude::*;
use survey_core::anon::Detector;
use survey_core::num::fmt_num;
use survey_core::payload::findings_by_question;
use survey_core::{Answer, Kind, Question, PREFER_NOT_TO_SAY};

/// The error summary: a list of links, each moving focus to its field (for a
/// grid, to its first blank statement).
#[component]
fn ErrorSummary(summary_ref: NodeRef<html::Div>) -> impl IntoView {
    let state = expect_context::<SurveyState>();
    let items = move || {
        state
            .summary
            .get()
            .into_iter()
            .map(|f| {
                let q = state.question(&f.question);
                let text = q.as_ref().map(|q| message(q, &f.error, LANG)).unwrap_or_default();
                let id = f.question.clone();
                let href = format!("#{}", state.target_of(&id));
                let on_click = move |ev: leptos::ev::MouseEvent| {
                    ev.prevent_default();
                    // The field may be on another page (from the check page).
                    state.show_question(&id);
                };
                view! { <li><a href=href on:click=on_click>{text}</a></li> }
            })
            .collect_view()
    };
    view! {
        <div class="error-summary" tabindex="-1" node_ref=summary_ref
            aria-labelledby="error-summary-title"
            hidden=move || state.summary.with(Vec::is_empty)>
            <h2 class="error-summary-title" id="error-summary-title">"There is a problem"</h2>
            <ul class="error-summary-list">{items}</ul>
        </div>
    }
}

/// The survey: the current section or the check page.
///
/// Fine-grained on purpose: the page is built again only when the page
/// changes. Everything that depends on answers (which questions skip logic
/// shows, the progress caption, Back) is its own small reactive node, so the
/// field a student is typing in is never rebuilt (value, focus and caret stay).
///
/// `on_submit` runs once every shown question is valid.
#[component]
pub fn Survey(
    state: SurveyState,
    #[prop(into)] on_submit: Callback<()>,
    #[prop(optional, into)] submitting: Signal<bool>,
    /// Finds identifiers in free text for the check page's warnings.
    #[prop(optional)]
    detector: Option<StoredValue<Detector>>,
) -> impl IntoView {
    provide_context(state);
    let detector = detector.unwrap_or_else(|| StoredValue::new(Detector::default()));
    // Text fields flag identifiers as the student types.
    provide_context(detector);
    let summary_ref = NodeRef::<html::Div>::new();
    let heading_ref = NodeRef::<html::H2>::new();
    let focus_summary = move || {
        request_animation_frame(move || {
            if let Some(el) = summary_ref.try_get_untracked().flatten() {
                let _ = el.focus();
            }
        })
    };
    // Which sections skip logic shows: changes only when an answer flips a
    // condition, not on every key.
    let shown = Memo::new(move |_| state.shown_sections());
    // On a page change, move focus to the new heading so screen readers
    // announce it, and scroll to the top (syncing with the DOM, hence an effect).
    Effect::new(move |prev: Option<usize>| {
        let page = state.page.get();
        if prev.is_some_and(|p| p != page) {
            request_animation_frame(move || {
                browser::scroll_to_top();
                if let Some(target) = state.focus_after_render.try_update_value(Option::take).flatten() {
                    browser::focus_first_control(&target);
                } else if let Some(h) = heading_ref.try_get_untracked().flatten() {
                    let _ = h.focus();
                }
            });
        }
        page
    });
    // The tab's title names the page, and starts with "Error: " while the
    // page shows errors (GOV.UK), so a screen reader user hears it first.
    let title = state.questionnaire.with_value(|q| q.title.get(LANG).to_owned());
    let heading = title.clone();
    Effect::new(move |_| {
        let page = state.page.get();
        let name = if page >= state.check_page() {
            "Check your answers".to_owned()
        } else {
            state.questionnaire.with_value(|q| q.sections[page].title.get(LANG).to_owned())
        };
        let errors = !state.summary.with(Vec::is_empty) || state.page_has_errors(page);
        browser::set_title(&format!("{}{name} - {title}", if errors { "Error: " } else { "" }));
    });

    let on_next = move |_| {
        state.next();
        if !state.summary.with_untracked(Vec::is_empty) {
            focus_summary();
        }
    };
    let on_back = move |_| state.back();
    let on_submit_click = move |_| {
        if state.check_all() {
            on_submit.run(());
        } else {
            focus_summary();
        }
    };

    let page_view = move || {
        let page = state.page.get();
        if page >= state.check_page() {
            return view! {
                <h2 class="page-title" id="page-title" tabindex="-1" node_ref=heading_ref><span class="page-title-text">"Check your answers"</span></h2>
                <ErrorSummary summary_ref=summary_ref />
                <p>"You can change any answer before you send. Nothing is sent until you press Send."</p>
                <CheckAnswers detector=detector />
                <div class="actions">
                    <button type="button" class="button" on:click=on_submit_click disabled=move || submitting.get()>
                        "Send my answers"
                    </button>
                    <button type="button" class="button button-secondary" on:click=on_back>"Back"</button>
                </div>
            }
            .into_any();
        }
        let section = state.questionnaire.with_value(|q| q.sections[page].clone());
        let first = Memo::new(move |_| shown.with(|s| s.first() == Some(&page)));
        let progress = move || shown.with(|s| format!("Section {} of {}", s.iter().position(|i| *i == page).map_or(1, |p| p + 1), s.len()));
        let intro = state.questionnaire.with_value(|q| q.intro.as_ref().map(|i| i.get(LANG).to_owned()));
        let intro = move || first.get().then(|| intro.clone().map(|i| view! { <p class="intro">{i}</p> }));
        let questions = section
            .questions
            .into_iter()
            .map(|q| {
                let id = q.id.clone();
                // What <Show> does, without its generic children/fallback types.
                let shown = Memo::new(move |_| state.is_shown(&id));
                move || shown.get().then(|| view! { <Field question=q.clone() /> })
            })
            .collect_view();
        view! {
            {intro}
            <h2 class="page-title" id="page-title" tabindex="-1" node_ref=heading_ref>
                <span class="progress caption">{progress}</span>
                <span class="page-title-text">{section.title.get(LANG).to_owned()}</span>
            </h2>
            <ErrorSummary summary_ref=summary_ref />
            {section.intro.map(|i| view! { <p class="section-intro">{i.get(LANG).to_owned()}</p> })}
            <form class="section" novalidate on:submit=|ev| ev.prevent_default()>
                {questions}
                <div class="actions">
                    <button type="submit" class="button" on:click=on_next>"Next"</button>
                    {move || (!first.get()).then(|| view! {
                        <button type="button" class="button button-secondary" on:click=on_back>"Back"</button>
                    })}
                </div>
            </form>
        }
        .into_any()
    };

    view! {
        <h1 class="title">{heading}</h1>
        {page_view}
    }
}

/// The summary list of the check page, with a "Change" link per answer.
#[component]
fn CheckAnswers(detector: StoredValue<Detector>) -> impl IntoView {
    let state = expect_context::<SurveyState>();
    move || {
        let answers = state.answers.get();
        let errors = state.errors.get();
        let findings = state.questionnaire.with_value(|q| detector.with_value(|d| findings_by_question(q, &answers, d)));
        let flagged = !findings.is_empty();
        let warning = flagged.then(|| notice("notice notice-warning", "status",
            "Some of your answers may identify a person. Please change them. Anything still flagged when you send is replaced by a tag such as [phone].".into(),
            Vec::new()));
        let sections = state.questionnaire.with_value(|q| {
            q.sections
                .iter()
                .filter(|s| q.section_shown(s, &answers))
                .map(|s| {
                    let rows = s
                        .questions
                        .iter()
                        .filter(|qu| !matches!(qu.kind, Kind::Info) && q.question_shown(s, qu, &answers))
                        .map(|qu| {
                            // The answer's lines, then any identifier flags: one
                            // list of paragraphs, one view.
                            let mut lines: Vec<(Option<&'static str>, String)> =
                                describe(qu, answers.get(&qu.id)).into_iter().map(|l| (None, l)).collect();
                            if let Some((_, list)) = findings.iter().find(|(id, _)| *id == qu.id) {
                                let text = answers.get(&qu.id).and_then(|a| a.as_text()).unwrap_or("");
                                lines.extend(list.iter().map(|f| (Some("flag"), flag(text, f))));
                            }
                            let missing = errors.contains_key(&qu.id);
                            let id = qu.id.clone();
                            let change = move |ev: leptos::ev::MouseEvent| {
                                ev.prevent_default();
                                state.show_question(&id);
                            };
                            view! {
                                <div class="summary-row" class:summary-missing=missing>
                                    <dt>{qu.text.get(LANG).to_owned()}</dt>
                                    <dd class="summary-answer">
                                        {lines.into_iter().map(|(class, line)| view! { <p class=class>{line}</p> }).collect_view()}
                                    </dd>
                                    <dd class="summary-change">
                                        <a href=format!("#q-{}", qu.id) on:click=change>
                                            "Change"<span class="visually-hidden">{format!(" {}", qu.text.get(LANG))}</span>
                                        </a>
                                    </dd>
                                </div>
                            }
                        })
                        .collect_view();
                    view! {
                        <h3 class="summary-heading">{s.title.get(LANG).to_owned()}</h3>
                        <dl class="summary">{rows}</dl>
                    }
                })
                .collect_view()
        });
        view! { {warning} {sections} }
    }
}

/// The answer as the student would say it, for the check page.
fn describe(q: &Question, a: Option<&Answer>) -> Vec<String> {
    let label = |options: &[survey_core::Opt], v: &str| {
        if v == PREFER_NOT_TO_SAY {
            return "Prefer not to say".to_owned();
        }
        options.iter().find(|o| o.value == v).map(|o| o.label.get(LANG).to_owned()).unwrap_or_else(|| v.to_owned())
    };
    let Some(a) = a else { return vec!["Not answered".into()] };
    match (&q.kind, a) {
        (Kind::Single { options, .. }, Answer::Text(v)) => vec![label(options, v)],
        (Kind::Multiple { options, .. }, Answer::Many(vs)) => vs.iter().map(|v| label(options, v)).collect(),
        (Kind::Likert { scale, statements, .. }, Answer::Grid(g)) => statements
            .iter()
            .map(|s| {
                let v = g.get(&s.id).map_or("Not answered".to_owned(), |v| label(scale, v));
                format!("{}: {v}", s.text.get(LANG))
            })
            .collect(),
        (Kind::Consent, Answer::Bool(true)) => vec!["Yes".into()],
        (_, Answer::Number(n)) => vec![fmt_num(*n)],
        (_, Answer::Text(s)) => vec![s.clone()],
        _ => vec!["Not answered".into()],
    }
    .into_iter()
    .collect()
}
