//! Cross-field checks a careful associate would make, on a sheet whose fields are each
//! valid: the same party on both sides is an error; an effective date after the
//! execution date, or a year before 1934 or far in the future, is a warning.

use super::model::{DateForm, DealSheet};
use crate::diagnostic::{Diagnostic, Pos};

/// The Securities Exchange Act: no S-1 engagement predates it.
const FIRST_PLAUSIBLE_YEAR: i32 = 1934;
/// How many years ahead of today a date may lie before it looks like a typo.
const YEARS_AHEAD: i32 = 10;

/// The problems found; `places` says where each checked value was written.
pub fn cross_checks(sheet: &DealSheet, places: &[(&str, Pos)]) -> Vec<Diagnostic> {
    let place = |path: &str| places.iter().find(|(p, _)| *p == path).map_or(Pos { line: 1, col: 1 }, |(_, pos)| *pos);
    let mut found = Vec::new();
    if super::text::party_key(&sheet.consultant.name) == super::text::party_key(&sheet.client.name) {
        found.push(
            Diagnostic::error(
                place("client.name"),
                "client.name",
                format!("the client has the same name as the consultant, `{}`", sheet.client.name),
            )
            .with_help("an agreement needs two different parties; check `consultant.name` and `client.name`"),
        );
    }
    if let (DateForm::Full(made), DateForm::Full(effective)) = (sheet.date, sheet.registration.effective) {
        if effective > made {
            let message =
                format!("the registration was declared effective ({effective}) after the agreement was made ({made})");
            let help = "the engagement is conditioned on a registration already effective; check both dates";
            found.push(
                Diagnostic::warning(place("registration.effective"), "registration.effective", message).with_help(help),
            );
        }
    }
    let this_year = current_year();
    for (path, date) in [("date", sheet.date), ("registration.effective", sheet.registration.effective)] {
        let Some(year) = date.year() else { continue };
        let problem = if year < FIRST_PLAUSIBLE_YEAR {
            format!("the year {year} is before the Securities Exchange Act of 1934")
        } else if year > this_year + YEARS_AHEAD {
            format!("the year {year} is more than {YEARS_AHEAD} years in the future")
        } else {
            continue;
        };
        found.push(Diagnostic::warning(place(path), path, problem).with_help("check the year for a typo"));
    }
    found
}

/// The current year, for the plausibility warning only: it never reaches an output file.
#[allow(clippy::disallowed_methods)]
fn current_year() -> i32 {
    let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    chrono::DateTime::from_timestamp(seconds, 0).map_or(2026, |d| chrono::Datelike::year(&d))
}
