//! The submission checks as pure functions of headers and bytes, so the HTTP
//! handler, the property tests and the fuzz target all run the same path.
//!
//! Order matters only for which error a doubly-wrong request gets: transport
//! and framing problems (400) come before content problems (422).

use crate::error::ApiError;
use crate::registry::Questionnaires;
use sha2::{Digest, Sha256};
use survey_core::json::JsonError;
use survey_core::submission::{is_uuid_v4, FORMAT};
use survey_core::{Questionnaire, Submission};

/// Longest `app_version` accepted; it is a version string, not a message.
pub const MAX_APP_VERSION: usize = 64;

/// A submission that parsed and passed the header checks.
#[derive(Debug, Clone)]
pub struct Incoming {
    pub submission: Submission,
    /// The submission re-serialised: field order fixed, answers sorted, no
    /// whitespace. Two posts are "the same" exactly when these are equal, so
    /// key order and formatting never turn a retry into a conflict.
    pub canonical: String,
    /// Hex SHA-256 of `canonical`; returned as the receipt.
    pub digest: String,
}

/// Checks the content type and `Idempotency-Key`, and parses the body.
///
/// `idempotency_key` is `Some(Err(()))` when the header is present but not
/// text; that can never equal a UUID.
///
/// `text/plain` is the app's "simple" request mode (`docs/endpoints.md`):
/// what a browser may send cross-origin without a preflight, so it carries no
/// `Idempotency-Key`; the body's `submission_id` is the key, and a key sent
/// anyway must still match it.
pub fn parse(content_type: Option<&str>, idempotency_key: Option<Result<&str, ()>>, body: &[u8]) -> Result<Incoming, ApiError> {
    let simple = match content_type {
        Some(ct) if is_json(ct) => false,
        Some(ct) if is_text_plain(ct) => true,
        _ => return Err(ApiError::ContentType),
    };
    let key = match idempotency_key {
        Some(key) => Some(key),
        None if simple => None,
        None => return Err(ApiError::MissingIdempotencyKey),
    };
    // The browser's own parser: the receiver refuses exactly what it would.
    let text = std::str::from_utf8(body).map_err(|_| ApiError::MalformedJson("the body is not UTF-8".into()))?;
    let mut submission = Submission::from_json(text).map_err(|e| match e {
        JsonError::Shape(_) => ApiError::InvalidBody(e.to_string()),
        JsonError::Syntax { .. } => ApiError::MalformedJson(e.to_string()),
    })?;
    if key.is_some_and(|key| !key.ok().map(str::trim).is_some_and(|k| k.eq_ignore_ascii_case(&submission.submission_id))) {
        return Err(ApiError::IdempotencyKeyMismatch);
    }
    if !is_uuid_v4(&submission.submission_id) {
        return Err(ApiError::InvalidSubmissionId);
    }
    // One UUID is one submission whatever its case: RFC 9562 §4 makes UUIDs
    // case-insensitive on input and lower case on output, so an upper-case id
    // is normalised rather than refused (refusing would strand a response a
    // client already holds). Stored, exported and echoed in lower case.
    submission.submission_id.make_ascii_lowercase();
    let canonical = submission.to_json().to_text();
    let digest = hex(&Sha256::digest(canonical.as_bytes()));
    Ok(Incoming { submission, canonical, digest })
}

/// Checks the content against what this receiver knows; returns the
/// questionnaire the answers belong to.
pub fn check<'q>(known: &'q Questionnaires, s: &Submission) -> Result<&'q Questionnaire, ApiError> {
    if s.format != FORMAT {
        return Err(ApiError::UnsupportedFormat { got: s.format });
    }
    if !survey_core::period::is_valid_period(&s.period) {
        return Err(ApiError::InvalidPeriod(s.period.clone()));
    }
    if s.app_version.is_empty() || s.app_version.chars().count() > MAX_APP_VERSION || s.app_version.chars().any(char::is_control) {
        return Err(ApiError::Unprocessable {
            code: "invalid_app_version",
            message: format!("app_version must be 1 to {MAX_APP_VERSION} characters without control characters"),
        });
    }
    let Some(q) = known.get(&s.questionnaire_id, &s.questionnaire_version) else {
        return Err(ApiError::UnknownQuestionnaire {
            id: s.questionnaire_id.clone(),
            version: s.questionnaire_version.clone(),
            known: known.versions_of(&s.questionnaire_id),
        });
    };
    // Only a language the questionnaire offers: the field is a code, never a
    // place for free text.
    if let Some(lang) = s.language.as_ref().filter(|l| !q.languages.contains(l)) {
        return Err(ApiError::Unprocessable {
            code: "invalid_language",
            message: format!("language \"{lang}\" is not one of this questionnaire's languages ({})", q.languages.join(", ")),
        });
    }
    let errors = survey_core::validate::validate_all(q, &s.answers);
    if !errors.is_empty() {
        return Err(ApiError::InvalidAnswers(errors));
    }
    Ok(q)
}

/// `application/json` or `application/<anything>+json`, any parameters.
fn is_json(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// `text/plain` with UTF-8 or no charset (the Fetch standard's safelisted
/// type a page sends as `text/plain;charset=UTF-8`).
fn is_text_plain(content_type: &str) -> bool {
    let mut parts = content_type.split(';').map(str::trim);
    parts.next().is_some_and(|essence| essence.eq_ignore_ascii_case("text/plain"))
        && parts.all(|p| match p.split_once('=') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("charset") => {
                value.trim().trim_matches('"').eq_ignore_ascii_case("utf-8")
            }
            _ => true,
        })
}

fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(HEX[(b >> 4) as usize] as char);
        s.push(HEX[(b & 15) as usize] as char);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

    fn body(id: &str) -> String {
        format!(
            r#"{{"format":1,"submission_id":"{id}","questionnaire_id":"q","questionnaire_version":"1",
               "period":"2026-11","app_version":"0.1.0","answers":{{"b":2,"a":"x"}}}}"#
        )
    }

    #[test]
    fn canonical_ignores_order_and_whitespace() {
        let a = parse(Some("application/json"), Some(Ok(ID)), body(ID).as_bytes()).unwrap();
        let reordered = format!(
            r#"{{ "answers": {{"a":"x","b":2.0}}, "app_version":"0.1.0", "period":"2026-11",
               "questionnaire_version":"1","questionnaire_id":"q","submission_id":"{ID}","format":1 }}"#
        );
        let b = parse(Some("application/json; charset=utf-8"), Some(Ok(ID)), reordered.as_bytes()).unwrap();
        assert_eq!(a.canonical, b.canonical);
        assert_eq!(a.digest, b.digest);
        assert_eq!(a.digest.len(), 64);
    }

    #[test]
    fn framing_errors() {
        let ok = body(ID);
        let code = |ct: Option<&str>, key: Option<Result<&str, ()>>, b: &str| parse(ct, key, b.as_bytes()).unwrap_err().code();
        assert_eq!(code(None, Some(Ok(ID)), &ok), "unsupported_content_type");
        assert_eq!(code(Some("text/html"), Some(Ok(ID)), &ok), "unsupported_content_type");
        assert_eq!(code(Some("text/plain; charset=iso-8859-1"), None, &ok), "unsupported_content_type");
        assert_eq!(code(Some("application/json"), None, &ok), "missing_idempotency_key");
        assert_eq!(code(Some("application/json"), Some(Err(())), &ok), "idempotency_key_mismatch");
        assert_eq!(code(Some("application/json"), Some(Ok("other")), &ok), "idempotency_key_mismatch");
        assert_eq!(code(Some("application/json"), Some(Ok(ID)), "{"), "malformed_json");
        assert_eq!(code(Some("application/json"), Some(Ok(ID)), r#"{"format": }"#), "malformed_json");
        assert_eq!(code(Some("application/json"), Some(Ok(ID)), r#"{"format":"1"}"#), "invalid_body");
        let not_v4 = "0f8fad5b-d9cb-169f-a165-70867728950e";
        assert_eq!(code(Some("application/json"), Some(Ok(not_v4)), &body(not_v4)), "invalid_submission_id");
        assert!(is_json("Application/Problem+JSON"));
    }

    #[test]
    fn upper_case_ids_are_the_same_submission() {
        let upper = ID.to_ascii_uppercase();
        let a = parse(Some("application/json"), Some(Ok(ID)), body(ID).as_bytes()).unwrap();
        let b = parse(Some("application/json"), Some(Ok(&upper)), body(&upper).as_bytes()).unwrap();
        let c = parse(Some("application/json"), Some(Ok(ID)), body(&upper).as_bytes()).unwrap();
        assert_eq!(b.submission.submission_id, ID);
        assert_eq!((&a.canonical, &a.digest), (&b.canonical, &b.digest));
        assert_eq!(a.canonical, c.canonical);
    }

    /// The digest the receiver answers with, pinned (the same submission as
    /// survey-core's first golden case): see survey-core/tests/golden.rs.
    #[test]
    fn digest_is_pinned() {
        let a = parse(Some("application/json"), Some(Ok(ID)), body(ID).as_bytes()).unwrap();
        assert_eq!(a.digest, "63d66e21548e6b7bf0867615196858f9e0d1e8a7aa78d427555094251e9077d5");
    }

    #[test]
    fn simple_mode_takes_the_id_from_the_body() {
        let ok = body(ID);
        let a = parse(Some("text/plain;charset=UTF-8"), None, ok.as_bytes()).unwrap();
        assert_eq!(a.submission.submission_id, ID);
        // The same bytes whichever way they came: a retry in the other mode is a repeat, not a conflict.
        assert_eq!(a.canonical, parse(Some("application/json"), Some(Ok(ID)), ok.as_bytes()).unwrap().canonical);
        assert!(parse(Some("text/plain"), None, ok.as_bytes()).is_ok());
        assert!(parse(Some("TEXT/PLAIN; Charset=\"utf-8\""), None, ok.as_bytes()).is_ok());
        let code = |ct: &str, key: Option<Result<&str, ()>>, b: &str| parse(Some(ct), key, b.as_bytes()).unwrap_err().code();
        // A key sent anyway must still match.
        assert_eq!(code("text/plain", Some(Ok("other")), &ok), "idempotency_key_mismatch");
        assert_eq!(code("text/plain", None, "{"), "malformed_json");
        let not_v4 = "0f8fad5b-d9cb-169f-a165-70867728950e";
        assert_eq!(code("text/plain", None, &body(not_v4)), "invalid_submission_id");
    }
}
