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
    let mut found = Found { parties: Vec::new(), late_dates: Vec::new(), latest_year: current_year() + YEARS_AHEAD };
    collect(&agreement.fields, &sheet.values, &mut String::new(), &mut found);
    let keys: Vec<String> = found.parties.iter().map(|(_, name)| super::text::party_key(name)).collect();
    let mut problems = Vec::new();
    for (i, (path, name)) in found.parties.iter().enumerate() {
        if let Some(first) = (0..i).find(|&j| keys[j] == keys[i]) {
            let first = &found.parties[first].0;
            let role = |p: &str| p.rsplit('.').next().unwrap_or(p).replace('_', " ");
            problems.push(
                Diagnostic::error(
                    sheet.place(&format!("{path}.name")),
                    format!("{path}.name"),
                    format!("the {} has the same name as the {}, `{name}`", role(path), role(first)),
                )
                .with_help(format!("an agreement needs two different parties; check `{first}.name` and `{path}.name`")),
            );
        }
    }
    for (path, year) in found.late_dates {
        problems.push(
            Diagnostic::warning(
                sheet.place(&path),
                path.clone(),
                format!("the year {year} is more than {YEARS_AHEAD} years in the future"),
            )
            .with_help("check the year for a typo"),
        );
    }
    problems
}

/// What [`collect`] gathers: the parties (path, name), and the dates (path, year) whose
/// year lies after `latest_year`.
struct Found<'v> {
    parties: Vec<(String, &'v str)>,
    late_dates: Vec<(String, i32)>,
    latest_year: i32,
}

/// Gathers the parties and the late dates given in `value`; `path` is its key path
/// (a buffer grown and cut back on the way down, so a path is built only for what is kept).
fn collect<'v>(fields: &[Field], value: &'v Val, path: &mut String, found: &mut Found<'v>) {
    for field in fields {
        if !matches!(field.kind, Kind::Party | Kind::Group { .. } | Kind::Date { .. } | Kind::DateForm { .. }) {
            continue;
        }
        let Some(v) = value.get(&field.name) else { continue };
        let len = path.len();
        if len > 0 {
            path.push('.');
        }
        path.push_str(&field.name);
        let year = match (&field.kind, v) {
            (Kind::Party, _) => {
                if let Some(name) = v.get("name").and_then(Val::as_text) {
                    found.parties.push((path.clone(), name));
                }
                None
            }
            (Kind::Group { fields }, _) => {
                collect(fields, v, path, found);
                None
            }
            (_, Val::DateForm(d)) => d.year(),
            (_, Val::Date(d)) => Some(chrono::Datelike::year(d)),
            _ => None,
        };
        if let Some(year) = year.filter(|&y| y > found.latest_year) {
            found.late_dates.push((path.clone(), year));
        }
        path.truncate(len);
    }
}

/// The current year, for the plausibility warning only: it never reaches an output file.
#[allow(clippy::disallowed_methods)]
fn current_year() -> i32 {
    let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    chrono::DateTime::from_timestamp(seconds, 0).map_or(2026, |d| chrono::Datelike::year(&d))
}
