//! The JSON Schema (draft 2020-12) of deal sheets, built from the manifests: one schema
//! for every agreement of the layered library, the `agreement` key choosing which
//! agreement's keys apply, so one schema file serves a folder of mixed deal sheets.
//!
//! The schema accepts every sheet the tool accepts (any letter case for choices and
//! states, "State of Florida", an unquoted `exhibit: 1.4`, `True`) and rejects what a
//! schema can express. Descriptions come from the fields' `help`.

use super::manifest::{Agreement, Field, Kind};
use super::Library;
use crate::deal::states::JURISDICTIONS;
use serde_json::{json, Map, Value};

/// The schema as pretty JSON ending in a newline; `only` limits it to one agreement.
pub fn json_schema(library: &Library, only: Option<&str>) -> String {
    let agreements: Vec<&Agreement> = library.agreements().filter(|a| only.is_none_or(|id| a.id == id)).collect();
    let ids: Vec<&str> = agreements.iter().map(|a| a.id.as_str()).collect();
    let mut defs = Map::new();
    let mut all_of = Vec::new();
    for a in &agreements {
        let mut schema = object(&a.fields);
        if let Value::Object(o) = &mut schema {
            o.insert("title".into(), json!(a.title));
            if let Some(Value::Object(props)) = o.get_mut("properties") {
                props.insert("agreement".into(), json!({ "const": a.id }));
            }
        }
        defs.insert(a.id.clone(), schema);
        all_of.push(json!({
            "if": { "properties": { "agreement": { "const": a.id } }, "required": ["agreement"] },
            "then": { "$ref": format!("#/$defs/{}", a.id) }
        }));
    }
    let schema = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "clausewright deal sheet, version 1",
        "type": "object",
        "properties": { "agreement": { "enum": ids, "description": "Which agreement of the library to assemble (`clausewright list`)" } },
        "required": ["agreement"],
        "allOf": all_of,
        "$defs": defs,
    });
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

fn object(fields: &[Field]) -> Value {
    let mut props = Map::new();
    let mut required = Vec::new();
    for f in fields {
        props.insert(f.name.to_string(), field(f));
        if f.required {
            required.push(f.name.to_string());
        }
    }
    json!({ "type": "object", "properties": props, "required": required, "additionalProperties": false })
}

fn field(f: &Field) -> Value {
    let mut schema = kind(&f.kind);
    if !f.required {
        schema = json!({ "anyOf": [schema, { "type": "null" }] });
    }
    if let (Some(help), Value::Object(o)) = (&f.help, &mut schema) {
        o.insert("description".into(), json!(help));
    }
    schema
}

/// A pattern matching `word` in any letter case, spaces as any run of white space.
fn any_case(word: &str) -> String {
    word.chars()
        .map(|c| match c {
            c if c.is_ascii_alphabetic() => format!("[{}{}]", c.to_ascii_lowercase(), c.to_ascii_uppercase()),
            ' ' => "\\s+".to_string(),
            c if c.is_ascii_alphanumeric() => c.to_string(),
            c => format!("\\{c}"),
        })
        .collect()
}

fn choice(values: &[&str], prefix: &str) -> Value {
    let alternatives: Vec<String> = values.iter().map(|v| any_case(v)).collect();
    json!({ "anyOf": [
        { "enum": values },
        { "type": "string", "pattern": format!("^\\s*{prefix}(?:{})\\s*$", alternatives.join("|")) }
    ]})
}

fn text(min: usize, max: usize, pattern: Option<&str>) -> Value {
    let mut s = json!({ "type": "string", "minLength": min, "maxLength": max });
    s["pattern"] = json!(pattern.unwrap_or("\\S"));
    s
}

