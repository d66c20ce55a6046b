//! YAML loading: the one module that knows about YAML.
//!
//! A deal sheet is read by one pass, with a second for error messages:
//! 1. `yaml-rust2`'s marked event stream builds a [`Node`] tree in which every key and
//!    value keeps its position, so validation can point at `file:line:col` for each
//!    problem (serde_yaml drops positions once parsing succeeds). It stops at once on
//!    anchors and aliases (no alias bombs) and on nesting deeper than any deal sheet.
//! 2. Only for malformed YAML, `serde_yaml` reads the same text again: its message (with
//!    line and column) is the one shown, as the long-standing authority on YAML syntax.
//!    Well-formed deal sheets, the common case in a batch, are parsed once.
//!
//! Scalars are kept as their source text with their style (plain or quoted), so the
//! validator can resolve them against the type it expects (a plain `1.40` is kept as
//! written for a string, read exactly for money, never through a float).

use crate::diagnostic::{Diagnostic, Pos};
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// Deeper than any deal sheet needs (they are three levels deep).
const MAX_DEPTH: usize = 64;

/// A YAML value with its position.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub pos: Pos,
    pub value: Value,
}

/// The shape of a YAML value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A scalar as written; `plain` is false for quoted and block scalars.
    Scalar { text: String, plain: bool },
    /// A mapping with string keys, in file order.
    Map(Vec<(Key, Node)>),
    /// A sequence.
    Seq(Vec<Node>),
}

/// A mapping key with its position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Key {
    pub name: String,
    pub pos: Pos,
}

