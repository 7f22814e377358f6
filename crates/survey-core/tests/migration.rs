//! Drafts carried over to a new questionnaire version, and junk drafts refused.

use survey_core::draft::{migrate, DraftError};
use survey_core::{Answers, Draft, Questionnaire};

const V1: &str = r#"{
  "id": "mig", "version": "1", "title": "M",
  "sections": [ { "id": "s", "title": "S", "questions": [
    { "id": "keep", "type": "single", "text": "K",
      "options": [ { "value": "a", "label": "A" }, { "value": "b", "label": "B" } ] },
    { "id": "gone", "type": "short_text", "text": "Removed in v2" },
    { "id": "kind", "type": "short_text", "text": "Becomes a number in v2" },
    { "id": "opt", "type": "single", "text": "Loses option b in v2",
      "options": [ { "value": "a", "label": "A" }, { "value": "b", "label": "B" } ] },
    { "id": "grid", "type": "likert", "text": "Loses statement old in v2",
      "scale": [ { "value": "1", "label": "1" }, { "value": "2", "label": "2" }, { "value": "3", "label": "3" } ],
      "statements": [ { "id": "old", "text": "Old" }, { "id": "kept", "text": "Kept" }, { "id": "more", "text": "More" } ] },
    { "id": "grid_gone", "type": "likert", "text": "Only statement old goes",
      "scale": [ { "value": "1", "label": "1" }, { "value": "2", "label": "2" } ],
      "statements": [ { "id": "old", "text": "Old" }, { "id": "new", "text": "New" } ] },
    { "id": "many", "type": "multiple", "text": "M",
      "options": [ { "value": "x", "label": "X" }, { "value": "y", "label": "Y" } ] },
    { "id": "n", "type": "number", "text": "N", "min": 0, "max": 10 },
    { "id": "essay", "type": "long_text", "text": "E" }
  ]}]
}"#;

const V2: &str = r#"{
  "id": "mig", "version": "2", "title": "M",
  "sections": [ { "id": "s", "title": "S", "questions": [
    { "id": "keep", "type": "single", "text": "K, reworded", "required": true,
      "options": [ { "value": "a", "label": "A" }, { "value": "b", "label": "B" }, { "value": "c", "label": "C" } ] },
    { "id": "kind", "type": "number", "text": "Now a number" },
    { "id": "opt", "type": "single", "text": "O", "options": [ { "value": "a", "label": "A" } ] },
    { "id": "grid", "type": "likert", "text": "L", "required": true,
      "scale": [ { "value": "1", "label": "1" }, { "value": "2", "label": "2" } ],
      "statements": [ { "id": "kept", "text": "Kept" }, { "id": "more", "text": "More" }, { "id": "added", "text": "Added" } ] },
    { "id": "grid_gone", "type": "likert", "text": "L2",
      "scale": [ { "value": "1", "label": "1" }, { "value": "2", "label": "2" } ],
      "statements": [ { "id": "new", "text": "New" } ] },
    { "id": "many", "type": "multiple", "text": "M", "min_selections": 2,
      "options": [ { "value": "x", "label": "X" }, { "value": "y", "label": "Y" }, { "value": "z", "label": "Z" } ] },
    { "id": "n", "type": "number", "text": "N", "min": 0, "max": 5 },
    { "id": "essay", "type": "long_text", "text": "E", "max_length": 5 }
  ]}]
}"#;

fn answers(json: &str) -> Answers {
    survey_core::answers::answers_from_json(&survey_core::json::parse(json).unwrap(), "answers").unwrap()
}

fn v2() -> Questionnaire {
    Questionnaire::from_json(V2).unwrap()
}

#[test]
fn version_change_keeps_what_still_fits() {
    // The draft is valid against v1.
    let v1 = Questionnaire::from_json(V1).unwrap();
    let draft = answers(
        r#"{"keep":"b","gone":"text","kind":"12","opt":"b",
            "grid":{"old":"1","kept":"2","more":"3"},"grid_gone":{"old":"1"},
            "many":["x"],"n":3,"essay":"far too long now"}"#,
    );
    assert_eq!(survey_core::validate::validate_all(&v1, &draft), vec![]);

    let m = migrate(&draft, &v2());
    assert_eq!(
        m.answers,
        answers(
            r#"{"keep":"b",
                "grid":{"kept":"2"},
                "many":["x"],"n":3,"essay":"far too long now"}"#
        )
    );
    // kept: keep, grid (one statement survives), many, n, essay
    // dropped: gone (removed), kind (text -> number), opt (option b removed),
    //          grid_gone (its only answered statement removed)
    assert_eq!((m.kept, m.dropped), (5, 4));
}

