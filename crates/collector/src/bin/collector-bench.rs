//! `collector-bench`: ingest throughput and latency of the receiver, then the
//! programme report's page size and render time over 10,000 stored responses.
//!
//! Starts a receiver in-process on a temporary database (durable writes on,
//! as in production), then drives N concurrent keep-alive connections on
//! loopback, each posting unique valid submissions until the time is up.
//! Bounded in time and count; talks to 127.0.0.1 only.
//!
//! ```sh
//! cargo run -p collector --profile server --bin collector-bench -- --seconds 10
//! ```
//!
//! The client is a few lines of HTTP/1.1 by hand so the receiver does not
//! pull an HTTP client into its dependencies.

use collector::Config;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use survey_core::period::{period, Granularity};
use survey_core::submission::uuid_v4_from_bytes;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

const USAGE: &str = "Usage: collector-bench [--seconds N (1-300, default 10)] [--connections N (1-64, default 16)]
                       [--max-requests N (default 2000000)] [--questionnaires-dir DIR]
                       [--report-rows N (0-100000, default 10000; 0 skips the report bench)]";

struct Args {
    seconds: u64,
    connections: usize,
    max_requests: u64,
    questionnaires: PathBuf,
    report_rows: u64,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        seconds: 10,
        connections: 16,
        max_requests: 2_000_000,
        questionnaires: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../public/questionnaires"),
        report_rows: 10_000,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        let num = |v: String| v.parse::<u64>().map_err(|_| format!("{flag}: \"{v}\" is not a number"));
        match flag.as_str() {
            "--seconds" => a.seconds = num(value()?)?,
            "--connections" => a.connections = num(value()?)? as usize,
            "--max-requests" => a.max_requests = num(value()?)?,
            "--questionnaires-dir" => a.questionnaires = value()?.into(),
            "--report-rows" => a.report_rows = num(value()?)?,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument \"{other}\"")),
        }
    }
    if !(1..=300).contains(&a.seconds) || !(1..=64).contains(&a.connections) || a.max_requests == 0 || a.report_rows > 100_000 {
        return Err("out of range".into());
    }
    Ok(a)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("collector-bench: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("collector-bench: {e}");
            return ExitCode::from(1);
        }
    };
    let report_rows = args.report_rows;
    let connections = args.connections;
    let questionnaires = args.questionnaires.clone();
    let result = runtime.block_on(async {
        bench(args).await?;
        if report_rows > 0 {
            report_bench(report_rows, connections, questionnaires).await?;
        }
        Ok::<(), String>(())
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("collector-bench: {e}");
            ExitCode::from(1)
        }
    }
}

struct TaskResult {
    latencies_us: Vec<u64>,
    failed: u64,
}

/// A receiver in-process on a fresh temporary database.
struct Running {
    addr: SocketAddr,
    state: collector::AppState,
    stop: tokio::sync::oneshot::Sender<()>,
    serving: tokio::task::JoinHandle<std::io::Result<()>>,
    tmp: PathBuf,
    nanos: u128,
}

async fn start(name: &str, questionnaires: PathBuf, export_token: Option<String>) -> Result<Running, String> {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_err(|e| e.to_string())?.as_nanos();
    let tmp = std::env::temp_dir().join(format!("{name}-{}-{nanos}", std::process::id()));
    let config = Config {
        listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        database: tmp.join("bench.sqlite"),
        dist_dir: tmp.join("dist"),
        questionnaires_dir: questionnaires,
        export_token,
        ..Config::default()
    };
    let server = collector::bind(config).await.map_err(|e| e.to_string())?;
    let addr = server.local_addr().map_err(|e| e.to_string())?;
    let state = server.state().clone();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(server.run(async {
        let _ = stopped.await;
    }));
    Ok(Running { addr, state, stop, serving, tmp, nanos })
}

impl Running {
    async fn finish(self) {
        let _ = self.stop.send(());
        let _ = self.serving.await;
        let _ = std::fs::remove_dir_all(&self.tmp);
    }
}

