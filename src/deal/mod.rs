//! Stage 1: deal-sheet bytes -> a validated [`DealSheet`], or every problem with it.
//!
//! `load` is the one loading path shared by `render`, `check` and batch runs:
//! bytes are checked for size and UTF-8, parsed by [`yaml`] into a positioned tree,
//! then read by [`validate`] into [`Val`]ues typed by the agreement's manifest. All diagnostics come back together,
//! in file order, each naming the file.

pub mod checks;
pub mod states;
pub mod text;
pub mod validate;
pub mod value;
pub mod yaml;

use crate::diagnostic::{self, Diagnostic, Pos};

/// Larger than any real deal sheet (they are under 2 KiB); refusing early keeps a
/// 10 MB mistake from costing time or memory.
pub const MAX_BYTES: usize = 256 * 1024;

pub use validate::{DealSheet, Rules, Validated};
pub use value::{DateForm, Val};

/// Loads one deal sheet. `file` is the name printed in diagnostics.
/// Warnings (which never block rendering) come back with the valid sheet.
pub fn load(bytes: &[u8], file: &str, rules: &Rules) -> Result<Validated, Vec<Diagnostic>> {
    let named = |mut ds: Vec<Diagnostic>| {
        diagnostic::sort(&mut ds);
        ds.into_iter().map(|d| d.in_file(file)).collect::<Vec<_>>()
    };
    let src = decode(bytes).map_err(named)?;
    let (root, mut problems) = yaml::parse(src).map_err(|d| named(vec![d]))?;
    match validate::validate(root, rules) {
        Ok(valid) if problems.is_empty() => Ok(Validated { sheet: valid.sheet, warnings: named(valid.warnings) }),
        Ok(_) => Err(named(problems)),
        Err(more) => {
            problems.extend(more);
            Err(named(problems))
        }
    }
}

/// The text of a deal sheet: at most [`MAX_BYTES`], UTF-8 without a byte-order mark, and
/// no control character but tab and line breaks. A NUL byte would end the YAML parser's
/// reading early (the rest of the file silently lost), so every control character is
/// refused here, at its own line and column.
fn decode(bytes: &[u8]) -> Result<&str, Vec<Diagnostic>> {
    if bytes.len() > MAX_BYTES {
        return Err(vec![too_big(bytes.len())]);
    }
    if let Some(d) = utf16(bytes) {
        return Err(vec![d]);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| vec![not_utf8(bytes, &e)])?;
    let mut problems = Vec::new();
    let mut last_line = 0;
    for (at, c) in text.char_indices().filter(|(_, c)| forbidden_control(*c)) {
        let pos = pos_at(&bytes[..at]);
        // One per line: the line is what the user retypes.
        if pos.line != last_line {
            last_line = pos.line;
            problems.push(control_character(pos, c));
        }
    }
    if problems.is_empty() {
        Ok(text)
    } else {
        Err(problems)
    }
}

/// The size refusal, shared by the decoder and readers that know the size before reading.
pub fn too_big(len: usize) -> Diagnostic {
    Diagnostic::error(
        Pos { line: 1, col: 1 },
        "",
        format!("the file is {len} bytes, more than the {MAX_BYTES} a deal sheet may have"),
    )
    .with_help("a deal sheet is a short YAML file; check that this is the right file")
}

/// The line and column just after `before` (1-based, columns in characters). `\n`,
/// `\r\n` and a lone `\r` each end a line, as in YAML.
pub fn pos_at(before: &[u8]) -> Pos {
    let mut line = 1;
    let mut line_start = 0;
    for (i, b) in before.iter().enumerate() {
        let ends_line = *b == b'\n' || (*b == b'\r' && before.get(i + 1) != Some(&b'\n'));
        if ends_line {
            line += 1;
            line_start = i + 1;
        }
    }
    let col = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
    Pos { line, col }
}

