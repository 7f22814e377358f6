//! Spotting identifying details in free text before it leaves the device.
//!
//! Hand-written scanners rather than regular expressions: the `regex` crate
//! would cost about half a megabyte of wasm. The text is walked once; at each
//! word start every scanner is tried and the longest match wins, so findings
//! come out sorted and never overlap.
//!
//! What is caught, and what deliberately is not:
//!
//! | kind        | caught                                                    | not caught                       |
//! |-------------|-----------------------------------------------------------|----------------------------------|
//! | email       | `jane.doe@nhs.net`                                        | `tutor@ school`                  |
//! | phone       | 10-15 digits starting `0` or `+`: `07700 900123`, `(020) 7946 0018`, `+33 1 23 45 67 89` | `07:30`, `0 - 10`  |
//! | NHS number  | 10 digits (`943 476 5919`, `943-476-5919`) with a valid mod-11 check digit | `1234567890`   |
//! | postcode    | `SW1A 1AA`, `m1 1ae`, `EC1A1BB` (one case throughout)     | `ward 7B`, `F1 2nd`, `f1 2nd`    |
//! | date        | dates with a year (`12/03/1998`, `1998-03-12`, `3rd of May 2001`); any date after `DOB`, `born (on)`, `date of birth`, `birthday` | `12/10`, `24/7`, `2023` |
//! | web address | `https://…`, `www.…`, `bit.ly/x`, `example.com`            | `good.Next`, `e.g.`              |
//! | handle      | `@jdoe_med` (starts with a letter or `_`)                 | `@10am`, the `@` of an email     |
//! | name        | a title and 1-2 capitalised words, after any initials: `Dr Smith`, `Mrs Jane Doe`, `Sister O'Brien`, `Prof. Ahmed-Khan`, `Dr A. Patel`, `Patient Thompson` | `the doctor`, `Dr` alone, `Patient Safety`, `I will Miss Monday`, `Ms Teams`; names without a title |
//!
//! Schools add their own through [`CustomPattern`] shapes and exact words.

use crate::json::{Fields, Json, Shape};

/// What kind of identifier a [`Finding`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdentifierKind {
    Email,
    Phone,
    NhsNumber,
    Postcode,
    DateOfBirth,
    Url,
    Handle,
    Name,
    /// A school's own [`CustomPattern`] or word.
    Custom,
}

impl IdentifierKind {
    /// The short tag put in place of a redacted finding, as `[tag]`.
    pub fn tag(self) -> &'static str {
        use IdentifierKind::*;
        match self {
            Email => "email",
            Phone => "phone",
            NhsNumber => "nhs_number",
            Postcode => "postcode",
            DateOfBirth => "date",
            Url => "url",
            Handle => "handle",
            Name => "name",
            Custom => "identifier",
        }
    }
}

impl IdentifierKind {
    /// The catalogue key of this kind's description ("an email address").
    pub fn msg(self) -> crate::i18n::Msg {
        use crate::i18n::Msg;
        use IdentifierKind::*;
        match self {
            Email => Msg::IdEmail,
            Phone => Msg::IdPhone,
            NhsNumber => Msg::IdNhsNumber,
            Postcode => Msg::IdPostcode,
            DateOfBirth => Msg::IdDateOfBirth,
            Url => Msg::IdUrl,
            Handle => Msg::IdHandle,
            Name => Msg::IdName,
            Custom => Msg::IdCustom,
        }
    }
}

/// One identifier found: `text[start..end]` (byte offsets on char boundaries).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Finding {
    pub kind: IdentifierKind,
    pub start: usize,
    pub end: usize,
}

/// A school's own identifier shape, e.g. a student number.
///
/// `shape` is matched character by character: `#` is a digit, `@` a letter,
/// `*` a letter or digit, and anything else stands for itself (ASCII letters
/// in any case). A match must stand alone: no letter or digit right before
/// or after it. So `S#######` catches `s1234567` but not `S12345678`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomPattern {
    /// For the people editing the config; not shown to students.
    pub label: String,
    pub shape: String,
}

