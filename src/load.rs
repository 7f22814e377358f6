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
/// from the page URL when it is a file on this site).
///
/// Every URL taken from outside (the link's `?questionnaire=` and
/// `?endpoint=`, the config's paths, endpoints and embed origins) passes
/// survey-core's string rules and then the browser's own URL parser, so what
/// is checked is what `fetch` will request.
pub async fn load(questionnaire_override: Option<String>, endpoint: Option<String>) -> Result<Loaded, LoadError> {
    let url = "config.json";
    let config = Config::from_json(&fetch_text(url).await?).map_err(|e| LoadError::Invalid { url: url.into(), detail: e.to_string() })?;
    if let Some(o) = config.embed_origins.iter().find(|o| !is_browser_origin(o)) {
        return Err(LoadError::Invalid {
            url: url.into(), detail: format!("embed origin “{o}” is not an origin as browsers write it")
        });
    }
    let endpoint = config.choose_endpoint(endpoint.as_deref()).map_err(|e| LoadError::Refused(e.to_string()))?.to_owned();
    if !endpoint_allowed(&endpoint) {
        return Err(LoadError::Refused(format!("the endpoint “{endpoint}” is not on this site, https, or http on this computer")));
    }
    let wanted = questionnaire_override.unwrap_or_else(|| config.questionnaire.clone());
    let qurl =
        same_origin_url(&wanted).ok_or_else(|| LoadError::Refused(format!("the questionnaire “{wanted}” is not a file on this site")))?;
    let questionnaire = Questionnaire::from_json(&fetch_text(&qurl).await?)
        .map_err(|e| LoadError::Invalid { url: wanted.clone(), detail: e.to_string() })?;
    Ok(Loaded { config, questionnaire, endpoint })
}

/// `candidate` resolved by the browser's URL parser against this document,
/// as an absolute URL, when it passes survey-core's local-path rule *and*
/// lands on this page's origin. Comparing origins after the browser has
/// parsed is what catches the forms a string check cannot see.
pub fn same_origin_url(candidate: &str) -> Option<String> {
    if !survey_core::config::is_local_path(candidate) {
        return None;
    }
    let url = resolve(candidate)?;
    (url.origin() == page_origin()?).then(|| url.href())
}

/// The browser's reading of an endpoint agrees with survey-core's: a path
/// that stays on this origin, https, or http on the loopback host, with no
/// user name or password in it.
pub fn endpoint_allowed(endpoint: &str) -> bool {
    if survey_core::config::is_local_path(endpoint) {
        return same_origin_url(endpoint).is_some();
    }
    let Some(url) = resolve(endpoint).filter(|_| survey_core::config::endpoint_ok(endpoint)) else { return false };
    let loopback = matches!(url.hostname().as_str(), "localhost" | "127.0.0.1" | "[::1]");
    url.username().is_empty() && url.password().is_empty() && (url.protocol() == "https:" || (url.protocol() == "http:" && loopback))
}

/// An origin exactly as the browser serialises it (what `event.origin` and
/// `location.ancestorOrigins` hold), so string equality with them is exact.
pub fn is_browser_origin(origin: &str) -> bool {
    survey_core::config::is_origin(origin) && web_sys::Url::new(origin).is_ok_and(|u| u.origin() == origin)
}

fn resolve(candidate: &str) -> Option<web_sys::Url> {
    let base = web_sys::window()?.document()?.base_uri().ok()??;
    web_sys::Url::new_with_base(candidate, &base).ok()
}

fn page_origin() -> Option<String> {
    web_sys::window()?.location().origin().ok()
}
