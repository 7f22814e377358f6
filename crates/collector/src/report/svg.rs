//! Charts as plain SVG strings, drawn on the server.
//!
//! No chart crate: the three shapes needed (horizontal bars, a diverging
//! stacked bar, a histogram) are a few rectangles each, and plain SVG adds
//! nothing to the build (plotters' SVG backend would bring its own text
//! layout for the same rectangles). Only presentation attributes and classes
//! are used, never `style=""`, so the strict CSP (`style-src 'self'`) holds.
//! Every chart is `role="img"` with a title; its numbers are in the data table
//! beside it. A hidden figure draws nothing that would show its size.

use super::{Dist, Label};
use std::fmt::Write;

const WIDTH: f64 = 640.0;
const LABEL_W: f64 = 230.0;
const VALUE_W: f64 = 110.0;
const ROW_H: f64 = 26.0;
/// Bar colour: GOV.UK blue, 5.2:1 against white (WCAG 1.4.11 needs 3:1).
const BAR: &str = "#1d70b8";

/// Escapes text for HTML and SVG (element text and quoted attributes).
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn short(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

fn open(out: &mut String, id: &str, title: &str, height: f64) {
    let _ = write!(
        out,
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" aria-labelledby=\"{id}\" \
         xmlns=\"http://www.w3.org/2000/svg\"><title id=\"{id}\">{}</title>",
        esc(title)
    );
}

/// Horizontal bars, one per option: count and percent at the end of each.
pub fn bars(id: &str, title: &str, options: &[Label], d: &Dist) -> String {
    let mut out = String::new();
    let height = ROW_H * options.len() as f64 + 8.0;
    open(&mut out, id, title, height);
    let span = WIDTH - LABEL_W - VALUE_W;
    let max = d.percents.iter().flatten().copied().fold(0.0f64, f64::max).max(1.0);
    for (i, o) in options.iter().enumerate() {
        let y = 4.0 + i as f64 * ROW_H;
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"lbl\">{}</text>",
            LABEL_W - 8.0,
            y + 17.0,
            esc(&short(&o.label, 30))
        );
        match (d.counts.get(i).copied().flatten(), d.percents.get(i).copied().flatten()) {
            (Some(c), Some(p)) => {
                let w = (p / max * span).max(if c > 0 { 2.0 } else { 0.0 });
                let _ = write!(
                    out,
                    "<rect x=\"{LABEL_W}\" y=\"{}\" width=\"{w:.1}\" height=\"{}\" fill=\"{BAR}\"/>\
                     <text x=\"{:.1}\" y=\"{}\" class=\"val\">{c} ({})</text>",
                    y + 3.0,
                    ROW_H - 8.0,
                    LABEL_W + w + 6.0,
                    y + 17.0,
                    pct(p)
                );
            }
            (Some(c), None) => {
                let _ = write!(out, "<text x=\"{}\" y=\"{}\" class=\"val\">{c}</text>", LABEL_W + 6.0, y + 17.0);
            }
            _ => {
                let _ = write!(out, "<text x=\"{}\" y=\"{}\" class=\"val hid\">hidden</text>", LABEL_W + 6.0, y + 17.0);
            }
        }
    }
    out.push_str("</svg>");
    out
}

/// Colours for the scale from most negative to most positive (ColorBrewer
/// RdBu, the neutral a mid grey): the outermost point of each side darkest,
/// for any scale length.
fn scale_colour(i: usize, m: usize) -> &'static str {
    const NEG: [&str; 3] = ["#f4a582", "#d6604d", "#b2182b"]; // light to dark
    const POS: [&str; 3] = ["#92c5de", "#4393c3", "#2166ac"];
    let side = m / 2;
    if m % 2 == 1 && i == side {
        return "#a0a0a0";
    }
    let (palette, from_centre) = if i < side { (&NEG, side - 1 - i) } else { (&POS, i - (m - side)) };
    let shade = match side {
        1 => 1,
        2 => [0, 2][from_centre.min(1)],
        _ => from_centre.min(2),
    };
    palette[shade]
}

