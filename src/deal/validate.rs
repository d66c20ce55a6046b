//! Validation: a YAML [`Node`] tree -> a [`DealSheet`] typed by its agreement's manifest,
//! or every problem found.
//!
//! The reader never stops at the first problem: a bad value is recorded as a
//! [`Diagnostic`] and left out, so the rest of the sheet is still read. Each field type
//! of the library format (`docs/library.md`) has one reader here; groups, lists and
//! parties recurse. Only when no error was recorded is the [`DealSheet`] returned.

use super::states;
use super::value::{DateForm, Val};
use super::yaml::{Key, Node, Value};
use crate::diagnostic::{closest, Diagnostic, Pos};
use crate::library::manifest::{Field, Kind};
use crate::library::Library;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::str::FromStr;

/// The largest amount of money a deal sheet may give: twelve digits of dollars.
fn max_money() -> Decimal {
    Decimal::new(99_999_999_999_999, 2)
}

/// What a deal sheet is checked against besides its own format.
pub struct Rules<'a> {
    /// The library whose agreements the sheet may name.
    pub library: &'a Library,
    /// For PDF output: the first character of a text the fonts cannot print.
    pub unprintable: Option<fn(&str) -> Option<char>>,
}

/// A valid deal sheet: the agreement it names and its values, typed by the manifest.
#[derive(Clone, Debug, PartialEq)]
pub struct DealSheet {
    pub agreement: String,
    /// The root group: every given or defaulted field.
    pub values: Val,
    /// The YAML as written, to find where a value was given when a check points at it.
    pub source: Node,
}

impl DealSheet {
    /// The value at a key path.
    pub fn get(&self, path: &str) -> Option<&Val> {
        self.values.get(path)
    }

    /// Where the value at `path` (`fee.monthly`, `tiers[1].rate`) was given, or its nearest
    /// written parent (a default was not written).
    pub fn place(&self, path: &str) -> Pos {
        let mut node = &self.source;
        for part in path.split('.') {
            let (key, indexes) = part.split_once('[').map_or((part, ""), |(k, rest)| (k, rest));
            let next = match &node.value {
                Value::Map(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
                _ => None,
            };
            let Some(mut next) = next else { break };
            for index in indexes.split('[').filter_map(|i| i.trim_end_matches(']').parse::<usize>().ok()) {
                match &next.value {
                    Value::Seq(items) if index < items.len() => next = &items[index],
                    _ => break,
                }
            }
            node = next;
        }
        node.pos
    }
}

/// A valid deal sheet and the warnings about it.
#[derive(Debug)]
pub struct Validated {
    pub sheet: DealSheet,
    pub warnings: Vec<Diagnostic>,
}

/// Reads a parsed deal sheet (kept in the result, to point at values later).
pub fn validate(root: Node, rules: &Rules) -> Result<Validated, Vec<Diagnostic>> {
    let mut r = Reader { diagnostics: Vec::new(), unprintable: rules.unprintable };
    let sheet = r.deal_sheet(root, rules.library);
    match sheet {
        Some(sheet) if r.diagnostics.is_empty() => {
            let warnings = super::checks::engine_checks(&sheet, rules.library);
            if warnings.iter().any(Diagnostic::is_error) {
                Err(warnings)
            } else {
                Ok(Validated { sheet, warnings })
            }
        }
        _ => Err(r.diagnostics),
    }
}

/// Reads one value of `field` (used for manifest defaults too). Problems go to `found`.
pub fn read_value(field: &Field, node: &Node, path: &str, found: &mut Vec<Diagnostic>) -> Option<Val> {
    let mut r = Reader { diagnostics: Vec::new(), unprintable: None };
    let v = r.value(field, node, path);
    found.append(&mut r.diagnostics);
    v
}

struct Reader {
    diagnostics: Vec<Diagnostic>,
    unprintable: Option<fn(&str) -> Option<char>>,
}

fn join(path: &str, key: &str) -> String {
    let mut joined = String::with_capacity(path.len() + key.len() + 1);
    if !path.is_empty() {
        joined.push_str(path);
        joined.push('.');
    }
    joined.push_str(key);
    joined
}

/// The built-in fields of a party (`docs/deal-sheet.md`, "party"), built once.
fn party_fields() -> &'static [Field] {
    static FIELDS: std::sync::OnceLock<Vec<Field>> = std::sync::OnceLock::new();
    FIELDS.get_or_init(build_party_fields)
}

