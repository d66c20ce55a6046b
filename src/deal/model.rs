//! The validated deal sheet: typed values only, nothing left to check.
//!
//! A [`DealSheet`] is only ever built by [`crate::deal::validate`], so code downstream
//! can rely on its invariants (a real date, money above zero with at most two decimals,
//! a known state, a term of 1 to 120 months).

use super::states::JURISDICTIONS;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{Serialize, Serializer};
use std::borrow::Cow;

// The `JsonSchema` derives (with the `serde` and `schemars` attributes) describe the
// deal-sheet format for editors: `clausewright schema` prints it. Doc comments become
// the descriptions editors show.

/// A deal sheet: one deal, merged into the clause library to render one agreement.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "clausewright deal sheet, version 1")]
pub struct DealSheet {
    /// Which agreement of the library to assemble (`clausewright list`).
    #[schemars(schema_with = "agreement_schema")]
    pub agreement: String,
    /// Exhibit number printed at the top right, e.g. "1.4".
    #[schemars(regex(pattern = r"^[A-Za-z0-9][A-Za-z0-9.()-]{0,11}$"))]
    pub exhibit: Option<String>,
    /// The day the agreement is made: 1999-07-15, or 1999 (day and month left blank), or absent.
    #[serde(default)]
    pub date: DateForm,
    /// The consultant.
    pub consultant: Party,
    /// The client.
    pub client: Party,
    /// The SEC registration statement the engagement is tied to.
    pub registration: Registration,
    /// The length of the engagement.
    pub term: Term,
    /// The fee.
    pub fee: Fee,
    /// A US state or the District of Columbia, spelt out ("Florida").
    #[schemars(schema_with = "jurisdiction_schema")]
    pub governing_law: String,
    /// Clause alternatives.
    #[serde(default)]
    pub clauses: Clauses,
}

fn agreement_schema(_: &mut SchemaGenerator) -> Schema {
    let ids: Vec<&str> = crate::library::AGREEMENTS.iter().map(|a| a.id).collect();
    json_schema!({ "type": "string", "enum": ids })
}

fn jurisdiction_schema(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "enum": JURISDICTIONS.to_vec() })
}

fn text_schema(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "minLength": 1, "maxLength": 300, "pattern": r"\S" })
}

fn optional_jurisdiction_schema(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "anyOf": [{ "type": "string", "enum": JURISDICTIONS.to_vec() }, { "type": "null" }] })
}

/// A date that may be left partly or wholly blank, to be filled in by hand.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DateForm {
    /// Day, month and year are known.
    Full(NaiveDate),
    /// Only the year is known; day and month are blanks.
    Year(i32),
    /// Everything is a blank.
    #[default]
    Blank,
}

impl DateForm {
    /// The year, when known.
    pub fn year(&self) -> Option<i32> {
        match self {
            DateForm::Full(d) => Some(d.year()),
            DateForm::Year(y) => Some(*y),
            DateForm::Blank => None,
        }
    }
}

impl JsonSchema for DateForm {
    fn schema_name() -> Cow<'static, str> {
        "DateForm".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A full date (1999-07-15), a year alone (1999: day and month left blank), or null (all blank).",
            "anyOf": [
                { "type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "format": "date" },
                { "type": "integer", "minimum": 1800, "maximum": 2200 },
                { "type": "string", "pattern": r"^\d{4}$" },
                { "type": "null" }
            ]
        })
    }
}

impl Serialize for DateForm {
    /// Templates see `"1999-07-15"`, `"1999"` or none; the date filters print them.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            DateForm::Full(d) => s.collect_str(&d.format("%Y-%m-%d")),
            DateForm::Year(y) => s.collect_str(y),
            DateForm::Blank => s.serialize_none(),
        }
    }
}

/// An amount of US dollars: more than zero, at most two decimals, exact.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Money(pub Decimal);

impl JsonSchema for Money {
    fn schema_name() -> Cow<'static, str> {
        "Money".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "US dollars: more than zero, at most two decimals, no $ or commas (4000, 4000.5, \"4000.50\").",
            "anyOf": [
                { "type": "number", "exclusiveMinimum": 0, "maximum": 999_999_999_999.99_f64 },
                { "type": "string", "pattern": r"^(?!0+(\.0+)?$)\d{1,12}(\.\d{1,2})?$" }
            ]
        })
    }
}

