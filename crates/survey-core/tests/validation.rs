//! Answer validation: every `ValidationError` code, table-driven, against a
//! small questionnaire with one question of each kind.

use survey_core::validate::{validate_all, validate_question, validate_section};
use survey_core::{Answer, Answers, FieldError, Questionnaire, ValidationError as E};

const FORM: &str = r#"{
  "id": "t", "version": "1", "title": "T",
  "sections": [
    { "id": "s1", "title": "One", "questions": [
      { "id": "intro", "type": "info", "text": "Hello" },
      { "id": "group", "type": "single", "text": "G", "required": true, "prefer_not_to_say": true,
        "options": [ { "value": "a", "label": "A" }, { "value": "b", "label": "B" } ] },
      { "id": "colour", "type": "single", "text": "C", "options": [ { "value": "red", "label": "Red" } ] },
      { "id": "grid", "type": "likert", "text": "L", "required": true, "prefer_not_to_say": true,
        "scale": [ { "value": "1", "label": "No" }, { "value": "2", "label": "Maybe" }, { "value": "3", "label": "Yes" } ],
        "statements": [ { "id": "x", "text": "X" }, { "id": "y", "text": "Y" }, { "id": "z", "text": "Z" } ] },
      { "id": "grid_opt", "type": "likert", "text": "L2",
        "scale": [ { "value": "1", "label": "No" }, { "value": "2", "label": "Yes" } ],
        "statements": [ { "id": "x", "text": "X" }, { "id": "y", "text": "Y" } ] },
      { "id": "pick", "type": "multiple", "text": "M", "min_selections": 2, "max_selections": 3,
        "options": [ { "value": "a", "label": "A" }, { "value": "b", "label": "B" },
                     { "value": "c", "label": "C" }, { "value": "d", "label": "D" } ] },
      { "id": "pick_req", "type": "multiple", "text": "M2", "required": true,
        "options": [ { "value": "a", "label": "A" }, { "value": "b", "label": "B" } ] },
      { "id": "stars", "type": "rating", "text": "R", "min": 1, "max": 5 },
      { "id": "count", "type": "number", "text": "N", "min": 0, "max": 6, "step": 1 },
      { "id": "dose", "type": "number", "text": "D", "min": 0.5, "step": 0.1 },
      { "id": "free", "type": "number", "text": "F", "step": 0.25 },
      { "id": "word", "type": "short_text", "text": "W", "min_length": 3, "max_length": 5 },
      { "id": "essay", "type": "long_text", "text": "E", "required": true, "max_length": 10 },
      { "id": "ok", "type": "consent", "text": "OK" }
    ]}
  ]
}"#;

fn form() -> Questionnaire {
    Questionnaire::from_json(FORM).unwrap()
}

fn answer(json: &str) -> Answer {
    Answer::from_json(&survey_core::json::parse(json).unwrap(), "a").unwrap_or_else(|e| panic!("{json}: {e}"))
}

fn answers(json: &str) -> Answers {
    survey_core::answers::answers_from_json(&survey_core::json::parse(json).unwrap(), "answers").unwrap()
}

fn wrong(expected: &'static str) -> Option<E> {
    Some(E::WrongType { expected })
}