impl Node {
    /// True for `~`, `null`, `Null`, `NULL` and an empty plain value.
    pub fn is_null(&self) -> bool {
        matches!(&self.value, Value::Scalar { text, plain: true }
            if matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    /// A short description of the value for "found ..." in messages.
    pub fn describe(&self) -> String {
        match &self.value {
            _ if self.is_null() => "nothing (null)".to_string(),
            Value::Scalar { text, plain } => {
                let shown: String = text.chars().take(40).collect();
                let more = if text.chars().count() > 40 { "..." } else { "" };
                let shown = shown.escape_debug();
                if *plain {
                    format!("`{shown}{more}`")
                } else {
                    format!("the string \"{shown}{more}\"")
                }
            }
            Value::Map(_) => "a mapping".to_string(),
            Value::Seq(_) => "a list".to_string(),
        }
    }
}

/// Parses one YAML document. Fatal problems (syntax, aliases, several documents) come
/// back as the only diagnostic; duplicate keys are reported next to a usable tree.
pub fn parse(src: &str) -> Result<(Node, Vec<Diagnostic>), Diagnostic> {
    match build(src) {
        Ok(tree) => Ok(tree),
        Err(Refusal::Syntax(d)) => Err(syntax_check(src).err().unwrap_or(d)),
        Err(Refusal::Other(d)) => Err(d),
    }
}

/// Why the marked pass stopped.
enum Refusal {
    /// Malformed YAML (serde_yaml's message is preferred).
    Syntax(Diagnostic),
    /// Well-formed YAML that a deal sheet may not use.
    Other(Diagnostic),
}

/// Pass 2, for malformed YAML only: serde_yaml's account of the syntax error.
fn syntax_check(src: &str) -> Result<(), Diagnostic> {
    let mut documents = 0;
    for document in serde_yaml::Deserializer::from_str(src) {
        documents += 1;
        if documents > 1 {
            break;
        }
        if let Err(e) = <serde::de::IgnoredAny as serde::Deserialize>::deserialize(document) {
            let pos = e.location().map(|l| Pos { line: l.line(), col: l.column() }).unwrap_or(Pos { line: 1, col: 1 });
            let message = strip_location(&e.to_string());
            return Err(syntax_error(pos, message));
        }
    }
    Ok(())
}

/// serde_yaml appends " at line L column C" to its messages; we print positions ourselves.
fn strip_location(message: &str) -> String {
    let mut message = message.to_string();
    while let Some(at) = message.rfind(" at line ") {
        let tail = &message[at + " at line ".len()..];
        let is_location = tail
            .split([',', '\n'])
            .next()
            .is_some_and(|t| t.split(" column ").all(|n| n.trim().chars().all(|c| c.is_ascii_digit())));
        if !is_location {
            break;
        }
        let end = tail.find(',').map_or(message.len(), |i| at + " at line ".len() + i);
        message.replace_range(at..end, "");
    }
    message
}

fn syntax_error(pos: Pos, message: impl Into<String>) -> Diagnostic {
    Diagnostic::error(pos, "", format!("invalid YAML: {}", message.into()))
        .with_help("a deal sheet is a YAML mapping of `key: value` lines, indented with spaces")
}

fn pos_of(mark: &Marker) -> Pos {
    Pos { line: mark.line(), col: mark.col() + 1 }
}

/// A container being filled while walking the events.
enum Open {
    Map { pos: Pos, entries: Vec<(Key, Node)>, key: Option<Key> },
    Seq { pos: Pos, items: Vec<Node> },
}

/// Pass 1: the marked events, streamed into a tree.
fn build(src: &str) -> Result<(Node, Vec<Diagnostic>), Refusal> {
    let mut parser = Parser::new_from_str(src);
    let mut stack: Vec<Open> = Vec::new();
    let mut root: Option<Node> = None;
    let mut duplicates = Vec::new();
    loop {
        let (event, pos) = match parser.next_token() {
            Ok((Event::StreamEnd, _)) => break,
            Ok((event, mark)) => (event, pos_of(&mark)),
            // The scanner's own nesting limit: no need to ask serde_yaml about such a file.
            Err(e) if e.info().contains("recursion limit") => return Err(Refusal::Other(too_deep(pos_of(e.marker())))),
            Err(e) => return Err(Refusal::Syntax(syntax_error(pos_of(e.marker()), e.info().to_string()))),
        };
        let event = &event;
        let complete = match event {
            Event::StreamStart | Event::DocumentEnd | Event::Nothing => continue,
            Event::DocumentStart => {
                if root.is_some() {
                    return Err(Refusal::Other(
                        Diagnostic::error(pos, "", "a deal sheet is one YAML document, found a second `---`")
                            .with_help("put each deal in its own file"),
                    ));
                }
                continue;
            }
            Event::Alias(_) => {
                return Err(Refusal::Other(
                    Diagnostic::error(pos, "", "YAML aliases (`*name`) are not allowed in a deal sheet")
                        .with_help("write the value out in full"),
                ));
            }
            Event::Scalar(text, style, anchor, _) => {
                if *anchor != 0 {
                    return Err(Refusal::Other(anchor_error(pos)));
                }
                Node { pos, value: Value::Scalar { text: text.clone(), plain: *style == TScalarStyle::Plain } }
            }
            Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _) => {
                if *anchor != 0 {
                    return Err(Refusal::Other(anchor_error(pos)));
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(Refusal::Other(too_deep(pos)));
                }
                stack.push(match event {
                    Event::MappingStart(..) => Open::Map { pos, entries: Vec::new(), key: None },
                    _ => Open::Seq { pos, items: Vec::new() },
                });
                continue;
            }
            Event::MappingEnd | Event::SequenceEnd => match stack.pop() {
                // A mapping is placed at its first key (the event's own mark may lie past it).
                Some(Open::Map { pos, entries, .. }) => {
                    Node { pos: entries.first().map_or(pos, |(k, _)| k.pos), value: Value::Map(entries) }
                }
                Some(Open::Seq { pos, items }) => Node { pos, value: Value::Seq(items) },
                None => continue,
            },
            Event::StreamEnd => break,
        };
        // The key path of the mapping being filled, for messages.
        let parents: Vec<String> = stack
            .iter()
            .take(stack.len().saturating_sub(1))
            .map(|open| match open {
                Open::Map { key, .. } => key.as_ref().map_or(String::new(), |k| k.name.clone()),
                Open::Seq { items, .. } => items.len().to_string(),
            })
            .collect();
        match stack.last_mut() {
            None => root = Some(complete),
            Some(Open::Seq { items, .. }) => items.push(complete),
            Some(Open::Map { entries, key, .. }) => match key.take() {
                None => {
                    let name = match complete.value {
                        Value::Scalar { text, .. } => text,
                        _ => {
                            return Err(Refusal::Other(
                                Diagnostic::error(
                                    complete.pos,
                                    "",
                                    "a key must be a plain name, found a mapping or list",
                                )
                                .with_help("write keys as `name: value`"),
                            ));
                        }
                    };
                    *key = Some(Key { name, pos: complete.pos });
                }
                Some(k) => {
                    if let Some((first, _)) = entries.iter().find(|(e, _)| e.name == k.name) {
                        let path = parents.iter().chain([&k.name]).cloned().collect::<Vec<_>>().join(".");
                        duplicates.push(
                            Diagnostic::error(k.pos, path, format!("duplicate key `{}`", k.name))
                                .with_help(format!("it is first given at line {}; keep one", first.pos.line)),
                        );
                    } else {
                        entries.push((k, complete));
                    }
                }
            },
        }
    }
    let root = root
        .unwrap_or(Node { pos: Pos { line: 1, col: 1 }, value: Value::Scalar { text: String::new(), plain: true } });
    Ok((root, duplicates))
}

fn too_deep(pos: Pos) -> Diagnostic {
    Diagnostic::error(pos, "", format!("the YAML is nested more than {MAX_DEPTH} levels deep"))
        .with_help("a deal sheet is at most a few levels deep")
}

fn anchor_error(pos: Pos) -> Diagnostic {
    Diagnostic::error(pos, "", "YAML anchors (`&name`) are not allowed in a deal sheet")
        .with_help("write each value out in full")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scalar(text: &str) -> Value {
        Value::Scalar { text: text.to_string(), plain: true }
    }

    #[test]
    fn keeps_positions_of_keys_and_values() {
        let (node, dups) = parse("a: 1\nb:\n  c: \"x\"\n").unwrap();
        assert!(dups.is_empty());
        let Value::Map(entries) = node.value else { panic!("not a map") };
        assert_eq!(entries[0].0, Key { name: "a".into(), pos: Pos { line: 1, col: 1 } });
        assert_eq!(entries[0].1, Node { pos: Pos { line: 1, col: 4 }, value: scalar("1") });
        let Value::Map(inner) = &entries[1].1.value else { panic!("not a map") };
        assert_eq!(inner[0].1.pos, Pos { line: 3, col: 6 });
        assert_eq!(inner[0].1.value, Value::Scalar { text: "x".into(), plain: false });
    }

    #[test]
    fn reports_duplicate_keys_with_the_first_line() {
        let (_, dups) = parse("a: 1\nb: 2\na: 3\n").unwrap();
        assert_eq!(dups.len(), 1);
        assert_eq!(dups[0].pos, Pos { line: 3, col: 1 });
        assert_eq!(dups[0].help.as_deref(), Some("it is first given at line 1; keep one"));
    }

    #[test]
    fn refuses_syntax_errors_aliases_and_bombs() {
        assert!(parse("a: [1, 2\n").is_err());
        assert!(parse("a: &x 1\nb: *x\n").is_err());
        let bomb = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
        assert!(parse(bomb).is_err());
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse(&deep).is_err());
    }

    #[test]
    fn strips_serde_yaml_locations() {
        assert_eq!(
            strip_location(
                "did not find expected key at line 3 column 5, while parsing a block mapping at line 1 column 1"
            ),
            "did not find expected key, while parsing a block mapping"
        );
    }
}
