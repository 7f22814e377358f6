//! Static files, response headers and the request log.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::time::Instant;
use tower::ServiceExt;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};

/// For files whose name carries a content hash: they never change.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Serves `dist` at `/`. Paths without a file extension that match no file
/// get `index.html` (client-side routes); missing assets stay 404 so a broken
/// build is not hidden behind an HTML page served as JavaScript.
pub fn static_files(dist: &Path) -> Router {
    let index = dist.join("index.html");
    let spa = tower::service_fn(move |req: Request| spa_fallback(index.clone(), req));
    // Content-hashed assets have `.br`/`.gz` twins written at build time
    // (tools/precompress.mjs): the wasm goes over the wire as ~180 KB of
    // brotli instead of ~550 KB. ServeDir picks one by Accept-Encoding and
    // falls back to the plain file.
    let serve = ServeDir::new(dist).append_index_html_on_directories(true).precompressed_br().precompressed_gzip().fallback(spa);
    // The files a school edits in place (index.html, config.json, the
    // questionnaires, sw.js) have no twins: compressed per request instead.
    // A response that already has a Content-Encoding (a twin) is left alone.
    Router::new()
        .fallback_service(serve)
        .layer(middleware::from_fn(etag))
        .layer(CompressionLayer::new().br(true).gzip(true))
        .layer(middleware::from_fn(cache_control))
        .layer(middleware::from_fn(same_origin_redirects))
}

/// Largest file given an ETag: the files edited in place are a few KB; a
/// bigger one is served as it is, with Last-Modified only.
const ETAG_MAX: usize = 1 << 20;

/// A content ETag, and `304 Not Modified` on a matching `If-None-Match`, for
/// the files that are revalidated on every use (`no-cache`: index.html,
/// config.json, sw.js, the questionnaires).
///
/// Why not Last-Modified alone: a school that copies a new build or edits a
/// questionnaire within the same second, or restores an older file with a
/// newer date, gets a wrong answer from dates; the content hash is exact.
/// The tag is weak (`W/`) because the same content goes out in three
/// encodings (RFC 9110 §8.8.1), and it is computed before compression, so
/// all three share it. Hashed assets never revalidate and are skipped.
async fn etag(mut req: Request, next: Next) -> Response {
    let method = req.method().clone();
    if !matches!(method, Method::GET | Method::HEAD) || is_hashed_asset(req.uri().path()) {
        return next.run(req).await;
    }
    let wanted = req.headers().get(header::IF_NONE_MATCH).cloned();
    if wanted.is_some() {
        // RFC 9110 §13.1.3: If-None-Match wins over If-Modified-Since.
        req.headers_mut().remove(header::IF_MODIFIED_SINCE);
    }
    // A HEAD answer has no body to hash: ask for the body and drop it.
    *req.method_mut() = Method::GET;
    let res = next.run(req).await;
    let small =
        res.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<usize>().ok()).is_some_and(|n| n <= ETAG_MAX);
    if res.status() != StatusCode::OK || !small || res.headers().contains_key(header::CONTENT_ENCODING) {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, ETAG_MAX).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "could not read the file").into_response();
    };
    let tag = content_etag(&bytes);
    let matched = wanted.as_ref().and_then(|v| v.to_str().ok()).is_some_and(|v| etag_matches(v, &tag));
    parts.headers.insert(header::ETAG, HeaderValue::from_str(&tag).expect("base64 is a valid header"));
    if matched {
        parts.status = StatusCode::NOT_MODIFIED;
        for h in [header::CONTENT_LENGTH, header::CONTENT_TYPE] {
            parts.headers.remove(h);
        }
        return Response::from_parts(parts, Body::empty());
    }
    let body = if method == Method::HEAD { Body::empty() } else { Body::from(bytes) };
    Response::from_parts(parts, body)
}

/// `W/"<base64 of the first 16 bytes of SHA-256>"`.
fn content_etag(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    format!("W/\"{}\"", base64(&Sha256::digest(bytes)[..16]).trim_end_matches('='))
}

/// Weak comparison of an `If-None-Match` list (or `*`) with `tag`.
fn etag_matches(list: &str, tag: &str) -> bool {
    let opaque = |t: &str| t.trim().trim_start_matches("W/").to_owned();
    let tag = opaque(tag);
    list.split(',').any(|t| t.trim() == "*" || opaque(t) == tag)
}

