//! Exports: one row per submission, one column per answer, plus a codebook
//! describing every column.
//!
//! Columns are the union over every questionnaire version the receiver knows
//! (in questionnaire order), then any answer keys found only in stored rows
//! (a version no longer loaded), so an export never drops data.

use crate::registry::Questionnaires;
use crate::store::StoredRow;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::collections::HashSet;
use survey_core::i18n::{Lang, Msg};
use survey_core::{Answer, Kind, Questionnaire, Submission, PREFER_NOT_TO_SAY};

/// Columns every row has, before the answers.
pub const META_COLUMNS: [(&str, &str); 5] = [
    ("submission_id", "Random UUID v4 made by the browser for this response"),
    ("questionnaire_id", "Questionnaire answered"),
    ("questionnaire_version", "Version of that questionnaire"),
    ("period", "When, coarsely: YYYY-MM or ISO week YYYY-Www (no finer time is kept)"),
    ("app_version", "Version of the survey app that sent the response"),
];

/// The optional column of the questionnaire language, present only when some
/// row recorded one (`record_language` in the app's config).
pub const LANGUAGE_COLUMN: (&str, &str) =
    ("language", "Language the response was given in (recorded only when the survey's config opts in)");

/// The label of the "Prefer not to say" choice (the questionnaire format has
/// no text for it): the app's own words from survey-core's catalogue, in
/// `lang` when the catalogue has it, else English.
pub fn prefer_not_to_say_label(lang: &str) -> std::borrow::Cow<'static, str> {
    Lang::from_tag(lang).filter(|l| !l.is_pseudo()).unwrap_or(Lang::En).t(Msg::PreferNotToSay)
}

/// Where a column's values come from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    Meta(usize),
    /// [`LANGUAGE_COLUMN`].
    Language,
    Question(String),
    Statement(String, String),
}

/// One export column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: String,
    pub source: Source,
}

/// Everything stored, flattened.
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Submission>,
    /// Stored rows that could not be read back, which the export leaves out
    /// and reports (one bad row must not make every export fail).
    pub unreadable: Vec<Unreadable>,
}

/// A stored row the export could not read.
#[derive(Debug, Clone, PartialEq)]
pub struct Unreadable {
    pub seq: i64,
    pub submission_id: String,
    pub error: String,
}

impl Table {
    /// Parses stored rows and works out the columns. Rows that do not parse
    /// are listed in `unreadable` (and logged), never silently dropped.
    pub fn build(known: &Questionnaires, stored: Vec<StoredRow>) -> Table {
        let mut rows = Vec::with_capacity(stored.len());
        let mut unreadable = Vec::new();
        for r in stored {
            match Submission::from_json(&r.body) {
                Ok(s) => rows.push(s),
                Err(e) => {
                    tracing::error!("export: stored row {} ({}) cannot be read: {e}", r.seq, r.submission_id);
                    unreadable.push(Unreadable { seq: r.seq, submission_id: r.submission_id, error: e.to_string() });
                }
            }
        }
        let mut columns: Vec<Column> =
            META_COLUMNS.iter().enumerate().map(|(i, (name, _))| Column { name: (*name).to_owned(), source: Source::Meta(i) }).collect();
        let mut seen: HashSet<String> = columns.iter().map(|c| c.name.clone()).collect();
        let mut add = |columns: &mut Vec<Column>, source: Source| {
            let name = match &source {
                Source::Meta(i) => META_COLUMNS[*i].0.to_owned(),
                Source::Language => LANGUAGE_COLUMN.0.to_owned(),
                Source::Question(q) => q.clone(),
                Source::Statement(q, s) => format!("{q}.{s}"),
            };
            if seen.insert(name.clone()) {
                columns.push(Column { name, source });
            }
        };
        if rows.iter().any(|r| r.language.is_some()) {
            add(&mut columns, Source::Language);
        }
        for q in known.iter() {
            for (_, question) in q.questions() {
                match &question.kind {
                    Kind::Info => {}
                    Kind::Likert { statements, .. } => {
                        for s in statements {
                            add(&mut columns, Source::Statement(question.id.clone(), s.id.clone()));
                        }
                    }
                    Kind::Single { .. }
                    | Kind::Multiple { .. }
                    | Kind::Rating { .. }
                    | Kind::Number { .. }
                    | Kind::ShortText { .. }
                    | Kind::LongText { .. }
                    | Kind::Consent => add(&mut columns, Source::Question(question.id.clone())),
                }
            }
        }
        // Answers to questionnaires no longer loaded still get columns.
        for row in &rows {
            for (id, answer) in &row.answers {
                match answer {
                    Answer::Grid(grid) => {
                        for s in grid.keys() {
                            add(&mut columns, Source::Statement(id.clone(), s.clone()));
                        }
                    }
                    _ => add(&mut columns, Source::Question(id.clone())),
                }
            }
        }
        Table { columns, rows, unreadable }
    }