impl CustomPattern {
    /// Reads `{"label": "...", "shape": "..."}`.
    pub fn from_json(v: &Json, at: &str) -> Shape<CustomPattern> {
        let mut f = Fields::new(v, at)?;
        let p = CustomPattern { label: f.take("label", Json::str), shape: f.take("shape", Json::str) };
        f.end()?;
        Ok(p)
    }
}

/// Finds identifiers in free text: the built-in kinds plus a school's own.
///
/// # Usage
/// ```
/// use survey_core::anon::{redact, CustomPattern, Detector, IdentifierKind};
/// let d = Detector::new(
///     &[CustomPattern { label: "Student number".into(), shape: "S#######".into() }],
///     &["Larkspur Ward".into()],
/// );
/// let text = "Dr Smith on larkspur ward, call 07700 900123 (S1234567)";
/// let found = d.find(text);
/// assert_eq!(found[0].kind, IdentifierKind::Name);
/// assert_eq!(redact(text, &found), "[name] on [identifier], call [phone] ([identifier])");
/// ```
#[derive(Debug, Clone, Default)]
pub struct Detector {
    shapes: Vec<Vec<u8>>,
    words: Vec<Vec<u8>>,
}

impl Detector {
    /// A detector with the built-in kinds plus `extra` shapes and exact
    /// `words` or phrases (matched in any case, as whole words). Blank ones
    /// are ignored.
    pub fn new(extra: &[CustomPattern], words: &[String]) -> Self {
        let keep = |s: &str| (!s.trim().is_empty()).then(|| s.trim().as_bytes().to_vec());
        Detector { shapes: extra.iter().filter_map(|p| keep(&p.shape)).collect(), words: words.iter().filter_map(|w| keep(w)).collect() }
    }

    /// Every identifier in `text`, sorted and non-overlapping.
    pub fn find(&self, text: &str) -> Vec<Finding> {
        let b = text.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            // Identifiers only start at a word start: never inside "A&E7" or "x@y".
            let start = !b[i].is_ascii_whitespace() && !text[..i].chars().next_back().is_some_and(word_char);
            if start {
                if let Some((end, kind)) = self.longest(text, i) {
                    out.push(Finding { kind, start: i, end });
                    i = end;
                    continue;
                }
            }
            i += text[i..].chars().next().map_or(1, char::len_utf8);
        }
        out
    }

    /// The longest match starting at `i`; on a tie the earlier kind below.
    fn longest(&self, t: &str, i: usize) -> Option<(usize, IdentifierKind)> {
        use IdentifierKind::*;
        let found = [
            (self.custom(t, i), Custom),
            (email(t, i), Email),
            (url(t, i), Url),
            (nhs(t, i), NhsNumber),
            (phone(t, i), Phone),
            (postcode(t, i), Postcode),
            (date(t, i), DateOfBirth),
            (name(t, i), Name),
            (handle(t, i), Handle),
        ];
        let mut best: Option<(usize, IdentifierKind)> = None;
        for (end, kind) in found {
            if let Some(e) = end {
                if best.is_none_or(|(b, _)| e > b) {
                    best = Some((e, kind));
                }
            }
        }
        best
    }

    fn custom(&self, t: &str, i: usize) -> Option<usize> {
        let b = t.as_bytes();
        let word = self.words.iter().filter_map(|w| {
            let e = i + w.len();
            (b.get(i..e)?.eq_ignore_ascii_case(w)).then_some(e)
        });
        let shape = self.shapes.iter().filter_map(|s| {
            s.iter()
                .enumerate()
                .all(|(k, &p)| {
                    let c = at(b, i + k);
                    match p {
                        b'#' => c.is_ascii_digit(),
                        b'@' => c.is_ascii_alphabetic(),
                        b'*' => c.is_ascii_alphanumeric(),
                        _ => c.eq_ignore_ascii_case(&p),
                    }
                })
                .then_some(i + s.len())
        });
        // Matched bytes equal whole UTF-8 chars of the word or shape, so `e`
        // is a char boundary.
        word.chain(shape).filter(|&e| boundary(t, e)).max()
    }
}

