//! Arbitrary bytes through the receiver's parse + validate path, against the
//! default questionnaire. Any panic is a bug: the receiver must answer 4xx.
#![no_main]

use collector::{ingest, Questionnaires};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use survey_core::{Questionnaire, Submission};

const DEFAULT: &str = include_str!("../../../../public/questionnaires/balint-end-of-cohort.json");

fn known() -> &'static Questionnaires {
    static KNOWN: OnceLock<Questionnaires> = OnceLock::new();
    KNOWN.get_or_init(|| {
        let q = Questionnaire::from_json(DEFAULT).expect("default questionnaire is valid");
        Questionnaires::from_list([q])
    })
}

fuzz_target!(|data: &[u8]| {
    let known = known();
    let Ok(sub) = std::str::from_utf8(data).map_err(drop).and_then(|t| Submission::from_json(t).map_err(drop)) else {
        // Still the handler's path: must refuse without panicking.
        let r = ingest::parse(Some("application/json"), Some(Ok("k")), data);
        assert!(r.is_err_and(|e| e.status().is_client_error()));
        return;
    };
    // Answers against the default questionnaire whatever ids the body names.
    if let Some(q) = known.iter().next() {
        let _ = survey_core::validate::validate_all(q, &sub.answers);
    }
    // The whole receiver check, with a matching Idempotency-Key.
    match ingest::parse(Some("application/json"), Some(Ok(&sub.submission_id)), data) {
        Ok(incoming) => {
            if let Err(e) = ingest::check(known, &incoming.submission) {
                assert!(e.status().is_client_error(), "{} gave {}", e.code(), e.status());
            }
            // A retry of the canonical form is the same submission.
            let again = ingest::parse(Some("application/json"), Some(Ok(&sub.submission_id)), incoming.canonical.as_bytes())
                .expect("canonical form parses");
            assert_eq!(again.canonical, incoming.canonical);
        }
        Err(e) => assert!(e.status().is_client_error()),
    }
});
