//! The renderer's handful of element builders: every view of the app is built
//! from these, so each is compiled once.
//!
//! Why not `view!`: each typed `view!` tree and each reactive closure in it is
//! its own generic instance in the wasm (tachys' `Render` for every tuple of
//! attributes and children). Across the app's views that was most of the
//! bundle. Here every dynamic part is a boxed closure run by one
//! [`RenderEffect`] type, and the DOM is built with plain web-sys calls; the
//! reactive graph (signals, memos, owners, context) is still Leptos'.
//!
//! Ownership follows Leptos: effects and event listeners belong to the
//! [`Owner`] current when they are made; a [`El::region`] gives each build of
//! its children an owner of its own and cleans it up when it builds again, so
//! nothing outlives the nodes it serves.
//!
//! # Usage
//! ```ignore
//! let count = RwSignal::new(0);
//! let view = el("div").class("counter")
//!     .child(el("button").text("Add").on("click", move |_| count.update(|n| *n += 1)))
//!     .dyn_text(move || format!("{} clicks", count.get()));
//! dom::mount(&body, move || vec![view]);
//! ```

use crate::prelude::*;
use reactive_graph::effect::RenderEffect;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, Node};

/// What an owner keeps alive for its nodes: their effects and listeners.
enum Kept {
    // Held only to be dropped with the owner.
    #[allow(dead_code)]
    Effect(RenderEffect<()>),
    #[allow(dead_code)]
    Listener(Closure<dyn Fn(Event)>),
}

fn keep(k: Kept) {
    // Stored in the current owner's arena: dropped when it is cleaned up.
    let _ = StoredValue::new_local(k);
}

/// Runs `f` now and again whenever a signal it read changes, for as long as
/// the current owner lives.
pub fn effect(f: impl Fn() + 'static) {
    effect_box(Box::new(f))
}

fn effect_box(f: Box<dyn Fn()>) {
    keep(Kept::Effect(RenderEffect::new(move |_| f())));
}

pub fn document() -> web_sys::Document {
    web_sys::window().unwrap_throw().document().unwrap_throw()
}

/// An element under construction.
pub struct El(pub Element);

/// A new element.
pub fn el(tag: &str) -> El {
    El(document().create_element(tag).unwrap_throw())
}

/// A text node.
pub fn text_node(t: &str) -> Node {
    document().create_text_node(t).into()
}

impl El {
    pub fn attr(self, name: &str, value: &str) -> Self {
        let _ = self.0.set_attribute(name, value);
        self
    }

    pub fn id(self, id: &str) -> Self {
        self.attr("id", id)
    }

    pub fn class(self, class: &str) -> Self {
        self.attr("class", class)
    }

    /// An attribute present only when `on`.
    pub fn flag(self, name: &str, on: bool) -> Self {
        if on {
            self.attr(name, "")
        } else {
            self
        }
    }

    /// Appends text.
    pub fn text(self, t: &str) -> Self {
        let _ = self.0.append_child(&text_node(t));
        self
    }

    pub fn child(self, c: El) -> Self {
        let _ = self.0.append_child(&c.0);
        self
    }

    pub fn opt(self, c: Option<El>) -> Self {
        match c {
            Some(c) => self.child(c),
            None => self,
        }
    }

    pub fn children(self, cs: Vec<El>) -> Self {
        for c in cs {
            let _ = self.0.append_child(&c.0);
        }
        self
    }

    /// Text that follows signals.
    pub fn dyn_text(self, f: impl Fn() -> String + 'static) -> Self {
        self.dyn_text_box(Box::new(f))
    }

    fn dyn_text_box(self, f: Box<dyn Fn() -> String>) -> Self {
        let node = document().create_text_node("");
        let _ = self.0.append_child(&node);
        effect_box(Box::new(move || node.set_data(&f())));
        self
    }

    /// An attribute that follows signals; `None` removes it.
    pub fn dyn_attr(self, name: &'static str, f: impl Fn() -> Option<String> + 'static) -> Self {
        self.dyn_attr_box(name, Box::new(f))
    }

    fn dyn_attr_box(self, name: &'static str, f: Box<dyn Fn() -> Option<String>>) -> Self {
        let e = self.0.clone();
        effect_box(Box::new(move || {
            let _ = match f() {
                Some(v) => e.set_attribute(name, &v),
                None => e.remove_attribute(name),
            };
        }));
        self
    }

    /// A class that is on while `f` is true.
    pub fn dyn_class(self, class: &'static str, f: impl Fn() -> bool + 'static) -> Self {
        let e = self.0.clone();
        effect_box(Box::new(move || {
            let _ = e.class_list().toggle_with_force(class, f());
        }));
        self
    }

