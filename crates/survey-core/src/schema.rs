//! The questionnaire format: read from JSON (`crate::json`), then checked into a
//! typed model with precise errors (`question "q7": min 5 is greater than max 3`).
//!
//! The JSON is flat (one object per question with a `type` and the fields that
//! kind needs) because that is what a school edits by hand; the check turns it
//! into [`Kind`], so the rest of the code never sees a half-valid question.
//! See `docs/questionnaire-format.md` and `docs/questionnaire.schema.json`.

use crate::answers::Answer;
use crate::json::{self, Fields, Json, Shape};
use crate::num::Num;
use crate::text::Text;
use thiserror::Error;

/// The value stored for "Prefer not to say" in single choice and likert answers.
pub const PREFER_NOT_TO_SAY: &str = "prefer_not_to_say";

/// Default `max_length` for text answers when the file gives none.
pub const DEFAULT_SHORT_MAX: u32 = 200;
pub const DEFAULT_LONG_MAX: u32 = 5000;

#[derive(Debug, Clone, PartialEq)]
pub struct Questionnaire {
    pub id: String,
    pub version: String,
    pub title: Text,
    pub intro: Option<Text>,
    pub sections: Vec<Section>,
    /// The languages every text is given in (`languages`; `["en"]` for a file
    /// without the field), in the file's order.
    pub languages: Vec<String>,
    /// The language shown when neither the student nor the browser asks for
    /// one of `languages` (`default_language`; else the first of them).
    pub default_language: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub id: String,
    pub title: Text,
    pub intro: Option<Text>,
    pub show_if: Option<Condition>,
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub id: String,
    pub text: Text,
    pub hint: Option<Text>,
    pub required: bool,
    pub show_if: Option<Condition>,
    pub kind: Kind,
    /// The question's own error messages (GOV.UK: say what to do, for this
    /// question), used instead of the generic ones.
    pub errors: ErrorTexts,
}

/// A question's own wording for its errors; each falls back to a generic
/// message when absent.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ErrorTexts {
    /// Left unanswered (or a grid with statements left blank, or consent not given).
    pub required: Option<Text>,
    /// An answer that cannot be read for this question, like `four` in a number field.
    pub invalid: Option<Text>,
}

/// A choice: the stored `value` and the `label` shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opt {
    pub value: String,
    pub label: Text,
}

/// One statement of a likert group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub id: String,
    pub text: Text,
    /// Scored in reverse for analysis (agreement is the unwanted direction).
    pub reverse: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// Statements sharing one agreement scale; the answer is a [`Answer::Grid`].
    Likert {
        scale: Vec<Opt>,
        statements: Vec<Statement>,
        prefer_not_to_say: bool,
    },
    Single {
        options: Vec<Opt>,
        prefer_not_to_say: bool,
    },
    Multiple {
        options: Vec<Opt>,
        min: Option<u32>,
        max: Option<u32>,
    },
    /// Whole numbers from `min` to `max` (0-10 unless given), with end labels.
    Rating {
        min: i64,
        max: i64,
        min_label: Option<Text>,
        max_label: Option<Text>,
    },
    Number {
        min: Option<f64>,
        max: Option<f64>,
        step: Option<f64>,
    },
    ShortText {
        min_length: Option<u32>,
        max_length: u32,
    },
    LongText {
        min_length: Option<u32>,
        max_length: u32,
    },
    /// Must be ticked.
    Consent,
    /// Text only, no answer.
    Info,
}

/// A question's `type` as named in the questionnaire format, without its
/// settings. Every place that depends on the type matches it (or [`Kind`])
/// exhaustively, so a new type is a compile error wherever it needs handling,
/// and an unknown `type` in a file is a [`SchemaError`], never a fallback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuestionType {
    Likert,
    Single,
    Multiple,
    Rating,
    Number,
    ShortText,
    LongText,
    Consent,
    Info,
}

impl QuestionType {
    /// Every type, in the order the format documents them.
    pub const ALL: [QuestionType; 9] = [
        QuestionType::Likert,
        QuestionType::Single,
        QuestionType::Multiple,
        QuestionType::Rating,
        QuestionType::Number,
        QuestionType::ShortText,
        QuestionType::LongText,
        QuestionType::Consent,
        QuestionType::Info,
    ];

