//! Every [`SchemaError`] variant, with the exact message a school's staff see,
//! and the default questionnaire shipped in `public/`.

use survey_core::{Kind, Questionnaire, SchemaError, PREFER_NOT_TO_SAY};

const DEFAULT: &str = include_str!("../../../public/questionnaires/balint-end-of-cohort.json");

/// A one-section questionnaire holding `questions` (a JSON array body).
fn with_questions(questions: &str) -> String {
    format!(r#"{{"id":"t","version":"1","title":"T","sections":[{{"id":"s","title":"S","questions":[{questions}]}}]}}"#)
}

const Q1: &str = r#"{"id":"q1","type":"single","text":"Q1","options":[{"value":"a","label":"A"}]}"#;

const LIKERT: &str = r#"{"id":"l","type":"likert","text":"L","scale":[{"value":"1","label":"One"}],"statements":[{"id":"s1","text":"S"}]}"#;

fn error(json: &str) -> SchemaError {
    Questionnaire::from_json(json).expect_err("should be refused")
}

/// (document, variant check, exact message)
type Case = (String, fn(&SchemaError) -> bool, &'static str);

#[test]
fn every_variant_has_a_precise_message() {
    let cases: Vec<Case> = vec![
        (
            r#"{"id":"t","version":"1","title":"T"}"#.into(),
            |e| matches!(e, SchemaError::Json(_)),
            r#"not a valid questionnaire file: missing field "sections""#,
        ),
        (
            with_questions(r#"{"id":"q1","type":"short_text","text":"Q","requierd":true}"#),
            |e| matches!(e, SchemaError::Json(_)),
            r#"not a valid questionnaire file: sections[0].questions[0]: unknown field "requierd""#,
        ),
        (
            "{\"id\":\"t\",\n \"version\":\"1\" \"title\":\"T\"}".into(),
            |e| matches!(e, SchemaError::Json(_)),
            "not a valid questionnaire file: expected `,` or `}` at line 2 column 16",
        ),
        (
            r#"{"id":"t","version":" ","title":"T","sections":[]}"#.into(),
            |e| matches!(e, SchemaError::Empty { .. }),
            r#"questionnaire: "version" must not be empty"#,
        ),
        (
            r#"{"id":"t","version":"1","title":"T","sections":[]}"#.into(),
            |e| matches!(e, SchemaError::Empty { .. }),
            r#"questionnaire: "sections" must not be empty"#,
        ),
        (
            with_questions(r#"{"id":"q1","type":"short_text","text":"  "}"#),
            |e| matches!(e, SchemaError::Empty { .. }),
            r#"question "q1": "text" must not be empty"#,
        ),
        (
            with_questions(r#"{"id":"Q 1","type":"short_text","text":"Q"}"#),
            |e| matches!(e, SchemaError::BadId { .. }),
            r#"question "Q 1": id "Q 1" may only use a-z, 0-9, _ and -"#,
        ),
        (
            with_questions(&format!("{Q1},{Q1}")),
            |e| matches!(e, SchemaError::DuplicateId { .. }),
            r#"id "q1" is used more than once (question "q1")"#,
        ),
        (
            with_questions(r#"{"id":"s","type":"short_text","text":"Q"}"#),
            |e| matches!(e, SchemaError::DuplicateId { .. }),
            r#"id "s" is used more than once (question "s")"#,
        ),
        (
            with_questions(r#"{"id":"q1","type":"single","text":"Q"}"#),
            |e| matches!(e, SchemaError::Missing { .. }),
            r#"question "q1": "options" is needed for a single question"#,
        ),
        (
            with_questions(r#"{"id":"q1","type":"likert","text":"Q","scale":[{"value":"1","label":"No"}]}"#),
            |e| matches!(e, SchemaError::Missing { .. }),
            r#"question "q1": "statements" is needed for a likert question"#,
        ),
        (
            with_questions(r#"{"id":"q1","type":"number","text":"Q","options":[{"value":"a","label":"A"}]}"#),
            |e| matches!(e, SchemaError::NotApplicable { .. }),
            r#"question "q1": "options" does not apply to a number question"#,
        ),
        (
            with_questions(r#"{"id":"q1","type":"info","text":"Q","required":true}"#),
            |e| matches!(e, SchemaError::NotApplicable { .. }),
            r#"question "q1": "required" does not apply to an info question"#,
        ),
        (
            with_questions(r#"{"id":"q7","type":"number","text":"Q","min":5,"max":3}"#),
            |e| matches!(e, SchemaError::MinGreaterThanMax { .. }),
            r#"question "q7": min 5 is greater than max 3"#,
        ),
        (
            with_questions(r#"{"id":"q7","type":"short_text","text":"Q","min_length":10,"max_length":4}"#),
            |e| matches!(e, SchemaError::MinGreaterThanMax { .. }),
            r#"question "q7": min 10 is greater than max 4"#,
        ),
        (
            with_questions(r#"{"id":"q1","type":"dropdown","text":"Q"}"#),
            |e| matches!(e, SchemaError::BadValue { .. }),
            r#"question "q1": unknown type "dropdown" (expected likert, single, multiple, rating, number, short_text, long_text, consent or info)"#,
        ),
        (
            with_questions(r#"{"id":"q1","type":"rating","text":"Q","min":0,"max":100}"#),
            |e| matches!(e, SchemaError::BadValue { .. }),
            r#"question "q1": a rating needs whole-number ends at most 20 apart (got 0 to 100)"#,
        ),
        (
            with_questions(r#"{"id":"q1","type":"consent","text":"Q","required":false}"#),
            |e| matches!(e, SchemaError::BadValue { .. }),
            r#"question "q1": a consent question is always required"#,
        ),
        (
            with_questions(&format!(
                r#"{{"id":"q1","type":"single","text":"Q","options":[{{"value":"{PREFER_NOT_TO_SAY}","label":"Rather not"}}]}}"#
            )),
            |e| matches!(e, SchemaError::BadValue { .. }),
            r#"question "q1": option value "prefer_not_to_say" is empty or reserved"#,
        ),
        (
            with_questions(r#"{"id":"q1","type":"multiple","text":"Q","options":[{"value":"a","label":"A"},{"value":"a","label":"B"}]}"#),
            |e| matches!(e, SchemaError::DuplicateOption { .. }),
            r#"question "q1": option value "a" is used more than once"#,
        ),
        (
            with_questions(&format!(
                r#"{Q1},{{"id":"q2","type":"short_text","text":"Q","show_if":{{"question":"nope","answered":true}}}}"#
            )),
            |e| matches!(e, SchemaError::UnknownReference { .. }),
            r#"question "q2": show_if refers to unknown question "nope""#,
        ),
        (
            with_questions(&format!(r#"{{"id":"q0","type":"short_text","text":"Q","show_if":{{"question":"q1","equals":"a"}}}},{Q1}"#)),
            |e| matches!(e, SchemaError::LaterReference { .. }),
            r#"question "q0": show_if refers to "q1", which does not come before it"#,
        ),
        (
            with_questions(&format!(r#"{Q1},{{"id":"q2","type":"short_text","text":"Q","show_if":{{"question":"q1","lt":3}}}}"#)),
            |e| matches!(e, SchemaError::BadCondition { .. }),
            r#"question "q2": show_if compares "q1" as a number, but it is a single question"#,
        ),
        (
            with_questions(&format!(
                r#"{Q1},{{"id":"q2","type":"short_text","text":"Q","show_if":{{"question":"q1","equals":"a","answered":true}}}}"#
            )),
            |e| matches!(e, SchemaError::BadCondition { .. }),
            r#"question "q2": show_if needs exactly one test (equals, not_equals, one_of, lt, lte, gt, gte, includes or answered)"#,
        ),
        (
            with_questions(&format!(
                r#"{LIKERT},{{"id":"q2","type":"short_text","text":"Q","show_if":{{"question":"l","statement":"nope","equals":"1"}}}}"#
            )),
            |e| matches!(e, SchemaError::BadCondition { .. }),
            r#"question "q2": show_if refers to unknown statement "nope" of "l""#,
        ),
        (
            with_questions(&format!(
                r#"{Q1},{{"id":"q2","type":"short_text","text":"Q","show_if":{{"question":"q1","statement":"a","equals":"a"}}}}"#
            )),
            |e| matches!(e, SchemaError::BadCondition { .. }),
            r#"question "q2": show_if uses "statement" but "q1" is not a likert question"#,
        ),
        (
            with_questions(&format!(r#"{Q1},{{"id":"q2","type":"short_text","text":"Q","show_if":{{"all":[]}}}}"#)),
            |e| matches!(e, SchemaError::BadCondition { .. }),
            r#"question "q2": show_if has an empty all/any list"#,
        ),
        (
            with_questions(&format!(r#"{Q1},{{"id":"q2","type":"short_text","text":"Q","show_if":{{"question":"q1","equals":"A"}}}}"#)),
            |e| matches!(e, SchemaError::BadCondition { .. }),
            r#"question "q2": show_if compares "q1" with "A", which is not one of its options"#,
        ),
        (
            with_questions(&format!(
                r#"{LIKERT},{{"id":"q2","type":"short_text","text":"Q","show_if":{{"question":"l","statement":"s1","one_of":["1","5"]}}}}"#
            )),
            |e| matches!(e, SchemaError::BadCondition { .. }),
            r#"question "q2": show_if compares "l" with "5", which is not one of its options"#,
        ),
    ];
    for (json, is_variant, message) in &cases {
        let e = error(json);
        assert!(is_variant(&e), "wrong variant {e:?} for {json}");
        assert_eq!(e.to_string(), *message, "for {json}");
    }
}

#[test]
fn section_conditions_name_the_section() {
    let json = format!(
        r#"{{"id":"t","version":"1","title":"T","sections":[
            {{"id":"one","title":"One","questions":[{Q1}]}},
            {{"id":"two","title":"Two","show_if":{{"question":"q9","equals":"a"}},"questions":[
                {{"id":"q9","type":"short_text","text":"Q"}}]}}]}}"#
    );
    assert_eq!(error(&json).to_string(), r#"section "two": show_if refers to "q9", which does not come before it"#);
}

#[test]
fn a_known_statement_condition_loads() {
    let json = with_questions(&format!(
        r#"{LIKERT},{{"id":"q2","type":"short_text","text":"Q","show_if":{{"question":"l","statement":"s1","equals":"1"}}}}"#
    ));
    Questionnaire::from_json(&json).unwrap();
}

#[test]
fn a_question_cannot_depend_on_itself() {
    let json = with_questions(r#"{"id":"q1","type":"short_text","text":"Q","show_if":{"question":"q1","answered":true}}"#);
    assert!(matches!(error(&json), SchemaError::LaterReference { .. }));
}

#[test]
fn default_questionnaire_loads_and_has_the_required_questions() {
    let q = Questionnaire::from_json(DEFAULT).expect("default questionnaire loads");
    assert_eq!(q.id, "balint-end-of-cohort");
    assert!(!q.version.trim().is_empty());

    let group = q.question("group").expect("group");
    assert!(group.required);
    assert!(matches!(&group.kind, Kind::Single { options, prefer_not_to_say: true } if options.len() >= 2));

    let sessions = q.question("sessions").expect("sessions");
    assert_eq!(sessions.kind, Kind::Number { min: Some(0.0), max: Some(6.0), step: Some(1.0) });

    let overall = q.question("overall").expect("overall");
    assert!(matches!(&overall.kind, Kind::Single { options, .. } if options.len() == 5));

    // The ten ratings the programme asked for, over two grids on two pages
    // (one grid of eight was about six screens on a phone).
    let (mut ids, mut reversed) = (Vec::new(), Vec::new());
    for grid in ["agreement", "agreement_sessions"] {
        let g = q.question(grid).expect(grid);
        let Kind::Likert { scale, statements, prefer_not_to_say } = &g.kind else {
            panic!("{grid} is {:?}", g.kind);
        };
        assert_eq!(scale.len(), 5);
        assert!(prefer_not_to_say);
        assert!(statements.len() <= 4, "{grid}: at most four statements on a page");
        ids.extend(statements.iter().map(|s| s.id.as_str()));
        reversed.extend(statements.iter().filter(|s| s.reverse).map(|s| s.id.as_str()));
    }
    assert_eq!(ids, ["safe", "learned", "community", "pace", "facilitation", "anxious", "ethics", "timetable"]);
    assert_eq!(reversed, ["anxious"]);
    assert_ne!(
        q.sections.iter().position(|s| s.questions.iter().any(|x| x.id == "agreement")),
        q.sections.iter().position(|s| s.questions.iter().any(|x| x.id == "agreement_sessions"))
    );

    let recommend = q.question("recommend").expect("recommend");
    assert!(matches!(recommend.kind, Kind::Rating { min: 0, max: 10, .. }));

    let open: Vec<&str> =
        q.questions().filter(|(_, q)| matches!(q.kind, Kind::LongText { .. }) && q.show_if.is_none()).map(|(_, q)| q.id.as_str()).collect();
    assert_eq!(open, ["valued", "change", "participation", "other"]);

    let (last_section, last) = q.questions().last().expect("questions");
    assert_eq!(last.kind, Kind::Consent);
    assert!(last.required);
    assert_eq!(last_section.questions.len(), 1, "consent stands alone on the last page");
}

/// Every type name reads back as that type (none falls back to another), and
/// the JSON Schema lists exactly the types the parser knows.
#[test]
fn every_question_type_loads_as_itself() {
    use survey_core::QuestionType;
    let settings = |t: QuestionType| match t {
        QuestionType::Likert => r#","scale":[{"value":"1","label":"A"}],"statements":[{"id":"s","text":"S"}]"#,
        QuestionType::Single | QuestionType::Multiple => r#","options":[{"value":"1","label":"A"}]"#,
        QuestionType::Rating
        | QuestionType::Number
        | QuestionType::ShortText
        | QuestionType::LongText
        | QuestionType::Consent
        | QuestionType::Info => "",
    };
    for t in QuestionType::ALL {
        assert_eq!(QuestionType::parse(t.as_str()), Some(t));
        let json = format!(
            r#"{{"id":"t","version":"1","title":"T","sections":[{{"id":"s","title":"S","questions":[
                {{"id":"q","type":"{}","text":"Q"{}}}]}}]}}"#,
            t.as_str(),
            settings(t)
        );
        let q = survey_core::Questionnaire::from_json(&json).unwrap_or_else(|e| panic!("{}: {e}", t.as_str()));
        assert_eq!(q.sections[0].questions[0].kind.question_type(), t);
    }
    assert_eq!(QuestionType::parse("Info"), None, "names are exact");
    let unknown =
        r#"{"id":"t","version":"1","title":"T","sections":[{"id":"s","title":"S","questions":[{"id":"q","type":"x","text":"Q"}]}]}"#;
    let message = survey_core::Questionnaire::from_json(unknown).unwrap_err().to_string();
    for t in QuestionType::ALL {
        assert!(message.contains(t.as_str()), "the unknown-type error does not name {}: {message}", t.as_str());
    }
    let schema: serde_json::Value =
        serde_json::from_str(include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/questionnaire.schema.json"))).unwrap();
    let text = schema.to_string();
    for t in QuestionType::ALL {
        assert!(text.contains(&format!("\"{}\"", t.as_str())), "the JSON Schema does not name {}", t.as_str());
    }
}

/// A question's own error wording is read, and a misspelt key in it refused.
#[test]
fn questions_carry_their_own_error_text() {
    let q = Questionnaire::from_json(&with_questions(
        r#"{"id":"n","type":"number","text":"N","errors":{"required":"Enter how many","invalid":"Enter it as a figure, like 4"}}"#,
    ))
    .unwrap();
    let n = q.question("n").unwrap();
    assert_eq!(n.errors.required.as_ref().map(|t| t.get("en")), Some("Enter how many"));
    assert_eq!(n.errors.invalid.as_ref().map(|t| t.get("en")), Some("Enter it as a figure, like 4"));
    let e = error(&with_questions(r#"{"id":"n","type":"number","text":"N","errors":{"requierd":"x"}}"#));
    assert!(e.to_string().contains("requierd"), "{e}");
    // The default questionnaire words every required question's error itself.
    let d = Questionnaire::from_json(DEFAULT).unwrap();
    for (_, qu) in d.questions().filter(|(_, q)| q.required) {
        assert!(qu.errors.required.is_some(), "{} has no error text of its own", qu.id);
    }
}
