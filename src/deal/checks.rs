//! Checks the engine makes on every valid deal sheet, whatever its agreement: two parties
//! with the same name are an error; a year far in the future is a warning. Checks that
//! belong to one agreement are declared in its manifest (`checks:`) and run at assembly.

use super::validate::DealSheet;
use super::value::Val;
use crate::diagnostic::Diagnostic;
use crate::library::manifest::{Field, Kind};
use crate::library::Library;

/// How many years ahead of today a date may lie before it looks like a typo.
const YEARS_AHEAD: i32 = 10;

/// The problems found on a sheet whose fields are each valid.
pub fn engine_checks(sheet: &DealSheet, library: &Library) -> Vec<Diagnostic> {
    let Some(agreement) = library.agreement(&sheet.agreement) else { return Vec::new() };
    let mut parties = Vec::new();
    let mut dates = Vec::new();
    collect(&agreement.fields, &sheet.values, "", &mut parties, &mut dates);
    let mut found = Vec::new();
    for (i, (path, name)) in parties.iter().enumerate() {
        if let Some((first, _)) = parties[..i].iter().find(|(_, other)| other.to_lowercase() == name.to_lowercase()) {
            let role = |p: &str| p.rsplit('.').next().unwrap_or(p).replace('_', " ");
            found.push(
                Diagnostic::error(
                    sheet.place(&format!("{path}.name")),
                    format!("{path}.name"),
                    format!("the {} has the same name as the {}, `{name}`", role(path), role(first)),
                )
                .with_help(format!("an agreement needs two different parties; check `{first}.name` and `{path}.name`")),
            );
        }
    }
    let this_year = current_year();
    for (path, year) in dates {
        if year > this_year + YEARS_AHEAD {
            found.push(
                Diagnostic::warning(
                    sheet.place(&path),
                    path.clone(),
                    format!("the year {year} is more than {YEARS_AHEAD} years in the future"),
                )
                .with_help("check the year for a typo"),
            );
        }
    }
    found
}

/// The parties (path, name) and the years of dates (path, year) given in `value`.
fn collect(
    fields: &[Field],
    value: &Val,
    path: &str,
    parties: &mut Vec<(String, String)>,
    dates: &mut Vec<(String, i32)>,
) {
    for field in fields {
        let Some(v) = value.get(&field.name) else { continue };
        if !matches!(field.kind, Kind::Party | Kind::Group { .. } | Kind::Date { .. } | Kind::DateForm { .. }) {
            continue;
        }
        let child = if path.is_empty() { field.name.clone() } else { format!("{path}.{}", field.name) };
        match (&field.kind, v) {
            (Kind::Party, _) => {
                if let Some(name) = v.get("name").and_then(Val::as_text) {
                    parties.push((child, name.to_string()));
                }
            }
            (Kind::Group { fields }, _) => collect(fields, v, &child, parties, dates),
            (_, Val::DateForm(d)) => dates.extend(d.year().map(|y| (child, y))),
            (_, Val::Date(d)) => dates.push((child, chrono::Datelike::year(d))),
            _ => {}
        }
    }
}

/// The current year, for the plausibility warning only: it never reaches an output file.
#[allow(clippy::disallowed_methods)]
fn current_year() -> i32 {
    let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    chrono::DateTime::from_timestamp(seconds, 0).map_or(2026, |d| chrono::Datelike::year(&d))
}