    /// The `type` name used in the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionType::Likert => "likert",
            QuestionType::Single => "single",
            QuestionType::Multiple => "multiple",
            QuestionType::Rating => "rating",
            QuestionType::Number => "number",
            QuestionType::ShortText => "short_text",
            QuestionType::LongText => "long_text",
            QuestionType::Consent => "consent",
            QuestionType::Info => "info",
        }
    }

    /// The type named `name`, if there is one.
    pub fn parse(name: &str) -> Option<QuestionType> {
        QuestionType::ALL.into_iter().find(|t| t.as_str() == name)
    }

    /// The optional question fields this type accepts.
    fn optional_fields(self) -> &'static [&'static str] {
        match self {
            QuestionType::Likert => &["scale", "statements", "prefer_not_to_say", "required"],
            QuestionType::Single => &["options", "prefer_not_to_say", "required"],
            QuestionType::Multiple => &["options", "min_selections", "max_selections", "required"],
            QuestionType::Rating => &["min", "max", "min_label", "max_label", "required"],
            QuestionType::Number => &["min", "max", "step", "required"],
            QuestionType::ShortText | QuestionType::LongText => &["min_length", "max_length", "required"],
            QuestionType::Consent => &["required"],
            QuestionType::Info => &[],
        }
    }
}

impl Kind {
    /// The question's type.
    pub fn question_type(&self) -> QuestionType {
        match self {
            Kind::Likert { .. } => QuestionType::Likert,
            Kind::Single { .. } => QuestionType::Single,
            Kind::Multiple { .. } => QuestionType::Multiple,
            Kind::Rating { .. } => QuestionType::Rating,
            Kind::Number { .. } => QuestionType::Number,
            Kind::ShortText { .. } => QuestionType::ShortText,
            Kind::LongText { .. } => QuestionType::LongText,
            Kind::Consent => QuestionType::Consent,
            Kind::Info => QuestionType::Info,
        }
    }

    /// The `type` name used in the JSON.
    pub fn name(&self) -> &'static str {
        self.question_type().as_str()
    }

    /// True for free-text kinds, which the anonymiser scans.
    pub fn is_free_text(&self) -> bool {
        matches!(self, Kind::ShortText { .. } | Kind::LongText { .. })
    }
}

/// A `show_if` condition on earlier answers.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
    /// A test on one earlier question (or one statement of a likert question).
    Test {
        question: String,
        statement: Option<String>,
        op: Op,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    Equals(Answer),
    NotEquals(Answer),
    OneOf(Vec<String>),
    Lt(f64),
    Lte(f64),
    Gt(f64),
    Gte(f64),
    /// A multiple-choice answer includes this value.
    Includes(String),
    /// The question has (true) or has not (false) been answered.
    Answered(bool),
}

/// Why a questionnaire file was refused. Every message names the place.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SchemaError {
    #[error("not a valid questionnaire file: {0}")]
    Json(String),
    #[error("{at}: \"{field}\" must not be empty")]
    Empty { at: String, field: &'static str },
    #[error("{at}: id \"{id}\" may only use a-z, 0-9, _ and -")]
    BadId { at: String, id: String },
    #[error("id \"{id}\" is used more than once ({at})")]
    DuplicateId { at: String, id: String },
    #[error("question \"{question}\": \"{field}\" is needed for a {kind} question")]
    Missing { question: String, field: &'static str, kind: &'static str },
    // "an info question", not "a info question".
    #[error("question \"{question}\": \"{field}\" does not apply to {} {kind} question", if *.kind == "info" { "an" } else { "a" })]
    NotApplicable { question: String, field: &'static str, kind: &'static str },
    #[error("question \"{question}\": min {} is greater than max {}", Num(*.min), Num(*.max))]
    MinGreaterThanMax { question: String, min: f64, max: f64 },
    #[error("question \"{question}\": {reason}")]
    BadValue { question: String, reason: String },
    #[error("{at}: option value \"{value}\" is used more than once")]
    DuplicateOption { at: String, value: String },
    #[error("{at}: show_if refers to unknown question \"{target}\"")]
    UnknownReference { at: String, target: String },
    #[error("{at}: show_if refers to \"{target}\", which does not come before it")]
    LaterReference { at: String, target: String },
    #[error("{at}: show_if {reason}")]
    BadCondition { at: String, reason: String },
    /// A text lacks (or leaves blank) one of the declared languages; `at` is
    /// the JSON path, like `sections[2].questions[0].statements[1].text`.
    #[error("{at}: no \"{lang}\"")]
    MissingLanguage { at: String, lang: String },
    #[error("languages: {0}")]
    BadLanguages(String),
}

// ---------------------------------------------------------------- raw JSON ---

struct RawQuestionnaire {
    id: String,
    version: String,
    title: Text,
    intro: Option<Text>,
    sections: Vec<RawSection>,
    languages: Option<Vec<String>>,
    default_language: Option<String>,
}

struct RawSection {
    id: String,
    title: Text,
    intro: Option<Text>,
    show_if: Option<RawCondition>,
    questions: Vec<RawQuestion>,
}

