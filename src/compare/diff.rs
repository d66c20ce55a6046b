//! The comparison: paragraphs aligned first, then words within aligned paragraphs.
//!
//! 1. Paragraphs are matched on their text without the section number (similar's
//!    patience diff), so a renumbered section is the same paragraph and its number
//!    change shows as the one-word change it is. Paragraphs left over where the two
//!    sides differ are paired when at least half their words agree; the rest are
//!    whole insertions or deletions.
//! 2. Paired paragraphs are diffed word by word (Myers). A word is what lies between
//!    spaces, its punctuation included, so `$4,000.00` to `$5,000.00` is one change; a
//!    word carries the spaces after it. Unchanged words are written as NEW has them,
//!    so accepting every change gives NEW's text and rejecting every change OLD's.
//!
//! A change is a maximal run of changed words within a paragraph, or a run of wholly
//! inserted and deleted paragraphs.

use super::{Change, Redline};
use crate::docx::{Kind, Mark, Para, Run};
use similar::{capture_diff_slices, Algorithm, DiffOp, DiffTag};

/// Two paragraphs are the same paragraph, edited, when this share of their words agree.
const SAME_PARAGRAPH: f32 = 0.5;

/// Compares two agreements' paragraphs.
pub fn compare(old: &[Para], new: &[Para]) -> Redline {
    let keys = |paras: &[Para]| -> Vec<String> { paras.iter().map(alignment_key).collect() };
    let (old_keys, new_keys) = (keys(old), keys(new));
    let mut out = Builder::default();
    for op in capture_diff_slices(Algorithm::Patience, &old_keys, &new_keys) {
        let (tag, o, n) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => o.zip(n).for_each(|(i, j)| out.pair(&old[i], &new[j])),
            _ => {
                for step in align(&old[o.clone()], &new[n.clone()]) {
                    match step {
                        Step::Pair(i, j) => out.pair(&old[o.start + i], &new[n.start + j]),
                        Step::Delete(i) => out.whole(&old[o.start + i], Mark::Deleted),
                        Step::Insert(j) => out.whole(&new[n.start + j], Mark::Inserted),
                    }
                }
            }
        }
    }
    out.finish()
}

/// A word and the spaces after it, as styled runs; `key` is the word alone.
#[derive(Debug)]
struct Token {
    key: String,
    runs: Vec<Run>,
}

fn tokens(para: &Para) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    let mut prev_space = false;
    for run in &para.runs {
        for ch in run.text.chars() {
            let space = ch.is_whitespace();
            if out.is_empty() || (prev_space && !space) {
                out.push(Token { key: String::new(), runs: Vec::new() });
            }
            prev_space = space;
            let Some(token) = out.last_mut() else { continue };
            if !space {
                token.key.push(ch);
            }
            match token.runs.last_mut() {
                Some(last) if last.bold == run.bold && last.italic == run.italic => last.text.push(ch),
                _ => token.runs.push(Run { text: ch.to_string(), mark: Mark::Same, ..run.clone() }),
            }
        }
    }
    out
}

/// The number of a numbered section (its first word), if any.
pub(super) fn section_number(para: &Para) -> Option<String> {
    match para.kind {
        Kind::Body { section: true } => tokens(para).into_iter().next().map(|t| t.key),
        _ => None,
    }
}

/// What paragraphs are matched on: their kind and words, without a section number.
fn alignment_key(para: &Para) -> String {
    let skip = usize::from(matches!(para.kind, Kind::Body { section: true }));
    let words: Vec<String> = tokens(para).into_iter().skip(skip).map(|t| t.key).collect();
    format!("{}\u{0}{}", kind_class(&para.kind), words.join(" "))
}

/// Paragraph kinds that can be one another, edited.
fn kind_class(kind: &Kind) -> u8 {
    match kind {
        Kind::Header => 0,
        Kind::Title => 1,
        Kind::Heading => 2,
        Kind::Body { .. } => 3,
        Kind::Signature { .. } => 4,
        Kind::ListItem { .. } => 5,
        Kind::Code => 6,
        Kind::Rule => 7,
    }
}

/// The share of words two paragraphs have in common (0 for different kinds).
fn similarity(a: &Para, b: &Para) -> f32 {
    if kind_class(&a.kind) != kind_class(&b.kind) {
        return 0.0;
    }
    let keys = |p: &Para| -> Vec<String> { tokens(p).into_iter().map(|t| t.key).collect() };
    let (ka, kb) = (keys(a), keys(b));
    if ka.is_empty() && kb.is_empty() {
        return 1.0;
    }
    let ops = capture_diff_slices(Algorithm::Myers, &ka, &kb);
    similar::get_diff_ratio(&ops, ka.len(), kb.len())
}

enum Step {
    Pair(usize, usize),
    Delete(usize),
    Insert(usize),
}

