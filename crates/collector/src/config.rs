//! Receiver configuration: defaults, then a TOML (or JSON) file, then
//! environment variables, then command-line flags — later wins.
//!
//! Every mistake is a [`ConfigError`] with a sentence a person can act on;
//! `main` prints it and exits with code 2.

use axum::http::{HeaderName, HeaderValue};
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// The Content-Security-Policy sent with everything the receiver serves.
/// `'wasm-unsafe-eval'` is the least a WebAssembly app needs; nothing inline.
pub const DEFAULT_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self'; img-src 'self' data:; connect-src 'self'; manifest-src 'self'; \
worker-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'; object-src 'none'";

/// Default request body limit: a full response with every free-text box at its
/// longest is well under this.
pub const DEFAULT_MAX_BODY_BYTES: usize = 64 * 1024;

/// The config file read when `--config` is not given, if it exists.
pub const DEFAULT_CONFIG_FILE: &str = "collector.toml";

/// Everything the receiver can be told. See `docs/submission-format.md`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Address and port to listen on.
    pub listen: SocketAddr,
    /// The SQLite file; parent directories are created.
    pub database: PathBuf,
    /// The built app, served at `/`.
    pub dist_dir: PathBuf,
    /// Every `*.json` here is a questionnaire the receiver accepts answers to.
    pub questionnaires_dir: PathBuf,
    /// Exact origins (`https://host[:port]`) allowed to POST cross-origin.
    pub allowed_origins: Vec<String>,
    /// Bearer token for the exports; `None` disables them.
    pub export_token: Option<String>,
    /// Request headers allowed in CORS besides `content-type` and `idempotency-key`.
    pub extra_allowed_headers: Vec<String>,
    /// Larger request bodies get 413.
    pub max_body_bytes: usize,
    /// The Content-Security-Policy header value.
    pub csp: String,
    /// The report's minimum cell size k: no figure resting on fewer responses
    /// is shown (default 10; never below 5). See `docs/report.md`.
    pub report_min_cell: usize,
    /// Minutes a report sign-in lasts (default 30).
    pub report_session_minutes: u64,
    /// Wrong export tokens allowed in 15 minutes before sign-in locks (default 5).
    pub report_sign_in_attempts: usize,
    /// Seconds a client has to send a request's headers, counted from when a
    /// connection starts waiting for a request: also the keep-alive idle limit.
    pub header_read_timeout_secs: f64,
    /// Seconds with no byte either way mid-request (a stalled body, a client
    /// that stops reading the answer) before the connection is closed.
    pub idle_timeout_secs: f64,
    /// Connections served at once; more wait in the kernel's queue.
    pub max_connections: usize,
    /// Enables `POST /__test/fault`. Only from `COLLECTOR_TEST_FAULTS=1`, never
    /// from a file, so a copied config cannot switch it on in production.
    #[serde(skip)]
    pub test_faults: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database: PathBuf::from("data/cohort-survey.sqlite"),
            dist_dir: PathBuf::from("dist"),
            questionnaires_dir: PathBuf::from("public/questionnaires"),
            allowed_origins: Vec::new(),
            export_token: None,
            extra_allowed_headers: Vec::new(),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            csp: DEFAULT_CSP.to_owned(),
            report_min_cell: crate::report::DEFAULT_K,
            report_session_minutes: 30,
            report_sign_in_attempts: 5,
            header_read_timeout_secs: 10.0,
            idle_timeout_secs: 30.0,
            // Below the usual 1,024 open-file limit, leaving room for the
            // database, the static files and the listener.
            max_connections: 512,
            test_faults: false,
        }
    }
}

/// What the command line asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Start the server.
    Run(Box<Config>),
    /// Load config, questionnaires and database, report, and exit.
    Check(Box<Config>),
    Help,
    Version,
}

/// A configuration or command-line mistake.
#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("{0}\n\n{USAGE}")]
    Usage(String),
    #[error("cannot read config file {}: {source}", path.display())]
    Read { path: PathBuf, source: std::io::Error },
    #[error("config file {}: {message}", path.display())]
    Parse { path: PathBuf, message: String },
    #[error("{0}")]
    Invalid(String),
}

/// `collector --help`.
pub const USAGE: &str = "\
Usage: collector [OPTIONS]

