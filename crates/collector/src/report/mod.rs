//! The programme lead's report: aggregates one questionnaire's stored
//! responses into counts, percentages, distributions and free-text lists,
//! with small-cell suppression applied while the model is built, so neither
//! the HTML page ([`html`]), its SVG charts ([`svg`]) nor `/api/report.json`
//! can show a figure that was hidden. See `docs/report.md`.

pub mod html;
pub mod research;
pub mod routes;
pub mod suppress;
pub mod svg;

use crate::registry::{version_order, Questionnaires};
use serde::Serialize;
use std::collections::BTreeSet;
use survey_core::period::is_valid_period;
use survey_core::{Answer, Kind, Opt, Questionnaire, Submission, PREFER_NOT_TO_SAY};
use thiserror::Error;

/// The default minimum cell size, as the UK National Student Survey.
pub const DEFAULT_K: usize = 10;
/// The smallest minimum cell size the receiver accepts.
pub const MIN_K: usize = 5;
/// Label of "Prefer not to say" (the questionnaire format has no text for it).
pub const PREFER_NOT_TO_SAY_LABEL: &str = "Prefer not to say";
/// The breakdown cell of responses that did not answer the breakdown question.
pub const NO_ANSWER: &str = "(no answer)";
/// Longest text filter accepted.
const MAX_FILTER: usize = 200;

/// What the report is asked to cover (the page's GET form fields).
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(default)]
pub struct Selection {
    /// Questionnaire id; the one with the most responses when empty.
    pub questionnaire: Option<String>,
    /// First and last period included (`YYYY-MM` or `YYYY-Www`), inclusive.
    pub from: Option<String>,
    pub to: Option<String>,
    /// A single-choice question to break every figure down by.
    pub by: Option<String>,
    /// Only free-text answers containing this (case-insensitive).
    pub text: Option<String>,
    /// The language of the questionnaire texts and labels (`?lang=cy`); one
    /// the questionnaires have, English when not given.
    pub lang: Option<String>,
}

impl Selection {
    /// Empty strings (an untouched form field) mean "not given".
    fn tidy(mut self) -> Self {
        for f in [&mut self.questionnaire, &mut self.from, &mut self.to, &mut self.by, &mut self.text, &mut self.lang] {
            if f.as_deref().is_some_and(|v| v.trim().is_empty()) {
                *f = None;
            }
        }
        self
    }
}

/// Why a selection cannot be reported on.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ReportError {
    #[error("this receiver has no questionnaire \"{0}\"")]
    UnknownQuestionnaire(String),
    #[error("this receiver has no questionnaires loaded")]
    NoQuestionnaires,
    #[error("\"{0}\" is not a period; use YYYY-MM or YYYY-Www")]
    BadPeriod(String),
    #[error("the breakdown must be a single-choice question of this questionnaire; \"{0}\" is not")]
    BadBreakdown(String),
    #[error("the text filter is longer than {MAX_FILTER} characters")]
    FilterTooLong,
    #[error("the questionnaires have no texts in \"{lang}\"; languages available: {known}")]
    UnknownLanguage { lang: String, known: String },
}

/// A stored value and how it is shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Label {
    pub value: String,
    pub label: String,
}

/// The whole report, after suppression.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub questionnaire_id: String,
    pub title: String,
    /// The minimum cell size used.
    pub k: usize,
    /// Every questionnaire id known (for the form).
    pub questionnaires: Vec<String>,
    /// Versions among the selected responses.
    pub versions: Vec<String>,
    /// Periods among the selected responses.
    pub periods: Vec<String>,
    /// Every period with responses to this questionnaire (for the form).
    pub all_periods: Vec<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// Responses in the selection. Always shown: how many answered says
    /// nothing about what anyone answered.
    pub responses: usize,
    /// Single-choice questions a breakdown may use.
    pub breakdown_choices: Vec<Label>,
    pub breakdown: Option<Breakdown>,
    pub text_filter: Option<String>,
    pub questions: Vec<QuestionReport>,
    /// Plain sentences: what was hidden and why.
    pub hidden: Vec<String>,
}

/// The breakdown question and its cells.
#[derive(Debug, Clone, Serialize)]
pub struct Breakdown {
    pub question: String,
    pub text: String,
    pub groups: Vec<Group>,
}

