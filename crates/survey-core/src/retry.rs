//! When to try sending a queued submission again. Pure: the caller passes in
//! the clock and the random number, so the policy is tested on the host.

use crate::config::RequestMode;
use crate::json::{self, Json};
use crate::period::{days_from_civil, month_number};

/// The longest wait a server's `Retry-After` can ask for; a bad or hostile
/// header must not park a response for days.
pub const MAX_RETRY_AFTER_MS: u64 = 3_600_000;

/// Capped exponential backoff with full jitter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The ceiling of the first retry's wait, doubled for each later one.
    pub base_ms: u64,
    /// The ceiling never grows past this.
    pub cap_ms: u64,
}

impl Default for RetryPolicy {
    /// 2 seconds, doubling up to 5 minutes.
    fn default() -> Self {
        RetryPolicy { base_ms: 2_000, cap_ms: 300_000 }
    }
}

/// What to do after one attempt to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The receiver has it; drop it from the queue.
    Delivered,
    /// A passing problem (offline, timeout, rate limit, server error): try
    /// again after this many milliseconds.
    Retry { after_ms: u64 },
    /// Retrying will not help (e.g. 400, 404, 413, a redirect): keep the
    /// response and tell the student.
    NeedsAttention { status: u16 },
}

impl RetryPolicy {
    /// Classifies one attempt.
    ///
    /// - `status`: the HTTP status, or `None` when the request failed without
    ///   one (offline, DNS, CORS, aborted).
    /// - `retry_after`: the `Retry-After` header, delta-seconds or an HTTP-date.
    /// - `attempt`: failed attempts before this one (0 after the first failure).
    /// - `rand01`: a uniform random number in `[0, 1]`.
    /// - `now_ms`: the current time, ms since the Unix epoch.
    ///
    /// 2xx is delivered. No status, 408, 425, 429 and 5xx are retried after
    /// `rand01 * min(cap, base * 2^attempt)`, or after `Retry-After` when that
    /// is longer (at most [`MAX_RETRY_AFTER_MS`]). Anything else needs attention.
    pub fn classify(&self, status: Option<u16>, retry_after: Option<&str>, attempt: u32, rand01: f64, now_ms: f64) -> Outcome {
        match status {
            Some(200..=299) => return Outcome::Delivered,
            None | Some(408 | 425 | 429 | 500..=599) => {}
            Some(status) => return Outcome::NeedsAttention { status },
        }
        // Saturating, so attempt 10_000 waits `cap` rather than overflowing.
        let ceiling = self.base_ms.saturating_mul(1u64.checked_shl(attempt).unwrap_or(u64::MAX)).min(self.cap_ms);
        let r = if rand01.is_nan() { 0.0 } else { rand01.clamp(0.0, 1.0) };
        let jitter = (r * ceiling as f64) as u64;
        let asked = retry_after.and_then(|v| retry_after_ms(v, now_ms)).unwrap_or(0);
        Outcome::Retry { after_ms: jitter.max(asked.min(MAX_RETRY_AFTER_MS)) }
    }
}

/// What an endpoint answered to one send, as far as the page can read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answer<'a> {
    /// The final status; `None` when the request failed without one (offline,
    /// DNS, CORS refused, timed out).
    pub status: Option<u16>,
    /// The browser followed a redirect to get this answer.
    pub redirected: bool,
    pub retry_after: Option<&'a str>,
    pub body: &'a str,
}

/// What a 2xx body says about one submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ack {
    /// JSON naming this `submission_id` (at the top, or in `receipt`).
    Confirmed,
    /// JSON `{"status": "retry"}`: the endpoint is busy but cannot send a 503
    /// (an Apps Script web app always answers 200).
    RetryAsked,
    /// Nothing, or only whitespace.
    Empty,
    /// Anything else: an error page, a login page, another id.
    Unconfirmed,
}

/// Reads a 2xx body for the confirmation `docs/endpoints.md` asks of endpoints.
pub fn ack(body: &str, submission_id: &str) -> Ack {
    if body.trim().is_empty() {
        return Ack::Empty;
    }
    let Ok(v) = json::parse(body) else { return Ack::Unconfirmed };
    let names =
        |v: Option<&Json>| matches!(v.and_then(|v| v.get("submission_id")), Some(Json::Str(id)) if id.eq_ignore_ascii_case(submission_id));
    if names(Some(&v)) || names(v.get("receipt")) {
        Ack::Confirmed
    } else if matches!(v.get("status"), Some(Json::Str(s)) if s == "retry") {
        Ack::RetryAsked
    } else {
        Ack::Unconfirmed
    }
}

