//! [`StrMap`]: string keys to strings, kept sorted by key.

use std::fmt;

/// A map from string keys to strings, sorted by key (byte order, as
/// `BTreeMap<String, String>`), so it is written the same way every time.
///
/// # Why not `BTreeMap<String, String>`
/// Wasm size: each `BTreeMap` key/value pair is a family of its own (search,
/// insertion, node splitting, iteration, drop), and these maps (a text's
/// languages, a Likert grid, a config's headers) hold a handful of entries.
/// A sorted `Vec` with a binary search is a few hundred bytes. Built from many
/// pairs at once it sorts them (O(n log n)), so a hostile object of many keys
/// costs no more than it did in a `BTreeMap`. `tests/str_map.rs` checks it
/// against `BTreeMap` (a differential property test).
///
/// # Usage
/// ```
/// use cs_json::StrMap;
/// let mut m: StrMap = [("en".to_owned(), "Hello".to_owned()), ("cy".to_owned(), "Helo".to_owned())].into_iter().collect();
/// assert_eq!(m.insert("en".into(), "Hi".into()), Some("Hello".into()));
/// assert_eq!(m.keys().collect::<Vec<_>>(), ["cy", "en"]);
/// assert_eq!(m["en"], "Hi");
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct StrMap(Vec<(String, String)>);

impl StrMap {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Where `key` is, or where it would go.
    fn find(&self, key: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }

    pub fn get(&self, key: &str) -> Option<&String> {
        self.find(key).ok().map(|i| &self.0[i].1)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.find(key).is_ok()
    }

    /// Sets `key` to `value`, returning the value it replaced, if any.
    pub fn insert(&mut self, key: String, value: String) -> Option<String> {
        match self.find(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, value)),
            Err(i) => {
                self.0.insert(i, (key, value));
                None
            }
        }
    }

    /// Takes `key` out, returning its value, if it was there.
    pub fn remove(&mut self, key: &str) -> Option<String> {
        self.find(key).ok().map(|i| self.0.remove(i).1)
    }

    /// The entries in key order.
    pub fn iter(&self) -> Iter<'_> {
        Iter(self.0.iter())
    }

    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(_, v)| v)
    }
}

/// Later pairs win over earlier ones with the same key, as in `collect()`
/// into a `BTreeMap`.
impl FromIterator<(String, String)> for StrMap {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(pairs: I) -> Self {
        Self::from(pairs.into_iter().collect::<Vec<_>>())
    }
}

/// Later pairs win over earlier ones with the same key, as in `collect()`
/// into a `BTreeMap`.
impl From<Vec<(String, String)>> for StrMap {
    fn from(v: Vec<(String, String)>) -> Self {
        // Objects we wrote ourselves come sorted and need nothing more.
        if v.windows(2).all(|w| w[0].0 < w[1].0) {
            return StrMap(v);
        }
        // Positions sorted by key; equal keys, the later pair first, so that
        // `dedup_by` (which keeps the first of a run) keeps it.
        let mut order: Vec<usize> = (0..v.len()).collect();
        crate::heap_sort(&mut order, |&a, &b| (&v[a].0, b) < (&v[b].0, a));
        order.dedup_by(|a, b| v[*a].0 == v[*b].0);
        let mut slots: Vec<Option<(String, String)>> = v.into_iter().map(Some).collect();
        StrMap(order.into_iter().filter_map(|i| slots[i].take()).collect())
    }
}

impl std::ops::Index<&str> for StrMap {
    type Output = String;

    /// # Panics
    /// When `key` is absent, as `BTreeMap` does.
    fn index(&self, key: &str) -> &String {
        self.get(key).expect("no entry for this key in the StrMap")
    }
}

impl fmt::Debug for StrMap {
    /// As a `BTreeMap` is shown: `{"cy": "Helo", "en": "Hello"}`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// The entries of a [`StrMap`] in key order.
#[derive(Clone)]
pub struct Iter<'a>(std::slice::Iter<'a, (String, String)>);

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a String, &'a String);

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (k, v))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl<'a> IntoIterator for &'a StrMap {
    type Item = (&'a String, &'a String);
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}
