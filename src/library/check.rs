//! `clausewright library check`: a library checked without a deal sheet.
//!
//! Loading ([`Library::load`]) has already checked each manifest against the format, the
//! templates' syntax, the clause files and the names that conditions and computed values
//! use. This goes further, as a deal sheet would: every agreement is rendered from its
//! starter, then with every optional field present, each optional field absent, and each
//! choice value, with no undefined value. Warnings name clause files no agreement uses
//! and declared fields no template, condition or computed value reads.

use super::manifest::{Agreement, Field, Kind};
use super::{starter, Library};
use crate::deal::yaml::{Key, Node, Value};
use crate::deal::{validate, Rules};
use crate::diagnostic::{Diagnostic, Pos};

/// What `library check` found, and how many variants it rendered.
#[derive(Debug, Default)]
pub struct Report {
    pub problems: Vec<Diagnostic>,
    pub rendered: usize,
}

/// Checks every agreement of `library`.
pub fn check(library: &Library) -> Report {
    let mut report = Report::default();
    let mut seen = Vec::new();
    for a in library.agreements() {
        for (what, tree) in variants(a) {
            match render(library, &tree) {
                Ok(()) => report.rendered += 1,
                Err(ds) => {
                    for mut d in ds {
                        if d.file.is_empty() {
                            d.file = a.file.clone();
                        }
                        // One report per problem, naming the first variant that shows it.
                        if !seen.contains(&(d.file.clone(), d.pos, d.message.clone())) {
                            seen.push((d.file.clone(), d.pos, d.message.clone()));
                            d.message = format!("{} ({what}): {}", a.id, d.message);
                            report.problems.push(d);
                        }
                    }
                }
            }
        }
    }
    report.problems.extend(unused(library));
    report
}

fn render(library: &Library, tree: &Node) -> Result<(), Vec<Diagnostic>> {
    let rules = Rules { library, unprintable: None };
    let valid = validate::validate(tree.clone(), &rules)?;
    let Some(a) = library.agreement(&valid.sheet.agreement) else { return Ok(()) };
    let assembly = crate::assemble::assemble(&valid.sheet, a, library).map_err(|d| vec![d])?;
    crate::render::markdown::render(library, &assembly).map_err(|e| vec![library.render_problem(&e)])?;
    Ok(())
}

/// The deal sheets an agreement is rendered from: (what it is, the YAML tree).
fn variants(a: &Agreement) -> Vec<(String, Node)> {
    let mut out = Vec::new();
    let text = starter::text(a, "clausewright.schema.json");
    match crate::deal::yaml::parse(&text) {
        Ok((tree, _)) => out.push(("the starter `init` writes".to_string(), tree)),
        Err(d) => {
            out.push(("the starter `init` writes".to_string(), Node { pos: d.pos, value: Value::Seq(Vec::new()) }))
        }
    }
    let full = starter::full(a);
    out.push(("every optional field present".to_string(), full.clone()));
    let mut paths = Vec::new();
    variant_paths(&a.fields, "", &mut paths);
    for (path, field) in paths {
        if !field.required {
            let mut tree = full.clone();
            remove(&mut tree, &path);
            out.push((format!("without `{path}`"), tree));
        }
        let values: Vec<String> = match &field.kind {
            Kind::Choice { values } => values.clone(),
            Kind::Bool => vec!["true".into(), "false".into()],
            _ => Vec::new(),
        };
        for v in values {
            let mut tree = full.clone();
            set(&mut tree, &path, Node { pos: Pos::default(), value: Value::Scalar { text: v.clone(), plain: true } });
            out.push((format!("with `{path}: {v}`"), tree));
        }
    }
    out
}

/// The paths of the fields a variant can add, remove or choose (not inside lists or parties).
fn variant_paths<'a>(fields: &'a [Field], prefix: &str, out: &mut Vec<(String, &'a Field)>) {
    for f in fields {
        let path = if prefix.is_empty() { f.name.to_string() } else { format!("{prefix}.{}", f.name) };
        if let (Kind::Group { fields }, None) = (&f.kind, &f.example) {
            variant_paths(fields, &path, out);
        }
        out.push((path, f));
    }
}

fn entry_mut<'a>(tree: &'a mut Node, path: &str) -> Option<(&'a mut Vec<(Key, Node)>, String)> {
    let (parent, key) = path.rsplit_once('.').unwrap_or(("", path));
    let mut node = tree;
    if !parent.is_empty() {
        for part in parent.split('.') {
            let Value::Map(entries) = &mut node.value else { return None };
            node = &mut entries.iter_mut().find(|(k, _)| k.name == part)?.1;
        }
    }
    match &mut node.value {
        Value::Map(entries) => Some((entries, key.to_string())),
        _ => None,
    }
}

fn remove(tree: &mut Node, path: &str) {
    if let Some((entries, key)) = entry_mut(tree, path) {
        entries.retain(|(k, _)| k.name != key);
    }
}

fn set(tree: &mut Node, path: &str, value: Node) {
    if let Some((entries, key)) = entry_mut(tree, path) {
        match entries.iter_mut().find(|(k, _)| k.name == key) {
            Some((_, v)) => *v = value,
            None => entries.push((Key { name: key, pos: Pos::default() }, value)),
        }
    }
}

/// Clause files no agreement uses, and declared fields nothing reads: warnings.
fn unused(library: &Library) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let templates: Vec<&str> =
        library.files().iter().filter(|f| f.rel.ends_with(".md.tera")).map(|f| f.text.as_ref()).collect();
    // Only the user's own clause files: an embedded clause left unused because a user's
    // manifest replaces the embedded one is not the user's problem.
    for f in library.files().iter().filter(|f| f.origin != f.rel) {
        let Some(id) = f.rel.strip_prefix("clauses/").and_then(|n| n.strip_suffix(".md.tera")) else { continue };
        let in_sections = library.agreements().any(|a| a.sections.iter().any(|s| s.clause == id));
        let included = templates.iter().any(|t| t.contains(&f.rel));
        if !in_sections && !included {
            found.push(
                Diagnostic::warning(Pos::default(), "", format!("the clause `{id}` is used by no agreement"))
                    .with_help("list it under an agreement's `sections`, or delete the file")
                    .in_file(&f.origin),
            );
        }
    }
    for a in library.agreements() {
        let mut texts: Vec<&str> = templates.clone();
        let conditions: Vec<String> = a
            .sections
            .iter()
            .filter_map(|s| s.when.as_ref().map(|w| w.source.clone()))
            .chain(a.checks.iter().flat_map(|c| [c.when.source.clone(), c.message.clone(), c.at.clone()]))
            .chain(a.computed.iter().flat_map(|c| {
                c.operands.iter().filter_map(|o| match o {
                    super::manifest::Operand::Path { path, .. } => Some(path.clone()),
                    _ => None,
                })
            }))
            .collect();
        texts.extend(conditions.iter().map(String::as_str));
        for f in &a.fields {
            let used = texts.iter().any(|t| mentions(t, &f.name));
            if !used {
                found.push(
                    Diagnostic::warning(
                        f.pos,
                        format!("fields.{}", f.name),
                        format!("the field `{}` is used by no template, condition or computed value", f.name),
                    )
                    .with_help("print it in a clause, test it in a condition, or remove it")
                    .in_file(&a.file),
                );
            }
        }
    }
    found
}

/// Does `text` name `word` as an identifier?
fn mentions(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        let ident = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        !ident(before) && !ident(after)
    })
}
