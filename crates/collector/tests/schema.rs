//! `docs/submission.schema.json` and `docs/submission-format.md` agree with
//! `survey_core::Submission` and the receiver's checks.

mod common;

use collector::{ingest, Questionnaires};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use survey_core::Submission;

fn docs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs")
}

struct Schema {
    schemas: boon::Schemas,
    index: boon::SchemaIndex,
}

impl Schema {
    fn load() -> Schema {
        let path = docs().join("submission.schema.json");
        let mut schemas = boon::Schemas::new();
        let mut compiler = boon::Compiler::new();
        let index = compiler.compile(path.to_str().unwrap(), &mut schemas).expect("schema compiles");
        Schema { schemas, index }
    }

    fn accepts(&self, v: &Value) -> bool {
        self.schemas.validate(v, self.index).is_ok()
    }
}

/// Parses as `Submission` (serde, deny_unknown_fields).
fn serde_accepts(v: &Value) -> bool {
    Submission::from_json(&v.to_string()).is_ok()
}

/// The receiver's whole check: headers, parse, content, answers.
fn receiver_accepts(v: &Value) -> bool {
    let known = Questionnaires::load_dir(&common::public_questionnaires()).unwrap();
    let key = v.get("submission_id").and_then(Value::as_str).unwrap_or("none");
    ingest::parse(Some("application/json"), Some(Ok(key)), v.to_string().as_bytes())
        .and_then(|i| ingest::check(&known, &i.submission).map(|_| ()))
        .is_ok()
}

fn valid() -> Value {
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(docs().join("submission.schema.json")).unwrap()).unwrap();
    schema["examples"][0].clone()
}

fn with(mut v: Value, key: &str, value: Value) -> Value {
    v[key] = value;
    v
}

fn without(mut v: Value, key: &str) -> Value {
    v.as_object_mut().unwrap().remove(key);
    v
}

#[test]
fn valid_examples_are_accepted_by_schema_parser_and_receiver() {
    let schema = Schema::load();
    let mut examples = vec![valid()];
    examples.extend(doc_examples());
    assert!(examples.len() >= 2, "the doc has a full example");
    for v in examples {
        assert!(schema.accepts(&v), "schema refuses {v}");
        assert!(serde_accepts(&v), "serde refuses {v}");
        assert!(receiver_accepts(&v), "receiver refuses {v}");
    }
    let weekly = with(valid(), "period", json!("2026-W53"));
    assert!(schema.accepts(&weekly) && receiver_accepts(&weekly));
}

#[test]
fn structural_mistakes_are_refused_by_schema_and_parser() {
    let schema = Schema::load();
    let cases = [
        ("extra field", with(valid(), "user_agent", json!("Mozilla/5.0"))),
        ("missing period", without(valid(), "period")),
        ("missing answers", without(valid(), "answers")),
        ("missing submission_id", without(valid(), "submission_id")),
        ("format as text", with(valid(), "format", json!("1"))),
        ("submission_id as number", with(valid(), "submission_id", json!(123))),
        ("period as number", with(valid(), "period", json!(202611))),
        ("answers as list", with(valid(), "answers", json!(["a"]))),
        ("null answer", with(valid(), "answers", json!({"group": null}))),
        ("list of numbers", with(valid(), "answers", json!({"group": [1, 2]}))),
        ("nested grid", with(valid(), "answers", json!({"agreement": {"safe": {"x": "1"}}}))),
        ("grid of numbers", with(valid(), "answers", json!({"agreement": {"safe": 5}}))),
        ("not an object", json!([1, 2, 3])),
    ];
    for (what, v) in cases {
        assert!(!schema.accepts(&v), "schema accepts {what}: {v}");
        assert!(!serde_accepts(&v), "serde accepts {what}: {v}");
        assert!(!receiver_accepts(&v), "receiver accepts {what}: {v}");
    }
}

#[test]
fn content_mistakes_are_refused_by_schema_and_receiver() {
    let schema = Schema::load();
    let cases = [
        ("uuid v1", with(valid(), "submission_id", json!("3f2b8c1e-9a4d-1e6f-8b7a-1c2d3e4f5a6b"))),
        ("not a uuid", with(valid(), "submission_id", json!("hello"))),
        ("format 2", with(valid(), "format", json!(2))),
        ("month 13", with(valid(), "period", json!("2026-13"))),
        ("a day", with(valid(), "period", json!("2026-11-05"))),
        ("week 54", with(valid(), "period", json!("2026-W54"))),
        ("empty app_version", with(valid(), "app_version", json!(""))),
        ("long app_version", with(valid(), "app_version", json!("x".repeat(65)))),
        ("bad question id", with(valid(), "answers", json!({"Group Name": "x"}))),
    ];
    for (what, v) in cases {
        assert!(!schema.accepts(&v), "schema accepts {what}: {v}");
        assert!(!receiver_accepts(&v), "receiver accepts {what}: {v}");
    }
}

/// Every ```json block in the doc that looks like a submission.
fn doc_examples() -> Vec<Value> {
    let md = std::fs::read_to_string(docs().join("submission-format.md")).unwrap();
    let mut out = Vec::new();
    let mut rest = md.as_str();
    while let Some(start) = rest.find("```json\n") {
        let body = &rest[start + 8..];
        let end = body.find("```").unwrap();
        if let Ok(v) = serde_json::from_str::<Value>(&body[..end]) {
            if v.get("submission_id").is_some() && v.get("answers").is_some() {
                out.push(v);
            }
        }
        rest = &body[end..];
    }
    out
}
