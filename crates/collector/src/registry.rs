//! The questionnaires this receiver accepts answers to, loaded once at start.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use survey_core::{Questionnaire, SchemaError};
use thiserror::Error;

/// Known questionnaires keyed by `(id, version)`.
#[derive(Debug, Clone, Default)]
pub struct Questionnaires {
    by_key: BTreeMap<(String, String), Questionnaire>,
}

/// Why the questionnaire directory could not be loaded. Each names the file.
#[derive(Debug, Error)]
pub enum LoadError {
    #[error("cannot read questionnaire directory {}: {source}", dir.display())]
    ReadDir { dir: PathBuf, source: std::io::Error },
    #[error("cannot read questionnaire file {}: {source}", path.display())]
    ReadFile { path: PathBuf, source: std::io::Error },
    #[error("questionnaire file {}: {source}", path.display())]
    Schema { path: PathBuf, source: SchemaError },
    #[error("questionnaire files {} and {} both define \"{id}\" version \"{version}\"", first.display(), second.display())]
    Duplicate { first: PathBuf, second: PathBuf, id: String, version: String },
    #[error("no questionnaire files (*.json) in {}", dir.display())]
    Empty { dir: PathBuf },
}

impl Questionnaires {
    /// Loads every `*.json` file in `dir`. Any broken file stops the start:
    /// a receiver that silently skipped one would refuse that questionnaire's
    /// answers for as long as it ran.
    pub fn load_dir(dir: &Path) -> Result<Self, LoadError> {
        let entries = std::fs::read_dir(dir).map_err(|source| LoadError::ReadDir { dir: dir.to_owned(), source })?;
        let mut paths = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|source| LoadError::ReadDir { dir: dir.to_owned(), source })?;
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "json") && path.is_file() {
                paths.push(path);
            }
        }
        paths.sort();
        let mut files: BTreeMap<(String, String), PathBuf> = BTreeMap::new();
        let mut out = Questionnaires::default();
        for path in paths {
            let text = std::fs::read_to_string(&path).map_err(|source| LoadError::ReadFile { path: path.clone(), source })?;
            let q = Questionnaire::from_json(&text).map_err(|source| LoadError::Schema { path: path.clone(), source })?;
            let key = (q.id.clone(), q.version.clone());
            if let Some(first) = files.get(&key) {
                return Err(LoadError::Duplicate { first: first.clone(), second: path, id: key.0, version: key.1 });
            }
            files.insert(key.clone(), path);
            out.by_key.insert(key, q);
        }
        if out.by_key.is_empty() {
            return Err(LoadError::Empty { dir: dir.to_owned() });
        }
        Ok(out)
    }

    /// Builds a set from questionnaires already parsed (tests, the fuzz target).
    pub fn from_list(list: impl IntoIterator<Item = Questionnaire>) -> Self {
        Questionnaires { by_key: list.into_iter().map(|q| ((q.id.clone(), q.version.clone()), q)).collect() }
    }

    pub fn get(&self, id: &str, version: &str) -> Option<&Questionnaire> {
        self.by_key.get(&(id.to_owned(), version.to_owned()))
    }

    /// The versions known for `id`, for the "unknown questionnaire" message.
    pub fn versions_of(&self, id: &str) -> Vec<String> {
        self.by_key.keys().filter(|(i, _)| i == id).map(|(_, v)| v.clone()).collect()
    }

    /// All questionnaires, ordered by id and then version (numerically when
    /// both versions are numbers, so "10" follows "9").
    pub fn iter(&self) -> impl Iterator<Item = &Questionnaire> {
        let mut all: Vec<&Questionnaire> = self.by_key.values().collect();
        all.sort_by(|a, b| a.id.cmp(&b.id).then_with(|| version_order(&a.version, &b.version)));
        all.into_iter()
    }

    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }
}

/// Orders versions numerically when both are whole numbers, else as text.
pub fn version_order(a: &str, b: &str) -> std::cmp::Ordering {
    match (a.parse::<u64>(), b.parse::<u64>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        _ => a.cmp(b),
    }
}