impl Serialize for Money {
    /// Templates see the exact amount with cents, e.g. `"4000.00"`; the `money` filter prints it.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut d = self.0;
        d.rescale(2);
        s.collect_str(&d)
    }
}

/// A party to the agreement.
#[derive(Clone, Debug, Default, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Party {
    /// Legal name, printed as given in the body and in capitals above the signature block.
    #[schemars(schema_with = "text_schema")]
    pub name: String,
    /// US state (or DC) of organization: with `entity` gives "a Delaware corporation".
    #[serde(default)]
    #[schemars(schema_with = "optional_jurisdiction_schema")]
    pub jurisdiction: Option<String>,
    /// The legal form of the party.
    pub entity: Option<Entity>,
    /// Who signs; without it the block is left for a wet signature over "Authorized Officer".
    pub signatory: Option<Signatory>,
}

/// The legal form of a party.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub enum Entity {
    #[serde(rename = "corporation")]
    Corporation,
    #[serde(rename = "limited liability company")]
    LimitedLiabilityCompany,
    #[serde(rename = "limited partnership")]
    LimitedPartnership,
    #[serde(rename = "partnership")]
    Partnership,
    #[serde(rename = "individual")]
    Individual,
}

impl Entity {
    pub const ALL: [(&'static str, Entity); 5] = [
        ("corporation", Entity::Corporation),
        ("limited liability company", Entity::LimitedLiabilityCompany),
        ("limited partnership", Entity::LimitedPartnership),
        ("partnership", Entity::Partnership),
        ("individual", Entity::Individual),
    ];
}

/// Who signs for a party.
#[derive(Clone, Debug, Default, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Signatory {
    /// Printed under the signature line.
    #[schemars(schema_with = "text_schema")]
    pub name: String,
    /// Printed under the name.
    #[schemars(length(min = 1, max = 300))]
    pub title: Option<String>,
    /// Print `/s/ NAME` on the signature line, as filed copies do; false leaves it blank.
    #[serde(default)]
    pub conformed: bool,
}

/// The SEC registration the engagement is tied to.
#[derive(Clone, Debug, Default, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Registration {
    /// SEC form, e.g. S-1, SB-2, S-3.
    #[schemars(regex(pattern = r"^[A-Z]{1,3}-[0-9]{1,2}$"))]
    pub form: String,
    /// SEC file number: 333- followed by digits, e.g. "333-79935".
    #[schemars(regex(pattern = r"^333-[0-9]{1,6}$"))]
    pub file_number: String,
    /// The day the registration statement was declared effective.
    #[serde(default)]
    pub effective: DateForm,
}

/// The length of the engagement.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Term {
    /// 1 to 120, printed in words and figures ("eighteen months (18)").
    #[schemars(range(min = 1, max = 120))]
    pub months: u32,
}

/// The fee and how it is paid.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fee {
    /// Fee per month in US dollars; the total (months x monthly) is computed.
    pub monthly: Money,
    /// When the fee is paid.
    #[serde(default)]
    pub payment: Payment,
}

/// When the fee is paid.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Payment {
    /// The whole sum on execution (the seed's wording).
    #[default]
    Upfront,
    /// Month by month.
    Monthly,
}

/// The clause alternatives.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Clauses {
    /// Section 2's last sentence: may the Consultant serve competitors during the term.
    #[serde(default)]
    pub competition: Competition,
    /// Keep section 3 (finder's fees) or leave it out, renumbering later sections.
    #[serde(default)]
    pub finder: Finder,
    /// A cap on reimbursable expenses without the Client's prior written approval.
    pub expenses_cap: Option<Money>,
}

/// Whether the Consultant may serve the Client's competitors during the term.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Competition {
    #[default]
    Permitted,
    Restricted,
}

/// Whether the finder's-fee section is kept.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Finder {
    #[default]
    SeparateAgreement,
    Omitted,
}
