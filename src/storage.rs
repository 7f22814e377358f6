//! localStorage adapter that never stops the survey.
//!
//! Written on `web_sys::Storage` rather than gloo-storage because gloo panics
//! when `window.localStorage` itself throws (sandboxed iframes, blocked
//! storage), and we must tell quota errors from the rest.

use std::cell::RefCell;
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
    memory: Rc<RefCell<Memory>>,
}

/// The in-memory fallback: the same sorted map as localised texts (a
/// `BTreeMap` here linked about 3 KB of rebalancing code for `remove`).
type Memory = survey_core::StrMap;

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

/// A second, crash-safe copy of each draft in IndexedDB.
///
/// Chromium writes localStorage to disk in delayed batches, so a browser
/// killed (`kill -9`, a phone reclaiming memory) seconds after the last key
/// loses those answers. An IndexedDB transaction opened with
/// `durability: "strict"` fires `complete` only once the data is on disk
/// (<https://w3c.github.io/IndexedDB/#transaction-durability-hint>). Its API
/// is asynchronous, so localStorage stays the primary store, read at start-up;
/// `drafts.rs` takes this copy instead only when it is newer.
///
/// # Usage
/// ```ignore
/// if let Some(m) = Mirror::open().await {
///     m.put("cohort-survey:draft:q", json).await?;
///     let back = m.get("cohort-survey:draft:q").await;
/// }
/// ```
#[derive(Clone)]
pub struct Mirror {
    db: web_sys::IdbDatabase,
}

/// The IndexedDB database and object store the mirror uses.
pub const MIRROR_DB: &str = "cohort-survey";
pub const MIRROR_STORE: &str = "drafts";

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// `IDBDatabase` with `transaction(store, mode, {durability})`: web-sys
    /// has it only behind `--cfg web_sys_unstable_apis`, which would rebuild
    /// everything.
    type IdbDatabaseWithOptions;
    #[wasm_bindgen(catch, method, js_name = transaction)]
    fn transaction(
        this: &IdbDatabaseWithOptions,
        store: &str,
        mode: &str,
        options: &js_sys::Object,
    ) -> Result<web_sys::IdbTransaction, wasm_bindgen::JsValue>;
}

/// Waits for an IndexedDB request's `success` (its result) or `error`.
async fn settled(req: &web_sys::IdbRequest) -> Result<wasm_bindgen::JsValue, wasm_bindgen::JsValue> {
    let done = js_sys::Promise::new(&mut |resolve, reject| {
        req.set_onsuccess(Some(&resolve));
        req.set_onerror(Some(&reject));
    });
    wasm_bindgen_futures::JsFuture::from(done).await?;
    req.result()
}

impl Mirror {
    /// Opens (creating on first use) the database; `None` when IndexedDB is
    /// missing, blocked, or holds something this app did not make.
    pub async fn open() -> Option<Mirror> {
        let factory = web_sys::window()?.indexed_db().ok()??;
        let req = factory.open_with_u32(MIRROR_DB, 1).ok()?;
        let upgrading = req.clone();
        let upgrade = wasm_bindgen::closure::Closure::once_into_js(move || {
            if let Ok(db) = upgrading.result() {
                let _ = db.unchecked_into::<web_sys::IdbDatabase>().create_object_store(MIRROR_STORE);
            }
        });
        req.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
        let db = settled(&req).await.ok()?.dyn_into::<web_sys::IdbDatabase>().ok()?;
        // A database of that name without our store (not made by this app):
        // unusable, so localStorage alone it is.
        if !db.object_store_names().contains(MIRROR_STORE) {
            db.close();
            return None;
        }
        // Another tab's newer app (or a reset) wants the database: step
        // aside rather than block it; later writes then fail quietly.
        let closing = db.clone();
        let on_change = wasm_bindgen::closure::Closure::once_into_js(move || closing.close());
        db.set_onversionchange(Some(on_change.unchecked_ref()));
        Some(Mirror { db })
    }

    /// Writes `value` under `key` in one strict-durability transaction and
    /// resolves once the browser reports it committed.
    pub async fn put(&self, key: &str, value: &str) -> Result<(), wasm_bindgen::JsValue> {
        let options = js_sys::Object::new();
        js_sys::Reflect::set(&options, &"durability".into(), &"strict".into())?;
        let tx = self.db.unchecked_ref::<IdbDatabaseWithOptions>().transaction(MIRROR_STORE, "readwrite", &options)?;
        tx.object_store(MIRROR_STORE)?.put_with_key(&value.into(), &key.into())?;
        let committed = js_sys::Promise::new(&mut |resolve, reject| {
            tx.set_oncomplete(Some(&resolve));
            tx.set_onerror(Some(&reject));
            tx.set_onabort(Some(&reject));
        });
        wasm_bindgen_futures::JsFuture::from(committed).await.map(drop)
    }

    /// The text stored under `key`; `None` when absent, unreadable or not text.
    pub async fn get(&self, key: &str) -> Option<String> {
        let tx = self.db.transaction_with_str(MIRROR_STORE).ok()?;
        let req = tx.object_store(MIRROR_STORE).ok()?.get(&key.into()).ok()?;
        settled(&req).await.ok()?.as_string()
    }
}
