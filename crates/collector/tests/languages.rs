//! Languages at the receiver: the optional `language` of a submission
//! (accepted only when it is one of the questionnaire's), and exports, the
//! codebook and the report with labels in any language the questionnaire has.

mod common;

use common::*;
use serde_json::Value;

/// A v2 submission to the shipped (English and Welsh) questionnaire.
fn v2(language: Option<&str>) -> Value {
    let mut a = balint_answers();
    // Version 2 splits the agreement grid over two pages.
    let grid = a["agreement"].as_object().unwrap().clone();
    let (first, second): (Vec<_>, Vec<_>) =
        grid.into_iter().partition(|(k, _)| ["safe", "learned", "community", "pace"].contains(&k.as_str()));
    a["agreement"] = Value::Object(first.into_iter().collect());
    a["agreement_sessions"] = Value::Object(second.into_iter().collect());
    let mut s = submission("balint-end-of-cohort", "2", a);
    if let Some(l) = language {
        s["language"] = Value::String(l.into());
    }
    s
}

#[tokio::test]
async fn export_with_lang_cy_gives_welsh_labels() {
    let s = TestServer::start().await;
    assert_eq!(s.post(&v2(None)).await.0, 201);
    // Codes without ?lang=, as before.
    let codes = s.export("/api/submissions.csv").await;
    assert!(codes.contains(",wednesday,") && !codes.contains("Amser cinio"), "{codes}");
    let cy = s.export("/api/submissions.csv?lang=cy").await;
    let header: Vec<&str> = cy.lines().next().unwrap().split(',').collect();
    let row: Vec<&str> = cy.lines().nth(1).unwrap().split(',').collect();
    let at = |col: &str| row[header.iter().position(|h| *h == col).unwrap_or_else(|| panic!("no column {col}"))];
    assert_eq!(at("group"), "Amser cinio dydd Mercher");
    assert_eq!(at("overall"), "Cadarnhaol");
    assert_eq!(at("agreement.safe"), "Cytuno'n gryf");
    assert_eq!(at("agreement_sessions.ethics"), "Mae'n well gennyf beidio â dweud", "the app's own words, in Welsh");
    assert_eq!(at("sessions"), "5", "numbers stay numbers");
    let en = s.export("/api/submissions.csv?lang=en").await;
    assert!(en.contains("Wednesday lunchtime") && en.contains("Prefer not to say"));
    let json: Value = serde_json::from_str(&s.export("/api/submissions.json?lang=cy").await).unwrap();
    assert_eq!(json["rows"][0]["group"], "Amser cinio dydd Mercher");
    assert_eq!(json["rows"][0]["sessions"], 5);
    // The codebook and the R/SPSS labels follow the language too.
    let book = s.export("/api/codebook.csv?lang=cy").await;
    assert!(book.contains("Ym mha grŵp oeddech chi?") && book.contains("prefer_not_to_say=Mae'n well gennyf beidio â dweud"));
    assert!(s.export("/api/submissions.sps?lang=cy").await.contains("Ym mha grŵp oeddech chi?"));
    s.stop().await;
}

#[tokio::test]
async fn an_unknown_lang_is_a_clear_400_everywhere() {
    let s = TestServer::start().await;
    for path in [
        "/api/submissions.csv?lang=fr",
        "/api/submissions.json?lang=fr",
        "/api/codebook.json?lang=fr",
        "/api/submissions.R?lang=fr",
        "/api/report.json?lang=fr",
    ] {
        let res = s.client.get(s.url(path)).bearer_auth(TOKEN).send().await.unwrap();
        assert_eq!(res.status(), 400, "{path}");
        let body = res.text().await.unwrap();
        assert!(body.contains("fr") && body.contains("available: cy, en"), "{path}: {body}");
    }
    // Without the token it is still a 401, telling nothing about languages.
    let res = s.client.get(s.url("/api/submissions.csv?lang=fr")).send().await.unwrap();
    assert_eq!(res.status(), 401);
    s.stop().await;
}

#[tokio::test]
async fn the_report_speaks_the_language_asked_for() {
    let s = TestServer::start().await;
    assert_eq!(s.post(&v2(None)).await.0, 201);
    let cy: Value = serde_json::from_str(&s.export("/api/report.json?questionnaire=balint-end-of-cohort&lang=cy").await).unwrap();
    assert_eq!(cy["title"], "Grwpiau Balint: adborth diwedd y garfan");
    let text = cy.to_string();
    assert!(text.contains("Ym mha grŵp oeddech chi?") && text.contains("Cytuno'n gryf") && !text.contains("Strongly agree"));
    let en: Value = serde_json::from_str(&s.export("/api/report.json?questionnaire=balint-end-of-cohort").await).unwrap();
    assert_eq!(en["title"], "Balint groups: end-of-cohort feedback");
    s.stop().await;
}

#[tokio::test]
async fn no_language_column_unless_a_response_recorded_one() {
    let s = TestServer::start().await;
    assert_eq!(s.post(&v2(None)).await.0, 201);
    let header = s.export("/api/submissions.csv").await.lines().next().unwrap().to_owned();
    assert!(!header.split(',').any(|c| c == "language"), "{header}");
    // A school that opted in: the language is stored and exported.
    let (status, body) = s.post(&v2(Some("cy"))).await;
    assert_eq!(status, 201, "{body}");
    let csv = s.export("/api/submissions.csv").await;
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let col = header.iter().position(|c| *c == "language").expect("a language column");
    let langs: Vec<&str> = csv.lines().skip(1).map(|l| l.split(',').nth(col).unwrap()).collect();
    assert_eq!(langs, ["", "cy"]);
    s.stop().await;
}

#[tokio::test]
async fn a_language_the_questionnaire_does_not_offer_is_refused() {
    let s = TestServer::start().await;
    let (status, body) = s.post(&v2(Some("fr"))).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"], "invalid_language", "{body}");
    // v1 is English only.
    let mut old = balint_submission();
    old["language"] = Value::String("cy".into());
    assert_eq!(s.post(&old).await.0, 422);
    old["language"] = Value::String("en".into());
    old["submission_id"] = Value::String(new_id());
    assert_eq!(s.post(&old).await.0, 201);
    s.stop().await;
}

#[test]
fn the_report_page_offers_the_questionnaires_languages_and_keeps_the_choice() {
    use collector::report::{build, html, Selection};
    let dir = workdir();
    let known = collector::Questionnaires::load_dir(&dir.path().join("questionnaires")).unwrap();
    let sel = Selection { questionnaire: Some("balint-end-of-cohort".into()), lang: Some("cy".into()), ..Selection::default() };
    let r = build(&known, &[], sel.clone(), 10).unwrap();
    let langs = collector::export::languages(&known);
    let page = html::report(&r, &sel, "csrf", &langs);
    assert!(page.contains("Grwpiau Balint: adborth diwedd y garfan"), "the title in Welsh");
    assert!(page.contains(r#"<select id="f-lang" name="lang">"#) && page.contains(r#"<option value="cy" selected>cy</option>"#));
    // Downloads and the filters' links keep the language.
    assert!(page.contains("/api/report.json?questionnaire=balint-end-of-cohort&amp;lang=cy"), "{page}");
    let unknown = Selection { lang: Some("fr".into()), ..Selection::default() };
    assert_eq!(
        build(&known, &[], unknown, 10).unwrap_err().to_string(),
        r#"the questionnaires have no texts in "fr"; languages available: cy, en"#
    );
}