/// The best order-keeping pairing of two runs of differing paragraphs (most words in
/// common), deletions before insertions between pairs.
fn align(old: &[Para], new: &[Para]) -> Vec<Step> {
    let (n, m) = (old.len(), new.len());
    // best[i][j]: the best total similarity of old[i..] with new[j..].
    let mut best = vec![vec![0.0f32; m + 1]; n + 1];
    let mut sims = vec![vec![0.0f32; m]; n];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            let s = similarity(&old[i], &new[j]);
            sims[i][j] = s;
            let paired = if s >= SAME_PARAGRAPH { s + best[i + 1][j + 1] } else { f32::MIN };
            best[i][j] = paired.max(best[i + 1][j]).max(best[i][j + 1]);
        }
    }
    let mut pairs = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if sims[i][j] >= SAME_PARAGRAPH && best[i][j] == sims[i][j] + best[i + 1][j + 1] {
            pairs.push((i, j));
            (i, j) = (i + 1, j + 1);
        } else if best[i][j] == best[i + 1][j] {
            i += 1;
        } else {
            j += 1;
        }
    }
    let mut steps = Vec::with_capacity(n + m);
    let (mut oi, mut nj) = (0, 0);
    for (pi, pj) in pairs.into_iter().chain([(n, m)]) {
        steps.extend((oi..pi).map(Step::Delete));
        steps.extend((nj..pj).map(Step::Insert));
        if pi < n && pj < m {
            steps.push(Step::Pair(pi, pj));
        }
        (oi, nj) = (pi + 1, pj + 1);
    }
    steps
}

#[derive(Default)]
struct Builder {
    paras: Vec<Para>,
    changes: Vec<Change>,
    /// The last paragraph pushed was wholly inserted or deleted: the next such one
    /// belongs to the same change.
    in_whole_change: bool,
}

impl Builder {
    /// A paragraph of both sides: unchanged words, changed words marked.
    fn pair(&mut self, old: &Para, new: &Para) {
        self.in_whole_change = false;
        let (a, b) = (tokens(old), tokens(new));
        let ka: Vec<&str> = a.iter().map(|t| t.key.as_str()).collect();
        let kb: Vec<&str> = b.iter().map(|t| t.key.as_str()).collect();
        let ops = capture_diff_slices(Algorithm::Myers, &ka, &kb);
        let location = location(old, new, self.paras.len() + 1);
        let mut runs: Vec<Run> = Vec::new();
        let mut i = 0;
        while i < ops.len() {
            if let DiffOp::Equal { new_index, len, .. } = ops[i] {
                push_tokens(&mut runs, &b[new_index..new_index + len], Mark::Same);
                i += 1;
                continue;
            }
            let end = i + ops[i..].iter().take_while(|op| op.tag() != DiffTag::Equal).count();
            let deleted: Vec<&Token> = ops[i..end].iter().flat_map(|op| &a[op.old_range()]).collect();
            let inserted: Vec<&Token> = ops[i..end].iter().flat_map(|op| &b[op.new_range()]).collect();
            // An unchanged word written as NEW has it may end NEW's paragraph, with no space
            // after it, where OLD goes on: the deleted words then need the space before them.
            let joined = runs.last().is_some_and(|r| !r.text.ends_with(char::is_whitespace));
            if let (true, Some(first)) = (joined, deleted.first().and_then(|t| t.runs.first())) {
                runs.push(Run { text: " ".into(), mark: Mark::Deleted, ..first.clone() });
            }
            for (tokens, mark) in [(&deleted, Mark::Deleted), (&inserted, Mark::Inserted)] {
                for t in tokens.iter() {
                    push_tokens(&mut runs, std::slice::from_ref(*t), mark);
                }
            }
            self.changes.push(Change {
                location: location.clone(),
                deleted: words(deleted.iter().copied()),
                inserted: words(inserted.iter().copied()),
            });
            i = end;
        }
        self.paras.push(Para { kind: new.kind.clone(), runs, mark: Mark::Same });
    }

    /// A paragraph of one side only.
    fn whole(&mut self, para: &Para, mark: Mark) {
        let text = words(tokens(para).iter());
        if !self.in_whole_change {
            let location = location(para, para, self.paras.len() + 1);
            self.changes.push(Change { location, deleted: String::new(), inserted: String::new() });
        }
        self.in_whole_change = true;
        if let Some(change) = self.changes.last_mut() {
            let side = if mark == Mark::Deleted { &mut change.deleted } else { &mut change.inserted };
            if !side.is_empty() {
                side.push(' ');
            }
            side.push_str(&text);
        }
        let runs = para.runs.iter().map(|r| Run { mark, ..r.clone() }).collect();
        self.paras.push(Para { kind: para.kind.clone(), runs, mark });
    }

    fn finish(self) -> Redline {
        Redline { paras: self.paras, changes: self.changes }
    }
}

