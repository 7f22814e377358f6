//! The report's aggregation and small-cell suppression on fixtures built to
//! hit the edges (k = 10 unless said): cells of exactly k-1 and k,
//! complementary suppression, a breakdown of small cells only, likert with
//! "Prefer not to say", an empty questionnaire, rows from two versions.

mod common;

use collector::report::{build, Body, Dist, Report, Selection};
use collector::Questionnaires;
use common::*;
use serde_json::{json, Value};
use survey_core::{Questionnaire, Submission};

fn known() -> Questionnaires {
    let dir = workdir();
    Questionnaires::load_dir(&dir.path().join("questionnaires")).unwrap()
}

fn row(qid: &str, version: &str, answers: Value) -> Submission {
    Submission::from_json(&submission(qid, version, answers).to_string()).unwrap()
}

fn rows(n: usize, qid: &str, version: &str, answers: Value) -> Vec<Submission> {
    (0..n).map(|_| row(qid, version, answers.clone())).collect()
}

fn report(rows: &[Submission], qid: &str, by: Option<&str>) -> Report {
    let sel = Selection { questionnaire: Some(qid.into()), by: by.map(Into::into), ..Selection::default() };
    build(&known(), rows, sel, 10).unwrap()
}

fn single<'a>(r: &'a Report, id: &str) -> (&'a Dist, &'a [Dist]) {
    match &r.questions.iter().find(|q| q.id == id).unwrap().body {
        Body::Single { all, groups, .. } | Body::Multiple { all, groups, .. } => (all, groups),
        other => panic!("{id} is {other:?}"),
    }
}

/// Every number in the JSON form of the report except those listed: the
/// check that hidden figures really are absent (`null`), not just unstyled.
fn numbers(v: &Value, out: &mut Vec<f64>) {
    match v {
        Value::Number(n) => out.push(n.as_f64().unwrap()),
        Value::Array(a) => a.iter().for_each(|x| numbers(x, out)),
        Value::Object(o) => o.iter().filter(|(k, _)| *k != "k" && *k != "responses").for_each(|(_, x)| numbers(x, out)),
        _ => {}
    }
}

#[test]
fn a_cell_of_k_is_shown_and_k_minus_one_is_not() {
    // 10 and 30: both at least k.
    let mut data = rows(10, "kitchen-sink", "1", json!({"pick": "a", "grid": {"s1": "1", "s2": "1"}, "agree": true}));
    data.extend(rows(30, "kitchen-sink", "1", json!({"pick": "b", "grid": {"s1": "1", "s2": "1"}, "agree": true})));
    let r = report(&data, "kitchen-sink", None);
    let (all, _) = single(&r, "pick");
    assert_eq!(all.n, Some(40));
    assert_eq!(all.counts, [Some(10), Some(30), Some(0), Some(0)]);
    assert_eq!(all.percents[0], Some(25.0));

    // 9 and 31: the 9 is hidden, and so is the 31, or 40 - 31 would give it away.
    let mut data = rows(9, "kitchen-sink", "1", json!({"pick": "a", "grid": {"s1": "1", "s2": "1"}, "agree": true}));
    data.extend(rows(31, "kitchen-sink", "1", json!({"pick": "b", "grid": {"s1": "1", "s2": "1"}, "agree": true})));
    let r = report(&data, "kitchen-sink", None);
    let (all, _) = single(&r, "pick");
    assert_eq!(all.n, Some(40));
    assert_eq!(all.counts, [None, None, Some(0), Some(0)]);
    assert_eq!(all.percents, [None, None, Some(0.0), Some(0.0)]);
    assert!(r.hidden.iter().any(|h| h.contains("\"Pick one\": 2 figures hidden")), "{:?}", r.hidden);
}