#[test]
fn each_reason_on_its_own() {
    let to = v2();
    // (answers, kept answers, kept, dropped)
    let cases = [
        (r#"{"gone":"x"}"#, r#"{}"#, 0, 1),         // question removed
        (r#"{"kind":"12"}"#, r#"{}"#, 0, 1),        // kind changed: shape no longer fits
        (r#"{"kind":12}"#, r#"{"kind":12}"#, 1, 0), // already the new shape
        (r#"{"opt":"b"}"#, r#"{}"#, 0, 1),          // option removed
        (r#"{"opt":"a"}"#, r#"{"opt":"a"}"#, 1, 0),
        (r#"{"grid":{"old":"1","more":"3"}}"#, r#"{}"#, 0, 1), // statement gone, scale point 3 gone
        (r#"{"grid":{"more":"2","nope":"1"}}"#, r#"{"grid":{"more":"2"}}"#, 1, 0),
        (r#"{"n":7}"#, r#"{}"#, 0, 1),     // out of the new range
        (r#"{"keep":""}"#, r#"{}"#, 0, 0), // empty: nothing to carry, not counted
        (r#"{"many":["x","y","z"]}"#, r#"{"many":["x","y","z"]}"#, 1, 0),
        (r#"{"many":["w"]}"#, r#"{}"#, 0, 1),
    ];
    for (given, kept, k, d) in cases {
        let m = migrate(&answers(given), &to);
        assert_eq!(m.answers, answers(kept), "{given}");
        assert_eq!((m.kept, m.dropped), (k, d), "{given}");
    }
}

#[test]
fn same_version_keeps_everything_valid() {
    let q = Questionnaire::from_json(include_str!("../../../public/questionnaires/balint-end-of-cohort.json")).unwrap();
    let a = answers(
        r#"{"group":"prefer_not_to_say","sessions":2,"attendance_barriers":"Placements",
            "agreement":{"safe":"5","pace":"prefer_not_to_say"},"recommend":10,"consent":true}"#,
    );
    let m = migrate(&a, &q);
    assert_eq!(m.answers, a);
    assert_eq!((m.kept, m.dropped), (6, 0));
}

#[test]
fn draft_round_trips_and_junk_is_refused() {
    let draft = Draft {
        questionnaire_id: "mig".into(),
        questionnaire_version: "1".into(),
        answers: answers(r#"{"keep":"a","n":3,"grid":{"kept":"2"},"many":["x"],"ok":true}"#),
        page: 2,
        saved_at: 1_767_225_600_000.0,
        lang: Some("cy".into()),
    };
    let json = draft.to_json().to_text();
    assert_eq!(Draft::from_json(&json), Ok(draft));

    let bad_json = [r#"{"questionnaire_id":"mig""#, "", "not json", "{'a':1}"];
    for junk in bad_json {
        assert!(matches!(Draft::from_json(junk), Err(DraftError::Json(_))), "{junk:?}");
    }
    let wrong_shape = [
        "null",
        "[]",
        r#"{"questionnaire_id":"mig"}"#,
        r#"{"questionnaire_id":"mig","questionnaire_version":"1","answers":{"a":null},"page":0,"saved_at":0}"#,
        r#"{"questionnaire_id":"mig","questionnaire_version":"1","answers":{},"page":-1,"saved_at":0}"#,
        r#"{"questionnaire_id":1,"questionnaire_version":"1","answers":{},"page":0,"saved_at":0}"#,
    ];
    for junk in wrong_shape {
        assert!(matches!(Draft::from_json(junk), Err(DraftError::Shape(_))), "{junk:?}");
    }
    let e = Draft::from_json("null").unwrap_err();
    assert!(e.to_string().starts_with("draft has the wrong shape: "), "{e}");
}

/// The same version restores every answer exactly as stored, even one the
/// page still flags: `four` typed into a number field, a number above its
/// max. (Migrating here used to drop both without a word.)
#[test]
fn same_version_restores_answers_as_typed() {
    use survey_core::draft::restore;
    use survey_core::Answer;
    let q = Questionnaire::from_json(V1).unwrap();
    let mut answers = Answers::new();
    answers.insert("n".into(), Answer::Text("four".into()));
    answers.insert("kind".into(), Answer::Text("typed".into()));
    answers.insert("opt".into(), Answer::Text("b".into()));
    let draft = Draft {
        questionnaire_id: "mig".into(),
        questionnaire_version: "1".into(),
        answers: answers.clone(),
        page: 0,
        saved_at: 0.0,
        lang: None,
    };
    let m = restore(&draft, &q);
    assert_eq!(m.answers, answers);
    assert_eq!((m.kept, m.dropped), (3, 0));
    // Another version is migrated, and the drop is counted (so the app says so).
    let v2 = Questionnaire::from_json(V2).unwrap();
    let m = restore(&draft, &v2);
    assert!(m.dropped > 0, "{m:?}");
    assert!(!m.answers.contains_key("n") || m.answers["n"] != Answer::Text("four".into()));
}
