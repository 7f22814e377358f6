//! Answers as the student gives them, keyed by question id.

use crate::json::{shape_err, Json, Shape, StrMap};
use std::collections::BTreeMap;

/// All answers of one response, keyed by question id. Ordered, so a draft and
/// a submission serialise the same way every time.
pub type Answers = BTreeMap<String, Answer>;

/// One answer. The JSON shape alone says which variant it is:
///
/// | JSON                 | variant  | question kinds                         |
/// |----------------------|----------|----------------------------------------|
/// | `"text"`             | `Text`   | single choice value, short/long text   |
/// | `7`                  | `Number` | number, rating                         |
/// | `true`               | `Bool`   | consent                                |
/// | `["a","b"]`          | `Many`   | multiple choice                        |
/// | `{"stmt":"4"}`       | `Grid`   | likert (statement id -> scale value)   |
///
/// Read and written through [`crate::json`], by the shape of the value.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Text(String),
    Number(f64),
    Bool(bool),
    Many(Vec<String>),
    Grid(StrMap),
}

impl Answer {
    /// True when the student has given nothing: blank text, no choices, an
    /// empty grid or an unticked box.
    pub fn is_empty(&self) -> bool {
        match self {
            Answer::Text(s) => s.trim().is_empty(),
            Answer::Number(n) => !n.is_finite(),
            Answer::Bool(b) => !b,
            Answer::Many(v) => v.is_empty(),
            Answer::Grid(m) => m.is_empty(),
        }
    }

    pub fn as_text(&self) -> Option<&str> {
        match self {
            Answer::Text(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_number(&self) -> Option<f64> {
        match self {
            Answer::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The JSON type name, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Answer::Text(_) => "text",
            Answer::Number(_) => "number",
            Answer::Bool(_) => "true/false",
            Answer::Many(_) => "list",
            Answer::Grid(_) => "object",
        }
    }
}

impl Answer {
    /// Reads a string, number, true/false, list of strings or object of
    /// strings; nothing nested deeper, and never `null`.
    pub fn from_json(v: &Json, at: &str) -> Shape<Answer> {
        Ok(match v {
            Json::Str(s) => Answer::Text(s.clone()),
            Json::Num(n) => Answer::Number(*n),
            Json::Bool(b) => Answer::Bool(*b),
            Json::Arr(_) => Answer::Many(v.strings(at)?),
            Json::Obj(_) => Answer::Grid(v.string_map(at)?),
            Json::Null => {
                return Err(shape_err(at, "expected a string, number, true/false, list of strings or object of strings, found null"))
            }
        })
    }

    /// The answer as JSON; whole numbers are written as integers (`6`).
    pub fn to_json(&self) -> Json {
        match self {
            Answer::Text(t) => Json::Str(t.clone()),
            Answer::Number(n) => Json::Num(*n),
            Answer::Bool(b) => Json::Bool(*b),
            Answer::Many(v) => Json::Arr(v.iter().map(|s| Json::Str(s.clone())).collect()),
            Answer::Grid(m) => Json::Obj(m.iter().map(|(k, v)| (k.clone(), Json::Str(v.clone()))).collect()),
        }
    }
}

/// A map from (key, value) pairs, later keys winning, like `collect()`; but
/// by inserting, as `collect()` into a BTreeMap sorts a Vec first and links
/// a stable sort into the wasm app for each value type.
pub fn map_of<V>(pairs: impl IntoIterator<Item = (String, V)>) -> BTreeMap<String, V> {
    let mut map = BTreeMap::new();
    for (k, v) in pairs {
        map.insert(k, v);
    }
    map
}

/// Reads an object of answers keyed by question id.
pub fn answers_from_json(v: &Json, at: &str) -> Shape<Answers> {
    match v {
        Json::Obj(pairs) => {
            let mut answers = Answers::new();
            for (k, a) in pairs {
                // The path is built only for an error (the receiver reads every
                // answer of every submission here).
                let answer = match a {
                    Json::Str(s) => Answer::Text(s.clone()),
                    Json::Num(n) => Answer::Number(*n),
                    Json::Bool(b) => Answer::Bool(*b),
                    a => Answer::from_json(a, &format!("{at}.{k}"))?,
                };
                answers.insert(k.clone(), answer);
            }
            Ok(answers)
        }
        v => Err(shape_err(at, format_args!("expected an object of answers, found {}", v.kind()))),
    }
}

/// The answers as a JSON object, in id order.
pub fn answers_to_json(answers: &Answers) -> Json {
    Json::Obj(answers.iter().map(|(k, a)| (k.clone(), a.to_json())).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_shape() {
        let json = r#"{"a":"x","b":6,"c":1.5,"d":true,"e":["p","q"],"f":{"s1":"4"}}"#;
        let answers = answers_from_json(&crate::json::parse(json).unwrap(), "answers").unwrap();
        assert_eq!(answers["a"], Answer::Text("x".into()));
        assert_eq!(answers["b"], Answer::Number(6.0));
        assert_eq!(answers["d"], Answer::Bool(true));
        assert_eq!(answers["e"], Answer::Many(vec!["p".into(), "q".into()]));
        assert_eq!(answers_to_json(&answers).to_text(), json);
    }

    #[test]
    fn rejects_nested_junk() {
        let read = |s: &str| Answer::from_json(&crate::json::parse(s).unwrap(), "a").map_err(|e| e.to_string());
        assert_eq!(read(r#"[1,2]"#).unwrap_err(), "a[0]: expected a string, found a number");
        assert_eq!(read(r#"{"a":{"b":1}}"#).unwrap_err(), "a.a: expected a string, found an object");
        assert!(read("null").is_err());
    }

    #[test]
    fn emptiness() {
        assert!(Answer::Text("  ".into()).is_empty());
        assert!(Answer::Bool(false).is_empty());
        assert!(!Answer::Number(0.0).is_empty());
        assert!(Answer::Many(vec![]).is_empty());
    }
}
