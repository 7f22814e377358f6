//! The wire format: what the browser POSTs and every receiver accepts.
//! Documented in `docs/submission-format.md`; a public contract, so change it
//! only by adding a new `format` version.

use crate::answers::Answers;
use crate::answers::{answers_from_json, answers_to_json};
use crate::json::{self, obj, Fields, Json, JsonError};

/// The current wire format version.
pub const FORMAT: u32 = 1;

/// One anonymous response. Nothing else is ever sent: no user agent, screen,
/// time zone, timings, cookies or device ids, and only a coarse [`period`].
///
/// [`period`]: Submission::period
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    /// Wire format version, [`FORMAT`].
    pub format: u32,
    /// A random UUID v4, new for every submission and never tied to a device;
    /// also sent as the `Idempotency-Key` header.
    pub submission_id: String,
    pub questionnaire_id: String,
    pub questionnaire_version: String,
    /// `YYYY-MM` or ISO week `YYYY-Www`: when, coarsely.
    pub period: String,
    pub app_version: String,
    /// Visible answers only, keyed by question id; free text already redacted.
    pub answers: Answers,
    /// The questionnaire language the student answered in: absent unless
    /// `config.json` opts in with `"record_language": true`, because in a
    /// group of 8-12 "the one who answered in Welsh" can single a student out.
    pub language: Option<String>,
}

/// True for a lowercase or uppercase hyphenated UUID whose version nibble is 4
/// and variant is RFC 4122.
impl Submission {
    /// Parses a submission body. Unknown fields are refused: nothing beyond
    /// the documented fields may reach the receiver's database.
    pub fn from_json(text: &str) -> Result<Submission, JsonError> {
        Self::read(&json::parse(text)?, "")
    }

    /// Reads a submission already parsed (e.g. inside an outbox item).
    pub fn read(v: &Json, at: &str) -> Result<Submission, JsonError> {
        let mut f = Fields::new(v, at)?;
        let s = Submission {
            format: f.take("format", Json::u32),
            submission_id: f.take("submission_id", Json::str),
            questionnaire_id: f.take("questionnaire_id", Json::str),
            questionnaire_version: f.take("questionnaire_version", Json::str),
            period: f.take("period", Json::str),
            app_version: f.take("app_version", Json::str),
            answers: f.take("answers", answers_from_json),
            language: f.take_opt("language", Json::str),
        };
        f.end()?;
        Ok(s)
    }

    /// The submission as JSON, fields in the documented order; `language`
    /// only when recorded, so a submission without it is byte for byte what
    /// it was before the field existed.
    pub fn to_json(&self) -> Json {
        let mut j = obj([
            ("format", Json::Num(f64::from(self.format))),
            ("submission_id", self.submission_id.as_str().into()),
            ("questionnaire_id", self.questionnaire_id.as_str().into()),
            ("questionnaire_version", self.questionnaire_version.as_str().into()),
            ("period", self.period.as_str().into()),
            ("app_version", self.app_version.as_str().into()),
            ("answers", answers_to_json(&self.answers)),
        ]);
        if let (Some(lang), Json::Obj(fields)) = (&self.language, &mut j) {
            fields.push(("language".into(), lang.as_str().into()));
        }
        j
    }
}

pub fn is_uuid_v4(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
        && b[14] == b'4'
        && matches!(b[19].to_ascii_lowercase(), b'8' | b'9' | b'a' | b'b')
}

/// Formats 16 random bytes as a UUID v4 (sets the version and variant bits).
pub fn uuid_v4_from_bytes(mut r: [u8; 16]) -> String {
    r[6] = (r[6] & 0x0f) | 0x40;
    r[8] = (r[8] & 0x3f) | 0x80;
    let mut s = String::with_capacity(36);
    for (i, byte) in r.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            s.push('-');
        }
        const HEX: &[u8; 16] = b"0123456789abcdef";
        s.push(HEX[(byte >> 4) as usize] as char);
        s.push(HEX[(byte & 15) as usize] as char);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_round_trip() {
        let id = uuid_v4_from_bytes([0xff; 16]);
        assert_eq!(id, "ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert!(is_uuid_v4(&id));
        assert!(is_uuid_v4(&uuid_v4_from_bytes([0; 16])));
        assert!(!is_uuid_v4("ffffffff-ffff-1fff-bfff-ffffffffffff"));
        assert!(!is_uuid_v4("not-a-uuid"));
    }

    #[test]
    fn refuses_extra_fields() {
        let json = r#"{"format":1,"submission_id":"x","questionnaire_id":"q","questionnaire_version":"1",
            "period":"2026-11","app_version":"0.1.0","answers":{},"user_agent":"x"}"#;
        assert_eq!(Submission::from_json(json).unwrap_err().to_string(), r#"unknown field "user_agent""#);
    }
}
