//! The report over real HTTP: sign-in, session cookie, CSRF, the failure
//! lock, sign-out, headers, and the research exports (R parsed by Rscript
//! when R is installed).

mod common;

use collector::report::routes::REPORT_CSP;
use common::*;
use reqwest::redirect::Policy;
use serde_json::{json, Value};

fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(Policy::none()).build().unwrap()
}

/// `name=value` of a Set-Cookie header, and the whole header.
fn set_cookie(res: &reqwest::Response, name: &str) -> Option<(String, String)> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| (v.split(';').next().unwrap().to_owned(), v.to_owned()))
}

fn hidden_field(html: &str, name: &str) -> String {
    let at = html.find(&format!("name=\"{name}\" value=\"")).expect("hidden field") + name.len() + 15;
    html[at..].split('"').next().unwrap().to_owned()
}

struct Browser {
    c: reqwest::Client,
    base: String,
}

impl Browser {
    /// Opens the sign-in form: (csrf cookie pair, csrf field).
    async fn form(&self) -> (String, String) {
        let res = self.c.get(format!("{}/report/sign-in", self.base)).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let (pair, _) = set_cookie(&res, "cs_report_csrf").expect("csrf cookie");
        let html = res.text().await.unwrap();
        (pair, hidden_field(&html, "csrf"))
    }

    async fn post_sign_in(&self, cookie: &str, csrf: &str, token: &str) -> reqwest::Response {
        self.c
            .post(format!("{}/report/sign-in", self.base))
            .header("cookie", cookie)
            .header("origin", &self.base)
            .form(&[("token", token), ("csrf", csrf)])
            .send()
            .await
            .unwrap()
    }

    async fn get(&self, path: &str, cookie: &str) -> reqwest::Response {
        self.c.get(format!("{}{path}", self.base)).header("cookie", cookie).send().await.unwrap()
    }
}

async fn with_rows(s: &TestServer, n: usize) {
    for i in 0..n {
        let mut a = balint_answers();
        a["valued"] = json!(format!("Answer number {i}"));
        assert_eq!(s.post(&submission("balint-end-of-cohort", "1", a)).await.0, 201);
    }
}

#[tokio::test]
async fn sign_in_session_and_sign_out() {
    let s = TestServer::start().await;
    with_rows(&s, 12).await;
    let b = Browser { c: client(), base: s.base.clone() };

    // No session: the report redirects to sign-in.
    let res = b.get("/report", "").await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/report/sign-in");

    let (cookie, csrf) = b.form().await;
    // The token never travels in a URL: the form posts it.
    let res = b.c.get(format!("{}/report/sign-in", s.base)).send().await.unwrap();
    let html = res.text().await.unwrap();
    assert!(html.contains("method=\"post\" action=\"/report/sign-in\"") && html.contains("type=\"password\""), "{html}");

    // Wrong token: 401 and the form again.
    let res = b.post_sign_in(&cookie, &csrf, "wrong").await;
    assert_eq!(res.status(), 401);
    assert!(set_cookie(&res, "cs_report_session").is_none());
    assert!(res.text().await.unwrap().contains("not right"));

    // Right token, and the session cookie is short-lived and locked down.
    let (cookie, csrf) = b.form().await;
    let res = b.post_sign_in(&cookie, &csrf, TOKEN).await;
    assert_eq!(res.status(), 303);
    let (session, header) = set_cookie(&res, "cs_report_session").unwrap();
    for attr in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/", "Max-Age=1800"] {
        assert!(header.contains(attr), "{attr} missing: {header}");
    }

    let res = b.get("/report", &session).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-security-policy"], REPORT_CSP);
    assert_eq!(res.headers()["cache-control"], "no-store");
    // So a browser's form POST carries a real Origin (with no-referrer it is "null").
    assert_eq!(res.headers()["referrer-policy"], "same-origin");
    let page = res.text().await.unwrap();
    assert!(page.contains("<svg") && page.contains("<table>"), "charts and tables");
    assert!(page.contains("id=\"responses\">12<"), "header count");
    assert!(page.contains("Answer number 3"), "free text listed");
    assert!(!page.contains(TOKEN), "the token is never echoed");
    assert!(!page.contains("style=") && !page.contains("<script"), "nothing inline for the CSP to block");

    // The stylesheet and the session-reads work with the cookie alone.
    assert_eq!(b.get("/report/report.css", "").await.status(), 200);
    assert_eq!(b.get("/api/report.json", &session).await.status(), 200);
    assert_eq!(b.get("/api/submissions.csv", &session).await.status(), 200);
    assert_eq!(b.get("/api/report.json", "").await.status(), 401);

    // Sign-out needs the session's CSRF token.
    let res = b.c.post(format!("{}/report/sign-out", s.base)).header("cookie", &session).form(&[("csrf", "forged")]).send().await.unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(b.get("/report", &session).await.status(), 200, "still signed in");
    let csrf = hidden_field(&page, "csrf");
    let res =
        b.c.post(format!("{}/report/sign-out", s.base)).header("cookie", &session).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(res.status(), 303);
    assert!(set_cookie(&res, "cs_report_session").unwrap().1.contains("Max-Age=0"));
    // The old cookie no longer opens anything.
    assert_eq!(b.get("/report", &session).await.status(), 303);
    assert_eq!(b.get("/api/report.json", &session).await.status(), 401);
    s.stop().await;
}