struct RawQuestion {
    id: String,
    kind: String,
    text: Text,
    hint: Option<Text>,
    required: Option<bool>,
    show_if: Option<RawCondition>,
    options: Option<Vec<Opt>>,
    scale: Option<Vec<Opt>>,
    statements: Option<Vec<Statement>>,
    prefer_not_to_say: Option<bool>,
    min: Option<f64>,
    max: Option<f64>,
    step: Option<f64>,
    min_label: Option<Text>,
    max_label: Option<Text>,
    min_length: Option<u32>,
    max_length: Option<u32>,
    min_selections: Option<u32>,
    max_selections: Option<u32>,
    errors: ErrorTexts,
}

struct RawCondition {
    all: Option<Vec<RawCondition>>,
    any: Option<Vec<RawCondition>>,
    not: Option<Box<RawCondition>>,
    question: Option<String>,
    statement: Option<String>,
    equals: Option<Answer>,
    not_equals: Option<Answer>,
    one_of: Option<Vec<String>>,
    lt: Option<f64>,
    lte: Option<f64>,
    gt: Option<f64>,
    gte: Option<f64>,
    includes: Option<String>,
    answered: Option<bool>,
}

// Readers: every field by name, the rest refused (`Fields::end`), so a
// misspelt field name is an error that names it.

fn opt(v: &Json, at: &str) -> Shape<Opt> {
    let mut f = Fields::new(v, at)?;
    let o = Opt { value: f.take("value", Json::str), label: f.take("label", Text::from_json) };
    f.end()?;
    Ok(o)
}

fn statement(v: &Json, at: &str) -> Shape<Statement> {
    let mut f = Fields::new(v, at)?;
    let s = Statement {
        id: f.take("id", Json::str),
        text: f.take("text", Text::from_json),
        reverse: f.take_opt("reverse", Json::bool).unwrap_or(false),
    };
    f.end()?;
    Ok(s)
}

fn error_texts(v: &Json, at: &str) -> Shape<ErrorTexts> {
    let mut f = Fields::new(v, at)?;
    let e = ErrorTexts { required: f.take_opt("required", Text::from_json), invalid: f.take_opt("invalid", Text::from_json) };
    f.end()?;
    Ok(e)
}

fn raw_condition(v: &Json, at: &str) -> Shape<RawCondition> {
    let mut f = Fields::new(v, at)?;
    let c = RawCondition {
        all: f.take_opt("all", |v, at| v.list(at, raw_condition)),
        any: f.take_opt("any", |v, at| v.list(at, raw_condition)),
        not: f.take_opt("not", raw_condition).map(Box::new),
        question: f.take_opt("question", Json::str),
        statement: f.take_opt("statement", Json::str),
        equals: f.take_opt("equals", Answer::from_json),
        not_equals: f.take_opt("not_equals", Answer::from_json),
        one_of: f.take_opt("one_of", Json::strings),
        lt: f.take_opt("lt", Json::f64),
        lte: f.take_opt("lte", Json::f64),
        gt: f.take_opt("gt", Json::f64),
        gte: f.take_opt("gte", Json::f64),
        includes: f.take_opt("includes", Json::str),
        answered: f.take_opt("answered", Json::bool),
    };
    f.end()?;
    Ok(c)
}

fn raw_question(v: &Json, at: &str) -> Shape<RawQuestion> {
    let mut f = Fields::new(v, at)?;
    let opts = |v: &Json, at: &str| v.list(at, opt);
    let q = RawQuestion {
        id: f.take("id", Json::str),
        kind: f.take("type", Json::str),
        text: f.take("text", Text::from_json),
        hint: f.take_opt("hint", Text::from_json),
        required: f.take_opt("required", Json::bool),
        show_if: f.take_opt("show_if", raw_condition),
        options: f.take_opt("options", opts),
        scale: f.take_opt("scale", opts),
        statements: f.take_opt("statements", |v, at| v.list(at, statement)),
        prefer_not_to_say: f.take_opt("prefer_not_to_say", Json::bool),
        min: f.take_opt("min", Json::f64),
        max: f.take_opt("max", Json::f64),
        step: f.take_opt("step", Json::f64),
        min_label: f.take_opt("min_label", Text::from_json),
        max_label: f.take_opt("max_label", Text::from_json),
        min_length: f.take_opt("min_length", Json::u32),
        max_length: f.take_opt("max_length", Json::u32),
        min_selections: f.take_opt("min_selections", Json::u32),
        max_selections: f.take_opt("max_selections", Json::u32),
        errors: f.take_opt("errors", error_texts).unwrap_or_default(),
    };
    f.end()?;
    Ok(q)
}

