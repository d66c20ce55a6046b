//! A manifest (`templates/<agreement>.yaml`) read into an [`Agreement`]: its fields with
//! their types and rules, computed values, sections and checks (`docs/library.md`).
//!
//! Manifests are read with the deal sheets' positioned YAML reader, so every problem
//! names file:line:col and the key path, and misspelt keys get the closest known key.

use crate::deal::value::Val;
use crate::deal::yaml::{Key, Node, Value};
use crate::diagnostic::{closest, Diagnostic, Pos, Severity};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::str::FromStr;

/// An agreement of the library, as its manifest declares it.
#[derive(Debug)]
pub struct Agreement {
    /// The id a deal sheet names in `agreement:` (the manifest's file stem).
    pub id: String,
    pub title: String,
    pub description: String,
    /// The deal sheet's keys besides `agreement`.
    pub fields: Vec<Field>,
    pub computed: Vec<Computed>,
    pub sections: Vec<Section>,
    pub checks: Vec<Check>,
    /// The manifest file, as named in messages.
    pub file: String,
    /// The top-level values the conditions of sections and checks read (set when loaded):
    /// only these are given to conditions, as numbers where they hold amounts.
    pub condition_roots: Vec<String>,
    /// The names of two templates registered when loaded that evaluate, in one render each,
    /// every section condition and every check condition in order ("1" or "0" each).
    pub all_sections_template: String,
    pub all_checks_template: String,
}

impl Agreement {
    /// The body template's name.
    pub fn template(&self) -> String {
        format!("{}.md.tera", self.id)
    }
}

/// A declared deal-sheet key.
#[derive(Debug, Clone)]
pub struct Field {
    /// The key; shared (not copied) by every value read for it.
    pub name: std::sync::Arc<str>,
    pub kind: Kind,
    pub required: bool,
    /// `required: false` was written (an absent group is then none, not empty).
    pub declared_optional: bool,
    pub default: Option<Val>,
    pub help: Option<String>,
    /// The value `init` writes (as YAML source).
    pub example: Option<Node>,
    pub pos: Pos,
}

/// A field's type with its rules.
#[derive(Debug, Clone)]
pub enum Kind {
    /// `multiline`: the text may hold line breaks (an address), each line checked as a line.
    Text {
        min_length: usize,
        max_length: usize,
        pattern: Option<Pattern>,
        multiline: bool,
    },
    Integer {
        min: Option<i64>,
        max: Option<i64>,
    },
    Decimal {
        min: Option<Decimal>,
        max: Option<Decimal>,
        decimals: Option<u32>,
    },
    Percent {
        min: Decimal,
        max: Decimal,
        decimals: u32,
    },
    Money {
        min: Option<Decimal>,
        max: Option<Decimal>,
    },
    Date {
        min: Option<NaiveDate>,
        max: Option<NaiveDate>,
    },
    DateForm {
        min: Option<NaiveDate>,
        max: Option<NaiveDate>,
    },
    Bool,
    Choice {
        values: Vec<String>,
    },
    Jurisdiction,
    Party,
    SecFileNumber,
    Group {
        fields: Vec<Field>,
    },
    List {
        items: Box<Field>,
        min_items: Option<usize>,
        max_items: Option<usize>,
    },
}

/// The type names of the format, as a manifest writes them.
pub const TYPES: [&str; 14] = [
    "text",
    "integer",
    "decimal",
    "percent",
    "money",
    "date",
    "date-form",
    "bool",
    "choice",
    "jurisdiction",
    "party",
    "sec-file-number",
    "group",
    "list",
];

impl Kind {
    /// The type's name in the format.
    pub fn name(&self) -> &'static str {
        match self {
            Kind::Text { .. } => "text",
            Kind::Integer { .. } => "integer",
            Kind::Decimal { .. } => "decimal",
            Kind::Percent { .. } => "percent",
            Kind::Money { .. } => "money",
            Kind::Date { .. } => "date",
            Kind::DateForm { .. } => "date-form",
            Kind::Bool => "bool",
            Kind::Choice { .. } => "choice",
            Kind::Jurisdiction => "jurisdiction",
            Kind::Party => "party",
            Kind::SecFileNumber => "sec-file-number",
            Kind::Group { .. } => "group",
            Kind::List { .. } => "list",
        }
    }

    /// The rule keys a field of this type may have besides the common ones.
    fn rule_keys(name: &str) -> &'static [&'static str] {
        match name {
            "text" => &["min_length", "max_length", "pattern", "multiline"],
            "integer" | "money" | "date" | "date-form" => &["min", "max"],
            "decimal" | "percent" => &["min", "max", "decimals"],
            "choice" => &["values"],
            "group" => &["fields"],
            "list" => &["items", "min_items", "max_items"],
            _ => &[],
        }
    }
}