#[tokio::test]
async fn csrf_and_cross_site_sign_in_are_refused() {
    let s = TestServer::start().await;
    let b = Browser { c: client(), base: s.base.clone() };
    let (cookie, csrf) = b.form().await;
    // Field without the matching cookie.
    assert_eq!(b.post_sign_in("", &csrf, TOKEN).await.status(), 403);
    // Cookie with another field.
    assert_eq!(b.post_sign_in(&cookie, "other", TOKEN).await.status(), 403);
    // Another site's form.
    let res =
        b.c.post(format!("{}/report/sign-in", s.base))
            .header("cookie", &cookie)
            .header("origin", "https://evil.example")
            .form(&[("token", TOKEN), ("csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
    assert_eq!(res.status(), 403);
    assert!(set_cookie(&res, "cs_report_session").is_none());
    s.stop().await;
}

#[tokio::test]
async fn failed_attempts_lock_sign_in() {
    let s = TestServer::start_with(|c| c.report_sign_in_attempts = 3).await;
    let b = Browser { c: client(), base: s.base.clone() };
    for _ in 0..3 {
        let (cookie, csrf) = b.form().await;
        assert_eq!(b.post_sign_in(&cookie, &csrf, "guess").await.status(), 401);
    }
    // Locked: even the right token waits.
    let (cookie, csrf) = b.form().await;
    let res = b.post_sign_in(&cookie, &csrf, TOKEN).await;
    assert_eq!(res.status(), 429);
    let retry: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry > 800 && retry <= 900, "{retry}");
    assert!(set_cookie(&res, "cs_report_session").is_none());
    // The bearer-token API is not affected.
    assert_eq!(s.client.get(s.url("/api/report.json")).bearer_auth(TOKEN).send().await.unwrap().status(), 200);
    s.stop().await;
}

#[tokio::test]
async fn report_json_keeps_the_same_rules() {
    let s = TestServer::start().await;
    with_rows(&s, 9).await;
    let json: Value = serde_json::from_str(&s.export("/api/report.json?questionnaire=balint-end-of-cohort").await).unwrap();
    assert_eq!(json["responses"], 9);
    assert_eq!(json["k"], 10);
    let overall = json["questions"].as_array().unwrap().iter().find(|q| q["id"] == "overall").unwrap();
    assert_eq!(overall["all"]["n"], Value::Null);
    assert!(overall["all"]["counts"].as_array().unwrap().iter().all(Value::is_null));
    assert!(!json.to_string().contains("Answer number"), "no free text under k");
    with_rows(&s, 1).await;
    let json: Value = serde_json::from_str(&s.export("/api/report.json").await).unwrap();
    let overall = json["questions"].as_array().unwrap().iter().find(|q| q["id"] == "overall").unwrap();
    assert_eq!(overall["all"]["counts"][3], 10);
    // Bad selections are a clear 400.
    let res = s.client.get(s.url("/api/report.json?by=sessions")).bearer_auth(TOKEN).send().await.unwrap();
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("single-choice"));
    // The free-text CSV for coding: id, question, text.
    let csv = s.export("/api/report/free-text.csv").await;
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("submission_id,question_id,question,text"));
    assert_eq!(csv.lines().filter(|l| l.contains(",valued,")).count(), 10);
    s.stop().await;
}

#[tokio::test]
async fn codebook_in_the_language_asked_for() {
    let s = TestServer::start_with(|c| {
        std::fs::write(
            c.questionnaires_dir.join("bilingual.json"),
            r#"{"id":"bilingual","version":"1","title":{"en":"Feedback","cy":"Adborth"},"sections":[{"id":"s","title":{"en":"Main","cy":"Prif"},
               "questions":[{"id":"q","type":"single","text":{"en":"How was it?","cy":"Sut oedd e?"},
               "options":[{"value":"1","label":{"en":"Bad","cy":"Gwael"}},{"value":"2","label":{"en":"Good","cy":"Da"}}]}]}]}"#,
        )
        .unwrap();
    })
    .await;
    let cy = s.export("/api/codebook.csv?lang=cy").await;
    assert!(cy.contains("Sut oedd e?") && cy.contains("1=Gwael;2=Da"), "{cy}");
    let en = s.export("/api/codebook.csv").await;
    assert!(en.contains("How was it?") && !en.contains("Gwael"));
    let json: Value = serde_json::from_str(&s.export("/api/codebook.json?lang=cy").await).unwrap();
    assert!(json.as_array().unwrap().iter().any(|e| e["question"] == "Sut oedd e?"));
    let res = s.client.get(s.url("/api/codebook.csv?lang=fr")).bearer_auth(TOKEN).send().await.unwrap();
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("available: cy, en"));
    // The R script's labels follow the language too.
    assert!(s.export("/api/submissions.R?lang=cy").await.contains("Sut oedd e?"));
    s.stop().await;
}

