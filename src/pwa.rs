//! The browser side of working offline and of being embedded.
//!
//! - [`register_service_worker`] installs `sw.js` (public/sw.js, precache list
//!   written at build time) and says when a new version is waiting;
//!   [`apply_update`] switches to it and reloads, once the draft is saved.
//! - [`post_to_parent`] / [`watch_height`] talk to `embed.js` on a school's
//!   page: only to a parent origin listed in config.json `embed_origins`,
//!   with that exact origin as the target, never `"*"`. The contract is in
//!   docs/embedding.md.
//!
//! No serde here: messages are built with `js_sys::Object` + `Reflect::set`.

use js_sys::{Object, Reflect};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState, Window};

/// `navigator.serviceWorker`, absent on insecure origins (plain http other
/// than localhost) and in some private modes.
fn container(window: &Window) -> Option<ServiceWorkerContainer> {
    let navigator = window.navigator();
    let present = Reflect::get(&navigator, &"serviceWorker".into()).is_ok_and(|v| !v.is_undefined());
    present.then(|| navigator.service_worker())
}

/// Registers `./sw.js` (its scope defaults to its own directory, `./`) and
/// calls `on_update_ready` whenever a new version has installed and is waiting
/// while this page is controlled by the old one. On the very first visit there
/// is no controller, so nothing is offered: the new worker simply activates.
pub fn register_service_worker(on_update_ready: impl Fn() + 'static) {
    let Some(container) = web_sys::window().as_ref().and_then(container) else { return };
    let on_update: Rc<dyn Fn()> = Rc::new(on_update_ready);
    spawn_local(async move {
        let registered = JsFuture::from(container.register("./sw.js")).await;
        // Not a registration when something (a test harness, an extension)
        // replaced `register`; then there is nothing to watch.
        let Some(reg) = registered.ok().and_then(|r| r.dyn_into::<ServiceWorkerRegistration>().ok()) else { return };
        // Watches one installing worker until it is installed and waiting.
        let watch = {
            let (container, on_update) = (container.clone(), on_update.clone());
            move |worker: web_sys::ServiceWorker| {
                let (watched, container, on_update) = (worker.clone(), container.clone(), on_update.clone());
                let on_state = Closure::<dyn Fn()>::new(move || {
                    if watched.state() == ServiceWorkerState::Installed && container.controller().is_some() {
                        on_update();
                    }
                });
                worker.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
                on_state.forget(); // one small closure per update found
            }
        };
        let found_reg = reg.clone();
        let on_found = Closure::<dyn Fn()>::new({
            let watch = watch.clone();
            move || {
                if let Some(worker) = found_reg.installing() {
                    watch(worker);
                }
            }
        });
        reg.set_onupdatefound(Some(on_found.as_ref().unchecked_ref()));
        // An update may have started, or finished, before we listened.
        if reg.waiting().is_some() && container.controller().is_some() {
            on_update();
        } else if let Some(worker) = reg.installing() {
            watch(worker);
        }
        on_found.forget(); // lives as long as the page
    });
}

/// Tells the waiting service worker to take over, then reloads the page once
/// it controls it. Call only after the student's draft has been saved.
pub fn apply_update() {
    let Some(container) = web_sys::window().as_ref().and_then(container) else { return };
    spawn_local(async move {
        let Ok(reg) = JsFuture::from(container.get_registration()).await else { return };
        let Some(waiting) = reg.dyn_ref::<ServiceWorkerRegistration>().and_then(|r| r.waiting()) else { return };
        let reload_container = container.clone();
        let reload = Closure::<dyn Fn()>::new(move || {
            reload_container.set_oncontrollerchange(None); // reload once only
            if let Some(w) = web_sys::window() {
                let _ = w.location().reload();
            }
        });
        container.set_oncontrollerchange(Some(reload.as_ref().unchecked_ref()));
        reload.forget();
        let _ = waiting.post_message(&object(&[("type", Some("SKIP_WAITING".into()))]));
    });
}

/// A plain object with these properties (`None` values left out).
fn object(entries: &[(&str, Option<JsValue>)]) -> Object {
    let obj = Object::new();
    for (key, value) in entries {
        if let Some(v) = value {
            let _ = Reflect::set(&obj, &(*key).into(), v);
        }
    }
    obj
}

/// True when the app runs inside a frame (embedded in an intranet page).
pub fn in_frame() -> bool {
    web_sys::window().as_ref().and_then(parent).is_some()
}

/// The parent window, when this page runs inside a frame.
fn parent(window: &Window) -> Option<Window> {
    window.parent().ok().flatten().filter(|p| p != window)
}

/// The embedding page's origin, if this page is framed by an origin listed in
/// `allowed` (exact string match, as browsers write origins:
/// `https://host[:port]`, no trailing slash).
///
/// `location.ancestorOrigins` (Chromium, Safari) is authoritative when the
/// browser has it; otherwise the origin of `document.referrer`, which
/// `embed.js` makes sure is sent. Either way the message is posted with this
/// exact origin as target, so the browser drops it unless the parent really
/// is that origin.
pub fn parent_origin(allowed: &[String]) -> Option<String> {
    let window = web_sys::window()?;
    parent(&window)?;
    let ancestors = Reflect::get(&window.location(), &"ancestorOrigins".into()).ok().filter(|a| !a.is_undefined());
    let origin = match ancestors {
        Some(list) => Reflect::get(&list, &0.into()).ok()?.as_string()?,
        None => {
            let referrer = window.document()?.referrer();
            web_sys::Url::new(&referrer).ok()?.origin()
        }
    };
    allowed.contains(&origin).then_some(origin)
}

/// Posts `{source: 'cohort-survey', type, height?}` to the embedding page,
/// only if its origin is in `allowed_origins`. Types: `ready`, `resize`,
/// `draft-saved`, `submitted`, `synced` (see docs/embedding.md).
pub fn post_to_parent(allowed_origins: &[String], message_type: &str, height: Option<f64>) {
    let Some(origin) = parent_origin(allowed_origins) else { return };
    let Some(parent) = web_sys::window().as_ref().and_then(parent) else { return };
    let msg =
        object(&[("source", Some("cohort-survey".into())), ("type", Some(message_type.into())), ("height", height.map(JsValue::from))]);
    let _ = parent.post_message(&msg, &origin);
}

/// When embedded by an allowed origin, posts `resize` with the page's height
/// now and whenever it changes, so the frame never scrolls inside.
///
/// The height is the root element's box height, not `scrollHeight`: the
/// root's `scrollHeight` never drops below the frame's own height, so the
/// frame could grow but never shrink back.
pub fn watch_height(allowed: Vec<String>) {
    let Some(window) = web_sys::window() else { return };
    if parent(&window).is_none() || parent_origin(&allowed).is_none() {
        return;
    }
    let Some(root) = window.document().and_then(|d| d.document_element()) else { return };
    let last = Cell::new(-1.0);
    let measured = root.clone();
    let on_resize = Closure::<dyn Fn()>::new(move || {
        let height = measured.get_bounding_client_rect().height().ceil();
        if height != last.get() {
            last.set(height);
            post_to_parent(&allowed, "resize", Some(height));
        }
    });
    if let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
        observer.observe(&root); // reports the first size at once
        on_resize.forget(); // observes for the life of the page
    }
}