/// `text` with each finding replaced by `[tag]`. `findings` must be sorted
/// and non-overlapping, as [`Detector::find`] returns them.
pub fn redact(text: &str, findings: &[Finding]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for f in findings {
        out.push_str(&text[from..f.start]);
        out.push('[');
        out.push_str(f.kind.tag());
        out.push(']');
        from = f.end;
    }
    out.push_str(&text[from..]);
    out
}

/// How long a free-text answer is for its length limits, in chars, and
/// whether it holds a redaction tag.
///
/// Each `[tag]` counts as one char: redaction must never push an answer the
/// student kept within `max_length` over it (the receiver would refuse it).
/// A tag can also be shorter than what it replaced, so callers skip
/// `min_length` when a tag is present.
///
/// # Usage
/// ```
/// use survey_core::anon::checked_len;
/// assert_eq!(checked_len("call [phone] now"), (10, true));
/// assert_eq!(checked_len("a [b] c"), (7, false));
/// ```
pub fn checked_len(text: &str) -> (usize, bool) {
    use IdentifierKind::*;
    const KINDS: [IdentifierKind; 9] = [Email, Phone, NhsNumber, Postcode, DateOfBirth, Url, Handle, Name, Custom];
    let (mut len, mut tagged, mut rest) = (0, false, text);
    while let Some(i) = rest.find('[') {
        len += rest[..i].chars().count();
        let after = &rest[i + 1..];
        match KINDS.iter().map(|k| k.tag()).find(|t| after.starts_with(t) && after[t.len()..].starts_with(']')) {
            Some(t) => {
                len += 1;
                tagged = true;
                rest = &after[t.len() + 1..];
            }
            None => {
                len += 1;
                rest = after;
            }
        }
    }
    (len + rest.chars().count(), tagged)
}

// ------------------------------------------------------------- helpers ---

/// The byte at `i`, or 0 past the end (0 matches no class below).
fn at(b: &[u8], i: usize) -> u8 {
    b.get(i).copied().unwrap_or(0)
}

/// No letter or digit starts at `j`.
fn boundary(t: &str, j: usize) -> bool {
    !t[j..].chars().next().is_some_and(word_char)
}

/// A letter or digit, by a cheap rule rather than the Unicode tables behind
/// `char::is_alphanumeric` (about 4 KB of brotli'd wasm): ASCII letters and
/// digits, and any other char outside the space, punctuation and symbol
/// blocks students type (nbsp, curly quotes, dashes, £, €, ×, emoji).
fn word_char(c: char) -> bool {
    match c as u32 {
        0..=0x7F => c.is_ascii_alphanumeric(),
        0x80..=0xBF | 0xD7 | 0xF7 | 0x2000..=0x2BFF | 0x3000..=0x303F | 0xFE00..=0xFE0F | 0xFEFF | 0x1F000.. => false,
        _ => true,
    }
}

fn letter(c: char) -> bool {
    c.is_ascii_alphabetic() || !c.is_ascii() && word_char(c)
}

/// A capital in ASCII, Latin-1, Latin Extended-A, Greek or Cyrillic; again
/// without Unicode tables.
fn capital(c: char) -> bool {
    let u = c as u32;
    // Latin Extended-A alternates capital/small, on odd code points in two runs.
    let odd = (0x139..=0x148).contains(&u) || (0x179..=0x17E).contains(&u);
    c.is_ascii_uppercase()
        || (0xC0..=0xDE).contains(&u) && u != 0xD7
        || (0x100..=0x17F).contains(&u) && (u % 2 == 1) == odd
        || (0x391..=0x3A9).contains(&u)
        || (0x400..=0x42F).contains(&u)
}

