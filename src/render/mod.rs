//! Stage 3: an [`Assembly`](crate::assemble::Assembly) -> Markdown text, through the
//! clause library's tera templates.

pub mod escape;
pub mod filters;
pub mod markdown;
