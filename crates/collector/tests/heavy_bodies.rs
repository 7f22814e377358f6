//! A large body is parsed off the async workers: while one is parsed and
//! checked, /healthz keeps answering quickly.

mod common;

use common::TestServer;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

// One async worker: parsing on it would hold every other request.
#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn healthz_answers_while_a_large_body_is_parsed() {
    let s = TestServer::start_with(|c| c.max_body_bytes = 32 << 20).await;
    let id = common::new_id();
    let answers: Vec<String> = (0..400_000).map(|i| format!("\"q{i}\":{i}")).collect();
    let body = format!(
        r#"{{"format":1,"submission_id":"{id}","questionnaire_id":"balint-end-of-cohort","questionnaire_version":"1","period":"{}","app_version":"t","answers":{{{}}}}}"#,
        common::period(),
        answers.join(",")
    );
    let head = format!(
        "POST /api/submissions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nIdempotency-Key: {id}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let addr = s.base.trim_start_matches("http://").to_owned();
    let started = Instant::now();
    let posted = tokio::spawn(async move {
        let mut post = TcpStream::connect(addr).await.unwrap();
        post.write_all(head.as_bytes()).await.unwrap();
        post.write_all(body.as_bytes()).await.unwrap();
        let mut reply = Vec::new();
        post.read_to_end(&mut reply).await.unwrap();
        String::from_utf8_lossy(&reply).into_owned()
    });
    // Ask for /healthz again and again until the post is answered; keep the
    // slowest answer. Parsing on the one async worker would hold one of them
    // for the whole parse.
    let mut slowest = Duration::ZERO;
    let mut asked = 0;
    while !posted.is_finished() {
        let t = Instant::now();
        let res = s.client.get(s.url("/healthz")).timeout(Duration::from_secs(60)).send().await.unwrap();
        assert_eq!(res.status(), 200);
        slowest = slowest.max(t.elapsed());
        asked += 1;
    }
    let took = started.elapsed();
    let reply = posted.await.unwrap();
    assert!(reply.starts_with("HTTP/1.1 422"), "{}", &reply[..reply.len().min(200)]);
    assert!(took > Duration::from_millis(500), "the post took only {took:?}: too small to tell");
    assert!(slowest * 4 < took, "slowest /healthz {slowest:?} of {asked}, during a post of {took:?}");
    s.stop().await;
}