/// Keeps every redirect on this origin. ServeDir answers a directory asked
/// for without its trailing slash with `Location: <path>/`; for `//evil.example`
/// that is `//evil.example/`, which a browser reads as another host (an open
/// redirect). A `Location` that is not a plain absolute path (`/x`, not `//x`
/// or `/\x`) is rewritten to one, as the OWASP unvalidated-redirects advice
/// says: only local targets.
async fn same_origin_redirects(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    if let Some(loc) = res.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()) {
        if !is_local_path(loc) {
            let safe = format!("/{}", loc.trim_start_matches(['/', '\\']));
            let safe = if is_local_path(&safe) { safe } else { "/".to_owned() };
            res.headers_mut().insert(header::LOCATION, HeaderValue::from_str(&safe).unwrap_or(HeaderValue::from_static("/")));
        }
    }
    res
}

/// A path on this origin: starts with one `/` not followed by `/` or `\`,
/// and has no control characters or backslashes a browser might rewrite.
fn is_local_path(loc: &str) -> bool {
    loc.starts_with('/') && !loc[1..].starts_with(['/', '\\']) && !loc.contains(['\\', '\t', '\n', '\r'])
}

async fn spa_fallback(index: PathBuf, req: Request) -> Result<Response, Infallible> {
    let last = req.uri().path().rsplit('/').next().unwrap_or("");
    if last.contains('.') || !matches!(*req.method(), Method::GET | Method::HEAD) {
        return Ok((StatusCode::NOT_FOUND, "not found").into_response());
    }
    let res = ServeFile::new(index).oneshot(req).await?;
    Ok(res.map(Body::new))
}

/// `no-cache` (always revalidate) for everything that may change in place —
/// index.html, config.json, sw.js, questionnaires — so a new deployment is
/// seen at once; a long immutable lifetime only for content-hashed assets.
async fn cache_control(req: Request, next: Next) -> Response {
    let hashed = is_hashed_asset(req.uri().path());
    let mut res = next.run(req).await;
    let ok = res.status().is_success() || res.status() == StatusCode::NOT_MODIFIED;
    let value = if hashed && ok { IMMUTABLE } else { "no-cache" };
    res.headers_mut().entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static(value));
    // The answer depends on Accept-Encoding (precompressed twins), so caches
    // must key on it.
    res.headers_mut().append(header::VARY, HeaderValue::from_static("accept-encoding"));
    res
}

