//! SQLite storage: one file, WAL mode, `synchronous=FULL`.
//!
//! All writes go through one writer thread that commits in groups: it takes
//! every insert waiting in its queue, runs them in one transaction and answers
//! each request only after that transaction is on disk. Each submission is
//! therefore durable before the client hears 201, yet 16 clients share one
//! fsync instead of queueing for 16.
//!
//! Nothing time-like is stored beyond the coarse `period` the client sends: no
//! receive timestamp, no address, no user agent. `seq` only keeps arrival order.

use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex};
use std::thread::JoinHandle;
use thiserror::Error;
use tokio::sync::oneshot;

/// Most inserts committed together; bounds how long one commit can take.
const MAX_BATCH: usize = 512;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS submissions (
    seq                   INTEGER PRIMARY KEY AUTOINCREMENT,
    submission_id         TEXT NOT NULL UNIQUE,
    questionnaire_id      TEXT NOT NULL,
    questionnaire_version TEXT NOT NULL,
    period                TEXT NOT NULL,
    body                  TEXT NOT NULL,
    digest                TEXT NOT NULL
) STRICT;
-- One row the health check rewrites: proof that a commit reaches the disk.
CREATE TABLE IF NOT EXISTS health (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    probe INTEGER NOT NULL
) STRICT;
";

/// A storage failure. Details go to the log; clients see a generic 500.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("cannot create the directory for {}: {source}", path.display())]
    CreateDir { path: PathBuf, source: std::io::Error },
    #[error("database {}: {source}", path.display())]
    Open { path: PathBuf, source: rusqlite::Error },
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("the database writer has stopped")]
    WriterGone,
    #[error("database task failed: {0}")]
    Task(String),
}

/// One accepted submission, ready to store.
#[derive(Debug, Clone)]
pub struct NewRow {
    pub submission_id: String,
    pub questionnaire_id: String,
    pub questionnaire_version: String,
    pub period: String,
    /// The canonical JSON (re-serialised `Submission`).
    pub body: String,
    /// Hex SHA-256 of `body`.
    pub digest: String,
}

/// What happened to an insert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Stored now.
    Inserted,
    /// Already stored with the identical canonical body.
    Duplicate,
    /// Already stored with a different body.
    Conflict,
}

/// One stored row, for exports.
#[derive(Debug, Clone)]
pub struct StoredRow {
    pub seq: i64,
    pub submission_id: String,
    pub body: String,
}

enum Job {
    Insert {
        row: NewRow,
        reply: oneshot::Sender<Result<Outcome, String>>,
    },
    /// A real, committed write: the health check.
    Probe {
        reply: oneshot::Sender<Result<(), String>>,
    },
    Stop,
}

/// Handle to the database: a writer thread plus a connection for reads.
pub struct Store {
    path: PathBuf,
    jobs: mpsc::Sender<Job>,
    reader: Arc<Mutex<Connection>>,
    writer: Mutex<Option<JoinHandle<()>>>,
}

impl Store {
    /// Opens (creating if needed) the database file and starts the writer.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir { path: path.to_owned(), source })?;
        }
        let open_err = |source| StoreError::Open { path: path.to_owned(), source };
        let writer = Connection::open(path).map_err(open_err)?;
        // WAL lets exports read while submissions are written; FULL makes every
        // commit reach the disk before we answer.
        writer
            .execute_batch(
                "PRAGMA journal_mode = WAL;
                 PRAGMA synchronous = FULL;
                 PRAGMA busy_timeout = 5000;",
            )
            .map_err(open_err)?;
        writer.execute_batch(SCHEMA).map_err(open_err)?;
        let reader =
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX).map_err(open_err)?;
        reader.execute_batch("PRAGMA busy_timeout = 5000;").map_err(open_err)?;

        let (tx, rx) = mpsc::channel();
        let handle = std::thread::Builder::new()
            .name("collector-db-writer".into())
            .spawn(move || writer_loop(writer, rx))
            .map_err(|e| StoreError::Task(e.to_string()))?;
        Ok(Store { path: path.to_owned(), jobs: tx, reader: Arc::new(Mutex::new(reader)), writer: Mutex::new(Some(handle)) })
    }

    /// The data file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Stores `row` once per submission id; answers after the commit is durable.
    pub async fn insert(&self, row: NewRow) -> Result<Outcome, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.jobs.send(Job::Insert { row, reply }).map_err(|_| StoreError::WriterGone)?;
        match answer.await {
            Ok(Ok(outcome)) => Ok(outcome),
            Ok(Err(message)) => Err(StoreError::Task(message)),
            Err(_) => Err(StoreError::WriterGone),
        }
    }

    /// The stored canonical body of `submission_id`, if any.
    pub async fn lookup(&self, submission_id: String) -> Result<Option<String>, StoreError> {
        self.read(move |c| c.query_row("SELECT body FROM submissions WHERE submission_id = ?1", [&submission_id], |r| r.get(0)).optional())
            .await
    }

    /// Every stored submission in arrival order.
    pub async fn all(&self) -> Result<Vec<StoredRow>, StoreError> {
        self.read(|c| {
            let mut stmt = c.prepare("SELECT seq, submission_id, body FROM submissions ORDER BY seq")?;
            let rows = stmt.query_map([], |r| Ok(StoredRow { seq: r.get(0)?, submission_id: r.get(1)?, body: r.get(2)? }))?;
            rows.collect()
        })
        .await
    }

    /// The health check: the database can be read, and a write commits (a
    /// read alone said "ok" on a full disk or a locked file while every POST
    /// failed). The write goes through the writer thread like an insert, so
    /// it is tested with the very connection and settings inserts use.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.read(|c| c.query_row("SELECT EXISTS (SELECT 1 FROM submissions)", [], |_| Ok(()))).await?;
        let (reply, answer) = oneshot::channel();
        self.jobs.send(Job::Probe { reply }).map_err(|_| StoreError::WriterGone)?;
        match answer.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(message)) => Err(StoreError::Task(message)),
            Err(_) => Err(StoreError::WriterGone),
        }
    }

    /// How many submissions are stored.
    pub async fn count(&self) -> Result<i64, StoreError> {
        self.read(|c| c.query_row("SELECT count(*) FROM submissions", [], |r| r.get(0))).await
    }

    async fn read<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        let reader = Arc::clone(&self.reader);
        tokio::task::spawn_blocking(move || {
            let conn = reader.lock().map_err(|_| StoreError::Task("reader lock poisoned".into()))?;
            f(&conn).map_err(StoreError::from)
        })
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?
    }

    /// Finishes queued writes and stops the writer thread. Later inserts fail.
    pub async fn close(&self) {
        let _ = self.jobs.send(Job::Stop);
        let handle = self.writer.lock().ok().and_then(|mut h| h.take());
        if let Some(handle) = handle {
            let _ = tokio::task::spawn_blocking(move || handle.join()).await;
        }
    }
}