Receives anonymous Cohort Survey submissions into one SQLite file and serves the app.

Options:
  --config <FILE>              TOML config file (JSON if it ends in .json)
                               [default: collector.toml, if it exists]
  --listen <ADDR:PORT>         address to listen on [default: 127.0.0.1:8080]
  --database <FILE>            SQLite data file [default: data/cohort-survey.sqlite]
  --dist-dir <DIR>             built app to serve at / [default: dist]
  --questionnaires-dir <DIR>   questionnaires accepted [default: public/questionnaires]
  --check                      check config, questionnaires and database, then exit
  -h, --help                   print this help
  -V, --version                print the version

Environment (overrides the file; flags override both):
  COLLECTOR_LISTEN, COLLECTOR_DB, COLLECTOR_EXPORT_TOKEN
  COLLECTOR_TEST_FAULTS=1      enable the test-only POST /__test/fault hook
  COLLECTOR_LOG                log level: error, warn, info (default), debug";

impl Config {
    /// Works out the configuration from command-line `args` (without the
    /// program name) and an environment lookup, reading the config file named
    /// by `--config` or `collector.toml` in the working directory.
    pub fn from_args<I, S>(args: I, env: impl Fn(&str) -> Option<String>) -> Result<Action, ConfigError>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let flags = Flags::parse(args)?;
        if flags.help {
            return Ok(Action::Help);
        }
        if flags.version {
            return Ok(Action::Version);
        }
        let mut config = match &flags.config {
            Some(path) => Config::from_file(path)?,
            None if Path::new(DEFAULT_CONFIG_FILE).is_file() => Config::from_file(Path::new(DEFAULT_CONFIG_FILE))?,
            None => Config::default(),
        };
        config.apply_env(env)?;
        if let Some(v) = flags.listen {
            config.listen = parse_listen("--listen", &v)?;
        }
        if let Some(v) = flags.database {
            config.database = v.into();
        }
        if let Some(v) = flags.dist_dir {
            config.dist_dir = v.into();
        }
        if let Some(v) = flags.questionnaires_dir {
            config.questionnaires_dir = v.into();
        }
        config.validate()?;
        Ok(if flags.check { Action::Check(Box::new(config)) } else { Action::Run(Box::new(config)) })
    }

    /// Reads a config file: JSON if its name ends in `.json`, TOML otherwise.
    /// Unknown keys are errors so a typo does not silently fall back to a default.
    pub fn from_file(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read { path: path.to_owned(), source })?;
        let parsed = if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) {
            serde_json::from_str(&text).map_err(|e| e.to_string())
        } else {
            toml::from_str(&text).map_err(|e| e.to_string())
        };
        let mut config: Config =
            parsed.map_err(|message| ConfigError::Parse { path: path.to_owned(), message: message.trim().to_owned() })?;
        // Relative paths in a file are relative to the file, so the server can be
        // started from anywhere.
        if let Some(base) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            for p in [&mut config.database, &mut config.dist_dir, &mut config.questionnaires_dir] {
                if p.is_relative() {
                    *p = base.join(&*p);
                }
            }
        }
        Ok(config)
    }

    /// Applies `COLLECTOR_LISTEN`, `COLLECTOR_DB`, `COLLECTOR_EXPORT_TOKEN` and
    /// `COLLECTOR_TEST_FAULTS`.
    pub fn apply_env(&mut self, env: impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        if let Some(v) = env("COLLECTOR_LISTEN").filter(|v| !v.is_empty()) {
            self.listen = parse_listen("COLLECTOR_LISTEN", &v)?;
        }
        if let Some(v) = env("COLLECTOR_DB").filter(|v| !v.is_empty()) {
            self.database = v.into();
        }
        if let Some(v) = env("COLLECTOR_EXPORT_TOKEN").filter(|v| !v.is_empty()) {
            self.export_token = Some(v);
        }
        self.test_faults = env("COLLECTOR_TEST_FAULTS").is_some_and(|v| v == "1");
        Ok(())
    }

    /// Checks values serde cannot: origins, header names, the CSP, the token.
    pub fn validate(&mut self) -> Result<(), ConfigError> {
        let bad = |m: String| Err(ConfigError::Invalid(m));
        for origin in &self.allowed_origins {
            if let Err(reason) = check_origin(origin) {
                return bad(format!("allowed_origins: \"{origin}\" {reason}"));
            }
        }
        for h in &self.extra_allowed_headers {
            if HeaderName::from_bytes(h.as_bytes()).is_err() {
                return bad(format!("extra_allowed_headers: \"{h}\" is not a valid header name"));
            }
        }
        if HeaderValue::from_str(&self.csp).is_err() || self.csp.trim().is_empty() {
            return bad("csp: must be a non-empty single-line header value".into());
        }
        if !(1024..=16 * 1024 * 1024).contains(&self.max_body_bytes) {
            return bad(format!("max_body_bytes: {} is outside 1024..=16777216", self.max_body_bytes));
        }
        if self.report_min_cell < crate::report::MIN_K || self.report_min_cell > 1000 {
            return bad(format!(
                "report_min_cell: {} is outside {}..=1000; fewer than {} responses per figure could point to a student",
                self.report_min_cell,
                crate::report::MIN_K,
                crate::report::MIN_K
            ));
        }
        if !(1..=720).contains(&self.report_session_minutes) {
            return bad(format!("report_session_minutes: {} is outside 1..=720", self.report_session_minutes));
        }
        if !(1..=100).contains(&self.report_sign_in_attempts) {
            return bad(format!("report_sign_in_attempts: {} is outside 1..=100", self.report_sign_in_attempts));
        }
        // An empty token means "not set", never "anyone may export".
        if self.export_token.as_deref().is_some_and(|t| t.trim().is_empty()) {
            self.export_token = None;
        }
        if let Some(t) = &self.export_token {
            if !t.bytes().all(|b| b.is_ascii_graphic()) {
                return bad("export_token: use printable ASCII without spaces".into());
            }
        }
        Ok(())
    }
}

