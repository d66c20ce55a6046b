//! Temporary stand-in for the PDF stage while it is being written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Paper {
    #[default]
    Letter,
    A4,
}
pub struct PdfOptions {
    pub paper: Paper,
    pub title: String,
    pub subject: String,
    pub producer: String,
    pub creation_date: chrono::NaiveDateTime,
}
#[derive(Debug)]
pub struct PdfError(String);
impl std::fmt::Display for PdfError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
pub fn render(_markdown: &str, _opts: &PdfOptions) -> Result<Vec<u8>, PdfError> {
    Err(PdfError("PDF output is not available yet".into()))
}
pub fn unsupported_char(_text: &str) -> Option<char> {
    None
}