fn raw_section(v: &Json, at: &str) -> Shape<RawSection> {
    let mut f = Fields::new(v, at)?;
    let s = RawSection {
        id: f.take("id", Json::str),
        title: f.take("title", Text::from_json),
        intro: f.take_opt("intro", Text::from_json),
        show_if: f.take_opt("show_if", raw_condition),
        questions: f.take("questions", |v, at| v.list(at, raw_question)),
    };
    f.end()?;
    Ok(s)
}

fn raw_questionnaire(v: &Json) -> Shape<RawQuestionnaire> {
    let mut f = Fields::new(v, "")?;
    let q = RawQuestionnaire {
        id: f.take("id", Json::str),
        version: f.take("version", Json::str),
        title: f.take("title", Text::from_json),
        intro: f.take_opt("intro", Text::from_json),
        sections: f.take("sections", |v, at| v.list(at, raw_section)),
        languages: f.take_opt("languages", Json::strings),
        default_language: f.take_opt("default_language", Json::str),
    };
    // Free-form notes for authors; ignored.
    f.take_opt("$comment", Json::str);
    f.end()?;
    Ok(q)
}

// ------------------------------------------------------------------ checks ---

impl Questionnaire {
    /// Parses and checks a questionnaire file.
    pub fn from_json(json: &str) -> Result<Self, SchemaError> {
        let raw = json::parse(json).and_then(|v| raw_questionnaire(&v)).map_err(|e| SchemaError::Json(e.to_string()))?;
        Checker::default().questionnaire(raw)
    }

    /// Every question in order, with the section it sits in.
    pub fn questions(&self) -> impl Iterator<Item = (&Section, &Question)> {
        self.sections.iter().flat_map(|s| s.questions.iter().map(move |q| (s, q)))
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions().map(|(_, q)| q).find(|q| q.id == id)
    }
}

/// Checks `languages` and `default_language`: tags like `en`, `cy`, `pt-BR`,
/// each once; the default one of them.
fn languages(list: Option<Vec<String>>, default: Option<String>) -> Result<(Vec<String>, String), SchemaError> {
    let bad = |r: String| SchemaError::BadLanguages(r);
    let list = list.unwrap_or_else(|| vec!["en".to_owned()]);
    if list.is_empty() {
        return Err(bad("must name at least one language".into()));
    }
    let mut seen: Vec<String> = Vec::new();
    for tag in &list {
        let ok = tag.split('-').enumerate().all(|(i, part)| {
            (if i == 0 { (2..=3).contains(&part.len()) } else { (1..=8).contains(&part.len()) })
                && part.bytes().all(|b| b.is_ascii_alphanumeric())
        });
        if !ok {
            return Err(bad(format!("\"{tag}\" is not a language tag like \"en\" or \"cy\"")));
        }
        if !insert_new(&mut seen, tag.to_ascii_lowercase()) {
            return Err(bad(format!("\"{tag}\" is listed more than once")));
        }
    }
    let default = default.unwrap_or_else(|| list[0].clone());
    if !list.contains(&default) {
        return Err(bad(format!("default_language \"{default}\" is not one of the languages")));
    }
    Ok((list, default))
}

impl Questionnaire {
    /// Refuses the first text (sections and questions in order) that lacks a declared language
    /// or leaves it blank, naming its JSON path. A plain string counts as the
    /// default language only, so it is a gap in a file of two languages.
    fn check_languages(&self) -> Result<(), SchemaError> {
        let mut gap = None;
        self.each_text(&mut |at, t| {
            if gap.is_some() {
                return;
            }
            let missing = self.languages.iter().find(|l| match t {
                Text::Plain(s) => *l != &self.default_language || s.trim().is_empty(),
                Text::Localised(m) => m.get(l.as_str()).is_none_or(|s| s.trim().is_empty()),
            });
            if let Some(l) = missing {
                gap = Some(SchemaError::MissingLanguage { at: text_path(at), lang: l.clone() });
            }
        });
        gap.map_or(Ok(()), Err)
    }

