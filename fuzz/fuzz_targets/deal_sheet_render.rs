//! Stages 1-3: arbitrary bytes -> `Pipeline::run` with Markdown output only.
#![no_main]

use clausewright::library::Library;
use clausewright::{Format, Pipeline};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn pipeline() -> &'static Pipeline {
    static PIPELINE: OnceLock<Pipeline> = OnceLock::new();
    PIPELINE.get_or_init(|| Pipeline {
        library: Library::embedded().expect("the embedded library parses"),
        formats: vec![Format::Markdown],
        paper: Default::default(),
        source_date_epoch: None,
        deny_warnings: false,
    })
}

fuzz_target!(|data: &[u8]| {
    match pipeline().run(data, "fuzz.yaml") {
        Ok(rendered) => {
            assert_eq!(rendered.outputs.len(), 1);
            let (format, bytes) = &rendered.outputs[0];
            assert_eq!(*format, Format::Markdown);
            assert!(!bytes.is_empty(), "a valid deal sheet rendered to nothing");
            assert!(std::str::from_utf8(bytes).is_ok());
        }
        Err(diagnostics) => {
            // A deal sheet that loads must render: a render failure (an `Err` with a
            // diagnostic at line 0, path "") means the templates and the validator disagree.
            // An empty list is never a valid refusal either.
            assert!(!diagnostics.is_empty(), "run failed without a diagnostic");
            for d in &diagnostics {
                assert!(
                    !d.message.starts_with("the clause library failed to render")
                        && !d.message.starts_with("cannot pass the deal sheet"),
                    "a loaded deal sheet failed to render: {d}"
                );
            }
        }
    }
});
