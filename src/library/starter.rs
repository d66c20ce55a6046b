//! Starter deal sheets built from a manifest: `clausewright init` writes one, and
//! `library check` renders every agreement from its starter in every variant.
//!
//! A field's value comes from its `example`, else its `default`, else a typical value of
//! its type that meets its rules. Required fields are written; optional fields with an
//! example or default are written too; the others are written commented out.

use super::manifest::{Agreement, Field, Kind};
use crate::deal::yaml::{Key, Node, Value};
use crate::diagnostic::Pos;

fn scalar(text: impl Into<String>, plain: bool) -> Node {
    Node { pos: Pos::default(), value: Value::Scalar { text: text.into(), plain } }
}

fn map(entries: Vec<(String, Node)>) -> Node {
    Node {
        pos: Pos::default(),
        value: Value::Map(entries.into_iter().map(|(k, v)| (Key { name: k, pos: Pos::default() }, v)).collect()),
    }
}

/// A value of `field` for a starter: its example, its default, or a typical value.
pub fn sample(field: &Field) -> Node {
    if let Some(e) = &field.example {
        return e.clone();
    }
    match &field.kind {
        Kind::Group { fields } => map(fields.iter().map(|f| (f.name.to_string(), sample(f))).collect()),
        Kind::List { items, min_items, .. } => {
            Node { pos: Pos::default(), value: Value::Seq(vec![sample(items); min_items.unwrap_or(1).max(1)]) }
        }
        _ => match &field.default {
            Some(d) => default_node(d),
            None => typical(field),
        },
    }
}

fn default_node(v: &crate::deal::Val) -> Node {
    use crate::deal::Val;
    match v {
        // A plain word (a choice value) is written bare, anything YAML could misread quoted.
        Val::Text(t) => {
            let word = t.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ' '))
                && t.starts_with(|c: char| c.is_ascii_alphabetic())
                && !matches!(t.to_ascii_lowercase().as_str(), "true" | "false" | "yes" | "no" | "on" | "off" | "null");
            scalar(t.clone(), word)
        }
        Val::Bool(b) => scalar(b.to_string(), true),
        Val::Integer(n) => scalar(n.to_string(), true),
        Val::Number(d) | Val::Money(d) => scalar(d.to_string(), true),
        Val::Date(d) => scalar(d.format("%Y-%m-%d").to_string(), true),
        Val::DateForm(f) => match f {
            crate::deal::DateForm::Full(d) => scalar(d.format("%Y-%m-%d").to_string(), true),
            crate::deal::DateForm::Year(y) => scalar(y.to_string(), true),
            crate::deal::DateForm::Blank => scalar("~", true),
        },
        Val::Group(entries) => map(entries.iter().map(|(k, v)| (k.to_string(), default_node(v))).collect()),
        Val::List(items) => Node { pos: Pos::default(), value: Value::Seq(items.iter().map(default_node).collect()) },
    }
}

/// A typical value of the field's type within its rules.
fn typical(field: &Field) -> Node {
    let title: String = field.name.split(['_', '-']).map(capitalize).collect::<Vec<_>>().join(" ");
    match &field.kind {
        Kind::Text { pattern: Some(p), .. } => {
            // Without an example, the first of some common shapes the pattern accepts.
            let tries = [
                format!("Example {title}"),
                "1".into(),
                "1.4".into(),
                "A".into(),
                "S-1".into(),
                "333-1".into(),
                "ABC".into(),
                "a".into(),
                "x-1".into(),
            ];
            let found = tries.iter().find(|t| p.regex.is_match(t)).cloned();
            scalar(found.unwrap_or_else(|| format!("Example {title}")), false)
        }
        Kind::Text { .. } => scalar(format!("Example {title}"), false),
        Kind::Integer { min, max } => {
            let n = min.unwrap_or(1).max(1);
            scalar(max.map_or(n, |m| n.min(m)).to_string(), true)
        }
        Kind::Decimal { min, max, .. } => {
            let one = rust_decimal::Decimal::ONE;
            let n = min.map_or(one, |m| m.max(one));
            scalar(max.map_or(n, |m| n.min(m)).normalize().to_string(), true)
        }
        Kind::Percent { min, max, .. } => {
            let five = rust_decimal::Decimal::from(5);
            let n = if five > *min && five <= *max { five } else { *max };
            scalar(n.normalize().to_string(), true)
        }
        Kind::Money { min, max } => {
            let n = min.map_or(rust_decimal::Decimal::from(1000), |m| m.max(rust_decimal::Decimal::from(1000)));
            let mut n = max.map_or(n, |m| n.min(m));
            n.rescale(2);
            scalar(n.to_string(), true)
        }
        Kind::Date { min, max } | Kind::DateForm { min, max } => {
            let d = chrono::NaiveDate::from_ymd_opt(2026, 7, 15).unwrap_or_default();
            let d = min.map_or(d, |m| d.max(m));
            scalar(max.map_or(d, |m| d.min(m)).format("%Y-%m-%d").to_string(), true)
        }
        Kind::Bool => scalar("false", true),
        Kind::Choice { values } => scalar(values.first().cloned().unwrap_or_default(), true),
        Kind::Jurisdiction => scalar("Delaware", true),
        Kind::SecFileNumber => scalar("333-000001", false),
        Kind::Party => map(vec![("name".into(), scalar(format!("Example {title}, Inc."), false))]),
        Kind::Group { .. } | Kind::List { .. } => sample(field),
    }
}

