//! Answers as the student gives them, keyed by question id.

use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;

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
/// Serde impls are written by hand rather than `#[serde(untagged)]`: untagged
/// enums buffer every value and cost wasm size for no gain here.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Text(String),
    Number(f64),
    Bool(bool),
    Many(Vec<String>),
    Grid(BTreeMap<String, String>),
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

impl Serialize for Answer {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Answer::Text(t) => s.serialize_str(t),
            Answer::Number(n) => {
                // Whole numbers as integers so exports read `6`, not `6.0`.
                if n.fract() == 0.0 && n.abs() < 9.0e15 {
                    s.serialize_i64(*n as i64)
                } else {
                    s.serialize_f64(*n)
                }
            }
            Answer::Bool(b) => s.serialize_bool(*b),
            Answer::Many(v) => v.serialize(s),
            Answer::Grid(m) => m.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Answer {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Answer;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string, number, boolean, list of strings or object of strings")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Answer, E> {
                Ok(Answer::Text(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Answer, E> {
                Ok(Answer::Text(v))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Answer, E> {
                Ok(Answer::Number(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Answer, E> {
                Ok(Answer::Number(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Answer, E> {
                Ok(Answer::Number(v as f64))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Answer, E> {
                Ok(Answer::Bool(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Answer, A::Error> {
                let mut out = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    out.push(s);
                }
                Ok(Answer::Many(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Answer, A::Error> {
                let mut out = BTreeMap::new();
                while let Some((k, v)) = map.next_entry::<String, String>()? {
                    out.insert(k, v);
                }
                Ok(Answer::Grid(out))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_shape() {
        let json = r#"{"a":"x","b":6,"c":1.5,"d":true,"e":["p","q"],"f":{"s1":"4"}}"#;
        let answers: Answers = serde_json::from_str(json).unwrap();
        assert_eq!(answers["a"], Answer::Text("x".into()));
        assert_eq!(answers["b"], Answer::Number(6.0));
        assert_eq!(answers["d"], Answer::Bool(true));
        assert_eq!(answers["e"], Answer::Many(vec!["p".into(), "q".into()]));
        assert_eq!(serde_json::to_string(&answers).unwrap(), json);
    }

    #[test]
    fn rejects_nested_junk() {
        assert!(serde_json::from_str::<Answer>(r#"[1,2]"#).is_err());
        assert!(serde_json::from_str::<Answer>(r#"{"a":{"b":1}}"#).is_err());
        assert!(serde_json::from_str::<Answer>("null").is_err());
    }

    #[test]
    fn emptiness() {
        assert!(Answer::Text("  ".into()).is_empty());
        assert!(Answer::Bool(false).is_empty());
        assert!(!Answer::Number(0.0).is_empty());
        assert!(Answer::Many(vec![]).is_empty());
    }
}
