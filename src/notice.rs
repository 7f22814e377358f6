//! The notices at the top of a page (and the check page's warning): one view
//! for all of them.

use leptos::prelude::*;

/// A button (or a link, with `link`) under a notice.
pub struct Action {
    label: &'static str,
    /// Quiet: "Dismiss" as a link-styled button, whose words for screen
    /// readers go on: "Dismiss this message".
    dismiss: bool,
    link: Option<String>,
    run: Callback<()>,
}

impl Action {
    pub fn button(label: &'static str, run: impl Fn() + Send + Sync + 'static) -> Self {
        Action { label, dismiss: false, link: None, run: Callback::new(move |_| run()) }
    }

    pub fn dismiss(run: impl Fn() + Send + Sync + 'static) -> Self {
        Action { dismiss: true, ..Action::button("Dismiss", run) }
    }

    /// Opens `href` in a new tab.
    pub fn new_tab(label: &'static str, href: String) -> Self {
        Action { link: Some(href), ..Action::button(label, || ()) }
    }
}

/// A notice at the top of the page: its text and actions. Every notice is
/// this one view, so its code is compiled once: each notice written as its
/// own `view!` cost the wasm app 1-2 KB.
pub fn notice(class: &'static str, role: &'static str, text: String, actions: Vec<Action>) -> impl IntoView {
    notice_with(class, role, text, actions, None)
}

/// A notice with technical details for IT staff behind a disclosure, so a
/// student never has to read status codes or JSON.
pub fn notice_with(class: &'static str, role: &'static str, text: String, actions: Vec<Action>, details: Option<String>) -> impl IntoView {
    let actions = actions
        .into_iter()
        .map(|a| match a.link {
            Some(href) => view! {
                <a class="button button-secondary" href=href target="_blank" rel="noopener">{a.label}</a>
            }
            .into_any(),
            None => {
                let class = if a.dismiss { "link-button" } else { "button button-secondary" };
                let hidden = a.dismiss.then(|| view! { <span class="visually-hidden">" this message"</span> });
                view! { <button type="button" class=class on:click=move |_| a.run.run(())>{a.label}{hidden}</button> }.into_any()
            }
        })
        .collect_view();
    view! {
        <div class=class role=role>
            <p>{text}</p>
            {details.map(|d| view! {
                <details class="for-it"><summary>"Details for IT staff"</summary><p class="technical">{d}</p></details>
            })}
            {actions}
        </div>
    }
}
