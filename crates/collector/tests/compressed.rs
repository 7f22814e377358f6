//! Static files go over the wire compressed: the build writes `.br`/`.gz`
//! twins of content-hashed assets (tools/precompress.mjs), and the receiver
//! picks one by Accept-Encoding (issue 11).

mod common;

use common::TestServer;

#[tokio::test]
async fn hashed_assets_are_served_precompressed_by_accept_encoding() {
    let s = TestServer::start_with(|c| {
        // Stand-ins whose bytes show which file was served (reqwest here
        // does not decode, so the body is exactly the file).
        std::fs::write(c.dist_dir.join("app-0123456789abcdef.js.br"), "BR-TWIN").unwrap();
        std::fs::write(c.dist_dir.join("app-0123456789abcdef.js.gz"), "GZ-TWIN").unwrap();
    })
    .await;
    let get = |enc: Option<&'static str>| {
        let mut r = s.client.get(s.url("/app-0123456789abcdef.js"));
        if let Some(e) = enc {
            r = r.header("accept-encoding", e);
        }
        r.send()
    };
    for (enc, body, encoding) in
        [(Some("gzip, deflate, br"), "BR-TWIN", Some("br")), (Some("gzip"), "GZ-TWIN", Some("gzip")), (None, "// app", None)]
    {
        let res = get(enc).await.unwrap();
        assert_eq!(res.status(), 200, "{enc:?}");
        let h = res.headers().clone();
        assert_eq!(h.get("content-encoding").map(|v| v.to_str().unwrap()), encoding, "{enc:?}");
        assert!(h["content-type"].to_str().unwrap().contains("javascript"), "{enc:?}: {:?}", h["content-type"]);
        assert!(h["vary"].to_str().unwrap().to_ascii_lowercase().contains("accept-encoding"), "{enc:?}");
        assert!(h["cache-control"].to_str().unwrap().contains("immutable"), "{enc:?}");
        assert_eq!(res.text().await.unwrap(), body, "{enc:?}");
    }
    s.stop().await;
}

#[tokio::test]
async fn files_edited_in_place_are_compressed_per_request_and_revalidated() {
    let s = TestServer::start_with(|c| {
        // A questionnaire-sized file with no twin beside it.
        let big = format!("{{\"questionnaire\": \"{}\"}}", "Balint groups feedback. ".repeat(200));
        std::fs::write(c.dist_dir.join("config.json"), big).unwrap();
    })
    .await;
    let raw = s.client.get(s.url("/config.json")).send().await.unwrap();
    assert!(raw.headers().get("content-encoding").is_none(), "no Accept-Encoding: the plain file");
    let plain = raw.bytes().await.unwrap();
    let res = s.client.get(s.url("/config.json")).header("accept-encoding", "br").send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-encoding"], "br");
    assert_eq!(res.headers()["cache-control"], "no-cache");
    assert!(res.headers()["vary"].to_str().unwrap().to_ascii_lowercase().contains("accept-encoding"));
    let body = res.bytes().await.unwrap();
    assert!(body.len() * 10 < plain.len(), "{} bytes on the wire for {}", body.len(), plain.len());
    let mut decoded = Vec::new();
    brotli::BrotliDecompress(&mut &body[..], &mut decoded).unwrap();
    assert_eq!(decoded, plain, "the same file, compressed");
    s.stop().await;
}

#[tokio::test]
async fn files_edited_in_place_revalidate_by_etag_even_within_the_same_second() {
    let mut dist = std::path::PathBuf::new();
    let s = TestServer::start_with(|c| {
        dist = c.dist_dir.clone();
        std::fs::write(c.dist_dir.join("config.json"), r#"{"questionnaire": "questionnaires/balint-end-of-cohort-v1.json"}"#).unwrap();
    })
    .await;
    let get = |inm: Option<String>, enc: &'static str| {
        let mut r = s.client.get(s.url("/config.json")).header("accept-encoding", enc);
        if let Some(t) = inm {
            r = r.header("if-none-match", t);
        }
        r.send()
    };
    let first = get(None, "identity").await.unwrap();
    assert_eq!(first.status(), 200);
    let tag = first.headers()["etag"].to_str().unwrap().to_owned();
    assert!(tag.starts_with("W/\""), "a weak tag, shared by every encoding: {tag}");
    let br = get(None, "br").await.unwrap();
    assert_eq!(br.headers()["content-encoding"], "br");
    assert_eq!(br.headers()["etag"].to_str().unwrap(), tag, "the same content, the same tag");
    let head = s.client.head(s.url("/config.json")).send().await.unwrap();
    assert_eq!(head.headers()["etag"].to_str().unwrap(), tag, "HEAD tells the same tag");

    // Unchanged: 304 with no body, in any encoding.
    for enc in ["identity", "br"] {
        let res = get(Some(tag.clone()), enc).await.unwrap();
        assert_eq!(res.status(), 304, "{enc}");
        assert_eq!(res.headers()["etag"].to_str().unwrap(), tag);
        assert_eq!(res.headers()["cache-control"], "no-cache");
        assert!(res.bytes().await.unwrap().is_empty());
    }

    // A school edits the file within the same second: Last-Modified may not
    // move, and an If-Modified-Since in the future would say "unchanged";
    // the content tag must still see the change (If-None-Match wins).
    std::fs::write(dist.join("config.json"), r#"{"questionnaire": "questionnaires/balint-end-of-cohort-v2.json"}"#).unwrap();
    let res = s
        .client
        .get(s.url("/config.json"))
        .header("if-none-match", &tag)
        .header("if-modified-since", "Fri, 01 Jan 2100 00:00:00 GMT")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "the edit is seen");
    assert_ne!(res.headers()["etag"].to_str().unwrap(), tag);
    assert_eq!(res.text().await.unwrap(), r#"{"questionnaire": "questionnaires/balint-end-of-cohort-v2.json"}"#);

    // Hashed assets never revalidate: no tag to compute.
    let app = s.client.get(s.url("/app-0123456789abcdef.js")).send().await.unwrap();
    assert_eq!(app.status(), 200);
    assert!(app.headers().get("etag").is_none());
    s.stop().await;
}
