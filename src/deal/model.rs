//! The validated deal sheet: typed values only, nothing left to check.
//!
//! A [`DealSheet`] is only ever built by [`crate::deal::validate`], so code downstream
//! can rely on its invariants (a real date, money above zero with at most two decimals,
//! a known state, a term of 1 to 120 months).

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

/// One deal, validated.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DealSheet {
    pub agreement: String,
    pub exhibit: Option<String>,
    pub date: DateForm,
    pub consultant: Party,
    pub client: Party,
    pub registration: Registration,
    pub term: Term,
    pub fee: Fee,
    pub governing_law: String,
    pub clauses: Clauses,
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

impl Serialize for DateForm {
    /// Templates see `"1999-07-15"`, `"1999"` or `""`; the date filters print them.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            DateForm::Full(d) => s.collect_str(&d.format("%Y-%m-%d")),
            DateForm::Year(y) => s.collect_str(y),
            DateForm::Blank => s.serialize_str(""),
        }
    }
}

/// An amount of US dollars: more than zero, at most two decimals, exact.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Money(pub Decimal);

impl Serialize for Money {
    /// Templates see the exact amount with cents, e.g. `"4000.00"`; the `money` filter prints it.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut d = self.0;
        d.rescale(2);
        s.collect_str(&d)
    }
}

/// A party to the agreement.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Party {
    pub name: String,
    pub jurisdiction: Option<String>,
    pub entity: Option<Entity>,
    pub signatory: Option<Signatory>,
}

/// The legal form of a party.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
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
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Signatory {
    pub name: String,
    pub title: Option<String>,
    /// Print `/s/ NAME` on the signature line, as filed copies do.
    pub conformed: bool,
}

/// The SEC registration the engagement is tied to.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Registration {
    pub form: String,
    pub file_number: String,
    pub effective: DateForm,
}

/// The length of the engagement.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Term {
    /// 1 to 120.
    pub months: u32,
}

/// The fee and how it is paid.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Fee {
    pub monthly: Money,
    pub payment: Payment,
}

/// When the fee is paid.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Payment {
    /// The whole sum on execution (the seed's wording).
    #[default]
    Upfront,
    /// Month by month.
    Monthly,
}

/// The clause alternatives.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Clauses {
    pub competition: Competition,
    pub finder: Finder,
    pub expenses_cap: Option<Money>,
}

/// Whether the Consultant may serve the Client's competitors during the term.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Competition {
    #[default]
    Permitted,
    Restricted,
}

/// Whether the finder's-fee section is kept.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Finder {
    #[default]
    SeparateAgreement,
    Omitted,
}
