//! Sign-in for the programme report: the export token, typed once into a
//! form, buys a short-lived session cookie (`HttpOnly; Secure;
//! SameSite=Strict`), so no token ever sits in a URL, a bookmark or a
//! browser's history.
//!
//! Sessions live in memory only (a restart signs everyone out) and hold no
//! more than an expiry and the CSRF token of the sign-out form. Failed
//! attempts are limited for the whole receiver, not per address: the receiver
//! keeps no client addresses, and behind a proxy they would all be one anyway.

use crate::api::constant_time_eq;
use axum::http::{header, HeaderMap, HeaderValue};
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The session cookie.
pub const SESSION_COOKIE: &str = "cs_report_session";
/// The sign-in form's CSRF cookie (double-submit, before any session exists).
pub const CSRF_COOKIE: &str = "cs_report_csrf";
/// How long a sign-in form stays usable.
pub const FORM_LIFETIME: Duration = Duration::from_secs(3600);
/// Failed sign-ins are counted over this window.
pub const FAILURE_WINDOW: Duration = Duration::from_secs(15 * 60);

struct Session {
    csrf: String,
    expires: Instant,
}

/// Sessions and the failed-attempt counter.
pub struct Auth {
    sessions: Mutex<HashMap<String, Session>>,
    failures: Mutex<VecDeque<Instant>>,
    lifetime: Duration,
    max_failures: usize,
}

/// A valid session: its CSRF token for forms that change state.
#[derive(Debug, Clone, PartialEq)]
pub struct SignedIn {
    pub id: String,
    pub csrf: String,
}

impl Auth {
    /// `lifetime`: how long a session lasts from sign-in; `max_failures`: how
    /// many wrong tokens in [`FAILURE_WINDOW`] lock the sign-in until the oldest ages out.
    pub fn new(lifetime: Duration, max_failures: usize) -> Auth {
        Auth { sessions: Mutex::new(HashMap::new()), failures: Mutex::new(VecDeque::new()), lifetime, max_failures: max_failures.max(1) }
    }

    pub fn lifetime(&self) -> Duration {
        self.lifetime
    }

    /// Starts a session.
    pub fn create(&self) -> SignedIn {
        let s = SignedIn { id: random_token(), csrf: random_token() };
        if let Ok(mut map) = self.sessions.lock() {
            let now = Instant::now();
            map.retain(|_, v| v.expires > now);
            map.insert(s.id.clone(), Session { csrf: s.csrf.clone(), expires: now + self.lifetime });
        }
        s
    }

    /// The session named by the request's cookie, if it is live.
    pub fn session(&self, headers: &HeaderMap) -> Option<SignedIn> {
        let id = cookie(headers, SESSION_COOKIE)?;
        let mut map = self.sessions.lock().ok()?;
        match map.get(&id) {
            Some(s) if s.expires > Instant::now() => Some(SignedIn { id, csrf: s.csrf.clone() }),
            Some(_) => {
                map.remove(&id);
                None
            }
            None => None,
        }
    }

    /// Ends a session.
    pub fn end(&self, id: &str) {
        if let Ok(mut map) = self.sessions.lock() {
            map.remove(id);
        }
    }

    /// `Some(wait)` while too many attempts failed recently.
    pub fn locked(&self) -> Option<Duration> {
        let mut f = self.failures.lock().ok()?;
        let now = Instant::now();
        while f.front().is_some_and(|t| now.duration_since(*t) >= FAILURE_WINDOW) {
            f.pop_front();
        }
        (f.len() >= self.max_failures).then(|| FAILURE_WINDOW.saturating_sub(now.duration_since(f[0])))
    }

    /// Counts a wrong token.
    pub fn record_failure(&self) {
        if let Ok(mut f) = self.failures.lock() {
            f.push_back(Instant::now());
        }
    }

    /// Attempts left before the lock.
    pub fn attempts_left(&self) -> usize {
        let _ = self.locked();
        self.failures.lock().map(|f| self.max_failures.saturating_sub(f.len())).unwrap_or(0)
    }
}

