//! Small adapters over the DOM that the components share.

use wasm_bindgen::prelude::*;

/// Focuses the first input or textarea inside the element with `id` and
/// brings it into view.
pub fn focus_first_control(id: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(container) = doc.get_element_by_id(id) else { return };
    let target = container.query_selector("input:not([type=hidden]), textarea, select").ok().flatten().unwrap_or(container);
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

/// index.html's first screen, shown until the app's first page is ready.
pub fn boot_placeholder() -> Option<web_sys::Element> {
    web_sys::window()?.document()?.get_element_by_id("boot")
}

/// "earlier today", "yesterday", a weekday within the week, else a date, in
/// the language shown (the catalogue's words, then `Intl`). Local time,
/// shown to the student only.
pub fn day_name(ms: f64) -> String {
    use crate::i18n::{date, tr};
    use survey_core::i18n::Msg;
    let then = js_sys::Date::new(&ms.into());
    let now = js_sys::Date::new_0();
    let midnight = |d: &js_sys::Date| {
        let m = js_sys::Date::new(&d.get_time().into());
        m.set_hours(0);
        m.set_minutes(0);
        m.set_seconds(0);
        m.set_milliseconds(0);
        m.get_time()
    };
    let days = ((midnight(&now) - midnight(&then)) / 86_400_000.0).round() as i64;
    match days {
        i64::MIN..=0 => tr(Msg::EarlierToday),
        1 => tr(Msg::Yesterday),
        2..=6 => date(ms, &[("weekday", "long")]),
        _ => date(ms, &[("day", "numeric"), ("month", "long")]),
    }
}

/// Asks the browser not to evict our storage (best effort, once).
pub fn request_persistent_storage() {
    if let Some(w) = web_sys::window() {
        if let Ok(p) = w.navigator().storage().persist() {
            drop(wasm_bindgen_futures::JsFuture::from(p));
        }
    }
}

/// A `performance.measure` span, readable by tests and DevTools as a real
/// in-browser timing.
pub struct Measure(&'static str);

impl Measure {
    pub fn start(name: &'static str) -> Self {
        if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
            let _ = p.mark(name);
        }
        Measure(name)
    }

    pub fn end(self) {
        if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
            let _ = p.measure_with_start_mark(self.0, self.0);
        }
    }
}

/// Offers `contents` as a file download (no server involved).
pub fn download(filename: &str, contents: &str) {
    let parts = js_sys::Array::of1(&contents.into());
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("application/json");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        if let Ok(a) = doc.create_element("a") {
            let a: web_sys::HtmlAnchorElement = a.unchecked_into();
            a.set_href(&url);
            a.set_download(filename);
            if let Some(body) = doc.body() {
                let _ = body.append_child(&a);
                a.click();
                a.remove();
            }
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// The browser could not produce a random id (no `crypto`, or it threw).
/// Inventing one (zeros, a counter, `Math.random`) would let two students'
/// responses collide or be linked, so the submission waits instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoRandomness;

impl std::fmt::Display for NoRandomness {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("this browser cannot make an anonymous id; your answers are kept")
    }
}

#[wasm_bindgen]
extern "C" {
    /// `Crypto` with `randomUUID()` bound with `catch`: web-sys' binding has
    /// none, so a throw would unwind through the wasm.
    type CryptoCatching;
    #[wasm_bindgen(catch, method, js_name = randomUUID)]
    fn random_uuid(this: &CryptoCatching) -> Result<JsValue, JsValue>;
}

/// A random UUID v4 (lower case) from the browser's CSPRNG: new for every
/// submission and tied to nothing on the device.
///
/// `crypto.randomUUID()` where it exists (secure contexts); otherwise
/// `crypto.getRandomValues()`, also a CSPRNG and available on plain http.
/// When neither works, an error, never a made-up id.
pub fn uuid_v4() -> Result<String, NoRandomness> {
    let crypto = web_sys::window().and_then(|w| w.crypto().ok()).ok_or(NoRandomness)?;
    let id = crypto.unchecked_ref::<CryptoCatching>().random_uuid().ok().and_then(|v| v.as_string()).map(|s| s.to_ascii_lowercase());
    if let Some(id) = id.filter(|id| survey_core::submission::is_uuid_v4(id)) {
        return Ok(id);
    }
    let mut bytes = [0u8; 16];
    crypto.get_random_values_with_u8_array(&mut bytes).map_err(|_| NoRandomness)?;
    // All zeros: nothing was written (a stub). A real CSPRNG: 1 in 2^128.
    if bytes == [0; 16] {
        return Err(NoRandomness);
    }
    Ok(survey_core::submission::uuid_v4_from_bytes(bytes))
}

/// This page's address, for "Open in a new tab".
pub fn own_url() -> String {
    web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default()
}

/// This page's address with `name=value` set in its query (the browser's
/// `URL`, so everything else in the address stays as it was).
pub fn url_with_param(name: &str, value: &str) -> String {
    let Ok(url) = web_sys::Url::new(&own_url()) else { return format!("?{name}={value}") };
    url.search_params().set(name, value);
    url.href()
}

/// Puts `url` in the address bar without loading it (`history.replaceState`).
pub fn replace_url(url: &str) {
    if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url));
    }
}

/// Sets the tab's title (`document.title`), which screen readers announce.
pub fn set_title(title: &str) {
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        doc.set_title(title);
    }
}

/// Focuses the element with `id` (a heading or dialog with tabindex=-1).
/// What has focus now; `None` for the page itself (nothing, or `<body>`).
pub fn focused() -> Option<web_sys::Element> {
    let doc = web_sys::window()?.document()?;
    let active = doc.active_element()?;
    let body: Option<web_sys::Element> = doc.body().map(Into::into);
    (Some(&active) != body.as_ref()).then_some(active)
}

/// True when focus went to another control on the page since `before` was
/// taken: a student on a slow phone who pressed Tab before the frame that
/// was to move focus keeps their place.
pub fn focus_moved_since(before: &Option<web_sys::Element>) -> bool {
    focused().is_some_and(|now| now.is_connected() && Some(&now) != before.as_ref())
}

pub fn focus_id(id: &str) {
    let el = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id));
    if let Some(el) = el.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = el.focus();
    }
}

/// The embedded look, from the frame's address (set by `embed.js`): with
/// `embed=1` a transparent, left-aligned page that blends into the host;
/// `theme=light|dark` follows the host instead of the device setting;
/// `hide_title=1` hides the questionnaire title when the host page shows its
/// own (it stays for screen readers). Classes and `data-theme` on `<html>`,
/// read by style/main.css.
pub fn apply_look() {
    let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) else { return };
    let classes = root.class_list();
    if query_param("embed").as_deref() == Some("1") {
        let _ = classes.add_1("embedded");
    }
    if query_param("hide_title").as_deref() == Some("1") {
        let _ = classes.add_1("hide-title");
    }
    if let Some(theme) = query_param("theme").filter(|t| t == "light" || t == "dark") {
        let _ = root.set_attribute("data-theme", &theme);
    }
}
