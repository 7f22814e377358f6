//! The JSONTestSuite parsing cases (data/JSONTestSuite, MIT, see its README):
//! every `y_` file is accepted, every `n_` file refused, and what happens to
//! each `i_` file is pinned in `i_results.txt`.

use std::path::Path;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/JSONTestSuite");

/// Whether cs-json accepts the file's bytes. Not UTF-8 counts as refused, as
/// at the receiver (the parser takes `&str`).
fn accepts(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes).is_ok_and(|text| cs_json::parse(text).is_ok())
}

fn cases() -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = std::fs::read_dir(Path::new(DIR).join("test_parsing"))
        .expect("test data present")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), accepts(&std::fs::read(&p).unwrap())))
        .collect();
    out.sort();
    out
}

/// `y_` cases refused on purpose: a key repeated in one object. RFC 8259
/// only says names SHOULD be unique, but which value wins differs between
/// parsers, so a body could mean one thing to the receiver's check and another
/// to a later reader. I-JSON (RFC 7493 §2.3) makes unique names a MUST; we
/// follow it.
const REFUSED_ON_PURPOSE: [&str; 2] = ["y_object_duplicated_key.json", "y_object_duplicated_key_and_value.json"];

#[test]
fn y_cases_are_accepted_and_n_cases_refused() {
    let cases = cases();
    assert!(cases.len() > 300, "only {} cases found", cases.len());
    let wrong: Vec<&str> = cases
        .iter()
        .filter(|(name, ok)| {
            let refuse = name.starts_with("n_") || REFUSED_ON_PURPOSE.contains(&name.as_str());
            (name.starts_with("y_") && *ok == refuse) || (name.starts_with("n_") && *ok)
        })
        .map(|(name, _)| name.as_str())
        .collect();
    assert!(wrong.is_empty(), "wrong verdicts: {wrong:#?}");
    let counted = |prefix: &str| cases.iter().filter(|(n, _)| n.starts_with(prefix)).count();
    assert!(counted("y_") > 90 && counted("n_") > 180, "the suite is all there");
}

/// An `i_` case may go either way; a change of ours must be deliberate, so
/// the verdicts are recorded. Regenerate with `CS_JSON_BLESS=1`.
#[test]
fn i_cases_match_the_record() {
    let now: String = cases()
        .iter()
        .filter(|(name, _)| name.starts_with("i_"))
        .map(|(name, ok)| format!("{name} {}\n", if *ok { "accepted" } else { "refused" }))
        .collect();
    let record = Path::new(DIR).join("i_results.txt");
    if std::env::var_os("CS_JSON_BLESS").is_some() {
        std::fs::write(&record, &now).unwrap();
    }
    assert_eq!(std::fs::read_to_string(&record).expect("i_results.txt"), now, "the i_ verdicts changed; bless them deliberately");
}
