//! clausewright: document assembly for deal lawyers.
//!
//! A deal sheet (YAML) is merged into a clause library (tera templates) and rendered as a
//! finished agreement in Markdown or a typeset PDF. The pipeline is a chain of pure
//! functions over typed values; only [`output`] touches the disk:
//!
//! | stage | function | from | to |
//! | --- | --- | --- | --- |
//! | 1. load | [`deal::load`] | deal-sheet bytes | [`deal::DealSheet`] (validated) or [`Diagnostic`]s |
//! | 0. library | [`library::Library::load`] | manifests and templates (embedded, then `--library` folders) | a checked [`library::Library`] |
//! | 2. assemble | [`assemble::assemble`] | `DealSheet` + its [`library::manifest::Agreement`] | [`assemble::Assembly`] (computed values, sections chosen and numbered, checks run) |
//! | 3. render | [`render::markdown::render`] | `Assembly` + [`library::Library`] | Markdown `String` |
//! | 4. typeset | [`pdf::render`] | Markdown | laid-out pages -> PDF bytes |
//! | 4'. word | [`docx::render`] | Markdown | paragraphs and styles -> DOCX bytes |
//! | 5. write | [`output::write_atomic`] | bytes | a file, written whole or not at all |
//!
//! [`Pipeline`] strings stages 1-4 together for one deal sheet; [`batch`] runs it over many
//! in parallel; [`cli`] is the command line.

pub mod assemble;
pub mod batch;
pub mod cli;
pub mod compare;
pub mod deal;
pub mod diagnostic;
pub mod docx;
pub mod library;
pub mod output;
pub mod pdf;
pub mod render;

pub use diagnostic::Diagnostic;

use library::manifest::Agreement;
use library::Library;

/// The formats an agreement can be rendered in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    Markdown,
    Pdf,
    Docx,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Pdf => "pdf",
            Format::Docx => "docx",
        }
    }
}

/// One rendered agreement: the bytes of each requested format, in [`Format`] order.
#[derive(Debug)]
pub struct Rendered {
    pub outputs: Vec<(Format, Vec<u8>)>,
    /// Warnings about the deal sheet (never errors).
    pub warnings: Vec<Diagnostic>,
    /// The document metadata (title, subject, date from the deal sheet) the PDF and
    /// DOCX carry; a redline's tracked changes are dated with NEW's.
    pub options: pdf::PdfOptions,
}

/// What to render and how.
pub struct Pipeline {
    pub library: Library,
    pub formats: Vec<Format>,
    pub paper: pdf::Paper,
    /// `SOURCE_DATE_EPOCH`, when set: the PDF creation date if the deal sheet has no full date.
    pub source_date_epoch: Option<i64>,
    /// Treat warnings as errors (nothing is written for a deal sheet with warnings).
    pub deny_warnings: bool,
}

impl Pipeline {
    /// Stages 1-4 for one deal sheet. `file` names it in diagnostics.
    pub fn run(&self, bytes: &[u8], file: &str) -> Result<Rendered, Vec<Diagnostic>> {
        // `check` asks for no format and is told everything, the PDF font's coverage included.
        let wants_pdf = self.formats.contains(&Format::Pdf) || self.formats.is_empty();
        let rules = deal::Rules {
            library: &self.library,
            unprintable: wants_pdf.then_some(pdf::unsupported_char as fn(&str) -> Option<char>),
        };
        let deal::Validated { sheet: deal, mut warnings } = deal::load(bytes, file, &rules)?;
        let agreement = self.library.agreement(&deal.agreement).ok_or_else(Vec::new)?;
        let assembly = assemble::assemble(&deal, agreement, &self.library).map_err(|d| vec![d])?;
        let (errors, found): (Vec<Diagnostic>, Vec<Diagnostic>) =
            assembly.findings.iter().cloned().map(|d| d.in_file(file)).partition(Diagnostic::is_error);
        if !errors.is_empty() {
            return Err(errors);
        }
        warnings.extend(found);
        diagnostic::sort(&mut warnings);
        if self.deny_warnings && !warnings.is_empty() {
            return Err(warnings.into_iter().map(Diagnostic::into_error).collect());
        }
        let fail = |message: String| vec![Diagnostic::error(Default::default(), "", message).in_file(file)];
        self.library.prepare(assembly.sections.iter().map(|(clause, _)| *clause))?;
        let markdown =
            render::markdown::render(&self.library, &assembly).map_err(|e| vec![self.library.render_problem(&e)])?;
        let opts = pdf_options(&deal, agreement, self.paper, self.source_date_epoch);
        let mut outputs = Vec::with_capacity(self.formats.len());
        if self.formats.contains(&Format::Pdf) {
            outputs.push((Format::Pdf, pdf::render(&markdown, &opts).map_err(|e| fail(e.to_string()))?));
        }
        if self.formats.contains(&Format::Docx) {
            outputs.push((Format::Docx, docx::render(&markdown, &opts).map_err(|e| fail(e.to_string()))?));
        }
        if self.formats.contains(&Format::Markdown) {
            outputs.insert(0, (Format::Markdown, markdown.into_bytes()));
        }
        Ok(Rendered { outputs, warnings, options: opts })
    }
}

/// PDF metadata from the deal sheet, never from the clock: the title is the agreement's,
/// the subject names the parties, the date is the sheet's first date (its year's first day
/// when only the year is known), else `SOURCE_DATE_EPOCH`.
fn pdf_options(
    deal: &deal::DealSheet,
    agreement: &Agreement,
    paper: pdf::Paper,
    epoch: Option<i64>,
) -> pdf::PdfOptions {
    use chrono::{DateTime, NaiveDate};
    let mut parties = Vec::new();
    let mut dates = Vec::new();
    collect_meta(&agreement.fields, &deal.values, &mut parties, &mut dates);
    let from_epoch = epoch.and_then(|s| DateTime::from_timestamp(s, 0)).map(|d| d.naive_utc());
    let from_sheet = match dates.first() {
        Some(deal::DateForm::Full(d)) => d.and_hms_opt(0, 0, 0),
        _ => None,
    };
    let fallback = || {
        let year = dates.iter().find_map(deal::DateForm::year).unwrap_or(1970);
        NaiveDate::from_ymd_opt(year, 1, 1).and_then(|d| d.and_hms_opt(0, 0, 0)).unwrap_or_default()
    };
    pdf::PdfOptions {
        paper,
        title: agreement.title.clone(),
        subject: parties.join(" and "),
        producer: format!("clausewright {}", env!("CARGO_PKG_VERSION")),
        creation_date: from_sheet.or(from_epoch).unwrap_or_else(fallback),
    }
}

/// The parties' names and the dates of a deal, in declaration order.
fn collect_meta(
    fields: &[library::manifest::Field],
    value: &deal::Val,
    parties: &mut Vec<String>,
    dates: &mut Vec<deal::DateForm>,
) {
    use library::manifest::Kind;
    for field in fields {
        let Some(v) = value.get(&field.name) else { continue };
        match (&field.kind, v) {
            (Kind::Party, _) => parties.extend(v.get("name").and_then(deal::Val::as_text).map(str::to_string)),
            (Kind::Group { fields }, _) => collect_meta(fields, v, parties, dates),
            (_, deal::Val::DateForm(d)) => dates.push(*d),
            (_, deal::Val::Date(d)) => dates.push(deal::DateForm::Full(*d)),
            _ => {}
        }
    }
}
