//! Cohort Survey's JSON reader and writer, and its decimal <-> `f64`
//! conversion ([`num`]).
//!
//! # Why not serde + serde_json
//! Wasm size. Every byte here ships to a student's phone, and the app has an
//! 80 KB brotli budget. Measured in the app: serde + serde_json cost 14.4 KB of
//! brotli'd wasm (serde's derived visitors and serde_json's generic
//! deserializer, for five small documents: questionnaire, config, draft,
//! outbox item, submission), and core's float parsing/printing tables another
//! 11.7 KB. One value type ([`Json`]), a small parser and hand-written readers
//! ([`Fields`]) cost a few KB, and the errors name the field by its path
//! (`sections[1].questions[3]: unknown field "requierd"`), which helps a
//! school's editor more than a column.
//!
//! # Why it is its own crate
//! So the domain model (`survey-core`, which re-exports this crate as
//! `survey_core::json` and `survey_core::num`) reads as a domain model, and so
//! this code is tested on its own against the reference implementations:
//! serde_json (a differential property test), the JSONTestSuite parsing cases
//! (`tests/data/JSONTestSuite`), and core's own float parsing and `Display`.
//!
//! # The writer is a contract
//! The receiver stores each submission as the bytes [`Json::to_text`] writes
//! and decides "the same submission" (a retry: 200) or "a different one under
//! the same id" (409) by comparing those bytes. A change to the writer's output
//! (number form, escapes, field order) would turn retries into conflicts:
//! `survey-core`'s golden tests pin the bytes and digests.
//!
//! # Limits
//! RFC 8259 exactly, plus: nesting deeper than 64 is refused (a hostile body
//! cannot exhaust the stack); duplicate keys in one object are refused (which
//! one wins differs between parsers), found in linear time; numbers outside
//! the range of `f64` are refused.

mod map;
pub mod num;

pub use map::StrMap;

use std::fmt::Write as _;
use thiserror::Error;

/// A parsed JSON value. Objects keep their keys in document order.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

/// Why a document was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum JsonError {
    /// Not JSON at all (a missing comma, a stray character, cut short).
    #[error("{msg} at line {line} column {column}")]
    Syntax { msg: &'static str, line: usize, column: usize },
    /// Valid JSON of the wrong shape; the message starts with the path.
    #[error("{0}")]
    Shape(String),
}

/// Nesting deeper than any of our documents needs: a hostile body cannot
/// exhaust the stack.
const MAX_DEPTH: usize = 64;

/// Parses one JSON document (RFC 8259). Duplicate keys are refused, since
/// which one wins differs between parsers.
///
/// # Usage
/// ```
/// use cs_json::{parse, Json};
/// assert_eq!(parse(r#"{"a":[1,"x"]}"#).unwrap().get("a"), Some(&Json::Arr(vec![Json::Num(1.0), Json::Str("x".into())])));
/// assert_eq!(parse("[1,]").unwrap_err().to_string(), "expected a value at line 1 column 4");
/// ```
pub fn parse(text: &str) -> Result<Json, JsonError> {
    let mut p = Parser { s: text.as_bytes(), i: 0, depth: 0 };
    p.ws();
    let v = p.value()?;
    p.ws();
    if p.i < p.s.len() {
        return Err(p.err("trailing characters after the document"));
    }
    Ok(v)
}

/// Objects up to this many keys are checked for duplicates by a scan
/// (quadratic, but tiny); larger ones by sorting, so a hostile body of many
/// distinct keys costs O(n log n), not O(n²) (a 1 MiB object took 36 s).
const SCAN_KEYS: usize = 16;

/// The start of the first key (in document order) that repeats an earlier
/// one, if any: keys sorted with their positions, equal neighbours compared.
fn first_duplicate(pairs: &[(String, Json)], key_at: &[usize]) -> Option<usize> {
    let mut order: Vec<usize> = (0..pairs.len()).collect();
    // Ties keep document order, so the later of two equal keys comes second.
    heap_sort(&mut order, |&a, &b| (&pairs[a].0, a) < (&pairs[b].0, b));
    order.windows(2).filter(|w| pairs[w[0]].0 == pairs[w[1]].0).map(|w| key_at[w[1]]).min()
}