#[test]
fn complementary_suppression_hides_the_next_smallest() {
    // 9 (hidden) + 10 (hidden with it: 19 >= k over two cells) + 30 (shown).
    let mut data = rows(9, "kitchen-sink", "1", json!({"pick": "a", "grid": {"s1": "1", "s2": "1"}, "agree": true}));
    data.extend(rows(10, "kitchen-sink", "1", json!({"pick": "b", "grid": {"s1": "1", "s2": "1"}, "agree": true})));
    data.extend(rows(30, "kitchen-sink", "1", json!({"pick": "c", "grid": {"s1": "1", "s2": "1"}, "agree": true})));
    let r = report(&data, "kitchen-sink", None);
    assert_eq!(single(&r, "pick").0.counts, [None, None, Some(30), Some(0)]);

    // Multiple choice: 38 of 40 ticked "x", so "not x" is 2: the 38 goes.
    let mut data = rows(38, "kitchen-sink", "1", json!({"pick": "a", "many": ["x", "y"], "grid": {"s1": "1", "s2": "1"}, "agree": true}));
    data.extend(rows(2, "kitchen-sink", "1", json!({"pick": "a", "many": ["y", "z"], "grid": {"s1": "1", "s2": "1"}, "agree": true})));
    let r = report(&data, "kitchen-sink", None);
    let (all, _) = single(&r, "many");
    assert_eq!(all.n, Some(40));
    assert_eq!(all.counts, [None, Some(40), None, Some(0)], "x: 40-38 = 2 not ticked; y: all; z: 2");
}

#[test]
fn fewer_than_k_responses_show_no_figure_and_no_text() {
    let data = rows(
        9,
        "kitchen-sink",
        "1",
        json!({"pick": "a", "long": "Group was great", "score": 7, "grid": {"s1": "1", "s2": "3"}, "agree": true}),
    );
    let r = report(&data, "kitchen-sink", None);
    assert_eq!(r.responses, 9);
    let json = serde_json::to_value(&r).unwrap();
    let mut found = Vec::new();
    numbers(&json["questions"], &mut found);
    // Zeros only (questions nobody in the selection was asked): they rest on no one.
    assert!(found.iter().all(|x| *x == 0.0), "no figure may rest on 9 responses: {found:?}");
    let Body::Single { all, .. } = &r.questions.iter().find(|q| q.id == "pick").unwrap().body else { panic!() };
    assert_eq!(all.n, None);
    assert!(all.counts.iter().all(Option::is_none), "zeros among answered options are hidden too: {all:?}");
    assert!(!json.to_string().contains("Group was great"));
    assert!(r.hidden[0].contains("fewer than 10 responses"), "{:?}", r.hidden);

    // One more and they appear.
    let data = rows(
        10,
        "kitchen-sink",
        "1",
        json!({"pick": "a", "long": "Group was great", "score": 7, "grid": {"s1": "1", "s2": "3"}, "agree": true}),
    );
    let r = report(&data, "kitchen-sink", None);
    assert_eq!(single(&r, "pick").0.counts[0], Some(10));
    assert!(serde_json::to_string(&r).unwrap().contains("Group was great"));
    let Body::Numeric { all, .. } = &r.questions.iter().find(|q| q.id == "score").unwrap().body else { panic!() };
    assert_eq!((all.median, all.q1, all.q3), (Some(7.0), Some(7.0), Some(7.0)));
}

/// No figure above zero is shown.
fn nothing_but_zeros(d: &Dist) -> bool {
    d.n.is_none_or(|n| n == 0) && d.counts.iter().all(|c| c.is_none_or(|c| c == 0))
}

