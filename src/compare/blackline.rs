//! The PDF blackline: the redlined agreement typeset as NEW's PDF would be, deleted
//! words in red and struck through, inserted words in blue and double underlined, with
//! a legend and the change count on page 1.

use super::{markdown, Legend, Redline};
use crate::pdf::{self, PdfError, PdfOptions};
use crate::render::escape::escape;

/// The blackline PDF of a redline.
pub fn render(redline: &Redline, legend: &Legend, opts: &PdfOptions) -> Result<Vec<u8>, PdfError> {
    let n = redline.changes.len();
    // Header lines (above the title, flush right): the legend and the change count.
    let mut md = format!(
        "Blackline: {n} change{}. Deleted: ~~struck through~~. Inserted: <ins>underlined</ins>.\\\n{} against {}\n\n",
        if n == 1 { "" } else { "s" },
        escape(&legend.new),
        escape(&legend.old),
    );
    md.push_str(&markdown::agreement(&redline.paras));
    pdf::render(&md, opts)
}

#[cfg(test)]
mod tests {
    use crate::pdf::markdown_blocks::{parse, Block, Deco, Piece};

    #[test]
    fn redline_marks_become_decoration_markers() {
        let blocks = parse("# T\n\nkept ~~gone~~ <ins>new</ins> end\n");
        let Some(Block::Paragraph { text, .. }) = blocks.get(1) else { panic!("{blocks:?}") };
        let decos: Vec<Deco> = text
            .iter()
            .filter_map(|p| match p {
                Piece::Deco(d) => Some(*d),
                _ => None,
            })
            .collect();
        assert_eq!(decos, [Deco::Deleted, Deco::None, Deco::Inserted, Deco::None]);
        let words: String = text
            .iter()
            .map(|p| match p {
                Piece::Text { text, .. } => text.as_str(),
                _ => "",
            })
            .collect();
        assert_eq!(words, "kept gone new end");
    }
}