/// (question, answer as JSON or "" for none, expected error)
fn cases() -> Vec<(&'static str, &'static str, Option<E>)> {
    let s = |v: &str| v.to_owned();
    vec![
        // info: nothing to answer
        ("intro", "", None),
        ("intro", r#""hi""#, wrong("nothing")),
        // single
        ("group", "", Some(E::Required)),
        ("group", r#""   ""#, Some(E::Required)),
        ("group", r#""a""#, None),
        ("group", r#""prefer_not_to_say""#, None),
        ("group", r#""c""#, Some(E::NotAnOption { value: s("c") })),
        ("group", r#""A""#, Some(E::NotAnOption { value: s("A") })),
        ("group", r#"["a"]"#, wrong("text")),
        ("colour", "", None),
        ("colour", r#""prefer_not_to_say""#, Some(E::NotAnOption { value: s("prefer_not_to_say") })),
        ("colour", "1", wrong("text")),
        // likert, required, with prefer-not-to-say
        ("grid", "", Some(E::Required)),
        ("grid", "{}", Some(E::Required)),
        ("grid", r#"{"x":"1","y":"3","z":"prefer_not_to_say"}"#, None),
        ("grid", r#"{"x":"1","z":"2"}"#, Some(E::Incomplete { missing: vec![s("y")] })),
        ("grid", r#"{"x":"1"}"#, Some(E::Incomplete { missing: vec![s("y"), s("z")] })),
        ("grid", r#"{"x":"1","y":"1","z":"1","w":"1"}"#, Some(E::UnknownStatement { statement: s("w") })),
        ("grid", r#"{"x":"1","y":"4","z":"1"}"#, Some(E::NotAnOption { value: s("4") })),
        ("grid", r#""1""#, wrong("object")),
        // likert, optional, no prefer-not-to-say: partial is fine
        ("grid_opt", r#"{"y":"2"}"#, None),
        ("grid_opt", r#"{"y":"prefer_not_to_say"}"#, Some(E::NotAnOption { value: s("prefer_not_to_say") })),
        // multiple, optional, 2..=3
        ("pick", "", None),
        ("pick", "[]", None),
        ("pick", r#"["a","c"]"#, None),
        ("pick", r#"["a","b","d"]"#, None),
        ("pick", r#"["a"]"#, Some(E::TooFewSelections { min: 2 })),
        ("pick", r#"["a","b","c","d"]"#, Some(E::TooManySelections { max: 3 })),
        ("pick", r#"["a","a"]"#, Some(E::DuplicateSelection { value: s("a") })),
        ("pick", r#"["a","e"]"#, Some(E::NotAnOption { value: s("e") })),
        ("pick", r#""a""#, wrong("list")),
        ("pick_req", "[]", Some(E::Required)),
        ("pick_req", r#"["b"]"#, None),
        // rating 1..=5
        ("stars", "", None),
        ("stars", "1", None),
        ("stars", "5", None),
        ("stars", "0", Some(E::BelowMin { min: 1.0 })),
        ("stars", "6", Some(E::AboveMax { max: 5.0 })),
        ("stars", "2.5", Some(E::NotWhole)),
        ("stars", r#""3""#, wrong("number")),
        // number 0..=6 step 1
        ("count", "0", None),
        ("count", "6", None),
        ("count", "-1", Some(E::BelowMin { min: 0.0 })),
        ("count", "7", Some(E::AboveMax { max: 6.0 })),
        ("count", "3.5", Some(E::NotAStep { step: 1.0 })),
        ("count", r#""4""#, wrong("number")),
        // number from 0.5 in steps of 0.1: float error must not refuse 0.7
        ("dose", "0.7", None),
        ("dose", "1000000.3", None),
        ("dose", "0.75", Some(E::NotAStep { step: 0.1 })),
        ("dose", "0.4", Some(E::BelowMin { min: 0.5 })),
        // no min: the grid starts at 0
        ("free", "-0.5", None),
        ("free", "1.1", Some(E::NotAStep { step: 0.25 })),
        // short text 3..=5 chars
        ("word", "", None),
        ("word", r#""abc""#, None),
        ("word", r#""ééééé""#, None), // 5 chars, 10 bytes
        ("word", r#"" ab  ""#, Some(E::TooShort { min: 3 })),
        ("word", r#""abcdef""#, Some(E::TooLong { max: 5 })),
        ("word", r#"" abcd ""#, Some(E::TooLong { max: 5 })), // max counts the raw text
        ("word", "true", wrong("text")),
        // long text, required, max 10
        ("essay", "", Some(E::Required)),
        ("essay", r#""  \n ""#, Some(E::Required)),
        ("essay", r#""fine""#, None),
        ("essay", r#""12345678901""#, Some(E::TooLong { max: 10 })),
        // control characters: newline and tab are text, nothing else is
        ("essay", r#""a\nb\tc""#, None),
        ("essay", r#""a\u0000b""#, Some(E::ControlCharacter)),
        ("essay", r#""a\rb""#, Some(E::ControlCharacter)),
        ("essay", r#""\u001b[31m""#, Some(E::ControlCharacter)),
        ("word", r#""ab\u007f""#, Some(E::ControlCharacter)),
        ("word", r#""a\u0085b""#, Some(E::ControlCharacter)),
        // consent: always required, must be ticked
        ("ok", "true", None),
        ("ok", "", Some(E::ConsentRequired)),
        ("ok", "false", Some(E::ConsentRequired)),
        ("ok", r#""yes""#, wrong("true/false")),
    ]
}

#[test]
fn one_answer_at_a_time() {
    let q = form();
    for (id, json, expected) in cases() {
        let question = q.question(id).unwrap();
        let given = (!json.is_empty()).then(|| answer(json));
        let got = validate_question(question, given.as_ref());
        assert_eq!(got, expected.clone().map_or(Ok(()), Err), "{id} = {json:?}");
    }
}

/// Exhaustive on purpose: a new variant does not compile until it is listed
/// here, and then `every_code_is_exercised` fails until a case covers it.
fn code(e: &E) -> &'static str {
    match e {
        E::Required => "required",
        E::WrongType { .. } => "wrong_type",
        E::NotAnOption { .. } => "not_an_option",
        E::UnknownStatement { .. } => "unknown_statement",
        E::Incomplete { .. } => "incomplete",
        E::TooFewSelections { .. } => "too_few_selections",
        E::TooManySelections { .. } => "too_many_selections",
        E::DuplicateSelection { .. } => "duplicate_selection",
        E::BelowMin { .. } => "below_min",
        E::AboveMax { .. } => "above_max",
        E::NotAStep { .. } => "not_a_step",
        E::NotWhole => "not_whole",
        E::TooShort { .. } => "too_short",
        E::TooLong { .. } => "too_long",
        E::ConsentRequired => "consent_required",
        E::ControlCharacter => "control_character",
        E::UnknownQuestion => "unknown_question",
        E::NotShown => "not_shown",
    }
}
const CODES: usize = 18;

#[test]
fn every_code_is_exercised() {
    let q = Questionnaire::from_json(BRANCHING).unwrap();
    let receiver = validate_all(&q, &answers(r#"{"role":"staff","year":3,"zzz":"x"}"#));
    let mut seen: Vec<&str> = cases().iter().filter_map(|(_, _, e)| e.as_ref().map(code)).collect();
    seen.extend(receiver.iter().map(|f| code(&f.error)));
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen.len(), CODES, "covered: {seen:?}");
    // The serialised code is the same snake_case name.
    for (_, _, e) in cases().iter().filter(|c| c.2.is_some()) {
        let e = e.as_ref().unwrap();
        assert_eq!(e.to_json().get("code"), Some(&survey_core::json::Json::from(code(e))));
    }
}

#[test]
fn errors_serialise_as_codes() {
    let e = FieldError { question: "essay".into(), error: E::TooLong { max: 500 } };
    assert_eq!(e.to_json().to_text(), r#"{"question":"essay","code":"too_long","max":500}"#);
    let e = FieldError { question: "q".into(), error: E::WrongType { expected: "nothing" } };
    assert_eq!(e.to_json().to_text(), r#"{"question":"q","code":"wrong_type","expected":"nothing"}"#);
    assert_eq!(E::NotShown.to_json().to_text(), r#"{"code":"not_shown"}"#);
}

const BRANCHING: &str = r#"{
  "id": "b", "version": "1", "title": "B",
  "sections": [
    { "id": "s1", "title": "One", "questions": [
      { "id": "role", "type": "single", "text": "Role", "required": true,
        "options": [ { "value": "student", "label": "Student" }, { "value": "staff", "label": "Staff" } ] },
      { "id": "year", "type": "number", "text": "Year", "required": true, "min": 1, "max": 6,
        "show_if": { "question": "role", "equals": "student" } },
      { "id": "note", "type": "short_text", "text": "Note", "max_length": 3 }
    ]},
    { "id": "s2", "title": "Staff only", "show_if": { "question": "role", "equals": "staff" }, "questions": [
      { "id": "dept", "type": "short_text", "text": "Dept", "required": true }
    ]},
    { "id": "s3", "title": "End", "questions": [
      { "id": "ok", "type": "consent", "text": "OK" }
    ]}
  ]
}"#;

fn field(question: &str, error: E) -> FieldError {
    FieldError { question: question.into(), error }
}

#[test]
fn section_checks_only_shown_questions_in_order() {
    let q = Questionnaire::from_json(BRANCHING).unwrap();
    let [s1, s2, s3] = [&q.sections[0], &q.sections[1], &q.sections[2]];

    // Nothing answered: role is required, year is hidden (role is not student).
    assert_eq!(validate_section(&q, s1, &Answers::new()), vec![field("role", E::Required)]);

    let a = answers(r#"{"role":"student","note":"long"}"#);
    assert_eq!(validate_section(&q, s1, &a), vec![field("year", E::Required), field("note", E::TooLong { max: 3 })]);
    // The staff section is hidden for a student, so its required question is not asked.
    assert_eq!(validate_section(&q, s2, &a), vec![]);
    assert_eq!(validate_section(&q, s3, &a), vec![field("ok", E::ConsentRequired)]);

    let a = answers(r#"{"role":"staff"}"#);
    assert_eq!(validate_section(&q, s2, &a), vec![field("dept", E::Required)]);
}

#[test]
fn validate_all_reports_unknown_and_hidden_answers() {
    let q = Questionnaire::from_json(BRANCHING).unwrap();
    let a = answers(r#"{"role":"staff","year":3,"dept":"","zzz":"x","aaa":"","ok":true}"#);
    assert_eq!(
        validate_all(&q, &a),
        vec![field("year", E::NotShown), field("dept", E::Required), field("aaa", E::UnknownQuestion), field("zzz", E::UnknownQuestion),]
    );

    // An empty answer to a hidden question is harmless.
    let a = answers(r#"{"role":"student","year":2,"dept":"  ","ok":true}"#);
    assert_eq!(validate_all(&q, &a), vec![]);

    // Everything wrong at once comes back in questionnaire order.
    let a = answers(r#"{"role":"other","note":1,"ok":false}"#);
    assert_eq!(
        validate_all(&q, &a),
        vec![
            field("role", E::NotAnOption { value: "other".into() }),
            field("note", E::WrongType { expected: "text" }),
            field("ok", E::ConsentRequired),
        ]
    );
}

#[test]
fn default_questionnaire_complete_response_is_valid() {
    let q = Questionnaire::from_json(include_str!("../../../public/questionnaires/balint-end-of-cohort.json")).unwrap();
    let a = answers(
        r#"{"group":"wednesday","sessions":5,"overall":"4",
            "agreement":{"safe":"5","learned":"4","community":"4","pace":"3"},
            "agreement_sessions":{"facilitation":"5","anxious":"2","ethics":"prefer_not_to_say","timetable":"1"},
            "recommend":9,"valued":"Time to think.","consent":true}"#,
    );
    assert_eq!(validate_all(&q, &a), vec![]);
    // sessions >= 4 hides the barriers question, so its answer must not be sent.
    let a = answers(r#"{"group":"wednesday","sessions":5,"attendance_barriers":"Placements","consent":true}"#);
    assert_eq!(
        validate_all(&q, &a),
        vec![
            field("attendance_barriers", E::NotShown),
            field("overall", E::Required),
            field("recommend", E::Required),
            field("agreement", E::Required),
            field("agreement_sessions", E::Required),
        ]
    );
}