#[test]
fn a_breakdown_of_small_cells_hides_every_cell_and_its_free_text() {
    // 12 responses over three groups of 4: the whole is shown, no group is.
    let mut data = Vec::new();
    for group in ["monday-early", "wednesday", "thursday"] {
        data.extend(rows(4, "balint-end-of-cohort", "1", {
            let mut a = balint_answers();
            a["group"] = json!(group);
            a["valued"] = json!(format!("Text from {group}"));
            a
        }));
    }
    let r = report(&data, "balint-end-of-cohort", Some("group"));
    let b = r.breakdown.as_ref().unwrap();
    // Groups nobody is in show 0 (zeros are published); the others nothing.
    assert!(b.groups.iter().all(|g| g.n.is_none_or(|n| n == 0)), "{:?}", b.groups);
    assert_eq!(b.groups.iter().filter(|g| g.n.is_none()).count(), 3);
    for q in &r.questions {
        match &q.body {
            Body::Single { groups, .. } | Body::Multiple { groups, .. } => assert!(groups.iter().all(nothing_but_zeros)),
            Body::Likert { statements, .. } => assert!(statements.iter().all(|s| s.groups.iter().all(nothing_but_zeros))),
            Body::Numeric { groups, .. } => assert!(groups.iter().all(|d| nothing_but_zeros(&d.dist) && d.median.is_none())),
            Body::Text { groups, .. } => assert!(groups.iter().all(|t| t.answers.is_empty() && t.count.is_none_or(|c| c == 0))),
        }
    }
    // The whole cohort (12) is still reported.
    let (all, _) = single(&r, "overall");
    assert_eq!(all.n, Some(12));
    assert!(r.hidden.iter().any(|h| h.contains("Breakdown by")), "{:?}", r.hidden);
    let csv = collector::report::routes::free_text_to_csv(&r).unwrap();
    assert_eq!(String::from_utf8(csv).unwrap().lines().count(), 1, "only the header: free text under small cells is hidden");

    // With a group of 10 and one of 2, the 2 is hidden and so is the 10
    // (the total minus one would give the other), yet the total stays.
    let mut data = rows(10, "balint-end-of-cohort", "1", balint_answers());
    data.extend(rows(2, "balint-end-of-cohort", "1", {
        let mut a = balint_answers();
        a["group"] = json!("thursday");
        a
    }));
    let r = report(&data, "balint-end-of-cohort", Some("group"));
    let sizes: Vec<Option<usize>> = r.breakdown.as_ref().unwrap().groups.iter().map(|g| g.n).collect();
    // monday-early, monday-late, wednesday, thursday, other, prefer not to say
    assert_eq!(sizes, [Some(0), Some(0), None, None, Some(0), Some(0)]);
}

#[test]
fn likert_reports_prefer_not_to_say_apart() {
    let mut data = rows(10, "balint-end-of-cohort", "1", balint_answers());
    data.extend(rows(10, "balint-end-of-cohort", "1", {
        let mut a = balint_answers();
        a["agreement"]["safe"] = json!("prefer_not_to_say");
        a["agreement"]["ethics"] = json!("4");
        a
    }));
    let r = report(&data, "balint-end-of-cohort", None);
    let Body::Likert { scale, prefer_not_to_say, statements } = &r.questions.iter().find(|q| q.id == "agreement").unwrap().body else {
        panic!()
    };
    assert!(*prefer_not_to_say);
    assert_eq!(scale.last().unwrap().label, "Prefer not to say");
    // Version 2 asks four of version 1's eight statements here; the other
    // four still have version 1 answers, so they follow.
    let ids: Vec<&str> = statements.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["safe", "learned", "community", "pace", "facilitation", "anxious", "ethics", "timetable"]);
    let safe = statements.iter().find(|s| s.id == "safe").unwrap();
    // 10 strongly agree, 10 prefer not to say; percentages of all 20.
    assert_eq!(safe.all.counts, [Some(0), Some(0), Some(0), Some(0), Some(10), Some(10)]);
    assert_eq!(safe.all.percents[4], Some(50.0));
    assert_eq!(safe.all.n, Some(20));
    // ethics: 10 "prefer not to say" (from the fixture) and 10 agree.
    let ethics = statements.iter().find(|s| s.id == "ethics").unwrap();
    assert_eq!(ethics.all.counts[3], Some(10));
    assert_eq!(ethics.all.counts[5], Some(10));
}

#[test]
fn an_empty_questionnaire_and_no_responses() {
    let r = report(&[], "kitchen-sink", None);
    assert_eq!(r.responses, 0);
    assert!(r.versions.is_empty() && r.periods.is_empty());
    assert!(r.hidden.is_empty(), "nothing rests on fewer than k: {:?}", r.hidden);
    // Nobody answered: zeros, which rest on no one, are shown.
    assert!(r.questions.iter().all(|q| match &q.body {
        Body::Single { all, .. } | Body::Multiple { all, .. } => all.n == Some(0) && all.counts.iter().all(|c| *c == Some(0)),
        _ => true,
    }));
    // A questionnaire with nothing to answer has nothing to chart.
    let only_info = Questionnaire::from_json(
        r#"{"id":"empty","version":"1","title":"Nothing","sections":[{"id":"s","title":"S","questions":[{"id":"i","type":"info","text":"Hi"}]}]}"#,
    )
    .unwrap();
    let r = build(&Questionnaires::from_list([only_info]), &[], Selection::default(), 10).unwrap();
    assert_eq!(r.questionnaire_id, "empty");
    assert!(r.questions.is_empty());
    let html = collector::report::html::report(&r, &Selection::default(), "csrf", &["en".into()]);
    assert!(html.contains("no questions with answers to report"));
}

