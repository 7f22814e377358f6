//! Decimal <-> `f64` without core's float parsing and printing.
//!
//! Why: `str::parse::<f64>` links an 11 KB table of powers of five and a
//! shortest-digits printer another 10-12 KB (zmij's, or `Display`'s Grisu and
//! Dragon code), all near-incompressible: about 14 KB of brotli'd wasm, for a
//! handful of numbers a student types. Here a common number (up to 15
//! significant digits, exponent within ±22) takes an exact fast path, and
//! anything else a short big-integer path that is exact too. Both directions
//! are correctly rounded; the tests check them against core's own parser and
//! `Display` on a few hundred thousand values, halfway cases included.

use std::cmp::Ordering;
use std::fmt;

/// Writes `n` as `format!("{n}")` would: shortest digits that round trip, in
/// positional notation (`1e-7` prints as `0.0000001`), `-0`, `NaN`, `inf` and
/// `-inf`.
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
    let sign = if n.is_sign_negative() { "-" } else { "" };
    if n.is_infinite() {
        return format!("{sign}inf");
    }
    if n == 0.0 {
        return format!("{sign}0");
    }
    // Whole numbers in i64 range: the integer printer is already linked.
    if n.fract() == 0.0 && n.abs() < 9.0e15 && n != 0.0 {
        return (n as i64).to_string();
    }
    let (digits, exp) = shortest(n.abs());
    format!("{sign}{}", positional(&digits, exp))
}

/// `n` for JSON: whole numbers as integers (`6`), others in the shortest
/// form that reads back as the same `f64` (`0.1`, `1.5e-7`, `1e20`). JSON
/// has no NaN or infinity, so those are `null`.
pub fn write_json_num(out: &mut String, n: f64) {
    if !n.is_finite() {
        out.push_str("null");
    } else if n.fract() == 0.0 && n.abs() < 9.0e15 {
        out.push_str(&(n as i64).to_string());
    } else {
        if n < 0.0 {
            out.push('-');
        }
        let (digits, exp) = shortest(n.abs());
        // Positional while it stays short, like JavaScript's own printing.
        let point = digits.len() as i32 + exp;
        if (-5..=21).contains(&point) {
            out.push_str(&positional(&digits, exp));
        } else {
            out.push_str(&digits[..1]);
            if digits.len() > 1 {
                out.push('.');
                out.push_str(&digits[1..]);
            }
            out.push('e');
            out.push_str(&(point - 1).to_string());
        }
    }
}

/// Parses a decimal number: optional sign, digits with an optional `.` and
/// fraction, optional exponent (`-12.5e3`, `.5`, `4.`). Correctly rounded;
/// None when it is not a number or too large for an `f64`. Too small rounds
/// to zero, as everywhere.
///
/// # Usage
/// ```
/// use cs_json::num::parse_f64;
/// assert_eq!(parse_f64("0.1"), Some(0.1));
/// assert_eq!(parse_f64("-2.5e-3"), Some(-0.0025));
/// assert_eq!(parse_f64("1e400"), None);
/// assert_eq!(parse_f64("4 sessions"), None);
/// ```
pub fn parse_f64(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let mut i = 0;
    let neg = matches!(b.first(), Some(b'-'));
    if matches!(b.first(), Some(b'-' | b'+')) {
        i += 1;
    }
    // Significant digits (leading zeros dropped) and the decimal exponent.
    let mut digits: Vec<u8> = Vec::new();
    let (mut exp, mut seen, mut point) = (0i64, false, false);
    while let Some(&c) = b.get(i) {
        match c {
            b'0'..=b'9' => {
                seen = true;
                if c != b'0' || !digits.is_empty() {
                    digits.push(c - b'0');
                }
                if point {
                    exp -= 1;
                }
            }
            b'.' if !point => point = true,
            _ => break,
        }
        i += 1;
    }
    if !seen {
        return None;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        let eneg = matches!(b.get(i), Some(b'-'));
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let start = i;
        let mut e: i64 = 0;
        while let Some(d) = b.get(i).filter(|c| c.is_ascii_digit()) {
            e = (e * 10 + i64::from(d - b'0')).min(1 << 40);
            i += 1;
        }
        if i == start {
            return None;
        }
        exp += if eneg { -e } else { e };
    }
    if i != b.len() {
        return None;
    }
    let v = magnitude(digits, exp)?;
    Some(if neg { -v } else { v })
}

