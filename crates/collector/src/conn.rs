//! The accept loop: HTTP/1 connections with a header-read timeout, an idle
//! timeout and a limit on how many are served at once.
//!
//! `axum::serve` has none of these: a client that opens a socket and sends
//! nothing, or a header a byte at a time, kept it open for ever, and about
//! 1,100 such sockets under a 1,024 file limit stopped the receiver. The
//! defences are the ones common servers use (nginx's
//! `client_header_timeout`, `keepalive_timeout`, `client_body_timeout` /
//! `send_timeout` and `worker_connections`; Apache's mod_reqtimeout):
//! - **header read**: hyper closes a connection that has not sent a whole
//!   request head within the limit, counted from when it starts waiting for
//!   one, so the same limit ends idle keep-alive connections;
//! - **idle**: mid-request, no byte either way for the limit (a stalled body,
//!   a client that stops reading the answer) closes the connection;
//! - **limit**: at most `max_connections` at once; more wait in the kernel's
//!   accept queue, so the process never runs out of file descriptors.

use crate::Config;
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio::time::Instant;

/// The connection limits, from [`Config`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    pub header_read: Duration,
    pub idle: Duration,
    pub max_connections: usize,
}

impl Limits {
    /// From the config; a value that is not a positive number of seconds
    /// falls back to the default rather than switching the defence off.
    pub fn from_config(c: &Config) -> Limits {
        let d = Config::default();
        let secs =
            |v: f64, default: f64| Duration::try_from_secs_f64(v).ok().filter(|d| !d.is_zero()).unwrap_or(Duration::from_secs_f64(default));
        Limits {
            header_read: secs(c.header_read_timeout_secs, d.header_read_timeout_secs),
            idle: secs(c.idle_timeout_secs, d.idle_timeout_secs),
            max_connections: c.max_connections.max(1),
        }
    }
}

/// Serves `app` on `listener` until `shutdown` completes, then waits for the
/// open connections to finish their requests.
pub async fn serve(listener: TcpListener, app: Router, limits: Limits, shutdown: impl Future<Output = ()>) -> io::Result<()> {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(limits.header_read);
    tokio::pin!(shutdown);
    loop {
        // A permit first: at the limit we stop accepting, and new clients wait
        // in the kernel's queue instead of taking file descriptors.
        let permit = tokio::select! {
            p = Arc::clone(&permits).acquire_owned() => p.map_err(io::Error::other)?,
            () = &mut shutdown => break,
        };
        let stream = tokio::select! {
            r = listener.accept() => match r {
                Ok((stream, _addr)) => stream,
                Err(e) => {
                    // Out of file descriptors and the like: wait, don't spin
                    // (what axum::serve does too).
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let (io, activity) = Watched::new(stream);
        let conn = graceful.watch(http.serve_connection(TokioIo::new(io), TowerToHyperService::new(app.clone())));
        let idle = limits.idle;
        tokio::spawn(async move {
            let _permit = permit;
            tokio::pin!(conn);
            loop {
                tokio::select! {
                    _ = &mut conn => break,
                    () = tokio::time::sleep_until(activity.last() + idle) => {
                        if activity.last().elapsed() >= idle {
                            tracing::debug!("closing a connection idle for {idle:?}");
                            break;
                        }
                    }
                }
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// When a connection last moved a byte.
#[derive(Clone)]
struct Activity {
    start: Instant,
    /// Milliseconds after `start`.
    last_ms: Arc<AtomicU64>,
}

impl Activity {
    fn touch(&self) {
        self.last_ms.store(self.start.elapsed().as_millis() as u64, Ordering::Relaxed);
    }

    fn last(&self) -> Instant {
        self.start + Duration::from_millis(self.last_ms.load(Ordering::Relaxed))
    }
}

/// A socket that records when it last read or wrote a byte.
struct Watched {
    inner: TcpStream,
    activity: Activity,
}

impl Watched {
    fn new(inner: TcpStream) -> (Watched, Activity) {
        let activity = Activity { start: Instant::now(), last_ms: Arc::new(AtomicU64::new(0)) };
        (Watched { inner, activity: activity.clone() }, activity)
    }
}

impl AsyncRead for Watched {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let r = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.touch();
        }
        r
    }
}

impl AsyncWrite for Watched {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        r
    }

    fn poll_write_vectored(mut self: Pin<&mut Self>, cx: &mut Context<'_>, bufs: &[io::IoSlice<'_>]) -> Poll<io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        r
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
