//! Stage 2: a [`DealSheet`] -> an [`Assembly`]: the computed values, the sections kept and
//! their numbers, and the agreement's own checks, ready for the templates.
//!
//! This is where the manifest takes effect: a section whose `when` condition is false gets
//! no number, and every later section and every cross-reference (`number.fees`) moves up.
//! Computed values are exact decimal arithmetic, money rounded to the cent only at the end.

use crate::deal::{DateForm, DealSheet, Val};
use crate::diagnostic::{Diagnostic, Severity};
use crate::library::manifest::{Agreement, Computed, Condition, Op, Operand};
use crate::library::{check_name, Library};
use chrono::Months;
use rust_decimal::{Decimal, RoundingStrategy};
use std::collections::BTreeMap;
use tera::{Context, Value};

/// Everything the agreement's templates see, and what the manifest's checks found.
#[derive(Debug)]
pub struct Assembly<'a> {
    pub deal: &'a DealSheet,
    pub agreement: &'a Agreement,
    /// The deal's values, the computed values, `number` and `title`.
    pub context: Context,
    /// The sections kept, in order: (clause id, number).
    pub sections: Vec<(&'a str, u32)>,
    /// Errors and warnings of the manifest's `checks`.
    pub findings: Vec<Diagnostic>,
}

/// Computes, chooses and numbers the sections of `agreement` for `deal`, and runs its checks.
/// An `Err` is a library problem (a condition that fails to evaluate).
pub fn assemble<'a>(
    deal: &'a DealSheet,
    agreement: &'a Agreement,
    library: &Library,
) -> Result<Assembly<'a>, Diagnostic> {
    // Templates see amounts as exact strings; conditions see them as numbers.
    // Conditions get only the values they read; values without amounts are the same in
    // both (a tera value clones cheaply).
    let mut context = Context::new();
    let mut numeric = Context::new();
    let mut insert = |k: &str, v: &Val| {
        let text = v.to_tera();
        if agreement.condition_roots.iter().any(|r| r == k) {
            let number = if v.has_amount() { v.to_tera_numeric() } else { text.clone() };
            numeric.insert_value(k.to_string(), number);
        }
        context.insert_value(k.to_string(), text);
    };
    if let Val::Group(entries) = &deal.values {
        for (k, v) in entries {
            insert(k, v);
        }
    }
    let mut computed: Vec<(&str, Val)> = Vec::new();
    for c in &agreement.computed {
        if let Some(v) = compute(c, deal, &computed) {
            insert(&c.name, &v);
            computed.push((&c.name, v));
        }
    }
    context.insert_value("title", Value::from(agreement.title.as_str()));
    numeric.insert_value("title", Value::from(agreement.title.as_str()));
    let tera = library.tera();
    let holds = |name: &str, context: &Context, at: &Condition| -> Result<bool, Diagnostic> {
        tera.render(name, context).map(|out| out == "1").map_err(|e| condition_error(agreement, at, &e))
    };
    // Every condition in one render; only when that fails, one by one, to say which.
    let all = |name: &str, conditions: &[&Condition], context: &Context| -> Result<Vec<bool>, Diagnostic> {
        match tera.render(name, context) {
            Ok(out) if out.len() == conditions.len() => Ok(out.bytes().map(|b| b == b'1').collect()),
            _ => conditions.iter().map(|c| holds(&c.template, context, c)).collect(),
        }
    };
    let whens: Vec<&Condition> = agreement.sections.iter().filter_map(|s| s.when.as_ref()).collect();
    let mut kept_by_condition = all(&agreement.all_sections_template, &whens, &numeric)?.into_iter();
    let mut sections = Vec::with_capacity(agreement.sections.len());
    let mut number = BTreeMap::new();
    for s in &agreement.sections {
        let kept = match &s.when {
            Some(_) => kept_by_condition.next().unwrap_or(false),
            None => true,
        };
        if kept {
            let n = sections.len() as u32 + 1;
            sections.push((s.clause.as_str(), n));
            number.insert(s.clause.clone(), Value::from(n));
        }
    }
    let number = Value::from(number);
    context.insert_value("number", number.clone());
    numeric.insert_value("number", number);
    let mut findings = Vec::new();
    let whens: Vec<&Condition> = agreement.checks.iter().map(|c| &c.when).collect();
    let flagged = all(&agreement.all_checks_template, &whens, &numeric)?;
    for (n, check) in agreement.checks.iter().enumerate() {
        if !flagged[n] {
            continue;
        }
        let at = Condition { source: check.message.clone(), pos: check.pos, template: String::new() };
        let text = |part: &str| {
            tera.render(&check_name(&agreement.id, n, part), &context).map_err(|e| condition_error(agreement, &at, &e))
        };
        let message = text("message")?;
        let mut d = match check.severity {
            Severity::Error => Diagnostic::error(deal.place(&check.at), check.at.clone(), message),
            Severity::Warning => Diagnostic::warning(deal.place(&check.at), check.at.clone(), message),
        };
        if check.help.is_some() {
            d.help = Some(text("help")?);
        }
        findings.push(d);
    }
    Ok(Assembly { deal, agreement, context, sections, findings })
}