/// One breakdown cell: responses giving one answer to the breakdown question.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub value: String,
    pub label: String,
    /// Responses in this cell; `None` when hidden.
    pub n: Option<usize>,
}

/// One question's figures.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionReport {
    pub id: String,
    pub text: String,
    pub section: String,
    #[serde(flatten)]
    pub body: Body,
}

/// Figures by kind of question. `groups` follow `Breakdown::groups`.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Body {
    /// Single choice; `options` ends with "Prefer not to say" when offered.
    Single { options: Vec<Label>, all: Dist, groups: Vec<Dist> },
    /// Multiple choice: counts are of respondents ticking each option.
    Multiple { options: Vec<Label>, all: Dist, groups: Vec<Dist> },
    /// A likert grid: `scale` (ending with "Prefer not to say" when offered).
    Likert { scale: Vec<Label>, prefer_not_to_say: bool, statements: Vec<StatementReport> },
    /// Number or 0-10 rating: a distribution over `bins`.
    Numeric { bins: Vec<String>, all: NumDist, groups: Vec<NumDist> },
    /// Free text, as received (already redacted on the device).
    Text { all: TextList, groups: Vec<TextList> },
}

/// One distribution. Hidden figures are `None`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Dist {
    /// Responses answering (the percentages' base); `None` when hidden.
    pub n: Option<usize>,
    pub counts: Vec<Option<usize>>,
    /// Percent of `n`, one decimal.
    pub percents: Vec<Option<f64>>,
}

impl Dist {
    /// True when any figure the data has was hidden.
    pub fn any_hidden(&self) -> bool {
        self.n.is_none() || self.counts.iter().any(Option::is_none)
    }
}

/// A likert statement's distribution over the scale.
#[derive(Debug, Clone, Serialize)]
pub struct StatementReport {
    pub id: String,
    pub text: String,
    pub all: Dist,
    pub groups: Vec<Dist>,
}

/// A numeric distribution with its median and quartiles (type 7, as R's default).
#[derive(Debug, Clone, Serialize)]
pub struct NumDist {
    #[serde(flatten)]
    pub dist: Dist,
    pub median: Option<f64>,
    pub q1: Option<f64>,
    pub q3: Option<f64>,
}

/// Free-text answers of one cell.
#[derive(Debug, Clone, Serialize)]
pub struct TextList {
    /// False when the cell is smaller than k: nothing is listed.
    pub shown: bool,
    /// Answers in the cell (when shown).
    pub count: Option<usize>,
    /// Those matching the text filter, listed.
    pub answers: Vec<TextAnswer>,
}

/// One free-text answer.
#[derive(Debug, Clone, Serialize)]
pub struct TextAnswer {
    /// Only for the qualitative-coding CSV; not serialised into the report.
    #[serde(skip)]
    pub submission_id: String,
    pub text: String,
}

/// One question merged over every version of a questionnaire.
struct Merged<'a> {
    question: &'a survey_core::Question,
    section: String,
    /// Options (or scale) over every version, newest labels first.
    options: Vec<Label>,
    /// Likert statements (id, text) over every version: the newest version's,
    /// then those only older versions had (their rows still count).
    statements: Vec<Label>,
}

