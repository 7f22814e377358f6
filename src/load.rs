//! Loading the run-time config and the questionnaire over HTTP.

use std::fmt;
use survey_core::{Config, Questionnaire};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Why the survey could not open. Shown on the error page, so every variant
/// names the file and says what is wrong in words a school's IT team can act on.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadError {
    /// The file could not be fetched (offline with no cached copy, or 404).
    Fetch { url: String, detail: String },
    /// The file was fetched but is not valid.
    Invalid { url: String, detail: String },
    /// The page's link asks for something the config does not allow.
    Refused(String),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Fetch { url, detail } => write!(f, "{url} could not be loaded ({detail})"),
            LoadError::Invalid { url, detail } => write!(f, "{url}: {detail}"),
            LoadError::Refused(why) => f.write_str(why),
        }
    }
}

/// Everything the survey needs to start.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub config: Config,
    pub questionnaire: Questionnaire,
    /// Where submissions go: the config's endpoint, or an allowed one the
    /// embedding page asked for with `?endpoint=`.
    pub endpoint: String,
}

/// GETs `url` as text. `no-cache` makes the browser revalidate, so a school's
/// edit shows up at once while the service worker still covers offline.
pub async fn fetch_text(url: &str) -> Result<String, LoadError> {
    let err = |detail: String| LoadError::Fetch { url: url.to_owned(), detail };
    let init = web_sys::RequestInit::new();
    init.set_cache(web_sys::RequestCache::NoCache);
    let window = web_sys::window().ok_or_else(|| err("no window".into()))?;
    let resp =
        JsFuture::from(window.fetch_with_str_and_init(url, &init)).await.map_err(|_| err("no connection and no saved copy".into()))?;
    let resp: web_sys::Response = resp.unchecked_into();
    if !resp.ok() {
        return Err(err(format!("HTTP {}", resp.status())));
    }
    let text = JsFuture::from(resp.text().map_err(|_| err("unreadable".into()))?).await.map_err(|_| err("unreadable".into()))?;
    Ok(text.as_string().unwrap_or_default())
}

/// Loads `config.json`, then the questionnaire it names (or `questionnaire`
/// from the page URL when it is a path on this site).
pub async fn load(questionnaire_override: Option<String>, endpoint: Option<String>) -> Result<Loaded, LoadError> {
    let url = "config.json";
    let config = Config::from_json(&fetch_text(url).await?).map_err(|e| LoadError::Invalid { url: url.into(), detail: e.to_string() })?;
    let endpoint = config.choose_endpoint(endpoint.as_deref()).map_err(|e| LoadError::Refused(e.to_string()))?.to_owned();
    let qurl = questionnaire_override.filter(|q| survey_core::config::is_local_path(q)).unwrap_or_else(|| config.questionnaire.clone());
    let questionnaire =
        Questionnaire::from_json(&fetch_text(&qurl).await?).map_err(|e| LoadError::Invalid { url: qurl.clone(), detail: e.to_string() })?;
    Ok(Loaded { config, questionnaire, endpoint })
}