fn writer_loop(mut conn: Connection, rx: mpsc::Receiver<Job>) {
    while let Ok(first) = rx.recv() {
        let mut batch = Vec::new();
        let mut probes = Vec::new();
        let mut stop = false;
        let mut next = Some(first);
        while let Some(job) = next.take() {
            match job {
                Job::Insert { row, reply } => batch.push((row, reply)),
                Job::Probe { reply } => probes.push(reply),
                Job::Stop => {
                    stop = true;
                    break;
                }
            }
            if batch.len() < MAX_BATCH {
                next = rx.try_recv().ok();
            }
        }
        if !batch.is_empty() {
            commit_batch(&mut conn, batch);
        }
        if !probes.is_empty() {
            // One committed write answers every health check that waited, so
            // a flood of /healthz costs one fsync per batch, not one each.
            let write = "INSERT INTO health (id, probe) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET probe = probe + 1";
            let result = conn.execute(write, []).map(|_| ()).map_err(|e| e.to_string());
            for reply in probes {
                let _ = reply.send(result.clone());
            }
        }
        if stop {
            break;
        }
    }
    // Checkpoint so the main file holds everything when we stop cleanly.
    let _ = conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);");
}

type Reply = oneshot::Sender<Result<Outcome, String>>;

fn commit_batch(conn: &mut Connection, batch: Vec<(NewRow, Reply)>) {
    match insert_all(conn, batch.iter().map(|(row, _)| row)) {
        Ok(outcomes) => {
            for ((_, reply), outcome) in batch.into_iter().zip(outcomes) {
                let _ = reply.send(Ok(outcome));
            }
        }
        Err(e) => {
            tracing::error!("database write failed: {e}");
            for (_, reply) in batch {
                let _ = reply.send(Err(e.to_string()));
            }
        }
    }
}

/// One transaction for the whole batch; all or nothing. `INSERT .. ON CONFLICT
/// DO NOTHING` on the unique id makes two identical concurrent posts one row.
fn insert_all<'a>(conn: &mut Connection, rows: impl Iterator<Item = &'a NewRow>) -> rusqlite::Result<Vec<Outcome>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut outcomes = Vec::new();
    {
        let mut insert = tx.prepare_cached(
            "INSERT INTO submissions (submission_id, questionnaire_id, questionnaire_version, period, body, digest)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (submission_id) DO NOTHING",
        )?;
        let mut existing = tx.prepare_cached("SELECT body FROM submissions WHERE submission_id = ?1")?;
        for row in rows {
            let changed = insert.execute((
                &row.submission_id,
                &row.questionnaire_id,
                &row.questionnaire_version,
                &row.period,
                &row.body,
                &row.digest,
            ))?;
            outcomes.push(if changed == 1 {
                Outcome::Inserted
            } else {
                let body: String = existing.query_row([&row.submission_id], |r| r.get(0))?;
                if body == row.body {
                    Outcome::Duplicate
                } else {
                    Outcome::Conflict
                }
            });
        }
    }
    tx.commit()?;
    Ok(outcomes)
}
