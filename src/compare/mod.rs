//! Redlines: two rendered agreements compared word by word.
//!
//! Both deal sheets go through the ordinary [`Pipeline`](crate::Pipeline) to Markdown,
//! which is read into the word-processor model of [`crate::docx`]; [`compare`] aligns
//! the paragraphs and diffs their words into a [`Redline`]: NEW's paragraphs with the
//! deleted and inserted runs marked, and the list of changes. The redline is then
//! written as Markdown ([`to_markdown`]), as a DOCX with tracked changes
//! ([`crate::docx::write()`]), or as a PDF blackline.

mod blackline;
pub mod command;
mod diff;
mod markdown;

pub use diff::compare;
pub use markdown::{to_markdown, Legend};

use crate::docx::Para;

/// Two agreements compared.
#[derive(Clone, Debug, PartialEq)]
pub struct Redline {
    /// The paragraphs of both, in order: unchanged and changed runs marked.
    pub paras: Vec<Para>,
    /// One entry per change, in document order.
    pub changes: Vec<Change>,
}

/// One change: a run of words deleted, inserted or replaced, or whole paragraphs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// Where: "Section 4", "Section 4 (now 3)", "Title", "Signature block", ...
    pub location: String,
    /// The words deleted (empty for an insertion), single-spaced.
    pub deleted: String,
    /// The words inserted (empty for a deletion), single-spaced.
    pub inserted: String,
}

impl Redline {
    /// True when the two agreements have the same words.
    pub fn is_unchanged(&self) -> bool {
        self.changes.is_empty()
    }
}