fn kind(k: &Kind) -> Value {
    let money_text = "^(?!0+(\\.0+)?$)\\d{1,12}(\\.\\d{1,2})?$";
    match k {
        Kind::Text { min_length, max_length, pattern, .. } => {
            let string = text(*min_length, *max_length, pattern.as_ref().map(|p| p.source.as_str()));
            // A plain number (`exhibit: 1.4`) is read as its text.
            match pattern.as_ref().is_none_or(|p| p.regex.is_match("1.4") || p.regex.is_match("1")) {
                true => json!({ "anyOf": [string, { "type": "number" }] }),
                false => string,
            }
        }
        Kind::Integer { min, max } => {
            let mut s = json!({ "type": "integer" });
            if let Some(m) = min {
                s["minimum"] = json!(m);
            }
            if let Some(m) = max {
                s["maximum"] = json!(m);
            }
            s
        }
        Kind::Decimal { min, max, decimals } => number(min.as_ref(), true, max.as_ref(), *decimals, false),
        Kind::Percent { min, max, decimals } => number(Some(min), false, Some(max), Some(*decimals), true),
        Kind::Money { min, max } => {
            let mut n = json!({ "type": "number", "maximum": 999_999_999_999.99_f64, "multipleOf": 0.01 });
            match min {
                Some(m) => n["minimum"] = json!(m.to_string().parse::<f64>().unwrap_or(0.0)),
                None => n["exclusiveMinimum"] = json!(0),
            }
            if let Some(m) = max {
                n["maximum"] = json!(m.to_string().parse::<f64>().unwrap_or(0.0));
            }
            json!({
                "description": "US dollars: at most two decimals, no $ or commas (4000, 4000.5, \"4000.50\")",
                "anyOf": [n, { "type": "string", "pattern": money_text }]
            })
        }
        Kind::Date { .. } => json!({ "type": "string", "pattern": "^\\d{4}-\\d{1,2}-\\d{1,2}$" }),
        Kind::DateForm { .. } => json!({
            "description": "A full date (1999-07-15), a year alone (1999: day and month left blank), or null (all blank)",
            "anyOf": [
                { "type": "string", "pattern": "^\\d{4}-\\d{1,2}-\\d{1,2}$" },
                { "type": "integer", "minimum": 1800, "maximum": 2200 },
                { "type": "string", "pattern": "^\\d{4}$" },
                { "type": "null" }
            ]
        }),
        Kind::Bool => json!({ "anyOf": [{ "type": "boolean" }, { "enum": ["True", "TRUE", "False", "FALSE"] }] }),
        Kind::Choice { values } => choice(&values.iter().map(String::as_str).collect::<Vec<_>>(), ""),
        Kind::Jurisdiction => choice(&JURISDICTIONS, "(?:[Tt][Hh][Ee]\\s+)?(?:[Ss][Tt][Aa][Tt][Ee]\\s+[Oo][Ff]\\s+)?"),
        Kind::SecFileNumber => json!({ "type": "string", "pattern": "^333-[0-9]{1,6}$" }),
        Kind::Party => party(),
        Kind::Group { fields } => object(fields),
        Kind::List { items, min_items, max_items } => {
            let mut s = json!({ "type": "array", "items": field(items) });
            if let Some(m) = min_items {
                s["minItems"] = json!(m);
            }
            if let Some(m) = max_items {
                s["maxItems"] = json!(m);
            }
            s
        }
    }
}

fn number(
    min: Option<&rust_decimal::Decimal>,
    inclusive: bool,
    max: Option<&rust_decimal::Decimal>,
    decimals: Option<u32>,
    percent: bool,
) -> Value {
    let f = |d: &rust_decimal::Decimal| d.to_string().parse::<f64>().unwrap_or(0.0);
    let mut n = json!({ "type": "number" });
    if let Some(m) = min {
        n[if inclusive { "minimum" } else { "exclusiveMinimum" }] = json!(f(m));
    }
    if let Some(m) = max {
        n["maximum"] = json!(f(m));
    }
    if let Some(d) = decimals {
        n["multipleOf"] = json!(format!("1e-{d}").parse::<f64>().unwrap_or(1.0));
    }
    let places = decimals.map_or("+".to_string(), |d| format!("{{1,{}}}", d.max(1)));
    let pct = if percent { "%?" } else { "" };
    let pattern = format!("^\\d+(\\.\\d{places})?{pct}$");
    json!({ "anyOf": [n, { "type": "string", "pattern": pattern }] })
}

fn party() -> Value {
    let entities = ["corporation", "limited liability company", "limited partnership", "partnership", "individual"];
    let nullable = |s: Value| json!({ "anyOf": [s, { "type": "null" }] });
    json!({
        "type": "object",
        "properties": {
            "name": { "description": "Legal name, printed as given in the body and in capitals above the signature block", "type": "string", "minLength": 1, "maxLength": 300, "pattern": "\\S" },
            "jurisdiction": nullable(kind(&Kind::Jurisdiction)),
            "entity": nullable(choice(&entities, "")),
            "signatory": nullable(json!({
                "description": "Who signs; without it the block is left for a wet signature",
                "type": "object",
                "properties": {
                    "name": nullable(text(1, 300, None)),
                    "title": nullable(text(1, 300, None)),
                    "conformed": nullable(kind(&Kind::Bool)),
                    "through": nullable(json!({
                        "type": "object",
                        "properties": { "name": text(1, 300, None), "capacity": text(1, 300, None) },
                        "required": ["name", "capacity"],
                        "additionalProperties": false
                    }))
                },
                "additionalProperties": false
            })),
            "address": nullable(text(1, 600, None))
        },
        "required": ["name"],
        "additionalProperties": false,
        // An individual signs in their own name (a signatory may give `conformed` alone) and
        // has no title; anyone else's signatory names the person who signs.
        "if": { "properties": { "entity": { "type": "string", "pattern": "^\\s*[Ii][Nn][Dd][Ii][Vv][Ii][Dd][Uu][Aa][Ll]\\s*$" } }, "required": ["entity"] },
        "then": { "properties": { "signatory": { "anyOf": [{ "type": "null" }, { "not": { "required": ["title"] } }] } } },
        "else": { "properties": { "signatory": { "anyOf": [{ "type": "null" }, { "required": ["name"] }] } } }
    })
}
