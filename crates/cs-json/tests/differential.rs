//! Differential tests against serde_json, the most used JSON parser in Rust:
//! on generated documents both accept and read the same values; on generated
//! broken documents both refuse; on random edits of valid documents they agree
//! except where cs-json is stricter on purpose (a repeated key).

use cs_json::Json;
use proptest::prelude::*;
use serde_json::Value;

/// Any JSON value serde_json can write: every kind of number (whole, huge,
/// tiny, subnormal), strings with controls, quotes, non-BMP characters.
fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
        (-1000i32..1000, -30i32..30).prop_map(|(m, e)| Value::from(f64::from(m) * 10f64.powi(e))),
        any::<String>().prop_map(Value::String),
        "[\\\\\"/\\x00-\\x1f a-zé\u{2028}😀]{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            // A map: keys are distinct, as cs-json requires.
            prop::collection::btree_map(any::<String>(), inner, 0..8).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Same value, comparing numbers as the `f64` each parser reads them as.
fn same(ours: &Json, theirs: &Value) -> bool {
    same_but(ours, theirs, false)
}

/// Same value; with `zero_sign_lost`, `-0` and `0` count as equal: the
/// writer prints `-0` as `0`, as JavaScript's `JSON.stringify` does.
fn same_but(ours: &Json, theirs: &Value, zero_sign_lost: bool) -> bool {
    let same = |a, b| same_but(a, b, zero_sign_lost);
    match (ours, theirs) {
        (Json::Null, Value::Null) => true,
        (Json::Bool(a), Value::Bool(b)) => a == b,
        (Json::Num(a), Value::Number(b)) => {
            let b = b.as_f64().expect("finite");
            a.to_bits() == b.to_bits() || (zero_sign_lost && *a == 0.0 && b == 0.0)
        }
        (Json::Str(a), Value::String(b)) => a == b,
        (Json::Arr(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y)),
        (Json::Obj(a), Value::Object(b)) => a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|w| same(v, w))),
        _ => false,
    }
}

/// One edit that makes any document invalid JSON, whatever it contains.
fn break_it(doc: &str, how: u8, at: usize) -> String {
    let at = (0..=at.min(doc.len())).rev().find(|i| doc.is_char_boundary(*i)).unwrap_or(0);
    match how % 8 {
        0 => format!("{doc},"),                            // trailing comma after the document
        1 => format!("[{doc}"),                            // never closed
        2 => format!("{{{doc}}}"),                         // an object member without `:` and a value
        3 => format!("[{doc},]"),                          // trailing comma in an array
        4 => format!("[{doc}, 01]"),                       // leading zero
        5 => format!("[{doc}, \"\\ud800\"]"),              // lone surrogate
        6 => format!("[{doc}, \"a\u{1}b\"]"),              // raw control character in a string
        _ => format!("{}\u{1}{}", &doc[..at], &doc[at..]), // a raw control character, invalid anywhere
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, .. ProptestConfig::default() })]

    /// serde_json writes it (compact and pretty); both read it, to the same
    /// value; what cs-json writes back, serde_json reads as the same value.
    #[test]
    fn same_values_as_serde_json(v in value(), pretty in any::<bool>()) {
        let text = if pretty { serde_json::to_string_pretty(&v).unwrap() } else { serde_json::to_string(&v).unwrap() };
        let ours = cs_json::parse(&text).map_err(|e| TestCaseError::fail(format!("{e}: {text}")))?;
        let theirs: Value = serde_json::from_str(&text).unwrap();
        prop_assert!(same(&ours, &theirs), "{text}");
        let back: Value = serde_json::from_str(&ours.to_text()).unwrap();
        prop_assert!(same_but(&ours, &back, true), "{} from {text}", ours.to_text());
        prop_assert_eq!(cs_json::parse(&ours.to_pretty()).unwrap(), ours);
    }

    /// A valid document broken in a way that no JSON parser may accept.
    #[test]
    fn both_refuse_broken_documents(v in value(), how in any::<u8>(), at in any::<usize>()) {
        let text = break_it(&serde_json::to_string(&v).unwrap(), how, at % 64);
        let theirs = serde_json::from_str::<Value>(&text);
        prop_assert!(theirs.is_err(), "serde_json accepted {text}");
        prop_assert!(cs_json::parse(&text).is_err(), "cs-json accepted {text}");
    }

    /// Random edits of a valid document: the two agree on acceptance (and
    /// then on the value), except that cs-json refuses a repeated key.
    #[test]
    fn same_verdict_on_random_edits(v in value(), edits in prop::collection::vec((any::<usize>(), prop::sample::select(
        vec!["", "{", "}", "[", "]", ",", ":", "\"", "\\", "0", "-", ".", "e", "1", " ", "\n", "t", "null", "\"a\":1,", "\u{0}", "é"])), 1..4)) {
        let mut text = serde_json::to_string(&v).unwrap();
        for (at, insert) in edits {
            let at = at % (text.len() + 1);
            let at = (0..=at).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
            // Replace one char (or insert, when at the end).
            let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
            text.replace_range(at..end, insert);
        }
        let theirs = serde_json::from_str::<Value>(&text);
        match (cs_json::parse(&text), theirs) {
            (Ok(ours), Ok(theirs)) => prop_assert!(same(&ours, &theirs), "{text}"),
            (Err(_), Err(_)) => {}
            (Err(e), Ok(_)) => prop_assert!(e.to_string().starts_with("duplicate key"), "only cs-json refused {text:?}: {e}"),
            (Ok(_), Err(e)) => prop_assert!(false, "only serde_json refused {text:?}: {e}"),
        }
    }
}