    /// Calls `f` with every text of the questionnaire, in file order, and its
    /// place as path parts (field, index): `[("sections", Some(2)),
    /// ("questions", Some(0)), ("text", None)]`; [`text_path`] writes them
    /// out. Parts, not strings: the path is only written for an error.
    pub fn each_text(&self, f: &mut dyn FnMut(&[PathPart], &Text)) {
        f(&[("title", None)], &self.title);
        if let Some(t) = &self.intro {
            f(&[("intro", None)], t);
        }
        for (i, s) in self.sections.iter().enumerate() {
            let sp = ("sections", Some(i));
            f(&[sp, ("title", None)], &s.title);
            if let Some(t) = &s.intro {
                f(&[sp, ("intro", None)], t);
            }
            for (j, q) in s.questions.iter().enumerate() {
                let qp = ("questions", Some(j));
                let optional = [
                    ("text", Some(&q.text)),
                    ("hint", q.hint.as_ref()),
                    ("errors.required", q.errors.required.as_ref()),
                    ("errors.invalid", q.errors.invalid.as_ref()),
                ];
                let (list, field, statements, ends): (&[Opt], _, &[Statement], _) = match &q.kind {
                    Kind::Likert { scale, statements, .. } => (scale, "scale", statements, [None, None]),
                    Kind::Single { options, .. } | Kind::Multiple { options, .. } => (options, "options", &[], [None, None]),
                    Kind::Rating { min_label, max_label, .. } => (&[], "", &[], [min_label.as_ref(), max_label.as_ref()]),
                    Kind::Number { .. } | Kind::ShortText { .. } | Kind::LongText { .. } | Kind::Consent | Kind::Info => {
                        (&[], "", &[], [None, None])
                    }
                };
                let ends = [("min_label", ends[0]), ("max_label", ends[1])];
                for (name, t) in optional.into_iter().chain(ends) {
                    if let Some(t) = t {
                        f(&[sp, qp, (name, None)], t);
                    }
                }
                for (k, o) in list.iter().enumerate() {
                    f(&[sp, qp, (field, Some(k)), ("label", None)], &o.label);
                }
                for (k, st) in statements.iter().enumerate() {
                    f(&[sp, qp, ("statements", Some(k)), ("text", None)], &st.text);
                }
            }
        }
    }
}

/// One step of a path into the questionnaire file: a field and, for a list, the index.
pub type PathPart<'a> = (&'a str, Option<usize>);

/// `sections[2].questions[0].text` from the parts [`Questionnaire::each_text`] gives.
pub fn text_path(parts: &[PathPart]) -> String {
    let mut s = String::new();
    for (name, index) in parts {
        if !s.is_empty() {
            s.push('.');
        }
        s.push_str(name);
        if let Some(i) = index {
            s.push('[');
            s.push_str(&i.to_string());
            s.push(']');
        }
    }
    s
}

fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

#[derive(Default)]
struct Checker {
    /// Question ids seen so far, in order, with their kind: show_if may only
    /// look back.
    seen: Vec<(String, Kind)>,
    ids: Vec<String>,
    /// Every question id in the file, so a forward reference is told apart
    /// from a typo.
    all_questions: Vec<String>,
}

impl Checker {
    fn id(&mut self, at: &str, id: &str) -> Result<(), SchemaError> {
        if !valid_id(id) {
            return Err(SchemaError::BadId { at: at.into(), id: id.into() });
        }
        if !insert_new(&mut self.ids, id.to_owned()) {
            return Err(SchemaError::DuplicateId { at: at.into(), id: id.into() });
        }
        Ok(())
    }

    fn questionnaire(mut self, raw: RawQuestionnaire) -> Result<Questionnaire, SchemaError> {
        let at = "questionnaire";
        let declared = raw.languages.is_some();
        if !valid_id(&raw.id) {
            return Err(SchemaError::BadId { at: at.into(), id: raw.id });
        }
        if raw.version.trim().is_empty() {
            return Err(SchemaError::Empty { at: at.into(), field: "version" });
        }
        if raw.title.is_blank() {
            return Err(SchemaError::Empty { at: at.into(), field: "title" });
        }
        if raw.sections.is_empty() {
            return Err(SchemaError::Empty { at: at.into(), field: "sections" });
        }
        self.all_questions = raw.sections.iter().flat_map(|s| s.questions.iter().map(|q| q.id.clone())).collect();
        let mut sections = Vec::with_capacity(raw.sections.len());
        for s in raw.sections {
            sections.push(self.section(s)?);
        }
        let (languages, default_language) = languages(raw.languages, raw.default_language)?;
        let q =
            Questionnaire { id: raw.id, version: raw.version, title: raw.title, intro: raw.intro, sections, languages, default_language };
        // A file without `languages` is read as before (English, with any
        // localised text falling back); one that declares them must keep
        // its word in every text.
        if declared {
            q.check_languages()?;
        }
        Ok(q)
    }

    fn section(&mut self, raw: RawSection) -> Result<Section, SchemaError> {
        let at = format!("section \"{}\"", raw.id);
        self.id(&at, &raw.id)?;
        if raw.title.is_blank() {
            return Err(SchemaError::Empty { at, field: "title" });
        }
        if raw.questions.is_empty() {
            return Err(SchemaError::Empty { at, field: "questions" });
        }
        let show_if = raw.show_if.map(|c| self.condition(&at, c)).transpose()?;
        let mut questions = Vec::with_capacity(raw.questions.len());
        for q in raw.questions {
            questions.push(self.question(q)?);
        }
        Ok(Section { id: raw.id, title: raw.title, intro: raw.intro, show_if, questions })
    }