/// End of the ASCII digit run at `i`, and its value (None if not 1-4 digits).
fn num(b: &[u8], i: usize) -> Option<(u32, usize)> {
    let mut j = i;
    let mut v = 0;
    while at(b, j).is_ascii_digit() {
        v = v * 10 + u32::from(b[j] - b'0');
        j += 1;
        if j - i > 4 {
            return None;
        }
    }
    (j > i).then_some((v, j))
}

fn starts_ci(b: &[u8], i: usize, s: &str) -> bool {
    b.get(i..i + s.len()).is_some_and(|x| x.eq_ignore_ascii_case(s.as_bytes()))
}

fn ends_with_ci(b: &[u8], s: &str) -> bool {
    b.len() >= s.len() && b[b.len() - s.len()..].eq_ignore_ascii_case(s.as_bytes())
}

// ------------------------------------------------------------ scanners ---

fn email(t: &str, i: usize) -> Option<usize> {
    let b = t.as_bytes();
    if !b[i].is_ascii_alphanumeric() {
        return None;
    }
    let mut j = i;
    // Length limits (64 here, 253 for the domain) keep a long "a.a.a…"
    // linear rather than quadratic.
    while j - i <= 64 && (at(b, j).is_ascii_alphanumeric() || b"._%+-".contains(&at(b, j))) {
        j += 1;
    }
    if at(b, j) != b'@' {
        return None;
    }
    domain(b, j + 1).map(|(end, _)| end).filter(|&e| boundary(t, e))
}

/// A domain at `j`: two or more labels, the last letters only (so a trailing
/// full stop ends the sentence, not the address). Its end and the start of
/// its last label.
fn domain(b: &[u8], start: usize) -> Option<(usize, usize)> {
    let (mut j, mut labels, mut last, mut end) = (start, 0, 0, 0);
    loop {
        let s = j;
        while j - start <= 253 && (at(b, j).is_ascii_alphanumeric() || at(b, j) == b'-') {
            j += 1;
        }
        if j == s {
            break;
        }
        (labels, last, end) = (labels + 1, s, j);
        if at(b, j) != b'.' {
            break;
        }
        j += 1;
    }
    (labels >= 2 && end - last >= 2 && b[last..end].iter().all(u8::is_ascii_alphabetic)).then_some((end, last))
}

fn url(t: &str, i: usize) -> Option<usize> {
    let b = t.as_bytes();
    let prefix = ["https://", "http://", "www."].iter().find(|p| starts_ci(b, i, p));
    // Scan the rest from `j`; the address must reach at least `min`.
    let (mut j, min) = match prefix {
        Some(p) => (i + p.len(), i + p.len() + 2),
        // A bare domain: with a path (`bit.ly/x`), or a common ending
        // (`example.com`) so that "good.Next" is not one.
        None => {
            let (end, last) = domain(b, i)?;
            if at(b, end) != b'/' {
                let tld = &b[last..end];
                return ["com", "org", "net", "uk", "io", "me", "ly", "co"]
                    .iter()
                    .any(|x| tld.eq_ignore_ascii_case(x.as_bytes()))
                    .then_some(end)
                    .filter(|&e| boundary(t, e));
            }
            (end, end)
        }
    };
    // Printable ASCII only: stops at spaces and at curly quotes around it.
    while at(b, j).is_ascii_graphic() && !b"<>\"".contains(&b[j]) {
        j += 1;
    }
    while j > min && b".,;:!?)'".contains(&b[j - 1]) {
        j -= 1;
    }
    (j >= min).then_some(j)
}

fn handle(t: &str, i: usize) -> Option<usize> {
    let b = t.as_bytes();
    // `@10am` is a time, not an account.
    if b[i] != b'@' || !(at(b, i + 1).is_ascii_alphabetic() || at(b, i + 1) == b'_') {
        return None;
    }
    let mut j = i + 1;
    while at(b, j).is_ascii_alphanumeric() || b"_.".contains(&at(b, j)) {
        j += 1;
    }
    while b[j - 1] == b'.' {
        j -= 1;
    }
    (j - i >= 3 && boundary(t, j)).then_some(j)
}

