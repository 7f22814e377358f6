//! localStorage adapter that never stops the survey.
//!
//! Written on `web_sys::Storage` rather than gloo-storage because gloo panics
//! when `window.localStorage` itself throws (sandboxed iframes, blocked
//! storage), and we must tell quota errors from the rest.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use wasm_bindgen::JsCast;

/// Why a write failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// The browser's quota is full (`QuotaExceededError`).
    Quota,
    /// Any other failure of the storage itself.
    Failed(String),
}

/// A key-value store: localStorage when the browser allows it, otherwise an
/// in-memory map that lives as long as the page (and says so).
///
/// # Usage
/// ```ignore
/// let store = Store::open();
/// if !store.is_persistent() { /* tell the student answers won't survive */ }
/// store.set("k", "v")?;
/// assert_eq!(store.get("k").as_deref(), Some("v"));
/// ```
#[derive(Clone)]
pub struct Store {
    local: Option<web_sys::Storage>,
    memory: Rc<RefCell<BTreeMap<String, String>>>,
}

impl Store {
    /// localStorage if it can be read and written, else memory.
    pub fn open() -> Self {
        let local = web_sys::window().and_then(|w| w.local_storage().ok().flatten()).filter(|s| {
            // Some browsers hand out a storage object that throws on use.
            const PROBE: &str = "cohort-survey:probe";
            s.set_item(PROBE, "1").is_ok() && s.remove_item(PROBE).is_ok()
        });
        Self { local, memory: Rc::default() }
    }

    /// A store that only keeps things in memory (storage unavailable).
    pub fn memory_only() -> Self {
        Self { local: None, memory: Rc::default() }
    }

    /// Whether what is stored survives closing the page.
    pub fn is_persistent(&self) -> bool {
        self.local.is_some()
    }

    pub fn get(&self, key: &str) -> Option<String> {
        match &self.local {
            Some(s) => s.get_item(key).ok().flatten(),
            None => self.memory.borrow().get(key).cloned(),
        }
    }

    pub fn set(&self, key: &str, value: &str) -> Result<(), StoreError> {
        match &self.local {
            Some(s) => s.set_item(key, value).map_err(classify),
            None => {
                self.memory.borrow_mut().insert(key.to_owned(), value.to_owned());
                Ok(())
            }
        }
    }

    pub fn remove(&self, key: &str) {
        match &self.local {
            Some(s) => {
                let _ = s.remove_item(key);
            }
            None => {
                self.memory.borrow_mut().remove(key);
            }
        }
    }

    /// Keys starting with `prefix`.
    pub fn keys(&self, prefix: &str) -> Vec<String> {
        match &self.local {
            Some(s) => (0..s.length().unwrap_or(0)).filter_map(|i| s.key(i).ok().flatten()).filter(|k| k.starts_with(prefix)).collect(),
            None => self.memory.borrow().keys().filter(|k| k.starts_with(prefix)).cloned().collect(),
        }
    }
}

fn classify(e: wasm_bindgen::JsValue) -> StoreError {
    match e.dyn_ref::<web_sys::DomException>() {
        // Chromium and Firefox name it differently; the legacy code is 22.
        Some(d) if d.name() == "QuotaExceededError" || d.name() == "NS_ERROR_DOM_QUOTA_REACHED" || d.code() == 22 => StoreError::Quota,
        Some(d) => StoreError::Failed(d.name()),
        None => StoreError::Failed("unknown".into()),
    }
}
