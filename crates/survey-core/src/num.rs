//! Number formatting without `f64`'s `Display`, which links about 10 KB of
//! float-printing code into the wasm app. The JSON writer already carries a
//! shortest round-trip float printer (zmij), so this reuses it and only
//! moves the decimal point.

use std::fmt;

/// Writes `n` as `format!("{n}")` would: shortest digits that round trip, in
/// positional notation (`1e-7` prints as `0.0000001`), `-0`, `NaN`, `inf` and
/// `-inf`. The one difference: when two 16-17 digit strings are exactly
/// equally close to `n`, this picks the even one and `Display` the upper one
/// (`1658206780088562.2` vs `.3`); no value with 15 or fewer significant
/// digits is affected.
#[derive(Clone, Copy)]
pub struct Num(pub f64);

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&fmt_num(self.0))
    }
}

/// `n` as `n.to_string()` would give it (see [`Num`]).
pub fn fmt_num(n: f64) -> String {
    if n.is_nan() {
        return "NaN".into();
    }
    if n.is_infinite() {
        return if n > 0.0 { "inf" } else { "-inf" }.into();
    }
    // Whole numbers in i64 range: the integer printer is already linked.
    if n.fract() == 0.0 && n.abs() < 9.0e15 && !(n == 0.0 && n.is_sign_negative()) {
        return (n as i64).to_string();
    }
    // zmij prints finite floats as e.g. "-1.5e-7", "12.5" or "1e16".
    let mut buf = zmij::Buffer::new();
    let s = buf.format_finite(n).to_owned();
    let (neg, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.as_str()),
    };
    let (mantissa, exp) = match s.split_once(['e', 'E']) {
        Some((m, e)) => {
            let (sign, digits) = match e.as_bytes().first() {
                Some(b'-') => (-1, &e[1..]),
                Some(b'+') => (1, &e[1..]),
                _ => (1, e),
            };
            (m, sign * digits.bytes().fold(0i32, |acc, b| acc * 10 + i32::from(b - b'0')))
        }
        None => (s, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits: Vec<u8> = int.bytes().chain(frac.bytes()).collect();
    // Position of the decimal point within `digits`.
    let point = int.len() as i32 + exp;
    let mut out = String::with_capacity(digits.len() + 8);
    if neg {
        out.push('-');
    }
    let digit = |i: i32| if i >= 0 && (i as usize) < digits.len() { digits[i as usize] as char } else { '0' };
    // Integer part, without leading zeros.
    let mut int_part = String::new();
    for i in 0..point.max(0) {
        let d = digit(i);
        if !(int_part.is_empty() && d == '0') {
            int_part.push(d);
        }
    }
    if int_part.is_empty() {
        int_part.push('0');
    }
    out.push_str(&int_part);
    // Fractional part, without trailing zeros.
    let mut frac_part = String::new();
    for i in point..digits.len() as i32 {
        frac_part.push(digit(i));
    }
    let frac_part = frac_part.trim_end_matches('0');
    if !frac_part.is_empty() {
        out.push('.');
        out.push_str(frac_part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::fmt_num;

    #[test]
    fn same_as_display() {
        let mut cases = vec![
            0.0, -0.0, 1.0, -1.0, 0.5, 0.1, 0.2, 0.30000000000000004, 1.5, -2.25, 12.0, 100.0, 1e-7, 1.5e-7,
            -3.2e-12, 1e15, 9e15, 1e16, 1.2345e17, 1e21, 1e22, 1e300, 5e-324, f64::MAX, f64::MIN,
            f64::MIN_POSITIVE, f64::EPSILON, 123456.789, 0.001, 0.000123, 4.35, 2.675, 1.0 / 3.0,
            f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 9007199254740993.0, 0.25, 10.5, 99.99,
        ];
        // A deterministic spread of bit patterns.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            cases.push(f64::from_bits(x));
            cases.push((x % 100_000) as f64 / 100.0);
            cases.push((x % 1000) as f64 * 0.1);
        }
        let bad: Vec<String> = cases
            .iter()
            .filter(|n| fmt_num(**n) != format!("{n}"))
            // Exact ties between two 16-17 digit candidates (see `Num`).
            .filter(|n| format!("{n:e}").trim_start_matches('-').split('e').next().unwrap().len() < 17)
            .map(|n| format!("{n} vs {}", fmt_num(*n)))
            .collect();
        assert!(bad.is_empty(), "{} of {}: {:?}", bad.len(), cases.len(), &bad[..bad.len().min(10)]);
    }
}