#[tokio::test]
async fn spss_syntax_carries_the_labels() {
    let s = TestServer::start().await;
    with_rows(&s, 2).await;
    let sps = s.export("/api/submissions.sps").await;
    assert!(sps.starts_with('\u{feff}'), "UTF-8 byte-order mark for SPSS");
    let csv = s.export("/api/submissions.csv").await;
    // GET DATA lists every CSV column, in order.
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let vars: Vec<&str> = sps
        .split("/VARIABLES=\n")
        .nth(1)
        .unwrap()
        .lines()
        .take_while(|l| l.starts_with("    "))
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    let expected: Vec<String> = header.iter().map(|h| h.replace('-', "_")).collect();
    assert_eq!(vars, expected);
    for needle in [
        "VARIABLE LABELS\n  submission_id 'Random UUID v4",
        "group 'Which group were you in?'",
        "agreement.safe 'How far do you agree with each statement about the group? – The group felt like a safe place to share difficult experiences.'",
        "VALUE LABELS group\n  'monday-early' 'Monday early evening'",
        "MISSING VALUES group ('prefer_not_to_say').",
        "RECODE agreement.safe ('prefer_not_to_say'='-9').\nALTER TYPE agreement.safe (F8.0).",
        "VALUE LABELS agreement.safe\n  1 'Strongly disagree'",
        "  -9 'Prefer not to say'",
        "MISSING VALUES agreement.safe (-9).",
        "sessions F10.3",
        "VALUE LABELS consent 'true' 'Agreed'",
        "COMPUTE many.x = CHAR.INDEX(CONCAT(';', RTRIM(many), ';'), ';x;') > 0.",
    ] {
        assert!(sps.contains(needle), "missing {needle:?} in\n{sps}");
    }
    s.stop().await;
}

#[tokio::test]
async fn r_script_loads_the_csv_with_labels() {
    let s = TestServer::start().await;
    with_rows(&s, 3).await;
    assert_eq!(s.post(&submission("kitchen-sink", "1", sink_answers())).await.0, 201);
    let script = s.export("/api/submissions.R").await;
    for needle in [
        "d <- utils::read.csv(csv_file, colClasses = \"character\"",
        "d[[\"group.factor\"]] <- label(factor(d[[\"group\"]], levels = c(\"monday-early\"",
        "\"Prefer not to say\")",
        "d[[\"agreement.safe\"]] <- label(as.numeric(ifelse(d[[\"agreement.safe\"]] == pnts, NA,",
        "d[[\"sessions\"]] <- label(as.numeric(d[[\"sessions\"]]), \"How many of the 6 sessions did you attend?\")",
        "d[[\"many.x\"]] <- label(",
    ] {
        assert!(script.contains(needle), "missing {needle:?} in\n{script}");
    }
    let Some(rscript) = which("Rscript") else {
        eprintln!(
            "skipped: Rscript is not installed, so the R script was checked for its labels only (apt-get install r-base-core to run it)"
        );
        s.stop().await;
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("submissions.csv"), s.export("/api/submissions.csv").await).unwrap();
    std::fs::write(dir.path().join("submissions.R"), &script).unwrap();
    let check = "source('submissions.R'); stopifnot(nrow(d) == 4, attr(d$group, 'label') == 'Which group were you in?', \
                 levels(d$group.factor)[3] == 'Wednesday lunchtime', sum(d$group.factor == 'Wednesday lunchtime', na.rm = TRUE) == 3, \
                 is.numeric(d$agreement.ethics), all(is.na(d$agreement.ethics[1:3])), d$many.x[4], !d$many.w[4]); cat('ok')";
    let out = std::process::Command::new(rscript).args(["--vanilla", "-e", check]).current_dir(dir.path()).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && stdout.ends_with("ok"), "Rscript: {}\n{stdout}", String::from_utf8_lossy(&out.stderr));
    s.stop().await;
}

fn which(cmd: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH").and_then(|p| std::env::split_paths(&p).map(|d| d.join(cmd)).find(|f| f.is_file()))
}