/// One diverging stacked bar per row: disagreement left of the centre line,
/// agreement right, the neutral point centred on it; "Prefer not to say"
/// (when `pnts`, the last scale entry) drawn apart on the right. A row with
/// any hidden figure is not drawn at all: the position of the others would
/// give the hidden one away.
pub fn diverging(id: &str, title: &str, scale: &[Label], pnts: bool, rows: &[(String, &Dist)]) -> String {
    let m = scale.len() - usize::from(pnts);
    let legend_h = 24.0 * scale.len().div_ceil(3) as f64;
    let height = legend_h + ROW_H * rows.len() as f64 + 12.0;
    let mut out = String::new();
    open(&mut out, id, title, height);
    // Legend.
    for (i, s) in scale.iter().enumerate() {
        let (x, y) = (8.0 + (i % 3) as f64 * 210.0, 4.0 + (i / 3) as f64 * 24.0);
        let colour = if i < m { scale_colour(i, m) } else { "#ffffff" };
        let _ = write!(
            out,
            "<rect x=\"{x}\" y=\"{y}\" width=\"14\" height=\"14\" fill=\"{colour}\" stroke=\"#505a5f\"/>\
             <text x=\"{}\" y=\"{}\" class=\"lgd\">{}</text>",
            x + 20.0,
            y + 12.0,
            esc(&short(&s.label, 28))
        );
    }
    let label_w = 170.0;
    let pnts_w = if pnts { 70.0 } else { 0.0 };
    let span = WIDTH - label_w - pnts_w - 10.0;
    let centre = label_w + span / 2.0;
    let _ = write!(
        out,
        "<line x1=\"{centre}\" x2=\"{centre}\" y1=\"{legend_h}\" y2=\"{}\" stroke=\"#0b0c0c\"/>",
        legend_h + ROW_H * rows.len() as f64 + 4.0
    );
    for (r, (label, d)) in rows.iter().enumerate() {
        let y = legend_h + 4.0 + r as f64 * ROW_H;
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"lbl\">{}</text>",
            label_w - 8.0,
            y + 17.0,
            esc(&short(label, 21))
        );
        if d.n == Some(0) {
            let _ = write!(out, "<text x=\"{}\" y=\"{}\" class=\"val\">no answers</text>", centre + 6.0, y + 17.0);
            continue;
        }
        if d.any_hidden() {
            let _ = write!(out, "<text x=\"{}\" y=\"{}\" class=\"val hid\">hidden</text>", centre + 6.0, y + 17.0);
            continue;
        }
        let p: Vec<f64> = d.percents.iter().map(|p| p.unwrap_or(0.0)).collect();
        let unit = span / 200.0; // 100 % each side of the centre
        let neutral = if m % 2 == 1 { p[m / 2] } else { 0.0 };
        let mut x = centre - (p[..m / 2].iter().sum::<f64>() + neutral / 2.0) * unit;
        for (i, &pi) in p.iter().enumerate().take(m) {
            let w = pi * unit;
            if w > 0.0 {
                let _ = write!(
                    out,
                    // A dark edge: light segments alone would not reach 3:1 against white (WCAG 1.4.11).
                    "<rect x=\"{x:.1}\" y=\"{}\" width=\"{w:.1}\" height=\"{}\" fill=\"{}\" stroke=\"#0b0c0c\" stroke-width=\"0.5\"/>",
                    y + 3.0,
                    ROW_H - 8.0,
                    scale_colour(i, m)
                );
            }
            x += w;
        }
        if pnts {
            let pp = p[m];
            let _ = write!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{:.1}\" height=\"{}\" fill=\"#ffffff\" stroke=\"#505a5f\"/>\
                 <text x=\"{}\" y=\"{}\" class=\"val\">{}</text>",
                WIDTH - pnts_w,
                y + 3.0,
                (pp / 100.0 * (pnts_w - 34.0)).max(1.0),
                ROW_H - 8.0,
                WIDTH - 30.0,
                y + 17.0,
                pct(pp)
            );
        }
    }
    out.push_str("</svg>");
    out
}

