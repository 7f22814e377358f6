//! The app's two request modes (`docs/endpoints.md`) against the real
//! receiver over loopback: the simple mode's text/plain body, and what a page
//! on another origin may read (Retry-After).

mod common;

use common::*;
use serde_json::{json, Value};

const ORIGIN: &str = "https://survey.example.org";

#[tokio::test]
async fn simple_mode_text_plain_is_stored_once_by_the_body_id() {
    let s = TestServer::start().await;
    let body = balint_submission();
    let id = body["submission_id"].as_str().unwrap().to_owned();
    // Exactly what the app sends in the simple mode: no Idempotency-Key.
    let (status, res) = s.post_raw(body.to_string(), None, Some("text/plain;charset=UTF-8")).await;
    assert_eq!(status, 201, "{res}");
    assert_eq!(res["receipt"]["submission_id"], id, "the receipt confirms the id, which the app checks");
    // A retry in either mode is a repeat of the same id, not a new row.
    let (again, res) = s.post_raw(body.to_string(), None, Some("text/plain;charset=UTF-8")).await;
    assert_eq!((again, res["status"].as_str()), (200, Some("already_received")));
    assert_eq!(s.post(&body).await.0, 200);
    // Other content and the same id: a conflict, as in the JSON mode.
    let mut changed = body.clone();
    changed["answers"]["recommend"] = json!(2);
    assert_eq!(s.post_raw(changed.to_string(), None, Some("text/plain")).await.0, 409);
    let rows: Value = serde_json::from_str(&s.export("/api/submissions.json").await).unwrap();
    assert_eq!(rows["rows"].as_array().unwrap().len(), 1);
    s.stop().await;
}

#[tokio::test]
async fn simple_mode_needs_no_preflight_and_gets_cors_headers() {
    let s = TestServer::start().await;
    let body = balint_submission();
    let res = s
        .client
        .post(s.url("/api/submissions"))
        .header("Origin", ORIGIN)
        .header("Content-Type", "text/plain;charset=UTF-8")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    assert_eq!(res.headers()["access-control-allow-origin"], ORIGIN);
    s.stop().await;
}

#[tokio::test]
async fn retry_after_is_exposed_to_other_origins() {
    let s = TestServer::start_with(|c| c.test_faults = true).await;
    let set = s.client.post(s.url("/__test/fault")).json(&json!({"status": 503, "count": 1, "retry_after": 7})).send().await.unwrap();
    assert_eq!(set.status(), 200);
    let body = balint_submission();
    let res = s
        .client
        .post(s.url("/api/submissions"))
        .header("Origin", ORIGIN)
        .header("Idempotency-Key", body["submission_id"].as_str().unwrap())
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 503);
    assert_eq!(res.headers()["retry-after"], "7");
    assert_eq!(res.headers()["access-control-allow-origin"], ORIGIN);
    let exposed = res.headers()["access-control-expose-headers"].to_str().unwrap().to_ascii_lowercase();
    assert!(exposed.split(',').any(|h| h.trim() == "retry-after"), "{exposed}");
    s.stop().await;
}
