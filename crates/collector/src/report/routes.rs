//! HTTP for the report: `/report` (page, sign-in, sign-out, stylesheet) and
//! the read-only API beside the exports (`/api/report.json`, the free-text
//! CSV, the R and SPSS files, the codebook in a language). Every read accepts
//! a report session or the bearer token; nothing takes a token in a URL.

use super::{build, html, research, Report, ReportError, Selection};
use crate::api;
use crate::auth::{self, Auth, SignedIn, CSRF_COOKIE, SESSION_COOKIE};
use crate::error::ApiError;
use crate::export::{codebook_csv as codebook_to_csv, codebook_in, guard_formula, languages, Table};
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use serde::Deserialize;
use std::sync::Arc;
use std::time::Duration;
use survey_core::Submission;
use tower_http::set_header::SetResponseHeaderLayer;

/// The report pages' policy: no script at all, styles and forms from here only.
pub const REPORT_CSP: &str =
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// State of the report routes: the receiver's, plus sessions.
#[derive(Clone)]
pub struct ReportState {
    app: AppState,
    auth: Arc<Auth>,
}

/// The report's routes, ready to merge into the receiver's router.
pub fn router(app: AppState) -> Router {
    let c = app.config();
    let auth = Arc::new(Auth::new(Duration::from_secs(c.report_session_minutes * 60), c.report_sign_in_attempts));
    let state = ReportState { app, auth };
    let pages = Router::new()
        .route("/report", get(report_page))
        .route("/report/", get(|| async { Redirect::to("/report") }))
        .route("/report/report.css", get(css))
        .route("/report/sign-in", get(sign_in_form).post(sign_in))
        .route("/report/sign-out", post(sign_out))
        .layer(SetResponseHeaderLayer::overriding(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(REPORT_CSP)))
        // Not the receiver's `no-referrer`: with it a browser's form POST says
        // `Origin: null`, and the sign-in and sign-out checks want the origin.
        // Nothing leaves the site either way.
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")));
    let reads = Router::new()
        .route("/api/report.json", get(report_json))
        .route("/api/report/free-text.csv", get(free_text_csv))
        .route("/api/submissions.R", get(r_script))
        .route("/api/submissions.sps", get(spss_syntax))
        .route("/api/submissions.csv", get(submissions_csv))
        .route("/api/submissions.json", get(submissions_json))
        .route("/api/codebook.csv", get(codebook_csv))
        .route("/api/codebook.json", get(codebook_json));
    pages
        .merge(reads)
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .with_state(state)
}

fn html_response(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

fn download(bytes: impl Into<Vec<u8>>, content_type: &'static str, filename: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")).unwrap_or(HeaderValue::from_static("attachment")),
            ),
        ],
        bytes.into(),
    )
        .into_response()
}

/// A session, or else the bearer token.
fn allowed(s: &ReportState, headers: &HeaderMap) -> Result<(), ApiError> {
    if s.app.config().export_token.is_some() && s.auth.session(headers).is_some() {
        return Ok(());
    }
    api::authorize(&s.app, headers)
}

/// Every stored submission that can be read. A row that cannot is logged
/// and left out of the figures (it stays in the database and the raw export).
async fn submissions(app: &AppState) -> Result<Vec<Submission>, ApiError> {
    let stored = app.store().all().await?;
    let mut out = Vec::with_capacity(stored.len());
    for r in stored {
        match Submission::from_json(&r.body) {
            Ok(s) => out.push(s),
            Err(e) => tracing::warn!("report: stored row {} cannot be read and is left out: {e}", r.seq),
        }
    }
    Ok(out)
}

/// Builds the report off the async threads (10,000 rows take a while).
async fn compute(app: &AppState, sel: Selection) -> Result<Result<Report, ReportError>, ApiError> {
    let rows = submissions(app).await?;
    let app = app.clone();
    tokio::task::spawn_blocking(move || build(app.questionnaires(), &rows, sel, app.config().report_min_cell))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))
}

