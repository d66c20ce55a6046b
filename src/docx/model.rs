//! The word-processor view of an agreement: paragraphs of styled runs.
//!
//! It is read off the same Markdown blocks as the PDF (`pdf::markdown_blocks`, which
//! knows the agreement conventions: header lines, title, numbered sections, signature
//! blocks), so the DOCX has the PDF's words and structure. Each run and each paragraph
//! mark carries a [`Mark`]: plain documents are all [`Mark::Same`]; a redline
//! (`crate::compare`) marks what was inserted and deleted, and the DOCX writer turns
//! those marks into tracked changes.

use crate::pdf::markdown_blocks::{self, Block, Inline, Piece};

/// Whether a run (or a paragraph mark) is unchanged, inserted or deleted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Mark {
    #[default]
    Same,
    Inserted,
    Deleted,
}

/// A run of text in one style; `"\n"` in the text is a line break.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
    pub mark: Mark,
}

/// What a paragraph is, which decides its style.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A line above the title (the exhibit number), flush right.
    Header,
    /// The level-1 heading: centred and bold.
    Title,
    /// A lower heading.
    Heading,
    /// A body paragraph; `section` is true when it opens with a section number.
    Body { section: bool },
    /// One paragraph of signature block `block`; `first` is the party line.
    Signature { block: usize, first: bool },
    /// A list item with its marker ("1.", a bullet) and nesting depth (1 = top).
    ListItem { marker: String, depth: usize },
    /// Preformatted lines.
    Code,
    /// A thematic break.
    Rule,
}

/// One paragraph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Para {
    pub kind: Kind,
    pub runs: Vec<Run>,
    /// The paragraph mark: inserted or deleted when the whole paragraph is.
    pub mark: Mark,
}

impl Para {
    /// The paragraph's text, line breaks as `"\n"`.
    pub fn text(&self) -> String {
        self.runs.iter().map(|r| r.text.as_str()).collect()
    }

    /// True when the next paragraph must stay on its page (a signature block and the
    /// paragraph that introduces it).
    pub fn keeps_with(&self, next: Option<&Para>) -> bool {
        matches!(next.map(|p| &p.kind), Some(Kind::Signature { .. }))
            || matches!(self.kind, Kind::Header | Kind::Title | Kind::Heading)
    }
}

/// The paragraphs of agreement Markdown.
pub fn from_markdown(markdown: &str) -> Vec<Para> {
    let mut paras = Vec::new();
    let mut signatures = 0;
    for block in markdown_blocks::parse(markdown) {
        let mut push = |kind: Kind, inline: &Inline| paras.push(Para { kind, runs: runs(inline), mark: Mark::Same });
        match block {
            Block::Header(text) => push(Kind::Header, &text),
            Block::Heading { level: 1, text } => push(Kind::Title, &text),
            Block::Heading { text, .. } => push(Kind::Heading, &text),
            Block::Paragraph { text, section } => push(Kind::Body { section: section.is_some() }, &text),
            Block::Signature(inlines) => {
                for (i, inline) in inlines.iter().enumerate() {
                    push(Kind::Signature { block: signatures, first: i == 0 }, inline);
                }
                signatures += 1;
            }
            Block::ListItem { marker, depth, text } => push(Kind::ListItem { marker, depth }, &text),
            Block::Code(lines) => {
                let run = Run { text: lines.join("\n"), bold: false, italic: false, mark: Mark::Same };
                paras.push(Para { kind: Kind::Code, runs: vec![run], mark: Mark::Same });
            }
            Block::Rule => paras.push(Para { kind: Kind::Rule, runs: Vec::new(), mark: Mark::Same }),
        }
    }
    paras
}

fn runs(inline: &Inline) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::with_capacity(inline.len());
    for piece in inline {
        let (text, bold, italic) = match piece {
            Piece::Text { text, bold, italic } => (text.as_str(), *bold, *italic),
            Piece::Break => ("\n", false, false),
            // Redline markers: a redline is written from the model, never read back.
            Piece::Deco(_) => continue,
        };
        match runs.last_mut() {
            Some(last) if last.bold == bold && last.italic == italic => last.text.push_str(text),
            _ => runs.push(Run { text: text.to_string(), bold, italic, mark: Mark::Same }),
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agreement_conventions_become_kinds() {
        let md = "EXHIBIT 9\n\n# Title\n\n**1\\.** Text *here*.\n\nIN WITNESS\n\n> **A, INC.**\n>\n> By: x\\\n> Name\n";
        let paras = from_markdown(md);
        let kinds: Vec<&Kind> = paras.iter().map(|p| &p.kind).collect();
        assert_eq!(
            kinds,
            [
                &Kind::Header,
                &Kind::Title,
                &Kind::Body { section: true },
                &Kind::Body { section: false },
                &Kind::Signature { block: 0, first: true },
                &Kind::Signature { block: 0, first: false },
            ]
        );
        assert_eq!(paras[2].runs[0].text, "1.");
        assert!(paras[2].runs[0].bold);
        assert_eq!(paras[5].text(), "By: x\nName");
        assert!(paras[3].keeps_with(paras.get(4)));
        assert!(!paras[5].keeps_with(None));
    }
}