/// A text pattern, with its source for messages and the JSON Schema.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub source: String,
    pub regex: regex::Regex,
}

/// A computed value: one operation over field paths and numbers.
#[derive(Debug, Clone)]
pub struct Computed {
    pub name: String,
    pub op: Op,
    pub operands: Vec<Operand>,
    pub pos: Pos,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Product,
    Sum,
    PercentOf,
    AddMonths,
    Count,
}

pub const OPS: [(&str, Op); 5] = [
    ("product", Op::Product),
    ("sum", Op::Sum),
    ("percent_of", Op::PercentOf),
    ("add_months", Op::AddMonths),
    ("count", Op::Count),
];

#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Path { path: String, pos: Pos },
    Number(Decimal),
}

/// A numbered section: a clause, kept when its condition holds.
#[derive(Debug, Clone)]
pub struct Section {
    pub clause: String,
    pub when: Option<Condition>,
    pub help: Option<String>,
    pub pos: Pos,
}

/// A tera expression over the deal's values.
#[derive(Debug, Clone)]
pub struct Condition {
    pub source: String,
    pub pos: Pos,
    /// The name it is registered under once loaded (`__when/...`, `__check/...`).
    pub template: String,
}

/// A cross-field rule.
#[derive(Debug, Clone)]
pub struct Check {
    pub when: Condition,
    /// The field path the message points at, and where the manifest names it.
    pub at: String,
    pub at_pos: Pos,
    pub severity: Severity,
    /// The message; may use `{{ ... }}` over the deal's values.
    pub message: String,
    pub help: Option<String>,
    pub pos: Pos,
}

/// Reads one manifest. `id` is its file stem, `file` its name in messages. Every problem
/// is collected.
pub fn read(id: &str, file: &str, src: &str) -> Result<Agreement, Vec<Diagnostic>> {
    let named = |ds: Vec<Diagnostic>| ds.into_iter().map(|d| d.in_file(file)).collect::<Vec<_>>();
    let (root, dups) = crate::deal::yaml::parse(src).map_err(|d| named(vec![d]))?;
    let mut r = Reader { diags: dups };
    let agreement = r.agreement(id, file, &root);
    match agreement {
        Some(a) if r.diags.is_empty() => Ok(a),
        _ => {
            crate::diagnostic::sort(&mut r.diags);
            Err(named(r.diags))
        }
    }
}

const TOP_KEYS: [&str; 6] = ["title", "description", "fields", "computed", "sections", "checks"];
const FIELD_KEYS: [&str; 6] = ["type", "required", "default", "help", "example", "when"];

struct Reader {
    diags: Vec<Diagnostic>,
}

/// The value of key `k` in a mapping's entries.
fn entry<'n>(entries: &'n [(Key, Node)], k: &str) -> Option<&'n Node> {
    entries.iter().find(|(key, _)| key.name == k).map(|(_, v)| v)
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn scalar(node: &Node) -> Option<&str> {
    match &node.value {
        Value::Scalar { text, .. } if !node.is_null() => Some(text.as_str()),
        _ => None,
    }
}

impl Reader {
    fn error(&mut self, pos: Pos, path: &str, message: impl Into<String>, help: Option<String>) {
        let mut d = Diagnostic::error(pos, path, message);
        d.help = help;
        self.diags.push(d);
    }