    /// A DOM property (`value`, `checked`) that follows signals. Set only when
    /// it differs, so the caret of a field being typed in never moves.
    pub fn dyn_prop(self, name: &'static str, f: impl Fn() -> JsValue + 'static) -> Self {
        self.dyn_prop_box(name, Box::new(f))
    }

    fn dyn_prop_box(self, name: &'static str, f: Box<dyn Fn() -> JsValue>) -> Self {
        let e: JsValue = self.0.clone().into();
        let key = JsValue::from_str(name);
        effect_box(Box::new(move || {
            let v = f();
            if js_sys::Reflect::get(&e, &key).ok().as_ref() != Some(&v) {
                let _ = js_sys::Reflect::set(&e, &key, &v);
            }
        }));
        self
    }

    /// Listens for `event` while the current owner lives.
    pub fn on(self, event: &str, f: impl Fn(Event) + 'static) -> Self {
        self.on_box(event, Box::new(f))
    }

    fn on_box(self, event: &str, f: Box<dyn Fn(Event)>) -> Self {
        let c = Closure::wrap(f);
        let _ = self.0.add_event_listener_with_callback(event, c.as_ref().unchecked_ref());
        keep(Kept::Listener(c));
        self
    }

    /// A click that does only what `f` does (links used as buttons).
    pub fn on_click(self, f: impl Fn() + 'static) -> Self {
        self.on("click", move |ev: Event| {
            ev.prevent_default();
            f()
        })
    }

    /// Children that are built again whenever a signal `f` read changes, at
    /// this point among the element's children. `f` returns one element, or a
    /// [`frag`] of several (with no wrapper element in the page).
    pub fn region(self, f: impl Fn() -> El + 'static) -> Self {
        region_in(&self.0, Box::new(f));
        self
    }

    /// `build`'s element while `when` is true.
    pub fn show(self, when: impl Fn() -> bool + 'static, build: impl Fn() -> El + 'static) -> Self {
        self.region(move || if when() { build() } else { frag() })
    }
}

/// Several nodes with no element around them: only [`El::child`], `children`,
/// `opt`, `text`, `region` and `show` apply to it. (A `DocumentFragment`
/// typed as an element so one builder type serves both: the node methods
/// those use are the same JavaScript functions.)
pub fn frag() -> El {
    El(document().create_document_fragment().unchecked_into())
}

/// The moving part of [`El::region`]: everything between two empty text
/// nodes, rebuilt with a fresh owner each time; the old owner is cleaned up,
/// so the old nodes' effects and listeners go with them. Everything between
/// the markers goes, nested regions' nodes included.
fn region_in(parent: &Element, f: Box<dyn Fn() -> El>) {
    let (start, end) = (text_node(""), text_node(""));
    let _ = parent.append_child(&start);
    let _ = parent.append_child(&end);
    let parent_owner = Owner::current().unwrap_or_default();
    let current = std::cell::RefCell::new(None::<Owner>);
    effect_box(Box::new(move || {
        let owner = parent_owner.with(Owner::new);
        let new = owner.with(&f);
        if let Some(p) = end.parent_node() {
            while let Some(n) = start.next_sibling().filter(|n| !n.is_same_node(Some(&end))) {
                let _ = p.remove_child(&n);
            }
            let _ = p.insert_before(&new.0, Some(&end));
        }
        if let Some(old) = current.replace(Some(owner)) {
            old.cleanup();
        }
    }));
}

/// Mounts what `f` builds at the end of `parent`, reactively, under a new
/// root owner. The owner is returned: keep it, or the view stops following
/// its signals.
pub fn mount(parent: &Element, f: impl Fn() -> El + 'static) -> Owner {
    // Tasks (loading, sending) run on the browser's microtask queue; a second
    // mount finds it set already.
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let owner = Owner::new();
    let p = parent.clone();
    owner.with(move || region_in(&p, Box::new(f)));
    owner
}

/// Runs `move_focus` in the next animation frame (once the new nodes are
/// there), unless the student has moved focus meanwhile: on a slow phone a
/// Tab pressed before that frame keeps its place. Every focus move the app
/// makes after a change of view goes through here.
pub fn focus_next_frame(move_focus: impl FnOnce() + 'static) {
    let before = crate::browser::focused();
    request_animation_frame(move || {
        if !crate::browser::focus_moved_since(&before) {
            move_focus()
        }
    });
}

/// Focus the element with `id` (a heading, a dialog or a field) in the next
/// frame, as [`focus_next_frame`].
pub fn focus_later(id: &'static str) {
    focus_next_frame(move || crate::browser::focus_id(id));
}
