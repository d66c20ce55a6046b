//! Validation: a YAML [`Node`] tree -> a typed [`DealSheet`], or every problem found.
//!
//! The reader never stops at the first problem: a bad value is recorded as a
//! [`Diagnostic`] and replaced by a placeholder so the rest of the sheet is still read.
//! Only when no error was recorded is the [`DealSheet`] returned.

use super::model::*;
use super::states;
use super::yaml::{Key, Node, Value};
use crate::diagnostic::{closest, Diagnostic, Pos};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::str::FromStr;

/// The longest string value accepted; a name is rarely over 100 characters.
const MAX_TEXT: usize = 300;

/// What a deal sheet is checked against besides its own format.
pub struct Rules<'a> {
    /// The agreement ids the library knows.
    pub agreements: &'a [&'a str],
    /// For PDF output: the first character of a text the fonts cannot print.
    pub unprintable: Option<fn(&str) -> Option<char>>,
}

/// Reads a parsed deal sheet.
pub fn validate(root: &Node, rules: &Rules) -> Result<Validated, Vec<Diagnostic>> {
    let mut r = Reader { diagnostics: Vec::new(), unprintable: rules.unprintable, places: Vec::new() };
    let sheet = r.deal_sheet(root, rules.agreements);
    if r.diagnostics.is_empty() {
        r.diagnostics = super::checks::cross_checks(&sheet, &r.places);
    }
    if r.diagnostics.iter().any(Diagnostic::is_error) {
        Err(r.diagnostics)
    } else {
        Ok(Validated { sheet, warnings: r.diagnostics })
    }
}

/// A valid deal sheet and the warnings a careful associate would raise about it
/// ([`super::checks`]).
#[derive(Debug)]
pub struct Validated {
    pub sheet: DealSheet,
    pub warnings: Vec<Diagnostic>,
}

struct Reader {
    diagnostics: Vec<Diagnostic>,
    unprintable: Option<fn(&str) -> Option<char>>,
    /// Where the values used by cross-field checks were given.
    places: Vec<(&'static str, Pos)>,
}

/// The entries of one mapping, checked against the keys it may have.
struct Fields<'a> {
    path: String,
    entries: &'a [(Key, Node)],
}

impl<'a> Fields<'a> {
    fn get(&self, key: &str) -> Option<&'a Node> {
        self.entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v).filter(|v| !v.is_null())
    }

    fn child(&self, key: &str) -> String {
        join(&self.path, key)
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// An example value for each required key, for "missing key" hints.
fn example(path: &str) -> &'static str {
    match path {
        "agreement" => "agreement: financial-consulting",
        "consultant" | "client" => "name: \"Example Capital, Inc.\" (indented under the party)",
        "consultant.name" | "client.name" => "name: \"Example Capital, Inc.\"",
        "registration" => "registration: with form, file_number and effective",
        "registration.form" => "form: S-1",
        "registration.file_number" => "file_number: \"333-79935\"",
        "term" => "term:\\n  months: 18",
        "term.months" => "months: 18",
        "fee" => "fee:\\n  monthly: 4000.00",
        "fee.monthly" => "monthly: 4000.00",
        "governing_law" => "governing_law: Florida",
        p if p.ends_with("signatory.name") => "name: \"Jane Doe\"",
        p if p.ends_with("signatory") => "name: \"Jane Doe\" and title: \"President\" (indented under signatory)",
        "clauses" => "finder: omitted (indented under clauses)",
        "" => "agreement: financial-consulting (`clausewright init` writes a complete deal sheet)",
        _ => "see the deal-sheet format in the README",
    }
}

impl Reader {
    fn error(&mut self, pos: Pos, path: &str, message: String, help: Option<String>) {
        let mut d = Diagnostic::error(pos, path, message);
        d.help = help;
        self.diagnostics.push(d);
    }

