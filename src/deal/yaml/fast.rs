//! The common shape of a deal sheet read directly: block mappings and sequences of
//! `key: value` lines, one-line flow collections, plain and quoted one-line scalars,
//! comments. Anything else (anchors, tags, block and multi-line scalars, escapes other
//! than `\"` and `\\`, tabs, a carriage return, control characters, a second document,
//! a duplicate key, a syntax error) gives `None`, and the file is read by `yaml-rust2`,
//! which stays the authority: for every text this reader accepts, the tree is the one
//! `yaml-rust2`'s events build (tests compare the two on every fixture and on generated
//! and mutated sheets). It exists for speed: a batch spent a quarter of its time in the
//! general scanner.

use super::{Key, Node, Value};
use crate::diagnostic::Pos;

/// Deeper than any deal sheet; a deeper file is left to the general parser.
const MAX_DEPTH: usize = 16;

/// More keys in one mapping than any deal sheet has: such a mapping is left to the general
/// parser, whose duplicate-key search is indexed (this reader's is linear).
const MAX_KEYS: usize = 64;

/// The tree of `src`, or `None` when `src` is not in the subset this reader knows.
pub(super) fn parse(src: &str) -> Option<Node> {
    if !plain_characters(src) {
        return None;
    }
    let mut lines = Vec::with_capacity(src.len() / 16);
    let mut seen_content = false;
    for (n, line) in src.split('\n').enumerate() {
        let indent = line.bytes().take_while(|&b| b == b' ').count();
        let text = &line[indent..];
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        if text.starts_with("---") || text.starts_with("...") || text.starts_with('%') {
            // One document-start marker alone on the first line is allowed.
            if !seen_content && indent == 0 && text.trim_end_matches(' ') == "---" {
                seen_content = true;
                continue;
            }
            return None;
        }
        seen_content = true;
        lines.push(Line { no: n + 1, indent, text });
    }
    if lines.is_empty() {
        return None;
    }
    let mut reader = Reader { lines, at: 0, depth: 0 };
    let root = reader.block(None)?;
    (reader.at == reader.lines.len()).then_some(root)
}

/// No tab, carriage return, control character, byte-order mark or character outside
/// YAML's printable set: the general parser's business.
fn plain_characters(src: &str) -> bool {
    if src.bytes().all(|b| (b' '..0x7f).contains(&b) || b == b'\n') {
        return true;
    }
    src.chars().all(|c| {
        matches!(c, ' '..='~' | '\n' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
            && c != '\u{feff}'
    })
}

/// A line with content: its number, its indentation and the text after it.
#[derive(Clone, Copy)]
struct Line<'a> {
    no: usize,
    indent: usize,
    text: &'a str,
}

struct Reader<'a> {
    lines: Vec<Line<'a>>,
    at: usize,
    depth: usize,
}

