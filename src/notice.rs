//! The notices at the top of a page (and the check page's warning): one view
//! for all of them.

use crate::dom::{el, El};
use crate::i18n::tr;
use crate::prelude::*;
use survey_core::i18n::Msg;

/// A button (or a link, with `link`) under a notice.
pub struct Action {
    label: String,
    /// Quiet: "Dismiss" as a link-styled button, whose words for screen
    /// readers go on: "Dismiss this message".
    dismiss: bool,
    link: Option<String>,
    run: Callback<()>,
}

impl Action {
    pub fn button(label: String, run: impl Fn() + Send + Sync + 'static) -> Self {
        Action { label, dismiss: false, link: None, run: Callback::new(move |_| run()) }
    }

    pub fn dismiss(run: impl Fn() + Send + Sync + 'static) -> Self {
        Action { dismiss: true, ..Action::button(tr(Msg::Dismiss), run) }
    }

    /// Opens `href` in a new tab.
    pub fn new_tab(label: String, href: String) -> Self {
        Action { link: Some(href), ..Action::button(label, || ()) }
    }
}

/// A notice at the top of the page: its text and actions. Every notice is
/// this one builder, so its code is compiled once.
pub fn notice(class: &'static str, role: &'static str, text: String, actions: Vec<Action>) -> El {
    notice_with(class, role, text, actions, None)
}

/// A notice with technical details for IT staff behind a disclosure, so a
/// student never has to read status codes or JSON.
pub fn notice_with(class: &'static str, role: &'static str, text: String, actions: Vec<Action>, details: Option<String>) -> El {
    let mut n = el("div").class(class).attr("role", role).child(el("p").text(&text)).opt(details.map(|d| for_it(&d)));
    for a in actions {
        n = n.child(match a.link {
            Some(href) => {
                el("a").class("button button-secondary").attr("href", &href).attr("target", "_blank").attr("rel", "noopener").text(&a.label)
            }
            None => {
                let b = el("button")
                    .attr("type", "button")
                    .class(if a.dismiss { "link-button" } else { "button button-secondary" })
                    .text(&a.label);
                let b = if a.dismiss { b.child(el("span").class("visually-hidden").text(&tr(Msg::DismissRest))) } else { b };
                let run = a.run;
                b.on("click", move |_| run.run(()))
            }
        });
    }
    n
}

/// "Details for IT staff": the technical reason, folded away.
pub fn for_it(details: &str) -> El {
    el("details").class("for-it").child(el("summary").text(&tr(Msg::DetailsForIt))).child(el("p").class("technical").text(details))
}
