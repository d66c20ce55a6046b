//! Diagnostics: problems found in a deal sheet, kept as data.
//!
//! Every stage that can reject input returns `Vec<Diagnostic>` instead of stopping at
//! the first problem, so `check` can report everything wrong with a deal sheet at once.
//! A diagnostic carries its own position (file, 1-based line and column), the key path
//! of the offending value (`fee.monthly`), what was expected, what was found, and an
//! optional hint (`help:`), typically the closest valid key or value.

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term;
use serde::Serialize;
use std::fmt;

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// A position in a source file: 1-based line and column (in characters).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

/// One problem with one value of a deal sheet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file as the user named it.
    pub file: String,
    /// Line 0 for a problem with the whole file (it cannot be read, it is too large):
    /// written `null` in JSON, never as a made-up position.
    #[serde(serialize_with = "pos_or_null")]
    pub pos: Pos,
    /// The key path of the value, e.g. `client.signatory.name`; empty for the whole file
    /// (`null` in JSON).
    #[serde(serialize_with = "path_or_null")]
    pub path: String,
    /// What is wrong, one sentence without a final period.
    pub message: String,
    /// A hint that fixes it: the closest key, the allowed range, the expected form.
    pub help: Option<String>,
}

fn pos_or_null<S: serde::Serializer>(pos: &Pos, s: S) -> Result<S::Ok, S::Error> {
    if pos.line == 0 {
        s.serialize_none()
    } else {
        s.serialize_some(pos)
    }
}

fn path_or_null<S: serde::Serializer>(path: &str, s: S) -> Result<S::Ok, S::Error> {
    if path.is_empty() {
        s.serialize_none()
    } else {
        s.serialize_some(path)
    }
}

impl Diagnostic {
    /// An error at `pos` about the value at `path`.
    pub fn error(pos: Pos, path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: String::new(),
            pos,
            path: path.into(),
            message: message.into(),
            help: None,
        }
    }

    /// A warning: reported, but does not block rendering unless warnings are denied.
    pub fn warning(pos: Pos, path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(pos, path, message) }
    }

    /// Adds a `help:` line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Names the file the diagnostic belongs to.
    pub fn in_file(mut self, file: &str) -> Self {
        self.file = file.to_string();
        self
    }

    /// The same diagnostic as an error (for `--deny-warnings`).
    pub fn into_error(self) -> Self {
        Diagnostic { severity: Severity::Error, ..self }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// One line, then an optional help line:
    /// `file:3:7: error: fee.monthly: expected ..., found ...`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}:{}:{}: {kind}: ", self.file, self.pos.line, self.pos.col)?;
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        write!(f, "{}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// Renders diagnostics like a compiler does: the message, `--> file:line:col`, the source
/// line with a caret under the offending key or value, and the `help:` line. Without the
/// source (or for a problem with the whole file) the message stands alone.
pub fn render(diagnostics: &[Diagnostic], source: Option<&str>) -> String {
    render_styled(diagnostics, source, false)
}

/// [`render`], coloured with ANSI escapes like cargo's messages when `color` is true.
pub fn render_styled(diagnostics: &[Diagnostic], source: Option<&str>, color: bool) -> String {
    let mut out = String::new();
    let shown = source.map(visible);
    let source = shown.as_deref();
    for d in diagnostics {
        let severity = match d.severity {
            Severity::Error => cs::Severity::Error,
            Severity::Warning => cs::Severity::Warning,
        };
        let message = if d.path.is_empty() { d.message.clone() } else { format!("{}: {}", d.path, d.message) };
        let mut diag = cs::Diagnostic::new(severity).with_message(message);
        let span = source.filter(|_| d.pos.line > 0).and_then(|src| span_at(src, d.pos));
        let file = SimpleFile::new(d.file.as_str(), source.unwrap_or(""));
        if let Some(range) = span {
            let label = if d.path.is_empty() { String::new() } else { d.path.clone() };
            diag = diag.with_labels(vec![cs::Label::primary((), range).with_message(label)]);
        } else {
            let pos = if d.pos.line > 0 { format!(":{}:{}", d.pos.line, d.pos.col) } else { String::new() };
            diag = diag.with_notes(vec![format!("in {}{pos}", d.file)]);
        }
        if let Some(help) = &d.help {
            diag.notes.push(format!("help: {help}"));
        }
        let config = term::Config { chars: term::Chars::ascii(), ..term::Config::default() };
        let text = if color {
            let mut buffer = term::termcolor::Buffer::ansi();
            term::emit_to_write_style(&mut buffer, &config, &file, &diag)
                .map(|()| String::from_utf8_lossy(buffer.as_slice()).into_owned())
        } else {
            term::emit_into_string(&config, &file, &diag)
        };
        match text {
            Ok(text) => out.push_str(&text),
            Err(_) => out.push_str(&format!("{d}\n\n")),
        }
    }
    out
}

/// The source as quoted under a message: control characters (a NUL, Ctrl-Z) become their
/// visible Control Pictures (U+2400 to U+241F), so they show where they are instead of
/// acting on the terminal. Line breaks and tabs are kept.
fn visible(source: &str) -> String {
    source
        .chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            '\0'..='\u{1F}' => char::from_u32(0x2400 + c as u32).unwrap_or(c),
            '\u{7F}' => '\u{2421}',
            c if c.is_control() => '\u{FFFD}',
            c => c,
        })
        .collect()
}

