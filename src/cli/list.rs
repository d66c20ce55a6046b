//! `clausewright list`: every agreement of the layered library, its fields and sections.

use super::options::{load_library, LibraryArgs};
use crate::library::manifest::{Field, Kind};
use crate::library::Library;
use clap::Args;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub(super) struct ListArgs {
    #[command(flatten)]
    pub(super) library: LibraryArgs,
}

/// Prints the `list` text.
pub(super) fn run(args: ListArgs) -> ExitCode {
    match load_library(&args.library) {
        Ok(library) => {
            print!("{}", list(&library));
            ExitCode::SUCCESS
        }
        Err(code) => code,
    }
}

/// The `list` text: each agreement with its description, fields and sections.
fn list(library: &Library) -> String {
    let mut out = String::from("Agreements (deal sheet `agreement:`):\n");
    for a in library.agreements() {
        out.push_str(&format!("\n  {}: {}\n", a.id, a.title));
        if !a.description.is_empty() {
            out.push_str(&format!("    {}\n", a.description));
        }
        out.push_str("    Fields:\n");
        fields(&mut out, &a.fields, "", 6);
        if !a.computed.is_empty() {
            let names: Vec<&str> = a.computed.iter().map(|c| c.name.as_str()).collect();
            out.push_str(&format!("    Computed: {}\n", names.join(", ")));
        }
        out.push_str("    Sections:\n");
        for (i, s) in a.sections.iter().enumerate() {
            let when = s.when.as_ref().map(|w| format!(" (when {})", w.source)).unwrap_or_default();
            let help = s.help.as_deref().map(|h| format!(": {h}")).unwrap_or_default();
            out.push_str(&format!("      {}. {}{help}{when}\n", i + 1, s.clause));
        }
    }
    out.push_str("\n`clausewright init --agreement ID` writes a starter deal sheet for one of them.\n");
    out
}

fn fields(out: &mut String, fields: &[Field], prefix: &str, indent: usize) {
    for f in fields {
        let path = if prefix.is_empty() { f.name.clone() } else { format!("{prefix}.{}", f.name) };
        let kind = match &f.kind {
            Kind::Choice { values } => values.join(" | "),
            k => k.name().to_string(),
        };
        let need = match (&f.default, f.required) {
            (Some(d), _) => format!("default {}", crate::library::starter::default_text(d)),
            (None, true) => "required".to_string(),
            (None, false) => "optional".to_string(),
        };
        let help = f.help.as_deref().map(|h| format!(": {h}")).unwrap_or_default();
        out.push_str(&format!("{}{path} ({kind}, {need}){help}\n", " ".repeat(indent)));
        match &f.kind {
            Kind::Group { fields: inner } => fields_of(out, inner, &path, indent),
            Kind::List { items, .. } => {
                if let Kind::Group { fields: inner } = &items.kind {
                    fields_of(out, inner, &format!("{path}[]"), indent);
                }
            }
            _ => {}
        }
    }
}

fn fields_of(out: &mut String, inner: &[Field], path: &str, indent: usize) {
    fields(out, inner, path, indent + 2);
}
