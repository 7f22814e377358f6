//! The page flow: one section per page, Back / Next, then "Check your answers".

use crate::browser;
use crate::dom::{el, focus_later, focus_next_frame, frag, El};
use crate::fields::{field, t};
use crate::i18n::{tr, trf};
use crate::messages::{flag, message};
use crate::notice::notice;
use crate::prelude::*;
use crate::state::SurveyState;
use survey_core::anon::Detector;
use survey_core::i18n::Msg;
use survey_core::num::fmt_num;
use survey_core::payload::findings_by_question;
use survey_core::{Answer, Kind, Question, PREFER_NOT_TO_SAY};

/// The error summary: a list of links, each moving focus to its field (for a
/// grid, to its first blank statement).
fn error_summary(state: SurveyState) -> El {
    let items = move || -> Vec<El> {
        state
            .errors
            .with(|e| e.summary().to_vec())
            .into_iter()
            .map(|f| {
                let text = state.question(&f.question).map(|q| message(&q, &f.error, &crate::i18n::tag())).unwrap_or_default();
                let id = f.question.clone();
                let href = format!("#{}", state.target_of(&id));
                // The field may be on another page (from the check page).
                el("li").child(el("a").attr("href", &href).text(&text).on_click(move || state.show_question(&id)))
            })
            .collect()
    };
    el("div")
        .class("error-summary")
        .id("error-summary")
        .attr("tabindex", "-1")
        .attr("aria-labelledby", "error-summary-title")
        .dyn_attr("hidden", move || state.errors.with(|e| e.summary().is_empty()).then(String::new))
        .child(el("h2").class("error-summary-title").id("error-summary-title").text(&tr(Msg::ErrorSummaryTitle)))
        .child(el("ul").class("error-summary-list").region(move || frag().children(items())))
}

fn page_heading(caption: Option<El>, title: &str) -> El {
    el("h2").class("page-title").id("page-title").attr("tabindex", "-1").opt(caption).child(el("span").class("page-title-text").text(title))
}

fn button(class: &str, label: &str, f: impl Fn() + 'static) -> El {
    el("button").attr("type", "button").class(class).text(label).on("click", move |_| f())
}

/// The survey: the current section or the check page.
///
/// Fine-grained on purpose: the page is built again only when the page
/// changes. Everything that depends on answers (which questions skip logic
/// shows, the progress caption, Back) is its own small reactive node, so the
/// field a student is typing in is never rebuilt (value, focus and caret stay).
///
/// `on_submit` runs once every shown question is valid.
///
/// # Usage
/// ```ignore
/// dom::mount(&main, move || survey(state, Callback::new(|_| send()), detector));
/// ```
pub fn survey(state: SurveyState, on_submit: Callback<()>, detector: Option<StoredValue<Detector>>) -> El {
    // Text fields flag identifiers as the student types.
    let detector = detector.unwrap_or_else(|| StoredValue::new(Detector::default()));
    let focus_summary = || focus_later("error-summary");
    // Which sections skip logic shows: changes only when an answer flips a
    // condition, not on every key.
    let shown = Memo::new(move |_| state.shown_sections());
    // On a page change, move focus to the new heading so screen readers
    // announce it, and scroll to the top (syncing with the DOM, hence an effect).
    run_effect(move |prev| {
        let page = state.page.get();
        if prev.is_some_and(|p| p != page) {
            focus_next_frame(move || {
                browser::scroll_to_top();
                match state.focus_after_render.try_update_value(Option::take).flatten() {
                    Some(target) => browser::focus_first_control(&target),
                    None => browser::focus_id("page-title"),
                }
            });
        }
        page
    });
    // The tab's title names the page, and starts with "Error: " while the
    // page shows errors (GOV.UK), so a screen reader user hears it first.
    let title = state.questionnaire.with_value(|q| t(&q.title));
    let heading = title.clone();
    run_effect(move |_| {
        let page = state.page.get();
        let name =
            if page >= state.check_page() { tr(Msg::CheckAnswers) } else { state.questionnaire.with_value(|q| t(&q.sections[page].title)) };
        let errors = !state.errors.with(|e| e.summary().is_empty()) || state.page_has_errors(page);
        browser::set_title(&format!("{}{name} - {title}", if errors { tr(Msg::ErrorPrefix) } else { String::new() }));
        0
    });

    let on_next = move || {
        state.next();
        if !state.errors.with_untracked(|e| e.summary().is_empty()) {
            focus_summary();
        }
    };
    let on_back = move || state.back();
    let on_submit_click = move || {
        if state.check_all() {
            on_submit.run(());
        } else {
            focus_summary();
        }
    };

    let page_view = move || {
        let page = state.page.get();
        if page >= state.check_page() {
            return frag().children(vec![
                page_heading(None, &tr(Msg::CheckAnswers)),
                error_summary(state),
                el("p").text(&tr(Msg::CheckIntro)),
                frag().region(move || frag().children(check_answers(state, detector))),
                el("div").class("actions").child(button("button", &tr(Msg::SendMyAnswers), on_submit_click)).child(button(
                    "button button-secondary",
                    &tr(Msg::Back),
                    on_back,
                )),
            ]);
        }
        let section = state.questionnaire.with_value(|q| q.sections[page].clone());
        let first = Memo::new(move |_| shown.with(|s| s.first() == Some(&page)));
        let progress = move || {
            shown.with(|s| {
                trf(
                    Msg::SectionOf,
                    &[("n", &s.iter().position(|i| *i == page).map_or(1, |p| p + 1).to_string()), ("total", &s.len().to_string())],
                )
            })
        };
        let intro = state.questionnaire.with_value(|q| q.intro.as_ref().map(t));
        // Each question is built when skip logic shows it, never on an
        // answer's change.
        let mut form = el("form").class("section").attr("novalidate", "").on("submit", move |ev| {
            ev.prevent_default();
            on_next()
        });
        for q in section.questions {
            let id = q.id.clone();
            let shown = Memo::new(move |_| state.is_shown(&id));
            form = form.show(move || shown.get(), move || field(state, &q, Some(detector)));
        }
        let mut v = Vec::new();
        if let Some(intro) = intro {
            v.push(frag().show(move || first.get(), move || el("p").class("intro").text(&intro)));
        }
        v.push(page_heading(Some(el("span").class("progress caption").dyn_text(progress)), &t(&section.title)));
        v.push(error_summary(state));
        if let Some(i) = &section.intro {
            v.push(el("p").class("section-intro").text(&t(i)));
        }
        let actions = el("div")
            .class("actions")
            .child(el("button").attr("type", "submit").class("button").text(&tr(Msg::Next)))
            .show(move || !first.get(), move || button("button button-secondary", &tr(Msg::Back), on_back));
        v.push(form.child(actions));
        frag().children(v)
    };

    frag().child(el("h1").class("title").text(&heading)).region(page_view)
}