/// Builds the report for `selection` from every parsed stored submission.
pub fn build(known: &Questionnaires, rows: &[Submission], selection: Selection, k: usize) -> Result<Report, ReportError> {
    let sel = selection.tidy();
    let k = k.max(MIN_K);
    let ids: Vec<String> = known.iter().map(|q| q.id.clone()).collect::<BTreeSet<_>>().into_iter().collect();
    let qid = match &sel.questionnaire {
        Some(id) if ids.contains(id) => id.clone(),
        Some(id) => return Err(ReportError::UnknownQuestionnaire(id.clone())),
        None => {
            // The one with the most responses; the first known when none has any.
            let count = |id: &String| rows.iter().filter(|r| &r.questionnaire_id == id).count();
            let best = ids.iter().max_by(|a, b| count(a).cmp(&count(b)).then_with(|| b.cmp(a)));
            best.cloned().ok_or(ReportError::NoQuestionnaires)?
        }
    };
    for p in [&sel.from, &sel.to].into_iter().flatten() {
        if !is_valid_period(p) {
            return Err(ReportError::BadPeriod(p.clone()));
        }
    }
    if sel.text.as_ref().is_some_and(|t| t.chars().count() > MAX_FILTER) {
        return Err(ReportError::FilterTooLong);
    }
    let lang = sel.lang.clone().unwrap_or_else(|| "en".into());
    let known_langs = crate::export::languages(known);
    if !known_langs.contains(&lang) {
        return Err(ReportError::UnknownLanguage { lang, known: known_langs.join(", ") });
    }
    let lang = lang.as_str();
    // Oldest first; the newest version's wording and order lead.
    let versions_known: Vec<&Questionnaire> = known.iter().filter(|q| q.id == qid).collect();
    let newest = versions_known.last().copied().ok_or_else(|| ReportError::UnknownQuestionnaire(qid.clone()))?;
    let merged = merge(&versions_known, lang);

    let of_this: Vec<&Submission> = rows.iter().filter(|r| r.questionnaire_id == qid).collect();
    let all_periods: Vec<String> = of_this.iter().map(|r| r.period.clone()).collect::<BTreeSet<_>>().into_iter().collect();
    let selected: Vec<&Submission> = of_this
        .into_iter()
        .filter(|r| sel.from.as_ref().is_none_or(|f| r.period.as_str() >= f.as_str()))
        .filter(|r| sel.to.as_ref().is_none_or(|t| r.period.as_str() <= t.as_str()))
        .collect();
    let mut versions: Vec<String> = selected.iter().map(|r| r.questionnaire_version.clone()).collect::<BTreeSet<_>>().into_iter().collect();
    versions.sort_by(|a, b| version_order(a, b));
    let periods: Vec<String> = selected.iter().map(|r| r.period.clone()).collect::<BTreeSet<_>>().into_iter().collect();
    let n = selected.len();

    let breakdown_choices: Vec<Label> = merged
        .iter()
        .filter(|m| matches!(m.question.kind, Kind::Single { .. }))
        .map(|m| Label { value: m.question.id.clone(), label: m.question.text.get(lang).to_owned() })
        .collect();

    let mut hidden = Vec::new();
    if small(n, k) {
        hidden.push(format!(
            "This selection has fewer than {k} responses, so every count, percentage, chart and free-text answer is hidden: \
             with so few, a figure could point to one student."
        ));
    }

    // Breakdown cells: each option of the question, then "(no answer)" if any.
    let (breakdown, membership) = match &sel.by {
        None => (None, Vec::new()),
        Some(by) => {
            let m = merged
                .iter()
                .find(|m| &m.question.id == by && matches!(m.question.kind, Kind::Single { .. }))
                .ok_or_else(|| ReportError::BadBreakdown(by.clone()))?;
            let mut labels = m.options.clone();
            let member: Vec<usize> = selected
                .iter()
                .map(|r| match r.answers.get(by) {
                    Some(Answer::Text(v)) => labels.iter().position(|o| &o.value == v).unwrap_or(usize::MAX),
                    _ => usize::MAX,
                })
                .collect();
            if member.contains(&usize::MAX) {
                labels.push(Label { value: String::new(), label: NO_ANSWER.into() });
            }
            let last = labels.len() - 1;
            let member: Vec<usize> = member.into_iter().map(|g| g.min(last)).collect();
            let sizes: Vec<usize> = (0..labels.len()).map(|g| member.iter().filter(|&&x| x == g).count()).collect();
            let size_hidden = suppress::suppress(std::slice::from_ref(&sizes), &[small(n, k)], k).remove(0);
            let groups: Vec<Group> = labels
                .into_iter()
                .zip(&sizes)
                .zip(&size_hidden)
                .map(|((l, &s), &h)| Group { value: l.value, label: l.label, n: (!h).then_some(s) })
                .collect();
            let hidden_groups: Vec<&str> = groups.iter().filter(|g| g.n.is_none()).map(|g| g.label.as_str()).collect();
            if !hidden_groups.is_empty() && !small(n, k) {
                hidden.push(format!(
                    "Breakdown by \"{}\": the size of {} and every figure and free-text answer under {} are hidden, \
                     because a group has fewer than {k} responses or its size could otherwise be worked out by \
                     subtracting the others from the total.",
                    m.question.text.get(lang),
                    quote_list(&hidden_groups),
                    if hidden_groups.len() == 1 { "it" } else { "them" }
                ));
            }
            (Some(Breakdown { question: by.clone(), text: m.question.text.get(lang).to_owned(), groups }), member)
        }
    };
    let cells = Cells { rows: &selected, membership: &membership, groups: breakdown.as_ref().map_or(0, |b| b.groups.len()), k };
    let group_hidden: Vec<bool> = breakdown.as_ref().map_or_else(Vec::new, |b| b.groups.iter().map(|g| g.n.is_none()).collect());

    let filter = sel.text.as_ref().map(|t| t.to_lowercase());
    let mut questions = Vec::new();
    for m in &merged {
        let q = m.question;
        let body = match &q.kind {
            Kind::Info | Kind::Consent => continue,
            Kind::Single { .. } => {
                let (all, groups) = cells.distributions(&group_hidden, m.options.len(), |r| match r.answers.get(&q.id) {
                    Some(Answer::Text(v)) => m.options.iter().position(|o| &o.value == v).map(|i| vec![i]),
                    _ => None,
                });
                Body::Single { options: m.options.clone(), all, groups }
            }
            Kind::Multiple { .. } => {
                let (all, groups) = cells.ticks(&group_hidden, &m.options, &q.id);
                Body::Multiple { options: m.options.clone(), all, groups }
            }
            Kind::Likert { prefer_not_to_say, .. } => {
                let statements = m
                    .statements
                    .iter()
                    .map(|s| {
                        let (all, groups) = cells.distributions(&group_hidden, m.options.len(), |r| match r.answers.get(&q.id) {
                            Some(Answer::Grid(g)) => {
                                g.get(&s.value).and_then(|v| m.options.iter().position(|o| &o.value == v)).map(|i| vec![i])
                            }
                            _ => None,
                        });
                        StatementReport { id: s.value.clone(), text: s.label.clone(), all, groups }
                    })
                    .collect();
                Body::Likert { scale: m.options.clone(), prefer_not_to_say: *prefer_not_to_say, statements }
            }
            Kind::Rating { .. } | Kind::Number { .. } => {
                let values: Vec<f64> = selected.iter().filter_map(|r| r.answers.get(&q.id).and_then(Answer::as_number)).collect();
                let bins = Bins::for_kind(&q.kind, &values);
                let (all, groups) = cells.numeric(&group_hidden, &bins, &q.id);
                Body::Numeric { bins: bins.labels(), all, groups }
            }
            Kind::ShortText { .. } | Kind::LongText { .. } => {
                let list = |g: Option<usize>, shown: bool| {
                    let texts: Vec<(&str, &str)> = selected
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| g.is_none_or(|g| membership[*i] == g))
                        .filter_map(|(_, r)| match r.answers.get(&q.id) {
                            Some(Answer::Text(t)) if !t.trim().is_empty() => Some((r.submission_id.as_str(), t.as_str())),
                            _ => None,
                        })
                        .collect();
                    if !shown {
                        return TextList { shown: false, count: None, answers: Vec::new() };
                    }
                    let answers = texts
                        .iter()
                        .filter(|(_, t)| filter.as_ref().is_none_or(|f| t.to_lowercase().contains(f.as_str())))
                        .map(|(id, t)| TextAnswer { submission_id: (*id).to_owned(), text: (*t).to_owned() })
                        .collect();
                    TextList { shown: true, count: Some(texts.len()), answers }
                };
                let mut all = list(None, !small(n, k));
                let groups: Vec<TextList> = group_hidden.iter().enumerate().map(|(g, h)| list(Some(g), !small(n, k) && !h)).collect();
                if breakdown.is_some() {
                    // Each answer is listed once, under its group (or not at all
                    // when the group is hidden); the whole keeps only its count.
                    all.answers.clear();
                }
                Body::Text { all, groups }
            }
        };
        let report = QuestionReport { id: q.id.clone(), text: q.text.get(lang).to_owned(), section: m.section.clone(), body };
        if !small(n, k) {
            if let Some(sentence) = hidden_sentence(&report, k) {
                hidden.push(sentence);
            }
        }
        questions.push(report);
    }

    Ok(Report {
        questionnaire_id: qid,
        title: newest.title.get(lang).to_owned(),
        k,
        questionnaires: ids,
        versions,
        periods,
        all_periods,
        from: sel.from,
        to: sel.to,
        responses: n,
        breakdown_choices,
        breakdown,
        text_filter: sel.text,
        questions,
        hidden,
    })
}