impl<'a> Reader<'a> {
    fn current(&self) -> Option<Line<'a>> {
        self.lines.get(self.at).copied()
    }

    /// The block that starts at the current line, indented deeper than `parent`.
    fn block(&mut self, parent: Option<usize>) -> Option<Node> {
        let line = self.current()?;
        if parent.is_some_and(|p| line.indent <= p) {
            return None;
        }
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        let node = if is_dash(line.text) {
            self.sequence(line.indent)
        } else if key_of(line.text).is_some() {
            self.mapping(line.indent)
        } else {
            // A scalar alone at the top, or a value on its own line: not in the subset.
            None
        };
        self.depth -= 1;
        node
    }

    /// The block mapping whose keys stand at column `indent`.
    fn mapping(&mut self, indent: usize) -> Option<Node> {
        let mut entries: Vec<(Key, Node)> = Vec::new();
        while let Some(line) = self.current() {
            if line.indent < indent {
                break;
            }
            if line.indent > indent {
                return None;
            }
            let (name, rest) = key_of(line.text)?;
            if entries.len() >= MAX_KEYS || entries.iter().any(|(k, _)| k.name == name) {
                return None;
            }
            let key = Key { name: name.to_string(), pos: Pos { line: line.no, col: indent + 1 } };
            let value_at = line.text.len() - rest.len();
            let value = self.value_after(line, value_at, rest)?;
            entries.push((key, value));
        }
        let pos = entries.first()?.0.pos;
        Some(Node { pos, value: Value::Map(entries) })
    }

    /// The block sequence whose dashes stand at column `indent`.
    fn sequence(&mut self, indent: usize) -> Option<Node> {
        let first = self.current()?;
        let pos = Pos { line: first.no, col: indent + 1 };
        let mut items = Vec::new();
        while let Some(line) = self.current() {
            if line.indent < indent {
                break;
            }
            if line.indent > indent || !is_dash(line.text) {
                return None;
            }
            let after = &line.text[1..];
            let rest = after.trim_start_matches(' ');
            let rest_at = line.indent + 1 + (after.len() - rest.len());
            if key_of(rest).is_some() {
                // `- key: value`: a mapping whose keys stand at the first key's column.
                self.lines[self.at] = Line { no: line.no, indent: rest_at, text: rest };
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return None;
                }
                items.push(self.mapping(rest_at)?);
                self.depth -= 1;
            } else {
                if is_dash(rest) {
                    return None;
                }
                items.push(self.value_after(line, 1 + (after.len() - rest.len()), rest)?);
            }
        }
        Some(Node { pos, value: Value::Seq(items) })
    }

    /// The value written after a key or a dash on `line` (`rest`, at byte `at` of the
    /// line's text), or on the lines below it; moves past them.
    fn value_after(&mut self, line: Line<'a>, at: usize, rest: &str) -> Option<Node> {
        self.at += 1;
        if rest.is_empty() || rest.starts_with('#') {
            // A nested block; an empty value and a list at the key's own column are left
            // to the general parser.
            return match self.current() {
                Some(next) if next.indent > line.indent => self.block(Some(line.indent)),
                _ => None,
            };
        }
        let col = line.indent + 1 + line.text[..at].chars().count();
        let pos = Pos { line: line.no, col };
        let (node, tail) = match rest.as_bytes()[0] {
            b'{' | b'[' => flow(rest, pos, 0)?,
            _ => scalar(rest, pos, false)?,
        };
        if !is_end(tail) {
            return None;
        }
        // A value continued on a deeper line is a multi-line scalar or an error.
        if self.current().is_some_and(|next| next.indent > line.indent) {
            return None;
        }
        Some(node)
    }
}

/// Is `text` a sequence entry: a dash followed by a space or the end of the line?
fn is_dash(text: &str) -> bool {
    text == "-" || text.starts_with("- ")
}

/// `name: rest` with a name of letters, digits, `_` and `-` (not first): the name and
/// what follows the colon and its spaces.
fn key_of(text: &str) -> Option<(&str, &str)> {
    let bytes = text.as_bytes();
    if !bytes.first().is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_') {
        return None;
    }
    let end = bytes.iter().position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-')))?;
    match &text[end..] {
        ":" => Some((&text[..end], "")),
        after if after.starts_with(": ") => Some((&text[..end], after[1..].trim_start_matches(' '))),
        _ => None,
    }
}

/// Nothing but spaces and a comment after a value.
fn is_end(tail: &str) -> bool {
    let rest = tail.trim_start_matches(' ');
    rest.is_empty() || (rest.starts_with('#') && rest.len() < tail.len())
}

