//! Building the submission from the answers: only what skip logic shows, with
//! identifiers in free text replaced by `[tag]`s.

use crate::anon::{redact, Detector, Finding};
use crate::submission::{Submission, FORMAT};
use crate::{Answer, Answers, Questionnaire};

/// The submission to send: the shown, non-empty answers (see
/// [`Questionnaire::shown_answers`]) with every identifier `detector` finds in
/// short and long text answers redacted. `language` is recorded only when it
/// is one of the questionnaire's languages; pass
/// `config.language_to_record(chosen)`, which is `None` unless the school
/// opted in (`record_language`): by default no language is sent.
pub fn build_submission(
    q: &Questionnaire,
    answers: &Answers,
    detector: &Detector,
    submission_id: String,
    period: String,
    app_version: &str,
    language: Option<&str>,
) -> Submission {
    let mut answers = q.shown_answers(answers);
    for (id, a) in answers.iter_mut() {
        if let Answer::Text(t) = a {
            if q.question(id).is_some_and(|qu| qu.kind.is_free_text()) {
                let found = detector.find(t);
                if !found.is_empty() {
                    *t = redact(t, &found);
                }
            }
        }
    }
    Submission {
        format: FORMAT,
        submission_id,
        questionnaire_id: q.id.clone(),
        questionnaire_version: q.version.clone(),
        period,
        app_version: app_version.to_owned(),
        answers,
        language: language.filter(|l| q.languages.iter().any(|d| d == l)).map(str::to_owned),
    }
}

