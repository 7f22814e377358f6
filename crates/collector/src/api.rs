//! HTTP handlers for `/api/*`, `/healthz` and the test-only fault hook.

use crate::error::ApiError;
use crate::export::{codebook, codebook_csv, Labels, Table};
use crate::ingest::{self, Incoming};
use crate::store::{NewRow, Outcome};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

/// The header carrying the submission id; see `docs/submission-format.md`.
pub static IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");

/// Bodies up to this size are parsed and checked on the async worker.
pub const INLINE_CHECK_BYTES: usize = 64 * 1024;

/// `POST /api/submissions`.
pub async fn post_submission(
    State(app): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    if let Some(fault) = app.take_fault() {
        return Ok(fault.into_response());
    }
    let body = body.map_err(|r| match r.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::TooLarge { limit: app.config().max_body_bytes },
        _ => ApiError::BodyRead(r.body_text()),
    })?;
    let body_len = body.len();
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let key = headers.get(&IDEMPOTENCY_KEY).map(|v| v.to_str().map(str::to_owned).map_err(|_| ()));
    let checks = {
        let app = app.clone();
        move || {
            let incoming = ingest::parse(content_type.as_deref(), key.as_ref().map(|k| k.as_deref().map_err(|_| ())), &body)?;
            let checked = ingest::check(app.questionnaires(), &incoming.submission).map(|_| ());
            Ok::<_, ApiError>((incoming, checked))
        }
    };
    // Parsing and checking cost time in proportion to the body. A usual body
    // takes microseconds and runs here; a large one goes to the blocking pool,
    // a few at a time, so it can never stall the async workers that answer
    // every other request (a 1 MiB body once held them for 36 s).
    let (incoming, checked) = if body_len <= INLINE_CHECK_BYTES {
        checks()?
    } else {
        let _permit = app.heavy_permits().acquire().await.map_err(|e| ApiError::Internal(e.to_string()))?;
        tokio::task::spawn_blocking(checks).await.map_err(|e| ApiError::Internal(e.to_string()))??
    };

    if let Err(refused) = checked {
        // A retry of something stored before the questionnaire set changed is
        // still "already received", not a new refusal.
        if let Some(stored) = app.store().lookup(incoming.submission.submission_id.clone()).await? {
            return if stored == incoming.canonical {
                Ok(received(StatusCode::OK, &incoming))
            } else {
                Err(ApiError::Conflict(incoming.submission.submission_id))
            };
        }
        return Err(refused);
    }

    let s = &incoming.submission;
    let row = NewRow {
        submission_id: s.submission_id.clone(),
        questionnaire_id: s.questionnaire_id.clone(),
        questionnaire_version: s.questionnaire_version.clone(),
        period: s.period.clone(),
        body: incoming.canonical.clone(),
        digest: incoming.digest.clone(),
    };
    match app.store().insert(row).await? {
        Outcome::Inserted => Ok(received(StatusCode::CREATED, &incoming)),
        Outcome::Duplicate => Ok(received(StatusCode::OK, &incoming)),
        Outcome::Conflict => Err(ApiError::Conflict(incoming.submission.submission_id)),
    }
}

/// 201 `received` or 200 `already_received`, with the receipt.
fn received(status: StatusCode, incoming: &Incoming) -> Response {
    let word = if status == StatusCode::CREATED { "received" } else { "already_received" };
    let receipt = json!({
        "submission_id": incoming.submission.submission_id,
        "digest": format!("sha256:{}", incoming.digest),
    });
    (status, Json(json!({ "status": word, "receipt": receipt }))).into_response()
}

/// `GET /healthz`: 200 `ok` when the database answers.
pub async fn healthz(State(app): State<AppState>) -> Response {
    match app.store().ping().await {
        Ok(()) => (StatusCode::OK, [(header::CACHE_CONTROL, "no-store")], "ok").into_response(),
        Err(e) => {
            tracing::error!("health check: {e}");
            (StatusCode::SERVICE_UNAVAILABLE, [(header::CACHE_CONTROL, "no-store")], "database unavailable").into_response()
        }
    }
}

/// Checks `Authorization: Bearer <token>` against the configured token.
pub fn authorize(app: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(expected) = app.config().export_token.as_deref() else {
        return Err(ApiError::ExportsDisabled);
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim());
    match given {
        Some(token) if constant_time_eq(token.as_bytes(), expected.as_bytes()) => Ok(()),
        Some(_) => Err(ApiError::Unauthorized { token_given: true }),
        None => Err(ApiError::Unauthorized { token_given: false }),
    }
}

/// Compares without an early exit, so response time does not reveal how
/// much of a guessed token was right. (The length may show; tokens should be
/// long random strings anyway.)
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let mut diff = a.len() ^ b.len();
    for i in 0..a.len().max(b.len()) {
        let x = a.get(i).copied().unwrap_or(0);
        let y = b.get(i).copied().unwrap_or(0);
        diff |= usize::from(x ^ y);
    }
    std::hint::black_box(diff) == 0
}

async fn table(app: &AppState) -> Result<Table, ApiError> {
    let stored = app.store().all().await?;
    Ok(Table::build(app.questionnaires(), stored))
}