/// Longer source lines are not quoted (the position is still given).
const MAX_SHOWN_LINE: usize = 200;

/// The byte range of the token starting at `pos`: a quoted string to its closing quote,
/// otherwise to the end of the line or a ` #` comment.
fn span_at(src: &str, pos: Pos) -> Option<std::ops::Range<usize>> {
    let line_start = if pos.line == 1 { 0 } else { src.match_indices('\n').nth(pos.line - 2)?.0 + 1 };
    let line = src[line_start..].split('\n').next()?.trim_end_matches('\r');
    if line.chars().count() > MAX_SHOWN_LINE {
        return None;
    }
    let col_byte = line.char_indices().nth(pos.col.saturating_sub(1)).map_or(line.len(), |(i, _)| i);
    let rest = &line[col_byte..];
    let len = match rest.chars().next() {
        Some(q @ ('"' | '\'')) => rest[1..].find(q).map_or(rest.len(), |i| i + 2),
        Some(_) => {
            let end = rest.find(" #").unwrap_or(rest.len());
            let token = rest[..end].trim_end();
            // A key ends at its colon.
            match token.find(": ").or_else(|| token.strip_suffix(':').map(str::len)) {
                Some(colon) if !token.starts_with(['[', '{']) => colon,
                _ => token.len(),
            }
        }
        None => 0,
    };
    Some(line_start + col_byte..line_start + col_byte + len.max(1).min(rest.len().max(1)))
}

/// Puts diagnostics in file order (line, then column), errors before warnings at one place.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| (a.pos, b.severity).cmp(&(b.pos, a.severity)));
}

/// The closest candidate to `found` by edit distance, if it is close enough to be a typo.
pub fn closest<'a>(found: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let found_lower = found.to_lowercase();
    let candidates: Vec<&str> = candidates.into_iter().collect();
    if found_lower.len() >= 3 {
        if let Some(c) = candidates.iter().find(|c| c.to_lowercase().starts_with(&found_lower)) {
            return Some(c);
        }
    }
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(&found_lower, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.chars().count() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_finds_typos_and_refuses_strangers() {
        let keys = ["monthly", "payment"];
        assert_eq!(closest("montly", keys), Some("monthly"));
        assert_eq!(closest("paymnet", keys), Some("payment"));
        assert_eq!(closest("colour", keys), None);
    }

    #[test]
    fn json_has_no_made_up_position_for_a_whole_file_problem() {
        let d = Diagnostic::error(Pos::default(), "", "cannot read the deal sheet").in_file("a.yaml");
        let v: serde_json::Value = serde_json::to_value(&d).unwrap();
        assert!(v["pos"].is_null() && v["path"].is_null(), "{v}");
        let d = Diagnostic::error(Pos { line: 2, col: 3 }, "fee", "x");
        let v: serde_json::Value = serde_json::to_value(&d).unwrap();
        assert_eq!((v["pos"]["line"].as_u64(), v["path"].as_str()), (Some(2), Some("fee")));
    }

    #[test]
    fn colour_is_ansi_and_only_on_request() {
        let d = [Diagnostic::error(Pos { line: 1, col: 1 }, "a", "bad").in_file("f.yaml")];
        assert!(!render(&d, Some("a: 1\n")).contains('\x1b'));
        assert!(render_styled(&d, Some("a: 1\n"), true).contains("\x1b["));
    }

    #[test]
    fn display_names_file_position_path_and_help() {
        let d = Diagnostic::error(Pos { line: 3, col: 7 }, "fee.monthly", "expected money, found `x`")
            .with_help("write it as 4000.00")
            .in_file("deal.yaml");
        assert_eq!(
            d.to_string(),
            "deal.yaml:3:7: error: fee.monthly: expected money, found `x`\n  help: write it as 4000.00"
        );
    }
}