async fn bench(args: Args) -> Result<(), String> {
    let running = start("collector-bench", args.questionnaires.clone(), None).await?;
    let (addr, nanos) = (running.addr, running.nanos);
    let state = running.state.clone();

    let now_ms = nanos as f64 / 1e6;
    let month = period(Granularity::Month, now_ms);
    let seed = RandomState::new().build_hasher().finish();
    let started = Instant::now();
    let deadline = started + Duration::from_secs(args.seconds);
    let per_task = args.max_requests.div_ceil(args.connections as u64);
    let mut tasks = Vec::new();
    for task in 0..args.connections {
        let month = month.clone();
        tasks.push(tokio::spawn(async move { client(addr, task as u64, seed, &month, deadline, per_task).await }));
    }
    let mut latencies = Vec::new();
    let mut failed = 0;
    for t in tasks {
        let r = t.await.map_err(|e| e.to_string())??;
        latencies.extend(r.latencies_us);
        failed += r.failed;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let stored = state.store().count().await.map_err(|e| e.to_string())?;
    running.finish().await;

    latencies.sort_unstable();
    let n = latencies.len();
    let pct = |p: usize| latencies.get((n * p / 100).min(n.saturating_sub(1))).copied().unwrap_or(0) as f64 / 1000.0;
    println!("collector-bench: {} connections, {:.1} s, loopback, durable writes (WAL, synchronous=FULL)", args.connections, elapsed);
    println!("requests: {n} ok (201), {failed} failed; rows stored: {stored}");
    println!("ingest rate: {:.0} req/s", n as f64 / elapsed);
    println!("latency: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms", pct(50), pct(99), pct(100));
    if failed > 0 || stored != n as i64 {
        return Err(format!("{failed} requests failed or rows ({stored}) differ from successes ({n})"));
    }
    Ok(())
}

/// Stores `rows` responses, signs in to the report as a browser would and
/// times `GET /report` (plain and broken down by group) and `/api/report.json`.
async fn report_bench(rows: u64, connections: usize, questionnaires: PathBuf) -> Result<(), String> {
    let token = collector::auth::random_token();
    let running = start("collector-report-bench", questionnaires, Some(token.clone())).await?;
    let (addr, nanos) = (running.addr, running.nanos);
    let state = running.state.clone();
    let result = async {
        let month = period(Granularity::Month, nanos as f64 / 1e6);
        let seed = RandomState::new().build_hasher().finish();
        let deadline = Instant::now() + Duration::from_secs(600);
        let per_task = rows.div_ceil(connections as u64);
        let mut tasks = Vec::new();
        for task in 0..connections {
            let month = month.clone();
            let max = per_task.min(rows.saturating_sub(per_task * task as u64));
            tasks.push(tokio::spawn(async move { client(addr, task as u64, seed, &month, deadline, max).await }));
        }
        for t in tasks {
            t.await.map_err(|e| e.to_string())??;
        }
        let stored = state.store().count().await.map_err(|e| e.to_string())?;
        if stored != rows as i64 {
            return Err(format!("stored {stored} rows, wanted {rows}"));
        }

        // Sign in with the form, as a browser.
        let (_, head, body) = http(addr, "GET", "/report/sign-in", "", "").await?;
        let csrf_cookie = cookie_pair(&head, "cs_report_csrf").ok_or("no csrf cookie")?;
        let html = String::from_utf8_lossy(&body);
        let csrf = html.split("name=\"csrf\" value=\"").nth(1).and_then(|r| r.split('"').next()).ok_or("no csrf field")?.to_owned();
        let form = format!("token={token}&csrf={csrf}");
        let (status, head, _) = http(addr, "POST", "/report/sign-in", &csrf_cookie, &form).await?;
        let session = cookie_pair(&head, "cs_report_session").ok_or(format!("sign-in failed: {status}"))?;

        println!("\nreport bench: {stored} stored responses");
        for (what, path, cookie) in [
            ("GET /report", "/report".to_owned(), session.clone()),
            ("GET /report?by=group", "/report?by=group".to_owned(), session.clone()),
            ("GET /api/report.json", "/api/report.json".to_owned(), session.clone()),
        ] {
            let mut times = Vec::new();
            let mut size = 0;
            for _ in 0..5 {
                let start = Instant::now();
                let (status, _, body) = http(addr, "GET", &path, &cookie, "").await?;
                times.push(start.elapsed().as_secs_f64() * 1000.0);
                if status != "200" {
                    return Err(format!("{what}: {status}"));
                }
                size = body.len();
            }
            times.sort_by(f64::total_cmp);
            println!("{what:<24} {size:>10} bytes   render median {:.0} ms, max {:.0} ms (5 runs)", times[2], times[4]);
        }
        Ok(())
    }
    .await;
    running.finish().await;
    result
}

/// `name=value` from the response's Set-Cookie headers.
fn cookie_pair(head: &str, name: &str) -> Option<String> {
    head.lines()
        .filter_map(|l| l.split_once(':'))
        .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .filter_map(|(_, v)| v.trim().split(';').next())
        .find(|p| p.starts_with(&format!("{name}=")))
        .map(str::to_owned)
}

/// One request on its own connection (`Connection: close`): status, head, body.
async fn http(addr: SocketAddr, method: &str, path: &str, cookie: &str, form: &str) -> Result<(String, String, Vec<u8>), String> {
    let mut stream = TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if !cookie.is_empty() {
        req.push_str(&format!("Cookie: {cookie}\r\n"));
    }
    if method == "POST" {
        req.push_str(&format!("Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n", form.len()));
    }
    req.push_str("\r\n");
    req.push_str(form);
    stream.write_all(req.as_bytes()).await.map_err(|e| e.to_string())?;
    let mut all = Vec::new();
    stream.read_to_end(&mut all).await.map_err(|e| e.to_string())?;
    let split = all.windows(4).position(|w| w == b"\r\n\r\n").ok_or("no end of headers")?;
    let head = String::from_utf8_lossy(&all[..split]).into_owned();
    let status = head.split(' ').nth(1).unwrap_or("").to_owned();
    Ok((status, head, all[split + 4..].to_vec()))
}

/// One keep-alive connection posting until the deadline or its share of the cap.
async fn client(addr: SocketAddr, task: u64, seed: u64, month: &str, deadline: Instant, max: u64) -> Result<TaskResult, String> {
    let stream = TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
    stream.set_nodelay(true).map_err(|e| e.to_string())?;
    let (read, mut write) = stream.into_split();
    let mut read = BufReader::new(read);
    let mut out = TaskResult { latencies_us: Vec::new(), failed: 0 };
    let mut line = String::new();
    let mut body_buf = Vec::new();
    for i in 0..max {
        if Instant::now() >= deadline {
            break;
        }
        // Seed and connection in the first bytes, the counter in the last six;
        // bytes 6 and 8 carry the version and variant bits, so keep them out.
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&seed.to_le_bytes());
        bytes[..2].copy_from_slice(&(task as u16).to_le_bytes());
        bytes[10..].copy_from_slice(&i.to_be_bytes()[2..]);
        let id = uuid_v4_from_bytes(bytes);
        let body = submission(&id, month, i);
        let request = format!(
            "POST /api/submissions HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
             Idempotency-Key: {id}\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        let start = Instant::now();
        write.write_all(request.as_bytes()).await.map_err(|e| e.to_string())?;
        // Status line, headers, then Content-Length bytes of body.
        line.clear();
        read.read_line(&mut line).await.map_err(|e| e.to_string())?;
        let status = line.split(' ').nth(1).unwrap_or("").to_owned();
        let mut length = 0usize;
        loop {
            line.clear();
            if read.read_line(&mut line).await.map_err(|e| e.to_string())? == 0 {
                return Err("connection closed".into());
            }
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                if k.eq_ignore_ascii_case("content-length") {
                    length = v.trim().parse().map_err(|_| "bad content-length".to_owned())?;
                }
            }
        }
        body_buf.resize(length, 0);
        read.read_exact(&mut body_buf).await.map_err(|e| e.to_string())?;
        let us = start.elapsed().as_micros() as u64;
        if status == "201" {
            out.latencies_us.push(us);
        } else {
            out.failed += 1;
            if out.failed == 1 {
                eprintln!("unexpected {status}: {}", String::from_utf8_lossy(&body_buf));
            }
        }
    }
    Ok(out)
}

/// A valid, realistic response to the default questionnaire, varied by `i`.
fn submission(id: &str, month: &str, i: u64) -> String {
    let groups = ["monday-early", "monday-late", "wednesday", "thursday", "other"];
    let group = groups[(i % 5) as usize];
    let sessions = 4 + i % 3;
    let agree = |k: u64| (1 + (i + k) % 5).to_string();
    format!(
        r#"{{"format":1,"submission_id":"{id}","questionnaire_id":"balint-end-of-cohort","questionnaire_version":"1","period":"{month}","app_version":"bench","answers":{{"group":"{group}","sessions":{sessions},"overall":"{}","agreement":{{"safe":"{}","learned":"{}","community":"{}","pace":"{}","facilitation":"{}","anxious":"{}","ethics":"{}","timetable":"{}"}},"recommend":{},"valued":"Hearing how others handled difficult conversations with patients and families.","change":"More sessions early in the year, fewer clashes with placements.","consent":true}}}}"#,
        agree(0),
        agree(1),
        agree(2),
        agree(3),
        agree(4),
        agree(5),
        agree(6),
        agree(7),
        agree(8),
        i % 11
    )
}
