//! The receiver over real HTTP on loopback, with a temporary SQLite file.

mod common;

use common::*;
use serde_json::{json, Value};

// ------------------------------------------------------------- accepting ---

#[tokio::test]
async fn accepted_submission_appears_in_both_exports() {
    let s = TestServer::start().await;
    let body = balint_submission();
    let id = body["submission_id"].as_str().unwrap().to_owned();
    let (status, res) = s.post(&body).await;
    assert_eq!(status, 201, "{res}");
    assert_eq!(res["status"], "received");
    assert_eq!(res["receipt"]["submission_id"], id);
    assert!(res["receipt"]["digest"].as_str().unwrap().starts_with("sha256:"));

    let csv = s.export("/api/submissions.csv").await;
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("submission_id,questionnaire_id,questionnaire_version,period,app_version,"), "{header}");
    assert!(header.contains(",agreement.safe,") && header.contains(",agreement.anxious,"), "{header}");
    assert!(!header.contains("agreement,"), "likert has one column per statement: {header}");
    let row = lines.next().expect("one row");
    assert!(row.starts_with(&format!("{id},balint-end-of-cohort,1,{},0.1.0,wednesday,5,", period())), "{row}");
    assert!(lines.next().is_none());

    let json: Value = serde_json::from_str(&s.export("/api/submissions.json").await).unwrap();
    let rows = json["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["submission_id"], id);
    assert_eq!(rows[0]["sessions"], 5);
    assert_eq!(rows[0]["agreement.ethics"], "prefer_not_to_say");
    assert_eq!(rows[0]["consent"], true);
    assert_eq!(rows[0]["attendance_barriers"], Value::Null);
    assert_eq!(json["columns"][0], "submission_id");
    s.stop().await;
}

#[tokio::test]
async fn codebook_describes_columns() {
    let s = TestServer::start().await;
    let book: Value = serde_json::from_str(&s.export("/api/codebook.json").await).unwrap();
    let entries = book.as_array().unwrap();
    let anxious = entries
        .iter()
        .find(|e| e["questionnaire_id"] == "balint-end-of-cohort" && e["column"] == "agreement.anxious")
        .expect("anxious statement");
    assert_eq!(anxious["reverse_scored"], true);
    assert_eq!(anxious["type"], "likert");
    assert_eq!(anxious["options"][0], json!({"value": "1", "label": "Strongly disagree"}));
    assert!(anxious["statement"].as_str().unwrap().contains("anxious"));
    let barriers = entries.iter().find(|e| e["column"] == "attendance_barriers").unwrap();
    assert_eq!(barriers["conditional"], true);
    assert!(entries.iter().any(|e| e["column"] == "period" && e["type"] == "meta"));
    assert!(!entries.iter().any(|e| e["column"] == "note"), "info questions have no column");

    let csv = s.export("/api/codebook.csv").await;
    assert!(csv.starts_with("questionnaire_id,questionnaire_version,column,section,question,statement,type,required,conditional,reverse_scored,options,min,max,step"));
    assert!(csv.contains("1=Strongly disagree;2=Disagree"), "{csv}");
    s.stop().await;
}

#[tokio::test]
async fn exports_union_columns_over_versions_and_join_multiple_choice() {
    let s = TestServer::start().await;
    assert_eq!(s.post(&submission("kitchen-sink", "1", sink_answers())).await.0, 201);
    let v2 = submission("kitchen-sink", "2", json!({"pick": "b", "extra": "new", "agree": true}));
    assert_eq!(s.post(&v2).await.0, 201);
    let csv = s.export("/api/submissions.csv").await;
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    for col in ["many", "long", "grid.s1", "grid.s2", "extra", "agree"] {
        assert!(headers.iter().any(|h| h == col), "missing {col} in {headers:?}");
    }
    assert!(!headers.iter().any(|h| h == "note"));
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(&rows[0][col("many")], "x;y");
    assert_eq!(&rows[0][col("count")], "2.5");
    assert_eq!(&rows[0][col("extra")], "");
    assert_eq!(&rows[1][col("extra")], "new");
    assert_eq!(&rows[1][col("questionnaire_version")], "2");
    s.stop().await;
}

