//! The Cohort Survey reference receiver.
//!
//! Accepts anonymous submissions (`POST /api/submissions`, see
//! `docs/submission-format.md`), checks them with the very same
//! `survey-core` code the browser runs, stores each once in a SQLite file and
//! exports them as CSV or JSON for the people running the survey. It also
//! serves the built app with strict security headers.
//!
//! Privacy by construction: no client address, user agent, cookie or receive
//! time is logged or stored; only what the browser sends, whose coarsest
//! time is a month or ISO week.
//!
//! ```no_run
//! # async fn demo() -> Result<(), collector::StartError> {
//! let config = collector::Config::default();
//! collector::serve(config, async { let _ = tokio::signal::ctrl_c().await; }).await
//! # }
//! ```

pub mod api;
pub mod auth;
pub mod config;
pub mod conn;
pub mod error;
pub mod export;
pub mod ingest;
pub mod registry;
pub mod report;
pub mod store;
pub mod web;

pub use config::{Action, Config, ConfigError};
pub use error::ApiError;
pub use registry::{LoadError, Questionnaires};
pub use store::{Store, StoreError};

use api::Fault;
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::routing::{any, get, post};
use axum::{middleware, Router};
use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use thiserror::Error;
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;

/// Shared state of a running receiver; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    questionnaires: Questionnaires,
    store: Store,
    /// `Some` only when test faults are enabled.
    faults: Option<Mutex<Option<Fault>>>,
    /// Large bodies parsed at once, off the async workers (see `api`).
    heavy: tokio::sync::Semaphore,
}

impl AppState {
    /// Bundles what the handlers need. Faults are enabled by `config.test_faults`.
    pub fn new(config: Config, questionnaires: Questionnaires, store: Store) -> Self {
        let faults = config.test_faults.then(|| Mutex::new(None));
        let heavy = tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get()));
        AppState { inner: Arc::new(Inner { config, questionnaires, store, faults, heavy }) }
    }

    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    pub fn questionnaires(&self) -> &Questionnaires {
        &self.inner.questionnaires
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// Permits for parsing large bodies on the blocking pool: one per core.
    fn heavy_permits(&self) -> &tokio::sync::Semaphore {
        &self.inner.heavy
    }

    fn faults(&self) -> Option<&Mutex<Option<Fault>>> {
        self.inner.faults.as_ref()
    }

    /// Uses up one injected fault, if any is pending.
    fn take_fault(&self) -> Option<Fault> {
        let mut slot = self.faults()?.lock().ok()?;
        let fault = slot.as_mut()?;
        fault.remaining = fault.remaining.saturating_sub(1);
        let taken = fault.clone();
        if fault.remaining == 0 {
            *slot = None;
        }
        Some(taken)
    }
}

/// The whole HTTP application.
pub fn app(state: AppState) -> Router {
    let config = state.config().clone();

    // CORS only where a browser on another origin needs it: the POST. Exports
    // stay same-origin/curl-only. No credentials: nothing uses cookies.
    let origins: Vec<HeaderValue> = config.allowed_origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()).collect();
    let mut allowed_headers = vec![header::CONTENT_TYPE, api::IDEMPOTENCY_KEY.clone()];
    allowed_headers.extend(config.extra_allowed_headers.iter().filter_map(|h| HeaderName::from_bytes(h.as_bytes()).ok()));
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::POST, Method::OPTIONS])
        .allow_headers(allowed_headers)
        // Without this a page on another origin cannot read Retry-After, and
        // retries a 503/429 after its own 1-2 s instead of the time asked.
        .expose_headers([header::RETRY_AFTER])
        .max_age(std::time::Duration::from_secs(600));

    let submissions =
        Router::new().route("/api/submissions", post(api::post_submission)).layer(DefaultBodyLimit::max(config.max_body_bytes)).layer(cors);

    let api = Router::new()
        // The exports (bearer token or report session), /api/report.json,
        // the R/SPSS files and /report: report::routes.
        .route("/api/{*rest}", any(api::api_not_found))
        .route("/__test/fault", post(api::set_fault))
        .merge(submissions)
        // Answers and exports must never sit in a cache.
        .layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .route("/healthz", get(api::healthz))
        .with_state(state.clone())
        .merge(report::routes::router(state));

    let csp = HeaderValue::from_str(&web::csp_for(&config.csp, &config.dist_dir))
        .unwrap_or_else(|_| HeaderValue::from_static(config::DEFAULT_CSP));
    api.merge(web::static_files(&config.dist_dir))
        .layer(SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, csp))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .layer(CatchPanicLayer::custom(web::panic_response))
        .layer(middleware::from_fn(web::log_request))
}

/// Why the receiver could not start.
#[derive(Debug, Error)]
pub enum StartError {
    #[error(transparent)]
    Questionnaires(#[from] LoadError),
    #[error(transparent)]
    Database(#[from] StoreError),
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("server error: {0}")]
    Serve(std::io::Error),
}

impl StartError {
    /// Exit code for `main`: 2 for things the operator must fix in files, 1
    /// for the environment (port taken, disk unwritable).
    pub fn exit_code(&self) -> i32 {
        match self {
            StartError::Questionnaires(_) => 2,
            _ => 1,
        }
    }
}

/// A receiver with its port bound and database open, not yet serving.
pub struct Server {
    listener: TcpListener,
    state: AppState,
}

/// Loads questionnaires, opens the database and binds the port.
pub async fn bind(config: Config) -> Result<Server, StartError> {
    let state = prepare(config)?;
    let addr = state.config().listen;
    let listener = TcpListener::bind(addr).await.map_err(|source| StartError::Bind { addr, source })?;
    Ok(Server { listener, state })
}

/// Loads questionnaires and opens the database (what `--check` checks).
pub fn prepare(config: Config) -> Result<AppState, StartError> {
    let questionnaires = Questionnaires::load_dir(&config.questionnaires_dir)?;
    let store = Store::open(&config.database)?;
    Ok(AppState::new(config, questionnaires, store))
}

impl Server {
    /// The bound address (the real port when `listen` used port 0).
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` completes, then lets in-flight requests finish,
    /// flushes the database and returns.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        let Server { listener, state } = self;
        let limits = conn::Limits::from_config(state.config());
        let result = conn::serve(listener, app(state.clone()), limits, shutdown).await;
        state.store().close().await;
        result
    }
}

/// Binds and serves until `shutdown` completes.
pub async fn serve(config: Config, shutdown: impl Future<Output = ()> + Send + 'static) -> Result<(), StartError> {
    bind(config).await?.run(shutdown).await.map_err(StartError::Serve)
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
