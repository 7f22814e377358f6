//! Property tests over the parse + validate path the HTTP handler runs:
//! whatever arrives, it never panics and never answers 5xx; it either
//! accepts (201/200) or refuses with a 4xx.

mod common;

use collector::{ingest, ApiError, Questionnaires};
use proptest::prelude::*;
use serde_json::{Map, Value};
use std::sync::OnceLock;
use survey_core::{Answer, Answers};

fn known() -> &'static Questionnaires {
    static KNOWN: OnceLock<Questionnaires> = OnceLock::new();
    KNOWN.get_or_init(|| {
        let dir = common::workdir();
        let q = Questionnaires::load_dir(&dir.path().join("questionnaires")).unwrap();
        // Keep nothing on disk; the questionnaires are in memory now.
        drop(dir);
        q
    })
}

/// Runs the handler's path; `Ok` = would be stored.
fn classify(content_type: Option<&str>, key: Option<&str>, body: &[u8]) -> Result<(), ApiError> {
    let incoming = ingest::parse(content_type, key.map(Ok), body)?;
    ingest::check(known(), &incoming.submission)?;
    Ok(())
}

fn assert_4xx_or_ok(r: &Result<(), ApiError>) -> Result<(), TestCaseError> {
    if let Err(e) = r {
        prop_assert!(e.status().is_client_error(), "{} answered {}", e.code(), e.status());
        // Every refusal has a JSON body with a code and a message.
        let body = e.body();
        prop_assert!(body["error"].is_string() && body["message"].is_string());
    }
    Ok(())
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
        Just(Value::String(common::new_id())),
        Just(Value::String("2026-11".into())),
    ];
    leaf.prop_recursive(4, 48, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(key(), inner, 0..8).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Keys that hit the real field and question names often.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "format", "submission_id", "questionnaire_id", "questionnaire_version", "period", "app_version",
            "answers", "group", "sessions", "agreement", "consent", "pick", "many", "grid", "s1", "s2",
        ])
        .prop_map(str::to_owned),
        1 => "[a-z_]{0,10}",
    ]
}

fn question_id() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "group", "sessions", "attendance_barriers", "overall", "agreement", "recommend", "valued", "consent",
            "pick", "many", "score", "count", "short", "long", "grid", "note", "followup", "agree", "extra",
        ])
        .prop_map(str::to_owned),
        1 => "[a-z0-9_-]{1,8}",
    ]
}

fn value_text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec!["1", "2", "3", "4", "5", "a", "b", "x", "y", "wednesday", "prefer_not_to_say", "", " ",])
            .prop_map(str::to_owned),
        ".{0,30}",
    ]
}

fn answer() -> impl Strategy<Value = Answer> {
    prop_oneof![
        value_text().prop_map(Answer::Text),
        prop_oneof![
            (-20i64..30).prop_map(|n| n as f64),
            any::<f64>().prop_filter("finite", |f| f.is_finite()),
            (-100i64..100).prop_map(|n| n as f64 / 4.0),
        ]
        .prop_map(Answer::Number),
        any::<bool>().prop_map(Answer::Bool),
        prop::collection::vec(value_text(), 0..6).prop_map(Answer::Many),
        prop::collection::btree_map(
            prop::sample::select(vec!["safe", "anxious", "s1", "s2", "zz"]).prop_map(str::to_owned),
            value_text(),
            0..6
        )
        .prop_map(|m| Answer::Grid(m.into_iter().collect())),
    ]
}

fn answers() -> impl Strategy<Value = Answers> {
    prop::collection::btree_map(question_id(), answer(), 0..12)
}

fn questionnaire() -> impl Strategy<Value = (String, String)> {
    prop::sample::select(vec![
        ("balint-end-of-cohort", "1"),
        ("kitchen-sink", "1"),
        ("kitchen-sink", "2"),
        ("kitchen-sink", "9"),
        ("unknown", "1"),
    ])
    .prop_map(|(a, b)| (a.to_owned(), b.to_owned()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(body in prop::collection::vec(any::<u8>(), 0..256)) {
        assert_4xx_or_ok(&classify(Some("application/json"), Some("k"), &body))?;
    }

    #[test]
    fn arbitrary_json_never_panics(v in json_value(), with_key in any::<bool>()) {
        let key = v.get("submission_id").and_then(Value::as_str).map(str::to_owned);
        let key = if with_key { key } else { None };
        let r = classify(Some("application/json"), key.as_deref(), v.to_string().as_bytes());
        assert_4xx_or_ok(&r)?;
    }

    #[test]
    fn arbitrary_submission_shaped_json_never_panics(
        fields in prop::collection::btree_map(key(), json_value(), 0..9),
        answers in answers(),
    ) {
        let mut obj: Map<String, Value> = fields.into_iter().collect();
        obj.insert("answers".into(), collector::export::value(&survey_core::answers::answers_to_json(&answers)));
        let v = Value::Object(obj);
        let key = v.get("submission_id").and_then(Value::as_str).map(str::to_owned);
        assert_4xx_or_ok(&classify(Some("application/json"), key.as_deref(), v.to_string().as_bytes()))?;
    }

    #[test]
    fn arbitrary_answers_are_accepted_or_refused_with_422(
        (qid, version) in questionnaire(),
        answers in answers(),
    ) {
        let id = common::new_id();
        let body = serde_json::json!({
            "format": 1, "submission_id": id, "questionnaire_id": qid, "questionnaire_version": version,
            "period": "2026-W48", "app_version": "0.1.0", "answers": collector::export::value(&survey_core::answers::answers_to_json(&answers)),
        });
        let r = classify(Some("application/json"), Some(&id), body.to_string().as_bytes());
        assert_4xx_or_ok(&r)?;
        if let Err(e) = &r {
            // The envelope is valid, so only the content can be refused.
            prop_assert_eq!(e.status().as_u16(), 422, "{}", e.code());
            if let ApiError::InvalidAnswers(errors) = e {
                prop_assert!(!errors.is_empty());
            }
        }
    }

    /// Re-parsing the canonical form gives the same canonical form, so a
    /// retry of a stored body is always "already received", never 409.
    #[test]
    fn canonical_form_is_stable(answers in answers()) {
        let id = common::new_id();
        let body = serde_json::json!({
            "format": 1, "submission_id": id, "questionnaire_id": "q", "questionnaire_version": "1",
            "period": "2026-11", "app_version": "0.1.0", "answers": collector::export::value(&survey_core::answers::answers_to_json(&answers)),
        });
        let first = ingest::parse(Some("application/json"), Some(Ok(&id)), body.to_string().as_bytes()).unwrap();
        let again = ingest::parse(Some("application/json"), Some(Ok(&id)), first.canonical.as_bytes()).unwrap();
        prop_assert_eq!(&first.canonical, &again.canonical);
        prop_assert_eq!(first.digest, again.digest);
    }
}