#[tokio::test]
async fn csv_guards_against_formula_injection() {
    let s = TestServer::start().await;
    let mut answers = sink_answers();
    answers["long"] = json!("=HYPERLINK(\"x\")");
    answers["short"] = json!("@cmd");
    s.post(&submission("kitchen-sink", "1", answers)).await;
    let csv = s.export("/api/submissions.csv").await;
    assert!(csv.contains("\"'=HYPERLINK(\"\"x\"\")\""), "{csv}");
    assert!(csv.contains(",'@cmd,"), "{csv}");
    // JSON keeps the text as sent.
    let json = s.export("/api/submissions.json").await;
    assert!(json.contains(r#""=HYPERLINK(\"x\")""#), "{json}");
    s.stop().await;
}

// ------------------------------------------------------------ idempotency ---

#[tokio::test]
async fn identical_repeat_is_already_received() {
    let s = TestServer::start().await;
    let body = balint_submission();
    assert_eq!(s.post(&body).await.0, 201);
    let (status, res) = s.post(&body).await;
    assert_eq!(status, 200);
    assert_eq!(res["status"], "already_received");

    // Same content, different key order and whitespace: still the same.
    let id = body["submission_id"].as_str().unwrap();
    let mut fields: Vec<(String, Value)> = body.as_object().unwrap().clone().into_iter().collect();
    fields.reverse();
    let reordered = format!("{{\n  {}\n}}", fields.iter().map(|(k, v)| format!("{:?} : {}", k, v)).collect::<Vec<_>>().join(",\n  "));
    let (status, _) = s.post_raw(reordered, Some(id), Some("application/json")).await;
    assert_eq!(status, 200);

    let json: Value = serde_json::from_str(&s.export("/api/submissions.json").await).unwrap();
    assert_eq!(json["rows"].as_array().unwrap().len(), 1);
    s.stop().await;
}

#[tokio::test]
async fn same_id_different_body_is_409() {
    let s = TestServer::start().await;
    let body = balint_submission();
    assert_eq!(s.post(&body).await.0, 201);
    let mut changed = body.clone();
    changed["answers"]["recommend"] = json!(2);
    let (status, res) = s.post(&changed).await;
    assert_eq!(status, 409, "{res}");
    assert_eq!(res["error"], "conflict");
    // A repeat of an accepted id whose new content is also invalid is still a
    // conflict with the stored state, not a validation problem.
    let mut invalid = body.clone();
    invalid["answers"]["recommend"] = json!(99);
    assert_eq!(s.post(&invalid).await.0, 409);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_identical_posts_make_one_row() {
    let s = TestServer::start().await;
    let body = balint_submission();
    let key = body["submission_id"].as_str().unwrap().to_owned();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let req = s.client.post(s.url("/api/submissions")).header("Idempotency-Key", &key).json(&body);
        tasks.spawn(async move { req.send().await.map(|r| r.status().as_u16()) });
    }
    let mut statuses = Vec::new();
    while let Some(r) = tasks.join_next().await {
        statuses.push(r.unwrap().unwrap());
    }
    statuses.sort();
    assert_eq!(statuses, [200, 200, 200, 200, 200, 200, 200, 201]);
    let json: Value = serde_json::from_str(&s.export("/api/submissions.json").await).unwrap();
    assert_eq!(json["rows"].as_array().unwrap().len(), 1);
    s.stop().await;
}

// ------------------------------------------------------ framing (400/413) ---

#[tokio::test]
async fn idempotency_key_missing_or_mismatched_is_400() {
    let s = TestServer::start().await;
    let body = balint_submission();
    let (status, res) = s.post_raw(body.to_string(), None, Some("application/json")).await;
    assert_eq!((status, res["error"].as_str()), (400, Some("missing_idempotency_key")));
    let (status, res) = s.post_raw(body.to_string(), Some(&new_id()), Some("application/json")).await;
    assert_eq!((status, res["error"].as_str()), (400, Some("idempotency_key_mismatch")));
    assert!(res["message"].as_str().unwrap().contains("Idempotency-Key"));
    s.stop().await;
}

#[tokio::test]
async fn submission_id_must_be_uuid_v4() {
    let s = TestServer::start().await;
    let mut body = balint_submission();
    body["submission_id"] = json!("0f8fad5b-d9cb-169f-a165-70867728950e");
    let (status, res) = s.post(&body).await;
    assert_eq!((status, res["error"].as_str()), (400, Some("invalid_submission_id")));
    s.stop().await;
}

#[tokio::test]
async fn malformed_json_and_wrong_shapes_are_400() {
    let s = TestServer::start().await;
    let id = new_id();
    let (status, res) = s.post_raw("{\"format\": 1,".into(), Some(&id), Some("application/json")).await;
    assert_eq!((status, res["error"].as_str()), (400, Some("malformed_json")), "{res}");
    assert!(res["message"].as_str().unwrap().contains("not valid JSON"));

    let mut extra = balint_submission();
    extra["user_agent"] = json!("Mozilla");
    let (status, res) = s.post(&extra).await;
    assert_eq!((status, res["error"].as_str()), (400, Some("invalid_body")), "{res}");
    assert!(res["message"].as_str().unwrap().contains("user_agent"));

    let mut wrong = balint_submission();
    wrong["format"] = json!("1");
    assert_eq!(s.post(&wrong).await.0, 400);

    // A key twice in one object: parsers disagree on which wins, so refused.
    let body = balint_submission().to_string();
    let key = balint_submission()["submission_id"].as_str().unwrap().to_owned();
    let doubled = body.replacen("\"answers\":{", "\"answers\":{\"recommend\":0,", 1);
    assert_ne!(doubled, body);
    let (status, res) = s.post_raw(doubled, Some(&key), Some("application/json")).await;
    assert_eq!((status, res["error"].as_str()), (400, Some("malformed_json")), "{res}");
    assert!(res["message"].as_str().unwrap().contains("duplicate key"), "{res}");

    // Nesting deeper than any submission needs is refused, not a stack overflow.
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let (status, res) = s.post_raw(deep, Some(&key), Some("application/json")).await;
    assert_eq!((status, res["error"].as_str()), (400, Some("malformed_json")), "{res}");

    let body = balint_submission();
    let key = body["submission_id"].as_str().unwrap();
    // text/plain is the simple request mode (tests/endpoints.rs); other types are refused.
    let (status, res) = s.post_raw(body.to_string(), Some(key), Some("text/html")).await;
    assert_eq!((status, res["error"].as_str()), (400, Some("unsupported_content_type")));
    let (status, _) = s.post_raw(body.to_string(), Some(key), None).await;
    assert_eq!(status, 400);
    s.stop().await;
}

#[tokio::test]
async fn oversize_body_is_413() {
    let s = TestServer::start().await;
    let mut body = balint_submission();
    body["answers"]["valued"] = json!("x".repeat(70 * 1024));
    let (status, res) = s.post(&body).await;
    assert_eq!((status, res["error"].as_str()), (413, Some("too_large")), "{res}");
    s.stop().await;
}

// -------------------------------------------------------- content (422) ---

#[tokio::test]
async fn unknown_questionnaire_version_is_422_naming_it() {
    let s = TestServer::start().await;
    let (status, res) = s.post(&submission("balint-end-of-cohort", "9", balint_answers())).await;
    assert_eq!((status, res["error"].as_str()), (422, Some("unknown_questionnaire")));
    let msg = res["message"].as_str().unwrap();
    assert!(msg.contains("\"balint-end-of-cohort\"") && msg.contains("\"9\""), "{msg}");
    assert_eq!(res["known_versions"], json!(["1", "2"]));
    let (status, _) = s.post(&submission("nope", "1", json!({}))).await;
    assert_eq!(status, 422);
    s.stop().await;
}

#[tokio::test]
async fn wrong_format_and_period_are_422() {
    let s = TestServer::start().await;
    let mut body = balint_submission();
    body["format"] = json!(2);
    let (status, res) = s.post(&body).await;
    assert_eq!((status, res["error"].as_str()), (422, Some("unsupported_format")));
    for bad in ["2026-13", "yesterday", "2026-11-05", ""] {
        let mut body = balint_submission();
        body["period"] = json!(bad);
        let (status, res) = s.post(&body).await;
        assert_eq!((status, res["error"].as_str()), (422, Some("invalid_period")), "{bad}");
    }
    let mut body = balint_submission();
    body["app_version"] = json!("");
    assert_eq!(s.post(&body).await.0, 422);
    s.stop().await;
}

/// Posts kitchen-sink v1 with `patch` applied and expects one 422 whose
/// errors include `code` for `question`.
async fn expect_refusal(patch: Value, question: &str, code: &str) -> Value {
    let s = TestServer::start().await;
    let mut answers = sink_answers();
    for (k, v) in patch.as_object().unwrap() {
        if v.is_null() {
            answers.as_object_mut().unwrap().remove(k);
        } else {
            answers[k] = v.clone();
        }
    }
    let (status, res) = s.post(&submission("kitchen-sink", "1", answers)).await;
    assert_eq!(status, 422, "{res}");
    assert_eq!(res["error"], "invalid_answers");
    let errors = res["errors"].as_array().unwrap();
    let hit = errors
        .iter()
        .find(|e| e["question"] == question && e["code"] == code)
        .unwrap_or_else(|| panic!("expected {code} on {question}, got {res}"))
        .clone();
    // Nothing refused is stored.
    let json: Value = serde_json::from_str(&s.export("/api/submissions.json").await).unwrap();
    assert!(json["rows"].as_array().unwrap().is_empty());
    s.stop().await;
    hit
}

#[tokio::test]
async fn kitchen_sink_baseline_is_accepted() {
    let s = TestServer::start().await;
    let (status, res) = s.post(&submission("kitchen-sink", "1", sink_answers())).await;
    assert_eq!(status, 201, "{res}");
    s.stop().await;
}

#[tokio::test]
async fn refuses_required() {
    expect_refusal(json!({"pick": null}), "pick", "required").await;
}

#[tokio::test]
async fn refuses_wrong_type() {
    let e = expect_refusal(json!({"score": "five"}), "score", "wrong_type").await;
    assert_eq!(e["expected"], "number");
}

#[tokio::test]
async fn refuses_not_an_option() {
    let e = expect_refusal(json!({"pick": "d"}), "pick", "not_an_option").await;
    assert_eq!(e["value"], "d");
}

#[tokio::test]
async fn refuses_unknown_statement() {
    expect_refusal(json!({"grid": {"s1": "1", "s2": "2", "s9": "1"}}), "grid", "unknown_statement").await;
}

#[tokio::test]
async fn refuses_incomplete() {
    let e = expect_refusal(json!({"grid": {"s1": "1"}}), "grid", "incomplete").await;
    assert_eq!(e["missing"], json!(["s2"]));
}

#[tokio::test]
async fn refuses_too_few_selections() {
    let e = expect_refusal(json!({"many": ["x"]}), "many", "too_few_selections").await;
    assert_eq!(e["min"], 2);
}

#[tokio::test]
async fn refuses_too_many_selections() {
    let e = expect_refusal(json!({"many": ["x", "y", "z", "w"]}), "many", "too_many_selections").await;
    assert_eq!(e["max"], 3);
}

#[tokio::test]
async fn refuses_duplicate_selection() {
    expect_refusal(json!({"many": ["x", "x"]}), "many", "duplicate_selection").await;
}

#[tokio::test]
async fn refuses_below_min() {
    expect_refusal(json!({"count": -1}), "count", "below_min").await;
}

#[tokio::test]
async fn refuses_above_max() {
    let e = expect_refusal(json!({"score": 11}), "score", "above_max").await;
    assert_eq!(e["max"], 10.0);
}

#[tokio::test]
async fn refuses_not_a_step() {
    expect_refusal(json!({"count": 0.3}), "count", "not_a_step").await;
}

#[tokio::test]
async fn refuses_not_whole() {
    expect_refusal(json!({"score": 2.5}), "score", "not_whole").await;
}

#[tokio::test]
async fn refuses_too_short() {
    expect_refusal(json!({"short": "ab"}), "short", "too_short").await;
}

#[tokio::test]
async fn refuses_too_long() {
    let e = expect_refusal(json!({"long": "x".repeat(41)}), "long", "too_long").await;
    assert_eq!(e["max"], 40);
}

#[tokio::test]
async fn refuses_consent_required() {
    expect_refusal(json!({"agree": false}), "agree", "consent_required").await;
}

#[tokio::test]
async fn refuses_unknown_question() {
    expect_refusal(json!({"bogus": "x"}), "bogus", "unknown_question").await;
}

#[tokio::test]
async fn refuses_not_shown() {
    // followup is shown only when pick is "a".
    expect_refusal(json!({"pick": "b"}), "followup", "not_shown").await;
}

// ------------------------------------------------------------------ CORS ---

#[tokio::test]
async fn cors_preflight_allows_listed_origin_only() {
    let s = TestServer::start().await;
    let preflight = |origin: &'static str| {
        s.client
            .request(reqwest::Method::OPTIONS, s.url("/api/submissions"))
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "content-type,idempotency-key")
            .send()
    };
    let ok = preflight("https://survey.example.org").await.unwrap();
    assert!(ok.status().is_success());
    let h = ok.headers();
    assert_eq!(h["access-control-allow-origin"], "https://survey.example.org");
    let methods = h["access-control-allow-methods"].to_str().unwrap().to_ascii_uppercase();
    assert!(methods.contains("POST"), "{methods}");
    let allowed = h["access-control-allow-headers"].to_str().unwrap().to_ascii_lowercase();
    assert!(allowed.contains("content-type") && allowed.contains("idempotency-key"), "{allowed}");
    assert!(h.get("access-control-allow-credentials").is_none());

    for refused in ["https://evil.example", "https://survey.example.org.evil.example", "null"] {
        let res = preflight(refused).await.unwrap();
        assert!(res.headers().get("access-control-allow-origin").is_none(), "{refused}");
    }

    // The actual POST from the allowed origin carries the header too.
    let body = balint_submission();
    let res = s
        .client
        .post(s.url("/api/submissions"))
        .header("Origin", "https://survey.example.org")
        .header("Idempotency-Key", body["submission_id"].as_str().unwrap())
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    assert_eq!(res.headers()["access-control-allow-origin"], "https://survey.example.org");
    s.stop().await;
}