/// Control characters YAML does not allow in a file (tab and line breaks are allowed;
/// NEL U+0085 is a YAML line break), and the non-characters U+FFFE and U+FFFF.
pub fn forbidden_control(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{85}')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

fn control_character(pos: Pos, c: char) -> Diagnostic {
    let code = c as u32;
    let (what, help) = match c {
        '\0' => (
            "a NUL byte (U+0000)".to_string(),
            "delete it: a deal sheet is plain text, and everything after a NUL would be lost (a NUL often means the file was saved by a word processor or is damaged)",
        ),
        '\u{1A}' => (
            "the control character U+001A (Ctrl-Z, an old end-of-file mark)".to_string(),
            "delete it: a deal sheet is plain text; tab and line breaks are the only control characters allowed",
        ),
        _ => (
            format!("the control character U+{code:04X}"),
            "delete it: a deal sheet is plain text; tab and line breaks are the only control characters allowed",
        ),
    };
    Diagnostic::error(pos, "", format!("the file contains {what}")).with_help(help)
}

/// A UTF-16 file: a UTF-16 byte-order mark, or (without one) the zero bytes that ASCII
/// text has in every other position when it is stored as UTF-16.
fn utf16(bytes: &[u8]) -> Option<Diagnostic> {
    let bom = bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF");
    let head = &bytes[..bytes.len().min(64)];
    let zeros_at = |parity: usize| head.iter().skip(parity).step_by(2).filter(|b| **b == 0).count();
    let half = head.len() / 2;
    let looks = head.len() >= 4 && (zeros_at(0) * 4 >= half * 3 || zeros_at(1) * 4 >= half * 3);
    (bom || looks).then(|| {
        let how = if bom { "it starts with a UTF-16 byte-order mark" } else { "every other byte is zero" };
        Diagnostic::error(Pos { line: 1, col: 1 }, "", format!("the file is UTF-16 text, not UTF-8 ({how})"))
            .with_help("save the deal sheet as UTF-8 (most editors: File > Save with Encoding > UTF-8)")
    })
}

/// Says what is wrong with the first byte that is not UTF-8: a sequence cut short, a
/// continuation byte with no start, or a byte that never appears in UTF-8.
fn not_utf8(bytes: &[u8], e: &std::str::Utf8Error) -> Diagnostic {
    let at = e.valid_up_to();
    let byte = bytes.get(at).copied().unwrap_or(0);
    let width = match byte {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => 0,
    };
    let next = bytes.get(at + 1..).unwrap_or_default().iter().take(width.max(1) - 1).find(|b| **b & 0xC0 != 0x80);
    let what = match (width, e.error_len(), next) {
        (0, _, _) if (0x80..=0xBF).contains(&byte) => {
            format!("byte 0x{byte:02X} continues a character, but no character was started")
        }
        (0, _, _) => format!("byte 0x{byte:02X} never appears in UTF-8 text"),
        (_, None, _) => format!("the file ends in the middle of a character (byte 0x{byte:02X} starts a {width}-byte character)"),
        (_, _, Some(b)) => format!(
            "a character is cut short: byte 0x{byte:02X} starts a {width}-byte character, but the byte after it (0x{b:02X}) does not continue it"
        ),
        (_, _, None) => format!("byte 0x{byte:02X} and the bytes after it do not form a valid character"),
    };
    let help = if (0xA0..=0xFF).contains(&byte) {
        // The common case: a Latin-1 or Windows-1252 file, where every accented letter is one byte.
        format!("save the deal sheet as UTF-8 (most editors: File > Save with Encoding > UTF-8); in Latin-1 or Windows-1252, 0x{byte:02X} is `{}`", char::from(byte))
    } else {
        "save the deal sheet as UTF-8 (most editors: File > Save with Encoding > UTF-8)".to_string()
    };
    Diagnostic::error(pos_at(&bytes[..at]), "", format!("the file is not UTF-8 text: {what}")).with_help(help)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(bytes: &[u8]) -> Diagnostic {
        decode(bytes).unwrap_err().remove(0)
    }

    #[test]
    fn a_nul_byte_anywhere_is_refused_at_its_line_and_column() {
        let d = first(b"a: 1\n# note\0\nb: 2\n");
        assert_eq!(d.pos, Pos { line: 2, col: 7 });
        assert!(d.message.contains("NUL"), "{}", d.message);
    }

    #[test]
    fn control_characters_are_placed_where_they_are_one_per_line() {
        let ds = decode(b"a: 1\r\nb: \"x\x07y\x07\"\rc: \x1a").unwrap_err();
        let at: Vec<Pos> = ds.iter().map(|d| d.pos).collect();
        assert_eq!(at, [Pos { line: 2, col: 6 }, Pos { line: 3, col: 4 }]);
        assert!(ds[1].message.contains("Ctrl-Z"));
        assert!(decode(b"a:\tb\r\n\xc2\x85").is_ok(), "tab, CR LF and NEL are allowed");
    }

    #[test]
    fn utf16_is_named_with_or_without_a_byte_order_mark() {
        let le: Vec<u8> = "agreement: x\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = "agreement: x\n".encode_utf16().flat_map(u16::to_be_bytes).collect();
        for bytes in [le.clone(), be, [b"\xFF\xFE".as_slice(), &le].concat()] {
            assert!(first(&bytes).message.contains("UTF-16"), "{:?}", first(&bytes));
        }
    }

    #[test]
    fn utf8_errors_say_what_is_wrong_with_the_byte() {
        let cut = first(b"name: NeoTh\xC3(rapeutics\n");
        assert!(cut.message.contains("cut short: byte 0xC3 starts a 2-byte character"), "{}", cut.message);
        assert_eq!(cut.pos, Pos { line: 1, col: 12 });
        assert!(first(b"a: \xE2\x82").message.contains("ends in the middle of a character"));
        assert!(first(b"a: \x80").message.contains("continues a character"));
        assert!(first(b"a: \xFF").message.contains("never appears"));
        let latin1 = first(b"a: 1\rname: NeoTh\xE9rapeutics");
        assert_eq!(latin1.pos, Pos { line: 2, col: 12 }, "a lone CR ends a line");
        assert!(latin1.help.unwrap().contains("0xE9 is `\u{e9}`"));
    }

    #[test]
    fn size_is_checked_first() {
        assert!(first(&vec![b'#'; MAX_BYTES + 1]).message.contains("more than the 262144"));
        assert!(decode(&vec![b'#'; MAX_BYTES]).is_ok());
    }
}