fn parse_listen(what: &str, v: &str) -> Result<SocketAddr, ConfigError> {
    v.parse().map_err(|_| ConfigError::Invalid(format!("{what}: \"{v}\" is not an address:port such as 127.0.0.1:8080")))
}

/// An origin is `scheme://host[:port]` exactly as a browser sends it: no path,
/// no trailing slash (a common slip that would never match), no wildcard.
fn check_origin(origin: &str) -> Result<(), &'static str> {
    if origin == "*" {
        return Err("is a wildcard; list each origin exactly");
    }
    let Some((scheme, rest)) = origin.split_once("://") else {
        return Err("must look like https://survey.example.org");
    };
    if scheme != "https" && scheme != "http" {
        return Err("must start with https:// or http://");
    }
    if rest.is_empty() || rest.contains('/') || rest.contains('?') || rest.contains('#') || rest.contains('*') {
        return Err("must be scheme://host[:port] with no path or trailing slash");
    }
    if HeaderValue::from_str(origin).is_err() || origin.chars().any(|c| c.is_whitespace()) {
        return Err("is not a valid origin");
    }
    Ok(())
}

#[derive(Default)]
struct Flags {
    config: Option<PathBuf>,
    listen: Option<String>,
    database: Option<String>,
    dist_dir: Option<String>,
    questionnaires_dir: Option<String>,
    check: bool,
    help: bool,
    version: bool,
}

impl Flags {
    /// A deliberately tiny parser: a handful of flags does not warrant clap's
    /// compile time. Accepts `--flag value` and `--flag=value`.
    fn parse<I, S>(args: I) -> Result<Flags, ConfigError>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut flags = Flags::default();
        let mut args = args.into_iter().map(Into::into);
        while let Some(arg) = args.next() {
            let (name, inline) = match arg.split_once('=') {
                Some((n, v)) if n.starts_with("--") => (n.to_owned(), Some(v.to_owned())),
                _ => (arg.clone(), None),
            };
            let mut value = |flag: &str| -> Result<String, ConfigError> {
                inline
                    .clone()
                    .or_else(|| args.next())
                    .filter(|v| !v.is_empty())
                    .ok_or_else(|| ConfigError::Usage(format!("{flag} needs a value")))
            };
            match name.as_str() {
                "--config" | "-c" => flags.config = Some(value("--config")?.into()),
                "--listen" => flags.listen = Some(value("--listen")?),
                "--database" | "--db" => flags.database = Some(value("--database")?),
                "--dist-dir" => flags.dist_dir = Some(value("--dist-dir")?),
                "--questionnaires-dir" => flags.questionnaires_dir = Some(value("--questionnaires-dir")?),
                "--check" => flags.check = true,
                "-h" | "--help" => flags.help = true,
                "-V" | "--version" => flags.version = true,
                other => return Err(ConfigError::Usage(format!("unknown argument \"{other}\""))),
            }
        }
        Ok(flags)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    fn run(args: &[&str], env: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        match Config::from_args(args.iter().copied(), env)? {
            Action::Run(c) | Action::Check(c) => Ok(*c),
            other => panic!("expected a config, got {other:?}"),
        }
    }

