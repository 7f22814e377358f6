//! The run-time configuration a school edits: `public/config.json`.

use crate::anon::{CustomPattern, Detector};
use crate::json::{self, Fields, Json, Shape, StrMap};
use crate::period::Granularity;
use thiserror::Error;

/// `public/config.json`. Unknown fields are refused so a typo is caught.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Questionnaire file, relative to the app (same origin).
    pub questionnaire: String,
    /// Where submissions are POSTed: a path on this origin, an https URL, or
    /// http on localhost.
    pub endpoint: String,
    /// Other endpoints an embedding page may pick with `?endpoint=`; nothing
    /// outside this list is ever used, so a crafted link cannot redirect answers.
    pub allowed_endpoints: Vec<String>,
    /// `"month"` (default) or `"week"`: how coarsely a submission is dated.
    pub period: Granularity,
    /// The school's own identifier shapes and words to catch in free text.
    pub anonymise: Anonymise,
    /// Extra request headers, e.g. a form key the school's endpoint expects.
    pub headers: StrMap,
    /// Parent page origins allowed to embed the app and receive its events.
    pub embed_origins: Vec<String>,
    /// The request mode of every endpoint that is not sent the default way
    /// ([`RequestMode::Json`]): `"request"` next to `endpoint`, and
    /// `{"url": ..., "request": ...}` entries in `allowed_endpoints`. A list,
    /// not a map: a map's code costs the wasm app about 4 KB brotli.
    pub requests: Vec<(String, RequestMode)>,
    /// `"record_language": true` adds the questionnaire language to each
    /// submission. Off by default: in a group of 8-12, answering in Welsh can
    /// single a student out (docs/endpoints.md, "Recording the language").
    pub record_language: bool,
}

/// How a submission is sent to one endpoint. See `docs/endpoints.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RequestMode {
    /// `Content-Type: application/json` and `Idempotency-Key`: the browser asks
    /// the endpoint first (a CORS preflight) when it is on another origin.
    #[default]
    Json,
    /// A request the browser sends without asking first (a CORS "simple"
    /// request): `text/plain;charset=UTF-8`, no custom headers, the same JSON
    /// document as the body. For webhooks that cannot answer a preflight
    /// (Google Apps Script, form backends). The endpoint de-duplicates by the
    /// body's `submission_id`, and confirms by echoing it.
    Simple,
}

impl RequestMode {
    /// `"json"` or `"simple"`.
    pub fn from_json(v: &Json, at: &str) -> Shape<RequestMode> {
        match v.str(at)?.as_str() {
            "json" => Ok(RequestMode::Json),
            "simple" => Ok(RequestMode::Simple),
            other => Err(json::shape_err(at, format_args!("expected \"json\" or \"simple\", found \"{other}\""))),
        }
    }

    /// The word used in config.json and in stored outbox items.
    pub fn as_str(self) -> &'static str {
        match self {
            RequestMode::Json => "json",
            RequestMode::Simple => "simple",
        }
    }
}

/// One `allowed_endpoints` entry: a URL, or `{"url": ..., "request": ...}`.
fn allowed_endpoint(v: &Json, at: &str) -> Shape<(String, RequestMode)> {
    if let Json::Str(url) = v {
        return Ok((url.clone(), RequestMode::Json));
    }
    let mut f = Fields::new(v, at)?;
    let entry = (f.take("url", Json::str), f.take_opt("request", RequestMode::from_json).unwrap_or_default());
    f.end()?;
    Ok(entry)
}

/// Extra anonymisation rules on top of the built-in detector.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Anonymise {
    /// Shapes such as `{"label": "student id", "shape": "S#######"}`.
    pub patterns: Vec<CustomPattern>,
    /// Exact words or phrases, e.g. a ward or a tutor group's nickname.
    pub words: Vec<String>,
}