impl RetryPolicy {
    /// Classifies one send of `submission_id` in `mode`: what counts as
    /// delivered (see `docs/endpoints.md`, "What counts as delivered").
    ///
    /// A 2xx is delivered at once only in the JSON mode without a redirect:
    /// that receiver checked the `Idempotency-Key`. In the simple mode, or after
    /// a redirect (which turns a POST into a GET, so the 2xx may be any page),
    /// the body must confirm the id; an empty body is accepted only without a
    /// redirect (a webhook that answers 202/204 and nothing else). Anything
    /// else needs attention: kept, with a download, never assumed delivered.
    pub fn classify_answer(&self, mode: RequestMode, a: &Answer, submission_id: &str, attempt: u32, rand01: f64, now_ms: f64) -> Outcome {
        match self.classify(a.status, a.retry_after, attempt, rand01, now_ms) {
            Outcome::Delivered if mode == RequestMode::Json && !a.redirected => Outcome::Delivered,
            Outcome::Delivered => match ack(a.body, submission_id) {
                Ack::Confirmed => Outcome::Delivered,
                Ack::Empty if !a.redirected => Outcome::Delivered,
                // Retried like a 503.
                Ack::RetryAsked => self.classify(Some(503), a.retry_after, attempt, rand01, now_ms),
                Ack::Empty | Ack::Unconfirmed => Outcome::NeedsAttention { status: a.status.unwrap_or(0) },
            },
            other => other,
        }
    }
}

/// Milliseconds a `Retry-After` value asks to wait from `now_ms`; `None` if
/// it is neither delta-seconds nor an HTTP-date.
fn retry_after_ms(v: &str, now_ms: f64) -> Option<u64> {
    let v = v.trim();
    if !v.is_empty() && v.bytes().all(|c| c.is_ascii_digit()) {
        // Too many digits for u64 is "very long", not "no header".
        return Some(v.parse::<u64>().unwrap_or(u64::MAX).saturating_mul(1000));
    }
    // A date in the past means "now"; NaN arithmetic also lands on 0.
    Some((http_date_ms(v)? - now_ms).max(0.0) as u64)
}

