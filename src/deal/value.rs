//! The validated values of a deal sheet, typed by the manifest's field types.
//!
//! A [`Val`] is only ever built by [`crate::deal::validate`] (or by a computed value), so
//! code downstream relies on its invariants: money above its minimum with at most two
//! decimals, a real date, a known state. [`Val::to_tera`] is how templates see it.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use std::sync::Arc;
use tera::value::Key;
use tera::Value;

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

/// One value of a deal sheet.
#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    /// text, choice, jurisdiction and SEC file numbers.
    Text(String),
    Integer(i64),
    /// decimal and percent: the exact number.
    Number(Decimal),
    /// US dollars, exact.
    Money(Decimal),
    Date(NaiveDate),
    DateForm(DateForm),
    Bool(bool),
    /// A group or a party: its given (or defaulted) keys in declaration order; absent
    /// optional keys are not there.
    Group(Vec<(Arc<str>, Val)>),
    List(Vec<Val>),
}

impl Val {
    /// The value at `path` (`fee.monthly`), if given.
    pub fn get(&self, path: &str) -> Option<&Val> {
        path.split('.').try_fold(self, |v, key| match v {
            Val::Group(entries) => entries.iter().find(|(k, _)| &**k == key).map(|(_, v)| v),
            _ => None,
        })
    }

    /// The text of a text-like value.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Val::Text(t) => Some(t),
            _ => None,
        }
    }

    /// The exact number of a numeric value (integer, decimal, percent, money).
    pub fn as_decimal(&self) -> Option<Decimal> {
        match self {
            Val::Integer(n) => Some(Decimal::from(*n)),
            Val::Number(d) | Val::Money(d) => Some(*d),
            _ => None,
        }
    }

    /// Is there money, a decimal or a percentage in this value (which conditions see as numbers)?
    pub fn has_amount(&self) -> bool {
        match self {
            Val::Number(_) | Val::Money(_) => true,
            Val::Group(entries) => entries.iter().any(|(_, v)| v.has_amount()),
            Val::List(items) => items.iter().any(Val::has_amount),
            _ => false,
        }
    }

    /// The value as templates see it (`docs/library.md`, "What templates see").
    pub fn to_tera(&self) -> Value {
        self.tera_value(false)
    }

    /// The value as conditions see it: the same, but money, decimals and percentages are
    /// numbers, so `fee.cash > 8` and `offering.minimum > offering.gross_proceeds` compare
    /// amounts, not text.
    pub fn to_tera_numeric(&self) -> Value {
        self.tera_value(true)
    }

    fn tera_value(&self, numeric: bool) -> Value {
        match self {
            Val::Number(d) | Val::Money(d) if numeric => number(*d),
            Val::Text(t) => Value::from(t.as_str()),
            Val::Integer(n) => Value::from(*n),
            Val::Number(d) => Value::from(d.normalize().to_string()),
            Val::Money(d) => {
                let mut d = *d;
                d.rescale(2);
                Value::from(d.to_string())
            }
            Val::Date(d) => date_value(DateForm::Full(*d)),
            Val::DateForm(f) => date_value(*f),
            Val::Bool(b) => Value::from(*b),
            Val::Group(entries) => Value::from(
                entries.iter().map(|(k, v)| (Key::String(k.clone()), v.tera_value(numeric))).collect::<tera::Map>(),
            ),
            Val::List(items) => Value::from(items.iter().map(|v| v.tera_value(numeric)).collect::<Vec<Value>>()),
        }
    }
}

/// An exact amount as a tera number: an integer when whole, else the nearest float (exact
/// to the cent for every amount a deal sheet can hold).
fn number(d: Decimal) -> Value {
    match i64::try_from(d.normalize()) {
        Ok(n) if d.fract().is_zero() => Value::from(n),
        _ => Value::from(d.to_string().parse::<f64>().unwrap_or(0.0)),
    }
}

/// A date as a map `{year, month, day, iso}`; month, day and iso are none for a year alone;
/// a blank date is none.
fn date_value(form: DateForm) -> Value {
    let (year, month, day, iso) = match form {
        DateForm::Blank => return Value::none(),
        DateForm::Full(d) => {
            // chrono's `%Y-%m-%d`, without parsing the format string each time.
            let iso = match d.year() {
                0..=9999 => format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
                _ => d.format("%Y-%m-%d").to_string(),
            };
            (d.year(), Value::from(d.month()), Value::from(d.day()), Value::from(iso))
        }
        DateForm::Year(y) => (y, Value::none(), Value::none(), Value::none()),
    };
    let map: tera::Map = [("year", Value::from(year)), ("month", month), ("day", day), ("iso", iso)]
        .into_iter()
        .map(|(k, v)| (Key::from(k), v))
        .collect();
    Value::from(map)
}
