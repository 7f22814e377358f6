//! `cargo xtask <task>`: the project's one entry point for set-up, run, test,
//! size, bench and perf. Plain std + two compressors, so it builds in seconds.
//!
//! Every task first installs what is missing (idempotent, skips what is
//! present at the right version), because CI and newcomers start from a
//! bare machine with only rustup.

use std::env;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

const TRUNK_VERSION: &str = "0.21.14";

type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let task = args.first().map(String::as_str).unwrap_or("help");
    let rest = &args[args.len().min(1)..];
    let result = match task {
        "setup" => setup(),
        "build" => setup().and_then(|_| build_app()),
        "run" => run(rest),
        "test" => test(rest),
        "size" => size(),
        "bench" => bench(rest),
        "perf" => perf(rest),
        _ => {
            eprintln!(
                "usage: cargo xtask <task>\n\n  setup   install what is missing (wasm target, trunk, wasm-bindgen-cli, npm packages, Chromium)\n  build   release build of the app into dist/\n  run     build, then serve app + receiver on http://127.0.0.1:8080\n  test    every test: lint (fmt, clippy), host, wasm (Chromium), end-to-end (Playwright)\n  size    bytes per file of the release build: raw, gzip, brotli\n  bench   receiver ingest benchmark, report render time\n  perf    Lighthouse (mobile, slow 4G, 3 runs) and input latency at 4x CPU slowdown, against the release build [--port N] [--runs N]"
            );
            return if task == "help" { ExitCode::SUCCESS } else { ExitCode::from(2) };
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask {task}: {e}");
            ExitCode::FAILURE
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
}

/// PATH with the project's node_modules/.bin (wasm-opt, playwright) and
/// cargo's bin first, so the pinned tools win over anything on the system.
fn path_env() -> String {
    let home = env::var("HOME").unwrap_or_default();
    let cargo_bin = env::var("CARGO_HOME").map(|h| format!("{h}/bin")).unwrap_or(format!("{home}/.cargo/bin"));
    format!("{}:{cargo_bin}:{}", root().join("node_modules/.bin").display(), env::var("PATH").unwrap_or_default())
}

fn cmd(program: &str) -> Command {
    let mut c = Command::new(program);
    c.current_dir(root()).env("PATH", path_env());
    c
}

fn run_cmd(c: &mut Command) -> Result {
    let shown = format!("{c:?}");
    eprintln!("$ {}", shown.replace('"', ""));
    let status = c.status().map_err(|e| format!("could not start {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed ({status})"))
    }
}

/// The first line of `program --version`, if it runs.
fn version_of(program: &str) -> Option<String> {
    let out = cmd(program).arg("--version").stderr(Stdio::null()).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).lines().next().unwrap_or("").to_owned())
}

/// The wasm-bindgen version pinned in Cargo.lock.
fn locked_wasm_bindgen() -> Result<String> {
    let lock = fs::read_to_string(root().join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(l) = lines.next() {
        if l == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|v| v.strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_owned());
            }
        }
    }
    Err("wasm-bindgen not found in Cargo.lock".into())
}

// ------------------------------------------------------------------- setup ---

