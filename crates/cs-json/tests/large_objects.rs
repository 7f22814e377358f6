//! Duplicate-key detection stays fast on a hostile object of many distinct
//! keys (it used to compare each key with every earlier one: 36 s for 1 MiB),
//! and still finds a duplicate, pointing at it, however large the object.

use std::time::{Duration, Instant};

/// `{"k0":0,"k1":0,...}` of about `bytes` bytes, with every key distinct.
fn object(bytes: usize) -> (String, usize) {
    let mut s = String::from("{");
    let mut n = 0;
    while s.len() < bytes {
        if n > 0 {
            s.push(',');
        }
        s.push_str(&format!("\"k{n}\":0"));
        n += 1;
    }
    s.push('}');
    (s, n)
}

#[test]
fn a_mebibyte_of_distinct_keys_parses_in_bounded_time() {
    let (text, n) = object(1 << 20);
    assert!(n > 80_000, "{n} keys");
    let start = Instant::now();
    let v = cs_json::parse(&text).unwrap();
    let took = start.elapsed();
    assert!(matches!(&v, cs_json::Json::Obj(pairs) if pairs.len() == n));
    // Generous (a debug build on a busy 2-core machine); quadratic took 36 s.
    assert!(took < Duration::from_secs(2), "1 MiB of distinct keys took {took:?}");
}

#[test]
fn duplicates_in_large_objects_are_found_where_they_are() {
    let (text, n) = object(10_000);
    // The first key repeated last, and a later one repeated twice before it:
    // the error points at the earliest repeat in document order.
    let body = &text[..text.len() - 1];
    let doc = format!("{body},\"k{}\":1,\"k0\":1}}", n - 1);
    let err = cs_json::parse(&doc).unwrap_err().to_string();
    let column = body.len() + 2;
    assert_eq!(err, format!("duplicate key at line 1 column {column}"));
    // In a small object the scan finds it, with the same message and place.
    assert_eq!(cs_json::parse(r#"{"a":1,"b":2,"a":3}"#).unwrap_err().to_string(), "duplicate key at line 1 column 14");
    // Exactly past the scan limit, and nested.
    for keys in [15, 16, 17, 40] {
        let inner: Vec<String> = (0..keys).map(|i| format!("\"{i}\":{i}")).collect();
        let doc = format!("[{{{},\"3\":0}}]", inner.join(","));
        assert!(cs_json::parse(&doc).unwrap_err().to_string().starts_with("duplicate key"), "{keys} keys");
        assert!(cs_json::parse(&format!("[{{{}}}]", inner.join(","))).is_ok());
    }
}
