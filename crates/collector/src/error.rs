//! Every error the API answers with, and its status and JSON body.
//!
//! Bodies are always `{"error": "<code>", "message": "<sentence>"}`, plus
//! `errors` for refused answers. Codes are stable; messages are for people.

use crate::store::StoreError;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use survey_core::submission::FORMAT;
use survey_core::FieldError;
use thiserror::Error;

/// At most this many refused answers are listed in a 422 body.
pub const MAX_LISTED_ERRORS: usize = 20;

/// An API error. `IntoResponse` turns it into its status and JSON body.
#[derive(Debug, Error)]
pub enum ApiError {
    #[error("Content-Type must be application/json, or text/plain;charset=UTF-8 (the simple request mode)")]
    ContentType,
    #[error("the request body is not valid JSON: {0}")]
    MalformedJson(String),
    #[error("the request body is not a valid submission: {0}")]
    InvalidBody(String),
    #[error("the request body is larger than the {limit} bytes this receiver accepts")]
    TooLarge { limit: usize },
    #[error("could not read the request body: {0}")]
    BodyRead(String),
    #[error("the Idempotency-Key header is missing; it must equal submission_id")]
    MissingIdempotencyKey,
    #[error("the Idempotency-Key header does not equal submission_id")]
    IdempotencyKeyMismatch,
    #[error("submission_id must be a random UUID version 4")]
    InvalidSubmissionId,
    #[error("format {got} is not supported; this receiver accepts format {FORMAT}")]
    UnsupportedFormat { got: u32 },
    #[error("period \"{0}\" is not a valid period (YYYY-MM or YYYY-Www)")]
    InvalidPeriod(String),
    #[error("{}", unknown_questionnaire_message(id, version, known))]
    UnknownQuestionnaire { id: String, version: String, known: Vec<String> },
    #[error("{} answer(s) were refused", .0.len())]
    InvalidAnswers(Vec<FieldError>),
    #[error("submission {0} was already received with different content; a new response needs a new submission_id")]
    Conflict(String),
    #[error("the submission could not be stored; please retry later")]
    Storage(#[from] StoreError),
    #[error("internal error; please retry later")]
    Internal(String),
    #[error("a valid export token is needed: send Authorization: Bearer <token>")]
    Unauthorized { token_given: bool },
    #[error("exports are disabled: set export_token in the config file or COLLECTOR_EXPORT_TOKEN")]
    ExportsDisabled,
    #[error("{0}")]
    NotFound(&'static str),
    #[error("{message}")]
    BadRequest { code: &'static str, message: String },
    #[error("{message}")]
    Unprocessable { code: &'static str, message: String },
    /// Test-only: an answer forced by `POST /__test/fault`.
    #[error("fault injected by POST /__test/fault")]
    Fault { status: StatusCode, body: Option<Value> },
}

fn unknown_questionnaire_message(id: &str, version: &str, known: &[String]) -> String {
    let mut m = format!("questionnaire \"{id}\" version \"{version}\" is not known to this receiver");
    if known.is_empty() {
        m.push_str(&format!(" (it knows no versions of \"{id}\")"));
    } else {
        m.push_str(&format!(" (known versions of \"{id}\": {})", known.join(", ")));
    }
    m
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        use ApiError::*;
        match self {
            ContentType
            | MalformedJson(_)
            | InvalidBody(_)
            | BodyRead(_)
            | MissingIdempotencyKey
            | IdempotencyKeyMismatch
            | InvalidSubmissionId
            | BadRequest { .. } => StatusCode::BAD_REQUEST,
            TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            UnsupportedFormat { .. } | InvalidPeriod(_) | UnknownQuestionnaire { .. } | InvalidAnswers(_) | Unprocessable { .. } => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            // 409, not 422: the body is fine on its own; it conflicts with what is
            // already stored under that id (RFC 9110 §15.5.10).
            Conflict(_) => StatusCode::CONFLICT,
            Storage(_) | Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            ExportsDisabled => StatusCode::FORBIDDEN,
            NotFound(_) => StatusCode::NOT_FOUND,
            Fault { status, .. } => *status,
        }
    }

    /// The stable machine-readable code.
    pub fn code(&self) -> &'static str {
        use ApiError::*;
        match self {
            ContentType => "unsupported_content_type",
            MalformedJson(_) => "malformed_json",
            InvalidBody(_) => "invalid_body",
            TooLarge { .. } => "too_large",
            BodyRead(_) => "unreadable_body",
            MissingIdempotencyKey => "missing_idempotency_key",
            IdempotencyKeyMismatch => "idempotency_key_mismatch",
            InvalidSubmissionId => "invalid_submission_id",
            UnsupportedFormat { .. } => "unsupported_format",
            InvalidPeriod(_) => "invalid_period",
            UnknownQuestionnaire { .. } => "unknown_questionnaire",
            InvalidAnswers(_) => "invalid_answers",
            Conflict(_) => "conflict",
            Storage(_) => "storage_error",
            Internal(_) => "internal_error",
            Unauthorized { .. } => "unauthorized",
            ExportsDisabled => "exports_disabled",
            NotFound(_) => "not_found",
            BadRequest { code, .. } | Unprocessable { code, .. } => code,
            Fault { .. } => "test_fault",
        }
    }

    /// The JSON body.
    pub fn body(&self) -> Value {
        match self {
            ApiError::Fault { body: Some(body), .. } => body.clone(),
            ApiError::InvalidAnswers(errors) => {
                // Capped, so a small request cannot buy a reply many times its
                // size (4,689 unknown answers once gave 219 KB); the total says
                // how many there were.
                let shown: Vec<Value> = errors.iter().take(MAX_LISTED_ERRORS).map(|e| crate::export::value(&e.to_json())).collect();
                json!({ "error": self.code(), "message": self.to_string(), "errors": shown, "errors_total": errors.len() })
            }
            ApiError::UnknownQuestionnaire { known, .. } => {
                json!({ "error": self.code(), "message": self.to_string(), "known_versions": known })
            }
            _ => json!({ "error": self.code(), "message": self.to_string() }),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        match &self {
            ApiError::Storage(e) => tracing::error!("storage: {e}"),
            ApiError::Internal(e) => tracing::error!("internal: {e}"),
            _ => {}
        }
        let mut response = (status, Json(self.body())).into_response();
        if let ApiError::Unauthorized { token_given } = self {
            // RFC 6750 §3: say which scheme, and whether the token given was bad.
            let challenge = if token_given { "Bearer realm=\"collector\", error=\"invalid_token\"" } else { "Bearer realm=\"collector\"" };
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(challenge));
        }
        response
    }
}