fn nhs(t: &str, i: usize) -> Option<usize> {
    let b = t.as_bytes();
    let (mut d, mut n, mut j, mut sep, mut seps) = ([0u32; 10], 0, i, 0u8, 0u8);
    while n < 10 {
        let c = at(b, j);
        if c.is_ascii_digit() {
            d[n] = u32::from(c - b'0');
            n += 1;
        } else if (n == 3 || n == 6) && (c == b' ' || c == b'-') && (sep == 0 || sep == c) {
            // Grouped 3-3-4 with the same separator twice, or not at all.
            let bit = if n == 3 { 1 } else { 2 };
            if seps & bit != 0 {
                return None;
            }
            (sep, seps) = (c, seps | bit);
        } else {
            return None;
        }
        j += 1;
    }
    if !(seps == 0 || seps == 3) || !boundary(t, j) {
        return None;
    }
    let sum: u32 = (0..9).map(|k| d[k] * (10 - k as u32)).sum();
    // Remainder 11 means check digit 0; 10 means no valid number.
    let check = (11 - sum % 11) % 11;
    (check == d[9]).then_some(j)
}

fn phone(t: &str, i: usize) -> Option<usize> {
    let b = t.as_bytes();
    let mut j = i + usize::from(b[i] == b'(');
    let plus = at(b, j) == b'+';
    j += usize::from(plus);
    if !(at(b, j) == b'0' || plus && at(b, j).is_ascii_digit()) {
        return None;
    }
    let (mut digits, mut group, mut singles, mut end, mut prev, mut closed) = (0, 0, 0, j, 0u8, false);
    loop {
        let c = at(b, j);
        if c.is_ascii_digit() {
            (digits, group, end, prev) = (digits + 1, group + 1, j + 1, 0);
            if digits > 15 {
                return None;
            }
        } else if b" -.()".contains(&c) && (prev == 0 || b"()".contains(&c) || b"()".contains(&prev)) {
            // One separator between groups, or two around a bracket, so
            // "900123. 0161" stays two numbers.
            singles += usize::from(group == 1);
            (group, prev, closed) = (0, c, closed || c == b')');
        } else {
            break;
        }
        j += 1;
    }
    singles += usize::from(group == 1);
    // Only one single-digit group (a country code or "+33 1"), so a row of
    // scores "0 1 2 3 …" is not a number.
    // An opening bracket only belongs to the number if it closes in it: the
    // "(" of "(07700 900123, …)" does not.
    let bracket_ok = b[i] != b'(' || closed;
    ((10..=15).contains(&digits) && singles <= 1 && bracket_ok && boundary(t, end)).then_some(end)
}

fn postcode(t: &str, i: usize) -> Option<usize> {
    let b = t.as_bytes();
    let run = |s: usize| (s..).find(|&e| !at(b, e).is_ascii_alphanumeric()).unwrap_or(s);
    let e1 = run(i);
    let (out, inw, end) = if at(b, e1) == b' ' && (2..=4).contains(&(e1 - i)) && run(e1 + 1) == e1 + 4 {
        (&b[i..e1], &b[e1 + 1..e1 + 4], e1 + 4)
    } else if (5..=7).contains(&(e1 - i)) {
        (&b[i..e1 - 3], &b[e1 - 3..e1], e1)
    } else {
        return None;
    };
    let mut shape = [0u8; 4];
    for (s, c) in shape.iter_mut().zip(out) {
        *s = if c.is_ascii_digit() { b'9' } else { b'A' };
    }
    let shape = &shape[..out.len()];
    const OUTWARD: [&[u8]; 6] = [b"A9", b"A99", b"AA9", b"AA99", b"A9A", b"AA9A"];
    const ORDINALS: [&[u8]; 4] = [b"st", b"nd", b"rd", b"th"];
    let outward = OUTWARD.contains(&shape);
    // The inward letters never use C, I, K, M, O or V.
    let inward = inw[0].is_ascii_digit() && inw[1..].iter().all(|c| b"ABDEFGHJLNPQRSTUWXYZ".contains(&c.to_ascii_uppercase()));
    let all = &b[i..end];
    let upper = !all.iter().any(u8::is_ascii_lowercase);
    let lower = !all.iter().any(u8::is_ascii_uppercase);
    // "f1 2nd" is a foundation year and an ordinal.
    let ordinal = out.len() == 2 && ORDINALS.contains(&&inw[1..]);
    (outward && inward && (upper || lower && !ordinal) && boundary(t, end)).then_some(end)
}

