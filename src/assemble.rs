//! Stage 2: a [`DealSheet`] -> an [`Assembly`]: the sections chosen, their numbers and
//! the computed values, ready for the templates.
//!
//! This is where clause choices take effect: a section left out (`finder: omitted`) gets
//! no number, and every later section and every cross-reference (`number.fees`) moves up.
//! Computed values (the total fee) are exact decimal arithmetic, never typed by hand.

use crate::deal::{DealSheet, Finder, Money};
use crate::library::AgreementDef;
use serde::Serialize;
use std::collections::BTreeMap;

/// Everything the agreement template sees.
#[derive(Debug, Serialize)]
pub struct Assembly<'a> {
    #[serde(flatten)]
    pub deal: &'a DealSheet,
    /// The agreement being assembled (its template and title).
    #[serde(skip)]
    pub agreement: &'static AgreementDef,
    /// The title of the agreement.
    pub title: &'static str,
    /// Section id -> its number; sections left out map to none.
    pub number: BTreeMap<&'static str, Option<u32>>,
    /// The whole fee: months x monthly.
    pub total: Money,
}

/// Chooses and numbers the sections of `agreement` for `deal`.
pub fn assemble<'a>(deal: &'a DealSheet, agreement: &'static AgreementDef) -> Assembly<'a> {
    let mut number = BTreeMap::new();
    let mut next = 1;
    for (id, _) in agreement.sections {
        let kept = match *id {
            "finder" => deal.clauses.finder != Finder::Omitted,
            _ => true,
        };
        number.insert(*id, kept.then_some(next));
        next += u32::from(kept);
    }
    let total = Money(deal.fee.monthly.0 * rust_decimal::Decimal::from(deal.term.months));
    Assembly { deal, agreement, title: agreement.title, number, total }
}