impl Anonymise {
    fn read(v: &Json, at: &str) -> Shape<Anonymise> {
        let mut f = Fields::new(v, at)?;
        let a = Anonymise {
            patterns: f.take_opt("patterns", |v, at| v.list(at, CustomPattern::from_json)).unwrap_or_default(),
            words: f.take_opt("words", Json::strings).unwrap_or_default(),
        };
        f.end()?;
        Ok(a)
    }
}

impl Config {
    /// The detector these settings ask for.
    pub fn detector(&self) -> Detector {
        Detector::new(&self.anonymise.patterns, &self.anonymise.words)
    }
}

#[derive(Debug, Clone, PartialEq, Error)]
pub enum ConfigError {
    #[error("config.json is not valid: {0}")]
    Json(String),
    #[error("config.json: endpoint \"{0}\" must be a path on this site, an https:// address, or http:// on localhost")]
    InsecureEndpoint(String),
    #[error("config.json: \"questionnaire\" must be a path on this site, not \"{0}\"")]
    ForeignQuestionnaire(String),
    #[error("config.json: header \"{0}\" may not be set")]
    Header(String),
    #[error("config.json: embed origin \"{0}\" must be an exact origin such as https://moodle.example.ac.uk")]
    Origin(String),
    #[error("the endpoint \"{0}\" asked for in the link is not one this survey allows")]
    EndpointNotAllowed(String),
    #[error("config.json: \"headers\" cannot be used with the \"simple\" endpoint \"{0}\": a custom header makes the browser ask the endpoint first (a CORS preflight), which simple endpoints cannot answer; put a form key in the endpoint's URL instead")]
    HeadersWithSimple(String),
}

impl Config {
    fn read(v: &Json) -> Shape<Config> {
        let mut f = Fields::new(v, "")?;
        let endpoint = f.take("endpoint", Json::str);
        let request = f.take_opt("request", RequestMode::from_json).unwrap_or_default();
        let allowed = f.take_opt("allowed_endpoints", |v, at| v.list(at, allowed_endpoint)).unwrap_or_default();
        let requests = std::iter::once((endpoint.clone(), request))
            .chain(allowed.iter().cloned())
            .filter(|(_, mode)| *mode != RequestMode::Json)
            .collect();
        let c = Config {
            questionnaire: f.take("questionnaire", Json::str),
            endpoint,
            allowed_endpoints: allowed.into_iter().map(|(url, _)| url).collect(),
            requests,
            period: f.take_opt("period", Granularity::from_json).unwrap_or_default(),
            anonymise: f.take_opt("anonymise", Anonymise::read).unwrap_or_default(),
            headers: f.take_opt("headers", Json::string_map).unwrap_or_default(),
            embed_origins: f.take_opt("embed_origins", Json::strings).unwrap_or_default(),
            record_language: f.take_opt("record_language", Json::bool).unwrap_or(false),
        };
        f.take_opt("$comment", Json::str);
        f.end()?;
        Ok(c)
    }

    /// Parses and checks the config.
    pub fn from_json(json: &str) -> Result<Self, ConfigError> {
        let c = json::parse(json).and_then(|v| Self::read(&v)).map_err(|e| ConfigError::Json(e.to_string()))?;
        for e in std::iter::once(&c.endpoint).chain(&c.allowed_endpoints) {
            if !endpoint_ok(e) {
                return Err(ConfigError::InsecureEndpoint(e.clone()));
            }
        }
        if !is_local_path(&c.questionnaire) {
            return Err(ConfigError::ForeignQuestionnaire(c.questionnaire.clone()));
        }
        // Headers that would identify the student or break the contract.
        const FORBIDDEN: [&str; 6] = ["cookie", "authorization", "user-agent", "idempotency-key", "content-type", "origin"];
        if let Some(h) = c.headers.keys().find(|h| {
            FORBIDDEN.contains(&h.to_ascii_lowercase().as_str())
                || h.is_empty()
                || !h.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        }) {
            return Err(ConfigError::Header(h.clone()));
        }
        if let Some(o) = c.embed_origins.iter().find(|o| !is_origin(o)) {
            return Err(ConfigError::Origin(o.clone()));
        }
        // Any custom header makes the browser ask first, which is exactly what
        // a simple endpoint cannot answer: refuse rather than drop them.
        if let (Some((url, _)), false) = (c.requests.first(), c.headers.is_empty()) {
            return Err(ConfigError::HeadersWithSimple(url.clone()));
        }
        Ok(c)
    }