    /// The ids of the first 100 unreadable rows, comma-separated, for a
    /// response header (headers must stay small; the count says if more).
    pub fn unreadable_ids(&self) -> String {
        self.unreadable.iter().take(100).map(|u| u.submission_id.as_str()).collect::<Vec<_>>().join(",")
    }

    /// The CSV export: header row, then one row per submission.
    pub fn to_csv(&self) -> Result<Vec<u8>, csv::Error> {
        self.to_csv_labelled(None)
    }

    /// The CSV export, with choice answers as their labels when `labels` is
    /// given (see [`Labels`]); stored codes otherwise.
    pub fn to_csv_labelled(&self, labels: Option<&Labels>) -> Result<Vec<u8>, csv::Error> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(self.columns.iter().map(|c| c.name.as_str()))?;
        for row in &self.rows {
            w.write_record(self.columns.iter().map(|c| csv_cell(labelled(cell(row, &c.source), row, c, labels))))?;
        }
        w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
    }

    /// The JSON export: `{"columns": [...], "rows": [{column: value}]}` with
    /// values keeping their JSON type (numbers, true/false, lists for
    /// multiple choice) and `null` where nothing was answered.
    pub fn to_json(&self) -> Value {
        self.to_json_labelled(None)
    }

    /// The JSON export, with choice answers as their labels when `labels` is given.
    pub fn to_json_labelled(&self, labels: Option<&Labels>) -> Value {
        let rows = self
            .rows
            .iter()
            .map(|row| {
                let obj: Map<String, Value> =
                    self.columns.iter().map(|c| (c.name.clone(), json_cell(labelled(cell(row, &c.source), row, c, labels)))).collect();
                Value::Object(obj)
            })
            .collect();
        let unreadable: Vec<Value> = self
            .unreadable
            .iter()
            .map(|u| serde_json::json!({ "seq": u.seq, "submission_id": u.submission_id, "error": u.error }))
            .collect();
        serde_json::json!({
            "columns": self.columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
            "rows": Value::Array(rows),
            "unreadable": unreadable,
        })
    }
}