fn quote_list(items: &[&str]) -> String {
    let q: Vec<String> = items.iter().map(|s| format!("\"{s}\"")).collect();
    match q.len() {
        0 | 1 => q.concat(),
        _ => format!("{} and {}", q[..q.len() - 1].join(", "), q[q.len() - 1]),
    }
}

/// A sentence for a question with hidden figures, or `None`.
fn hidden_sentence(r: &QuestionReport, k: usize) -> Option<String> {
    let dists: Vec<&Dist> = match &r.body {
        Body::Single { all, groups, .. } | Body::Multiple { all, groups, .. } => std::iter::once(all).chain(groups).collect(),
        Body::Likert { statements, .. } => statements.iter().flat_map(|s| std::iter::once(&s.all).chain(&s.groups)).collect(),
        Body::Numeric { all, groups, .. } => std::iter::once(&all.dist).chain(groups.iter().map(|g| &g.dist)).collect(),
        Body::Text { .. } => return None, // covered by the breakdown sentence
    };
    let cells: usize = dists.iter().map(|d| d.counts.iter().filter(|c| c.is_none()).count()).sum();
    (cells > 0).then(|| {
        format!(
            "\"{}\": {cells} figure{} hidden, each resting on fewer than {k} responses or hidden with one that does \
             so that it cannot be worked out by subtraction from a total.",
            r.text,
            if cells == 1 { "" } else { "s" }
        )
    })
}

