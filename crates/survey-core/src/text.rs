//! Display text that is either one plain string or a map language -> string.

use crate::json::{shape_err, Json, Shape, StrMap};

/// Blank (`Plain("")`) by default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text {
    Plain(String),
    Localised(StrMap),
}

impl Text {
    /// Reads a plain string or an object of strings.
    pub fn from_json(v: &Json, at: &str) -> Shape<Text> {
        match v {
            Json::Str(s) => Ok(Text::Plain(s.clone())),
            Json::Obj(_) => Ok(Text::Localised(v.string_map(at)?)),
            v => Err(shape_err(at, format_args!("expected a string or an object of strings, found {}", v.kind()))),
        }
    }

    /// The text in `lang`, falling back to English, then to any language given.
    pub fn get(&self, lang: &str) -> &str {
        match self {
            Text::Plain(s) => s,
            Text::Localised(m) => m.get(lang).or_else(|| m.get("en")).or_else(|| m.values().next()).map(String::as_str).unwrap_or(""),
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

impl Default for Text {
    fn default() -> Self {
        Text::Plain(String::new())
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
        let read = |s: &str| Text::from_json(&crate::json::parse(s).unwrap(), "t");
        let t = read(r#"{"en":"Hello","cy":"Helo"}"#).unwrap();
        assert_eq!(t.get("cy"), "Helo");
        assert_eq!(t.get("fr"), "Hello");
        let t = read(r#"{"cy":"Helo"}"#).unwrap();
        assert_eq!(read("3").unwrap_err().to_string(), "t: expected a string or an object of strings, found a number");
        assert_eq!(t.get("en"), "Helo");
        assert!(Text::from("  ").is_blank());
    }
}