/// Appends the runs of `tokens` marked `mark`, merging runs of one style and mark.
fn push_tokens(runs: &mut Vec<Run>, tokens: &[Token], mark: Mark) {
    for run in tokens.iter().flat_map(|t| &t.runs) {
        match runs.last_mut() {
            Some(last) if last.mark == mark && last.bold == run.bold && last.italic == run.italic => {
                last.text.push_str(&run.text)
            }
            _ => runs.push(Run { mark, ..run.clone() }),
        }
    }
}

/// The words of some tokens, single-spaced.
fn words<'a>(tokens: impl Iterator<Item = &'a Token>) -> String {
    tokens.map(|t| t.key.as_str()).filter(|k| !k.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Where a change is, for the summary: "Section 4", "Section 4 (now 3)", "Title", ...
fn location(old: &Para, new: &Para, index: usize) -> String {
    let number = |p: &Para| section_number(p).map(|n| n.trim_end_matches(['.', ')']).to_string());
    match (number(old), number(new)) {
        (Some(o), Some(n)) if o != n => format!("Section {o} (now {n})"),
        (_, Some(n)) => format!("Section {n}"),
        (Some(o), None) => format!("Section {o}"),
        (None, None) => match new.kind {
            Kind::Header => "Heading".to_string(),
            Kind::Title => "Title".to_string(),
            Kind::Signature { .. } => "Signature block".to_string(),
            _ => format!("Paragraph {index}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docx::from_markdown;

    fn text(paras: &[Para], keep: Mark) -> String {
        paras
            .iter()
            .filter(|p| p.mark == Mark::Same || p.mark == keep)
            .map(|p| p.runs.iter().filter(|r| r.mark != other(keep)).map(|r| r.text.as_str()).collect::<String>())
            .collect::<Vec<_>>()
            .join("\n\n")
    }

    fn other(mark: Mark) -> Mark {
        if mark == Mark::Inserted {
            Mark::Deleted
        } else {
            Mark::Inserted
        }
    }

    fn plain(md: &str) -> String {
        from_markdown(md).iter().map(Para::text).collect::<Vec<_>>().join("\n\n")
    }

    #[test]
    fn an_amount_is_one_change_and_both_sides_come_back() {
        let old = "# T\n\n**1\\.** Pay \\$4,000.00 per month, in full.\n";
        let new = "# T\n\n**1\\.** Pay \\$5,000.00 per month, in full.\n";
        let r = compare(&from_markdown(old), &from_markdown(new));
        assert_eq!(r.changes.len(), 1, "{:?}", r.changes);
        assert_eq!((r.changes[0].deleted.as_str(), r.changes[0].inserted.as_str()), ("$4,000.00", "$5,000.00"));
        assert_eq!(r.changes[0].location, "Section 1");
        assert_eq!(text(&r.paras, Mark::Inserted), plain(new));
        assert_eq!(text(&r.paras, Mark::Deleted), plain(old));
    }

    #[test]
    fn a_dropped_section_renumbers_the_rest_as_number_changes() {
        let old = "# T\n\n**1\\.** Alpha one two.\n\n**2\\.** Beta three four.\n\n**3\\.** Gamma five six.\n";
        let new = "# T\n\n**1\\.** Alpha one two.\n\n**2\\.** Gamma five six.\n";
        let r = compare(&from_markdown(old), &from_markdown(new));
        let summary: Vec<(&str, &str, &str)> =
            r.changes.iter().map(|c| (c.location.as_str(), c.deleted.as_str(), c.inserted.as_str())).collect();
        assert_eq!(summary, [("Section 2", "2. Beta three four.", ""), ("Section 3 (now 2)", "3.", "2.")]);
        assert_eq!(text(&r.paras, Mark::Inserted), plain(new));
        assert_eq!(text(&r.paras, Mark::Deleted), plain(old));
    }

    #[test]
    fn words_deleted_after_the_last_word_of_new_keep_their_space() {
        let old = "# T\n\n**1\\.** Courts are an inconvenient forum. EACH PARTY WAIVES A JURY.\n";
        let new = "# T\n\n**1\\.** Courts are an inconvenient forum.\n";
        let r = compare(&from_markdown(old), &from_markdown(new));
        assert_eq!(text(&r.paras, Mark::Deleted), plain(old));
        assert_eq!(text(&r.paras, Mark::Inserted), plain(new));
    }

    #[test]
    fn identical_documents_have_no_changes() {
        let md = "EXHIBIT 1\n\n# T\n\nWords.\n\n> **A**\n>\n> By: x\n";
        let r = compare(&from_markdown(md), &from_markdown(md));
        assert!(r.changes.is_empty());
        assert!(r.paras.iter().all(|p| p.mark == Mark::Same && p.runs.iter().all(|r| r.mark == Mark::Same)));
    }
}