/// Heapsort: O(n log n) always, in place, and a few hundred bytes of wasm,
/// where `sort_unstable_by` linked about 6 KB (2 KB brotli) into the app.
fn heap_sort<T>(v: &mut [T], less: impl Fn(&T, &T) -> bool) {
    let sift = |v: &mut [T], mut root: usize, end: usize| loop {
        let mut child = 2 * root + 1;
        if child >= end {
            return;
        }
        if child + 1 < end && less(&v[child], &v[child + 1]) {
            child += 1;
        }
        if !less(&v[root], &v[child]) {
            return;
        }
        v.swap(root, child);
        root = child;
    };
    for start in (0..v.len() / 2).rev() {
        sift(v, start, v.len());
    }
    for end in (1..v.len()).rev() {
        v.swap(0, end);
        sift(v, 0, end);
    }
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    depth: usize,
}

impl Parser<'_> {
    fn err(&self, msg: &'static str) -> JsonError {
        let upto = &self.s[..self.i.min(self.s.len())];
        let line = upto.iter().filter(|&&b| b == b'\n').count() + 1;
        let start = upto.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
        // Columns count chars, not bytes (continuation bytes are skipped).
        let column = upto[start..].iter().filter(|&&b| b & 0xC0 != 0x80).count() + 1;
        JsonError::Syntax { msg, line, column }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn eat(&mut self, word: &[u8]) -> bool {
        let hit = self.s[self.i..].starts_with(word);
        if hit {
            self.i += word.len();
        }
        hit
    }

    fn value(&mut self) -> Result<Json, JsonError> {
        match self.peek() {
            Some(b'{') => self.nested(true),
            Some(b'[') => self.nested(false),
            Some(b'"') => self.string().map(Json::Str),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ if self.eat(b"true") => Ok(Json::Bool(true)),
            _ if self.eat(b"false") => Ok(Json::Bool(false)),
            _ if self.eat(b"null") => Ok(Json::Null),
            None => Err(self.err("unexpected end of the document")),
            _ => Err(self.err("expected a value")),
        }
    }

    /// An object (`obj`) or an array, after its opening bracket.
    fn nested(&mut self, obj: bool) -> Result<Json, JsonError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err("nested too deeply"));
        }
        self.i += 1;
        let close = if obj { b'}' } else { b']' };
        let (mut items, mut pairs) = (Vec::new(), Vec::<(String, Json)>::new());
        // Where each key starts, to point at a duplicate found after the fact.
        let mut key_at = Vec::new();
        self.ws();
        if self.peek() == Some(close) {
            self.i += 1;
        } else {
            loop {
                self.ws();
                if obj {
                    if self.peek() != Some(b'"') {
                        return Err(self.err("expected a quoted key"));
                    }
                    let at = self.i;
                    let key = self.string()?;
                    // Small objects (all of ours): a scan, no allocation. Larger
                    // ones are checked once, sorted, when they close.
                    if pairs.len() < SCAN_KEYS && pairs.iter().any(|(k, _)| *k == key) {
                        self.i = at;
                        return Err(self.err("duplicate key"));
                    }
                    key_at.push(at);
                    self.ws();
                    if !self.eat(b":") {
                        return Err(self.err("expected `:`"));
                    }
                    self.ws();
                    pairs.push((key, self.value()?));
                } else {
                    items.push(self.value()?);
                }
                self.ws();
                match self.peek() {
                    Some(b',') => self.i += 1,
                    Some(c) if c == close => {
                        self.i += 1;
                        break;
                    }
                    None => return Err(self.err("unexpected end of the document")),
                    _ => return Err(self.err(if obj { "expected `,` or `}`" } else { "expected `,` or `]`" })),
                }
            }
        }
        if pairs.len() > SCAN_KEYS {
            if let Some(at) = first_duplicate(&pairs, &key_at) {
                self.i = at;
                return Err(self.err("duplicate key"));
            }
        }
        self.depth -= 1;
        Ok(if obj { Json::Obj(pairs) } else { Json::Arr(items) })
    }

    fn string(&mut self) -> Result<String, JsonError> {
        self.i += 1; // the opening quote
        let mut out = String::new();
        loop {
            let start = self.i;
            while matches!(self.peek(), Some(c) if c != b'"' && c != b'\\' && c >= 0x20) {
                self.i += 1;
            }
            // The input is a &str and we stopped at ASCII: a whole UTF-8 run.
            out.push_str(std::str::from_utf8(&self.s[start..self.i]).unwrap_or_default());
            match self.peek() {
                Some(b'"') => {
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.i += 1;
                    let c = self.peek().ok_or_else(|| self.err("unexpected end of the document"))?;
                    self.i += 1;
                    out.push(match c {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode()?,
                        _ => {
                            self.i -= 1;
                            return Err(self.err("invalid escape"));
                        }
                    });
                }
                None => return Err(self.err("unexpected end of the document")),
                _ => return Err(self.err("control character in a string")),
            }
        }
    }

    /// `\uXXXX`, joining a surrogate pair.
    fn unicode(&mut self) -> Result<char, JsonError> {
        let hi = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&hi) {
            if !self.eat(b"\\u") {
                return Err(self.err("lone surrogate in a string"));
            }
            let lo = self.hex4()?;
            if !(0xDC00..0xE000).contains(&lo) {
                return Err(self.err("lone surrogate in a string"));
            }
            0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
        } else {
            hi
        };
        char::from_u32(code).ok_or_else(|| self.err("lone surrogate in a string"))
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut v = 0;
        for _ in 0..4 {
            let d = self.peek().and_then(|c| (c as char).to_digit(16)).ok_or_else(|| self.err("invalid \\u escape"))?;
            v = v * 16 + d;
            self.i += 1;
        }
        Ok(v)
    }

    fn number(&mut self) -> Result<Json, JsonError> {
        let start = self.i;
        let digits = |p: &mut Self| {
            let from = p.i;
            while matches!(p.peek(), Some(b'0'..=b'9')) {
                p.i += 1;
            }
            p.i - from
        };
        self.eat(b"-");
        let int_at = self.i;
        let n = digits(self);
        let mut ok = n > 0 && !(n > 1 && self.s[int_at] == b'0');
        if self.eat(b".") {
            ok &= digits(self) > 0;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            ok &= digits(self) > 0;
        }
        if !ok {
            self.i = start;
            return Err(self.err("invalid number"));
        }
        let text = std::str::from_utf8(&self.s[start..self.i]).unwrap_or_default();
        match crate::num::parse_f64(text) {
            Some(v) => Ok(Json::Num(v)),
            None => {
                self.i = start;
                Err(self.err("number out of range"))
            }
        }
    }
}

