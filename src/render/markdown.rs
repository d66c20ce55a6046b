//! Renders an assembly to CommonMark with the library's templates.
//!
//! Every deal-sheet value passes through the Markdown escape (tera autoescape on
//! `.md.tera`); templates never mark data safe.

use crate::assemble::Assembly;
use crate::library::{Library, LibraryError};

/// The agreement as Markdown: one paragraph per line, a blank line between blocks,
/// ending in one newline.
pub fn render(library: &Library, assembly: &Assembly) -> Result<String, LibraryError> {
    let def = assembly.agreement;
    let context = tera::Context::from_serialize(assembly)
        .map_err(|e| LibraryError(format!("cannot pass the deal sheet to the templates: {e}")))?;
    let text = library
        .tera()
        .render(&def.template(), &context)
        .map_err(|e| LibraryError(format!("the clause library failed to render `{}`:\n{e}", def.template())))?;
    Ok(tidy(&text))
}

/// Collapses runs of blank lines left by template tags and trims trailing spaces, so
/// the output is the same however the templates are laid out.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = true;
    for line in text.lines() {
        let line = line.trim_end_matches(' ');
        if line.is_empty() {
            if !blank {
                out.push('\n');
            }
            blank = true;
        } else {
            out.push_str(line);
            out.push('\n');
            blank = false;
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}