fn setup() -> Result {
    let started = Instant::now();
    let targets = cmd("rustup").args(["target", "list", "--installed"]).output().map_err(|e| format!("rustup: {e}"))?;
    if !String::from_utf8_lossy(&targets.stdout).contains("wasm32-unknown-unknown") {
        run_cmd(cmd("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    // std's source, so the shipped build can rebuild std for size (see
    // build_app); about 3 MB from rustup's own server.
    if !has_rust_src() {
        if let Err(e) = run_cmd(cmd("rustup").args(["component", "add", "rust-src"])) {
            eprintln!("setup: rust-src not installed ({e}); the app will be built without rebuilding std (about 12 KB larger)");
        }
    }
    // trunk 0.22 needs a newer rustc than stable here; 0.21.14 builds.
    if !version_of("trunk").is_some_and(|v| v.ends_with(TRUNK_VERSION)) {
        run_cmd(cmd("cargo").args(["install", "trunk", "--version", TRUNK_VERSION, "--locked"]))?;
    }
    // Must equal Cargo.lock's wasm-bindgen exactly. No --locked: its own lock
    // file wants a crate version the registry lacks.
    let wb = locked_wasm_bindgen()?;
    if !version_of("wasm-bindgen").is_some_and(|v| v.ends_with(&wb)) {
        run_cmd(cmd("cargo").args(["install", "wasm-bindgen-cli", "--version", &wb]))?;
    }
    // Node runs Playwright and trunk's service-worker hook.
    if version_of("npm").is_none() {
        apt_install(&["nodejs", "npm"], "Node.js and npm (for the end-to-end tests and the build's service-worker step)")?;
    }
    // npm packages from the lock file: Playwright, axe, terser (the build's JS
    // minifier) and binaryen's wasm-opt
    // (Debian's binaryen 108 produces a broken wasm). Never download browsers.
    let stamp = root().join("node_modules/.package-lock.json");
    let lock = root().join("package-lock.json");
    let stale = match (fs::metadata(&stamp).and_then(|m| m.modified()), fs::metadata(&lock).and_then(|m| m.modified())) {
        (Ok(s), Ok(l)) => s < l,
        _ => true,
    };
    // A git worktree may link another checkout's node_modules: `npm ci`
    // there would empty the shared copy under everyone using it.
    let linked = fs::symlink_metadata(root().join("node_modules")).is_ok_and(|m| m.file_type().is_symlink());
    if stale && !linked {
        run_cmd(cmd("npm").args(["ci", "--no-audit", "--no-fund"]).env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"))?;
    }
    if !Path::new("/usr/bin/chromium").exists() || !Path::new("/usr/bin/chromedriver").exists() {
        apt_install(
            &["chromium", "chromium-driver"],
            "Chromium and chromedriver at /usr/bin/chromium and /usr/bin/chromedriver (for the browser tests)",
        )?;
    }
    // R parses the report's R script in a host test (about 15 s from apt);
    // without it that test says it was skipped.
    if version_of("Rscript").is_none() && Path::new("/usr/bin/apt-get").exists() {
        if let Err(e) = apt_install(&["r-base-core"], "R (to check the report's R script)") {
            eprintln!("setup: R not installed ({e}); the R script test will be skipped");
        }
    }
    eprintln!("setup: ready ({:.0?})", started.elapsed());
    Ok(())
}

/// Installs Debian packages, or says exactly what to install where there is
/// no apt.
fn apt_install(packages: &[&str], what: &str) -> Result {
    if !Path::new("/usr/bin/apt-get").exists() {
        return Err(format!("please install {what}; on Debian/Ubuntu: apt-get install {}", packages.join(" ")));
    }
    let sudo: &[&str] = if is_root() { &[] } else { &["sudo"] };
    let apt = |args: &[&str]| {
        let all: Vec<&str> = sudo.iter().chain(args).copied().collect();
        let mut c = cmd(all[0]);
        c.args(&all[1..]).env("DEBIAN_FRONTEND", "noninteractive");
        run_cmd(&mut c)
    };
    apt(&["apt-get", "update"])?;
    let mut install = vec!["apt-get", "install", "-y", "--no-install-recommends"];
    install.extend_from_slice(packages);
    apt(&install)
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0"))
}

// ------------------------------------------------------------- build / run ---

fn has_rust_src() -> bool {
    cmd("rustup")
        .args(["component", "list", "--installed"])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).lines().any(|l| l.starts_with("rust-src")))
}

/// The shipped build: `trunk build --release`, with std rebuilt for size and
/// panics that abort at once (no panic messages, no formatting code for
/// them): about 12 KB of brotli less. That needs two unstable cargo/rustc
/// flags; `RUSTC_BOOTSTRAP` allows them on the pinned stable toolchain, which
/// is steadier than a moving nightly. Its own target dir, so these flags
/// never invalidate the wasm tests' build (and the reverse).
fn build_app() -> Result {
    let mut c = cmd("trunk");
    c.args(["build", "--release"]);
    if has_rust_src() {
        c.env("CARGO_TARGET_DIR", root().join("target/ship"))
            .env("RUSTC_BOOTSTRAP", "1")
            .env("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort")
            .env("RUSTFLAGS", "-Zunstable-options -Cpanic=immediate-abort");
    } else {
        eprintln!("build: rust-src missing (rustup component add rust-src): building without rebuilding std");
    }
    run_cmd(&mut c)
}

fn build_collector() -> Result {
    run_cmd(cmd("cargo").args(["build", "--profile", "server", "-p", "collector", "--bins"]))
}

fn collector_bin(name: &str) -> PathBuf {
    root().join("target/server").join(name)
}

fn run(args: &[String]) -> Result {
    setup()?;
    build_app()?;
    build_collector()?;
    let mut c = cmd(collector_bin("collector").to_str().unwrap_or("collector"));
    c.args(args);
    // So a newcomer can see their submission in the export at once: a random
    // export token kept beside the data (git-ignored), unless one is set.
    if env::var_os("COLLECTOR_EXPORT_TOKEN").is_none() && !root().join("collector.toml").exists() {
        let token = local_export_token()?;
        eprintln!(
            "\nexport token (data/export-token): {token}\n  curl -H 'Authorization: Bearer {token}' http://127.0.0.1:8080/api/submissions.csv\n\
             report: http://127.0.0.1:8080/report (sign in with the export token)\n"
        );
        c.env("COLLECTOR_EXPORT_TOKEN", token);
    } else {
        eprintln!("\nreport: http://127.0.0.1:8080/report (sign in with your export token)\n");
    }
    run_cmd(&mut c)
}

/// The token in data/export-token, made from /dev/urandom on first use.
fn local_export_token() -> Result<String> {
    let path = root().join("data/export-token");
    if let Ok(t) = fs::read_to_string(&path) {
        if t.trim().len() >= 32 {
            return Ok(t.trim().to_owned());
        }
    }
    let mut bytes = [0u8; 16];
    use std::io::Read;
    fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut bytes)).map_err(|e| format!("/dev/urandom: {e}"))?;
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    fs::create_dir_all(root().join("data")).map_err(|e| e.to_string())?;
    fs::write(&path, &token).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(token)
}