/// One cell before formatting.
enum Cell<'a> {
    Empty,
    Text(&'a str),
    Answer(&'a Answer),
    /// A choice shown by its label(s) (a labelled export).
    Labels(Vec<&'a str>),
}

/// The option labels of every choice column, per questionnaire version, in
/// one language: `?lang=` on the CSV and JSON exports turns stored codes
/// (`"4"`, `"monday-early"`) into the words the student saw ("Cytuno").
pub struct Labels {
    /// (questionnaire id, version, column) -> (value, label)s.
    by_column: HashMap<(String, String, String), Vec<(String, String)>>,
}

impl Labels {
    /// The labels of every known questionnaire in `lang` (each text falling
    /// back to English, then any language, as the codebook does).
    pub fn new(known: &Questionnaires, lang: &str) -> Labels {
        let by_column = codebook_in(known, lang)
            .into_iter()
            .filter(|e| matches!(e.kind.as_str(), "single" | "multiple" | "likert"))
            .map(|e| {
                let opts = e.options.into_iter().map(|o| (o.value, o.label)).collect();
                ((e.questionnaire_id, e.questionnaire_version, e.column), opts)
            })
            .collect();
        Labels { by_column }
    }

    fn of(&self, row: &Submission, column: &str, value: &str) -> Option<&str> {
        let key = (row.questionnaire_id.clone(), row.questionnaire_version.clone(), column.to_owned());
        self.by_column.get(&key)?.iter().find(|(v, _)| v == value).map(|(_, l)| l.as_str())
    }
}

/// `c` as its labels, when `labels` are asked for and the column is a
/// choice of the row's questionnaire version; otherwise `c` unchanged (a
/// value without a label, from a version no longer loaded, stays a code).
fn labelled<'a>(c: Cell<'a>, row: &'a Submission, column: &Column, labels: Option<&'a Labels>) -> Cell<'a> {
    let Some(labels) = labels else { return c };
    let one = |v: &'a str| labels.of(row, &column.name, v).unwrap_or(v);
    match c {
        Cell::Text(v) if matches!(column.source, Source::Statement(..)) => Cell::Labels(vec![one(v)]),
        Cell::Answer(Answer::Text(v)) => Cell::Labels(vec![one(v)]),
        Cell::Answer(Answer::Many(list)) => Cell::Labels(list.iter().map(|v| one(v)).collect()),
        c => c,
    }
}

fn cell<'a>(row: &'a Submission, source: &Source) -> Cell<'a> {
    match source {
        Source::Meta(0) => Cell::Text(&row.submission_id),
        Source::Meta(1) => Cell::Text(&row.questionnaire_id),
        Source::Meta(2) => Cell::Text(&row.questionnaire_version),
        Source::Meta(3) => Cell::Text(&row.period),
        Source::Meta(_) => Cell::Text(&row.app_version),
        Source::Language => row.language.as_deref().map_or(Cell::Empty, Cell::Text),
        Source::Question(q) => row.answers.get(q).map_or(Cell::Empty, Cell::Answer),
        Source::Statement(q, s) => match row.answers.get(q) {
            Some(Answer::Grid(grid)) => grid.get(s).map_or(Cell::Empty, |v| Cell::Text(v)),
            _ => Cell::Empty,
        },
    }
}

fn csv_cell(cell: Cell<'_>) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Labels(l) => guard_formula(&l.join(";")),
        Cell::Text(t) => guard_formula(t),
        Cell::Answer(a) => match a {
            Answer::Text(t) => guard_formula(t),
            // Formatted by us, so never a formula: keep "-3" a number.
            Answer::Number(_) => a.to_json().to_text(),
            Answer::Bool(b) => b.to_string(),
            Answer::Many(v) => guard_formula(&v.join(";")),
            Answer::Grid(_) => guard_formula(&a.to_json().to_text()),
        },
    }
}

fn json_cell(cell: Cell<'_>) -> Value {
    match cell {
        Cell::Empty => Value::Null,
        Cell::Labels(l) if l.len() == 1 => Value::String(l[0].to_owned()),
        Cell::Labels(l) => Value::Array(l.into_iter().map(|s| Value::String(s.to_owned())).collect()),
        Cell::Text(t) => Value::String(t.to_owned()),
        Cell::Answer(a) => value(&a.to_json()),
    }
}