#[tokio::test]
async fn cors_extra_allowed_headers_from_config() {
    let s = TestServer::start_with(|c| c.extra_allowed_headers = vec!["x-survey-school".into()]).await;
    let res = s
        .client
        .request(reqwest::Method::OPTIONS, s.url("/api/submissions"))
        .header("Origin", "https://survey.example.org")
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "x-survey-school")
        .send()
        .await
        .unwrap();
    let allowed = res.headers()["access-control-allow-headers"].to_str().unwrap().to_ascii_lowercase();
    assert!(allowed.contains("x-survey-school"), "{allowed}");
    s.stop().await;
}

// --------------------------------------------------------------- exports ---

#[tokio::test]
async fn exports_need_the_right_token() {
    let s = TestServer::start().await;
    for path in ["/api/submissions.csv", "/api/submissions.json", "/api/codebook.csv", "/api/codebook.json"] {
        let none = s.client.get(s.url(path)).send().await.unwrap();
        assert_eq!(none.status(), 401, "{path}");
        assert!(none.headers()["www-authenticate"].to_str().unwrap().starts_with("Bearer"));
        let wrong = s.client.get(s.url(path)).bearer_auth("wrong").send().await.unwrap();
        assert_eq!(wrong.status(), 401, "{path}");
        assert!(wrong.headers()["www-authenticate"].to_str().unwrap().contains("invalid_token"));
        let basic = s.client.get(s.url(path)).basic_auth("u", Some(TOKEN)).send().await.unwrap();
        assert_eq!(basic.status(), 401, "{path}");
        let right = s.client.get(s.url(path)).bearer_auth(TOKEN).send().await.unwrap();
        assert_eq!(right.status(), 200, "{path}");
        assert_eq!(right.headers()["cache-control"], "no-store");
    }
    s.stop().await;
}