#[test]
fn rows_from_two_versions_are_merged() {
    let mut data = rows(10, "kitchen-sink", "1", json!({"pick": "c", "many": ["x", "y"], "grid": {"s1": "1", "s2": "1"}, "agree": true}));
    data.extend(rows(12, "kitchen-sink", "2", json!({"pick": "a", "extra": "from v2", "agree": true})));
    let r = report(&data, "kitchen-sink", None);
    assert_eq!(r.versions, ["1", "2"]);
    assert_eq!(r.responses, 22);
    let Body::Single { options, all, .. } = &r.questions.iter().find(|q| q.id == "pick").unwrap().body else { panic!() };
    let values: Vec<&str> = options.iter().map(|o| o.value.as_str()).collect();
    assert_eq!(values, ["a", "b", "c", "prefer_not_to_say"], "v2's options, then v1's, prefer-not-to-say last");
    assert_eq!(all.counts, [Some(12), Some(0), Some(10), Some(0)]);
    let ids: Vec<&str> = r.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(&ids[..2], ["pick", "extra"], "the newest version's order first: {ids:?}");
    assert!(ids.contains(&"many") && ids.contains(&"grid"), "questions only version 1 had stay: {ids:?}");
    let (many, _) = single(&r, "many");
    assert_eq!(many.n, Some(10));
}

#[test]
fn selections_are_checked() {
    let k = known();
    let bad = |sel: Selection| build(&k, &[], sel, 10).unwrap_err().to_string();
    assert!(bad(Selection { questionnaire: Some("nope".into()), ..Default::default() }).contains("no questionnaire \"nope\""));
    assert!(bad(Selection { from: Some("2026-13".into()), ..Default::default() }).contains("not a period"));
    let by_text = Selection { questionnaire: Some("kitchen-sink".into()), by: Some("long".into()), ..Default::default() };
    assert!(bad(by_text).contains("single-choice"));
    // k below the floor is raised to it.
    assert_eq!(build(&k, &[], Selection::default(), 2).unwrap().k, 5);
}

#[test]
fn periods_filter_the_rows() {
    let mut data = Vec::new();
    for (p, n) in [("2026-09", 10), ("2026-10", 11), ("2026-11", 12)] {
        for mut s in rows(n, "kitchen-sink", "2", json!({"pick": "a", "agree": true})) {
            s.period = p.into();
            data.push(s);
        }
    }
    let sel = Selection {
        questionnaire: Some("kitchen-sink".into()),
        from: Some("2026-10".into()),
        to: Some("2026-11".into()),
        ..Default::default()
    };
    let r = build(&known(), &data, sel, 10).unwrap();
    assert_eq!(r.responses, 23);
    assert_eq!(r.periods, ["2026-10", "2026-11"]);
    assert_eq!(r.all_periods, ["2026-09", "2026-10", "2026-11"]);
}

#[test]
fn a_breakdown_lists_each_answer_once_under_its_group() {
    let mut data = rows(10, "balint-end-of-cohort", "1", balint_answers());
    data.extend(rows(10, "balint-end-of-cohort", "1", {
        let mut a = balint_answers();
        a["group"] = json!("thursday");
        a["valued"] = json!("Thursday text");
        a
    }));
    let r = report(&data, "balint-end-of-cohort", Some("group"));
    let Body::Text { all, groups } = &r.questions.iter().find(|q| q.id == "valued").unwrap().body else { panic!() };
    assert_eq!(all.count, Some(20));
    assert!(all.answers.is_empty());
    let listed: Vec<usize> = groups.iter().map(|g| g.answers.len()).collect();
    assert_eq!(listed, [0, 0, 10, 10, 0, 0]);
    assert!(groups[3].answers.iter().all(|a| a.text == "Thursday text"));
    let (_, by_group) = single(&r, "overall");
    assert_eq!(by_group[2].counts[3], Some(10), "wednesday: 10 positive");
}