/// A scalar at the start of `text` (at `pos`): the node and the text after it. In a
/// flow collection a plain scalar also ends at `,`, `]` and `}`.
fn scalar(text: &str, pos: Pos, in_flow: bool) -> Option<(Node, &str)> {
    let bytes = text.as_bytes();
    match bytes[0] {
        b'"' => {
            let mut out = String::new();
            let mut from = 1;
            let mut i = 1;
            loop {
                match bytes.get(i)? {
                    b'"' => break,
                    b'\\' => {
                        if !matches!(bytes.get(i + 1)?, b'"' | b'\\') {
                            return None;
                        }
                        out.push_str(&text[from..i]);
                        from = i + 1;
                        i += 2;
                    }
                    _ => i += 1,
                }
            }
            out.push_str(&text[from..i]);
            Some((Node { pos, value: Value::Scalar { text: out, plain: false } }, &text[i + 1..]))
        }
        b'\'' => {
            let mut out = String::new();
            let mut from = 1;
            let mut i = 1;
            loop {
                if *bytes.get(i)? == b'\'' {
                    if bytes.get(i + 1) == Some(&b'\'') {
                        out.push_str(&text[from..=i]);
                        i += 2;
                        from = i;
                        continue;
                    }
                    break;
                }
                i += 1;
            }
            out.push_str(&text[from..i]);
            Some((Node { pos, value: Value::Scalar { text: out, plain: false } }, &text[i + 1..]))
        }
        b'-' | b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'%'
        | b'@' | b'`' => None,
        _ => {
            let mut end = bytes.len();
            for (i, &b) in bytes.iter().enumerate() {
                match b {
                    b'#' if bytes[i - 1] == b' ' => {
                        end = i;
                        break;
                    }
                    b':' if bytes.get(i + 1).is_none_or(|&n| n == b' ' || (in_flow && b",[]{}".contains(&n))) => {
                        return None;
                    }
                    b',' | b']' | b'}' if in_flow => {
                        end = i;
                        break;
                    }
                    b'[' | b']' | b'{' | b'}' => return None,
                    // In a flow collection, a word that starts with punctuation after a
                    // space is read differently by different parsers: declined.
                    _ if in_flow && i > 0 && bytes[i - 1] == b' ' && b"-?:#&*!|>'\"%@`".contains(&b) => return None,
                    _ => {}
                }
            }
            let value = text[..end].trim_end_matches(' ');
            if value.is_empty() {
                return None;
            }
            Some((Node { pos, value: Value::Scalar { text: value.to_string(), plain: true } }, &text[value.len()..]))
        }
    }
}

/// A flow mapping or sequence that opens and closes within `text` (at `pos`).
fn flow(text: &str, pos: Pos, depth: usize) -> Option<(Node, &str)> {
    if depth > MAX_DEPTH {
        return None;
    }
    let close = if text.starts_with('{') { '}' } else { ']' };
    let mut rest = text[1..].trim_start_matches(' ');
    let at = |rest: &str| Pos { line: pos.line, col: pos.col + text[..text.len() - rest.len()].chars().count() };
    let mut entries = Vec::new();
    let mut items = Vec::new();
    if let Some(after) = rest.strip_prefix(close) {
        // `{}` is placed where the general parser says; `[]` at its bracket.
        return (close == ']').then_some((Node { pos, value: Value::Seq(items) }, after));
    }
    loop {
        let value_pos;
        if close == '}' {
            let (name, after) = key_of(rest)?;
            if entries.len() >= MAX_KEYS || entries.iter().any(|(k, _): &(Key, Node)| k.name == name) {
                return None;
            }
            let key = Key { name: name.to_string(), pos: at(rest) };
            rest = after;
            value_pos = at(rest);
            let (value, after) = flow_item(rest, value_pos, depth)?;
            entries.push((key, value));
            rest = after;
        } else {
            value_pos = at(rest);
            let (value, after) = flow_item(rest, value_pos, depth)?;
            items.push(value);
            rest = after;
        }
        rest = rest.trim_start_matches(' ');
        match rest.chars().next()? {
            ',' => {
                rest = rest[1..].trim_start_matches(' ');
                if rest.starts_with(close) || rest.starts_with(',') {
                    return None;
                }
            }
            c if c == close => {
                rest = &rest[1..];
                break;
            }
            _ => return None,
        }
    }
    let node = if close == '}' {
        Node { pos: entries.first()?.0.pos, value: Value::Map(entries) }
    } else {
        Node { pos, value: Value::Seq(items) }
    };
    Some((node, rest))
}

/// One value inside a flow collection.
fn flow_item(text: &str, pos: Pos, depth: usize) -> Option<(Node, &str)> {
    match text.as_bytes().first()? {
        b'{' | b'[' => flow(text, pos, depth + 1),
        _ => scalar(text, pos, true),
    }
}

#[cfg(test)]
mod tests {
    use super::super::build_from_events;
    use super::*;
    use std::path::Path;