/// `digits × 10^exp` (digits without leading zeros), correctly rounded.
fn magnitude(mut digits: Vec<u8>, mut exp: i64) -> Option<f64> {
    while digits.last() == Some(&0) {
        digits.pop();
        exp += 1;
    }
    if digits.is_empty() {
        return Some(0.0);
    }
    // Beyond 800 significant digits only "anything non-zero follows" can
    // change the rounding (767 suffice for f64): keep that as one digit 1.
    if digits.len() > 800 {
        let dropped = digits.len() - 800;
        let sticky = digits[800..].iter().any(|&d| d != 0);
        digits.truncate(800);
        exp += dropped as i64;
        if sticky {
            digits.push(1);
            exp -= 1;
        }
    }
    let n = digits.len() as i64;
    if exp + n > 310 {
        return None; // at least 10^310
    }
    if exp + n < -330 {
        return Some(0.0); // below 10^-330, under half the smallest subnormal
    }
    // Fast path: both factors exact, so one rounding (Clinger).
    if n <= 15 && (-22..=22).contains(&exp) {
        let d = digits.iter().fold(0u64, |a, &d| a * 10 + u64::from(d)) as f64;
        let p = POW10[exp.unsigned_abs() as usize];
        return Some(if exp < 0 { d / p } else { d * p });
    }
    let mut d = Big::from_digits(&digits);
    if exp >= 0 {
        d.mul_pow10(exp as u32);
        let (top, sticky, e2) = d.top64();
        return round(u128::from(top), sticky, e2);
    }
    // digits / 10^k: a quotient of at least 66 bits, and whether a remainder is left.
    let mut den = Big(vec![1]);
    den.mul_pow10(exp.unsigned_abs() as u32);
    // Scale one side so the quotient has exactly 67 bits: q × 2^e2.
    let (dl, nl) = (d.bit_len(), den.bit_len());
    let e2 = if dl < nl + 66 {
        d.shl(nl + 66 - dl);
        -((nl + 66 - dl) as i32)
    } else {
        den.shl(dl - nl - 66);
        (dl - nl - 66) as i32
    };
    let shift = d.bit_len() - den.bit_len();
    let mut q: u128 = 0;
    let mut step = den.clone();
    step.shl(shift);
    for bit in (0..=shift).rev() {
        if d.cmp(&step) != Ordering::Less {
            d.sub(&step);
            q |= 1 << bit;
        }
        step.shr1();
    }
    round(q, !d.is_zero(), e2)
}

/// `(m + sticky) × 2^e2` rounded to the nearest f64, ties to even, with
/// subnormals rounded once at their own precision. `m` has at most 127 bits.
fn round(m: u128, sticky: bool, e2: i32) -> Option<f64> {
    let len = 128 - m.leading_zeros() as i32;
    let top = len - 1 + e2; // the value lies in [2^top, 2^(top+1))
    if top > 1023 {
        return None;
    }
    let precision = if top >= -1022 { 53 } else { 53 - (-1022 - top) };
    let drop = len - precision;
    let mut r = if drop <= 0 {
        m << -drop
    } else if drop >= 128 {
        0
    } else {
        let r = m >> drop;
        let rem = m & ((1u128 << drop) - 1);
        let half = 1u128 << (drop - 1);
        let up = rem > half || (rem == half && (sticky || r & 1 == 1));
        r + u128::from(up)
    };
    let mut e = e2 + drop;
    if r == 1 << 53 {
        r >>= 1;
        e += 1;
    }
    let v = pow2(r as f64, e);
    v.is_finite().then_some(v)
}

