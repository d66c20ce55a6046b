//! The clause library: agreement templates (`templates/`) and clause templates
//! (`clauses/`), embedded in the binary or read from a user's folder.
//!
//! A [`Library`] is built once per process: tera parses every template, the formatting
//! filters are registered, and `.md.tera` output is escaped for Markdown. It then
//! renders any number of assemblies. The agreements it offers, their sections in order
//! and the clause alternatives are described by [`AGREEMENTS`] and [`ALTERNATIVES`].

use crate::render::{escape, filters};
use std::fmt;
use tera::Tera;

/// An agreement the library can assemble.
#[derive(Debug)]
pub struct AgreementDef {
    /// The id a deal sheet names in `agreement:`.
    pub id: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    /// The sections in order: (section id, what it says).
    pub sections: &'static [(&'static str, &'static str)],
}

impl AgreementDef {
    /// The template that assembles this agreement.
    pub fn template(&self) -> String {
        format!("{}.md.tera", self.id)
    }
}

/// A commented starter deal sheet for each agreement: (agreement id, YAML).
pub const STARTERS: &[(&str, &str)] =
    &[("financial-consulting", include_str!("../templates/financial-consulting.starter.yaml"))];

/// The agreements of the library.
pub const AGREEMENTS: &[AgreementDef] = &[AgreementDef {
    id: "financial-consulting",
    title: "Financial Consulting Agreement",
    description: "Financial consulting for a company going public (Exhibit 1.4 to a 1999 Form S-1)",
    sections: &[
        ("engagement", "engagement and term, from the closing of the underwriting"),
        ("services", "the services; whether the Consultant may serve competitors"),
        ("finder", "finder's fees under a separate agreement (may be omitted)"),
        ("fees", "the monthly fee and when the total is paid"),
        ("expenses", "reimbursement of expenses, optionally capped"),
        ("decisions", "decisions rest with the Client; entire agreement; waivers"),
        ("governing-law", "governing law"),
    ],
}];

/// The clause alternatives a deal sheet may choose: (key, values, default, what it changes).
pub const ALTERNATIVES: &[(&str, &str, &str, &str)] = &[
    (
        "competition",
        "permitted | restricted",
        "permitted",
        "last sentence of the services section: may the Consultant serve competitors during the term",
    ),
    (
        "finder",
        "separate-agreement | omitted",
        "separate-agreement",
        "keeps or leaves out the finder's-fee section; later sections and cross-references are renumbered",
    ),
    (
        "expenses_cap",
        "an amount, e.g. 5000.00",
        "none",
        "caps reimbursable expenses without the Client's prior written approval",
    ),
    ("fee.payment", "upfront | monthly", "upfront", "the whole sum on execution, or equal monthly installments"),
];

/// The templates shipped in the binary: (name, source).
pub const EMBEDDED: &[(&str, &str)] = &[
    ("financial-consulting.md.tera", include_str!("../templates/financial-consulting.md.tera")),
    ("signature-block.md.tera", include_str!("../templates/signature-block.md.tera")),
    ("clauses/engagement.md.tera", include_str!("../clauses/engagement.md.tera")),
    ("clauses/services.md.tera", include_str!("../clauses/services.md.tera")),
    ("clauses/finder.md.tera", include_str!("../clauses/finder.md.tera")),
    ("clauses/fees.md.tera", include_str!("../clauses/fees.md.tera")),
    ("clauses/expenses.md.tera", include_str!("../clauses/expenses.md.tera")),
    ("clauses/decisions.md.tera", include_str!("../clauses/decisions.md.tera")),
    ("clauses/governing-law.md.tera", include_str!("../clauses/governing-law.md.tera")),
];

/// A library whose templates are parsed and ready to render.
pub struct Library {
    tera: Tera,
}

/// A template of the library that does not parse or does not render.
#[derive(Debug)]
pub struct LibraryError(pub String);

impl fmt::Display for LibraryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LibraryError {}

impl Library {
    /// The library shipped in the binary.
    pub fn embedded() -> Result<Library, LibraryError> {
        Library::from_sources(EMBEDDED.iter().map(|(n, s)| (n.to_string(), s.to_string())))
    }

    /// A library from template sources named like the embedded ones
    /// (`financial-consulting.md.tera`, `clauses/fees.md.tera`, ...).
    pub fn from_sources(sources: impl IntoIterator<Item = (String, String)>) -> Result<Library, LibraryError> {
        let mut tera = Tera::default();
        tera.set_escape_fn(escape::markdown);
        filters::register(&mut tera);
        tera.add_raw_templates(sources)
            .map_err(|e| LibraryError(format!("the clause library does not parse:\n{e}")))?;
        tera.autoescape_on([".md.tera"]);
        for agreement in AGREEMENTS {
            if !tera.contains_template(&agreement.template()) {
                return Err(LibraryError(format!("the clause library has no template `{}`", agreement.template())));
            }
        }
        Ok(Library { tera })
    }

    /// The ids of the agreements this library can assemble.
    pub fn agreement_ids(&self) -> Vec<&'static str> {
        AGREEMENTS.iter().map(|a| a.id).collect()
    }

    pub(crate) fn tera(&self) -> &Tera {
        &self.tera
    }
}

/// The definition of agreement `id`.
pub fn agreement(id: &str) -> Option<&'static AgreementDef> {
    AGREEMENTS.iter().find(|a| a.id == id)
}