#[tokio::test]
async fn exports_disabled_without_a_token() {
    let s = TestServer::start_with(|c| c.export_token = None).await;
    let res = s.client.get(s.url("/api/submissions.csv")).bearer_auth("anything").send().await.unwrap();
    assert_eq!(res.status(), 403);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"], "exports_disabled");
    assert!(body["message"].as_str().unwrap().contains("COLLECTOR_EXPORT_TOKEN"));
    s.stop().await;
}

// ------------------------------------------------------------- lifecycle ---

#[tokio::test]
async fn restart_keeps_the_data() {
    let dir = workdir();
    let s = TestServer::start_config(config_in(dir.path())).await;
    let body = balint_submission();
    let id = body["submission_id"].as_str().unwrap().to_owned();
    assert_eq!(s.post(&body).await.0, 201);
    s.stop().await;

    let s = TestServer::start_config(config_in(dir.path())).await;
    assert!(s.export("/api/submissions.csv").await.contains(&id));
    // And it still knows the id.
    assert_eq!(s.post(&body).await.0, 200);
    s.stop().await;
}

#[tokio::test]
async fn healthz_checks_the_database() {
    let s = TestServer::start().await;
    let res = s.client.get(s.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.unwrap(), "ok");
    s.stop().await;
}

#[tokio::test]
async fn broken_questionnaire_file_stops_the_start() {
    let dir = workdir();
    std::fs::write(dir.path().join("questionnaires/broken.json"), r#"{"id":"Bad Id","version":"1","title":"x","sections":[]}"#).unwrap();
    let err = match collector::bind(config_in(dir.path())).await {
        Ok(_) => panic!("a broken questionnaire must stop the start"),
        Err(e) => e.to_string(),
    };
    assert!(err.contains("broken.json") && err.contains("Bad Id"), "{err}");
}

// ----------------------------------------------------------- static + headers ---

#[tokio::test]
async fn security_and_cache_headers_on_static_files() {
    let s = TestServer::start().await;
    let get = |p: &'static str| s.client.get(s.url(p)).send();
    let root = get("/").await.unwrap();
    assert_eq!(root.status(), 200);
    let h = root.headers().clone();
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval'") && csp.contains("frame-ancestors 'self'"), "{csp}");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "no-referrer");
    assert_eq!(h["cache-control"], "no-cache");
    assert!(h.get("set-cookie").is_none());
    assert!(root.text().await.unwrap().contains("Cohort Survey"));

    for p in ["/index.html", "/sw.js", "/config.json", "/questionnaires/x.json"] {
        let res = get(p).await.unwrap();
        assert_eq!(res.status(), 200, "{p}");
        assert_eq!(res.headers()["cache-control"], "no-cache", "{p}");
        assert_eq!(res.headers()["x-content-type-options"], "nosniff", "{p}");
    }
    let hashed = get("/app-0123456789abcdef.js").await.unwrap();
    assert!(hashed.headers()["cache-control"].to_str().unwrap().contains("immutable"));

    // Client-side routes get the app; missing assets stay 404.
    let route = get("/thanks").await.unwrap();
    assert_eq!(route.status(), 200);
    assert_eq!(route.headers()["cache-control"], "no-cache");
    assert_eq!(get("/missing.js").await.unwrap().status(), 404);

    // API answers carry the security headers too, never cookies.
    let (status, _) = s.post(&balint_submission()).await;
    assert_eq!(status, 201);
    let api = get("/api/nothing-here").await.unwrap();
    assert_eq!(api.status(), 404);
    assert_eq!(api.headers()["x-content-type-options"], "nosniff");
    assert!(api.headers().get("set-cookie").is_none());
    assert_eq!(api.json::<Value>().await.unwrap()["error"], "not_found");
    assert_eq!(get("/api/submissions").await.unwrap().status(), 405);
    s.stop().await;
}

#[tokio::test]
async fn custom_csp_from_config() {
    let s = TestServer::start_with(|c| c.csp = "default-src 'none'".into()).await;
    let res = s.client.get(s.url("/")).send().await.unwrap();
    assert_eq!(res.headers()["content-security-policy"], "default-src 'none'");
    s.stop().await;
}

#[tokio::test]
async fn csp_allows_exactly_the_inline_loader_of_index_html() {
    let dir = workdir();
    std::fs::write(dir.path().join("dist/index.html"), "<!doctype html><script type=\"module\">alert(1)</script>").unwrap();
    let s = TestServer::start_config(config_in(dir.path())).await;
    let res = s.client.get(s.url("/")).send().await.unwrap();
    let csp = res.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI=';"), "{csp}");
    assert!(!csp.contains("unsafe-inline"));
    s.stop().await;
}

// ----------------------------------------------------------- test faults ---

#[tokio::test]
async fn fault_hook_is_off_by_default() {
    let s = TestServer::start().await;
    let res = s.client.post(s.url("/__test/fault")).json(&json!({"status": 500, "count": 1})).send().await.unwrap();
    assert_eq!(res.status(), 404);
    assert_eq!(s.post(&balint_submission()).await.0, 201);
    s.stop().await;
}

#[tokio::test]
async fn fault_hook_forces_statuses_without_storing() {
    let s = TestServer::start_with(|c| c.test_faults = true).await;
    let set = |v: Value| s.client.post(s.url("/__test/fault")).json(&v).send();
    assert_eq!(set(json!({"status": 500, "count": 2})).await.unwrap().status(), 200);
    let body = balint_submission();
    assert_eq!(s.post(&body).await.0, 500);
    assert_eq!(s.post(&body).await.0, 500);
    assert_eq!(s.post(&body).await.0, 201, "third try succeeds");

    let custom = json!({"error": "invalid_answers", "message": "x", "errors": [{"question": "group", "code": "required"}]});
    assert_eq!(set(json!({"status": 422, "count": 1, "body": custom})).await.unwrap().status(), 200);
    let (status, res) = s.post(&balint_submission()).await;
    assert_eq!((status, &res), (422, &custom));
    assert_eq!(set(json!({"status": 200, "count": 1})).await.unwrap().status(), 400, "only error statuses");

    let json: Value = serde_json::from_str(&s.export("/api/submissions.json").await).unwrap();
    assert_eq!(json["rows"].as_array().unwrap().len(), 1);
    s.stop().await;
}