fn build_party_fields() -> Vec<Field> {
    let text = || Kind::Text { min_length: 1, max_length: 300, pattern: None, multiline: false };
    let entities = ["corporation", "limited liability company", "limited partnership", "partnership", "individual"];
    let through =
        Field::new("through", Kind::Group { fields: vec![Field::new("name", text()), Field::new("capacity", text())] })
            .optional();
    let signatory = Field::new(
        "signatory",
        Kind::Group {
            fields: vec![
                Field::new("name", text()).optional(),
                Field::new("title", text()).optional(),
                Field::new("conformed", Kind::Bool).with_default(Val::Bool(false)),
                through,
            ],
        },
    )
    .optional();
    vec![
        Field {
            example: Some(Node {
                pos: Pos::default(),
                value: Value::Scalar { text: "Example Capital, Inc.".into(), plain: false },
            }),
            ..Field::new("name", text())
        },
        Field::new("jurisdiction", Kind::Jurisdiction).optional(),
        Field::new("entity", Kind::Choice { values: entities.iter().map(|e| e.to_string()).collect() }).optional(),
        signatory,
        Field::new("address", Kind::Text { min_length: 1, max_length: 600, pattern: None, multiline: true }).optional(),
    ]
}

/// A one-line YAML example of a field's value, for "add `key: ...`" hints: its example,
/// default or a typical value within its rules (what `init` writes).
pub fn example_of(field: &Field) -> String {
    match &crate::library::starter::sample(field).value {
        Value::Scalar { text, plain: true } => text.clone(),
        Value::Scalar { text, .. } => format!("\"{text}\""),
        _ => "...".to_string(),
    }
}

fn missing_hint(field: &Field) -> String {
    match &field.kind {
        Kind::Group { .. } | Kind::Party => {
            let keys: Vec<String> = match &field.kind {
                Kind::Group { fields } => fields.iter().map(|f| f.name.to_string()).collect(),
                _ => party_fields().iter().filter(|f| f.required).map(|f| f.name.to_string()).collect(),
            };
            format!("add `{}:` with its keys {} indented below it", field.name, keys.join(", "))
        }
        _ => format!("add `{}: {}`", field.name, example_of(field)),
    }
}

impl Reader {
    fn error(&mut self, pos: Pos, path: &str, message: String, help: Option<String>) {
        let mut d = Diagnostic::error(pos, path, message);
        d.help = help;
        self.diagnostics.push(d);
    }

    fn deal_sheet(&mut self, root: Node, library: &Library) -> Option<DealSheet> {
        if root.is_null() {
            self.error(
                root.pos,
                "",
                "the deal sheet is empty".into(),
                Some("start from `clausewright init`, which writes a complete example".into()),
            );
            return None;
        }
        let Value::Map(entries) = &root.value else {
            self.error(
                root.pos,
                "",
                format!("expected a mapping of keys for the deal sheet, found {}", root.describe()),
                Some("write its keys below it, e.g. agreement: financial-consulting (`clausewright init` writes a complete deal sheet)".into()),
            );
            return None;
        };
        let ids = library.agreement_ids();
        let id = match entries.iter().find(|(k, _)| k.name == "agreement") {
            Some((k, n)) if n.is_null() => {
                self.error(
                    k.pos,
                    "agreement",
                    "required key `agreement` is empty".into(),
                    Some(format!("add `agreement: {}`", ids.first().copied().unwrap_or("ID"))),
                );
                return None;
            }
            Some((_, n)) => match self.agreement(n, &ids) {
                Ok(id) => id,
                // A misspelt id: read the rest as the agreement meant, so every problem
                // is reported at once; the sheet stays invalid.
                Err(near) => near?,
            },
            None => {
                self.error(
                    root.pos,
                    "agreement",
                    "required key `agreement` is missing".into(),
                    Some(format!(
                        "add `agreement: {}` (`clausewright list` shows the library's agreements)",
                        ids.first().copied().unwrap_or("ID")
                    )),
                );
                return None;
            }
        };
        let agreement = library.agreement(&id)?;
        let values = self.group(&agreement.fields, &root, "", &["agreement"])?;
        Some(DealSheet { agreement: id, values, source: root })
    }

