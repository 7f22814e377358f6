//! Skip logic: conditions, chains that collapse, and what a submission carries.

use survey_core::logic::is_shown;
use survey_core::{Answers, Questionnaire};

const DEFAULT: &str = include_str!("../../../public/questionnaires/balint-end-of-cohort.json");

fn answers(json: &str) -> Answers {
    survey_core::answers::answers_from_json(&survey_core::json::parse(json).unwrap(), "answers").unwrap_or_else(|e| panic!("{json}: {e}"))
}

/// Whether question `id` is shown for `json` answers.
fn shown(q: &Questionnaire, id: &str, json: &str) -> bool {
    let (section, question) = q.questions().find(|(_, q)| q.id == id).unwrap_or_else(|| panic!("no {id}"));
    q.question_shown(section, question, &answers(json))
}

#[test]
fn attendance_barriers_only_below_four_sessions() {
    let q = Questionnaire::from_json(DEFAULT).unwrap();
    let cases = [
        (r#"{}"#, false), // unanswered: lt is false
        (r#"{"sessions":0}"#, true),
        (r#"{"sessions":3}"#, true),
        (r#"{"sessions":3.999}"#, true),
        (r#"{"sessions":4}"#, false),
        (r#"{"sessions":6}"#, false),
        (r#"{"sessions":"3"}"#, false), // text is not a number
    ];
    for (json, expected) in cases {
        assert_eq!(shown(&q, "attendance_barriers", json), expected, "{json}");
    }
    // Everything else in the default questionnaire is always shown.
    for (_, question) in q.questions().filter(|(_, q)| q.id != "attendance_barriers") {
        assert!(shown(&q, &question.id, "{}"), "{}", question.id);
    }
}

#[test]
fn shown_answers_drops_hidden_info_unknown_and_empty() {
    let q = Questionnaire::from_json(DEFAULT).unwrap();
    let given = answers(
        r#"{"group":"thursday","sessions":5,"attendance_barriers":"Placements",
            "valued":"  ","change":"More sessions","not_a_question":"x","consent":true,"recommend":7}"#,
    );
    assert_eq!(
        q.shown_answers(&given),
        answers(r#"{"group":"thursday","sessions":5,"change":"More sessions","consent":true,"recommend":7}"#)
    );
    // Going back and lowering the count brings the answer back.
    let mut lowered = given.clone();
    lowered.insert("sessions".into(), survey_core::Answer::Number(2.0));
    assert_eq!(q.shown_answers(&lowered)["attendance_barriers"], given["attendance_barriers"]);
}

/// A -> B -> C chains, a section condition, and every operator.
const FORM: &str = r#"{
  "id": "logic", "version": "1", "title": "Logic",
  "sections": [
    { "id": "s1", "title": "One", "questions": [
      { "id": "note", "type": "info", "text": "Read me" },
      { "id": "a", "type": "single", "text": "A",
        "options": [ { "value": "yes", "label": "Yes" }, { "value": "no", "label": "No" } ] },
      { "id": "b", "type": "short_text", "text": "B", "show_if": { "question": "a", "equals": "yes" } },
      { "id": "c", "type": "short_text", "text": "C", "show_if": { "question": "b", "answered": true } },
      { "id": "c_not", "type": "short_text", "text": "C'", "show_if": { "question": "b", "answered": false } },
      { "id": "many", "type": "multiple", "text": "M",
        "options": [ { "value": "x", "label": "X" }, { "value": "y", "label": "Y" }, { "value": "z", "label": "Z" } ] },
      { "id": "n", "type": "number", "text": "N" },
      { "id": "grid", "type": "likert", "text": "L", "prefer_not_to_say": true,
        "scale": [ { "value": "1", "label": "1" }, { "value": "2", "label": "2" }, { "value": "3", "label": "3" } ],
        "statements": [ { "id": "safe", "text": "Safe" }, { "id": "calm", "text": "Calm" } ] },
      { "id": "unsafe", "type": "long_text", "text": "Why unsafe?",
        "show_if": { "question": "grid", "statement": "safe", "one_of": ["1", "2"] } },
      { "id": "tick", "type": "consent", "text": "Tick" }
    ]},
    { "id": "s2", "title": "Follow-up", "show_if": { "question": "c", "answered": true }, "questions": [
      { "id": "d", "type": "short_text", "text": "D" },
      { "id": "e", "type": "short_text", "text": "E", "show_if": { "question": "d", "equals": "go" } }
    ]},
    { "id": "s3", "title": "Last", "questions": [
      { "id": "f", "type": "short_text", "text": "F", "show_if": { "question": "e", "answered": true } }
    ]}
  ]
}"#;

#[test]
fn chains_collapse_when_an_earlier_answer_changes() {
    let q = Questionnaire::from_json(FORM).unwrap();
    let all = r#"{"a":"yes","b":"because","c":"more","d":"go","e":"on","f":"end"}"#;
    for id in ["b", "c", "d", "e", "f"] {
        assert!(shown(&q, id, all), "{id} shown when every link holds");
    }
    assert!(!shown(&q, "c_not", all));
    assert_eq!(q.shown_answers(&answers(all)), answers(all));

    // Changing `a` hides b; b's stale answer then counts as unanswered, so c,
    // the whole of s2, and f in s3 all go, and c_not appears.
    let changed = r#"{"a":"no","b":"because","c":"more","d":"go","e":"on","f":"end"}"#;
    for id in ["b", "c", "d", "e", "f"] {
        assert!(!shown(&q, id, changed), "{id} hidden once the chain breaks");
    }
    assert!(shown(&q, "c_not", changed));
    assert!(!q.section_shown(&q.sections[1], &answers(changed)));
    assert!(q.section_shown(&q.sections[2], &answers(changed)), "s3 has no condition of its own");
    assert_eq!(q.shown_answers(&answers(changed)), answers(r#"{"a":"no"}"#));

    // A blank answer is no answer.
    assert!(!shown(&q, "c", r#"{"a":"yes","b":"   "}"#));
}

#[test]
fn operators() {
    // (condition JSON, answers JSON, expected)
    let cases = [
        // equals / not_equals compare like with like
        (r#"{"question":"n","equals":4}"#, r#"{"n":4}"#, true),
        (r#"{"question":"n","equals":4}"#, r#"{"n":4.0}"#, true),
        (r#"{"question":"n","equals":"4"}"#, r#"{"n":4}"#, false),
        (r#"{"question":"a","equals":"yes"}"#, r#"{"a":"yes"}"#, true),
        (r#"{"question":"a","equals":"yes"}"#, r#"{"a":"no"}"#, false),
        (r#"{"question":"a","equals":"yes"}"#, r#"{}"#, false),
        (r#"{"question":"many","equals":"x"}"#, r#"{"many":["x"]}"#, false),
        (r#"{"question":"many","equals":["y","x"]}"#, r#"{"many":["x","y"]}"#, true),
        (r#"{"question":"many","equals":["x"]}"#, r#"{"many":["x","y"]}"#, false),
        (r#"{"question":"tick","equals":true}"#, r#"{"tick":true}"#, true),
        (r#"{"question":"tick","equals":true}"#, r#"{"tick":false}"#, false),
        (r#"{"question":"a","not_equals":"yes"}"#, r#"{"a":"no"}"#, true),
        (r#"{"question":"a","not_equals":"yes"}"#, r#"{"a":"yes"}"#, false),
        (r#"{"question":"a","not_equals":"yes"}"#, r#"{}"#, true),
        (r#"{"question":"n","not_equals":"4"}"#, r#"{"n":4}"#, true),
        // one_of
        (r#"{"question":"a","one_of":["yes","no"]}"#, r#"{"a":"yes"}"#, true),
        (r#"{"question":"a","one_of":["no"]}"#, r#"{"a":"yes"}"#, false),
        (r#"{"question":"a","one_of":["yes"]}"#, r#"{}"#, false),
        // numeric comparisons, strict and not
        (r#"{"question":"n","lt":4}"#, r#"{"n":3}"#, true),
        (r#"{"question":"n","lt":4}"#, r#"{"n":4}"#, false),
        (r#"{"question":"n","lte":4}"#, r#"{"n":4}"#, true),
        (r#"{"question":"n","lte":4}"#, r#"{"n":4.5}"#, false),
        (r#"{"question":"n","gt":4}"#, r#"{"n":4}"#, false),
        (r#"{"question":"n","gt":4}"#, r#"{"n":5}"#, true),
        (r#"{"question":"n","gte":4}"#, r#"{"n":4}"#, true),
        (r#"{"question":"n","gte":4}"#, r#"{"n":-4}"#, false),
        (r#"{"question":"n","gte":0}"#, r#"{}"#, false),
        (r#"{"question":"n","lt":10}"#, r#"{}"#, false),
        // includes
        (r#"{"question":"many","includes":"y"}"#, r#"{"many":["x","y"]}"#, true),
        (r#"{"question":"many","includes":"z"}"#, r#"{"many":["x","y"]}"#, false),
        (r#"{"question":"many","includes":"z"}"#, r#"{"many":[]}"#, false),
        // answered
        (r#"{"question":"many","answered":true}"#, r#"{"many":[]}"#, false),
        (r#"{"question":"many","answered":false}"#, r#"{"many":[]}"#, true),
        (r#"{"question":"n","answered":true}"#, r#"{"n":0}"#, true),
        (r#"{"question":"tick","answered":true}"#, r#"{"tick":false}"#, false),
        // likert statements
        (r#"{"question":"grid","statement":"safe","equals":"1"}"#, r#"{"grid":{"safe":"1"}}"#, true),
        (r#"{"question":"grid","statement":"safe","equals":"1"}"#, r#"{"grid":{"calm":"1"}}"#, false),
        (r#"{"question":"grid","statement":"safe","answered":true}"#, r#"{"grid":{"calm":"1"}}"#, false),
        (r#"{"question":"grid","statement":"safe","answered":true}"#, r#"{"grid":{"safe":"prefer_not_to_say"}}"#, true),
        (r#"{"question":"grid","statement":"safe","not_equals":"3"}"#, r#"{}"#, true),
        (r#"{"question":"grid","answered":true}"#, r#"{"grid":{"calm":"1"}}"#, true),
        // combinators
        (r#"{"all":[{"question":"a","equals":"yes"},{"question":"n","gt":1}]}"#, r#"{"a":"yes","n":2}"#, true),
        (r#"{"all":[{"question":"a","equals":"yes"},{"question":"n","gt":1}]}"#, r#"{"a":"yes","n":1}"#, false),
        (r#"{"any":[{"question":"a","equals":"yes"},{"question":"n","gt":1}]}"#, r#"{"a":"no","n":2}"#, true),
        (r#"{"any":[{"question":"a","equals":"yes"},{"question":"n","gt":1}]}"#, r#"{"a":"no"}"#, false),
        (r#"{"not":{"question":"a","equals":"yes"}}"#, r#"{"a":"yes"}"#, false),
        (r#"{"not":{"question":"a","equals":"yes"}}"#, r#"{}"#, true),
        (
            r#"{"any":[{"not":{"question":"a","answered":true}},{"all":[{"question":"many","includes":"x"},{"question":"n","lte":0}]}]}"#,
            r#"{"a":"no","many":["x"],"n":0}"#,
            true,
        ),
    ];
    for (cond, given, expected) in cases {
        // Put the condition on a new last question, so the schema check
        // parses it exactly as it would in a real file.
        let json = FORM.replacen(
            r#"{ "id": "f", "type": "short_text", "text": "F", "show_if": { "question": "e", "answered": true } }"#,
            &format!(r#"{{ "id": "f", "type": "short_text", "text": "F", "show_if": {cond} }}"#),
            1,
        );
        assert_ne!(json, FORM);
        let q = Questionnaire::from_json(&json).unwrap_or_else(|e| panic!("{cond}: {e}"));
        let f = q.question("f").unwrap();
        assert_eq!(is_shown(f.show_if.as_ref(), &answers(given)), expected, "{cond} with {given}");
        assert_eq!(shown(&q, "f", given), expected, "{cond} with {given} (in place)");
    }
    assert!(is_shown(None, &Answers::new()), "no condition: always shown");
}

#[test]
fn likert_statement_condition_in_place() {
    let q = Questionnaire::from_json(FORM).unwrap();
    assert!(shown(&q, "unsafe", r#"{"grid":{"safe":"2","calm":"3"}}"#));
    assert!(!shown(&q, "unsafe", r#"{"grid":{"safe":"3","calm":"1"}}"#));
    assert!(!shown(&q, "unsafe", r#"{"grid":{"safe":"prefer_not_to_say"}}"#));
    assert!(!shown(&q, "unsafe", r#"{}"#));
}

#[test]
fn info_answers_are_never_carried_and_never_steer() {
    let q = Questionnaire::from_json(FORM).unwrap();
    assert_eq!(q.shown_answers(&answers(r#"{"note":"x","a":"no"}"#)), answers(r#"{"a":"no"}"#));
}