    /// A mapping with only `allowed` keys, all of `required` present.
    fn fields<'a>(&mut self, node: &'a Node, path: &str, allowed: &[&str], required: &[&str]) -> Option<Fields<'a>> {
        let Value::Map(entries) = &node.value else {
            let what = if path.is_empty() { "the deal sheet".to_string() } else { format!("`{path}`") };
            self.error(
                node.pos,
                path,
                format!("expected a mapping of keys for {what}, found {}", node.describe()),
                Some(format!("write its keys below it, e.g. {}", example(path))),
            );
            return None;
        };
        let mut misspelt = Vec::new();
        for (key, _) in entries {
            if !allowed.contains(&key.name.as_str()) {
                let help = match closest(&key.name, allowed.iter().copied()) {
                    Some(near) => {
                        misspelt.push(near);
                        format!("did you mean `{near}`?")
                    }
                    None => format!("the keys allowed here are: {}", allowed.join(", ")),
                };
                self.error(key.pos, &join(path, &key.name), format!("unknown key `{}`", key.name), Some(help));
            }
        }
        let fields = Fields { path: path.to_string(), entries };
        // A required key that is only misspelt has been reported as such already.
        for key in required.iter().filter(|k| !misspelt.contains(k)) {
            if fields.get(key).is_none() {
                let child = fields.child(key);
                let (pos, found) = match entries.iter().find(|(k, _)| k.name == *key) {
                    Some((k, _)) => (k.pos, "is empty"),
                    None => (node.pos, "is missing"),
                };
                self.error(
                    pos,
                    &child,
                    format!("required key `{key}` {found}"),
                    Some(format!("add `{}`", example(&child))),
                );
            }
        }
        Some(fields)
    }

    /// A string of printable text, trimmed, at most `MAX_TEXT` characters.
    fn text(&mut self, node: &Node, path: &str) -> Option<String> {
        let Value::Scalar { text, .. } = &node.value else {
            self.error(
                node.pos,
                path,
                format!("expected text, found {}", node.describe()),
                Some("write the text on the same line, in quotes if it has a `:` or `#`".into()),
            );
            return None;
        };
        let text = text.trim();
        if text.is_empty() {
            self.error(node.pos, path, "expected text, found an empty string".into(), None);
            return None;
        }
        if let Some((message, help)) = super::text::invisible_problem(text) {
            self.error(node.pos, path, message, Some(help));
            return None;
        }
        if let Some((c, how)) = self.unprintable.and_then(|f| super::text::unprintable_printed(text, f)) {
            self.error(
                node.pos,
                path,
                format!("the PDF font has no glyph for '{c}' (U+{:04X}){how}", c as u32),
                Some("the font covers Latin, Latin-1 and Latin Extended-A; replace the character, or render only Markdown (--format md)".into()),
            );
            return None;
        }
        let len = text.chars().count();
        if len > MAX_TEXT {
            self.error(
                node.pos,
                path,
                format!("is {len} characters long, more than the {MAX_TEXT} allowed"),
                Some("shorten it".into()),
            );
            return None;
        }
        Some(text.to_string())
    }

    fn optional_text(&mut self, f: &Fields, key: &str) -> Option<String> {
        f.get(key).and_then(|n| self.text(n, &f.child(key)))
    }

    /// One of a fixed set of words; a near miss is named in the hint.
    fn choice<T: Copy>(&mut self, node: &Node, path: &str, what: &str, choices: &[(&str, T)]) -> Option<T> {
        let found = self.text(node, path)?;
        let wanted = found.split_whitespace().collect::<Vec<_>>().join(" ");
        if let Some((_, v)) = choices.iter().find(|(name, _)| name.eq_ignore_ascii_case(&wanted)) {
            return Some(*v);
        }
        let names: Vec<&str> = choices.iter().map(|(n, _)| *n).collect();
        let help = match closest(&found, names.iter().copied()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("use one of: {}", names.join(", ")),
        };
        self.error(
            node.pos,
            path,
            format!("unknown {what} `{found}`, expected one of: {}", names.join(", ")),
            Some(help),
        );
        None
    }

    fn deal_sheet(&mut self, root: &Node, agreements: &[&str]) -> DealSheet {
        const KEYS: [&str; 10] = [
            "agreement",
            "exhibit",
            "date",
            "consultant",
            "client",
            "registration",
            "term",
            "fee",
            "governing_law",
            "clauses",
        ];
        const REQUIRED: [&str; 7] =
            ["agreement", "consultant", "client", "registration", "term", "fee", "governing_law"];
        let mut sheet = DealSheet {
            agreement: String::new(),
            exhibit: None,
            date: DateForm::Blank,
            consultant: Party::default(),
            client: Party::default(),
            registration: Registration::default(),
            term: Term::default(),
            fee: Fee::default(),
            governing_law: String::new(),
            clauses: Clauses::default(),
        };
        if root.is_null() {
            self.error(
                root.pos,
                "",
                "the deal sheet is empty".into(),
                Some("start from `clausewright init`, which writes a complete example".into()),
            );
            return sheet;
        }
        let Some(f) = self.fields(root, "", &KEYS, &REQUIRED) else { return sheet };
        if let Some(n) = f.get("agreement") {
            sheet.agreement = self.agreement(n, agreements).unwrap_or_default();
        }
        sheet.exhibit = f.get("exhibit").and_then(|n| self.exhibit(n));
        sheet.date = f.get("date").map(|n| self.date(n, "date")).unwrap_or_default();
        for (key, place) in [("date", "date"), ("consultant", "consultant.name"), ("client", "client.name")] {
            let node = f.get(key).map(|n| match (&n.value, key) {
                (Value::Map(entries), "consultant" | "client") => {
                    entries.iter().find(|(k, _)| k.name == "name").map_or(n.pos, |(_, v)| v.pos)
                }
                _ => n.pos,
            });
            if let Some(pos) = node {
                self.places.push((place, pos));
            }
        }
        if let Some(n) = f.get("consultant") {
            sheet.consultant = self.party(n, "consultant");
        }
        if let Some(n) = f.get("client") {
            sheet.client = self.party(n, "client");
        }
        if let Some(n) = f.get("registration") {
            sheet.registration = self.registration(n);
        }
        if let Some(n) = f.get("term") {
            sheet.term = self.term(n);
        }
        if let Some(n) = f.get("fee") {
            sheet.fee = self.fee(n);
        }
        if let Some(n) = f.get("governing_law") {
            sheet.governing_law = self.jurisdiction(n, "governing_law").unwrap_or_default();
        }
        if let Some(n) = f.get("clauses") {
            sheet.clauses = self.clauses(n);
        }
        sheet
    }

    fn agreement(&mut self, node: &Node, agreements: &[&str]) -> Option<String> {
        let id = self.text(node, "agreement")?;
        if agreements.contains(&id.as_str()) {
            return Some(id);
        }
        let list = agreements.join(", ");
        let (message, help) = if id.contains(['/', '\\']) || id.starts_with('.') {
            (
                format!("`{id}` is a path, expected the id of an agreement in the library"),
                format!("the library's agreements are: {list}"),
            )
        } else {
            let help = match closest(&id, agreements.iter().copied()) {
                Some(near) => format!("did you mean `{near}`? the library's agreements are: {list}"),
                None => format!("the library's agreements are: {list}"),
            };
            (format!("unknown agreement `{id}`"), help)
        };
        self.error(node.pos, "agreement", message, Some(help));
        None
    }

    fn exhibit(&mut self, node: &Node) -> Option<String> {
        let text = self.text(node, "exhibit")?;
        let ok = text.chars().count() <= 12
            && text.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
            && text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '(' | ')'));
        if ok {
            return Some(text);
        }
        self.error(
            node.pos,
            "exhibit",
            format!("expected an exhibit number like \"1.4\" or \"10.2(a)\", found {}", node.describe()),
            Some("write digits, letters, dots and parentheses only, in quotes: exhibit: \"1.4\"".into()),
        );
        None
    }

    /// A date form: `1999-07-15`, `1999`, or nothing.
    fn date(&mut self, node: &Node, path: &str) -> DateForm {
        let Value::Scalar { text, .. } = &node.value else {
            self.error(
                node.pos,
                path,
                format!("expected a date (1999-07-15) or a year (1999), found {}", node.describe()),
                None,
            );
            return DateForm::Blank;
        };
        let text = text.trim();
        let range_help = "a year from 1800 to 2200";
        if text.len() == 4 && text.chars().all(|c| c.is_ascii_digit()) {
            let year: i32 = text.parse().unwrap_or(0);
            if (1800..=2200).contains(&year) {
                return DateForm::Year(year);
            }
            self.error(
                node.pos,
                path,
                format!("the year {year} is out of range"),
                Some(format!("expected {range_help}")),
            );
            return DateForm::Blank;
        }
        let parts: Vec<&str> = text.split('-').collect();
        // YYYY-MM-DD; like YAML timestamps, a one-digit month or day is fine (1999-7-5).
        let shaped = parts.len() == 3
            && [4..=4, 1..=2, 1..=2]
                .iter()
                .zip(&parts)
                .all(|(n, p)| n.contains(&p.len()) && p.chars().all(|c| c.is_ascii_digit()));
        if !shaped {
            self.error(
                node.pos,
                path,
                format!("expected a date (1999-07-15), a year (1999) or nothing, found {}", node.describe()),
                Some("write a full date as YYYY-MM-DD, or only the year to leave day and month blank".into()),
            );
            return DateForm::Blank;
        }
        let (y, m, d) = (parts[0].parse().unwrap_or(0), parts[1].parse().unwrap_or(0), parts[2].parse().unwrap_or(0));
        match NaiveDate::from_ymd_opt(y, m, d) {
            Some(date) if (1800..=2200).contains(&y) => DateForm::Full(date),
            Some(_) => {
                self.error(
                    node.pos,
                    path,
                    format!("the year {y} is out of range"),
                    Some(format!("expected {range_help}")),
                );
                DateForm::Blank
            }
            None => {
                let help = match (1..=12).contains(&m) {
                    true => format!("{} {y} has {} days", month_name(m), days_in_month(y, m)),
                    false => "the month is a number from 01 to 12".to_string(),
                };
                self.error(node.pos, path, format!("{text} is not a real date"), Some(help));
                DateForm::Blank
            }
        }
    }

    fn party(&mut self, node: &Node, path: &str) -> Party {
        let mut party = Party::default();
        let Some(f) = self.fields(node, path, &["name", "jurisdiction", "entity", "signatory"], &["name"]) else {
            return party;
        };
        party.name = f.get("name").and_then(|n| self.text(n, &f.child("name"))).unwrap_or_default();
        party.jurisdiction = f.get("jurisdiction").and_then(|n| self.jurisdiction(n, &f.child("jurisdiction")));
        party.entity = f.get("entity").and_then(|n| self.choice(n, &f.child("entity"), "entity", &Entity::ALL));
        if let Some(n) = f.get("signatory") {
            party.signatory = self.signatory(n, &f.child("signatory"));
        }
        party
    }

    fn signatory(&mut self, node: &Node, path: &str) -> Option<Signatory> {
        let f = self.fields(node, path, &["name", "title", "conformed"], &["name"])?;
        let name = f.get("name").and_then(|n| self.text(n, &f.child("name"))).unwrap_or_default();
        let title = self.optional_text(&f, "title");
        let conformed = f.get("conformed").map(|n| self.boolean(n, &f.child("conformed"))).unwrap_or(false);
        Some(Signatory { name, title, conformed })
    }

    fn boolean(&mut self, node: &Node, path: &str) -> bool {
        if let Value::Scalar { text, plain: true } = &node.value {
            match text.as_str() {
                "true" | "True" | "TRUE" => return true,
                "false" | "False" | "FALSE" => return false,
                _ => {}
            }
        }
        self.error(
            node.pos,
            path,
            format!("expected true or false, found {}", node.describe()),
            Some("write `true` or `false`, without quotes".into()),
        );
        false
    }

    fn jurisdiction(&mut self, node: &Node, path: &str) -> Option<String> {
        let text = self.text(node, path)?;
        if let Some(state) = states::canonical(&text) {
            return Some(state.to_string());
        }
        let help = match closest(&text, states::JURISDICTIONS) {
            Some(near) => format!("did you mean `{near}`?"),
            None => "spell out a US state or District of Columbia, e.g. `Delaware`".to_string(),
        };
        self.error(
            node.pos,
            path,
            format!("unknown state `{text}`, expected a US state or the District of Columbia"),
            Some(help),
        );
        None
    }

    fn registration(&mut self, node: &Node) -> Registration {
        let mut reg = Registration::default();
        let Some(f) =
            self.fields(node, "registration", &["form", "file_number", "effective"], &["form", "file_number"])
        else {
            return reg;
        };
        if let Some(n) = f.get("form") {
            reg.form = self.sec_form(n).unwrap_or_default();
        }
        if let Some(n) = f.get("file_number") {
            reg.file_number = self.file_number(n).unwrap_or_default();
        }
        reg.effective = f.get("effective").map(|n| self.date(n, "registration.effective")).unwrap_or_default();
        if let Some(n) = f.get("effective") {
            self.places.push(("registration.effective", n.pos));
        }
        reg
    }

    fn sec_form(&mut self, node: &Node) -> Option<String> {
        let text = self.text(node, "registration.form")?;
        let (letters, number) = text.split_once('-').unwrap_or((&text, ""));
        let ok = (1..=3).contains(&letters.len())
            && letters.chars().all(|c| c.is_ascii_uppercase())
            && (1..=2).contains(&number.len())
            && number.chars().all(|c| c.is_ascii_digit());
        if ok {
            return Some(text);
        }
        self.error(
            node.pos,
            "registration.form",
            format!("expected an SEC form name like S-1, found {}", node.describe()),
            Some("SEC registration forms are capitals, a hyphen and a number: S-1, SB-2, S-3, F-1".into()),
        );
        None
    }

    fn file_number(&mut self, node: &Node) -> Option<String> {
        let text = self.text(node, "registration.file_number")?;
        let ok = text
            .strip_prefix("333-")
            .is_some_and(|digits| (1..=6).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit()));
        if ok {
            return Some(text);
        }
        self.error(
            node.pos,
            "registration.file_number",
            format!("expected an SEC file number, found {}", node.describe()),
            Some("an SEC file number is `333-` followed by up to six digits, in quotes: \"333-79935\"".into()),
        );
        None
    }

    fn term(&mut self, node: &Node) -> Term {
        let Some(f) = self.fields(node, "term", &["months"], &["months"]) else { return Term::default() };
        let Some(n) = f.get("months") else { return Term::default() };
        let months = match &n.value {
            Value::Scalar { text, plain: true } => text.parse::<i64>().ok(),
            _ => None,
        };
        match months {
            Some(m) if (1..=120).contains(&m) => Term { months: m as u32 },
            Some(m) => {
                self.error(
                    n.pos,
                    "term.months",
                    format!("expected a number of months from 1 to 120, found {m}"),
                    Some("the term is between 1 and 120 months".into()),
                );
                Term::default()
            }
            None => {
                self.error(
                    n.pos,
                    "term.months",
                    format!("expected a whole number of months from 1 to 120, found {}", n.describe()),
                    Some("write the number in figures, without quotes: months: 18".into()),
                );
                Term::default()
            }
        }
    }

    fn fee(&mut self, node: &Node) -> Fee {
        let mut fee = Fee::default();
        let Some(f) = self.fields(node, "fee", &["monthly", "payment"], &["monthly"]) else { return fee };
        if let Some(n) = f.get("monthly") {
            fee.monthly = self.money(n, "fee.monthly").unwrap_or_default();
        }
        if let Some(n) = f.get("payment") {
            fee.payment = self
                .choice(n, "fee.payment", "payment", &[("upfront", Payment::Upfront), ("monthly", Payment::Monthly)])
                .unwrap_or_default();
        }
        fee
    }

    /// Dollars: digits with an optional point and at most two decimals, above zero.
    fn money(&mut self, node: &Node, path: &str) -> Option<Money> {
        let help = "write dollars as digits with at most two decimals, e.g. 4000.00 (no $ or commas)";
        let Value::Scalar { text, .. } = &node.value else {
            self.error(
                node.pos,
                path,
                format!("expected an amount of dollars, found {}", node.describe()),
                Some(help.into()),
            );
            return None;
        };
        let text = text.trim();
        let (whole, cents) = text.split_once('.').unwrap_or((text, ""));
        let shaped = !whole.is_empty()
            && whole.len() <= 12
            && whole.chars().all(|c| c.is_ascii_digit())
            && cents.len() <= 2
            && cents.chars().all(|c| c.is_ascii_digit())
            && !(text.contains('.') && cents.is_empty());
        if !shaped {
            let message = if whole.chars().all(|c| c.is_ascii_digit())
                && cents.len() > 2
                && cents.chars().all(|c| c.is_ascii_digit())
            {
                format!("expected an amount with at most two decimals, found {}", node.describe())
            } else if whole.len() > 12 && whole.chars().all(|c| c.is_ascii_digit()) && cents.len() <= 2 {
                format!("expected an amount of at most $999,999,999,999.99, found {}", node.describe())
            } else {
                format!("expected an amount of dollars, found {}", node.describe())
            };
            self.error(node.pos, path, message, Some(help.into()));
            return None;
        }
        let amount = Decimal::from_str(text).ok()?;
        if amount.is_zero() {
            self.error(
                node.pos,
                path,
                format!("expected an amount more than zero, found {}", node.describe()),
                Some(help.into()),
            );
            return None;
        }
        Some(Money(amount))
    }

    fn clauses(&mut self, node: &Node) -> Clauses {
        let mut clauses = Clauses::default();
        let Some(f) = self.fields(node, "clauses", &["competition", "finder", "expenses_cap"], &[]) else {
            return clauses;
        };
        if let Some(n) = f.get("competition") {
            let choices = [("permitted", Competition::Permitted), ("restricted", Competition::Restricted)];
            clauses.competition = self.choice(n, "clauses.competition", "alternative", &choices).unwrap_or_default();
        }
        if let Some(n) = f.get("finder") {
            let choices = [("separate-agreement", Finder::SeparateAgreement), ("omitted", Finder::Omitted)];
            clauses.finder = self.choice(n, "clauses.finder", "alternative", &choices).unwrap_or_default();
        }
        clauses.expenses_cap = f.get("expenses_cap").and_then(|n| self.money(n, "clauses.expenses_cap"));
        clauses
    }
}

fn month_name(m: u32) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES.get(m.wrapping_sub(1) as usize).copied().unwrap_or("")
}

fn days_in_month(y: i32, m: u32) -> u32 {
    (28..=31).rev().find(|d| NaiveDate::from_ymd_opt(y, m, *d).is_some()).unwrap_or(28)
}