// ------------------------------------------------------------------ write ---

impl Json {
    /// Compact JSON text.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, None);
        out
    }

    /// Indented JSON text, for files a person may open.
    pub fn to_pretty(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, Some(0));
        out
    }

    fn write(&self, out: &mut String, indent: Option<usize>) {
        let newline = |out: &mut String, level: usize| {
            if indent.is_some() {
                out.push('\n');
                out.extend(std::iter::repeat_n("  ", level));
            }
        };
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Num(n) => crate::num::write_json_num(out, *n),
            Json::Str(s) => write_str(out, s),
            Json::Arr(items) if items.is_empty() => out.push_str("[]"),
            Json::Obj(pairs) if pairs.is_empty() => out.push_str("{}"),
            Json::Arr(items) => {
                let level = indent.map(|l| l + 1);
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    newline(out, level.unwrap_or(0));
                    v.write(out, level);
                }
                newline(out, indent.unwrap_or(0));
                out.push(']');
            }
            Json::Obj(pairs) => {
                let level = indent.map(|l| l + 1);
                out.push('{');
                for (i, (k, v)) in pairs.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    newline(out, level.unwrap_or(0));
                    write_str(out, k);
                    out.push_str(if indent.is_some() { ": " } else { ":" });
                    v.write(out, level);
                }
                newline(out, indent.unwrap_or(0));
                out.push('}');
            }
        }
    }
}