    /// The language to put in a submission: `chosen` when the school opted in
    /// with `record_language`, else nothing.
    pub fn language_to_record<'a>(&self, chosen: &'a str) -> Option<&'a str> {
        self.record_language.then_some(chosen)
    }

    /// How to send to `endpoint` (one this config allows).
    pub fn request_mode(&self, endpoint: &str) -> RequestMode {
        self.requests.iter().find(|(url, _)| url == endpoint).map(|(_, mode)| *mode).unwrap_or_default()
    }

    /// The endpoint to post to: the default, or `requested` when it is exactly
    /// one of `allowed_endpoints` (or the default itself).
    pub fn choose_endpoint(&self, requested: Option<&str>) -> Result<&str, ConfigError> {
        match requested {
            None => Ok(&self.endpoint),
            Some(r) if r == self.endpoint => Ok(&self.endpoint),
            Some(r) => self
                .allowed_endpoints
                .iter()
                .find(|e| *e == r)
                .map(String::as_str)
                .ok_or_else(|| ConfigError::EndpointNotAllowed(r.to_owned())),
        }
    }
}

/// True when `s` holds a control character or white space anywhere.
///
/// The WHATWG URL parser, which every browser's `fetch` uses, silently
/// removes tab, LF and CR from anywhere in a URL and trims leading and
/// trailing C0 controls and spaces (<https://url.spec.whatwg.org/#concept-basic-url-parser>),
/// so `/<TAB>/evil.example/q.json` passes a string check for `//` yet is
/// fetched as `//evil.example/q.json`, another host. No URL this app takes
/// from outside needs either, so both are refused outright.
pub fn has_control_or_space(s: &str) -> bool {
    s.chars().any(|c| c.is_control() || c.is_whitespace())
}

/// A path on the app's own origin: `/x`, `x/y.json`, but not `//host`, `a:b`,
/// `/\\host` or anything with a control character or white space in it.
///
/// A string check only: the app also resolves the value with the browser's
/// URL parser and compares origins (`load.rs`), so the two must both agree.
pub fn is_local_path(s: &str) -> bool {
    !s.is_empty() && !s.starts_with("//") && !s.contains(':') && !s.contains('\\') && !has_control_or_space(s)
}

/// https anywhere, http only on the loopback host, or a same-origin path.
pub fn endpoint_ok(url: &str) -> bool {
    if has_control_or_space(url) {
        return false;
    }
    if is_local_path(url) {
        return true;
    }
    if let Some(rest) = url.strip_prefix("https://") {
        return host_of(rest).is_some_and(|h| !h.is_empty());
    }
    if let Some(rest) = url.strip_prefix("http://") {
        return matches!(host_of(rest), Some("localhost" | "127.0.0.1" | "[::1]"));
    }
    false
}

/// Host part of `host[:port][/path]`, refusing userinfo (`user@host`) tricks.
fn host_of(rest: &str) -> Option<&str> {
    let authority = rest.split(['/', '?', '#']).next()?;
    if authority.contains('@') {
        return None;
    }
    let host = if authority.starts_with('[') { &authority[..=authority.find(']')?] } else { authority.split(':').next()? };
    Some(host)
}