/// The summary list of the check page, with a "Change" link per answer.
fn check_answers(state: SurveyState, detector: StoredValue<Detector>) -> Vec<El> {
    let answers = state.answers.get();
    let errors = state.errors.get();
    let findings = state.questionnaire.with_value(|q| detector.with_value(|d| findings_by_question(q, &answers, d)));
    let mut out = Vec::new();
    if !findings.is_empty() {
        out.push(notice("notice notice-warning", "status", tr(Msg::FlaggedWarning), Vec::new()));
    }
    state.questionnaire.with_value(|q| {
        for s in q.sections.iter().filter(|s| q.section_shown(s, &answers)) {
            let rows = s
                .questions
                .iter()
                .filter(|qu| !matches!(qu.kind, Kind::Info) && q.question_shown(s, qu, &answers))
                .map(|qu| {
                    // The answer's lines, then any identifier flags: one list
                    // of paragraphs.
                    let mut answer = el("dd").class("summary-answer");
                    for line in describe(qu, answers.get(&qu.id)) {
                        answer = answer.child(el("p").text(&line));
                    }
                    if let Some((_, list)) = findings.iter().find(|(id, _)| *id == qu.id) {
                        let text = answers.get(&qu.id).and_then(|a| a.as_text()).unwrap_or("");
                        for f in list {
                            answer = answer.child(el("p").class("flag").text(&flag(text, f, crate::i18n::ui())));
                        }
                    }
                    let id = qu.id.clone();
                    let row = el("div").class(if errors.contains_key(&qu.id) { "summary-row summary-missing" } else { "summary-row" });
                    row.child(el("dt").text(&t(&qu.text))).child(answer).child(
                        el("dd").class("summary-change").child(
                            el("a")
                                .attr("href", &format!("#q-{}", qu.id))
                                .text(&tr(Msg::Change))
                                .child(el("span").class("visually-hidden").text(&format!(" {}", t(&qu.text))))
                                .on_click(move || state.show_question(&id)),
                        ),
                    )
                })
                .collect();
            out.push(el("h3").class("summary-heading").text(&t(&s.title)));
            out.push(el("dl").class("summary").children(rows));
        }
    });
    out
}

/// The answer as the student would say it, for the check page.
fn describe(q: &Question, a: Option<&Answer>) -> Vec<String> {
    let label = |options: &[survey_core::Opt], v: &str| {
        if v == PREFER_NOT_TO_SAY {
            return tr(Msg::PreferNotToSay);
        }
        options.iter().find(|o| o.value == v).map(|o| t(&o.label)).unwrap_or_else(|| v.to_owned())
    };
    let Some(a) = a else { return vec![tr(Msg::NotAnswered)] };
    match (&q.kind, a) {
        (Kind::Single { options, .. }, Answer::Text(v)) => vec![label(options, v)],
        (Kind::Multiple { options, .. }, Answer::Many(vs)) => vs.iter().map(|v| label(options, v)).collect(),
        (Kind::Likert { scale, statements, .. }, Answer::Grid(g)) => statements
            .iter()
            .map(|s| {
                let v = g.get(&s.id).map_or_else(|| tr(Msg::NotAnswered), |v| label(scale, v));
                format!("{}: {v}", t(&s.text))
            })
            .collect(),
        (Kind::Consent, Answer::Bool(true)) => vec![tr(Msg::Yes)],
        (_, Answer::Number(n)) => vec![fmt_num(*n)],
        (_, Answer::Text(s)) => vec![s.clone()],
        _ => vec![tr(Msg::NotAnswered)],
    }
}