fn write_str(out: &mut String, s: &str) {
    out.push('"');
    // Runs that need no escape are copied whole (the receiver writes every
    // stored submission through here).
    let mut from = 0;
    for (i, b) in s.bytes().enumerate() {
        let esc = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[from..i]);
        if esc.is_empty() {
            let _ = write!(out, "\\u{:04x}", b);
        } else {
            out.push_str(esc);
        }
        from = i + 1;
    }
    out.push_str(&s[from..]);
    out.push('"');
}

// ------------------------------------------------------------------- read ---

/// `Result` with a shape error: the message already names the place.
pub type Shape<T> = Result<T, JsonError>;

/// `at[i]`: the path of a list's item.
fn item_path(at: &str, i: usize) -> String {
    format!("{at}[{i}]")
}

/// A shape error at `at`.
pub fn shape_err(at: &str, what: impl std::fmt::Display) -> JsonError {
    JsonError::Shape(if at.is_empty() { what.to_string() } else { format!("{at}: {what}") })
}

impl Json {
    /// The value of `key` when this is an object holding it.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Obj(pairs) => pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// What this value is, for messages: "a string", "an object", ...
    pub fn kind(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "true/false",
            Json::Num(_) => "a number",
            Json::Str(_) => "a string",
            Json::Arr(_) => "a list",
            Json::Obj(_) => "an object",
        }
    }

    fn expected(&self, at: &str, what: &str) -> JsonError {
        shape_err(at, format_args!("expected {what}, found {}", self.kind()))
    }

    pub fn str(&self, at: &str) -> Shape<String> {
        match self {
            Json::Str(s) => Ok(s.clone()),
            v => Err(v.expected(at, "a string")),
        }
    }

    pub fn bool(&self, at: &str) -> Shape<bool> {
        match self {
            Json::Bool(b) => Ok(*b),
            v => Err(v.expected(at, "true or false")),
        }
    }

    pub fn f64(&self, at: &str) -> Shape<f64> {
        match self {
            Json::Num(n) => Ok(*n),
            v => Err(v.expected(at, "a number")),
        }
    }

    /// A whole number from 0 to `u32::MAX`.
    pub fn u32(&self, at: &str) -> Shape<u32> {
        match self {
            Json::Num(n) if n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(n) => Ok(*n as u32),
            v => Err(v.expected(at, "a whole number of 0 or more")),
        }
    }

    /// Each item of a list, read by `item` with its path (`at[2]`).
    pub fn list<T>(&self, at: &str, item: impl Fn(&Json, &str) -> Shape<T>) -> Shape<Vec<T>> {
        // A plain loop over a non-generic part: this is instantiated for every
        // kind of list, and `collect()` into a `Result` was a large iterator
        // adapter in each (in the wasm app).
        let items = self.items(at)?;
        let mut out = Vec::with_capacity(items.len());
        for (i, v) in items.iter().enumerate() {
            out.push(item(v, &item_path(at, i))?);
        }
        Ok(out)
    }

    fn items(&self, at: &str) -> Shape<&[Json]> {
        match self {
            Json::Arr(items) => Ok(items),
            v => Err(v.expected(at, "a list")),
        }
    }

    /// A list of strings.
    pub fn strings(&self, at: &str) -> Shape<Vec<String>> {
        match self {
            Json::Arr(items) if items.iter().all(|v| matches!(v, Json::Str(_))) => {
                Ok(items.iter().map(|v| if let Json::Str(s) = v { s.clone() } else { String::new() }).collect())
            }
            // Not all strings: the general reader names the first that is not.
            _ => self.list(at, Json::str),
        }
    }

    /// An object of strings, sorted by key.
    pub fn string_map(&self, at: &str) -> Shape<StrMap> {
        match self {
            // The path is only built for an error: this runs for every answer.
            Json::Obj(pairs) => {
                let mut out = Vec::with_capacity(pairs.len());
                for (k, v) in pairs {
                    match v {
                        Json::Str(s) => out.push((k.clone(), s.clone())),
                        v => return Err(v.expected(&format!("{at}.{k}"), "a string")),
                    }
                }
                Ok(StrMap::from(out))
            }
            v => Err(v.expected(at, "an object of strings")),
        }
    }
}