fn date(t: &str, i: usize) -> Option<usize> {
    let b = t.as_bytes();
    let (end, year) = numeric_date(b, i).or_else(|| text_date(b, i))?;
    // "1.2.3.4" and "12/03/1998/5" are something else.
    let more = b"/-.:".contains(&at(b, end)) && at(b, end + 1).is_ascii_digit();
    (!more && boundary(t, end) && (year || after_birth_word(b, i))).then_some(end)
}

fn year_ok(y: u32) -> bool {
    (1900..2100).contains(&y)
}

/// `12/03/1998`, `12-03-98`, `1998-03-12`, or `12/03` (no year). Returns the
/// end and whether a year was given.
fn numeric_date(b: &[u8], i: usize) -> Option<(usize, bool)> {
    let (a, j) = num(b, i)?;
    let sep = at(b, j);
    if !b"/-.".contains(&sep) {
        return None;
    }
    let (m, k) = num(b, j + 1)?;
    if k - j > 3 {
        return None;
    }
    let third = (at(b, k) == sep && at(b, k + 1).is_ascii_digit()).then(|| num(b, k + 1));
    if j - i == 4 {
        let (d, e) = third??;
        return (e - k <= 3 && (1..=12).contains(&m) && (1..=31).contains(&d) && year_ok(a)).then_some((e, true));
    }
    // Day and month either way round (UK or US order).
    if j - i > 2 || a == 0 || m == 0 || !(a <= 31 && m <= 12 || a <= 12 && m <= 31) {
        return None;
    }
    match third {
        None => Some((k, false)),
        Some(y) => {
            let (y, e) = y?;
            // A dotted two-digit "year" is a section number: "§15.5.10".
            (e - k == 3 && sep != b'.' || e - k == 5 && year_ok(y)).then_some((e, true))
        }
    }
}

/// `12 March 1998`, `3rd of May 2001`, `March 12th, 1998`, or without the year.
fn text_date(b: &[u8], i: usize) -> Option<(usize, bool)> {
    let day = |j: usize| {
        let (d, mut e) = num(b, j)?;
        if e - j > 2 || !(1..=31).contains(&d) {
            return None;
        }
        if ["st", "nd", "rd", "th"].iter().any(|s| starts_ci(b, e, s)) {
            e += 2;
        }
        (!at(b, e).is_ascii_alphanumeric()).then_some(e)
    };
    let month = |j: usize| {
        let e = (j..).find(|&e| !at(b, e).is_ascii_alphabetic()).unwrap_or(j);
        crate::period::month_number(&b[j..e]).map(|_| e)
    };
    let j = if b[i].is_ascii_digit() {
        let mut j = day(i)?;
        if at(b, j) != b' ' {
            return None;
        }
        j += 1;
        if starts_ci(b, j, "of ") {
            j += 3;
        }
        month(j)?
    } else {
        let j = month(i)?;
        if at(b, j) != b' ' {
            return None;
        }
        day(j + 1)?
    };
    let k = j + usize::from(at(b, j) == b',');
    if at(b, k) == b' ' {
        if let Some((y, e)) = num(b, k + 1) {
            if e - k == 5 && year_ok(y) {
                return Some((e, true));
            }
        }
    }
    Some((j, false))
}

