//! Stage 4: arbitrary UTF-8 text as Markdown -> `pdf::render`. An `Err(PdfError)` is
//! acceptable; a panic, hang or OOM is not.
#![no_main]

use clausewright::pdf::{self, PdfOptions};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn options() -> &'static PdfOptions {
    static OPTS: OnceLock<PdfOptions> = OnceLock::new();
    OPTS.get_or_init(|| PdfOptions {
        paper: Default::default(),
        title: "t".into(),
        subject: "s".into(),
        producer: "p".into(),
        creation_date: chrono::NaiveDate::from_ymd_opt(1999, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap(),
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(markdown) = std::str::from_utf8(data) else { return };
    if let Ok(bytes) = pdf::render(markdown, options()) {
        assert!(bytes.starts_with(b"%PDF-"), "pdf::render returned bytes that are not a PDF");
    }
});