// -------------------------------------------------------------------- test ---

fn test(args: &[String]) -> Result {
    let started = Instant::now();
    setup()?;
    let only = |tier: &str| args.is_empty() || args.iter().any(|a| a == tier);
    let mut tiers: Vec<(&str, Counts)> = Vec::new();
    if only("lint") {
        lint()?;
        tiers.push(("lint (fmt, clippy)", Counts::default()));
    }
    if only("host") {
        // survey-core, collector, xtask on the host.
        tiers.push(("host", run_counted(cmd("cargo").args(["test", "--workspace", "--exclude", "cohort-survey"]))?));
    }
    if only("wasm") {
        let mut c = cmd("cargo");
        c.args(["test", "--target", "wasm32-unknown-unknown", "-p", "cohort-survey"]).env("CHROMEDRIVER", "/usr/bin/chromedriver");
        tiers.push(("wasm (Chromium)", run_counted(&mut c)?));
    }
    if only("size") || only("e2e") {
        build_app()?;
        build_collector()?;
    }
    if only("size") {
        // The budget the project sets itself: a first visit over it fails.
        let total = first_visit()?;
        if total > SIZE_LIMIT {
            return Err(format!("size: a first visit is {total} B on the wire, over the enforced limit of {SIZE_LIMIT} B"));
        }
        tiers.push(("size", Counts { passed: 1, ..Counts::default() }));
    }
    if only("e2e") {
        let mut c = cmd("npx");
        c.args(["playwright", "test"]).args(args.iter().filter(|a| !["lint", "host", "wasm", "size", "e2e"].contains(&a.as_str())));
        tiers.push(("e2e (Playwright)", run_counted(&mut c)?));
    }
    let (mut passed, mut failed, mut flaky) = (0, 0, 0);
    for (tier, n) in &tiers {
        if tier.starts_with("lint") {
            println!("{tier}: clean");
            continue;
        }
        // A flaky test passed only on its retry: counted as passed, and named.
        let note = if n.flaky > 0 { format!(" ({} only on a retry: flaky, see above)", n.flaky) } else { String::new() };
        println!("{tier}: {} passed{note}, {} failed", n.passed + n.flaky, n.failed);
        passed += n.passed + n.flaky;
        failed += n.failed;
        flaky += n.flaky;
    }
    println!("test: every tier ran in {:.0?}", started.elapsed());
    if flaky > 0 {
        println!("flaky: {flaky} test(s) failed once and passed on the retry");
    }
    println!("total: {passed} passed, {failed} failed");
    Ok(())
}