/// `scheme://host[:port]` with nothing after it.
pub fn is_origin(s: &str) -> bool {
    let rest = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !r.contains(['/', '?', '#', '@', '\\']) && !has_control_or_space(r))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(extra: &str) -> Result<Config, ConfigError> {
        Config::from_json(&format!(r#"{{"questionnaire":"q.json","endpoint":"/api/submissions"{extra}}}"#))
    }

    #[test]
    fn accepts_the_shipped_config() {
        let c = Config::from_json(include_str!("../../../public/config.json")).unwrap();
        assert!(c.endpoint.starts_with('/'));
    }

    #[test]
    fn endpoints_must_be_safe() {
        assert!(endpoint_ok("https://forms.example.ac.uk/balint"));
        assert!(endpoint_ok("http://127.0.0.1:8080/api/submissions"));
        assert!(endpoint_ok("http://localhost:9/x"));
        assert!(!endpoint_ok("http://example.org/api"));
        assert!(!endpoint_ok("http://localhost@evil.example/api"));
        assert!(!endpoint_ok("https://user@evil.example/api"));
        assert!(!endpoint_ok("//evil.example/api"));
        assert!(!endpoint_ok("javascript:alert(1)"));
        assert!(matches!(
            Config::from_json(r#"{"questionnaire":"q.json","endpoint":"http://evil.example/x"}"#),
            Err(ConfigError::InsecureEndpoint(_))
        ));
    }

    /// Tab, LF and CR are stripped by the browser's URL parser, so each one
    /// could turn a "local" path into another host; other controls and white
    /// space are refused too, anywhere in the value.
    #[test]
    fn control_characters_and_white_space_are_refused_in_every_outside_url() {
        for c in ['\t', '\n', '\r', '\0', '\u{1b}', '\u{7f}', '\u{85}', ' ', '\u{a0}', '\u{2028}', '\u{3000}'] {
            for bad in [format!("/{c}/evil.example/q.json"), format!("{c}//evil.example/q.json"), format!("questionnaires/q.json{c}")] {
                assert!(has_control_or_space(&bad), "{bad:?}");
                assert!(!is_local_path(&bad), "{bad:?}");
                assert!(!endpoint_ok(&bad), "{bad:?}");
            }
            assert!(!endpoint_ok(&format!("https://forms.example{c}.ac.uk/x")), "{c:?}");
            assert!(!endpoint_ok(&format!("http://localhost{c}.evil.example/x")), "{c:?}");
            assert!(!is_origin(&format!("https://moodle.example.ac.uk{c}")), "{c:?}");
            assert!(!is_origin(&format!("https://moodle{c}.example.ac.uk")), "{c:?}");
        }
        assert!(!is_origin("https://moodle.example.ac.uk\\@evil.example"));
        // What stays allowed.
        assert!(is_local_path("questionnaires/balint-end-of-cohort.json"));
        assert!(is_local_path("/questionnaires/q%20v2.json"));
        assert!(is_origin("https://moodle.example.ac.uk"));
        assert!(is_origin("http://127.0.0.1:8080"));
        // The same rule when the values come in through config.json.
        assert!(matches!(
            Config::from_json("{\"questionnaire\":\"/\\t/evil.example/q.json\",\"endpoint\":\"/x\"}"),
            Err(ConfigError::ForeignQuestionnaire(_))
        ));
        assert!(matches!(cfg(r#","allowed_endpoints":["/\n/evil.example/api"]"#), Err(ConfigError::InsecureEndpoint(_))));
        assert!(matches!(cfg(r#","embed_origins":["https://moodle.example.ac.uk\r"]"#), Err(ConfigError::Origin(_))));
    }

    #[test]
    fn endpoint_parameter_must_be_allowed() {
        let c = cfg(r#","allowed_endpoints":["https://b.example/api"]"#).unwrap();
        assert_eq!(c.choose_endpoint(None).unwrap(), "/api/submissions");
        assert_eq!(c.choose_endpoint(Some("https://b.example/api")).unwrap(), "https://b.example/api");
        assert_eq!(
            c.choose_endpoint(Some("https://evil.example/api")),
            Err(ConfigError::EndpointNotAllowed("https://evil.example/api".into()))
        );
    }

    #[test]
    fn request_mode_per_endpoint() {
        let c = cfg(r#","allowed_endpoints":["https://a.example/x",{"url":"https://b.example/exec","request":"simple"}]"#).unwrap();
        assert_eq!(c.allowed_endpoints, ["https://a.example/x", "https://b.example/exec"]);
        assert_eq!(c.request_mode("/api/submissions"), RequestMode::Json);
        assert_eq!(c.request_mode("https://a.example/x"), RequestMode::Json);
        assert_eq!(c.request_mode("https://b.example/exec"), RequestMode::Simple);
        assert_eq!(c.choose_endpoint(Some("https://b.example/exec")).unwrap(), "https://b.example/exec");
        let c = Config::from_json(r#"{"questionnaire":"q.json","endpoint":"https://s.example/exec","request":"simple"}"#).unwrap();
        assert_eq!(c.request_mode(&c.endpoint), RequestMode::Simple);
        assert_eq!(cfg(r#","request":"json""#).unwrap().request_mode("/api/submissions"), RequestMode::Json);
        // Misspelt modes and entries are errors, not silently JSON.
        assert!(matches!(cfg(r#","request":"text""#), Err(ConfigError::Json(_))));
        assert!(matches!(cfg(r#","allowed_endpoints":[{"url":"https://b.example/x","mode":"simple"}]"#), Err(ConfigError::Json(_))));
        assert!(matches!(
            cfg(r#","allowed_endpoints":[{"url":"http://evil.example/x","request":"simple"}]"#),
            Err(ConfigError::InsecureEndpoint(_))
        ));
        // Headers would need a preflight, which a simple endpoint cannot answer.
        assert_eq!(
            cfg(r#","headers":{"X-Form-Key":"k"},"allowed_endpoints":[{"url":"https://b.example/x","request":"simple"}]"#),
            Err(ConfigError::HeadersWithSimple("https://b.example/x".into()))
        );
        assert!(cfg(r#","headers":{"X-Form-Key":"k"},"allowed_endpoints":["https://b.example/x"]"#).is_ok());
    }

    #[test]
    fn recording_the_language_is_opt_in() {
        assert!(!cfg("").unwrap().record_language);
        assert_eq!(cfg("").unwrap().language_to_record("cy"), None);
        assert!(
            !Config::from_json(include_str!("../../../public/config.json")).unwrap().record_language,
            "the shipped config records none"
        );
        let on = cfg(r#","record_language":true"#).unwrap();
        assert_eq!(on.language_to_record("cy"), Some("cy"));
        assert_eq!(cfg(r#","record_language":false"#).unwrap().language_to_record("cy"), None);
        assert!(matches!(cfg(r#","record_language":"yes""#), Err(ConfigError::Json(_))));
    }

    #[test]
    fn refuses_bad_fields() {
        assert!(matches!(cfg(r#","period":"day""#), Err(ConfigError::Json(_))));
        let c = cfg(r#","period":"week","anonymise":{"patterns":[{"label":"student id","shape":"S#######"}],"words":["Ward 9"]}"#).unwrap();
        assert_eq!(c.period, Granularity::Week);
        assert_eq!(c.detector().find("my id is S1234567").len(), 1);
        assert!(matches!(cfg(r#","headers":{"Cookie":"x"}"#), Err(ConfigError::Header(_))));
        assert!(matches!(cfg(r#","embed_origins":["https://a.example/path"]"#), Err(ConfigError::Origin(_))));
        assert!(matches!(cfg(r#","endpont":"x""#), Err(ConfigError::Json(_))));
        assert!(matches!(
            Config::from_json(r#"{"questionnaire":"https://evil.example/q.json","endpoint":"/x"}"#),
            Err(ConfigError::ForeignQuestionnaire(_))
        ));
    }
}
