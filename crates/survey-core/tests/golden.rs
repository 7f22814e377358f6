//! Golden canonical bytes and digests of a few submissions.
//!
//! The receiver stores `Submission::to_json().to_text()` and its SHA-256, and
//! a repeat post of the same id is "already received" (200) only when those
//! bytes are equal; otherwise it is a conflict (409) and the student's retry
//! is stuck under "needs attention". So any change to the writer's bytes
//! (number form, escapes, field or answer order) must be seen here first: a
//! receiver upgraded mid-cohort would otherwise turn retries into 409s.
//! If this fails, the change to the writer is a format change, not a fix.

use sha2::{Digest, Sha256};
use survey_core::Submission;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// (what a browser might send, the canonical bytes, their SHA-256).
const GOLDEN: [(&str, &str, &str); 3] = [
    (
        // Fields out of order, whitespace, answers unsorted, `2.0` for 2.
        r#"{ "answers": {"b": 2.0, "a": "x"}, "app_version": "0.1.0", "period": "2026-11",
             "questionnaire_version": "1", "questionnaire_id": "q",
             "submission_id": "0f8fad5b-d9cb-469f-a165-70867728950e", "format": 1 }"#,
        r#"{"format":1,"submission_id":"0f8fad5b-d9cb-469f-a165-70867728950e","questionnaire_id":"q","questionnaire_version":"1","period":"2026-11","app_version":"0.1.0","answers":{"a":"x","b":2}}"#,
        "63d66e21548e6b7bf0867615196858f9e0d1e8a7aa78d427555094251e9077d5",
    ),
    (
        // Every answer shape; numbers fractional, tiny, huge, negative.
        r#"{"format":1,"submission_id":"7c9e6679-7425-40de-944b-e07fc1f90ae7","questionnaire_id":"kitchen-sink",
            "questionnaire_version":"1","period":"2026-W05","app_version":"0.1.0",
            "answers":{"pick":"a","many":["y","x"],"score":7,"count":2.5,"tiny":1.5e-7,"small":0.00001,"big":1e21,
                       "neg":-0.1,"grid":{"s2":"3","s1":"1"},"agree":true,"third":0.30000000000000004}}"#,
        r#"{"format":1,"submission_id":"7c9e6679-7425-40de-944b-e07fc1f90ae7","questionnaire_id":"kitchen-sink","questionnaire_version":"1","period":"2026-W05","app_version":"0.1.0","answers":{"agree":true,"big":1e21,"count":2.5,"grid":{"s1":"1","s2":"3"},"many":["y","x"],"neg":-0.1,"pick":"a","score":7,"small":0.00001,"third":0.30000000000000004,"tiny":1.5e-7}}"#,
        "409b47d942bb240b69998bc316fca139bbdaa3c3c7243ca4b82b7730f59a4a8a",
    ),
    (
        // Text with escapes: quotes, backslash, newline, tab, a control
        // written as \u, non-ASCII and an astral character kept as UTF-8,
        // `\/` and `\u00e9` escapes in the input read as plain characters.
        r#"{"format":1,"submission_id":"16fd2706-8baf-433b-82eb-8c7fada847da","questionnaire_id":"q","questionnaire_version":"2",
            "period":"2026-12","app_version":"0.1.0",
            "answers":{"t":"say \"hi\"\\ \n\tthen\u0001 caf\u00e9 / \/ 😀 \u2028"}}"#,
        "{\"format\":1,\"submission_id\":\"16fd2706-8baf-433b-82eb-8c7fada847da\",\"questionnaire_id\":\"q\",\"questionnaire_version\":\"2\",\"period\":\"2026-12\",\"app_version\":\"0.1.0\",\"answers\":{\"t\":\"say \\\"hi\\\"\\\\ \\n\\tthen\\u0001 café / / 😀 \u{2028}\"}}",
        "b84d60fb113722b6a20812addbf5d230cb6d40ea9c8e29ef35feecc56095d9fe",
    ),
];

#[test]
fn canonical_bytes_and_digests_are_pinned() {
    // GOLDEN_PRINT=1 prints instead of checking: only for a deliberate new format.
    let bless = std::env::var_os("GOLDEN_PRINT").is_some();
    for (input, bytes, digest) in GOLDEN {
        let s = Submission::from_json(input).unwrap_or_else(|e| panic!("{e}: {input}"));
        let canonical = s.to_json().to_text();
        let sha = hex(&Sha256::digest(canonical.as_bytes()));
        if bless {
            println!("{canonical}\n{sha}\n");
            continue;
        }
        assert_eq!(canonical, bytes);
        assert_eq!(sha, digest, "{canonical}");
        // Canonical is a fixed point: reading it back writes the same bytes.
        assert_eq!(Submission::from_json(&canonical).unwrap().to_json().to_text(), canonical);
    }
}
