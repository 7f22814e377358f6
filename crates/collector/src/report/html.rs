//! The report page, the sign-in page and their messages, as HTML strings.
//!
//! Works without JavaScript (GET forms for the selection and the text
//! filter, POST forms for sign-in and sign-out) and with nothing inline: the
//! stylesheet is `/report/report.css`, so the page's CSP can forbid inline
//! styles and every script.

use super::svg::{self, esc, pct};
use super::{Body, Dist, Label, NumDist, Report, Selection, TextList};
use std::fmt::Write;

/// The stylesheet served at `/report/report.css` (screen and A4 print).
pub const CSS: &str = include_str!("report.css");

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{}</title>\
         <link rel=\"stylesheet\" href=\"/report/report.css\"></head><body>{body}</body></html>",
        esc(title)
    )
}

/// The sign-in form. `csrf` goes in a hidden field and a cookie.
pub fn sign_in(csrf: &str, message: Option<(&str, bool)>) -> String {
    let note = match message {
        Some((m, true)) => format!(
            "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\"><h2>There is a problem</h2><p><a href=\"#token\">{}</a></p></div>",
            esc(m)
        ),
        Some((m, false)) => format!("<p class=\"notice\" role=\"status\">{}</p>", esc(m)),
        None => String::new(),
    };
    let body = format!(
        "<main id=\"main\" class=\"narrow\"><h1>Sign in to the programme report</h1>{note}\
         <p>The report and the research exports are for the programme team. Sign in with the export token \
         the receiver was started with. You stay signed in for a short time only, on this browser.</p>\
         <form method=\"post\" action=\"/report/sign-in\" class=\"sign-in\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{}\">\
         <label for=\"token\">Export token</label>\
         <input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"current-password\" required spellcheck=\"false\">\
         <button type=\"submit\">Sign in</button></form></main>",
        esc(csrf)
    );
    page("Sign in – programme report", &body)
}

/// A short page with one message (errors, disabled report).
pub fn message(title: &str, text: &str, link: Option<(&str, &str)>) -> String {
    let link = link.map(|(href, words)| format!("<p><a href=\"{}\">{}</a></p>", esc(href), esc(words))).unwrap_or_default();
    page(title, &format!("<main id=\"main\" class=\"narrow\"><h1>{}</h1><p>{}</p>{link}</main>", esc(title), esc(text)))
}