/// Merges the questions of every version (oldest first in `versions`).
fn merge<'a>(versions: &[&'a Questionnaire], lang: &str) -> Vec<Merged<'a>> {
    let mut out: Vec<Merged<'a>> = Vec::new();
    for q in versions.iter().rev() {
        for (section, question) in q.questions() {
            let options: Vec<Label> = match &question.kind {
                Kind::Single { options, prefer_not_to_say } => labels(options, *prefer_not_to_say, lang),
                Kind::Likert { scale, prefer_not_to_say, .. } => labels(scale, *prefer_not_to_say, lang),
                Kind::Multiple { options, .. } => labels(options, false, lang),
                _ => Vec::new(),
            };
            let statements: Vec<Label> = match &question.kind {
                Kind::Likert { statements, .. } => {
                    statements.iter().map(|s| Label { value: s.id.clone(), label: s.text.get(lang).to_owned() }).collect()
                }
                _ => Vec::new(),
            };
            match out.iter_mut().find(|m| m.question.id == question.id) {
                Some(m) if m.question.kind.name() == question.kind.name() => {
                    for st in statements {
                        if !m.statements.iter().any(|x| x.value == st.value) {
                            m.statements.push(st);
                        }
                    }
                    // Options only an older version had still count, before
                    // "Prefer not to say" (kept last).
                    for o in options {
                        if !m.options.iter().any(|x| x.value == o.value) {
                            let at = m.options.iter().position(|x| x.value == PREFER_NOT_TO_SAY).unwrap_or(m.options.len());
                            m.options.insert(at, o);
                        }
                    }
                }
                Some(_) => {}
                None => out.push(Merged { question, section: section.title.get(lang).to_owned(), options, statements }),
            }
        }
    }
    out
}

fn labels(options: &[Opt], prefer_not_to_say: bool, lang: &str) -> Vec<Label> {
    let mut v: Vec<Label> = options.iter().map(|o| Label { value: o.value.clone(), label: o.label.get(lang).to_owned() }).collect();
    if prefer_not_to_say {
        v.push(Label { value: PREFER_NOT_TO_SAY.into(), label: crate::export::prefer_not_to_say_label(lang).into() });
    }
    v
}

/// The selected rows and their breakdown cells.
struct Cells<'a> {
    rows: &'a [&'a Submission],
    /// Breakdown cell of each row (empty without a breakdown).
    membership: &'a [usize],
    groups: usize,
    k: usize,
}