/// A condition or check message that fails to evaluate, at its place in the manifest.
fn condition_error(agreement: &Agreement, at: &Condition, e: &tera::Error) -> Diagnostic {
    let mut detail = e.to_string();
    if let Some(source) = std::error::Error::source(e) {
        detail.push_str(&format!(": {source}"));
    }
    let detail = detail
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.contains("__") && !l.starts_with("-->") && !l.starts_with('|'))
        .unwrap_or("")
        .trim_start_matches("error: ")
        .to_string();
    Diagnostic::error(at.pos, "", format!("`{}` fails to evaluate: {detail}", at.source))
        .with_help("a condition compares values of the same kind: numbers (integers, decimals, percentages, money) with numbers, text and choices with quoted text")
        .in_file(&agreement.file)
}

/// One computed value, or none when an operand is absent.
fn compute(c: &Computed, deal: &DealSheet, earlier: &[(&str, Val)]) -> Option<Val> {
    let operand = |o: &Operand| -> Option<Val> {
        match o {
            Operand::Number(d) => Some(Val::Number(*d)),
            Operand::Path { path, .. } => match earlier.iter().find(|(n, _)| n == path) {
                Some((_, v)) => Some(v.clone()),
                None => deal.get(path).cloned(),
            },
        }
    };
    let values: Vec<Val> = c.operands.iter().map(operand).collect::<Option<_>>()?;
    let money = |v: &Val| matches!(v, Val::Money(_));
    let numbers = || values.iter().map(Val::as_decimal).collect::<Option<Vec<Decimal>>>();
    let result = |d: Decimal, is_money: bool, all_int: bool| {
        if is_money {
            Val::Money(d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero))
        } else if all_int {
            i64::try_from(d).map_or(Val::Number(d), Val::Integer)
        } else {
            Val::Number(d)
        }
    };
    let all_int = values.iter().all(|v| matches!(v, Val::Integer(_)));
    match c.op {
        Op::Product => {
            let d = numbers()?.into_iter().try_fold(Decimal::ONE, |a, b| a.checked_mul(b))?;
            Some(result(d, values.iter().any(money), all_int))
        }
        Op::Sum => {
            let d = numbers()?.into_iter().try_fold(Decimal::ZERO, |a, b| a.checked_add(b))?;
            Some(result(d, values.iter().any(money), all_int))
        }
        Op::PercentOf => {
            let n = numbers()?;
            let d = n[0].checked_mul(n[1])?.checked_div(Decimal::ONE_HUNDRED)?;
            Some(result(d, money(&values[1]), false))
        }
        Op::AddMonths => {
            let months = u32::try_from(values[1].as_decimal()?.trunc()).ok()?;
            let date = match &values[0] {
                Val::Date(d) | Val::DateForm(DateForm::Full(d)) => Some(*d),
                Val::DateForm(_) => None,
                _ => return None,
            };
            Some(Val::DateForm(
                date.and_then(|d| d.checked_add_months(Months::new(months))).map_or(DateForm::Blank, DateForm::Full),
            ))
        }
        Op::Count => match &values[0] {
            Val::List(items) => Some(Val::Integer(items.len() as i64)),
            _ => None,
        },
    }
}