fn selection_error(e: ReportError) -> ApiError {
    ApiError::BadRequest { code: "invalid_selection", message: e.to_string() }
}

fn disabled() -> Response {
    html_response(
        StatusCode::FORBIDDEN,
        html::message(
            "The report is switched off",
            "Start the receiver with an export token (export_token in the config file, or COLLECTOR_EXPORT_TOKEN) to sign in to the report.",
            None,
        ),
    )
}

// ------------------------------------------------------------- pages ---

async fn css() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], html::CSS).into_response()
}

/// `GET /report`: the page, or a redirect to sign in.
async fn report_page(State(s): State<ReportState>, headers: HeaderMap, Query(sel): Query<Selection>) -> Result<Response, ApiError> {
    if s.app.config().export_token.is_none() {
        return Ok(disabled());
    }
    let Some(session) = s.auth.session(&headers) else {
        return Ok(Redirect::to("/report/sign-in").into_response());
    };
    match compute(&s.app, sel.clone()).await? {
        Ok(report) => Ok(html_response(StatusCode::OK, html::report(&report, &sel, &session.csrf, &languages(s.app.questionnaires())))),
        Err(e) => Ok(html_response(
            StatusCode::BAD_REQUEST,
            html::message("This selection cannot be shown", &e.to_string(), Some(("/report", "Show the whole report"))),
        )),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SignInQuery {
    signed_out: Option<String>,
}

/// A fresh sign-in form with its CSRF cookie.
fn form_response(status: StatusCode, message: Option<(&str, bool)>, extra: Option<(header::HeaderName, HeaderValue)>) -> Response {
    let csrf = auth::random_token();
    let mut res = html_response(status, html::sign_in(&csrf, message));
    res.headers_mut().append(header::SET_COOKIE, auth::set_cookie(CSRF_COOKIE, &csrf, auth::FORM_LIFETIME));
    if let Some((k, v)) = extra {
        res.headers_mut().insert(k, v);
    }
    res
}

async fn sign_in_form(State(s): State<ReportState>, headers: HeaderMap, Query(q): Query<SignInQuery>) -> Response {
    if s.app.config().export_token.is_none() {
        return disabled();
    }
    if s.auth.session(&headers).is_some() {
        return Redirect::to("/report").into_response();
    }
    let note = q.signed_out.is_some().then_some(("You have signed out.", false));
    form_response(StatusCode::OK, note, None)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SignInForm {
    token: String,
    csrf: String,
}

/// `POST /report/sign-in`.
async fn sign_in(State(s): State<ReportState>, headers: HeaderMap, Form(form): Form<SignInForm>) -> Response {
    let Some(expected) = s.app.config().export_token.clone() else {
        return disabled();
    };
    let cookie_csrf = auth::cookie(&headers, CSRF_COOKIE).unwrap_or_default();
    if !auth::same_origin(&headers) || !auth::same_secret(&form.csrf, &cookie_csrf) {
        return form_response(
            StatusCode::FORBIDDEN,
            Some(("This sign-in form has expired or did not come from this site. Please type the export token again.", true)),
            None,
        );
    }
    if let Some(wait) = s.auth.locked() {
        let minutes = wait.as_secs().div_ceil(60).max(1);
        let retry = HeaderValue::from_str(&wait.as_secs().max(1).to_string()).unwrap_or(HeaderValue::from_static("900"));
        let text = format!("Too many wrong export tokens were tried. Sign-in is locked; try again in {minutes} minute(s).");
        return form_response(StatusCode::TOO_MANY_REQUESTS, Some((&text, true)), Some((header::RETRY_AFTER, retry)));
    }
    if !api::constant_time_eq(form.token.trim().as_bytes(), expected.as_bytes()) {
        s.auth.record_failure();
        tracing::warn!("report: a sign-in with a wrong export token");
        let left = s.auth.attempts_left();
        let text = if left == 0 {
            "That export token is not right. Sign-in is now locked for 15 minutes.".to_owned()
        } else {
            format!("That export token is not right. {left} more wrong attempt(s) lock sign-in for 15 minutes.")
        };
        return form_response(StatusCode::UNAUTHORIZED, Some((&text, true)), None);
    }
    let SignedIn { id, .. } = s.auth.create();
    let mut res = Redirect::to("/report").into_response();
    let h = res.headers_mut();
    h.append(header::SET_COOKIE, auth::set_cookie(SESSION_COOKIE, &id, s.auth.lifetime()));
    h.append(header::SET_COOKIE, auth::set_cookie(CSRF_COOKIE, "", Duration::ZERO));
    res
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SignOutForm {
    csrf: String,
}

/// `POST /report/sign-out`: ends the session (CSRF-checked).
async fn sign_out(State(s): State<ReportState>, headers: HeaderMap, Form(form): Form<SignOutForm>) -> Response {
    if let Some(session) = s.auth.session(&headers) {
        if !auth::same_origin(&headers) || !auth::same_secret(&form.csrf, &session.csrf) {
            return html_response(
                StatusCode::FORBIDDEN,
                html::message(
                    "Sign-out refused",
                    "That sign-out did not come from the report page. You are still signed in.",
                    Some(("/report", "Back to the report")),
                ),
            );
        }
        s.auth.end(&session.id);
    }
    let mut res = Redirect::to("/report/sign-in?signed_out=1").into_response();
    res.headers_mut().append(header::SET_COOKIE, auth::set_cookie(SESSION_COOKIE, "", Duration::ZERO));
    res
}

// -------------------------------------------------------------- reads ---

/// `GET /api/report.json`: the same figures and hiding as the page.
async fn report_json(State(s): State<ReportState>, headers: HeaderMap, Query(sel): Query<Selection>) -> Result<Response, ApiError> {
    allowed(&s, &headers)?;
    let report = compute(&s.app, sel).await?.map_err(selection_error)?;
    Ok(Json(report).into_response())
}

/// `GET /api/report/free-text.csv`: the free text the page lists, for
/// qualitative coding (submission id, question, text; group with a breakdown).
async fn free_text_csv(State(s): State<ReportState>, headers: HeaderMap, Query(sel): Query<Selection>) -> Result<Response, ApiError> {
    allowed(&s, &headers)?;
    let report = compute(&s.app, sel).await?.map_err(selection_error)?;
    let bytes = free_text_to_csv(&report).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(download(bytes, "text/csv; charset=utf-8", "free-text.csv"))
}

/// The free-text CSV of a report.
pub fn free_text_to_csv(r: &Report) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let by = r.breakdown.as_ref();
    let mut head = vec!["submission_id", "question_id", "question"];
    if by.is_some() {
        head.push("group");
    }
    head.push("text");
    w.write_record(&head)?;
    for q in &r.questions {
        let super::Body::Text { all, groups } = &q.body else { continue };
        let lists: Vec<(Option<&str>, &super::TextList)> = match by {
            Some(b) => b.groups.iter().map(|g| Some(g.label.as_str())).zip(groups).collect(),
            None => vec![(None, all)],
        };
        for (g, list) in lists {
            for a in &list.answers {
                let mut rec = vec![a.submission_id.clone(), q.id.clone(), guard_formula(&q.text)];
                if let Some(g) = g {
                    rec.push(guard_formula(g));
                }
                rec.push(guard_formula(&a.text));
                w.write_record(&rec)?;
            }
        }
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LangQuery {
    lang: Option<String>,
}

/// The language asked for, if the questionnaires have it.
fn language(s: &ReportState, q: LangQuery) -> Result<String, ApiError> {
    Ok(asked_language(s, q)?.unwrap_or_else(|| "en".into()))
}

/// The language asked for (`None` when none was), if the questionnaires have it.
fn asked_language(s: &ReportState, q: LangQuery) -> Result<Option<String>, ApiError> {
    let known = languages(s.app.questionnaires());
    match q.lang.filter(|l| !l.is_empty()) {
        None => Ok(None),
        Some(l) if known.contains(&l) => Ok(Some(l)),
        Some(l) => Err(ApiError::BadRequest {
            code: "unknown_language",
            message: format!("the questionnaires have no texts in \"{l}\"; languages available: {}", known.join(", ")),
        }),
    }
}

async fn table(app: &AppState) -> Result<Table, ApiError> {
    Ok(Table::build(app.questionnaires(), app.store().all().await?))
}

async fn r_script(State(s): State<ReportState>, headers: HeaderMap, Query(q): Query<LangQuery>) -> Result<Response, ApiError> {
    allowed(&s, &headers)?;
    let lang = language(&s, q)?;
    let script = research::r_script(&table(&s.app).await?.columns, &codebook_in(s.app.questionnaires(), &lang));
    Ok(download(script, "text/plain; charset=utf-8", "submissions.R"))
}

async fn spss_syntax(State(s): State<ReportState>, headers: HeaderMap, Query(q): Query<LangQuery>) -> Result<Response, ApiError> {
    allowed(&s, &headers)?;
    let lang = language(&s, q)?;
    // A byte-order mark tells SPSS the syntax file is UTF-8.
    let syntax = format!("\u{feff}{}", research::spss_syntax(&table(&s.app).await?.columns, &codebook_in(s.app.questionnaires(), &lang)));
    Ok(download(syntax, "text/plain; charset=utf-8", "submissions.sps"))
}

/// A report session stands in for the bearer token, so the one export
/// handler in `api` serves both.
fn as_bearer(s: &ReportState, headers: &HeaderMap) -> HeaderMap {
    let mut h = headers.clone();
    if let (Some(token), Some(_)) = (&s.app.config().export_token, s.auth.session(headers)) {
        if let Ok(v) = HeaderValue::from_str(&format!("Bearer {token}")) {
            h.insert(header::AUTHORIZATION, v);
        }
    }
    h
}

/// `GET /api/submissions.csv[?lang=cy]`, for a report session too.
async fn submissions_csv(State(s): State<ReportState>, headers: HeaderMap, Query(q): Query<LangQuery>) -> Result<Response, ApiError> {
    let h = as_bearer(&s, &headers);
    api::authorize(&s.app, &h)?;
    let lang = asked_language(&s, q)?;
    api::export_csv_in(s.app, h, lang).await
}

/// `GET /api/submissions.json[?lang=cy]`, for a report session too.
async fn submissions_json(State(s): State<ReportState>, headers: HeaderMap, Query(q): Query<LangQuery>) -> Result<Response, ApiError> {
    let h = as_bearer(&s, &headers);
    api::authorize(&s.app, &h)?;
    let lang = asked_language(&s, q)?;
    api::export_json_in(s.app, h, lang).await
}

/// `GET /api/codebook.csv?lang=cy`.
async fn codebook_csv(State(s): State<ReportState>, headers: HeaderMap, Query(q): Query<LangQuery>) -> Result<Response, ApiError> {
    allowed(&s, &headers)?;
    let lang = language(&s, q)?;
    let csv = codebook_to_csv(&codebook_in(s.app.questionnaires(), &lang)).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(download(csv, "text/csv; charset=utf-8", &format!("codebook-{lang}.csv")))
}

/// `GET /api/codebook.json?lang=cy`.
async fn codebook_json(State(s): State<ReportState>, headers: HeaderMap, Query(q): Query<LangQuery>) -> Result<Response, ApiError> {
    allowed(&s, &headers)?;
    let lang = language(&s, q)?;
    Ok(Json(codebook_in(s.app.questionnaires(), &lang)).into_response())
}