fn capitalize(word: &str) -> String {
    let mut c = word.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// The deal sheet with every field given (optional ones too), as a YAML tree.
pub fn full(agreement: &Agreement) -> Node {
    let mut entries = vec![("agreement".to_string(), scalar(agreement.id.clone(), true))];
    entries.extend(agreement.fields.iter().map(|f| (f.name.to_string(), sample(f))));
    map(entries)
}

/// The commented starter deal sheet `init` writes. `schema` is the schema file the
/// modeline names (relative to the deal sheet's folder).
pub fn text(agreement: &Agreement, schema: &str) -> String {
    let mut out =
        format!("# yaml-language-server: $schema={schema}\n# A deal sheet for clausewright's {}.\n", agreement.title);
    if !agreement.description.is_empty() {
        out.push_str(&format!("# {}\n", agreement.description));
    }
    out.push_str(&format!(
        "# Editors with the YAML language server check and complete this file once the schema is\n# beside it: `clausewright schema > {schema}` in this file's folder.\n# Check it with `clausewright check FILE`; render it with `clausewright render FILE --format md,pdf`.\n\nagreement: {}\n",
        agreement.id
    ));
    write_fields(&mut out, &agreement.fields, 0);
    out
}

fn write_fields(out: &mut String, fields: &[Field], indent: usize) {
    for f in fields {
        let written = f.required
            || f.example.is_some()
            || f.default.is_some()
            || matches!(f.kind, Kind::Group { .. } if !f.declared_optional);
        let pad = " ".repeat(indent);
        let lead = if written { pad.clone() } else { format!("{pad}# ") };
        let help = f.help.as_deref().map(|h| format!("  # {h}")).unwrap_or_default();
        match (&f.kind, f.example.is_some()) {
            (Kind::Group { fields }, false) => {
                out.push_str(&format!("{lead}{}:{help}\n", f.name));
                if written {
                    write_fields(out, fields, indent + 2);
                } else {
                    let mut inner = String::new();
                    write_fields(&mut inner, fields, indent + 2);
                    for line in inner.lines() {
                        let line = line.strip_prefix(&pad).unwrap_or(line);
                        let line = line.strip_prefix("# ").unwrap_or(line);
                        out.push_str(&format!("{pad}# {line}\n"));
                    }
                }
            }
            _ => {
                let node = sample(f);
                match &node.value {
                    Value::Scalar { .. } => out.push_str(&format!("{lead}{}: {}{help}\n", f.name, yaml_scalar(&node))),
                    _ => {
                        out.push_str(&format!("{lead}{}:{help}\n", f.name));
                        let mut inner = String::new();
                        write_node(&mut inner, &node, indent + 2);
                        for line in inner.lines() {
                            out.push_str(&format!("{}{}\n", if written { "" } else { "# " }, line));
                        }
                    }
                }
            }
        }
    }
}

/// A YAML block for a map or list node.
fn write_node(out: &mut String, node: &Node, indent: usize) {
    let pad = " ".repeat(indent);
    match &node.value {
        Value::Map(entries) => {
            for (k, v) in entries {
                match &v.value {
                    Value::Scalar { .. } => out.push_str(&format!("{pad}{}: {}\n", k.name, yaml_scalar(v))),
                    _ => {
                        out.push_str(&format!("{pad}{}:\n", k.name));
                        write_node(out, v, indent + 2);
                    }
                }
            }
        }
        Value::Seq(items) => {
            for item in items {
                match &item.value {
                    Value::Scalar { .. } => out.push_str(&format!("{pad}- {}\n", yaml_scalar(item))),
                    _ => {
                        let mut inner = String::new();
                        write_node(&mut inner, item, indent + 2);
                        let inner = inner.replacen(&format!("{pad}  "), &format!("{pad}- "), 1);
                        out.push_str(&inner);
                    }
                }
            }
        }
        Value::Scalar { .. } => out.push_str(&format!("{pad}{}\n", yaml_scalar(node))),
    }
}

/// A scalar as YAML: plain when it was plain, else double-quoted.
fn yaml_scalar(node: &Node) -> String {
    match &node.value {
        Value::Scalar { text, plain: true } => text.clone(),
        Value::Scalar { text, .. } => format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\"")),
        _ => String::new(),
    }
}

/// A default value as `list` prints it.
pub fn default_text(v: &crate::deal::Val) -> String {
    yaml_scalar(&default_node(v))
}
