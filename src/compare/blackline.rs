//! The PDF blackline: the redlined agreement typeset as NEW's PDF would be, deleted
//! words in red and struck through, inserted words in blue and double underlined, with
//! a legend and the change count on page 1.

use super::{markdown, Legend, Redline};
use crate::pdf::{self, PdfError, PdfOptions};

/// The blackline PDF of a redline.
pub fn render(redline: &Redline, legend: &Legend, opts: &PdfOptions) -> Result<Vec<u8>, PdfError> {
    let n = redline.changes.len();
    let mut md = format!(
        "Blackline of {} against {}: {n} change{}. Deleted: ~~struck through~~. Inserted: <ins>underlined</ins>.\n\n",
        crate::render::escape::escape(&legend.new),
        crate::render::escape::escape(&legend.old),
        if n == 1 { "" } else { "s" }
    );
    md.push_str(&markdown::agreement(&redline.paras));
    pdf::render(&md, opts)
}
