//! `collector`: the Cohort Survey reference receiver. See `collector --help`
//! and `docs/submission-format.md`.

use collector::{Action, Config};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let action = match Config::from_args(args, |k| std::env::var(k).ok()) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("collector: {e}");
            return ExitCode::from(2);
        }
    };
    let config = match action {
        Action::Help => {
            println!("{}", collector::config::USAGE);
            return ExitCode::SUCCESS;
        }
        Action::Version => {
            println!("collector {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Action::Check(config) => return check(*config),
        Action::Run(config) => *config,
    };
    init_logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("collector: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    runtime.block_on(run(config))
}

async fn run(config: Config) -> ExitCode {
    let server = match collector::bind(config).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("collector: {e}");
            return ExitCode::from(e.exit_code() as u8);
        }
    };
    let addr = match server.local_addr() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("collector: {e}");
            return ExitCode::from(1);
        }
    };
    let state = server.state();
    let config = state.config();
    let data = std::fs::canonicalize(state.store().path()).unwrap_or_else(|_| state.store().path().to_owned());
    // Printed on stdout, one fact a line, so scripts (xtask e2e) can wait for
    // "listening on" and read the port when `--listen 127.0.0.1:0` was used.
    println!("collector {} listening on http://{addr}", env!("CARGO_PKG_VERSION"));
    println!("data file: {}", data.display());
    println!("questionnaires: {} from {}", state.questionnaires().len(), config.questionnaires_dir.display());
    if !config.dist_dir.join("index.html").is_file() {
        println!("note: {} has no index.html; only the API is served", config.dist_dir.display());
    }
    if config.export_token.is_some() {
        println!("export: curl -fsS -H 'Authorization: Bearer <token>' http://{addr}/api/submissions.csv -o submissions.csv");
        println!("codebook: curl -fsS -H 'Authorization: Bearer <token>' http://{addr}/api/codebook.csv -o codebook.csv");
    } else {
        println!("exports disabled: set export_token in the config file or COLLECTOR_EXPORT_TOKEN");
    }
    if config.test_faults {
        println!("WARNING: test fault hook enabled (COLLECTOR_TEST_FAULTS=1): POST /__test/fault; never use in production");
    }
    match server.run(collector::shutdown_signal()).await {
        Ok(()) => {
            println!("collector stopped");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("collector: {e}");
            ExitCode::from(1)
        }
    }
}

/// `--check`: load everything a start would, report, and exit.
fn check(config: Config) -> ExitCode {
    match collector::prepare(config) {
        Ok(state) => {
            println!("ok: {} questionnaire(s), database {}", state.questionnaires().len(), state.store().path().display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("collector: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

/// Logs to stderr; the level comes from `COLLECTOR_LOG` (default `info`).
/// No timestamps: together with arrival order they would date stored rows
/// more finely than their period (a service manager may add its own).
fn init_logging() {
    let level = match std::env::var("COLLECTOR_LOG").unwrap_or_default().to_ascii_lowercase().as_str() {
        "error" => tracing::Level::ERROR,
        "warn" => tracing::Level::WARN,
        "debug" => tracing::Level::DEBUG,
        "trace" => tracing::Level::TRACE,
        _ => tracing::Level::INFO,
    };
    tracing_subscriber::fmt().with_max_level(level).with_writer(std::io::stderr).with_target(false).without_time().init();
}