/// Parses the three HTTP-date forms of RFC 9110 to ms since the epoch:
/// `Sun, 06 Nov 1994 08:49:37 GMT` (IMF-fixdate), `Sunday, 06-Nov-94
/// 08:49:37 GMT` (RFC 850) and `Sun Nov  6 08:49:37 1994` (asctime).
fn http_date_ms(s: &str) -> Option<f64> {
    let (mut nums, mut n, mut month, mut month_first) = ([0u32; 5], 0, None, false);
    // The weekday and "GMT" are words that are not months, so they are skipped.
    for tok in s.split(|c: char| !c.is_ascii_alphanumeric()).filter(|t| !t.is_empty()) {
        if tok.bytes().all(|c| c.is_ascii_digit()) {
            if n == 5 || tok.len() > 4 {
                return None;
            }
            nums[n] = tok.parse().ok()?;
            n += 1;
        } else if let Some(m) = month_number(tok.as_bytes()) {
            if month.is_some() {
                return None;
            }
            (month, month_first) = (Some(m), n == 0);
        }
    }
    let month = month?;
    // asctime puts the year last: "Nov 6 08:49:37 1994".
    let [d, y, h, mi, sec] = match (n, month_first) {
        (5, true) => [nums[0], nums[4], nums[1], nums[2], nums[3]],
        (5, false) => nums,
        _ => return None,
    };
    // RFC 850's two-digit years.
    let y = match y {
        0..=69 => y + 2000,
        70..=99 => y + 1900,
        _ => y,
    };
    if !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let secs = days_from_civil(y.into(), month, d) * 86_400 + i64::from(h * 3600 + mi * 60 + sec);
    Some(secs as f64 * 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: RetryPolicy = RetryPolicy { base_ms: 2_000, cap_ms: 300_000 };
    /// 2026-10-21T07:27:00Z.
    const NOW: f64 = 1_792_567_620_000.0;

    fn after(o: Outcome) -> u64 {
        match o {
            Outcome::Retry { after_ms } => after_ms,
            other => panic!("expected a retry, got {other:?}"),
        }
    }

    #[test]
    fn classifies_statuses() {
        for s in [200, 201, 204, 299] {
            assert_eq!(P.classify(Some(s), None, 0, 0.5, NOW), Outcome::Delivered);
        }
        for s in [None, Some(408), Some(425), Some(429), Some(500), Some(502), Some(503), Some(599)] {
            assert!(matches!(P.classify(s, None, 0, 0.5, NOW), Outcome::Retry { .. }), "{s:?}");
        }
        for s in [100, 301, 304, 400, 401, 403, 404, 409, 413, 422, 451, 600] {
            assert_eq!(P.classify(Some(s), None, 0, 0.5, NOW), Outcome::NeedsAttention { status: s });
        }
        // Retry-After never turns a refusal into a retry.
        assert_eq!(P.classify(Some(400), Some("5"), 0, 0.5, NOW), Outcome::NeedsAttention { status: 400 });
        assert_eq!(RetryPolicy::default(), P);
    }

    #[test]
    fn backoff_doubles_with_full_jitter_and_is_capped() {
        assert_eq!(after(P.classify(None, None, 0, 1.0, NOW)), 2_000);
        assert_eq!(after(P.classify(None, None, 1, 1.0, NOW)), 4_000);
        assert_eq!(after(P.classify(None, None, 3, 0.5, NOW)), 8_000);
        assert_eq!(after(P.classify(None, None, 0, 0.0, NOW)), 0);
        assert_eq!(after(P.classify(None, None, 7, 1.0, NOW)), 256_000);
        assert_eq!(after(P.classify(None, None, 8, 1.0, NOW)), 300_000);
        // Out-of-range random numbers are clamped, not trusted.
        assert_eq!(after(P.classify(None, None, 0, 7.0, NOW)), 2_000);
        assert_eq!(after(P.classify(None, None, 0, -1.0, NOW)), 0);
        assert_eq!(after(P.classify(None, None, 0, f64::NAN, NOW)), 0);
    }

    #[test]
    fn huge_attempts_do_not_overflow() {
        for a in [62, 63, 64, 65, 1_000, u32::MAX] {
            assert_eq!(after(P.classify(Some(503), None, a, 1.0, NOW)), 300_000);
        }
        let big = RetryPolicy { base_ms: u64::MAX, cap_ms: u64::MAX };
        assert_eq!(after(big.classify(None, None, u32::MAX, 1.0, NOW)), u64::MAX);
        assert_eq!(after(big.classify(None, Some("99999999999999999999999"), 0, 0.0, NOW)), MAX_RETRY_AFTER_MS);
    }

    #[test]
    fn honours_retry_after_seconds() {
        assert_eq!(after(P.classify(Some(429), Some("120"), 0, 1.0, NOW)), 120_000);
        assert_eq!(after(P.classify(Some(503), Some(" 3 "), 0, 0.1, NOW)), 3_000);
        // The longer of the two wins.
        assert_eq!(after(P.classify(Some(503), Some("1"), 5, 1.0, NOW)), 64_000);
        // Capped at an hour.
        assert_eq!(after(P.classify(Some(503), Some("86400"), 0, 0.0, NOW)), MAX_RETRY_AFTER_MS);
        // Garbage is ignored.
        for v in ["", "-5", "1.5", "soon", "Wed, 99 Oct 2026 07:28:00 GMT"] {
            assert_eq!(after(P.classify(Some(503), Some(v), 0, 0.5, NOW)), 1_000, "{v:?}");
        }
    }

    #[test]
    fn confirmation_in_the_body() {
        const ID: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";
        assert_eq!(ack(&format!(r#"{{"status":"received","submission_id":"{ID}"}}"#), ID), Ack::Confirmed);
        assert_eq!(ack(&format!(r#"{{"status":"received","receipt":{{"submission_id":"{ID}"}}}}"#), ID), Ack::Confirmed);
        assert_eq!(ack(&format!(r#"{{"submission_id":"{}"}}"#, ID.to_uppercase()), ID), Ack::Confirmed);
        assert_eq!(ack(r#"{"submission_id":"6a1e8a6e-1c3b-4c1e-9d3a-2f0c1b2a3d4e"}"#, ID), Ack::Unconfirmed);
        assert_eq!(ack(r#"{"status":"retry"}"#, ID), Ack::RetryAsked);
        assert_eq!(ack(" \n", ID), Ack::Empty);
        assert_eq!(ack("<html>TypeError: Cannot read properties of null</html>", ID), Ack::Unconfirmed);
        assert_eq!(ack(r#"{"status":"ok"}"#, ID), Ack::Unconfirmed);
    }

    #[test]
    fn what_counts_as_delivered_per_mode() {
        const ID: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";
        let confirmed = format!(r#"{{"status":"received","submission_id":"{ID}"}}"#);
        let answer = |status, redirected, body| Answer { status, redirected, retry_after: None, body };
        let c = |mode, a: Answer| P.classify_answer(mode, &a, ID, 0, 0.5, NOW);
        use RequestMode::{Json, Simple};
        // JSON mode, no redirect: any 2xx (the receiver checked the Idempotency-Key).
        assert_eq!(c(Json, answer(Some(201), false, "")), Outcome::Delivered);
        assert_eq!(c(Json, answer(Some(200), false, "<html>")), Outcome::Delivered);
        // A redirect may have turned the POST into a GET: only a confirmation counts.
        assert_eq!(c(Json, answer(Some(200), true, "<html>login</html>")), Outcome::NeedsAttention { status: 200 });
        assert_eq!(c(Json, answer(Some(200), true, &confirmed)), Outcome::Delivered);
        // Simple mode: the body must confirm, or be empty without a redirect.
        assert_eq!(c(Simple, answer(Some(200), true, &confirmed)), Outcome::Delivered);
        assert_eq!(c(Simple, answer(Some(202), false, "")), Outcome::Delivered);
        assert_eq!(c(Simple, answer(Some(200), true, "")), Outcome::NeedsAttention { status: 200 });
        assert_eq!(c(Simple, answer(Some(200), false, "<html>Error</html>")), Outcome::NeedsAttention { status: 200 });
        assert_eq!(c(Simple, answer(Some(200), true, r#"{"status":"retry"}"#)), Outcome::Retry { after_ms: 1_000 });
        // Failures are classified as in any mode.
        assert_eq!(c(Simple, answer(None, false, "")), Outcome::Retry { after_ms: 1_000 });
        assert_eq!(c(Simple, answer(Some(503), false, &confirmed)), Outcome::Retry { after_ms: 1_000 });
        assert_eq!(c(Simple, answer(Some(400), false, "")), Outcome::NeedsAttention { status: 400 });
    }

    #[test]
    fn honours_retry_after_dates() {
        assert_eq!(after(P.classify(Some(503), Some("Wed, 21 Oct 2026 07:28:00 GMT"), 0, 0.0, NOW)), 60_000);
        // In the past: jitter only.
        assert_eq!(after(P.classify(Some(503), Some("Wed, 21 Oct 2015 07:28:00 GMT"), 0, 0.5, NOW)), 1_000);
        // Far future: capped.
        assert_eq!(after(P.classify(Some(503), Some("Fri, 01 Jan 2100 00:00:00 GMT"), 0, 0.0, NOW)), MAX_RETRY_AFTER_MS);
    }

    #[test]
    fn parses_http_dates() {
        let want = 784_111_777_000.0; // 1994-11-06T08:49:37Z
        assert_eq!(http_date_ms("Sun, 06 Nov 1994 08:49:37 GMT"), Some(want));
        assert_eq!(http_date_ms("Sunday, 06-Nov-94 08:49:37 GMT"), Some(want));
        assert_eq!(http_date_ms("Sun Nov  6 08:49:37 1994"), Some(want));
        assert_eq!(http_date_ms("Wed, 21 Oct 2026 07:28:00 GMT"), Some(NOW + 60_000.0));
        assert_eq!(http_date_ms("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0.0));
        assert_eq!(http_date_ms("Tue, 29 Feb 2028 23:59:59 GMT"), Some(1_835_481_599_000.0));
        for bad in [
            "",
            "GMT",
            "Wed, 21 Oct 2026",
            "Wed, 21 Foo 2026 07:28:00 GMT",
            "Wed, 21 Oct 2026 25:28:00 GMT",
            "Wed, 21 Oct Nov 2026 07:28:00 GMT",
            "Wed, 21 Oct 2026 07:28:00:00 GMT",
            "Wed, 21 Oct 20266 07:28:00 GMT",
        ] {
            assert_eq!(http_date_ms(bad), None, "{bad:?}");
        }
    }
}