/// Spreadsheets run a cell as a formula when it starts with `=`, `+`, `-`
/// or `@`, also after leading spaces or line breaks, and in the full-width
/// forms `＝＋－＠` (which some spreadsheets fold to ASCII); a cell starting
/// with a tab, carriage return or line feed is treated the same. A leading
/// `'` makes any of them plain text. This is the OWASP guidance on CSV
/// injection (https://owasp.org/www-community/attacks/CSV_Injection).
pub fn guard_formula(s: &str) -> String {
    const FORMULA: [char; 8] = ['=', '+', '-', '@', '＝', '＋', '－', '＠'];
    let starts_blank = s.starts_with(['\t', '\r', '\n']);
    if starts_blank || s.trim_start().starts_with(FORMULA) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

/// One choice in the codebook.
#[derive(Debug, Clone, Serialize)]
pub struct CodeOption {
    pub value: String,
    pub label: String,
}

/// One codebook row: what a column of one questionnaire version means.
#[derive(Debug, Clone, Serialize)]
pub struct CodebookEntry {
    pub questionnaire_id: String,
    pub questionnaire_version: String,
    pub column: String,
    pub section: String,
    pub question: String,
    pub statement: Option<String>,
    #[serde(rename = "type")]
    pub kind: String,
    pub required: bool,
    /// Shown only when an earlier answer allows (`show_if`); blanks may be structural.
    pub conditional: bool,
    pub reverse_scored: bool,
    pub options: Vec<CodeOption>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub step: Option<f64>,
}

/// The codebook: the meta columns, then every answer column of every known
/// questionnaire version.
pub fn codebook(known: &Questionnaires) -> Vec<CodebookEntry> {
    codebook_in(known, "en")
}

/// The codebook with questionnaire texts in `lang` (each falling back to
/// English, then to any language the file gives).
pub fn codebook_in(known: &Questionnaires, lang: &str) -> Vec<CodebookEntry> {
    let mut out: Vec<CodebookEntry> = META_COLUMNS
        .iter()
        .chain([&LANGUAGE_COLUMN])
        .map(|(name, text)| CodebookEntry {
            questionnaire_id: String::new(),
            questionnaire_version: String::new(),
            column: (*name).to_owned(),
            section: String::new(),
            question: (*text).to_owned(),
            statement: None,
            kind: "meta".into(),
            required: true,
            conditional: false,
            reverse_scored: false,
            options: Vec::new(),
            min: None,
            max: None,
            step: None,
        })
        .collect();
    for q in known.iter() {
        codebook_for(q, lang, &mut out);
    }
    out
}

/// Every language the questionnaires declare (`languages`) or write a text
/// in ("en" for plain strings), sorted.
pub fn languages(known: &Questionnaires) -> Vec<String> {
    let mut langs = std::collections::BTreeSet::from(["en".to_owned()]);
    langs.extend(known.iter().flat_map(|q| q.languages.iter().cloned()));
    let mut add = |t: &survey_core::Text| {
        if let survey_core::Text::Localised(m) = t {
            langs.extend(m.keys().cloned());
        }
    };
    for q in known.iter() {
        add(&q.title);
        for (section, question) in q.questions() {
            add(&section.title);
            add(&question.text);
        }
    }
    langs.into_iter().collect()
}

fn codebook_for(q: &Questionnaire, lang: &str, out: &mut Vec<CodebookEntry>) {
    let opts = |list: &[survey_core::Opt], pnts: bool| {
        let mut v: Vec<CodeOption> =
            list.iter().map(|o| CodeOption { value: o.value.clone(), label: o.label.get(lang).to_owned() }).collect();
        if pnts {
            v.push(CodeOption { value: PREFER_NOT_TO_SAY.into(), label: prefer_not_to_say_label(lang).into() });
        }
        v
    };
    for (section, question) in q.questions() {
        let base = CodebookEntry {
            questionnaire_id: q.id.clone(),
            questionnaire_version: q.version.clone(),
            column: question.id.clone(),
            section: section.title.get(lang).to_owned(),
            question: question.text.get(lang).to_owned(),
            statement: None,
            kind: question.kind.name().to_owned(),
            required: question.required,
            conditional: question.show_if.is_some() || section.show_if.is_some(),
            reverse_scored: false,
            options: Vec::new(),
            min: None,
            max: None,
            step: None,
        };
        match &question.kind {
            Kind::Info => {}
            Kind::Likert { scale, statements, prefer_not_to_say } => {
                for s in statements {
                    out.push(CodebookEntry {
                        column: format!("{}.{}", question.id, s.id),
                        statement: Some(s.text.get(lang).to_owned()),
                        reverse_scored: s.reverse,
                        options: opts(scale, *prefer_not_to_say),
                        ..base.clone()
                    });
                }
            }
            Kind::Single { options, prefer_not_to_say } => out.push(CodebookEntry { options: opts(options, *prefer_not_to_say), ..base }),
            Kind::Multiple { options, min, max } => {
                out.push(CodebookEntry { options: opts(options, false), min: min.map(f64::from), max: max.map(f64::from), ..base })
            }
            Kind::Rating { min, max, min_label, max_label } => {
                let mut options = Vec::new();
                if let Some(l) = min_label {
                    options.push(CodeOption { value: min.to_string(), label: l.get(lang).to_owned() });
                }
                if let Some(l) = max_label {
                    options.push(CodeOption { value: max.to_string(), label: l.get(lang).to_owned() });
                }
                out.push(CodebookEntry { options, min: Some(*min as f64), max: Some(*max as f64), step: Some(1.0), ..base })
            }
            Kind::Number { min, max, step } => out.push(CodebookEntry { min: *min, max: *max, step: *step, ..base }),
            Kind::ShortText { min_length, max_length } | Kind::LongText { min_length, max_length } => {
                out.push(CodebookEntry { min: min_length.map(f64::from), max: Some(f64::from(*max_length)), ..base })
            }
            Kind::Consent => out.push(base),
        }
    }
}

/// The codebook as CSV; options as `value=label` joined by `;`.
pub fn codebook_csv(entries: &[CodebookEntry]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "questionnaire_id",
        "questionnaire_version",
        "column",
        "section",
        "question",
        "statement",
        "type",
        "required",
        "conditional",
        "reverse_scored",
        "options",
        "min",
        "max",
        "step",
    ])?;
    let num = |v: Option<f64>| v.map(|n| Answer::Number(n).to_json().to_text()).unwrap_or_default();
    for e in entries {
        let options = e.options.iter().map(|o| format!("{}={}", o.value, o.label)).collect::<Vec<_>>().join(";");
        w.write_record([
            guard_formula(&e.questionnaire_id),
            guard_formula(&e.questionnaire_version),
            guard_formula(&e.column),
            guard_formula(&e.section),
            guard_formula(&e.question),
            guard_formula(e.statement.as_deref().unwrap_or("")),
            e.kind.clone(),
            e.required.to_string(),
            e.conditional.to_string(),
            e.reverse_scored.to_string(),
            guard_formula(&options),
            num(e.min),
            num(e.max),
            num(e.step),
        ])?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// survey-core's JSON value as serde_json's, for the receiver's own bodies.
/// Whole numbers stay integers (`6`, not `6.0`), as survey-core writes them.
pub fn value(j: &survey_core::json::Json) -> Value {
    use survey_core::json::Json;
    match j {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Num(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => Value::from(*n as i64),
        Json::Num(n) => Value::from(*n),
        Json::Str(s) => Value::String(s.clone()),
        Json::Arr(items) => Value::Array(items.iter().map(value).collect()),
        Json::Obj(pairs) => Value::Object(pairs.iter().map(|(k, v)| (k.clone(), value(v))).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_guard() {
        assert_eq!(guard_formula("=1+1"), "'=1+1");
        assert_eq!(guard_formula("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(guard_formula("-2"), "'-2");
        assert_eq!(guard_formula("fine = ok"), "fine = ok");
        for attack in [
            "=1+1",
            "+1",
            "-1",
            "@A1",
            "\t=1",
            "\r=1",
            "\n=1",
            " =1",
            "  @A1",
            "\n =HYPERLINK(\"x\")",
            "＝1+1",
            "＋1",
            "－1",
            "＠A1",
            " ＝1",
            "\tplain",
        ] {
            assert_eq!(guard_formula(attack), format!("'{attack}"), "{attack:?}");
        }
        for plain in ["a=1", "1-2", "e@mail", "", " ok", "ok ="] {
            assert_eq!(guard_formula(plain), plain, "{plain:?}");
        }
        assert_eq!(csv_cell(Cell::Answer(&Answer::Number(-2.0))), "-2");
        assert_eq!(csv_cell(Cell::Answer(&Answer::Many(vec!["a".into(), "b".into()]))), "a;b");
    }
}