impl Cells<'_> {
    /// Count matrix: one row per breakdown cell, then the whole selection last.
    /// `pick` gives the columns a response counts in (`None`: not answered).
    fn matrix(&self, width: usize, pick: impl Fn(&Submission) -> Option<Vec<usize>>) -> (Vec<Vec<usize>>, Vec<usize>) {
        let mut counts = vec![vec![0usize; width]; self.groups + 1];
        let mut n = vec![0usize; self.groups + 1];
        for (i, r) in self.rows.iter().enumerate() {
            if let Some(cols) = pick(r) {
                let mut targets = vec![self.groups];
                if let Some(&g) = self.membership.get(i) {
                    targets.push(g);
                }
                for t in targets {
                    n[t] += 1;
                    for &c in &cols {
                        counts[t][c] += 1;
                    }
                }
            }
        }
        (counts, n)
    }

    /// Which rows are hidden whole: a breakdown cell that is hidden, or whose
    /// n for this question is hidden (below k, or recoverable from the total).
    fn rows_hidden(&self, group_hidden: &[bool], n: &[usize]) -> Vec<bool> {
        let total = n[self.groups];
        let n_hidden = suppress::suppress(&[n[..self.groups].to_vec()], &[small(total, self.k)], self.k).remove(0);
        let mut h: Vec<bool> = (0..self.groups).map(|g| group_hidden[g] || n_hidden[g] || small(n[g], self.k)).collect();
        h.push(small(total, self.k));
        h
    }

    /// Distributions of a single-answer question (each response in one column).
    fn distributions(&self, group_hidden: &[bool], width: usize, pick: impl Fn(&Submission) -> Option<Vec<usize>>) -> (Dist, Vec<Dist>) {
        let (counts, n) = self.matrix(width, pick);
        let rows_hidden = self.rows_hidden(group_hidden, &n);
        let hidden = suppress::suppress(&counts, &rows_hidden, self.k);
        let mut dists: Vec<Dist> = (0..=self.groups).map(|r| dist(&counts[r], &hidden[r], n[r], rows_hidden[r])).collect();
        let all = dists.pop().expect("the whole selection is always a row");
        (all, dists)
    }

    /// Multiple choice: each option is its own "ticked / not ticked" table,
    /// as n minus a shown count would give away the other half.
    fn ticks(&self, group_hidden: &[bool], options: &[Label], qid: &str) -> (Dist, Vec<Dist>) {
        let chosen = |r: &Submission| match r.answers.get(qid) {
            Some(Answer::Many(v)) => Some(options.iter().enumerate().filter(|(_, o)| v.contains(&o.value)).map(|(i, _)| i).collect()),
            _ => None,
        };
        let (counts, n) = self.matrix(options.len(), chosen);
        let rows_hidden = self.rows_hidden(group_hidden, &n);
        let mut hidden = vec![vec![false; options.len()]; self.groups + 1];
        for j in 0..options.len() {
            let pair: Vec<Vec<usize>> = (0..=self.groups).map(|r| vec![counts[r][j], n[r] - counts[r][j]]).collect();
            let h = suppress::suppress(&pair, &rows_hidden, self.k);
            for r in 0..=self.groups {
                hidden[r][j] = h[r][0] || h[r][1];
            }
        }
        let mut dists: Vec<Dist> = (0..=self.groups).map(|r| dist(&counts[r], &hidden[r], n[r], rows_hidden[r])).collect();
        let all = dists.pop().expect("the whole selection is always a row");
        (all, dists)
    }

    fn numeric(&self, group_hidden: &[bool], bins: &Bins, qid: &str) -> (NumDist, Vec<NumDist>) {
        let value = |r: &Submission| r.answers.get(qid).and_then(Answer::as_number);
        let (counts, n) = self.matrix(bins.len(), |r| value(r).and_then(|v| bins.index(v)).map(|i| vec![i]));
        let rows_hidden = self.rows_hidden(group_hidden, &n);
        let hidden = suppress::suppress(&counts, &rows_hidden, self.k);
        let mut out: Vec<NumDist> = (0..=self.groups)
            .map(|g| {
                let d = dist(&counts[g], &hidden[g], n[g], rows_hidden[g]);
                let mut vals: Vec<f64> = self
                    .rows
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| g == self.groups || self.membership.get(*i) == Some(&g))
                    .filter_map(|(_, r)| value(r))
                    .collect();
                vals.sort_by(f64::total_cmp);
                let q = |p: f64| (!rows_hidden[g] && !vals.is_empty()).then(|| quantile(&vals, p));
                NumDist { dist: d, median: q(0.5), q1: q(0.25), q3: q(0.75) }
            })
            .collect();
        let all = out.pop().expect("the whole selection is always a row");
        (all, out)
    }
}

