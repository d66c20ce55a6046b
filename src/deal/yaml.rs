//! YAML loading: the one module that knows about YAML.
//!
//! A deal sheet is read by one pass, with a second for error messages:
//! 1. `yaml-rust2`'s marked event stream builds a [`Node`] tree in which every key and
//!    value keeps its position, so validation can point at `file:line:col` for each
//!    problem (serde_yaml drops positions once parsing succeeds). It stops at once on
//!    anchors and aliases (no alias bombs) and on nesting deeper than any deal sheet.
//!    A sheet of the common shape (`key: value` lines, one-line flow collections and
//!    scalars) is read directly into the same tree by `yaml/fast.rs`, about three times faster; any
//!    other text goes to `yaml-rust2`.
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

mod fast;

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
        Err(Refusal::Syntax(d)) => {
            let d = syntax_check(src).err().unwrap_or(d);
            Err(unclosed_quote(src).filter(|q| q.pos.line <= d.pos.line).unwrap_or(d))
        }
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

/// A quoted value that is not closed on the line where it opens. The parser reads on into
/// the following lines and reports the damage far below (or at the end of the file);
/// the cause is the opening quote. A deal sheet's values each fit on one line.
fn unclosed_quote(src: &str) -> Option<Diagnostic> {
    for (n, line) in src.lines().enumerate() {
        let mut chars = line.char_indices().peekable();
        let mut prev = None; // the last character outside quotes that is not a space
        while let Some((at, c)) = chars.next() {
            let comment = c == '#' && line[..at].chars().next_back().is_none_or(char::is_whitespace);
            if comment {
                break;
            }
            let opens = matches!(c, '"' | '\'') && matches!(prev, None | Some(':' | '-' | '[' | '{' | ',' | '?'));
            if !opens {
                if !c.is_whitespace() {
                    prev = Some(c);
                }
                continue;
            }
            let col = line[..chars.peek().map_or(line.len(), |(i, _)| *i)].chars().count();
            let mut closed = false;
            while let Some((_, d)) = chars.next() {
                match (c, d) {
                    ('"', '\\') => {
                        chars.next();
                    }
                    ('\'', '\'') if chars.peek().is_some_and(|(_, e)| *e == '\'') => {
                        chars.next();
                    }
                    _ if d == c => {
                        closed = true;
                        break;
                    }
                    _ => {}
                }
            }
            if !closed {
                return Some(
                    syntax_error(
                        Pos { line: n + 1, col },
                        format!("the quote {c} opened here is not closed on its line"),
                    )
                    .with_help(format!(
                        "end the value with {c} on the same line; a deal sheet's values each fit on one line"
                    )),
                );
            }
            prev = Some(c);
        }
    }
    None
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
    Map {
        pos: Pos,
        entries: Vec<(Key, Node)>,
        key: Option<Key>,
        /// Each key of a large mapping with its line, so a duplicate is found in O(log n)
        /// (a sheet of 26,000 junk keys took seconds with a linear search); a mapping of a
        /// few keys, the common case, is searched directly.
        seen: std::collections::BTreeMap<String, usize>,
    },
    Seq {
        pos: Pos,
        items: Vec<Node>,
    },
}

/// Up to this many keys, a mapping is searched for a duplicate key without an index.
const SMALL_MAP: usize = 16;

/// The line where `name` is first given in a mapping, if it is already there.
fn first_given(
    entries: &[(Key, Node)],
    seen: &mut std::collections::BTreeMap<String, usize>,
    name: &str,
) -> Option<usize> {
    if entries.len() <= SMALL_MAP {
        return entries.iter().find(|(k, _)| k.name == name).map(|(k, _)| k.pos.line);
    }
    // The index covers a prefix of the entries (keys are unique, so its size is that prefix).
    for (k, _) in &entries[seen.len()..] {
        seen.insert(k.name.clone(), k.pos.line);
    }
    seen.get(name).copied()
}

/// The key path of the mapping being filled, for messages: the keys and indexes of the
/// containers around it.
fn key_path(below: &[Open], name: &str) -> String {
    let mut parts: Vec<String> = below
        .iter()
        .map(|open| match open {
            Open::Map { key, .. } => key.as_ref().map_or(String::new(), |k| k.name.clone()),
            Open::Seq { items, .. } => items.len().to_string(),
        })
        .collect();
    parts.push(name.to_string());
    parts.join(".")
}

