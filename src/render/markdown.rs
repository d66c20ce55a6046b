//! Renders an assembly to CommonMark with the library's templates: each kept section from
//! its clause template, then the body template, which places them with `{{ sections }}`.
//!
//! Every deal-sheet value passes through the Markdown escape (tera autoescape on
//! `.md.tera`); templates never mark data safe. The rendered sections are Markdown the
//! library made, so they are placed as they are.

use crate::assemble::Assembly;
use crate::library::Library;

/// The agreement as Markdown: one paragraph per line, a blank line between blocks,
/// ending in one newline. An `Err` names the template that failed and why.
pub fn render(library: &Library, assembly: &Assembly) -> Result<String, String> {
    let tera = library.tera();
    let mut sections = String::new();
    for (clause, _) in &assembly.sections {
        let name = format!("clauses/{clause}.md.tera");
        let text = tera.render(&name, &assembly.context).map_err(|e| render_error(&name, &e))?;
        if !sections.is_empty() {
            sections.push_str("\n\n");
        }
        sections.push_str(text.trim_end());
    }
    let mut context = assembly.context.clone();
    context.insert_value("sections", tera::Value::safe_string(&sections));
    let body = assembly.agreement.template();
    let text = tera.render(&body, &context).map_err(|e| render_error(&body, &e))?;
    let tidied = tidy(&text);
    if tidied.trim().is_empty() {
        return Err(format!("the template `{body}` rendered nothing"));
    }
    Ok(tidied)
}

fn render_error(name: &str, e: &tera::Error) -> String {
    let mut text = e.to_string();
    if let Some(source) = std::error::Error::source(e) {
        text.push_str(&format!("\n{source}"));
    }
    format!("the clause library failed to render `{name}`:\n{text}")
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