    fn question(&mut self, mut raw: RawQuestion) -> Result<Question, SchemaError> {
        let at = format!("question \"{}\"", raw.id);
        self.id(&at, &raw.id)?;
        if raw.text.is_blank() {
            return Err(SchemaError::Empty { at, field: "text" });
        }
        // Checked before this question joins `seen`, so it cannot depend on itself.
        // Taken out of `raw`: nothing below reads it.
        let show_if = match raw.show_if.take() {
            Some(c) => Some(self.condition(&at, c)?),
            None => None,
        };
        let kind = kind(&raw)?;
        let required = match kind.question_type() {
            QuestionType::Consent => true,
            QuestionType::Info => false,
            QuestionType::Likert
            | QuestionType::Single
            | QuestionType::Multiple
            | QuestionType::Rating
            | QuestionType::Number
            | QuestionType::ShortText
            | QuestionType::LongText => raw.required.unwrap_or(false),
        };
        self.seen.push((raw.id.clone(), kind.clone()));
        Ok(Question { id: raw.id, text: raw.text, hint: raw.hint, required, show_if, kind, errors: raw.errors })
    }

    fn condition(&self, at: &str, raw: RawCondition) -> Result<Condition, SchemaError> {
        let bad = |reason: &str| SchemaError::BadCondition { at: at.into(), reason: reason.into() };
        let combinators = raw.all.is_some() as u8 + raw.any.is_some() as u8 + raw.not.is_some() as u8;
        let ops = [
            raw.equals.is_some(),
            raw.not_equals.is_some(),
            raw.one_of.is_some(),
            raw.lt.is_some(),
            raw.lte.is_some(),
            raw.gt.is_some(),
            raw.gte.is_some(),
            raw.includes.is_some(),
            raw.answered.is_some(),
        ]
        .iter()
        .filter(|b| **b)
        .count();
        if combinators > 0 {
            if combinators > 1 || ops > 0 || raw.question.is_some() || raw.statement.is_some() {
                return Err(bad("must use exactly one of all, any, not or question"));
            }
            if let Some(not) = raw.not {
                return Ok(Condition::Not(Box::new(self.condition(at, *not)?)));
            }
            let (list, all) = match (raw.all, raw.any) {
                (Some(l), _) => (l, true),
                (_, Some(l)) => (l, false),
                _ => unreachable!("one combinator is set"),
            };
            if list.is_empty() {
                return Err(bad("has an empty all/any list"));
            }
            let mut checked = Vec::with_capacity(list.len());
            for c in list {
                checked.push(self.condition(at, c)?);
            }
            let list = checked;
            return Ok(if all { Condition::All(list) } else { Condition::Any(list) });
        }
        let Some(question) = raw.question else {
            return Err(bad("needs a \"question\""));
        };
        if ops != 1 {
            return Err(bad("needs exactly one test (equals, not_equals, one_of, lt, lte, gt, gte, includes or answered)"));
        }
        let Some((_, kind)) = self.seen.iter().find(|(id, _)| *id == question) else {
            return Err(if self.all_questions.contains(&question) {
                SchemaError::LaterReference { at: at.into(), target: question }
            } else {
                SchemaError::UnknownReference { at: at.into(), target: question }
            });
        };
        match (&raw.statement, kind) {
            (Some(st), Kind::Likert { statements, .. }) if !statements.iter().any(|s| &s.id == st) => {
                return Err(bad(&format!("refers to unknown statement \"{st}\" of \"{question}\"")));
            }
            (Some(_), Kind::Likert { .. }) => {}
            (Some(_), _) => return Err(bad(&format!("uses \"statement\" but \"{question}\" is not a likert question"))),
            (None, Kind::Info) => return Err(bad(&format!("refers to \"{question}\", which is information only"))),
            _ => {}
        }
        let numeric = matches!(kind, Kind::Number { .. } | Kind::Rating { .. });
        let op = if let Some(v) = raw.equals {
            Op::Equals(v)
        } else if let Some(v) = raw.not_equals {
            Op::NotEquals(v)
        } else if let Some(v) = raw.one_of {
            Op::OneOf(v)
        } else if let Some(v) = raw.includes {
            if !matches!(kind, Kind::Multiple { .. }) {
                return Err(bad(&format!("uses \"includes\" but \"{question}\" is not a multiple choice question")));
            }
            Op::Includes(v)
        } else if let Some(v) = raw.answered {
            Op::Answered(v)
        } else {
            if !numeric {
                return Err(bad(&format!("compares \"{question}\" as a number, but it is a {} question", kind.name())));
            }
            match (raw.lt, raw.lte, raw.gt, raw.gte) {
                (Some(v), ..) => Op::Lt(v),
                (_, Some(v), ..) => Op::Lte(v),
                (_, _, Some(v), _) => Op::Gt(v),
                (.., Some(v)) => Op::Gte(v),
                _ => unreachable!("exactly one op is set"),
            }
        };
        // A value that is not one of the question's choices would make the
        // condition silently never true: refuse the typo instead.
        if let Some(choices) = choice_values(kind, raw.statement.is_some()) {
            let values: Vec<&str> = match &op {
                Op::Equals(Answer::Text(v)) | Op::NotEquals(Answer::Text(v)) | Op::Includes(v) => vec![v],
                Op::OneOf(list) => list.iter().map(String::as_str).collect(),
                _ => Vec::new(),
            };
            if let Some(v) = values.into_iter().find(|v| !choices.contains(v)) {
                return Err(bad(&format!("compares \"{question}\" with \"{v}\", which is not one of its options")));
            }
        }
        Ok(Condition::Test { question, statement: raw.statement, op })
    }
}

