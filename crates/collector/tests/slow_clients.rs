//! Slow and idle clients cannot take the receiver down: connections that send
//! nothing, send a request head a byte at a time, or stall mid-body are
//! closed, at most `max_connections` are served at once, and /healthz still
//! answers while all that goes on.

mod common;

use common::TestServer;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Reads until the server closes the connection; how long that took, or
/// `None` if it was still open after `within`.
async fn closed_within(mut s: impl tokio::io::AsyncRead + Unpin, within: Duration) -> Option<Duration> {
    let start = Instant::now();
    let mut buf = [0u8; 1024];
    tokio::time::timeout(within, async {
        loop {
            match s.read(&mut buf).await {
                Ok(0) | Err(_) => return start.elapsed(),
                Ok(_) => {}
            }
        }
    })
    .await
    .ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_and_slow_header_connections_are_closed_and_healthz_answers() {
    let s = TestServer::start_with(|c| {
        c.header_read_timeout_secs = 1.0;
        c.idle_timeout_secs = 1.0;
        c.max_connections = 16;
    })
    .await;
    let addr = s.base.trim_start_matches("http://").to_owned();

    // 40 sockets that never send a byte, 40 that send a request head one
    // header line every 200 ms and never finish it: 5 times the limit.
    let mut idle = Vec::new();
    for _ in 0..40 {
        idle.push(TcpStream::connect(&addr).await.unwrap());
    }
    let mut slow = Vec::new();
    for _ in 0..40 {
        let mut c = TcpStream::connect(&addr).await.unwrap();
        c.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").await.unwrap();
        let (r, mut w) = c.into_split();
        tokio::spawn(async move {
            for i in 0..200 {
                tokio::time::sleep(Duration::from_millis(200)).await;
                if w.write_all(format!("X-Slow-{i}: 1\r\n").as_bytes()).await.is_err() {
                    return;
                }
            }
        });
        slow.push(tokio::spawn(closed_within(r, Duration::from_secs(20))));
    }

    // A fresh client (no pooled connection) still gets an answer.
    let health = reqwest::Client::builder().timeout(Duration::from_secs(15)).build().unwrap();
    let res = health.get(s.url("/healthz")).send().await.expect("healthz answers under the attack");
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.unwrap(), "ok");

    for c in idle {
        let took = closed_within(c, Duration::from_secs(20)).await;
        assert!(took.is_some(), "an idle connection was never closed");
    }
    for c in slow {
        let took = c.await.unwrap();
        assert!(took.is_some(), "a slow-header connection was never closed");
    }
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_stalls_is_closed_after_the_idle_timeout() {
    let s = TestServer::start_with(|c| {
        c.header_read_timeout_secs = 5.0;
        c.idle_timeout_secs = 1.0;
    })
    .await;
    let mut c = TcpStream::connect(s.base.trim_start_matches("http://")).await.unwrap();
    c.write_all(b"POST /api/submissions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"form")
        .await
        .unwrap();
    let took = closed_within(c, Duration::from_secs(10)).await.expect("a stalled body is not kept open");
    assert!(took >= Duration::from_millis(900), "closed after {took:?}, before the idle timeout");
    // A client that keeps going is served as usual.
    let (status, _) = s.post(&common::balint_submission()).await;
    assert_eq!(status, 201);
    s.stop().await;
}
