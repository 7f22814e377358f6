//! Display text that is either one plain string or a map language -> string.

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;

/// A piece of questionnaire text: `"Hello"` or `{"en": "Hello", "cy": "Helo"}`.
///
/// Rendered as text, never as HTML.
///
/// Deserialised by hand rather than with `#[serde(untagged)]`, which buffers
/// every value and costs wasm size; errors read the same.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text {
    Plain(String),
    Localised(BTreeMap<String, String>),
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or an object of strings")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text::Plain(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
                Ok(Text::Plain(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
                let mut out = BTreeMap::new();
                while let Some((k, v)) = map.next_entry::<String, String>()? {
                    out.insert(k, v);
                }
                Ok(Text::Localised(out))
            }
        }
        d.deserialize_any(V)
    }
}

impl Text {
    /// The text in `lang`, falling back to English, then to any language given.
    pub fn get(&self, lang: &str) -> &str {
        match self {
            Text::Plain(s) => s,
            Text::Localised(m) => m
                .get(lang)
                .or_else(|| m.get("en"))
                .or_else(|| m.values().next())
                .map(String::as_str)
                .unwrap_or(""),
        }
    }

    /// True when no language has any visible text.
    pub fn is_blank(&self) -> bool {
        match self {
            Text::Plain(s) => s.trim().is_empty(),
            Text::Localised(m) => m.values().all(|s| s.trim().is_empty()),
        }
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Text::Plain(s.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn falls_back_to_english_then_any() {
        let t: Text = serde_json::from_str(r#"{"en":"Hello","cy":"Helo"}"#).unwrap();
        assert_eq!(t.get("cy"), "Helo");
        assert_eq!(t.get("fr"), "Hello");
        let t: Text = serde_json::from_str(r#"{"cy":"Helo"}"#).unwrap();
        assert_eq!(t.get("en"), "Helo");
        assert!(Text::from("  ").is_blank());
    }
}