/// Pass 1: the tree, read directly when the text has a deal sheet's common shape.
fn build(src: &str) -> Result<(Node, Vec<Diagnostic>), Refusal> {
    match fast::parse(src) {
        Some(root) => Ok((root, Vec::new())),
        None => build_from_events(src),
    }
}

/// Pass 1 for any YAML: the marked events, streamed into a tree.
fn build_from_events(src: &str) -> Result<(Node, Vec<Diagnostic>), Refusal> {
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
        let complete = match event {
            Event::StreamStart | Event::DocumentEnd | Event::Nothing => continue,
            Event::DocumentStart => {
                if root.is_some() {
                    return Err(Refusal::Other(second_document(src, pos)));
                }
                continue;
            }
            Event::Alias(_) => {
                return Err(Refusal::Other(
                    Diagnostic::error(pos, "", "YAML aliases (`*name`) are not allowed in a deal sheet")
                        .with_help("write the value out in full"),
                ));
            }
            Event::Scalar(text, style, anchor, tag) => {
                if anchor != 0 {
                    return Err(Refusal::Other(anchor_error(pos)));
                }
                if let Some(tag) = &tag {
                    duplicates.push(tag_error(src, pos, tag));
                }
                Node { pos, value: Value::Scalar { text, plain: style == TScalarStyle::Plain } }
            }
            Event::MappingStart(anchor, ref tag) | Event::SequenceStart(anchor, ref tag) => {
                if anchor != 0 {
                    return Err(Refusal::Other(anchor_error(pos)));
                }
                if let Some(tag) = tag {
                    duplicates.push(tag_error(src, pos, tag));
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(Refusal::Other(too_deep(pos)));
                }
                stack.push(match event {
                    Event::MappingStart(..) => {
                        Open::Map { pos, entries: Vec::new(), key: None, seen: Default::default() }
                    }
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
        match stack.split_last_mut() {
            None => root = Some(complete),
            Some((Open::Seq { items, .. }, _)) => items.push(complete),
            Some((Open::Map { entries, key, seen, .. }, below)) => match key.take() {
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
                Some(k) => match first_given(entries, seen, &k.name) {
                    Some(first_line) => duplicates.push(
                        Diagnostic::error(k.pos, key_path(below, &k.name), format!("duplicate key `{}`", k.name))
                            .with_help(format!("it is first given at line {first_line}; keep one")),
                    ),
                    None => entries.push((k, complete)),
                },
            },
        }
    }
    let root = root
        .unwrap_or(Node { pos: Pos { line: 1, col: 1 }, value: Value::Scalar { text: String::new(), plain: true } });
    Ok((root, duplicates))
}

/// A second document: after a second `---`, or after the end marker `...` (where the
/// event's position is the text that follows it).
fn second_document(src: &str, pos: Pos) -> Diagnostic {
    let line = src.lines().nth(pos.line.saturating_sub(1)).unwrap_or_default();
    let at: String = line.chars().skip(pos.col.saturating_sub(1)).take(3).collect();
    if at == "---" {
        Diagnostic::error(pos, "", "a deal sheet is one YAML document, found a second `---`")
            .with_help("put each deal in its own file")
    } else {
        Diagnostic::error(pos, "", "a deal sheet is one YAML document, but text follows the end marker `...`")
            .with_help("delete the `...` line, or everything after it")
    }
}

/// Tags change how a value is read (`!!binary`, `!!str 18`); a deal sheet's values are
/// read by the key they belong to, so a tag is refused rather than silently ignored.
fn tag_error(src: &str, pos: Pos, tag: &yaml_rust2::parser::Tag) -> Diagnostic {
    let shown = match tag.handle.as_str() {
        "tag:yaml.org,2002:" => format!("!!{}", tag.suffix),
        handle => format!("{handle}{}", tag.suffix),
    };
    // The event is placed at the value; point at the tag itself, written before it.
    let pos = byte_of(src, pos).and_then(|end| src[..end].rfind(&shown)).map_or(pos, |at| position(src, at));
    Diagnostic::error(pos, "", format!("YAML tags (`{shown}`) are not allowed in a deal sheet"))
        .with_help("remove the tag and write the value plainly; put text in quotes")
}

/// The byte offset of a 1-based line and column (in characters).
fn byte_of(src: &str, pos: Pos) -> Option<usize> {
    let line_start = if pos.line <= 1 { 0 } else { src.match_indices('\n').nth(pos.line - 2)?.0 + 1 };
    let line = &src[line_start..];
    Some(line_start + line.char_indices().nth(pos.col.saturating_sub(1)).map_or(line.len(), |(i, _)| i))
}

/// The 1-based line and column of a byte offset.
fn position(src: &str, at: usize) -> Pos {
    let before = &src[..at];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Pos { line: before.matches('\n').count() + 1, col: before[line_start..].chars().count() + 1 }
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
    fn finds_duplicate_keys_in_small_and_large_mappings_with_their_paths() {
        // Small mappings are searched directly, large ones through an index: same answers.
        for n in [3, SMALL_MAP, SMALL_MAP + 1, 40] {
            let keys: String = (0..n).map(|i| format!("      k{i}: {i}\n")).collect();
            let src = format!("a:\n  - x: 1\n  - b:\n{keys}      k1: again\n      k{}: again\n", n - 1);
            let (node, dups) = parse(&src).unwrap();
            assert_eq!(dups.len(), 2, "{n} keys");
            assert_eq!(dups[0].path, "a.1.b.k1");
            assert_eq!(dups[0].pos, Pos { line: n + 4, col: 7 });
            assert_eq!(dups[0].help.as_deref(), Some("it is first given at line 5; keep one"));
            assert_eq!(dups[1].path, format!("a.1.b.k{}", n - 1));
            assert_eq!(
                dups[1].help.as_deref(),
                Some(format!("it is first given at line {}; keep one", n + 3).as_str())
            );
            // The first value is kept.
            let Value::Map(top) = node.value else { panic!("not a map") };
            let Value::Seq(items) = &top[0].1.value else { panic!("not a list") };
            let Value::Map(b) = &items[1].value else { panic!("not a map") };
            let Value::Map(inner) = &b[0].1.value else { panic!("not a map") };
            assert_eq!(inner.len(), n);
            assert_eq!(inner[1].1.value, scalar("1"));
        }
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
    fn refuses_tags_at_their_value() {
        for (src, shown, col) in [
            ("a: !!binary TmVv\n", "!!binary", 4),
            ("a: !!str 18\n", "!!str", 4),
            ("a: !custom x\n", "!custom", 4),
            ("a: !!seq\n  b: 1\n", "!!seq", 4),
            ("a: !18\n", "!18", 4),
        ] {
            let (_, problems) = parse(src).unwrap();
            assert_eq!(problems.len(), 1, "{src}");
            assert!(problems[0].message.contains(&format!("`{shown}`")), "{src}: {}", problems[0].message);
            assert_eq!(problems[0].pos, Pos { line: 1, col }, "{src}");
        }
    }

    #[test]
    fn text_after_the_end_marker_is_not_called_a_second_dash_line() {
        let d = parse("a: 1\n...\n# note\nb: 2\n").unwrap_err();
        assert!(d.message.contains("text follows the end marker `...`"), "{}", d.message);
        let d = parse("a: 1\n---\nb: 2\n").unwrap_err();
        assert!(d.message.contains("found a second `---`"), "{}", d.message);
        assert_eq!(d.pos.line, 2);
    }

    #[test]
    fn an_unclosed_quote_is_reported_where_it_opens() {
        for (src, line, col) in [
            ("a: 1\nb:\n  name: \"Neo, Inc.\n  title: \"CEO\"\nc: 2\nd: 3\n", 3, 9),
            ("a: 1\nname: 'Neo, Inc.\nc: 2\n", 2, 7),
            ("a: 'it''s' # it's\nb: [\"x\", \"y]\n", 2, 10),
        ] {
            let d = parse(src).unwrap_err();
            assert!(d.message.contains("is not closed on its line"), "{src}: {d:?}");
            assert_eq!(d.pos, Pos { line, col }, "{src}");
        }
        // Apostrophes inside plain values and comments are not quotes.
        assert!(parse("a: Joe's Bar\n# it's 'fine\nb: [ok]\n").is_ok());
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
