//! What the app takes from Leptos: its reactive graph (signals, memos,
//! effects, owners, callbacks) and a few browser helpers written
//! here on web-sys.
//!
//! Why not the `leptos` crate itself: it depends on its server-function
//! client, which links wasm-streams, whose three JavaScript stream classes are
//! wasm-bindgen exports. Exports are never dropped as dead code, so every
//! crate that depends on `leptos` ships them (about 11 KB of wasm code before
//! wasm-opt and their JavaScript glue) although the app has no server
//! functions. The app needs only `reactive_graph`, which Leptos re-exports.
//!
//! # Usage
//! ```ignore
//! use crate::prelude::*;
//! let n = RwSignal::new(0);
//! let stop = window_event_listener("online", move |_| n.update(|n| *n += 1));
//! on_cleanup(move || stop.remove());
//! ```

pub use reactive_graph::callback::{Callable, Callback};
pub use reactive_graph::computed::Memo;
pub use reactive_graph::effect::Effect;
pub use reactive_graph::owner::{on_cleanup, LocalStorage, Owner, StoredValue};
pub use reactive_graph::prelude::*;
pub use reactive_graph::signal::RwSignal;

use std::future::Future;
use std::time::Duration;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

fn window() -> web_sys::Window {
    web_sys::window().unwrap_throw()
}

/// Leptos' `Effect::new` (runs after the current work, then again when what
/// it read changes), with one closure type for the whole app: the effect's
/// task loop is generic over its function, and was about 700 B of wasm per
/// effect. What one run returns to the next is a `usize`: a page, a flag, 0.
pub fn run_effect(f: impl FnMut(Option<usize>) -> usize + 'static) {
    let f: Box<dyn FnMut(Option<usize>) -> usize> = Box::new(f);
    Effect::new(f);
}

/// Runs `task` on the browser's microtask queue (`leptos::task::spawn_local`).
pub fn spawn_local(task: impl Future<Output = ()> + 'static) {
    any_spawner::Executor::spawn_local(task);
}

/// Resolves in a later task (`setTimeout(0)`): long work split there lets
/// the browser paint and take input in between (Total Blocking Time counts
/// each task's excess over 50 ms).
pub async fn next_task() {
    let wait = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback(&resolve);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(wait).await;
}

/// Runs `f` once before the next repaint.
pub fn request_animation_frame(f: impl FnOnce() + 'static) {
    let _ = window().request_animation_frame(once(Box::new(f)).unchecked_ref());
}

/// A JavaScript function that runs `f` the first time it is called. Its
/// captures are dropped then; the stub left behind is the JS GC's.
fn once(f: Box<dyn FnOnce()>) -> JsValue {
    let mut f = Some(f);
    Closure::<dyn FnMut()>::new(move || {
        if let Some(f) = f.take() {
            f()
        }
    })
    .into_js_value()
}

/// The page's document (`leptos::prelude::document`).
pub use crate::dom::document;

/// The `value` of the field an event came from (an input or a textarea).
pub fn event_target_value(ev: &web_sys::Event) -> String {
    ev.target().unwrap_throw().unchecked_into::<web_sys::HtmlInputElement>().value()
}

/// Whether the checkbox or radio an event came from is checked.
pub fn event_target_checked(ev: &web_sys::Event) -> bool {
    ev.target().unwrap_throw().unchecked_into::<web_sys::HtmlInputElement>().checked()
}

/// A pending [`set_timeout_with_handle`].
pub struct TimeoutHandle(i32);

impl TimeoutHandle {
    /// Cancels it, if it has not run yet.
    pub fn clear(&self) {
        window().clear_timeout_with_handle(self.0);
    }
}

/// Runs `f` once after `delay`.
pub fn set_timeout_with_handle(f: impl FnOnce() + 'static, delay: Duration) -> Result<TimeoutHandle, JsValue> {
    window()
        .set_timeout_with_callback_and_timeout_and_arguments_0(once(Box::new(f)).unchecked_ref(), delay.as_millis() as i32)
        .map(TimeoutHandle)
}

/// A running [`set_interval_with_handle`].
pub struct IntervalHandle(i32);

impl IntervalHandle {
    /// Stops it.
    pub fn clear(&self) {
        window().clear_interval_with_handle(self.0);
    }
}

/// Runs `f` every `period`.
pub fn set_interval_with_handle(f: impl Fn() + 'static, period: Duration) -> Result<IntervalHandle, JsValue> {
    let f = Closure::<dyn Fn()>::new(f).into_js_value();
    window().set_interval_with_callback_and_timeout_and_arguments_0(f.unchecked_ref(), period.as_millis() as i32).map(IntervalHandle)
}

/// A listener on `window`; [`remove`](Self::remove) it when its owner goes.
pub struct WindowListener {
    event: &'static str,
    f: JsValue,
}

impl WindowListener {
    pub fn remove(self) {
        let _ = window().remove_event_listener_with_callback(self.event, self.f.unchecked_ref());
    }
}

/// Calls `f` with every `event` on `window` until the returned listener is
/// removed. `f` casts the event to its type (`StorageEvent`) when it needs to.
pub fn window_event_listener(event: &'static str, f: impl Fn(web_sys::Event) + 'static) -> WindowListener {
    listen(event, Box::new(f))
}

fn listen(event: &'static str, f: Box<dyn Fn(web_sys::Event)>) -> WindowListener {
    let f = Closure::wrap(f).into_js_value();
    let _ = window().add_event_listener_with_callback(event, f.unchecked_ref());
    WindowListener { event, f }
}