/// The values a choice question (or one Likert statement) can take, or None
/// when the question is not a choice.
fn choice_values(kind: &Kind, statement: bool) -> Option<Vec<&str>> {
    let (list, pnts) = match kind {
        Kind::Single { options, prefer_not_to_say } => (options, *prefer_not_to_say),
        Kind::Multiple { options, .. } => (options, false),
        Kind::Likert { scale, prefer_not_to_say, .. } if statement => (scale, *prefer_not_to_say),
        Kind::Likert { .. }
        | Kind::Rating { .. }
        | Kind::Number { .. }
        | Kind::ShortText { .. }
        | Kind::LongText { .. }
        | Kind::Consent
        | Kind::Info => return None,
    };
    Some(list.iter().map(|o| o.value.as_str()).chain(pnts.then_some(crate::PREFER_NOT_TO_SAY)).collect())
}

/// Adds `x` unless present; false when it was. A Vec, not a HashSet: the
/// lists are short and the wasm app then links no hashing code for them.
fn insert_new<T: PartialEq>(list: &mut Vec<T>, x: T) -> bool {
    let new = !list.contains(&x);
    if new {
        list.push(x);
    }
    new
}

/// The id inside `question "x"` / `section "x"`.
fn at_id(at: &str) -> &str {
    at.split('"').nth(1).unwrap_or("")
}

fn options(at: &str, field: &'static str, kind: &'static str, list: &Option<Vec<Opt>>) -> Result<Vec<Opt>, SchemaError> {
    let id = at_id(at).to_owned();
    let Some(list) = list else {
        return Err(SchemaError::Missing { question: id, field, kind });
    };
    if list.is_empty() {
        return Err(SchemaError::Empty { at: at.into(), field });
    }
    let mut seen = Vec::new();
    for o in list {
        if o.value.trim().is_empty() || o.value == PREFER_NOT_TO_SAY {
            return Err(SchemaError::BadValue { question: id, reason: format!("option value \"{}\" is empty or reserved", o.value) });
        }
        if o.label.is_blank() {
            return Err(SchemaError::BadValue { question: id, reason: format!("option \"{}\" has no label", o.value) });
        }
        if !insert_new(&mut seen, o.value.as_str()) {
            return Err(SchemaError::DuplicateOption { at: at.into(), value: o.value.clone() });
        }
    }
    Ok(list.clone())
}

