//! A redline as Markdown: a summary of the changes, then the agreement with deleted
//! words as `~~struck through~~` and inserted words as `<ins>underlined</ins>`.
//!
//! Both render on GitHub (strike-through and underline) and in pandoc (`~~` is its
//! strikeout; `<ins>` passes through as HTML, and reads as a plain marker in text).
//! Markdown's own `**bold**` is not used for insertions: the agreement uses it for
//! section numbers and parties.

use super::Redline;
use crate::docx::{Kind, Mark, Para, Run};
use crate::render::escape::escape;

/// The names printed in the summary.
#[derive(Clone, Debug)]
pub struct Legend {
    /// What NEW is compared against (a deal sheet's path, or the library form).
    pub old: String,
    pub new: String,
}

/// Summary, a rule, then the redlined agreement.
pub fn to_markdown(redline: &Redline, legend: &Legend) -> String {
    let mut out = summary(redline, legend);
    out.push_str("\n---\n\n");
    out.push_str(&agreement(&redline.paras));
    out
}

/// Longest quotation of changed words in the summary.
const QUOTE_WORDS: usize = 12;

/// The change count, legend and one line per change.
pub fn summary(redline: &Redline, legend: &Legend) -> String {
    let n = redline.changes.len();
    let mut out = format!(
        "**Redline** of {} against {}: {n} change{}. ~~Struck through~~: deleted; <ins>underlined</ins>: inserted.\n\n",
        escape(&legend.new),
        escape(&legend.old),
        if n == 1 { "" } else { "s" }
    );
    for (i, c) in redline.changes.iter().enumerate() {
        let what = match (c.deleted.is_empty(), c.inserted.is_empty()) {
            (false, true) => format!("deleted {}", quote(&c.deleted)),
            (true, false) => format!("inserted {}", quote(&c.inserted)),
            _ => format!("{} replaced by {}", quote(&c.deleted), quote(&c.inserted)),
        };
        out.push_str(&format!("{}. {}: {what}\n", i + 1, escape(&c.location)));
    }
    out
}

/// Words in typographic quotes, shortened to [`QUOTE_WORDS`].
fn quote(words: &str) -> String {
    let all: Vec<&str> = words.split(' ').collect();
    let mut text = all[..all.len().min(QUOTE_WORDS)].join(" ");
    if all.len() > QUOTE_WORDS {
        text.push_str(" \u{2026}");
    }
    format!("\u{201C}{}\u{201D}", escape(&text))
}

/// The agreement with its changes marked, as Markdown.
pub fn agreement(paras: &[Para]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < paras.len() {
        let para = &paras[i];
        i += 1;
        match &para.kind {
            Kind::Header | Kind::Body { .. } | Kind::Code => out.push_str(&inline(&para.runs, "\\\n")),
            Kind::Title => out.push_str(&format!("# {}", inline(&para.runs, " "))),
            Kind::Heading => out.push_str(&format!("## {}", inline(&para.runs, " "))),
            Kind::ListItem { marker, depth } => {
                let marker = if marker.ends_with(['.', ')']) { marker.as_str() } else { "-" };
                out.push_str(&format!("{}{marker} {}", "   ".repeat(depth.saturating_sub(1)), inline(&para.runs, " ")));
            }
            Kind::Rule => out.push_str("---"),
            Kind::Signature { .. } => {
                // One block quote per signature block: its paragraphs up to the next party line.
                let mut block = vec![para];
                while let Some(next @ Para { kind: Kind::Signature { first: false, .. }, .. }) = paras.get(i) {
                    block.push(next);
                    i += 1;
                }
                let lines: Vec<String> = block.iter().map(|p| format!("> {}", inline(&p.runs, "\\\n> "))).collect();
                out.push_str(&lines.join("\n>\n"));
            }
        }
        out.push_str("\n\n");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// Runs as inline Markdown; a line break is written as `brk`.
fn inline(runs: &[Run], brk: &str) -> String {
    let mut out = String::new();
    for run in runs {
        for (i, line) in run.text.split('\n').enumerate() {
            if i > 0 {
                out.truncate(out.trim_end_matches(' ').len());
                out.push_str(brk);
            }
            span(&mut out, line, run);
        }
    }
    out
}

/// One line of a run: marks and emphasis around the words, spaces outside them.
fn span(out: &mut String, text: &str, run: &Run) {
    let core = text.trim();
    if core.is_empty() {
        out.push_str(text);
        return;
    }
    let lead = &text[..text.len() - text.trim_start().len()];
    let trail = &text[text.trim_end().len()..];
    let (open, close) = match run.mark {
        Mark::Same => ("", ""),
        Mark::Deleted => ("~~", "~~"),
        Mark::Inserted => ("<ins>", "</ins>"),
    };
    let style = match (run.bold, run.italic) {
        (true, true) => "***",
        (true, false) => "**",
        (false, true) => "*",
        (false, false) => "",
    };
    out.push_str(&format!("{lead}{open}{style}{}{style}{close}{trail}", escape(core)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::compare;
    use crate::docx::from_markdown;

    #[test]
    fn marks_render_as_strike_through_and_ins() {
        let old = "# T\n\n**1\\.** Pay \\$4,000.00 per month.\n\n> **A**\n>\n> By: x\\\n> Jo\n";
        let new = "# T\n\n**2\\.** Pay \\$5,000.00 per month.\n\n> **A**\n>\n> By: x\\\n> Jo\n";
        let r = compare(&from_markdown(old), &from_markdown(new));
        let legend = Legend { old: "old.yaml".into(), new: "new.yaml".into() };
        let md = to_markdown(&r, &legend);
        assert!(md.starts_with("**Redline** of new.yaml against old.yaml: 2 changes."), "{md}");
        assert!(md.contains("1. Section 1 (now 2): \u{201C}1\\.\u{201D} replaced by \u{201C}2\\.\u{201D}\n"), "{md}");
        assert!(
            md.contains("~~**1\\.**~~ <ins>**2\\.**</ins> Pay ~~\\$4,000.00~~ <ins>\\$5,000.00</ins> per month."),
            "{md}"
        );
        assert!(md.ends_with("> **A**\n>\n> By: x\\\n> Jo\n"), "{md}");
    }
}
