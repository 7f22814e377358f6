//! The `collector` binary: exit codes, start-up lines, graceful SIGTERM.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

fn collector() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_collector"));
    for k in ["COLLECTOR_LISTEN", "COLLECTOR_DB", "COLLECTOR_EXPORT_TOKEN", "COLLECTOR_TEST_FAULTS"] {
        c.env_remove(k);
    }
    c
}

#[test]
fn bad_config_exits_2_with_a_clear_message() {
    let dir = common::workdir();
    let file = dir.path().join("collector.toml");
    std::fs::write(&file, "listen = \"127.0.0.1:0\"\nexport_tokn = \"x\"\n").unwrap();
    let out = collector().current_dir(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("collector.toml") && err.contains("export_tokn"), "{err}");

    let out = collector().args(["--listen", "here"]).current_dir(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));

    std::fs::write(dir.path().join("questionnaires/bad.json"), "{").unwrap();
    std::fs::write(&file, "questionnaires_dir = \"questionnaires\"\n").unwrap();
    let out = collector().args(["--config", file.to_str().unwrap(), "--check"]).current_dir(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.json"));
}

#[test]
fn check_and_help() {
    let dir = common::workdir();
    let out = collector()
        .args(["--questionnaires-dir", "questionnaires", "--database", "data/x.sqlite", "--check"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("ok: 4 questionnaire(s)"));
    let help = collector().arg("--help").output().unwrap();
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("--questionnaires-dir"));
}

#[tokio::test]
async fn starts_prints_serves_and_stops_on_sigterm() {
    let dir = common::workdir();
    let mut child = collector()
        .args(["--listen", "127.0.0.1:0", "--questionnaires-dir", "questionnaires", "--dist-dir", "dist"])
        .env("COLLECTOR_DB", dir.path().join("data/cli.sqlite"))
        .env("COLLECTOR_EXPORT_TOKEN", common::TOKEN)
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut lines = Vec::new();
    for _ in 0..4 {
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        lines.push(line.trim().to_owned());
    }
    let base = lines[0].rsplit(' ').next().unwrap().to_owned();
    assert!(lines[0].contains("listening on http://127.0.0.1:"), "{lines:?}");
    assert!(lines[1].starts_with("data file: ") && lines[1].ends_with("cli.sqlite"), "{lines:?}");
    assert!(lines[3].contains("Authorization: Bearer <token>") && lines[3].contains("/api/submissions.csv"), "{lines:?}");

    let client = reqwest::Client::new();
    let health = client.get(format!("{base}/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    let body = common::balint_submission();
    let res = client
        .post(format!("{base}/api/submissions"))
        .header("Idempotency-Key", body["submission_id"].as_str().unwrap())
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);

    let kill = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(kill.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "graceful stop exits 0, got {status}");
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut rest).unwrap();
    assert!(rest.contains("collector stopped"), "{rest}");
}