    /// The agreement id, or the closest known id when it is misspelt (after reporting it).
    fn agreement(&mut self, node: &Node, agreements: &[&str]) -> Result<String, Option<String>> {
        let id = self.text(node, "agreement", 1, 300).ok_or(None)?;
        if agreements.contains(&id.as_str()) {
            return Ok(id);
        }
        let list = agreements.join(", ");
        let near = closest(&id, agreements.iter().copied());
        let (message, help) = if id.contains(['/', '\\']) || id.starts_with('.') {
            (
                format!("`{id}` is a path, expected the id of an agreement in the library"),
                format!("the library's agreements are: {list}"),
            )
        } else {
            let help = match near {
                Some(near) => format!("did you mean `{near}`? the library's agreements are: {list}"),
                None => format!("the library's agreements are: {list}"),
            };
            (format!("unknown agreement `{id}`"), help)
        };
        self.error(node.pos, "agreement", message, Some(help));
        Err(near.map(str::to_string))
    }

    /// The value of `field` written at `node`.
    fn value(&mut self, field: &Field, node: &Node, path: &str) -> Option<Val> {
        match &field.kind {
            Kind::Text { min_length, max_length, pattern, multiline } => {
                let text = self.lines(node, path, *min_length, *max_length, *multiline)?;
                if let Some(p) = pattern {
                    if !p.regex.is_match(&text) {
                        let like = field.example.as_ref().and_then(|e| match &e.value {
                            Value::Scalar { text, .. } => Some(format!(" like \"{text}\"")),
                            _ => None,
                        });
                        self.error(
                            node.pos,
                            path,
                            format!("expected text{}, found {}", like.unwrap_or_default(), node.describe()),
                            Some(match &field.help {
                                Some(help) => format!("{help}; it must match the pattern {}", p.source),
                                None => format!("it must match the pattern {}", p.source),
                            }),
                        );
                        return None;
                    }
                }
                Some(Val::Text(text))
            }
            Kind::Integer { min, max } => self.integer(node, path, *min, *max, &example_of(field)).map(Val::Integer),
            Kind::Decimal { min, max, decimals } => {
                self.number(node, path, false, (*min, true), *max, *decimals).map(Val::Number)
            }
            Kind::Percent { min, max, decimals } => {
                self.number(node, path, true, (Some(*min), false), Some(*max), Some(*decimals)).map(Val::Number)
            }
            Kind::Money { min, max } => self.money(node, path, *min, *max).map(Val::Money),
            Kind::Date { min, max } => match self.date(node, path)? {
                DateForm::Full(d) => self.date_range(node, path, d, *min, *max).map(Val::Date),
                _ => {
                    self.error(
                        node.pos,
                        path,
                        format!("expected a full date (1999-07-15), found {}", node.describe()),
                        Some("write the date as YYYY-MM-DD".into()),
                    );
                    None
                }
            },
            Kind::DateForm { min, max } => match self.date(node, path)? {
                DateForm::Full(d) => {
                    self.date_range(node, path, d, *min, *max).map(|d| Val::DateForm(DateForm::Full(d)))
                }
                other => Some(Val::DateForm(other)),
            },
            Kind::Bool => self.boolean(node, path).map(Val::Bool),
            Kind::Choice { values } => self.choice(node, path, "value", values).map(Val::Text),
            Kind::Jurisdiction => self.jurisdiction(node, path).map(Val::Text),
            Kind::SecFileNumber => self.file_number(node, path).map(Val::Text),
            Kind::Party => self.party(node, path),
            Kind::Group { fields } => self.group(fields, node, path, &[]),
            Kind::List { items, min_items, max_items } => {
                let Value::Seq(nodes) = &node.value else {
                    self.error(
                        node.pos,
                        path,
                        format!("expected a list, found {}", node.describe()),
                        Some("write each item on its own line starting with `- `".into()),
                    );
                    return None;
                };
                let (lo, hi) = (min_items.unwrap_or(0), max_items.unwrap_or(usize::MAX));
                if nodes.len() < lo || nodes.len() > hi {
                    let range = match (min_items, max_items) {
                        (Some(a), Some(b)) if a == b => format!("exactly {a}"),
                        (Some(a), Some(b)) => format!("{a} to {b}"),
                        (Some(a), None) => format!("at least {a}"),
                        (None, Some(b)) => format!("at most {b}"),
                        (None, None) => String::new(),
                    };
                    let s = |n: usize| if n == 1 { "" } else { "s" };
                    self.error(
                        node.pos,
                        path,
                        format!(
                            "expected {range} item{}, found {} item{}",
                            s(hi.min(lo.max(2))),
                            nodes.len(),
                            s(nodes.len())
                        ),
                        None,
                    );
                }
                let read: Vec<Option<Val>> =
                    nodes.iter().enumerate().map(|(i, n)| self.value(items, n, &format!("{path}[{i}]"))).collect();
                read.into_iter().collect::<Option<Vec<Val>>>().map(Val::List)
            }
        }
    }