/// A histogram: one column per bin, its count above it.
pub fn histogram(id: &str, title: &str, bins: &[String], d: &Dist) -> String {
    let mut out = String::new();
    let height = 200.0;
    open(&mut out, id, title, height);
    let (top, bottom, left) = (20.0, 160.0, 20.0);
    let slot = (WIDTH - 2.0 * left) / bins.len().max(1) as f64;
    let max = d.counts.iter().flatten().copied().max().unwrap_or(0).max(1) as f64;
    let _ = write!(out, "<line x1=\"{left}\" x2=\"{}\" y1=\"{bottom}\" y2=\"{bottom}\" stroke=\"#0b0c0c\"/>", WIDTH - left);
    for (i, b) in bins.iter().enumerate() {
        let x = left + i as f64 * slot;
        let cx = x + slot / 2.0;
        let _ = write!(
            out,
            "<text x=\"{cx:.1}\" y=\"{}\" text-anchor=\"middle\" class=\"lbl{}\">{}</text>",
            bottom + 18.0,
            if bins.len() > 12 { " small" } else { "" },
            esc(b)
        );
        match d.counts.get(i).copied().flatten() {
            Some(c) => {
                let h = c as f64 / max * (bottom - top - 14.0);
                let _ = write!(
                    out,
                    "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"{BAR}\"/>\
                     <text x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" class=\"val small\">{c}</text>",
                    x + slot * 0.1,
                    bottom - h,
                    slot * 0.8,
                    bottom - h - 4.0
                );
            }
            None => {
                let _ =
                    write!(out, "<text x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" class=\"val small hid\">–</text>", bottom - 4.0);
            }
        }
    }
    out.push_str("</svg>");
    out
}

/// `40%`, `12.5%`.
pub fn pct(p: f64) -> String {
    format!("{}%", super::fmt_num(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_bars_show_no_number() {
        let opts = vec![Label { value: "a".into(), label: "A <b>".into() }, Label { value: "b".into(), label: "B".into() }];
        let d = Dist { n: Some(40), counts: vec![Some(31), None], percents: vec![Some(77.5), None] };
        let svg = bars("c1", "Title & more", &opts, &d);
        assert!(svg.contains("31 (77.5%)"), "{svg}");
        assert!(svg.contains("A &lt;b&gt;") && svg.contains("Title &amp; more"), "{svg}");
        assert_eq!(svg.matches("<rect").count(), 1, "no bar for the hidden count: {svg}");
        assert!(!svg.contains("style="), "the CSP forbids style attributes");
    }

    #[test]
    fn outermost_points_are_darkest() {
        let five: Vec<&str> = (0..5).map(|i| scale_colour(i, 5)).collect();
        assert_eq!(five, ["#b2182b", "#f4a582", "#a0a0a0", "#92c5de", "#2166ac"]);
        let four: Vec<&str> = (0..4).map(|i| scale_colour(i, 4)).collect();
        assert_eq!(four, ["#b2182b", "#f4a582", "#92c5de", "#2166ac"]);
        let seven: Vec<&str> = (0..7).map(|i| scale_colour(i, 7)).collect();
        assert_eq!(seven, ["#b2182b", "#d6604d", "#f4a582", "#a0a0a0", "#92c5de", "#4393c3", "#2166ac"]);
    }

    #[test]
    fn diverging_row_with_a_hidden_cell_is_not_drawn() {
        let scale: Vec<Label> =
            ["1", "2", "3", "prefer_not_to_say"].iter().map(|v| Label { value: (*v).into(), label: (*v).into() }).collect();
        let full = Dist { n: Some(20), counts: vec![Some(5), Some(5), Some(5), Some(5)], percents: vec![Some(25.0); 4] };
        let part = Dist { n: Some(20), counts: vec![Some(15), None, None, Some(0)], percents: vec![Some(75.0), None, None, Some(0.0)] };
        let svg = diverging("c2", "t", &scale, true, &[("x".into(), &full), ("y".into(), &part)]);
        // 4 legend squares + 3 segments + 1 "prefer not to say" bar for row x only.
        assert_eq!(svg.matches("<rect").count(), 8, "{svg}");
        assert!(svg.contains("hidden"));
    }
}
