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
    // Files edited in place have no twin: served as they are, revalidated.
    let res = s.client.get(s.url("/config.json")).header("accept-encoding", "br").send().await.unwrap();
    assert!(res.headers().get("content-encoding").is_none());
    assert_eq!(res.headers()["cache-control"], "no-cache");
    s.stop().await;
}
