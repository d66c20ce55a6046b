//! Stage 1: deal-sheet bytes -> a validated [`DealSheet`], or every problem with it.
//!
//! `load` is the one loading path shared by `render`, `check` and batch runs:
//! bytes are checked for size and UTF-8, parsed by [`yaml`] into a positioned tree,
//! then read by [`validate`] into [`Val`]ues typed by the agreement's manifest. All diagnostics come back together,
//! in file order, each naming the file.

pub mod checks;
pub mod states;
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
    let src = decode(bytes).map_err(|d| named(vec![d]))?;
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

/// The text of a deal sheet: at most [`MAX_BYTES`], UTF-8, without a byte-order mark.
fn decode(bytes: &[u8]) -> Result<&str, Diagnostic> {
    let start = Pos { line: 1, col: 1 };
    if bytes.len() > MAX_BYTES {
        return Err(Diagnostic::error(
            start,
            "",
            format!("the file is {} bytes, more than the {} a deal sheet may have", bytes.len(), MAX_BYTES),
        )
        .with_help("a deal sheet is a short YAML file; check that this is the right file"));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        let line = good.iter().filter(|b| **b == b'\n').count() + 1;
        let line_start = good.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        let col = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
        let byte = bytes.get(e.valid_up_to()).copied().unwrap_or(0);
        Diagnostic::error(
            Pos { line, col },
            "",
            format!("the file is not UTF-8 text: byte 0x{byte:02X} cannot start a character"),
        )
        .with_help("save the deal sheet as UTF-8 (most editors: File > Save with Encoding > UTF-8)")
    })
}