/// `x × 2^e` for an integer `x` below 2^53, exact whenever the result is
/// representable (it is: `round` rounded it to the right precision).
fn pow2(x: f64, e: i32) -> f64 {
    let two_to = |k: i32| f64::from_bits(((k + 1023) as u64) << 52);
    if e > 1023 {
        return f64::INFINITY;
    }
    // A subnormal result in two steps: the first stays normal, so exact.
    if e < -1022 {
        return x * two_to(e + 1022) * two_to(-1022);
    }
    x * two_to(e)
}

/// The shortest digits that read back as `n` (finite, > 0), and the power
/// of ten of the last digit: `n ≈ digits × 10^exp`. Of two equally short
/// candidates, the nearer; of two equally near, the upper (as `Display`).
fn shortest(n: f64) -> (String, i32) {
    // Fast path: few decimals, and a check that they read back exactly.
    for k in 0..=15 {
        let p = POW10[k as usize];
        let m = (n * p).round();
        if m < 9_007_199_254_740_992.0 && m / p == n && m != 0.0 {
            let digits = (m as u64).to_string();
            let trimmed = digits.trim_end_matches('0');
            let exp = -k + (digits.len() - trimmed.len()) as i32;
            // A neighbour may read back as `n` too and be nearer: only
            // possible at 16 digits, where the exact path decides.
            if digits.len() < 16 {
                return (trimmed.to_owned(), exp);
            }
            break;
        }
    }
    // Exact: n = f × 2^e as a decimal integer times a power of ten.
    let bits = n.to_bits();
    let (f, e) = match (bits >> 52) as i32 {
        0 => (bits & ((1 << 52) - 1), -1074),
        b => ((bits & ((1 << 52) - 1)) | (1 << 52), b - 1075),
    };
    let mut big = Big(vec![f as u32, (f >> 32) as u32]);
    let exp10 = if e >= 0 {
        big.shl(e as usize);
        0
    } else {
        big.mul_pow5(e.unsigned_abs());
        e
    };
    let exact = big.to_decimal();
    let candidate = |p: usize| round_digits(&exact, p, exp10 + (exact.len() - p) as i32);
    let reads_back = |(digits, exp): &(String, i32)| parse_f64(&format!("{digits}e{exp}")) == Some(n);
    // More digits only come nearer, so the fewest that read back are found
    // by bisection; 17 always do (or every exact digit, if fewer).
    let (mut lo, mut hi) = (1, 17.min(exact.len()));
    while lo < hi {
        let mid = (lo + hi) / 2;
        if reads_back(&candidate(mid)) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    let (digits, exp) = candidate(lo);
    let trimmed = digits.trim_end_matches('0');
    (trimmed.to_owned(), exp + (digits.len() - trimmed.len()) as i32)
}

/// The first `p` digits of `exact`, rounded half up on the rest; `exp`
/// is the power of ten of the last kept digit (one more if it carried).
fn round_digits(exact: &str, p: usize, exp: i32) -> (String, i32) {
    let b = exact.as_bytes();
    let mut kept: Vec<u8> = b[..p].to_vec();
    let rest = &b[p..];
    // Half up, as `Display` breaks a tie between two equally near
    // candidates (both read back as the same f64).
    let up = rest.first().is_some_and(|&c| c >= b'5');
    let mut exp = exp;
    if up {
        let mut i = p;
        loop {
            if i == 0 {
                kept.insert(0, b'1');
                kept.pop();
                exp += 1;
                break;
            }
            i -= 1;
            if kept[i] == b'9' {
                kept[i] = b'0';
            } else {
                kept[i] += 1;
                break;
            }
        }
    }
    (String::from_utf8(kept).unwrap_or_default(), exp)
}

/// `digits × 10^exp` written out without an exponent.
fn positional(digits: &str, exp: i32) -> String {
    let point = digits.len() as i32 + exp;
    if exp >= 0 {
        format!("{digits}{}", "0".repeat(exp as usize))
    } else if point > 0 {
        format!("{}.{}", &digits[..point as usize], &digits[point as usize..])
    } else {
        format!("0.{}{digits}", "0".repeat((-point) as usize))
    }
}

/// 10^0 ..= 10^22, every one exact in an f64.
const POW10: [f64; 23] =
    [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/// An unsigned big integer, 32-bit limbs, least significant first. Only
/// what the slow paths above need.
#[derive(Clone, Debug)]
struct Big(Vec<u32>);

impl Big {
    fn from_digits(digits: &[u8]) -> Big {
        let mut b = Big(vec![0]);
        for chunk in digits.chunks(9) {
            let v = chunk.iter().fold(0u32, |a, &d| a * 10 + u32::from(d));
            b.mul_add(POW10_U32[chunk.len()], v);
        }
        b
    }

    fn mul_add(&mut self, m: u32, mut carry: u32) {
        for limb in &mut self.0 {
            let v = u64::from(*limb) * u64::from(m) + u64::from(carry);
            *limb = v as u32;
            carry = (v >> 32) as u32;
        }
        if carry > 0 {
            self.0.push(carry);
        }
    }

    fn mul_pow5(&mut self, mut k: u32) {
        while k > 0 {
            let n = k.min(13); // 5^13 < 2^32
            self.mul_add(5u32.pow(n), 0);
            k -= n;
        }
    }

    fn mul_pow10(&mut self, k: u32) {
        self.mul_pow5(k);
        self.shl(k as usize);
    }

    fn shl(&mut self, bits: usize) {
        let (limbs, bits) = (bits / 32, bits % 32);
        if bits > 0 {
            let mut carry = 0;
            for limb in &mut self.0 {
                let v = (*limb << bits) | carry;
                carry = *limb >> (32 - bits);
                *limb = v;
            }
            if carry > 0 {
                self.0.push(carry);
            }
        }
        self.0.splice(0..0, std::iter::repeat_n(0, limbs));
    }

    fn shr1(&mut self) {
        let mut carry = 0;
        for limb in self.0.iter_mut().rev() {
            let v = (*limb >> 1) | carry;
            carry = *limb << 31;
            *limb = v;
        }
        self.trim();
    }

    fn trim(&mut self) {
        while self.0.len() > 1 && self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    fn is_zero(&self) -> bool {
        self.0.iter().all(|&l| l == 0)
    }

    fn bit_len(&self) -> usize {
        let top = self.0.iter().rposition(|&l| l != 0).unwrap_or(0);
        top * 32 + (32 - self.0[top].leading_zeros() as usize)
    }

    /// The top 64 bits, whether any bit below them is set, and their
    /// weight: the number is `top × 2^e2` plus what the flag says.
    fn top64(&self) -> (u64, bool, i32) {
        let len = self.bit_len();
        let low = len.saturating_sub(64);
        let bit = |i: usize| self.0[i / 32] >> (i % 32) & 1 == 1;
        let top = (low..len).rev().fold(0u64, |a, i| a << 1 | u64::from(bit(i)));
        (top, (0..low).any(bit), low as i32)
    }

    fn cmp(&self, other: &Big) -> Ordering {
        let (a, b) = (self.bit_len(), other.bit_len());
        if a != b {
            return a.cmp(&b);
        }
        let n = a.div_ceil(32);
        for i in (0..n).rev() {
            let (x, y) = (self.0.get(i).copied().unwrap_or(0), other.0.get(i).copied().unwrap_or(0));
            if x != y {
                return x.cmp(&y);
            }
        }
        Ordering::Equal
    }

    /// `self -= other`; `other` must not be larger.
    fn sub(&mut self, other: &Big) {
        let mut borrow = 0i64;
        for i in 0..self.0.len() {
            let v = i64::from(self.0[i]) - i64::from(other.0.get(i).copied().unwrap_or(0)) - borrow;
            borrow = i64::from(v < 0);
            self.0[i] = (v + (borrow << 32)) as u32;
        }
        self.trim();
    }

    /// The decimal digits.
    fn to_decimal(&self) -> String {
        let mut n = self.clone();
        let mut chunks = Vec::new();
        while !n.is_zero() {
            let mut rem = 0u64;
            for limb in n.0.iter_mut().rev() {
                let v = rem << 32 | u64::from(*limb);
                *limb = (v / 1_000_000_000) as u32;
                rem = v % 1_000_000_000;
            }
            n.trim();
            chunks.push(rem as u32);
        }
        let mut s = chunks.pop().map(|c| c.to_string()).unwrap_or_else(|| "0".into());
        for c in chunks.iter().rev() {
            let c = c.to_string();
            s.push_str(&"0".repeat(9 - c.len()));
            s.push_str(&c);
        }
        s
    }
}

const POW10_U32: [u32; 10] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000];

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic spread of bit patterns: every exponent, any mantissa.
    fn spread(count: usize) -> impl Iterator<Item = f64> {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        (0..count)
            .flat_map(move |_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                [f64::from_bits(x & !(1 << 63)), (x % 100_000) as f64 / 100.0, (x % 1000) as f64 * 0.1]
            })
            .filter(|n| n.is_finite())
    }

    #[test]
    fn same_as_display() {
        let mut cases = vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.5,
            0.1,
            0.2,
            0.30000000000000004,
            1.5,
            -2.25,
            12.0,
            100.0,
            1e-7,
            1.5e-7,
            -3.2e-12,
            1e15,
            9e15,
            1e16,
            1.2345e17,
            1e21,
            1e22,
            1e300,
            5e-324,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            f64::EPSILON,
            123456.789,
            0.001,
            0.000123,
            4.35,
            2.675,
            1.0 / 3.0,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            9007199254740993.0,
            0.25,
            10.5,
            99.99,
            1658206780088562.2,
        ];
        cases.extend(spread(20_000));
        let bad: Vec<String> = cases.iter().filter(|n| fmt_num(**n) != format!("{n}")).map(|n| format!("{n} vs {}", fmt_num(*n))).collect();
        assert!(bad.is_empty(), "{} of {}: {:?}", bad.len(), cases.len(), &bad[..bad.len().min(10)]);
    }

    #[test]
    fn json_numbers_read_back_exactly_and_are_shortest() {
        for n in spread(6_000).flat_map(|n| [n, -n]) {
            let mut out = String::new();
            write_json_num(&mut out, n);
            assert_eq!(parse_f64(&out), Some(n), "{out}");
            assert_eq!(out.parse::<f64>().ok(), Some(n), "{out} by core");
            // The same digits as core's shortest form.
            if n != 0.0 {
                let core = format!("{:e}", n.abs());
                let mantissa = core.split('e').next().unwrap().replace('.', "");
                assert_eq!(shortest(n.abs()).0, mantissa, "{n}");
            }
        }
        let json = |n: f64| {
            let mut s = String::new();
            write_json_num(&mut s, n);
            s
        };
        assert_eq!(json(6.0), "6");
        assert_eq!(json(0.1), "0.1");
        assert_eq!(json(-2.5), "-2.5");
        assert_eq!(json(1.5e-7), "1.5e-7");
        assert_eq!(json(0.00001), "0.00001");
        assert_eq!(json(1e20), "100000000000000000000");
        assert_eq!(json(1.2345e22), "1.2345e22");
        assert_eq!(json(f64::MAX), "1.7976931348623157e308");
        assert_eq!(json(5e-324), "5e-324");
        assert_eq!(json(f64::NAN), "null");
    }

    #[test]
    fn parses_as_core_does() {
        let mut texts: Vec<String> = Vec::new();
        for n in spread(20_000) {
            // Short, long and over-long renderings, either side of the value.
            for p in [0, 3, 15, 16, 17, 20, 25] {
                texts.push(format!("{n:.p$e}"));
            }
            texts.push(format!("{n}"));
        }
        // Exact halfway points between neighbours: ties go to even, and a
        // digit more either way decides.
        for n in spread(3_000).filter(|n| *n > 0.0) {
            let bits = n.to_bits();
            let (f, e) = match bits >> 52 {
                0 => (bits & ((1 << 52) - 1), -1074),
                b => ((bits & ((1 << 52) - 1)) | (1 << 52), b as i32 - 1075),
            };
            let mut mid = Big(vec![(2 * f + 1) as u32, ((2 * f + 1) >> 32) as u32]);
            let exp10 = if e > 0 {
                mid.shl((e - 1) as usize);
                0
            } else {
                mid.mul_pow5((1 - e) as u32);
                e - 1
            };
            let d = mid.to_decimal();
            texts.push(format!("{d}e{exp10}"));
            texts.push(format!("{d}1e{}", exp10 - 1));
            let below = d.trim_end_matches('0');
            if let Some(last) = below.bytes().last() {
                texts.push(format!("{}{}9e{}", &below[..below.len() - 1], (last - 1) as char, exp10 - 1 + (d.len() - below.len()) as i32));
            }
        }
        texts.extend(
            [
                "0",
                "-0",
                "0.0e5",
                "1",
                "+1",
                "1.",
                ".5",
                "00012",
                "1e0",
                "1E+2",
                "2.2250738585072011e-308",
                "2.2250738585072014e-308",
                "4.9406564584124654e-324",
                "2.4703282292062327e-324",
                "2.4703282292062328e-324",
                "1e-400",
                "1.7976931348623157e308",
                "1.7976931348623158e308",
                "179769313486231580793728971405301e276",
                "9007199254740993",
                "9007199254740992.5",
                "0.000000000000000000000000000000000001e36",
            ]
            .map(String::from),
        );
        texts.push(format!("0.{}1e310", "0".repeat(900)));
        texts.push(format!("1{}e-1000", "0".repeat(1000)));
        texts.push(format!("4.9406564584124654{}e-324", "0".repeat(900)));
        // Half the smallest subnormal, written out exactly, then a hair above.
        texts.push("2.47032822920623272088284396434110686182529901307162382212792841250337753635104375932649918180817996189898282347722858865463328355177969898199387398005390939063150356595155702263922908583924491051844359318028499365361525003193704576782492193656236698636584807570015857692699037063119282795585513329278343384093519780155312465972635795746227664652728272200563740064854999770965994704540208281662262378573934507363390079677619305775067401763246736009689513405355374585166611342237666786041621596804619144672918403005300575308490487653917113865916462395249126236538818796362393732804238910186723484976682350898633885879256283027559956575244555072551893136908362547791869486679949683240497058210285131854513962138377228261454376934125320985913276672363281255e-324".to_string());
        let mut bad = Vec::new();
        for t in &texts {
            let core = t.parse::<f64>().ok().filter(|v| v.is_finite());
            if parse_f64(t).map(f64::to_bits) != core.map(f64::to_bits) {
                bad.push(format!("{t}: {:?} vs core {core:?}", parse_f64(t)));
            }
        }
        assert!(bad.is_empty(), "{} of {}: {:?}", bad.len(), texts.len(), &bad[..bad.len().min(5)]);
        for junk in ["", "-", ".", "e5", "1e", "1e+", "1.2.3", "1,5", " 1", "0x10", "inf", "NaN", "1e400"] {
            assert_eq!(parse_f64(junk), None, "{junk}");
        }
    }
}