/// Reads an object's fields by name, then refuses any it did not read, so a
/// misspelt field is an error rather than silently ignored.
///
/// # Usage
/// ```
/// use cs_json::{parse, Fields};
/// let v = parse(r#"{"id":"a","reqired":true}"#).unwrap();
/// let mut f = Fields::new(&v, "question").unwrap();
/// assert_eq!(f.req("id").unwrap().str("question.id").unwrap(), "a");
/// assert_eq!(f.end().unwrap_err().to_string(), r#"question: unknown field "reqired""#);
/// ```
pub struct Fields<'a> {
    at: String,
    pairs: &'a [(String, Json)],
    used: Vec<bool>,
    /// The first failure of [`Fields::take`] or [`Fields::take_opt`], which
    /// [`Fields::end`] returns.
    failed: Option<JsonError>,
}

impl<'a> Fields<'a> {
    pub fn new(v: &'a Json, at: &str) -> Shape<Self> {
        match v {
            Json::Obj(pairs) => Ok(Fields { at: at.to_owned(), pairs, used: vec![false; pairs.len()], failed: None }),
            v => Err(v.expected(at, "an object")),
        }
    }

    /// The path of `key`, for messages from the value's own reader.
    pub fn path(&self, key: &str) -> String {
        if self.at.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.at)
        }
    }

    /// The field, if present and not `null`.
    pub fn opt(&mut self, key: &str) -> Option<&'a Json> {
        let i = self.pairs.iter().position(|(k, _)| k == key)?;
        self.used[i] = true;
        Some(&self.pairs[i].1).filter(|v| **v != Json::Null)
    }

    /// The field, which must be present.
    pub fn req(&mut self, key: &str) -> Shape<&'a Json> {
        self.opt(key).ok_or_else(|| self.missing(key))
    }

    fn missing(&self, key: &str) -> JsonError {
        shape_err(&self.at, format_args!("missing field \"{key}\""))
    }

    /// A field read with `read` (given the value and its path), if present.
    pub fn opt_with<T>(&mut self, key: &str, read: impl Fn(&Json, &str) -> Shape<T>) -> Shape<Option<T>> {
        let path = self.path(key);
        self.opt(key).map(|v| read(v, &path)).transpose()
    }

    /// A required field read with `read`.
    pub fn req_with<T>(&mut self, key: &str, read: impl Fn(&Json, &str) -> Shape<T>) -> Shape<T> {
        let path = self.path(key);
        self.req(key).and_then(|v| read(v, &path))
    }

    /// As [`Fields::req_with`], but a failure is kept for [`Fields::end`]
    /// (the first one wins, so the error is the one `?` would have given)
    /// and reads as the default. A reader of many fields then has no early
    /// return, each of which dropped what was read so far: in the wasm app
    /// that drop code was a large part of the readers.
    pub fn take<T: Default>(&mut self, key: &str, read: impl Fn(&Json, &str) -> Shape<T>) -> T {
        self.found(key, true).and_then(|(v, path)| self.keep(read(v, &path))).unwrap_or_default()
    }

    /// As [`Fields::opt_with`], with a failure kept as in [`Fields::take`].
    pub fn take_opt<T>(&mut self, key: &str, read: impl Fn(&Json, &str) -> Shape<T>) -> Option<T> {
        self.found(key, false).and_then(|(v, path)| self.keep(read(v, &path)))
    }

    /// The field and its path if present and not `null`; a missing
    /// `required` one is kept as a failure. Not generic, so the generic
    /// readers above stay small.
    fn found(&mut self, key: &str, required: bool) -> Option<(&'a Json, String)> {
        match self.opt(key) {
            Some(v) => Some((v, self.path(key))),
            None => {
                if required {
                    let e = self.missing(key);
                    self.failed.get_or_insert(e);
                }
                None
            }
        }
    }

    fn keep<T>(&mut self, r: Shape<T>) -> Option<T> {
        r.map_err(|e| {
            self.failed.get_or_insert(e);
        })
        .ok()
    }

    /// The first failure kept by [`Fields::take`] or [`Fields::take_opt`],
    /// if any; fields never read are left alone (a stored draft tolerates
    /// fields a later version adds).
    pub fn done(self) -> Shape<()> {
        self.failed.map_or(Ok(()), Err)
    }

    /// The first failure kept by [`Fields::take`] or [`Fields::take_opt`],
    /// else refuses fields that were never read.
    pub fn end(self) -> Shape<()> {
        if let Some(e) = self.failed {
            return Err(e);
        }
        match self.pairs.iter().zip(&self.used).find(|(_, used)| !**used) {
            Some(((k, _), _)) => Err(shape_err(&self.at, format_args!("unknown field \"{k}\""))),
            None => Ok(()),
        }
    }
}