    #[test]
    fn flags_override_env_override_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c.toml");
        std::fs::write(
            &file,
            "listen = \"127.0.0.1:9000\"\ndatabase = \"db.sqlite\"\nallowed_origins = [\"https://a.example\"]\nexport_token = \"from-file\"\n",
        )
        .unwrap();
        let env = |k: &str| (k == "COLLECTOR_EXPORT_TOKEN").then(|| "from-env".to_owned());
        let c = run(&["--config", file.to_str().unwrap(), "--listen=127.0.0.1:0"], env).unwrap();
        assert_eq!(c.listen.port(), 0);
        assert_eq!(c.export_token.as_deref(), Some("from-env"));
        assert_eq!(c.database, dir.path().join("db.sqlite"));
        assert_eq!(c.allowed_origins, ["https://a.example"]);
        assert!(!c.test_faults);
    }

    #[test]
    fn json_config_and_unknown_keys() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c.json");
        std::fs::write(&file, r#"{"max_body_bytes": 4096}"#).unwrap();
        assert_eq!(run(&["--config", file.to_str().unwrap()], no_env).unwrap().max_body_bytes, 4096);
        std::fs::write(&file, r#"{"max_body_byte": 4096}"#).unwrap();
        let err = run(&["--config", file.to_str().unwrap()], no_env).unwrap_err().to_string();
        assert!(err.contains("max_body_byte"), "{err}");
    }

    #[test]
    fn clear_errors() {
        let e = |args: &[&str]| run(args, no_env).unwrap_err().to_string();
        assert!(e(&["--listen", "nowhere"]).contains("not an address"));
        assert!(e(&["--bogus"]).contains("unknown argument"));
        assert!(e(&["--config"]).contains("needs a value"));
        assert!(e(&["--config", "/nonexistent/c.toml"]).contains("cannot read config file"));
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c.toml");
        std::fs::write(&file, "allowed_origins = [\"https://a.example/\"]").unwrap();
        assert!(e(&["--config", file.to_str().unwrap()]).contains("trailing slash"));
        std::fs::write(&file, "listen = 5").unwrap();
        assert!(e(&["--config", file.to_str().unwrap()]).contains("c.toml"));
    }

    #[test]
    fn faults_only_from_env_and_empty_token_is_none() {
        let env = |k: &str| match k {
            "COLLECTOR_TEST_FAULTS" => Some("1".to_owned()),
            _ => None,
        };
        assert!(run(&[], env).unwrap().test_faults);
        let mut c = Config { export_token: Some("  ".into()), ..Config::default() };
        c.validate().unwrap();
        assert_eq!(c.export_token, None);
    }

    #[test]
    fn report_settings() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c.toml");
        std::fs::write(&file, "report_min_cell = 5\nreport_session_minutes = 10\n").unwrap();
        let c = run(&["--config", file.to_str().unwrap()], no_env).unwrap();
        assert_eq!((c.report_min_cell, c.report_session_minutes, c.report_sign_in_attempts), (5, 10, 5));
        assert_eq!(Config::default().report_min_cell, 10);
        std::fs::write(&file, "report_min_cell = 4\n").unwrap();
        let err = run(&["--config", file.to_str().unwrap()], no_env).unwrap_err().to_string();
        assert!(err.contains("report_min_cell: 4 is outside 5..=1000"), "{err}");
    }

    #[test]
    fn help_and_version() {
        assert_eq!(Config::from_args(["--help"], no_env).unwrap(), Action::Help);
        assert_eq!(Config::from_args(["-V"], no_env).unwrap(), Action::Version);
    }
}