/// A total from 1 to k-1: hidden, with all it holds. Nobody (0) is published.
fn small(n: usize, k: usize) -> bool {
    n > 0 && n < k
}

fn dist(counts: &[usize], hidden: &[bool], n: usize, row_hidden: bool) -> Dist {
    let shown = |j: usize| !row_hidden && !hidden[j];
    Dist {
        n: (!row_hidden).then_some(n),
        counts: (0..counts.len()).map(|j| shown(j).then_some(counts[j])).collect(),
        percents: (0..counts.len()).map(|j| (shown(j) && n > 0).then(|| round1(counts[j] as f64 * 100.0 / n as f64))).collect(),
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Quantile of sorted `v` by linear interpolation (Hyndman & Fan type 7, R's default).
pub fn quantile(v: &[f64], p: f64) -> f64 {
    let h = (v.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(v.len() - 1);
    round1_000(v[lo] + (h - lo as f64) * (v[hi] - v[lo]))
}

fn round1_000(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// The bins of a numeric distribution.
#[derive(Debug, Clone, PartialEq)]
enum Bins {
    /// One bin per value (ratings, small number ranges).
    Values(Vec<f64>),
    /// Equal ranges `[lo + i*w, lo + (i+1)*w)`, the last closed.
    Ranges { lo: f64, width: f64, count: usize },
}

impl Bins {
    fn for_kind(kind: &Kind, values: &[f64]) -> Bins {
        let steps = |lo: f64, hi: f64, step: f64| {
            let count = ((hi - lo) / step).round() as usize + 1;
            (count <= 21).then(|| Bins::Values((0..count).map(|i| lo + i as f64 * step).collect()))
        };
        let data_lo = values.iter().copied().fold(f64::INFINITY, f64::min);
        let data_hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let (lo, hi, step) = match kind {
            Kind::Rating { min, max, .. } => (*min as f64, *max as f64, Some(1.0)),
            Kind::Number { min, max, step } => (
                min.unwrap_or(data_lo.floor()),
                max.unwrap_or(data_hi.ceil()),
                step.or((values.iter().all(|v| v.fract() == 0.0)).then_some(1.0)),
            ),
            _ => (0.0, 0.0, None),
        };
        if !lo.is_finite() || !hi.is_finite() || hi < lo {
            return Bins::Values(Vec::new());
        }
        if let Some(b) = step.filter(|s| *s > 0.0).and_then(|s| steps(lo, hi, s)) {
            return b;
        }
        let width = if hi > lo { (hi - lo) / 10.0 } else { 1.0 };
        Bins::Ranges { lo, width, count: 10 }
    }

    fn len(&self) -> usize {
        match self {
            Bins::Values(v) => v.len(),
            Bins::Ranges { count, .. } => *count,
        }
    }

    fn index(&self, x: f64) -> Option<usize> {
        match self {
            // The nearest value: an older version may have had another step.
            Bins::Values(v) => (0..v.len()).min_by(|&a, &b| (v[a] - x).abs().total_cmp(&(v[b] - x).abs())),
            Bins::Ranges { lo, width, count } => Some((((x - lo) / width).floor().max(0.0) as usize).min(count - 1)),
        }
    }

    fn labels(&self) -> Vec<String> {
        match self {
            Bins::Values(v) => v.iter().map(|x| fmt_num(*x)).collect(),
            Bins::Ranges { lo, width, count } => {
                (0..*count).map(|i| format!("{}–{}", fmt_num(lo + i as f64 * width), fmt_num(lo + (i + 1) as f64 * width))).collect()
            }
        }
    }
}

/// A number as people write it: `6`, `2.5`, `0.333`.
pub fn fmt_num(x: f64) -> String {
    let r = round1_000(x);
    if r.fract() == 0.0 && r.abs() < 1e15 {
        format!("{}", r as i64)
    } else {
        let s = format!("{r:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}
