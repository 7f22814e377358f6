//! Receiver hardening from the security review (issue 10): redirects stay on
//! the origin, one UUID is one submission whatever its case, 422 bodies are
//! capped, /healthz proves the database takes writes, and an unreadable
//! stored row does not break the exports.

mod common;

use common::{balint_submission, config_in, submission, workdir, TestServer, TOKEN};
use serde_json::{json, Value};
use std::time::Duration;

/// A receiver and the path of its database file (and the directory to keep).
async fn server_and_database() -> (TestServer, std::path::PathBuf, tempfile::TempDir) {
    let dir = workdir();
    let config = config_in(dir.path());
    let db = config.database.clone();
    (TestServer::start_config(config).await, db, dir)
}

#[tokio::test]
async fn no_redirect_leaves_the_origin() {
    let s = TestServer::start().await;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    for path in ["//questionnaires", "///questionnaires", "/%2fquestionnaires", "/questionnaires"] {
        let res = client.get(s.url(path)).send().await.unwrap();
        if let Some(loc) = res.headers().get("location") {
            let loc = loc.to_str().unwrap();
            assert!(loc.starts_with('/') && !loc.starts_with("//") && !loc.starts_with("/\\"), "{path} redirects to {loc}");
            // Resolved as a browser would, it stays on this host.
            let next = reqwest::Url::parse(&s.url(path)).unwrap().join(loc).unwrap();
            assert_eq!(next.host_str(), Some("127.0.0.1"), "{path} -> {loc}");
        }
    }
    s.stop().await;
}

#[tokio::test]
async fn an_upper_case_id_is_the_same_submission() {
    let s = TestServer::start().await;
    let mut body = balint_submission();
    let lower = body["submission_id"].as_str().unwrap().to_owned();
    body["submission_id"] = json!(lower.to_ascii_uppercase());
    let (status, res) = s.post(&body).await;
    assert_eq!(status, 201, "{res}");
    assert_eq!(res["receipt"]["submission_id"], lower.as_str());
    body["submission_id"] = json!(lower);
    let (status, res) = s.post(&body).await;
    assert_eq!(status, 200, "{res}");
    assert_eq!(res["status"], "already_received");
    let export: Value = serde_json::from_str(&s.export("/api/submissions.json").await).unwrap();
    let rows = export["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["submission_id"], lower.as_str());
    s.stop().await;
}

#[tokio::test]
async fn the_list_of_refused_answers_is_capped() {
    let s = TestServer::start().await;
    let mut answers = common::sink_answers();
    for i in 0..500 {
        answers[format!("unknown_{i}")] = json!("x");
    }
    let (status, res) = s.post(&submission("kitchen-sink", "1", answers)).await;
    assert_eq!(status, 422);
    assert_eq!(res["errors"].as_array().unwrap().len(), collector::error::MAX_LISTED_ERRORS);
    assert_eq!(res["errors_total"], 500);
    assert!(res.to_string().len() < 4_000, "{} bytes", res.to_string().len());
    s.stop().await;
}

#[tokio::test]
async fn healthz_fails_when_the_database_takes_no_writes() {
    let (s, db, _dir) = server_and_database().await;
    assert_eq!(s.client.get(s.url("/healthz")).send().await.unwrap().status(), 200);
    // Another process holds the write lock (a stuck backup, a stray sqlite3
    // shell): reads still work, every insert would fail.
    let blocker = std::thread::spawn(move || {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute_batch("BEGIN EXCLUSIVE; INSERT INTO health (id, probe) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;").unwrap();
        std::thread::sleep(Duration::from_secs(8));
        c.execute_batch("ROLLBACK").unwrap();
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let res = s.client.get(s.url("/healthz")).timeout(Duration::from_secs(20)).send().await.unwrap();
    assert_eq!(res.status(), 503);
    blocker.join().unwrap();
    assert_eq!(s.client.get(s.url("/healthz")).send().await.unwrap().status(), 200, "healthy again once the lock is gone");
    s.stop().await;
}

#[tokio::test]
async fn exports_keep_the_readable_rows_and_name_the_unreadable_ones() {
    let (s, db, _dir) = server_and_database().await;
    let good = balint_submission();
    assert_eq!(s.post(&good).await.0, 201);
    let bad_id = common::new_id();
    {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute(
            "INSERT INTO submissions (submission_id, questionnaire_id, questionnaire_version, period, body, digest) VALUES (?1, 'q', '1', '2026-11', '{not json', 'x')",
            [&bad_id],
        )
        .unwrap();
    }
    for path in ["/api/submissions.csv", "/api/submissions.json"] {
        let res = s.client.get(s.url(path)).bearer_auth(TOKEN).send().await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(res.headers()["x-unreadable-rows"], "1", "{path}");
        assert_eq!(res.headers()["x-unreadable-submission-ids"], bad_id.as_str(), "{path}");
        let text = res.text().await.unwrap();
        assert!(text.contains(good["submission_id"].as_str().unwrap()), "{path}: the readable row is exported");
        if path.ends_with(".json") {
            let v: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(v["rows"].as_array().unwrap().len(), 1);
            assert_eq!(v["unreadable"][0]["submission_id"], bad_id.as_str());
        }
    }
    s.stop().await;
}

#[tokio::test]
async fn control_characters_in_text_are_refused_and_formulas_guarded() {
    let s = TestServer::start().await;
    let mut answers = common::sink_answers();
    answers["long"] = json!("a\u{0}b");
    let (status, res) = s.post(&submission("kitchen-sink", "1", answers)).await;
    assert_eq!(status, 422, "{res}");
    assert_eq!(res["errors"][0], json!({"question": "long", "code": "control_character"}));
    // Formulas hidden behind a space, a line feed or a full-width sign.
    for (i, attack) in [" =1+1", "\n=1+1", "＝1+1"].iter().enumerate() {
        let mut answers = common::sink_answers();
        answers["long"] = json!(format!("{attack}{i}"));
        assert_eq!(s.post(&submission("kitchen-sink", "1", answers)).await.0, 201);
    }
    let csv = s.export("/api/submissions.csv").await;
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let col = reader.headers().unwrap().iter().position(|h| h == "long").unwrap();
    let cells: Vec<String> = reader.records().map(|r| r.unwrap()[col].to_owned()).collect();
    assert_eq!(cells.len(), 3);
    assert!(cells.iter().all(|c| c.starts_with('\'')), "{cells:?}");
    s.stop().await;
}