/// The text before `i` ends with "DOB", "born (on the)", "date of birth is"…
fn after_birth_word(b: &[u8], i: usize) -> bool {
    let mut j = i;
    for _ in 0..4 {
        while j > 0 && b" :-,.=".contains(&b[j - 1]) {
            j -= 1;
        }
        let word = |w: &str| ends_with_ci(&b[..j], w) && (j == w.len() || !b[j - w.len() - 1].is_ascii_alphanumeric());
        if ["dob", "d.o.b", "born", "birth", "birthday"].iter().any(|w| word(w)) {
            return true;
        }
        match ["is", "was", "on", "the"].iter().find(|w| word(w)) {
            Some(w) => j -= w.len(),
            None => return false,
        }
    }
    false
}

/// Titles that introduce a name; the first six may take a full stop.
const TITLES: [&str; 13] = ["dr", "mr", "mrs", "ms", "mx", "prof", "miss", "professor", "doctor", "nurse", "sister", "matron", "patient"];

/// Capitalised words that follow a title without being a name.
const NOT_NAMES: &str = " the a an and but or so he she they we it this that then there when if in on at to of for \
    was is who what my our his her their monday tuesday wednesday thursday friday saturday sunday january february \
    march april may june july august september october november december safety care centred centered experience \
    advice liaison feedback practitioner specialist associate educator lead led team teams group ";

fn name(t: &str, i: usize) -> Option<usize> {
    let b = t.as_bytes();
    let mut j = (i..).find(|&e| !at(b, e).is_ascii_alphabetic()).unwrap_or(i);
    let w = &t[i..j];
    let title = TITLES.iter().position(|x| x.eq_ignore_ascii_case(w))?;
    // Lower-case "miss" is a verb.
    if title == 6 && b[i] != b'M' {
        return None;
    }
    if title < 6 && at(b, j) == b'.' {
        j += 1;
    }
    if at(b, j) != b' ' {
        return None;
    }
    j += 1;
    // Initials: "Dr A Patel", "Dr. A. B. Patel" ("Patient A said" is no name).
    while at(b, j).is_ascii_uppercase() && !at(b, j + 1).is_ascii_alphabetic() {
        let k = j + 1 + usize::from(at(b, j + 1) == b'.');
        if at(b, k) != b' ' {
            break;
        }
        j = k + 1;
    }
    let end = name_word(t, j)?;
    Some(if at(b, end) == b' ' { name_word(t, end + 1).unwrap_or(end) } else { end })
}

/// A capitalised word of two or more letters (`O'Brien`, `Ahmed-Khan`,
/// `Émilie`) at `j`, without a possessive `'s`; its end.
fn name_word(t: &str, j: usize) -> Option<usize> {
    let mut cs = t[j..].char_indices();
    if !capital(cs.next()?.1) {
        return None;
    }
    let mut end = t.len();
    while let Some((k, c)) = cs.next() {
        if letter(c) {
            continue;
        }
        let joins = matches!(c, '\'' | '’' | '-')
            && t[j + k + c.len_utf8()..].chars().next().is_some_and(letter)
            && !(c != '-' && t[j + k + c.len_utf8()..].starts_with('s') && boundary(t, j + k + c.len_utf8() + 1));
        if !joins {
            end = j + k;
            break;
        }
        cs.next();
    }
    let w = &t[j..end];
    let stop = NOT_NAMES.split(' ').any(|s| s.eq_ignore_ascii_case(w));
    (w.chars().nth(1).is_some() && !stop).then_some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cheap_character_classes() {
        for c in ['É', 'Ł', 'Ž', 'Ÿ', 'Ā', 'Д', 'Ω', 'A'] {
            assert!(capital(c), "{c}");
        }
        for c in ['é', 'ł', 'ž', 'ÿ', 'ā', 'д', 'ω', 'a', '×', 'ß', '1'] {
            assert!(!capital(c), "{c}");
        }
        for c in ['é', 'ß', 'ł', '中', 'я', '7', 'z'] {
            assert!(word_char(c), "{c}");
        }
        for c in ['’', '“', '—', '\u{a0}', '€', '£', '😀', '…', '×', ' ', '-'] {
            assert!(!word_char(c), "{c}");
        }
    }
}