/// Builds an object from (key, value) pairs: `obj([("a", Json::Null)])`.
pub fn obj<const N: usize>(pairs: [(&str, Json); N]) -> Json {
    Json::Obj(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

impl From<&str> for Json {
    fn from(s: &str) -> Self {
        Json::Str(s.to_owned())
    }
}

impl From<String> for Json {
    fn from(s: String) -> Self {
        Json::Str(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heap_sort_sorts() {
        let mut seed = 7u64;
        for n in [0, 1, 2, 3, 10, 17, 100, 1000] {
            let mut v: Vec<u32> = (0..n)
                .map(|_| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    (seed >> 40) as u32 % 50
                })
                .collect();
            let mut want = v.clone();
            want.sort();
            heap_sort(&mut v, |a, b| a < b);
            assert_eq!(v, want, "{n}");
        }
    }

    #[test]
    fn reads_every_kind_of_value() {
        let v = parse(" {\"a\": [true, false, null, -1.5e2, 0, \"x\\n\\u00e9\\ud83d\\ude00\\\"\"], \"b\": {}} ").unwrap();
        assert_eq!(
            v,
            obj([
                (
                    "a",
                    Json::Arr(vec![
                        Json::Bool(true),
                        Json::Bool(false),
                        Json::Null,
                        Json::Num(-150.0),
                        Json::Num(0.0),
                        Json::Str("x\né😀\"".into())
                    ])
                ),
                ("b", Json::Obj(vec![])),
            ])
        );
    }

    #[test]
    fn syntax_errors_say_where() {
        let cases = [
            ("", "unexpected end of the document at line 1 column 1"),
            ("{\n  \"a\": 1\n  \"b\": 2}", "expected `,` or `}` at line 3 column 3"),
            ("[01]", "invalid number at line 1 column 2"),
            ("[1.]", "invalid number at line 1 column 2"),
            ("[-]", "invalid number at line 1 column 2"),
            ("[1e999]", "number out of range at line 1 column 2"),
            ("{\"a\":1,\"a\":2}", "duplicate key at line 1 column 8"),
            ("{a:1}", "expected a quoted key at line 1 column 2"),
            ("\"tab\there\"", "control character in a string at line 1 column 5"),
            ("\"\\x\"", "invalid escape at line 1 column 3"),
            ("\"\\ud800\"", "lone surrogate in a string at line 1 column 8"),
            ("[1] x", "trailing characters after the document at line 1 column 5"),
            ("\"é\" x", "trailing characters after the document at line 1 column 5"),
            ("nul", "expected a value at line 1 column 1"),
        ];
        for (text, want) in cases {
            assert_eq!(parse(text).unwrap_err().to_string(), want, "{text}");
        }
        let deep = "[".repeat(65) + &"]".repeat(65);
        assert_eq!(parse(&deep).unwrap_err().to_string(), "nested too deeply at line 1 column 65");
        assert!(parse(&("[".repeat(64) + &"]".repeat(64))).is_ok());
    }

    #[test]
    fn writes_what_it_reads() {
        for text in
            [r#"{"a":[1,-2.5,1e-7,12345678901234567000,true,null],"b":"q\"\\\n\u0001é"}"#, r#"[0.1,1.7976931348623157e308,5e-324,-0]"#]
        {
            let v = parse(text).unwrap();
            assert_eq!(parse(&v.to_text()).unwrap(), v, "{text}");
            assert_eq!(parse(&v.to_pretty()).unwrap(), v, "{text}");
        }
        assert_eq!(parse("[6.0, 0.5]").unwrap().to_text(), "[6,0.5]");
        assert_eq!(
            obj([("a", Json::Arr(vec![Json::Num(1.0)])), ("b", Json::Obj(vec![]))]).to_pretty(),
            "{\n  \"a\": [\n    1\n  ],\n  \"b\": {}\n}"
        );
        assert_eq!(Json::Num(f64::NAN).to_text(), "null");
    }

    #[test]
    fn fields_name_the_place() {
        let v = parse(r#"{"n":-1,"s":3,"l":["a",2],"m":{"en":1},"z":null}"#).unwrap();
        let mut f = Fields::new(&v, "q").unwrap();
        assert_eq!(f.req_with("n", Json::u32).unwrap_err().to_string(), "q.n: expected a whole number of 0 or more, found a number");
        assert_eq!(f.req_with("s", Json::str).unwrap_err().to_string(), "q.s: expected a string, found a number");
        assert_eq!(f.req_with("l", Json::strings).unwrap_err().to_string(), "q.l[1]: expected a string, found a number");
        assert_eq!(f.req_with("m", Json::string_map).unwrap_err().to_string(), "q.m.en: expected a string, found a number");
        assert_eq!(f.opt_with("z", Json::str).unwrap(), None, "null is absent");
        assert_eq!(f.req("x").unwrap_err().to_string(), "q: missing field \"x\"");
        assert!(f.end().is_ok());
        assert_eq!(Fields::new(&Json::Null, "q").err().unwrap().to_string(), "q: expected an object, found null");
    }

    #[test]
    fn take_keeps_the_first_failure_for_end() {
        let v = parse(r#"{"n":-1,"s":3,"ok":"x","extra":1}"#).unwrap();
        fn read(v: &Json) -> ((String, u32, Option<String>, String), Fields<'_>) {
            let mut f = Fields::new(v, "q").unwrap();
            let got = (f.take("ok", Json::str), f.take("n", Json::u32), f.take_opt("s", Json::str), f.take("x", Json::str));
            (got, f)
        }
        let ((ok, n, s, x), f) = read(&v);
        assert_eq!((ok.as_str(), n, s, x.as_str()), ("x", 0, None, ""), "failures read as the default");
        // The first failure in reading order, as `?` after each field gave,
        // before the unknown field.
        assert_eq!(f.end().unwrap_err().to_string(), "q.n: expected a whole number of 0 or more, found a number");
        assert_eq!(read(&v).1.done().unwrap_err().to_string(), "q.n: expected a whole number of 0 or more, found a number");
        let v = parse(r#"{"ok":"x","n":1,"s":"y","extra":1}"#).unwrap();
        assert_eq!(read(&v).1.end().unwrap_err().to_string(), "q: missing field \"x\"");
        let v = parse(r#"{"ok":"x","n":1,"x":"z","extra":1}"#).unwrap();
        assert_eq!(read(&v).1.end().unwrap_err().to_string(), "q: unknown field \"extra\"");
        assert!(read(&v).1.done().is_ok(), "done leaves unknown fields alone");
    }
}