    /// Every YAML file under `dir`, recursively.
    fn yaml_files(dir: &Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                yaml_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "yaml") {
                out.push((path.display().to_string(), std::fs::read_to_string(&path).unwrap_or_default()));
            }
        }
    }

    /// The direct reader either declines or builds exactly the events' tree.
    fn agrees(name: &str, src: &str) -> bool {
        let Some(fast) = parse(src) else { return false };
        match build_from_events(src) {
            Ok((tree, problems)) => {
                assert!(problems.is_empty(), "{name}: the direct reader accepted a sheet with problems:\n{src}");
                assert_eq!(fast, tree, "{name}: the trees differ:\n{src}");
            }
            Err(_) => panic!("{name}: the direct reader accepted YAML the general parser refuses:\n{src}"),
        }
        true
    }

    fn fixtures() -> Vec<(String, String)> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        yaml_files(&root.join("fixtures"), &mut files);
        yaml_files(&root.join("templates"), &mut files);
        files.sort();
        files
    }

    #[test]
    fn builds_the_general_parsers_tree_for_every_fixture() {
        let files = fixtures();
        let read = files.iter().filter(|(name, src)| agrees(name, src)).count();
        // The common shape is the common case: most sheets are read directly.
        assert!(read * 2 > files.len(), "{read} of {} read directly", files.len());
        for sheet in
            ["fixtures/exhibit-1.4.yaml", "fixtures/finder/lehman.yaml", "fixtures/lenient/flow-style-and-casing.yaml"]
        {
            let (name, src) = files.iter().find(|(n, _)| n.ends_with(sheet)).unwrap();
            assert!(parse(src).is_some(), "{name} is not read directly");
        }
    }

    #[test]
    fn small_shapes_agree_or_are_declined() {
        let accepted = [
            "a: 1\n",
            "---\na: b # c\n",
            "a:\n  b: \"x\\\"y\\\\z\"\n  c: 'it''s'\n",
            "a:\n  - x\n  - { k: v, n: [1, 2, \"3\"] }\n  -   b: 1\n      c: 2\n",
            "a: [ ]\nb: {x: 1}\n",
            "a: Joe's Bar#1, Inc.\n",
            "a: Łódź   \n",
            "list:\n  -\n    a: 1\n",
        ];
        for src in accepted {
            assert!(agrees(src, src), "declined: {src}");
        }
        let declined = [
            "a: &x 1\n",
            "a: *x\n",
            "a: !!str 1\n",
            "a: |\n  x\n",
            "a: b\n  c\n",
            "a:\n- x\n",
            "a:\n",
            "a: 1\na: 2\n",
            "a: \"x\\ty\"\n",
            "a:\tb\n",
            "a: b\r\n",
            "a: {b: c\n",
            "a: b: c\n",
            "x\n",
            "a: 1\n---\nb: 2\n",
            "? a\n: b\n",
            "a: [b: c]\n",
            "a: {}\n",
            "\"a\": 1\n",
            "a: -1\n",
            "a: b]\n",
        ];
        for src in declined {
            assert!(parse(src).is_none(), "accepted: {src:?}");
        }
        // A mapping of thousands of keys goes to the parser with an indexed duplicate search.
        let many = |n: usize| (0..n).map(|i| format!("k{i}: {i}\n")).collect::<String>();
        assert!(parse(&many(MAX_KEYS)).is_some());
        assert!(parse(&many(MAX_KEYS + 1)).is_none());
        let flow = |n: usize| format!("a: {{{}}}\n", (0..n).map(|i| format!("k{i}: 1")).collect::<Vec<_>>().join(", "));
        assert!(parse(&flow(MAX_KEYS)).is_some());
        assert!(parse(&flow(MAX_KEYS + 1)).is_none());
    }

    /// Every fixture, mutated a few thousand ways with YAML's own punctuation: whatever the
    /// direct reader accepts, the general parser reads the same.
    #[test]
    fn mutated_sheets_agree_or_are_declined() {
        const PIECES: [&str; 24] = [
            " ", "  ", "\n", ":", ": ", "-", "- ", "#", " #", "'", "\"", "{", "}", "[", "]", ",", "\\", "a", "é", "\t",
            "~", "!", "&a ", "|",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let files = fixtures();
        let mut read = 0;
        for (name, src) in &files {
            for _ in 0..60 {
                let mut text = src.clone();
                for _ in 0..1 + next(3) {
                    let mut at = next(text.len() + 1);
                    while !text.is_char_boundary(at) {
                        at -= 1;
                    }
                    match next(3) {
                        0 => {
                            let end = (at + 1 + next(4)).min(text.len());
                            let end = (end..=text.len()).find(|&e| text.is_char_boundary(e)).unwrap_or(text.len());
                            text.replace_range(at..end, "");
                        }
                        _ => text.insert_str(at, PIECES[next(PIECES.len())]),
                    }
                }
                if agrees(name, &text) {
                    read += 1;
                }
            }
        }
        assert!(read > 0);
    }
}