/// The selection as a query string (for download links that follow it).
pub fn query(sel: &Selection) -> String {
    let mut parts = Vec::new();
    for (k, v) in [
        ("questionnaire", &sel.questionnaire),
        ("from", &sel.from),
        ("to", &sel.to),
        ("by", &sel.by),
        ("text", &sel.text),
        ("lang", &sel.lang),
    ] {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            parts.push(format!("{k}={}", url_encode(v)));
        }
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

fn url_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn cell(d: &Dist, j: usize) -> String {
    match (d.counts.get(j).copied().flatten(), d.percents.get(j).copied().flatten()) {
        (Some(c), Some(p)) => format!("{c} ({})", pct(p)),
        (Some(c), None) => c.to_string(),
        _ => "<span class=\"hid\">hidden</span>".into(),
    }
}

fn n_cell(n: Option<usize>) -> String {
    n.map_or_else(|| "<span class=\"hid\">hidden</span>".into(), |n| n.to_string())
}

/// A table with one row per option and one column per cell (all, then groups).
fn table(caption: &str, first: &str, rows: &[String], cols: &[(String, &Dist)]) -> String {
    let mut t = format!("<table><caption>{}</caption><thead><tr><th scope=\"col\">{}</th>", esc(caption), esc(first));
    for (h, _) in cols {
        let _ = write!(t, "<th scope=\"col\">{}</th>", esc(h));
    }
    t.push_str("</tr></thead><tbody>");
    for (j, r) in rows.iter().enumerate() {
        let _ = write!(t, "<tr><th scope=\"row\">{}</th>", esc(r));
        for (_, d) in cols {
            let _ = write!(t, "<td>{}</td>", cell(d, j));
        }
        t.push_str("</tr>");
    }
    t.push_str("<tr class=\"n\"><th scope=\"row\">n (answered)</th>");
    for (_, d) in cols {
        let _ = write!(t, "<td>{}</td>", n_cell(d.n));
    }
    t.push_str("</tr></tbody></table>");
    t
}

/// The report page. `csrf` is the session's token for the sign-out form.
pub fn report(r: &Report, sel: &Selection, csrf: &str, languages: &[String]) -> String {
    let mut b = String::with_capacity(64 * 1024);
    let _ = write!(
        b,
        "<a class=\"skip\" href=\"#main\">Skip to the report</a>\
         <header class=\"top\"><p>Cohort Survey · programme report</p>\
         <form method=\"post\" action=\"/report/sign-out\"><input type=\"hidden\" name=\"csrf\" value=\"{}\">\
         <button type=\"submit\" class=\"link\">Sign out</button></form></header><main id=\"main\">",
        esc(csrf)
    );
    let _ = write!(b, "<h1>{}</h1>", esc(&r.title));
    let periods = match (r.periods.first(), r.periods.last()) {
        (Some(a), Some(z)) if a == z => esc(a),
        (Some(a), Some(z)) => format!("{} to {} ({} periods)", esc(a), esc(z), r.periods.len()),
        _ => "none yet".into(),
    };
    let versions = if r.versions.is_empty() { "none yet".into() } else { esc(&r.versions.join(", ")) };
    let _ = write!(
        b,
        "<dl class=\"summary\"><div><dt>Responses received</dt><dd id=\"responses\">{}</dd></div>\
         <div><dt>Periods covered</dt><dd>{periods}</dd></div>\
         <div><dt>Questionnaire version{}</dt><dd>{versions}</dd></div>\
         <div><dt>Smallest figure shown</dt><dd>{} responses</dd></div></dl>",
        r.responses,
        if r.versions.len() == 1 { "" } else { "s" },
        r.k
    );
    filters(&mut b, r, sel, languages);
    hidden_note(&mut b, r);
    downloads(&mut b, sel, languages);

    let groups: Vec<String> = r.breakdown.as_ref().map_or_else(Vec::new, |bd| bd.groups.iter().map(|g| g.label.clone()).collect());
    if let Some(bd) = &r.breakdown {
        let _ = write!(
            b,
            "<section class=\"q\"><h2>Breakdown by “{}”</h2><table><caption>Responses in each group</caption>\
             <thead><tr><th scope=\"col\">Group</th><th scope=\"col\">Responses</th></tr></thead><tbody>",
            esc(&bd.text)
        );
        for g in &bd.groups {
            let _ = write!(b, "<tr><th scope=\"row\">{}</th><td>{}</td></tr>", esc(&g.label), n_cell(g.n));
        }
        b.push_str("</tbody></table></section>");
    }
    let mut section = "";
    for (qi, q) in r.questions.iter().enumerate() {
        if q.section != section {
            section = &q.section;
            let _ = write!(b, "<h2 class=\"section\">{}</h2>", esc(section));
        }
        let _ = write!(b, "<section class=\"q\" id=\"q-{}\"><h3>{}</h3>", esc(&q.id), esc(&q.text));
        let id = |suffix: &str| format!("c{qi}{suffix}");
        match &q.body {
            Body::Single { options, all, groups: gd } | Body::Multiple { options, all, groups: gd } => {
                if matches!(q.body, Body::Multiple { .. }) {
                    b.push_str("<p class=\"meta\">Students could tick more than one; percentages are of those who answered.</p>");
                }
                let rows: Vec<String> = options.iter().map(|o| o.label.clone()).collect();
                let mut cols = vec![("All responses".to_owned(), all)];
                cols.extend(groups.iter().cloned().zip(gd));
                figure(
                    &mut b,
                    &svg::bars(&id("a"), &format!("{}: all responses", q.text), options, all),
                    &table(&q.text, "Answer", &rows, &cols),
                    !groups.is_empty(),
                );
                for (gi, (g, d)) in groups.iter().zip(gd).enumerate() {
                    let _ = write!(b, "<h4>{}</h4>", esc(g));
                    b.push_str("<div class=\"fig\">");
                    b.push_str(&svg::bars(&id(&format!("g{gi}")), &format!("{}: {g}", q.text), options, d));
                    b.push_str("</div>");
                }
            }
            Body::Likert { scale, prefer_not_to_say, statements } => {
                if *prefer_not_to_say {
                    b.push_str("<p class=\"meta\">Disagreement is drawn left of the centre line, agreement right, the neutral answer across it; “Prefer not to say” is shown apart on the right. Percentages are of everyone who answered the statement.</p>");
                }
                let cells: Vec<(String, Vec<&Dist>)> =
                    std::iter::once(("All responses".to_owned(), statements.iter().map(|s| &s.all).collect()))
                        .chain(groups.iter().enumerate().map(|(gi, g)| (g.clone(), statements.iter().map(|s| &s.groups[gi]).collect())))
                        .collect();
                for (ci, (cell_name, dists)) in cells.iter().enumerate() {
                    if ci > 0 {
                        let _ = write!(b, "<h4>{}</h4>", esc(cell_name));
                    }
                    let rows: Vec<(String, &Dist)> = statements.iter().zip(dists).map(|(s, d)| (s.text.clone(), *d)).collect();
                    let chart =
                        svg::diverging(&id(&format!("l{ci}")), &format!("{}: {cell_name}", q.text), scale, *prefer_not_to_say, &rows);
                    figure(&mut b, &chart, &likert_table(&format!("{}: {cell_name}", q.text), scale, &rows), true);
                }
            }
            Body::Numeric { bins, all, groups: gd } => {
                let mut cols = vec![("All responses".to_owned(), &all.dist)];
                cols.extend(groups.iter().cloned().zip(gd.iter().map(|g| &g.dist)));
                let _ = write!(b, "<p class=\"meta\">{}</p>", stats("All responses", all));
                for (g, d) in groups.iter().zip(gd) {
                    let _ = write!(b, "<p class=\"meta\">{}</p>", stats(g, d));
                }
                figure(
                    &mut b,
                    &svg::histogram(&id("h"), &format!("{}: distribution", q.text), bins, &all.dist),
                    &table(&q.text, "Value", bins, &cols),
                    !groups.is_empty(),
                );
            }
            Body::Text { all, groups: gd } => {
                if r.breakdown.is_none() {
                    texts(&mut b, &q.id, "All responses", all, false, r.k, r.text_filter.is_some());
                }
                for (g, t) in groups.iter().zip(gd) {
                    texts(&mut b, &q.id, g, t, true, r.k, r.text_filter.is_some());
                }
            }
        }
        b.push_str("</section>");
    }
    if r.questions.is_empty() {
        b.push_str("<p>This questionnaire has no questions with answers to report.</p>");
    }
    b.push_str("</main>");
    page(&format!("Report: {}", r.title), &b)
}

/// A chart and its data table, side by side on wide screens and paper;
/// `stacked` (wide tables: likert) puts the table under the chart.
fn figure(b: &mut String, chart: &str, table: &str, stacked: bool) {
    // The table box scrolls sideways on a phone, so it must take keyboard focus
    // (WCAG 2.1.1) and then needs a name.
    let _ = write!(
        b,
        "<div class=\"fig{}\"><div class=\"chart-box\">{chart}</div>\
         <div class=\"table-box\" tabindex=\"0\" role=\"group\" aria-label=\"Data table\">{table}</div></div>",
        if stacked { " stacked" } else { "" }
    );
}

fn stats(name: &str, d: &NumDist) -> String {
    match (d.median, d.q1, d.q3) {
        (Some(m), Some(a), Some(z)) => format!(
            "{}: median {}, quartiles {} to {} (n = {})",
            esc(name),
            super::fmt_num(m),
            super::fmt_num(a),
            super::fmt_num(z),
            n_cell(d.dist.n)
        ),
        _ => format!("{}: median and quartiles <span class=\"hid\">hidden</span>", esc(name)),
    }
}

fn likert_table(caption: &str, scale: &[Label], rows: &[(String, &Dist)]) -> String {
    let mut t = format!("<table class=\"wide\"><caption>{}</caption><thead><tr><th scope=\"col\">Statement</th>", esc(caption));
    for s in scale {
        let _ = write!(t, "<th scope=\"col\">{}</th>", esc(&s.label));
    }
    t.push_str("<th scope=\"col\">n</th></tr></thead><tbody>");
    for (label, d) in rows {
        let _ = write!(t, "<tr><th scope=\"row\">{}</th>", esc(label));
        for j in 0..scale.len() {
            let _ = write!(t, "<td>{}</td>", cell(d, j));
        }
        let _ = write!(t, "<td>{}</td></tr>", n_cell(d.n));
    }
    t.push_str("</tbody></table>");
    t
}

fn texts(b: &mut String, qid: &str, name: &str, t: &TextList, heading: bool, k: usize, filtered: bool) {
    if heading {
        let _ = write!(b, "<h4>{}</h4>", esc(name));
    }
    if !t.shown {
        let _ = write!(b, "<p class=\"meta\">Free-text answers here are hidden: fewer than {k} responses in this group or selection.</p>");
        return;
    }
    let count = t.count.unwrap_or(0);
    let shown = if filtered { format!("; {} match the filter", t.answers.len()) } else { String::new() };
    let _ = write!(b, "<p class=\"meta\">{count} answer{}{shown}.</p>", if count == 1 { "" } else { "s" });
    if !t.answers.is_empty() {
        let _ = write!(b, "<ul class=\"texts\" aria-label=\"Answers to {}\">", esc(qid));
        for a in &t.answers {
            let _ = write!(b, "<li>{}</li>", esc(&a.text));
        }
        b.push_str("</ul>");
    }
}

fn select(b: &mut String, name: &str, label: &str, first: &str, options: &[(String, String)], chosen: Option<&str>) {
    let _ = write!(b, "<div class=\"field\"><label for=\"f-{name}\">{}</label><select id=\"f-{name}\" name=\"{name}\">", esc(label));
    let _ = write!(b, "<option value=\"\">{}</option>", esc(first));
    for (v, l) in options {
        let sel = if chosen == Some(v.as_str()) { " selected" } else { "" };
        let _ = write!(b, "<option value=\"{}\"{sel}>{}</option>", esc(v), esc(l));
    }
    b.push_str("</select></div>");
}

fn filters(b: &mut String, r: &Report, sel: &Selection, languages: &[String]) {
    b.push_str("<form method=\"get\" action=\"/report\" class=\"filters\" aria-label=\"What to show\">");
    let qs: Vec<(String, String)> = r.questionnaires.iter().map(|q| (q.clone(), q.clone())).collect();
    select(b, "questionnaire", "Questionnaire", "The one with most responses", &qs, Some(&r.questionnaire_id));
    let ps: Vec<(String, String)> = r.all_periods.iter().map(|p| (p.clone(), p.clone())).collect();
    select(b, "from", "From period", "The first", &ps, r.from.as_deref());
    select(b, "to", "To period", "The last", &ps, r.to.as_deref());
    let bs: Vec<(String, String)> = r.breakdown_choices.iter().map(|l| (l.value.clone(), l.label.clone())).collect();
    select(b, "by", "Break down by", "No breakdown", &bs, r.breakdown.as_ref().map(|b| b.question.as_str()));
    // The questionnaire's own texts in another of its languages (`?lang=`).
    if languages.len() > 1 {
        let ls: Vec<(String, String)> = languages.iter().filter(|l| *l != "en").map(|l| (l.clone(), l.clone())).collect();
        select(b, "lang", "Language of the questions", "en", &ls, sel.lang.as_deref());
    }
    let _ = write!(
        b,
        "<div class=\"field\"><label for=\"f-text\">Show only free-text answers containing</label>\
         <input id=\"f-text\" name=\"text\" type=\"search\" maxlength=\"200\" value=\"{}\"></div>\
         <button type=\"submit\">Show</button></form>",
        esc(r.text_filter.as_deref().unwrap_or(""))
    );
}

fn hidden_note(b: &mut String, r: &Report) {
    let _ = write!(
        b,
        "<section class=\"hidden-note\" aria-labelledby=\"hidden-h\"><h2 id=\"hidden-h\">What is hidden and why</h2>\
         <p>To protect students, no count, percentage, chart bar or group is shown when it rests on fewer than {k} \
         responses, and where a hidden figure could be worked out by subtracting the others from a total, another \
         figure is hidden with it. Free-text answers are not listed for a group (or a selection) of fewer than {k}.</p>",
        k = r.k
    );
    if r.hidden.is_empty() {
        b.push_str("<p>Nothing is hidden in this selection.</p>");
    } else {
        b.push_str("<ul>");
        for h in &r.hidden {
            let _ = write!(b, "<li>{}</li>", esc(h));
        }
        b.push_str("</ul>");
    }
    b.push_str("</section>");
}

fn downloads(b: &mut String, sel: &Selection, languages: &[String]) {
    let q = esc(&query(sel));
    let _ = write!(
        b,
        "<section class=\"downloads\" aria-labelledby=\"dl-h\"><h2 id=\"dl-h\">Downloads</h2><ul>\
         <li><a href=\"/api/report/free-text.csv{q}\" download>Free-text answers for qualitative coding (CSV: submission id, question, text; same selection and hiding as this page)</a></li>\
         <li><a href=\"/api/report.json{q}\">These figures as JSON</a></li>\
         <li><a href=\"/api/submissions.csv\" download>All responses (CSV, every row, no hiding: handle as research data)</a></li>\
         <li><a href=\"/api/submissions.R\" download>R script that loads that CSV with labels</a></li>\
         <li><a href=\"/api/submissions.sps\" download>SPSS syntax that loads that CSV with labels</a></li></ul>\
         <form method=\"get\" action=\"/api/codebook.csv\" class=\"inline\"><label for=\"f-lang\">Codebook language</label>\
         <select id=\"f-lang\" name=\"lang\">"
    );
    for l in languages {
        let _ = write!(b, "<option value=\"{}\">{}</option>", esc(l), esc(l));
    }
    b.push_str("</select><button type=\"submit\">Download the codebook (CSV)</button></form></section>");
}