    /// The entries of a mapping whose keys must be among `allowed`.
    fn map<'a>(&mut self, node: &'a Node, path: &str, allowed: &[&str]) -> Option<&'a [(Key, Node)]> {
        let Value::Map(entries) = &node.value else {
            self.error(node.pos, path, format!("expected a mapping, found {}", node.describe()), None);
            return None;
        };
        for (key, _) in entries {
            if !allowed.contains(&key.name.as_str()) {
                let help = match closest(&key.name, allowed.iter().copied()) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!("the keys allowed here are: {}", allowed.join(", ")),
                };
                self.error(key.pos, &join(path, &key.name), format!("unknown key `{}`", key.name), Some(help));
            }
        }
        Some(entries)
    }

    fn text(&mut self, node: &Node, path: &str) -> Option<String> {
        match scalar(node) {
            Some(t) => Some(t.to_string()),
            None => {
                self.error(node.pos, path, format!("expected text, found {}", node.describe()), None);
                None
            }
        }
    }

    fn agreement(&mut self, id: &str, file: &str, root: &Node) -> Option<Agreement> {
        let entries = self.map(root, "", &TOP_KEYS)?;
        let get = |k: &str| entry(entries, k);
        let title = match get("title") {
            Some(n) => self.text(n, "title"),
            None => {
                self.error(root.pos, "title", "required key `title` is missing", Some("add `title: ...`".into()));
                None
            }
        };
        let description = get("description").and_then(|n| self.text(n, "description")).unwrap_or_default();
        let fields = match get("fields") {
            Some(n) => self.fields(n, "fields"),
            None => Vec::new(),
        };
        let computed = get("computed").map(|n| self.computed(n)).unwrap_or_default();
        let sections = get("sections").map(|n| self.sections(n)).unwrap_or_default();
        let checks = get("checks").map(|n| self.checks(n)).unwrap_or_default();
        if fields.iter().any(|f| &*f.name == "agreement") {
            let pos = fields.iter().find(|f| &*f.name == "agreement").map_or(root.pos, |f| f.pos);
            self.error(pos, "fields.agreement", "`agreement` is the deal sheet's own key and cannot be declared", None);
        }
        let mut names: Vec<&str> = fields.iter().map(|f| &*f.name).collect();
        for c in &computed {
            if names.contains(&c.name.as_str()) {
                self.error(c.pos, &join("computed", &c.name), format!("`{}` is already a field", c.name), None);
            }
            names.push(&c.name);
        }
        Some(Agreement {
            id: id.to_string(),
            title: title?,
            description,
            fields,
            computed,
            sections,
            checks,
            file: file.to_string(),
            condition_roots: Vec::new(),
            all_sections_template: String::new(),
            all_checks_template: String::new(),
        })
    }

    fn fields(&mut self, node: &Node, path: &str) -> Vec<Field> {
        let Value::Map(entries) = &node.value else {
            self.error(node.pos, path, format!("expected a mapping of fields, found {}", node.describe()), None);
            return Vec::new();
        };
        entries.iter().filter_map(|(k, v)| self.field(&k.name, k.pos, v, &join(path, &k.name))).collect()
    }

    fn field(&mut self, name: &str, pos: Pos, node: &Node, path: &str) -> Option<Field> {
        let Value::Map(entries) = &node.value else {
            self.error(
                node.pos,
                path,
                format!("expected a field (a mapping with `type`), found {}", node.describe()),
                Some(format!("write e.g. `{name}: {{ type: text }}`")),
            );
            return None;
        };
        let get = |k: &str| entry(entries, k);
        let type_name = match get("type").and_then(scalar) {
            Some(t) if TYPES.contains(&t) => t.to_string(),
            Some(t) => {
                let node = get("type").unwrap_or(node);
                let help = match closest(t, TYPES) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!("the types are: {}", TYPES.join(", ")),
                };
                self.error(node.pos, &join(path, "type"), format!("unknown type `{t}`"), Some(help));
                return None;
            }
            None => {
                self.error(
                    node.pos,
                    path,
                    "a field needs a `type`",
                    Some(format!("the types are: {}", TYPES.join(", "))),
                );
                return None;
            }
        };
        let mut allowed: Vec<&str> = FIELD_KEYS.to_vec();
        allowed.extend(Kind::rule_keys(&type_name));
        for (key, _) in entries {
            if allowed.contains(&key.name.as_str()) {
                continue;
            }
            let kp = join(path, &key.name);
            let mut all_keys = FIELD_KEYS.iter().chain(TYPES.iter().flat_map(|t| Kind::rule_keys(t).iter())).copied();
            if all_keys.any(|k| k == key.name) {
                self.error(key.pos, &kp, format!("`{}` does not apply to a {type_name} field", key.name), None);
            } else {
                let help = match closest(&key.name, allowed.iter().copied()) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!("the keys allowed here are: {}", allowed.join(", ")),
                };
                self.error(key.pos, &kp, format!("unknown key `{}`", key.name), Some(help));
            }
        }
        let num = |r: &mut Reader, k: &str| -> Option<Decimal> {
            let n = get(k)?;
            match scalar(n).and_then(|t| Decimal::from_str(t.trim().trim_end_matches('%')).ok()) {
                Some(d) => Some(d),
                None => {
                    r.error(n.pos, &join(path, k), format!("expected a number, found {}", n.describe()), None);
                    None
                }
            }
        };
        let int = |r: &mut Reader, k: &str| -> Option<i64> {
            let n = get(k)?;
            match scalar(n).and_then(|t| t.trim().parse::<i64>().ok()) {
                Some(d) => Some(d),
                None => {
                    r.error(n.pos, &join(path, k), format!("expected a whole number, found {}", n.describe()), None);
                    None
                }
            }
        };
        let date = |r: &mut Reader, k: &str| -> Option<NaiveDate> {
            let n = get(k)?;
            match scalar(n).and_then(|t| NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d").ok()) {
                Some(d) => Some(d),
                None => {
                    r.error(
                        n.pos,
                        &join(path, k),
                        format!("expected a date (1999-07-15), found {}", n.describe()),
                        None,
                    );
                    None
                }
            }
        };
        let size = |r: &mut Reader, k: &str| int(r, k).and_then(|n| usize::try_from(n).ok());
        let kind = match type_name.as_str() {
            "text" => {
                let pattern = get("pattern").and_then(|n| {
                    let source = self.text(n, &join(path, "pattern"))?;
                    match regex::Regex::new(&source) {
                        Ok(regex) => Some(Pattern { source, regex }),
                        Err(e) => {
                            let first = e.to_string().lines().last().unwrap_or("").trim().to_string();
                            self.error(
                                n.pos,
                                &join(path, "pattern"),
                                format!("the pattern does not parse: {first}"),
                                None,
                            );
                            None
                        }
                    }
                });
                let multiline = get("multiline").is_some_and(|n| matches!(scalar(n), Some("true" | "True" | "TRUE")));
                Kind::Text {
                    min_length: size(self, "min_length").unwrap_or(1),
                    max_length: size(self, "max_length").unwrap_or(300),
                    pattern,
                    multiline,
                }
            }
            "integer" => Kind::Integer { min: int(self, "min"), max: int(self, "max") },
            "decimal" => Kind::Decimal {
                min: num(self, "min"),
                max: num(self, "max"),
                decimals: int(self, "decimals").map(|d| d.clamp(0, 28) as u32),
            },
            "percent" => Kind::Percent {
                min: num(self, "min").unwrap_or(Decimal::ZERO),
                max: num(self, "max").unwrap_or(Decimal::ONE_HUNDRED),
                decimals: int(self, "decimals").map_or(2, |d| d.clamp(0, 28) as u32),
            },
            "money" => Kind::Money { min: num(self, "min"), max: num(self, "max") },
            "date" => Kind::Date { min: date(self, "min"), max: date(self, "max") },
            "date-form" => Kind::DateForm { min: date(self, "min"), max: date(self, "max") },
            "bool" => Kind::Bool,
            "choice" => {
                let values = match get("values") {
                    Some(Node { value: Value::Seq(items), .. }) if !items.is_empty() => {
                        items.iter().filter_map(|i| self.text(i, &join(path, "values"))).collect()
                    }
                    Some(n) => {
                        self.error(n.pos, &join(path, "values"), "expected a list of the values to choose from", None);
                        Vec::new()
                    }
                    None => {
                        self.error(
                            pos,
                            &join(path, "values"),
                            "a choice needs `values`",
                            Some("add e.g. `values: [permitted, restricted]`".into()),
                        );
                        Vec::new()
                    }
                };
                Kind::Choice { values }
            }
            "jurisdiction" => Kind::Jurisdiction,
            "party" => Kind::Party,
            "sec-file-number" => Kind::SecFileNumber,
            "group" => match get("fields") {
                Some(n) => Kind::Group { fields: self.fields(n, &join(path, "fields")) },
                None => {
                    self.error(pos, &join(path, "fields"), "a group needs `fields`", None);
                    Kind::Group { fields: Vec::new() }
                }
            },
            _ => {
                let items = match get("items") {
                    Some(n) => self.field("items", n.pos, n, &join(path, "items")),
                    None => {
                        self.error(
                            pos,
                            &join(path, "items"),
                            "a list needs `items`",
                            Some("add e.g. `items: { type: text }`".into()),
                        );
                        None
                    }
                };
                Kind::List {
                    items: Box::new(items.unwrap_or_else(|| Field::new("items", Kind::Bool))),
                    min_items: size(self, "min_items"),
                    max_items: size(self, "max_items"),
                }
            }
        };
        let required_node = get("required");
        let required_given = required_node.map(|n| match scalar(n) {
            Some("true" | "True" | "TRUE") => true,
            Some("false" | "False" | "FALSE") => false,
            _ => {
                self.error(
                    n.pos,
                    &join(path, "required"),
                    format!("expected true or false, found {}", n.describe()),
                    None,
                );
                true
            }
        });
        let help = get("help").and_then(|n| self.text(n, &join(path, "help")));
        let mut field = Field {
            name: name.into(),
            kind,
            required: true,
            declared_optional: required_given == Some(false),
            default: None,
            help,
            example: get("example").cloned(),
            pos,
        };
        if let Some(n) = get("default") {
            let mut found = Vec::new();
            field.default = crate::deal::validate::read_value(&field, n, &join(path, "default"), &mut found);
            for d in found.into_iter().filter(Diagnostic::is_error) {
                self.error(d.pos, &join(path, "default"), format!("the default is not valid: {}", d.message), d.help);
            }
        }
        let all_optional_group = matches!(&field.kind, Kind::Group { fields } if fields.iter().all(|f| !f.required));
        field.required = required_given.unwrap_or(field.default.is_none() && !all_optional_group);
        Some(field)
    }

    fn computed(&mut self, node: &Node) -> Vec<Computed> {
        let Value::Map(entries) = &node.value else {
            self.error(
                node.pos,
                "computed",
                format!("expected a mapping of computed values, found {}", node.describe()),
                None,
            );
            return Vec::new();
        };
        let names: Vec<&str> = OPS.iter().map(|(n, _)| *n).collect();
        let mut out = Vec::new();
        for (key, value) in entries {
            let path = join("computed", &key.name);
            let Some(ops) = self.map(value, &path, &names) else { continue };
            let [(op_key, args)] = ops else {
                self.error(
                    value.pos,
                    &path,
                    "a computed value is exactly one operation",
                    Some(format!("write e.g. `{}: {{ product: [fee.monthly, term.months] }}`", key.name)),
                );
                continue;
            };
            let Some(op) = OPS.iter().find(|(n, _)| *n == op_key.name).map(|(_, op)| *op) else { continue };
            let items: Vec<&Node> = match (&args.value, op) {
                (Value::Seq(items), _) => items.iter().collect(),
                (Value::Scalar { .. }, Op::Count) => vec![args],
                _ => {
                    self.error(
                        args.pos,
                        &join(&path, &op_key.name),
                        format!("expected a list of operands, found {}", args.describe()),
                        None,
                    );
                    continue;
                }
            };
            let operands: Vec<Operand> = items
                .iter()
                .filter_map(|n| {
                    let text = scalar(n)?.trim();
                    Some(match Decimal::from_str(text) {
                        Ok(d) => Operand::Number(d),
                        Err(_) => Operand::Path { path: text.to_string(), pos: n.pos },
                    })
                })
                .collect();
            let arity = match op {
                Op::PercentOf | Op::AddMonths => Some(2),
                Op::Count => Some(1),
                Op::Product | Op::Sum => None,
            };
            let wrong = match arity {
                Some(n) => operands.len() != n,
                None => operands.is_empty(),
            };
            if wrong || operands.len() != items.len() {
                let wanted = arity.map_or("one or more operands".to_string(), |n| {
                    format!("{n} operand{}", if n == 1 { "" } else { "s" })
                });
                self.error(
                    args.pos,
                    &join(&path, &op_key.name),
                    format!("`{}` takes {wanted}, field paths or numbers", op_key.name),
                    None,
                );
                continue;
            }
            out.push(Computed { name: key.name.clone(), op, operands, pos: key.pos });
        }
        out
    }

    fn sections(&mut self, node: &Node) -> Vec<Section> {
        let Value::Seq(items) = &node.value else {
            self.error(node.pos, "sections", format!("expected a list of sections, found {}", node.describe()), None);
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let path = format!("sections.{i}");
            if let Some(clause) = scalar(item) {
                out.push(Section { clause: clause.to_string(), when: None, help: None, pos: item.pos });
                continue;
            }
            let Some(entries) = self.map(item, &path, &["clause", "when", "help"]) else { continue };
            let get = |k: &str| entry(entries, k);
            let Some(clause) = get("clause").and_then(|n| self.text(n, &join(&path, "clause"))) else {
                if get("clause").is_none() {
                    self.error(item.pos, &path, "a section needs `clause`", Some("write `{ clause: fees }`".into()));
                }
                continue;
            };
            let when = get("when").and_then(|n| {
                self.text(n, &join(&path, "when")).map(|source| Condition {
                    source,
                    pos: n.pos,
                    template: String::new(),
                })
            });
            let help = get("help").and_then(|n| self.text(n, &join(&path, "help")));
            out.push(Section { clause, when, help, pos: get("clause").map_or(item.pos, |n| n.pos) });
        }
        for (i, s) in out.iter().enumerate() {
            if out[..i].iter().any(|o| o.clause == s.clause) {
                self.error(s.pos, "sections", format!("the clause `{}` is listed twice", s.clause), None);
            }
        }
        out
    }

    fn checks(&mut self, node: &Node) -> Vec<Check> {
        let Value::Seq(items) = &node.value else {
            self.error(node.pos, "checks", format!("expected a list of checks, found {}", node.describe()), None);
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let path = format!("checks.{i}");
            let Some(entries) = self.map(item, &path, &["when", "at", "error", "warning", "help"]) else { continue };
            let get = |k: &str| entry(entries, k);
            let when = get("when").and_then(|n| {
                self.text(n, &join(&path, "when")).map(|source| Condition {
                    source,
                    pos: n.pos,
                    template: String::new(),
                })
            });
            let at = get("at").and_then(|n| self.text(n, &join(&path, "at")));
            let at_pos = get("at").map_or(item.pos, |n| n.pos);
            let (severity, message) = match (get("error"), get("warning")) {
                (Some(n), None) => (Severity::Error, self.text(n, &join(&path, "error"))),
                (None, Some(n)) => (Severity::Warning, self.text(n, &join(&path, "warning"))),
                _ => {
                    self.error(item.pos, &path, "a check needs either `error` or `warning` (its message)", None);
                    continue;
                }
            };
            for (key, value) in [("when", when.is_some()), ("at", at.is_some())] {
                if !value && get(key).is_none() {
                    self.error(item.pos, &path, format!("a check needs `{key}`"), None);
                }
            }
            let help = get("help").and_then(|n| self.text(n, &join(&path, "help")));
            if let (Some(when), Some(at), Some(message)) = (when, at, message) {
                out.push(Check { when, at, at_pos, severity, message, help, pos: item.pos });
            }
        }
        out
    }
}

impl Field {
    /// A required field of `kind` with no rules (for built-in types such as the party).
    pub fn new(name: &str, kind: Kind) -> Field {
        Field {
            name: name.into(),
            kind,
            required: true,
            declared_optional: false,
            default: None,
            help: None,
            example: None,
            pos: Pos::default(),
        }
    }

    /// The same field, optional.
    pub fn optional(mut self) -> Field {
        self.required = false;
        self.declared_optional = true;
        self
    }

    /// With a default value.
    pub fn with_default(mut self, v: Val) -> Field {
        self.required = false;
        self.default = Some(v);
        self
    }

    /// With a help line.
    pub fn with_help(mut self, help: &str) -> Field {
        self.help = Some(help.to_string());
        self
    }
}