    /// A mapping read against `fields`: unknown keys, missing required keys, defaults.
    fn group(&mut self, fields: &[Field], node: &Node, path: &str, also: &[&str]) -> Option<Val> {
        let Value::Map(entries) = &node.value else {
            let what = if path.is_empty() { "the deal sheet".to_string() } else { format!("`{path}`") };
            let example: Vec<String> = fields
                .iter()
                .filter(|f| f.required)
                .take(2)
                .map(|f| format!("{}: {}", f.name, example_of(f)))
                .collect();
            self.error(
                node.pos,
                path,
                format!("expected a mapping of keys for {what}, found {}", node.describe()),
                Some(format!("write its keys below it, e.g. {}", example.join(" and "))),
            );
            return None;
        };
        let allowed: Vec<&str> = also.iter().copied().chain(fields.iter().map(|f| &*f.name)).collect();
        let mut misspelt = Vec::new();
        let mut ok = true;
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
                ok = false;
            }
        }
        let mut out = Vec::with_capacity(fields.len());
        for field in fields {
            let child = join(path, &field.name);
            let given = entries.iter().find(|(k, _)| *k.name == *field.name);
            match given {
                Some((_, n)) if !n.is_null() => match self.value(field, n, &child) {
                    Some(v) => out.push((field.name.clone(), v)),
                    None => ok = false,
                },
                // `~` for a date form is the all-blank date.
                Some(_) if matches!(field.kind, Kind::DateForm { .. }) => {
                    out.push((field.name.clone(), Val::DateForm(DateForm::Blank)));
                }
                _ => {
                    if let Some(d) = &field.default {
                        out.push((field.name.clone(), d.clone()));
                    } else if field.required && !misspelt.contains(&&*field.name) {
                        let (pos, found) = match given {
                            Some((k, _)) => (k.pos, "is empty"),
                            None => (node.pos, "is missing"),
                        };
                        self.error(
                            pos,
                            &child,
                            format!("required key `{}` {found}", field.name),
                            Some(missing_hint(field)),
                        );
                        ok = false;
                    } else if field.required {
                        ok = false;
                    } else if let (Kind::Group { fields: inner }, false) = (&field.kind, field.declared_optional) {
                        // A group whose fields are all optional reads as an empty group.
                        let empty = Node { pos: node.pos, value: Value::Map(Vec::new()) };
                        if let Some(v) = self.group(inner, &empty, &child, &[]) {
                            out.push((field.name.clone(), v));
                        }
                    } else if matches!(field.kind, Kind::DateForm { .. }) {
                        out.push((field.name.clone(), Val::DateForm(DateForm::Blank)));
                    }
                }
            }
        }
        ok.then_some(Val::Group(out))
    }

    /// A party: the built-in party fields, then the rules a party's form implies (read from
    /// what was written, so they are reported even when another key of the party is wrong).
    fn party(&mut self, node: &Node, path: &str) -> Option<Val> {
        let v = self.group(party_fields(), node, path, &[]);
        let Value::Map(entries) = &node.value else { return v };
        let individual = matches!(given(entries, "entity").map(|n| &n.value),
            Some(Value::Scalar { text, .. }) if text.trim().eq_ignore_ascii_case("individual"));
        let Some(sig) = given(entries, "signatory") else { return v };
        let Value::Map(sig_entries) = &sig.value else { return v };
        let sig_path = join(path, "signatory");
        if let (true, Some(title)) = (individual, sig_entries.iter().find(|(k, _)| k.name == "title")) {
            self.error(
                title.0.pos,
                &join(&sig_path, "title"),
                "an individual signs in their own name, without a title".into(),
                Some("remove `title`, or give the party's `entity` if it is not an individual".into()),
            );
            return None;
        }
        if !individual && given(sig_entries, "name").is_none() {
            let pos = sig_entries.iter().find(|(k, _)| k.name == "name").map_or(sig.pos, |(k, _)| k.pos);
            self.error(
                pos,
                &join(&sig_path, "name"),
                "required key `name` is missing".into(),
                Some(
                    "add `name: \"Jane Doe\"` (only an individual may leave it out: the party's own name signs)".into(),
                ),
            );
            return None;
        }
        v
    }

    /// A string of printable text, trimmed, `min` to `max` characters.
    /// Text that may span lines when `multiline`: each line is checked as a line of text,
    /// and the lines are kept, trimmed, without blank ones.
    fn lines(&mut self, node: &Node, path: &str, min: usize, max: usize, multiline: bool) -> Option<String> {
        let Value::Scalar { text, plain } = &node.value else { return self.text(node, path, min, max) };
        if !multiline || !text.trim().contains('\n') {
            return self.text(node, path, min, max);
        }
        let mut kept = Vec::new();
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let one = Node { pos: node.pos, value: Value::Scalar { text: line.to_string(), plain: *plain } };
            kept.push(self.text(&one, path, 1, max)?);
        }
        let joined = kept.join("\n");
        let len = joined.chars().count();
        if len > max || len < min {
            return self.text(
                &Node { pos: node.pos, value: Value::Scalar { text: joined, plain: *plain } },
                path,
                min,
                max,
            );
        }
        Some(joined)
    }

    fn text(&mut self, node: &Node, path: &str, min: usize, max: usize) -> Option<String> {
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
        if len > max {
            self.error(
                node.pos,
                path,
                format!("is {len} characters long, more than the {max} allowed"),
                Some("shorten it".into()),
            );
            return None;
        }
        if len < min {
            self.error(node.pos, path, format!("is {len} characters long, fewer than the {min} required"), None);
            return None;
        }
        Some(text.to_string())
    }

    /// One of a fixed set of words, in any letter case; a near miss is named in the hint.
    fn choice(&mut self, node: &Node, path: &str, what: &str, choices: &[String]) -> Option<String> {
        let found = self.text(node, path, 1, 300)?;
        let wanted = found.split_whitespace().collect::<Vec<_>>().join(" ");
        if let Some(name) = choices.iter().find(|name| name.eq_ignore_ascii_case(&wanted)) {
            return Some(name.clone());
        }
        let names: Vec<&str> = choices.iter().map(String::as_str).collect();
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

    fn integer(&mut self, node: &Node, path: &str, min: Option<i64>, max: Option<i64>, example: &str) -> Option<i64> {
        let range = match (min, max) {
            (Some(a), Some(b)) => format!(" from {a} to {b}"),
            (Some(a), None) => format!(" of at least {a}"),
            (None, Some(b)) => format!(" of at most {b}"),
            (None, None) => String::new(),
        };
        let n = match &node.value {
            Value::Scalar { text, plain: true } => text.trim().parse::<i64>().ok(),
            _ => None,
        };
        let Some(n) = n else {
            let key = path.rsplit('.').next().unwrap_or(path);
            self.error(
                node.pos,
                path,
                format!("expected a whole number{range}, found {}", node.describe()),
                Some(format!("write the number in figures, without quotes: {key}: {example}")),
            );
            return None;
        };
        if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) {
            self.error(
                node.pos,
                path,
                format!("expected a whole number{range}, found {n}"),
                Some(format!("the allowed range is{}", range.replacen(" from", "", 1))),
            );
            return None;
        }
        Some(n)
    }

    /// A decimal or percent: a number or a digit string (`"5%"` for a percent).
    fn number(
        &mut self,
        node: &Node,
        path: &str,
        percent: bool,
        (min, min_inclusive): (Option<Decimal>, bool),
        max: Option<Decimal>,
        decimals: Option<u32>,
    ) -> Option<Decimal> {
        let what = if percent { "a percentage" } else { "a number" };
        let help = if percent {
            "write the rate as a number, e.g. 5 or 2.5 (or \"5%\")"
        } else {
            "write the number in figures, e.g. 2.5"
        };
        let text = match &node.value {
            Value::Scalar { text, .. } => text.trim(),
            _ => "",
        };
        let digits = if percent { text.strip_suffix('%').unwrap_or(text).trim_end() } else { text };
        let shaped = !digits.is_empty()
            && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
            && digits.matches('.').count() <= 1
            && !digits.starts_with('.')
            && !digits.ends_with('.');
        let Some(value) = shaped.then(|| Decimal::from_str(digits).ok()).flatten() else {
            self.error(node.pos, path, format!("expected {what}, found {}", node.describe()), Some(help.into()));
            return None;
        };
        let places = digits.split_once('.').map_or(0, |(_, d)| d.len()) as u32;
        if let Some(max_places) = decimals.filter(|d| places > *d) {
            self.error(
                node.pos,
                path,
                format!(
                    "expected {what} with at most {max_places} decimal{}, found {}",
                    if max_places == 1 { "" } else { "s" },
                    node.describe()
                ),
                Some(help.into()),
            );
            return None;
        }
        let unit = if percent { "%" } else { "" };
        let low = min.is_some_and(|m| if min_inclusive { value < m } else { value <= m });
        if low || max.is_some_and(|m| value > m) {
            let lo = min
                .map(|m| format!("{} {}{unit}", if min_inclusive { "at least" } else { "more than" }, m.normalize()));
            let hi = max.map(|m| format!("at most {}{unit}", m.normalize()));
            let range = [lo, hi].into_iter().flatten().collect::<Vec<_>>().join(" and ");
            self.error(node.pos, path, format!("expected {what} {range}, found {}", node.describe()), None);
            return None;
        }
        Some(value)
    }

    /// Dollars: digits with an optional point and at most two decimals, above zero (or
    /// at least the field's `min`), at most the field's `max`.
    fn money(&mut self, node: &Node, path: &str, min: Option<Decimal>, max: Option<Decimal>) -> Option<Decimal> {
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
        let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        let shaped = !whole.is_empty()
            && digits(whole)
            && cents.len() <= 2
            && digits(cents)
            && !(text.contains('.') && cents.is_empty());
        if !shaped {
            let message = if !whole.is_empty() && digits(whole) && cents.len() > 2 && digits(cents) {
                format!("expected an amount with at most two decimals, found {}", node.describe())
            } else {
                format!("expected an amount of dollars, found {}", node.describe())
            };
            self.error(node.pos, path, message, Some(help.into()));
            return None;
        }
        let Ok(amount) = Decimal::from_str(text) else {
            self.error(
                node.pos,
                path,
                format!("expected an amount of dollars, found {}", node.describe()),
                Some(help.into()),
            );
            return None;
        };
        let max = max.unwrap_or_else(max_money).min(max_money());
        if amount > max {
            self.error(
                node.pos,
                path,
                format!(
                    "expected an amount of at most {}, found {}",
                    crate::render::filters::format_money(max),
                    node.describe()
                ),
                Some(help.into()),
            );
            return None;
        }
        match min {
            Some(m) if amount < m => {
                self.error(
                    node.pos,
                    path,
                    format!(
                        "expected an amount of at least {}, found {}",
                        crate::render::filters::format_money(m),
                        node.describe()
                    ),
                    Some(help.into()),
                );
                None
            }
            None if amount.is_zero() => {
                self.error(
                    node.pos,
                    path,
                    format!("expected an amount more than zero, found {}", node.describe()),
                    Some(help.into()),
                );
                None
            }
            _ => Some(amount),
        }
    }

    fn date_range(
        &mut self,
        node: &Node,
        path: &str,
        d: NaiveDate,
        min: Option<NaiveDate>,
        max: Option<NaiveDate>,
    ) -> Option<NaiveDate> {
        if min.is_some_and(|m| d < m) || max.is_some_and(|m| d > m) {
            let lo = min.map(|m| format!("on or after {m}"));
            let hi = max.map(|m| format!("on or before {m}"));
            let range = [lo, hi].into_iter().flatten().collect::<Vec<_>>().join(" and ");
            self.error(node.pos, path, format!("expected a date {range}, found {d}"), None);
            return None;
        }
        Some(d)
    }

    /// A date form: `1999-07-15`, `1999`, or nothing.
    fn date(&mut self, node: &Node, path: &str) -> Option<DateForm> {
        let Value::Scalar { text, .. } = &node.value else {
            self.error(
                node.pos,
                path,
                format!("expected a date (1999-07-15) or a year (1999), found {}", node.describe()),
                None,
            );
            return None;
        };
        let text = text.trim();
        let range_help = "a year from 1800 to 2200";
        if text.len() == 4 && text.chars().all(|c| c.is_ascii_digit()) {
            let year: i32 = text.parse().unwrap_or(0);
            if (1800..=2200).contains(&year) {
                return Some(DateForm::Year(year));
            }
            self.error(
                node.pos,
                path,
                format!("the year {year} is out of range"),
                Some(format!("expected {range_help}")),
            );
            return None;
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
            return None;
        }
        let (y, m, d) = (parts[0].parse().unwrap_or(0), parts[1].parse().unwrap_or(0), parts[2].parse().unwrap_or(0));
        match NaiveDate::from_ymd_opt(y, m, d) {
            Some(date) if (1800..=2200).contains(&y) => Some(DateForm::Full(date)),
            Some(_) => {
                self.error(
                    node.pos,
                    path,
                    format!("the year {y} is out of range"),
                    Some(format!("expected {range_help}")),
                );
                None
            }
            None => {
                let help = match (1..=12).contains(&m) {
                    true => format!("{} {y} has {} days", month_name(m), days_in_month(y, m)),
                    false => "the month is a number from 01 to 12".to_string(),
                };
                self.error(node.pos, path, format!("{text} is not a real date"), Some(help));
                None
            }
        }
    }

    fn boolean(&mut self, node: &Node, path: &str) -> Option<bool> {
        if let Value::Scalar { text, plain: true } = &node.value {
            match text.as_str() {
                "true" | "True" | "TRUE" => return Some(true),
                "false" | "False" | "FALSE" => return Some(false),
                _ => {}
            }
        }
        self.error(
            node.pos,
            path,
            format!("expected true or false, found {}", node.describe()),
            Some("write `true` or `false`, without quotes".into()),
        );
        None
    }

    fn jurisdiction(&mut self, node: &Node, path: &str) -> Option<String> {
        let text = self.text(node, path, 1, 300)?;
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

    fn file_number(&mut self, node: &Node, path: &str) -> Option<String> {
        let text = self.text(node, path, 1, 300)?;
        let ok = text
            .strip_prefix("333-")
            .is_some_and(|digits| (1..=6).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit()));
        if ok {
            return Some(text);
        }
        self.error(
            node.pos,
            path,
            format!("expected an SEC file number, found {}", node.describe()),
            Some("an SEC file number is `333-` followed by up to six digits, in quotes: \"333-79935\"".into()),
        );
        None
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

/// The value of key `k` in a mapping's entries, unless it is null.
fn given<'a>(entries: &'a [(Key, Node)], k: &str) -> Option<&'a Node> {
    entries.iter().find(|(key, n)| key.name == k && !n.is_null()).map(|(_, n)| n)
}