/// How many stored rows an export left out as unreadable, and their ids.
pub static UNREADABLE_ROWS: HeaderName = HeaderName::from_static("x-unreadable-rows");
pub static UNREADABLE_IDS: HeaderName = HeaderName::from_static("x-unreadable-submission-ids");

/// Names the rows an export could not read (CSV has no place for them that
/// every reader would skip; the JSON export also lists them in its body).
fn with_unreadable(mut res: Response, table: &Table) -> Response {
    if !table.unreadable.is_empty() {
        let h = res.headers_mut();
        h.insert(UNREADABLE_ROWS.clone(), table.unreadable.len().into());
        if let Ok(ids) = HeaderValue::from_str(&table.unreadable_ids()) {
            h.insert(UNREADABLE_IDS.clone(), ids);
        }
    }
    res
}

fn csv_response(bytes: Vec<u8>, filename: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
        ],
        bytes,
    )
        .into_response()
}

/// `GET /api/submissions.csv`.
pub async fn export_csv(State(app): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    export_csv_in(app, headers, None).await
}

/// `GET /api/submissions.csv?lang=cy`: choice answers as their labels in
/// `lang` (already checked to be one the questionnaires have); codes without.
pub async fn export_csv_in(app: AppState, headers: HeaderMap, lang: Option<String>) -> Result<Response, ApiError> {
    authorize(&app, &headers)?;
    let table = table(&app).await?;
    let labels = lang.as_deref().map(|l| Labels::new(app.questionnaires(), l));
    let csv = table.to_csv_labelled(labels.as_ref()).map_err(|e| ApiError::Internal(e.to_string()))?;
    let name = lang.map_or("submissions.csv".to_owned(), |l| format!("submissions-{l}.csv"));
    Ok(with_unreadable(csv_response(csv, &name), &table))
}

/// `GET /api/submissions.json`.
pub async fn export_json(State(app): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    export_json_in(app, headers, None).await
}

/// `GET /api/submissions.json?lang=cy`, as [`export_csv_in`].
pub async fn export_json_in(app: AppState, headers: HeaderMap, lang: Option<String>) -> Result<Response, ApiError> {
    authorize(&app, &headers)?;
    let table = table(&app).await?;
    let labels = lang.as_deref().map(|l| Labels::new(app.questionnaires(), l));
    Ok(with_unreadable(Json(table.to_json_labelled(labels.as_ref())).into_response(), &table))
}

/// `GET /api/codebook.csv`.
pub async fn codebook_csv_handler(State(app): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    authorize(&app, &headers)?;
    let csv = codebook_csv(&codebook(app.questionnaires())).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(csv_response(csv, "codebook.csv"))
}

/// `GET /api/codebook.json`.
pub async fn codebook_json_handler(State(app): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    authorize(&app, &headers)?;
    Ok(Json(codebook(app.questionnaires())).into_response())
}

/// Any other `/api/...` path: a JSON 404 rather than the app's index.html.
pub async fn api_not_found() -> ApiError {
    ApiError::NotFound("no such API endpoint")
}

/// A forced answer for the next submission posts (test-only).
#[derive(Debug, Clone)]
pub struct Fault {
    pub status: StatusCode,
    pub remaining: u32,
    pub body: Option<Value>,
    /// Sent as `Retry-After` (seconds).
    pub retry_after: Option<u32>,
}

impl IntoResponse for Fault {
    fn into_response(self) -> Response {
        let mut response = ApiError::Fault { status: self.status, body: self.body }.into_response();
        if let Some(secs) = self.retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, secs.into());
        }
        response
    }
}

/// Body of `POST /__test/fault`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRequest {
    pub status: u16,
    pub count: u32,
    /// Optional JSON body to answer with instead of the default.
    #[serde(default)]
    pub body: Option<Value>,
    /// Optional `Retry-After` seconds to answer with.
    #[serde(default)]
    pub retry_after: Option<u32>,
}

/// `POST /__test/fault` (only with `COLLECTOR_TEST_FAULTS=1`): the next
/// `count` submission posts get `status` and are not stored. `count: 0` clears.
pub async fn set_fault(State(app): State<AppState>, body: Bytes) -> Result<Response, ApiError> {
    let Some(slot) = app.faults() else {
        return Err(ApiError::NotFound("test hooks are off; they exist only when the receiver runs with COLLECTOR_TEST_FAULTS=1"));
    };
    let req: FaultRequest = serde_json::from_slice(&body)
        .map_err(|e| ApiError::BadRequest { code: "invalid_fault", message: format!("expected {{\"status\": 500, \"count\": 2}}: {e}") })?;
    let status = StatusCode::from_u16(req.status)
        .ok()
        .filter(|s| s.is_client_error() || s.is_server_error())
        .ok_or(ApiError::BadRequest { code: "invalid_fault", message: "status must be 400 to 599".into() })?;
    let mut slot = slot.lock().map_err(|_| ApiError::Internal("fault lock poisoned".into()))?;
    *slot = (req.count > 0).then_some(Fault { status, remaining: req.count, body: req.body, retry_after: req.retry_after });
    tracing::warn!("test fault set: next {} submission posts answer {}", req.count, status.as_u16());
    Ok((StatusCode::OK, Json(json!({ "status": "fault_set", "code": status.as_u16(), "count": req.count }))).into_response())
}