/// 32 bytes from the operating system's CSPRNG, as hex.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    // The OS generator failing is not something to limp on with a weak token.
    getrandom::fill(&mut bytes).expect("the operating system's random number generator is unavailable");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The value of cookie `name` in the request.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
        .filter(|v| !v.is_empty())
}

/// A `Set-Cookie` value for our cookies. `Secure` always: browsers accept it
/// on https and on http://localhost or 127.0.0.1 (a secure context).
pub fn set_cookie(name: &str, value: &str, max_age: Duration) -> HeaderValue {
    let v = format!("{name}={value}; Path=/; Max-Age={}; HttpOnly; Secure; SameSite=Strict", max_age.as_secs());
    HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static("invalid=; Max-Age=0"))
}

/// True when two secrets are equal (constant time).
pub fn same_secret(a: &str, b: &str) -> bool {
    !a.is_empty() && constant_time_eq(a.as_bytes(), b.as_bytes())
}

/// Cross-site check for POSTs: an `Origin` header, when sent (browsers always
/// send it on a form POST), must be this host; `Sec-Fetch-Site`, when sent,
/// must be `same-origin`. SameSite=Strict cookies and the CSRF tokens are the
/// main defence; this refuses a cross-site form before it is even read.
///
/// `Origin: null` is what a browser sends when the page's referrer policy is
/// `no-referrer` (the receiver's default); then `Sec-Fetch-Site` must say
/// `same-origin`. The report pages use `same-origin` so that Origin is sent.
pub fn same_origin(headers: &HeaderMap) -> bool {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    let origin_ok = match (headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()), host) {
        (None, _) => true,
        (Some("null"), _) => site == Some("same-origin"),
        (Some(o), Some(h)) => o.split_once("://").is_some_and(|(scheme, rest)| matches!(scheme, "http" | "https") && rest == h),
        (Some(_), None) => false,
    };
    let site_ok = site.is_none_or(|v| v == "same-origin" || v == "none");
    origin_ok && site_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_cookie(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_str(v).unwrap());
        h
    }

    #[test]
    fn sessions_expire_and_end() {
        let auth = Auth::new(Duration::from_millis(50), 3);
        let s = auth.create();
        assert_eq!(s.id.len(), 64);
        let h = with_cookie(&format!("other=1; {SESSION_COOKIE}={}", s.id));
        assert_eq!(auth.session(&h), Some(s.clone()));
        auth.end(&s.id);
        assert_eq!(auth.session(&h), None);
        let s = auth.create();
        let h = with_cookie(&format!("{SESSION_COOKIE}={}", s.id));
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(auth.session(&h), None, "expired");
        assert_eq!(auth.session(&with_cookie(&format!("{SESSION_COOKIE}=guess"))), None);
    }

    #[test]
    fn failures_lock() {
        let auth = Auth::new(Duration::from_secs(60), 3);
        assert!(auth.locked().is_none());
        for _ in 0..3 {
            auth.record_failure();
        }
        let wait = auth.locked().expect("locked after 3");
        assert!(wait > Duration::from_secs(14 * 60));
        assert_eq!(auth.attempts_left(), 0);
    }

    #[test]
    fn origins() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(same_origin(&h));
        h.insert(header::ORIGIN, HeaderValue::from_static("http://127.0.0.1:8080"));
        assert!(same_origin(&h));
        h.insert(header::ORIGIN, HeaderValue::from_static("https://evil.example"));
        assert!(!same_origin(&h));
        h.insert(header::ORIGIN, HeaderValue::from_static("http://127.0.0.1:8080"));
        h.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(!same_origin(&h));
        h.insert(header::ORIGIN, HeaderValue::from_static("null"));
        assert!(!same_origin(&h), "an opaque origin from another site");
        h.insert("sec-fetch-site", HeaderValue::from_static("same-origin"));
        assert!(same_origin(&h), "an opaque origin from a no-referrer page of this site");
        h.remove("sec-fetch-site");
        assert!(!same_origin(&h), "an opaque origin with nothing to vouch for it");
    }
}
