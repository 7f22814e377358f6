//! Display text that is either one plain string or a map language -> string.

use serde::Deserialize;
use std::collections::BTreeMap;

/// A piece of questionnaire text: `"Hello"` or `{"en": "Hello", "cy": "Helo"}`.
///
/// Rendered as text, never as HTML.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Text {
    Plain(String),
    Localised(BTreeMap<String, String>),
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