/// Turns the flat JSON question into its [`Kind`], refusing fields that do not
/// apply so a typo or a copy-paste slip is caught, not silently ignored.
fn kind(raw: &RawQuestion) -> Result<Kind, SchemaError> {
    let at = format!("question \"{}\"", raw.id);
    let q = || raw.id.clone();
    let Some(ty) = QuestionType::parse(&raw.kind) else {
        // A literal (a test checks it names every type): joining the names
        // at run time cost wasm for an error a school sees once.
        return Err(SchemaError::BadValue {
            question: q(),
            reason: format!(
                "unknown type \"{}\" (expected likert, single, multiple, rating, number, short_text, long_text, consent or info)",
                raw.kind
            ),
        });
    };
    let name = ty.as_str();
    // Which optional fields each type accepts.
    let allowed = ty.optional_fields();
    let present = [
        ("options", raw.options.is_some()),
        ("scale", raw.scale.is_some()),
        ("statements", raw.statements.is_some()),
        ("prefer_not_to_say", raw.prefer_not_to_say.is_some()),
        ("min", raw.min.is_some()),
        ("max", raw.max.is_some()),
        ("step", raw.step.is_some()),
        ("min_label", raw.min_label.is_some()),
        ("max_label", raw.max_label.is_some()),
        ("min_length", raw.min_length.is_some()),
        ("max_length", raw.max_length.is_some()),
        ("min_selections", raw.min_selections.is_some()),
        ("max_selections", raw.max_selections.is_some()),
        ("required", raw.required.is_some()),
    ];
    if let Some((field, _)) = present.iter().find(|(f, p)| *p && !allowed.contains(f)) {
        return Err(SchemaError::NotApplicable { question: q(), field, kind: name });
    }
    if ty == QuestionType::Consent && raw.required == Some(false) {
        return Err(SchemaError::BadValue { question: q(), reason: "a consent question is always required".into() });
    }
    let min_max = |min: Option<f64>, max: Option<f64>| match (min, max) {
        (Some(a), Some(b)) if a > b => Err(SchemaError::MinGreaterThanMax { question: q(), min: a, max: b }),
        _ => Ok(()),
    };
    for (f, v) in [("min", raw.min), ("max", raw.max), ("step", raw.step)] {
        if v.is_some_and(|v| !v.is_finite()) {
            return Err(SchemaError::BadValue { question: q(), reason: format!("{f} must be a finite number") });
        }
    }
    Ok(match ty {
        QuestionType::Likert => {
            let scale = options(&at, "scale", name, &raw.scale)?;
            let Some(statements) = raw.statements.clone() else {
                return Err(SchemaError::Missing { question: q(), field: "statements", kind: name });
            };
            if statements.is_empty() {
                return Err(SchemaError::Empty { at, field: "statements" });
            }
            let mut ids = Vec::new();
            for s in &statements {
                if !valid_id(&s.id) {
                    return Err(SchemaError::BadId { at: at.clone(), id: s.id.clone() });
                }
                if !insert_new(&mut ids, s.id.as_str()) {
                    return Err(SchemaError::DuplicateId { at: at.clone(), id: s.id.clone() });
                }
                if s.text.is_blank() {
                    return Err(SchemaError::Empty { at: format!("{at}, statement \"{}\"", s.id), field: "text" });
                }
            }
            Kind::Likert { scale, statements, prefer_not_to_say: raw.prefer_not_to_say.unwrap_or(false) }
        }
        QuestionType::Single => Kind::Single {
            options: options(&at, "options", name, &raw.options)?,
            prefer_not_to_say: raw.prefer_not_to_say.unwrap_or(false),
        },
        QuestionType::Multiple => {
            let options = options(&at, "options", name, &raw.options)?;
            min_max(raw.min_selections.map(f64::from), raw.max_selections.map(f64::from))?;
            if let Some(max) = raw.max_selections {
                if max == 0 || max as usize > options.len() {
                    return Err(SchemaError::BadValue {
                        question: q(),
                        reason: format!("max_selections {max} must be between 1 and the {} options", options.len()),
                    });
                }
            }
            if raw.min_selections.is_some_and(|m| m as usize > options.len()) {
                return Err(SchemaError::BadValue {
                    question: q(),
                    reason: format!("min_selections is more than the {} options", options.len()),
                });
            }
            Kind::Multiple { options, min: raw.min_selections, max: raw.max_selections }
        }
        QuestionType::Rating => {
            let (min, max) = (raw.min.unwrap_or(0.0), raw.max.unwrap_or(10.0));
            min_max(Some(min), Some(max))?;
            if min.fract() != 0.0 || max.fract() != 0.0 || max - min > 20.0 || min == max {
                return Err(SchemaError::BadValue {
                    question: q(),
                    reason: format!("a rating needs whole-number ends at most 20 apart (got {} to {})", Num(min), Num(max)),
                });
            }
            Kind::Rating { min: min as i64, max: max as i64, min_label: raw.min_label.clone(), max_label: raw.max_label.clone() }
        }
        QuestionType::Number => {
            min_max(raw.min, raw.max)?;
            if raw.step.is_some_and(|s| s <= 0.0) {
                return Err(SchemaError::BadValue { question: q(), reason: "step must be greater than 0".into() });
            }
            Kind::Number { min: raw.min, max: raw.max, step: raw.step }
        }
        QuestionType::ShortText | QuestionType::LongText => {
            let short = ty == QuestionType::ShortText;
            let default = if short { DEFAULT_SHORT_MAX } else { DEFAULT_LONG_MAX };
            let max_length = raw.max_length.unwrap_or(default);
            if max_length == 0 {
                return Err(SchemaError::BadValue { question: q(), reason: "max_length must be at least 1".into() });
            }
            min_max(raw.min_length.map(f64::from), Some(f64::from(max_length)))?;
            if short {
                Kind::ShortText { min_length: raw.min_length, max_length }
            } else {
                Kind::LongText { min_length: raw.min_length, max_length }
            }
        }
        QuestionType::Consent => Kind::Consent,
        QuestionType::Info => Kind::Info,
    })
}