/// True for trunk-style names: `name-<16+ hex>.ext` or `name-<hex>_bg.wasm`.
/// Trunk drops leading zeros from its 64-bit hash, so 12+ hex digits count.
pub fn is_hashed_asset(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or("");
    let Some((stem, _ext)) = file.split_once('.') else {
        return false;
    };
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| hash.len() >= 12 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The CSP to send: `csp` with a `'sha256-…'` source added to `script-src`
/// for each inline `<script>` in `dist/index.html`, and to `style-src` for
/// each inline `<style>`.
///
/// Trunk writes a small inline module script that loads the wasm, and the
/// app's CSS is inline so the first screen paints without another request
/// (tools/loader.mjs); a policy of `'self'` would block both, and
/// `'unsafe-inline'` would let any injected script or style run too. A hash
/// allows exactly those and nothing else. Computed at start: restart the
/// receiver after rebuilding `dist/`.
pub fn csp_for(csp: &str, dist: &Path) -> String {
    let Ok(html) = std::fs::read_to_string(dist.join("index.html")) else {
        return csp.to_owned();
    };
    let mut out = csp.to_owned();
    for tag in ["script", "style"] {
        out = add_sources(&out, &format!("{tag}-src"), &inline_hashes(&html, tag));
    }
    out
}

/// `csp` with `sources` appended to its `directive`; unchanged (with a
/// warning) when there are sources but no such directive.
fn add_sources(csp: &str, directive: &str, sources: &[String]) -> String {
    if sources.is_empty() {
        return csp.to_owned();
    }
    let mut found = false;
    let directives: Vec<String> = csp
        .split(';')
        .map(|d| {
            let d = d.trim();
            if d.split_whitespace().next().is_some_and(|name| name.eq_ignore_ascii_case(directive)) {
                found = true;
                format!("{d} {}", sources.join(" "))
            } else {
                d.to_owned()
            }
        })
        .filter(|d| !d.is_empty())
        .collect();
    if !found {
        tracing::warn!("csp has no {directive}; the inline <{}> of index.html may be blocked", directive.trim_end_matches("-src"));
    }
    directives.join("; ")
}

/// `'sha256-<base64>'` of the content of every `<tag>` element (`script` or
/// `style`) with content and, for scripts, without `src`.
pub fn inline_hashes(html: &str, tag: &str) -> Vec<String> {
    use sha2::{Digest, Sha256};
    let lower = html.to_ascii_lowercase();
    let (open, close_tag) = (format!("<{tag}"), format!("</{tag}"));
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(start) = lower[at..].find(&open).map(|i| at + i) {
        let Some(tag_end) = lower[start..].find('>').map(|i| start + i) else { break };
        let Some(close) = lower[tag_end..].find(&close_tag).map(|i| tag_end + i) else { break };
        let attrs = &lower[start..tag_end];
        let has_src = attrs.split(|c: char| c.is_whitespace()).any(|attr| attr.starts_with("src="));
        let body = &html[tag_end + 1..close];
        if !has_src && !body.is_empty() {
            out.push(format!("'sha256-{}'", base64(&Sha256::digest(body.as_bytes()))));
        }
        at = close;
    }
    out
}

fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                s.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

/// One line per request: method, path, status, latency. Deliberately no
/// client address, user agent, query string or body.
///
/// Stored submissions are logged at debug level only: a timestamped line per
/// stored row, in arrival order, would give away each row's receive time.
pub async fn log_request(req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let start = Instant::now();
    let res = next.run(req).await;
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    let status = res.status();
    if method == Method::POST && path == "/api/submissions" && status.is_success() {
        tracing::debug!(target: "collector::http", "{method} {path} {} {ms:.1}ms", status.as_u16());
    } else {
        tracing::info!(target: "collector::http", "{method} {path} {} {ms:.1}ms", status.as_u16());
    }
    res
}

/// What a panicking handler answers (the `server` profile unwinds, so a bad
/// request can never take the process down).
pub fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    let body = serde_json::json!({ "error": "internal_error", "message": "internal error; please retry later" });
    (StatusCode::INTERNAL_SERVER_ERROR, axum::Json(body)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_paths() {
        assert!(is_local_path("/questionnaires/"));
        assert!(!is_local_path("//evil.example/"));
        assert!(!is_local_path("/\\evil.example/"));
        assert!(!is_local_path("https://evil.example/"));
        assert!(!is_local_path("/\t/evil.example/"));
    }

    #[test]
    fn weak_etag_comparison() {
        let tag = content_etag(b"{}");
        assert!(tag.starts_with("W/\"") && tag.ends_with('"'), "{tag}");
        assert_ne!(tag, content_etag(b"{ }"));
        assert!(etag_matches(&tag, &tag));
        assert!(etag_matches(&format!("\"x\", {}", tag.trim_start_matches("W/")), &tag), "strong form, in a list");
        assert!(etag_matches("*", &tag));
        assert!(!etag_matches("W/\"x\"", &tag));
    }

    #[test]
    fn hashed_names() {
        assert!(is_hashed_asset("/cohort-survey-1a2b3c4d5e6f7a8b_bg.wasm"));
        assert!(is_hashed_asset("/cohort-survey-1a2b3c4d5e6f7a8b.js"));
        assert!(is_hashed_asset("/style-1a2b3c4d5e6f7a8b.css"));
        assert!(is_hashed_asset("/cohort-survey-c829c6b559129f8_bg.wasm"), "15 digits: leading zero dropped");
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/sw.js"));
        assert!(!is_hashed_asset("/questionnaires/balint-end-of-cohort.json"));
        assert!(!is_hashed_asset("/"));
    }

    #[test]
    fn hashes_inline_scripts_only() {
        let html = "<html><head><script type=\"module\" src=\"./x.js\"></script>\
            <SCRIPT type=\"module\">alert(1)</SCRIPT><script>\n  import init from './a.js'; init();\n</script></head></html>";
        assert_eq!(
            inline_hashes(html, "script"),
            ["'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='", "'sha256-OY3iKjiyJHvPM4VCRg8NjXva5VZrKD+A2nFdS31fvZI='"]
        );
        assert_eq!(
            inline_hashes("<style>a{}</style><STYLE media=print></STYLE>", "style"),
            [inline_hashes("<script>a{}</script>", "script")[0].clone()]
        );
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"a"), "YQ==");
    }

    #[test]
    fn adds_hashes_to_script_src() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "<script>alert(1)</script>").unwrap();
        let csp = csp_for("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'", dir.path());
        assert_eq!(
            csp,
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='; object-src 'none'"
        );
        assert_eq!(csp_for("default-src 'self'", Path::new("/nonexistent")), "default-src 'self'");
        std::fs::write(dir.path().join("index.html"), "<style>p{}</style><script>alert(1)</script>").unwrap();
        let csp = csp_for("script-src 'self'; style-src 'self'", dir.path());
        let style = &inline_hashes("<style>p{}</style>", "style")[0];
        assert_eq!(csp, format!("script-src 'self' 'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='; style-src 'self' {style}"));
    }
}
