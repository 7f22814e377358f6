//! Shared test harness: a real receiver on 127.0.0.1:0 with a temporary
//! SQLite file, questionnaires and `dist/`.
#![allow(dead_code)] // each test binary uses a different part

use collector::Config;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub const TOKEN: &str = "test-export-token-0123456789";

/// The default questionnaire shipped with the app.
pub fn public_questionnaires() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../public/questionnaires")
}

/// Lays out a working directory: `questionnaires/` (the shipped one plus the
/// kitchen-sink fixtures) and a small `dist/`.
pub fn workdir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let q = dir.path().join("questionnaires");
    std::fs::create_dir_all(&q).unwrap();
    // Both shipped versions: answers queued on a device before an update (v1)
    // must still be accepted.
    for f in ["balint-end-of-cohort.json", "balint-end-of-cohort-v1.json"] {
        std::fs::copy(public_questionnaires().join(f), q.join(f)).unwrap();
    }
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for f in ["kitchen-sink-1.json", "kitchen-sink-2.json"] {
        std::fs::copy(fixtures.join(f), q.join(f)).unwrap();
    }
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(dist.join("questionnaires")).unwrap();
    std::fs::write(dist.join("index.html"), "<!doctype html><title>Cohort Survey</title>").unwrap();
    std::fs::write(dist.join("sw.js"), "// service worker").unwrap();
    std::fs::write(dist.join("config.json"), "{}").unwrap();
    std::fs::write(dist.join("app-0123456789abcdef.js"), "// app").unwrap();
    std::fs::write(dist.join("questionnaires/x.json"), "{}").unwrap();
    dir
}

/// A config for `dir` listening on an ephemeral loopback port.
pub fn config_in(dir: &Path) -> Config {
    Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        database: dir.join("data/test.sqlite"),
        dist_dir: dir.join("dist"),
        questionnaires_dir: dir.join("questionnaires"),
        export_token: Some(TOKEN.to_owned()),
        allowed_origins: vec!["https://survey.example.org".into()],
        ..Config::default()
    }
}

/// A receiver running in this test's runtime.
pub struct TestServer {
    pub base: String,
    pub client: reqwest::Client,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
    /// Keeps the directory alive for servers started by [`TestServer::start`].
    _dir: Option<tempfile::TempDir>,
}

impl TestServer {
    /// A fresh receiver in its own temporary directory.
    pub async fn start() -> TestServer {
        Self::start_with(|_| {}).await
    }

    pub async fn start_with(tweak: impl FnOnce(&mut Config)) -> TestServer {
        let dir = workdir();
        let mut config = config_in(dir.path());
        tweak(&mut config);
        let mut s = Self::start_config(config).await;
        s._dir = Some(dir);
        s
    }

    /// A receiver with exactly this config (the caller keeps its files).
    pub async fn start_config(config: Config) -> TestServer {
        let server = collector::bind(config).await.expect("receiver starts");
        let addr = server.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(server.run(async {
            let _ = stopped.await;
        }));
        TestServer { base: format!("http://{addr}"), client: reqwest::Client::new(), stop: Some(stop), task: Some(task), _dir: None }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Graceful stop: waits for in-flight requests and the database flush.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.expect("server task").expect("server ran");
        }
    }

    /// POSTs `body` as JSON with `Idempotency-Key` set to its submission_id.
    pub async fn post(&self, body: &Value) -> (u16, Value) {
        let key = body["submission_id"].as_str().unwrap_or_default().to_owned();
        self.post_raw(body.to_string(), Some(&key), Some("application/json")).await
    }

    pub async fn post_raw(&self, body: String, key: Option<&str>, content_type: Option<&str>) -> (u16, Value) {
        let mut req = self.client.post(self.url("/api/submissions")).body(body);
        if let Some(k) = key {
            req = req.header("Idempotency-Key", k);
        }
        if let Some(ct) = content_type {
            req = req.header("Content-Type", ct);
        }
        let res = req.send().await.expect("request");
        let status = res.status().as_u16();
        let text = res.text().await.unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    /// GETs an export with the test token.
    pub async fn export(&self, path: &str) -> String {
        let res = self.client.get(self.url(path)).bearer_auth(TOKEN).send().await.expect("request");
        assert_eq!(res.status(), 200, "export {path}");
        res.text().await.unwrap()
    }
}

static COUNTER: AtomicU64 = AtomicU64::new(1);

/// A fresh UUID v4 (unique within the test process; randomness is not the point here).
pub fn new_id() -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let seed = std::process::id() as u64;
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&n.to_be_bytes());
    bytes[8..].copy_from_slice(&seed.to_be_bytes());
    survey_core::submission::uuid_v4_from_bytes(bytes)
}

/// This month as `YYYY-MM` (a period any sensible check accepts).
pub fn period() -> String {
    let days = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64 / 86_400;
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}")
}

/// A valid answer set for the shipped Balint questionnaire.
pub fn balint_answers() -> Value {
    json!({
        "group": "wednesday",
        "sessions": 5,
        "overall": "4",
        "agreement": { "safe": "5", "learned": "4", "community": "4", "pace": "3",
                       "facilitation": "5", "anxious": "2", "ethics": "prefer_not_to_say", "timetable": "3" },
        "recommend": 8,
        "valued": "Hearing how others felt about hard cases.",
        "consent": true
    })
}

/// A valid submission to the shipped questionnaire.
pub fn balint_submission() -> Value {
    submission("balint-end-of-cohort", "1", balint_answers())
}

/// A valid answer set for kitchen-sink version 1.
pub fn sink_answers() -> Value {
    json!({
        "pick": "a",
        "many": ["x", "y"],
        "score": 5,
        "count": 2.5,
        "short": "hello",
        "long": "fine",
        "grid": { "s1": "1", "s2": "3" },
        "followup": "because",
        "agree": true
    })
}

pub fn submission(qid: &str, version: &str, answers: Value) -> Value {
    json!({
        "format": 1,
        "submission_id": new_id(),
        "questionnaire_id": qid,
        "questionnaire_version": version,
        "period": period(),
        "app_version": "0.1.0",
        "answers": answers
    })
}