/// The first tier, and the cheapest to fail: formatting (rustfmt.toml) and
/// clippy with warnings as errors, host crates on the host and the app for
/// the target it ships to (web-sys code is only compiled for wasm32).
fn lint() -> Result {
    let installed = cmd("rustup").args(["component", "list", "--installed"]).output().map_err(|e| format!("rustup: {e}"))?;
    let installed = String::from_utf8_lossy(&installed.stdout).into_owned();
    let missing: Vec<&str> =
        ["rustfmt", "clippy"].into_iter().filter(|c| !installed.lines().any(|l| l.starts_with(&format!("{c}-")))).collect();
    if !missing.is_empty() {
        run_cmd(cmd("rustup").args(["component", "add"]).args(&missing))?;
    }
    run_cmd(cmd("cargo").args(["fmt", "--all", "--check"]))?;
    run_cmd(cmd("cargo").args(["clippy", "--workspace", "--exclude", "cohort-survey", "--all-targets", "--", "-D", "warnings"]))?;
    run_cmd(cmd("cargo").args([
        "clippy",
        "-p",
        "cohort-survey",
        "--target",
        "wasm32-unknown-unknown",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))
}

#[derive(Default)]
struct Counts {
    passed: u64,
    failed: u64,
    /// Playwright: failed, then passed on the retry.
    flaky: u64,
}

/// Runs a test command, echoing its output, and counts what cargo test
/// (`test result: ok. N passed; M failed`) and Playwright (`N passed`,
/// `N failed`, `N flaky`) report. Fails when the command fails.
fn run_counted(c: &mut Command) -> Result<Counts> {
    use std::io::BufRead;
    let shown = format!("{c:?}").replace('"', "");
    eprintln!("$ {shown}");
    let mut child = c.stdout(Stdio::piped()).spawn().map_err(|e| format!("could not start {shown}: {e}"))?;
    let mut n = Counts::default();
    if let Some(out) = child.stdout.take() {
        for line in std::io::BufReader::new(out).lines().map_while(std::result::Result::ok) {
            println!("{line}");
            let words: Vec<&str> = line.split(|ch: char| ch.is_whitespace() || ch == ';' || ch == '.').filter(|w| !w.is_empty()).collect();
            for pair in words.windows(2) {
                if let Ok(k) = pair[0].parse::<u64>() {
                    match pair[1] {
                        "passed" => n.passed += k,
                        "failed" => n.failed += k,
                        "flaky" => n.flaky += k,
                        _ => {}
                    }
                }
            }
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    if status.success() {
        Ok(n)
    } else {
        Err(format!("{shown} failed ({status}); {} passed, {} failed", n.passed, n.failed))
    }
}

// -------------------------------------------------------------------- size ---

fn size() -> Result {
    setup()?;
    build_app()?;
    build_collector()?;
    let dist = root().join("dist");
    let mut files = Vec::new();
    collect(&dist, &mut files).map_err(|e| format!("dist: {e}"))?;
    // The .br/.gz twins are the same files, compressed for the receiver.
    files.retain(|f| !f.extension().is_some_and(|e| e == "br" || e == "gz"));
    files.sort();
    println!("{:<48} {:>10} {:>10} {:>10}", "every file of the release build", "raw", "gzip -9", "brotli 11");
    for f in &files {
        let bytes = fs::read(f).map_err(|e| e.to_string())?;
        let name = f.strip_prefix(&dist).unwrap_or(f).display().to_string();
        println!("{name:<48} {:>10} {:>10} {:>10}", bytes.len(), gzip(&bytes), brotli(&bytes));
    }
    println!();
    let total = first_visit()?;
    println!(
        "\nbudget: 80 KB ({BUDGET} B) on the wire for a first visit: {}; enforced by `cargo xtask test` at {SIZE_LIMIT} B",
        if total <= BUDGET { "within" } else { "OVER" }
    );
    Ok(())
}

/// Principle 5's budget: a first visit, on the wire, as the reference
/// receiver serves it.
const BUDGET: u64 = 81_920;
/// What `cargo xtask test` enforces: the budget once the app is within it;
/// until then a ratchet at the measured size (rounded up), lowered as cuts
/// land, so the size can only go down.
const SIZE_LIMIT: u64 = 130_000;

/// Serves dist/ with the release receiver and fetches what a first visit
/// fetches, as a browser asks for it (`Accept-Encoding: br, gzip`): the
/// page, every file it links, config.json, the questionnaire config.json
/// names, the service worker and its precache list. Prints each file's bytes
/// on the wire and returns the total.
fn first_visit() -> Result<u64> {
    let dist = root().join("dist");
    let index = fs::read_to_string(dist.join("index.html")).map_err(|e| format!("dist/index.html: {e}"))?;
    let mut paths = vec![String::new()];
    // Every href/src in the page, and every './file' its inline loader
    // fetches (tools/loader.mjs: the app's JS and wasm).
    for (attr, quote) in [("href=\"", '"'), ("src=\"", '"'), ("'./", '\'')] {
        for part in index.split(attr).skip(1) {
            let url = part.split(quote).next().unwrap_or("").trim_start_matches("./").to_owned();
            // Only iOS asks for its home-screen icon, and only when one is added.
            // A link to this page in another language (`?lang=cy`) is not fetched.
            if !url.is_empty() && !url.contains("://") && !url.contains("apple-touch-icon") && !url.starts_with(['?', '#']) {
                paths.push(url);
            }
        }
    }
    paths.push("config.json".into());
    let config = fs::read_to_string(dist.join("config.json")).unwrap_or_default();
    if let Some(q) = config.split("\"questionnaire\"").nth(1).and_then(|r| r.split('"').nth(1)) {
        paths.push(q.trim_start_matches("./").to_owned());
    }
    paths.push("sw.js".into());
    let sw = fs::read_to_string(dist.join("sw.js")).unwrap_or_default();
    if let Some(list) = sw.split("__PRECACHE=[").nth(1).and_then(|r| r.split(']').next()) {
        paths.extend(list.split(',').map(|p| p.trim_matches('"').trim_start_matches("./").to_owned()));
    }
    let mut seen = Vec::new();
    paths.retain(|p| {
        let p = p.trim_end_matches('/').to_owned();
        !seen.contains(&p) && {
            seen.push(p);
            true
        }
    });

    let port = 8179;
    let data = env::temp_dir().join(format!("cohort-survey-size-{}.sqlite", std::process::id()));
    let mut server = cmd(collector_bin("collector").to_str().unwrap_or("collector"))
        .args(["--listen", &format!("127.0.0.1:{port}"), "--database", data.to_str().unwrap_or("size.sqlite")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("collector: {e}"))?;
    let result = (|| {
        let deadline = Instant::now() + std::time::Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                return Err("size: the receiver did not start".to_owned());
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        println!("{:<48} {:>10} {:>8}", "first visit, as the receiver serves it", "on wire", "encoding");
        let mut total = 0;
        for p in &paths {
            let (status, encoding, body) = http_get(port, &format!("/{p}"))?;
            if status != 200 {
                return Err(format!("size: GET /{p} answered {status}"));
            }
            println!("{:<48} {body:>10} {encoding:>8}", if p.is_empty() { "/ (index.html)" } else { p });
            total += body;
        }
        println!("{:<48} {total:>10}", "TOTAL first visit");
        Ok(total)
    })();
    let _ = server.kill();
    let _ = server.wait();
    let _ = fs::remove_file(&data);
    result
}

/// One HTTP/1.1 GET on loopback: status, Content-Encoding, body bytes.
fn http_get(port: u16, path: &str) -> Result<(u16, String, u64)> {
    use std::io::Read;
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    write!(s, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: br, gzip\r\nConnection: close\r\n\r\n")
        .map_err(|e| e.to_string())?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).map_err(|e| e.to_string())?;
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").ok_or("size: no HTTP header")?;
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let status = head.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let header = |name: &str| head.lines().find_map(|l| l.strip_prefix(name).map(|v| v.trim().to_owned()));
    let mut body = raw[split + 4..].to_vec();
    if header("transfer-encoding:").is_some_and(|v| v.contains("chunked")) {
        body = dechunk(&body);
    }
    Ok((status, header("content-encoding:").unwrap_or_else(|| "-".into()), body.len() as u64))
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = b.windows(2).position(|w| w == b"\r\n") {
        let n = usize::from_str_radix(String::from_utf8_lossy(&b[..end]).trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        let start = end + 2;
        out.extend_from_slice(&b[start..(start + n).min(b.len())]);
        b = &b[(start + n + 2).min(b.len())..];
    }
    out
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for e in fs::read_dir(dir)? {
        let p = e?.path();
        if p.is_dir() {
            collect(&p, out)?;
        } else {
            out.push(p);
        }
    }
    Ok(())
}

fn gzip(b: &[u8]) -> usize {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(b).and_then(|_| e.finish()).map(|v| v.len()).unwrap_or(0)
}

fn brotli(b: &[u8]) -> usize {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
    brotli::BrotliCompress(&mut &b[..], &mut out, &params).map(|_| out.len()).unwrap_or(0)
}

// ------------------------------------------------------------------- bench ---

fn bench(args: &[String]) -> Result {
    setup()?;
    build_app()?;
    build_collector()?;
    // Receiver ingest under concurrent load.
    let mut c = cmd(collector_bin("collector-bench").to_str().unwrap_or("collector-bench"));
    c.args(args);
    run_cmd(&mut c)?;
    // The app flushing a full outbox to the real receiver, in Chromium.
    run_cmd(cmd("node").arg("tests/bench/outbox-flush.mjs"))
}

// -------------------------------------------------------------------- perf ---

/// The receiver `perf` starts listens here unless `--port` says otherwise;
/// Chromium's DevTools endpoint for Lighthouse takes the next port.
const PERF_PORT: u16 = 8400;

/// `cargo xtask perf [--port N] [--runs N]`: Lighthouse (tools/perf.mjs) and
/// input latency (tools/latency.mjs) against the release build served by the
/// real receiver with a throw-away database. Prints figures beside their
/// targets (docs/performance.md); fails only when a measurement cannot be made.
fn perf(args: &[String]) -> Result {
    let mut port = PERF_PORT;
    let mut runs = "3".to_owned();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match (a.as_str(), it.next()) {
            ("--port", Some(v)) => port = v.parse().map_err(|_| format!("--port: not a port: {v}"))?,
            ("--runs", Some(v)) if v.parse::<u8>().is_ok_and(|n| n > 0) => runs = v.clone(),
            _ => return Err(format!("perf: unknown or incomplete argument {a} (usage: cargo xtask perf [--port N] [--runs N])")),
        }
    }
    setup()?;
    build_app()?;
    build_collector()?;
    let receiver = PerfReceiver::start(port)?;
    let url = format!("http://127.0.0.1:{port}/");
    let chrome_port = port.checked_add(1).ok_or("perf: --port must leave room for the next port")?.to_string();
    // Both measurements run even when the first fails; the first error is reported.
    let lighthouse = run_cmd(cmd("node").args(["tools/perf.mjs", "--url", &url, "--runs", &runs, "--chrome-port", &chrome_port]));
    let latency = run_cmd(cmd("node").args(["tools/latency.mjs", "--url", &url]));
    drop(receiver);
    lighthouse.and(latency)
}

/// The reference receiver serving dist/ from a temporary directory (its
/// database and an empty config, so a local collector.toml changes nothing
/// measured); stopped and removed on drop.
struct PerfReceiver {
    child: std::process::Child,
    dir: PathBuf,
}

impl PerfReceiver {
    fn start(port: u16) -> Result<Self> {
        // A server already on the port would answer the health check and be measured instead.
        std::net::TcpListener::bind(("127.0.0.1", port))
            .map_err(|e| format!("perf: port {port} is not free ({e}); choose another with --port"))?;
        let dir = env::temp_dir().join(format!("cs-perf-{}", std::process::id()));
        fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let config = dir.join("collector.toml");
        fs::write(&config, "").map_err(|e| format!("{}: {e}", config.display()))?;
        let mut c = cmd(collector_bin("collector").to_str().unwrap_or("collector"));
        c.arg("--config")
            .arg(&config)
            .args(["--listen", &format!("127.0.0.1:{port}"), "--database"])
            .arg(dir.join("perf.sqlite"))
            .args(["--dist-dir", "dist", "--questionnaires-dir", "public/questionnaires"])
            .env_remove("COLLECTOR_LISTEN")
            .env_remove("COLLECTOR_DB")
            .env("COLLECTOR_LOG", "warn")
            .stdout(Stdio::null());
        eprintln!("$ {}", format!("{c:?}").replace('"', ""));
        let child = c.spawn().map_err(|e| format!("could not start the receiver: {e}"))?;
        let mut receiver = PerfReceiver { child, dir };
        let started = Instant::now();
        while !healthy(port) {
            if let Ok(Some(status)) = receiver.child.try_wait() {
                return Err(format!("perf: the receiver exited ({status}) before answering"));
            }
            if started.elapsed().as_secs() >= 30 {
                return Err(format!("perf: the receiver did not answer on port {port} within 30 s"));
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        Ok(receiver)
    }
}

impl Drop for PerfReceiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// Whether `GET /healthz` on the port answers 200 (plain std: no HTTP client
/// crate for one request).
fn healthy(port: u16) -> bool {
    use std::io::Read;
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let Ok(mut s) = std::net::TcpStream::connect_timeout(&addr, std::time::Duration::from_secs(1)) else { return false };
    let _ = s.set_read_timeout(Some(std::time::Duration::from_secs(2)));
    let mut reply = String::new();
    s.write_all(b"GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").is_ok()
        && s.read_to_string(&mut reply).is_ok()
        && reply.split_whitespace().nth(1) == Some("200")
}
