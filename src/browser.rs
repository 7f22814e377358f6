//! Small adapters over the DOM that the components share.

use wasm_bindgen::JsCast;

/// Focuses the first input or textarea inside the element with `id` and
/// brings it into view.
pub fn focus_first_control(id: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(container) = doc.get_element_by_id(id) else { return };
    let target = container
        .query_selector("input:not([type=hidden]), textarea, select")
        .ok()
        .flatten()
        .unwrap_or(container);
    if let Ok(el) = target.dyn_into::<web_sys::HtmlElement>() {
        let _ = el.focus();
        el.scroll_into_view();
    }
}

pub fn scroll_to_top() {
    if let Some(w) = web_sys::window() {
        w.scroll_to_with_x_and_y(0.0, 0.0);
    }
}

/// A URL query parameter of the page, e.g. `?questionnaire=...`.
pub fn query_param(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search).ok()?.get(name)
}

/// Removes index.html's static placeholder once the app takes over.
pub fn remove_boot_placeholder() {
    if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("boot")) {
        el.remove();
    }
}