/// For the check page: each shown free-text question whose answer has
/// findings, in questionnaire order, with the findings (byte offsets into
/// that answer).
pub fn findings_by_question(q: &Questionnaire, answers: &Answers, detector: &Detector) -> Vec<(String, Vec<Finding>)> {
    q.questions()
        .filter(|(s, qu)| qu.kind.is_free_text() && q.question_shown(s, qu, answers))
        .filter_map(|(_, qu)| {
            let found = detector.find(answers.get(&qu.id)?.as_text()?);
            (!found.is_empty()).then(|| (qu.id.clone(), found))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::anon::IdentifierKind;

    fn questionnaire() -> Questionnaire {
        Questionnaire::from_json(
            r#"{"id":"demo","version":"3","title":"Demo","sections":[
              {"id":"s1","title":"One","questions":[
                {"id":"attended","type":"single","text":"Attended?","options":[
                  {"value":"yes","label":"Yes"},{"value":"no","label":"No"}]},
                {"id":"why_not","type":"long_text","text":"Why not?",
                  "show_if":{"question":"attended","equals":"no"}},
                {"id":"best","type":"long_text","text":"Best part"},
                {"id":"word","type":"short_text","text":"One word"},
                {"id":"note","type":"info","text":"Thanks"}]},
              {"id":"s2","title":"Two","show_if":{"question":"attended","equals":"yes"},"questions":[
                {"id":"more","type":"short_text","text":"Anything else?"}]}]}"#,
        )
        .unwrap()
    }

    fn answers(pairs: &[(&str, &str)]) -> Answers {
        pairs.iter().map(|(k, v)| (k.to_string(), Answer::Text(v.to_string()))).collect()
    }

    #[test]
    fn keeps_shown_answers_and_redacts_free_text() {
        let q = questionnaire();
        let a = answers(&[
            ("attended", "yes"),
            ("why_not", "Dr Smith was rude"),
            ("best", "Talking to Dr Smith, and 6 sessions was right"),
            ("word", "07700 900123"),
            ("more", "mail me: a.b@nhs.net"),
        ]);
        let s = build_submission(&q, &a, &Detector::default(), "id-1".into(), "2026-11".into(), "0.1.0", None);
        assert_eq!(s.format, FORMAT);
        assert_eq!((s.submission_id.as_str(), s.period.as_str(), s.app_version.as_str()), ("id-1", "2026-11", "0.1.0"));
        assert_eq!((s.questionnaire_id.as_str(), s.questionnaire_version.as_str()), ("demo", "3"));
        let want = answers(&[
            ("attended", "yes"),
            ("best", "Talking to [name], and 6 sessions was right"),
            ("word", "[phone]"),
            ("more", "mail me: [email]"),
        ]);
        assert_eq!(s.answers, want, "why_not is hidden, the rest redacted");
    }

    #[test]
    fn an_answer_at_its_limits_still_passes_once_redacted() {
        // "Dr Li" (5 chars) becomes "[name]" (6) and the email (13) becomes
        // "[email]" (7): the receiver must accept both results.
        let q = Questionnaire::from_json(
            r#"{"id":"d","version":"1","title":"D","sections":[{"id":"s","title":"S","questions":[
              {"id":"short","type":"short_text","text":"T","max_length":12},
              {"id":"long","type":"long_text","text":"T","min_length":15}]}]}"#,
        )
        .unwrap();
        let a = answers(&[("short", "ask Dr Li ok"), ("long", "aaaa@bbbb.com ok")]);
        assert!(crate::validate::validate_all(&q, &a).is_empty(), "valid as typed");
        let s = build_submission(&q, &a, &Detector::default(), "id".into(), "2026-11".into(), "0", None);
        assert_eq!(s.answers["short"], Answer::Text("ask [name] ok".into()));
        assert_eq!(s.answers["long"], Answer::Text("[email] ok".into()));
        assert_eq!(crate::validate::validate_all(&q, &s.answers), vec![], "still valid once redacted");
        // Without a tag the limits hold as before.
        let over = answers(&[("short", "thirteen char"), ("long", "fourteen chars")]);
        assert_eq!(crate::validate::validate_all(&q, &over).len(), 2);
    }

    #[test]
    fn choice_values_are_never_redacted() {
        // An option value that happens to look like a postcode stays as is.
        let q = Questionnaire::from_json(
            r#"{"id":"d","version":"1","title":"D","sections":[{"id":"s","title":"S","questions":[
              {"id":"site","type":"single","text":"Site","options":[{"value":"M1 1AE","label":"Central"}]}]}]}"#,
        )
        .unwrap();
        let a = answers(&[("site", "M1 1AE")]);
        let s = build_submission(&q, &a, &Detector::default(), "x".into(), "2026-W48".into(), "1", None);
        assert_eq!(s.answers, a);
    }

    #[test]
    fn findings_follow_questionnaire_order_and_skip_logic() {
        let q = questionnaire();
        let a = answers(&[
            ("attended", "no"),
            ("why_not", "Clashed with clinic at SW1A 1AA"),
            ("word", "fine"),
            ("best", "Meeting Sister O'Brien"),
            ("more", "hidden: 07700 900123"),
        ]);
        let f = findings_by_question(&q, &a, &Detector::default());
        let ids: Vec<_> = f.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["why_not", "best"]);
        assert_eq!(f[0].1[0].kind, IdentifierKind::Postcode);
        assert_eq!(&a["best"].as_text().unwrap()[f[1].1[0].start..f[1].1[0].end], "Sister O'Brien");
    }

    #[test]
    fn no_language_unless_the_config_opts_in() {
        let q = Questionnaire::from_json(include_str!("../../../public/questionnaires/balint-end-of-cohort.json")).unwrap();
        let a = answers(&[("valued", "the cases")]);
        let build = |lang| build_submission(&q, &a, &Detector::default(), "x".into(), "2026-11".into(), "1", lang);
        let plain = build_submission(&q, &a, &Detector::default(), "x".into(), "2026-11".into(), "1", None);
        assert_eq!(plain.language, None);
        assert!(!plain.to_json().to_text().contains("language"), "no language field by default");
        let off = crate::Config::from_json(r#"{"questionnaire":"q.json","endpoint":"/api"}"#).unwrap();
        let on = crate::Config::from_json(r#"{"questionnaire":"q.json","endpoint":"/api","record_language":true}"#).unwrap();
        assert_eq!(build(off.language_to_record("cy")), plain, "the default config records nothing");
        let s = build(on.language_to_record("cy"));
        assert_eq!(s.language.as_deref(), Some("cy"));
        assert!(s.to_json().to_text().ends_with(r#","language":"cy"}"#));
        assert_eq!(crate::Submission::from_json(&s.to_json().to_text()).unwrap(), s, "round trip");
        // Never a tag the questionnaire does not declare (a test pseudo-locale).
        assert_eq!(build(on.language_to_record("en-XA")).language, None);
    }

    #[test]
    fn custom_words_reach_the_payload() {
        let q = questionnaire();
        let d = Detector::new(&[], &["Larkspur Ward".into()]);
        let a = answers(&[("attended", "no"), ("best", "the larkspur ward team")]);
        let s = build_submission(&q, &a, &d, "x".into(), "2026-11".into(), "1", None);
        assert_eq!(s.answers["best"], Answer::Text("the [identifier] team".into()));
    }
}
