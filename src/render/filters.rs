//! The formatting vocabulary of the clause library: tera filters and functions.
//!
//! Legal formatting lives here, named, so templates read like the contract:
//! `{{ term.months | words_and_figures(unit="month") }}` -> "eighteen months (18)" (the filed
//! style; `style="standard"` -> "eighteen (18) months"),
//! `{{ fee.monthly | money }}` -> "$4,000.00", `{{ date | ordinal_date }}` ->
//! "15th day of July, 1999" (or blanks to fill in by hand), `{{ client | legal_form }}`
//! -> "a Delaware corporation", `{{ governing_law | the_state }}` -> "the State of Florida",
//! `{{ blank(width=25) }}` -> a line of underscores. Every result is plain text; tera's
//! Markdown escape is applied to it when printed.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use std::str::FromStr;
use tera::{Error, Kwargs, State, Tera, TeraResult, Value};

/// Widths of the blanks left for hand-filled dates.
const DAY_BLANK: usize = 5;
const MONTH_BLANK: usize = 15;
const YEAR_BLANK: usize = 5;

/// Registers the filters and functions with a tera instance.
pub fn register(tera: &mut Tera) {
    tera.register_filter("money", |v: &Value, _: Kwargs, _: &State| money(defined(v, "money")?));
    tera.register_filter("words", |n: u64, _: Kwargs, _: &State| num2en::u64_to_words(n));
    tera.register_filter("words_and_figures", |n: u64, kw: Kwargs, _: &State| -> TeraResult<String> {
        let unit: String = kw.must_get("unit")?;
        let style: Option<String> = kw.get("style")?;
        let style = FiguresStyle::from_name(style.as_deref().unwrap_or("filed"))?;
        Ok(words_and_figures_styled(n, &unit, style))
    });
    tera.register_filter("ordinal_date", |d: &Value, _: Kwargs, _: &State| {
        ordinal_date(&date_text(defined(d, "ordinal_date")?))
    });
    tera.register_filter("long_date", |d: &Value, _: Kwargs, _: &State| {
        long_date(&date_text(defined(d, "long_date")?))
    });
    tera.register_filter("percent", |v: &Value, _: Kwargs, _: &State| percent(defined(v, "percent")?));
    tera.register_filter("legal_form", |party: &Value, _: Kwargs, _: &State| {
        defined(party, "legal_form").map(legal_form)
    });
    tera.register_filter("the_state", |s: &str, _: Kwargs, _: &State| the_state(s));
    tera.register_filter("with_article", |s: &str, _: Kwargs, _: &State| with_article(s));
    tera.register_function("blank", |kw: Kwargs, _: &State| -> TeraResult<String> {
        let width: Option<usize> = kw.get("width")?;
        Ok("_".repeat(width.unwrap_or(MONTH_BLANK)))
    });
}

/// The value a filter was given, or an error naming the filter when the value is undefined
/// (an optional field left out, or a misspelt name): never an empty gap in the agreement.
fn defined<'a>(v: &'a Value, filter: &str) -> TeraResult<&'a Value> {
    if v.is_undefined() {
        return Err(Error::message(format!(
            "`{filter}` was given an undefined value: a misspelt name, or an optional field the deal sheet leaves out (test it with `{{% if ... %}}` first)"
        )));
    }
    Ok(v)
}

/// A date as the templates see it (a map `{year, month, day, iso}`, or none for a blank
/// date) -> `"1999-07-15"`, `"1999"` or `""`, the forms [`ordinal_date`] and [`long_date`] read.
fn date_text(d: &Value) -> String {
    if let Some(text) = d.as_str() {
        return text.to_string();
    }
    let part = |k: &str| d.get_from_path(k).filter(|v| !v.is_none() && !v.is_undefined()).map(|v| v.to_string());
    match (part("iso"), part("year")) {
        (Some(iso), _) => iso,
        (None, Some(year)) => year,
        _ => String::new(),
    }
}

/// `"5"` -> "five percent (5%)"; `"2.5"` -> "two and one-half percent (2.5%)";
/// other fractions in figures only: "3.75 percent (3.75%)".
fn percent(value: &Value) -> TeraResult<String> {
    let text = match value.as_str() {
        Some(s) => s.to_string(),
        None => value.to_string(),
    };
    let rate = Decimal::from_str(text.trim().trim_end_matches('%'))
        .map_err(|_| Error::message(format!("percent: `{text}` is not a number")))?
        .normalize();
    Ok(format_percent(rate))
}

/// A rate in words and figures, as agreements print it.
pub fn format_percent(rate: Decimal) -> String {
    let whole = rate.trunc();
    let fraction = rate - whole;
    let whole_words = u64::try_from(whole).map(num2en::u64_to_words).unwrap_or_else(|_| whole.to_string());
    let words = match fraction.to_string().as_str() {
        "0" => whole_words,
        "0.5" => format!("{whole_words} and one-half"),
        "0.25" => format!("{whole_words} and one-quarter"),
        "0.75" => format!("{whole_words} and three-quarters"),
        _ => rate.to_string(),
    };
    let words = words.strip_prefix("zero and ").unwrap_or(&words).to_string();
    format!("{words} percent ({rate}%)")
}

/// `"4000.5"` or `4000` -> `"$4,000.50"`.
fn money(value: &Value) -> TeraResult<String> {
    let text = match value.as_str() {
        Some(s) => s.to_string(),
        None => value.to_string(),
    };
    let amount = Decimal::from_str(&text).map_err(|_| Error::message(format!("money: `{text}` is not an amount")))?;
    Ok(format_money(amount))
}

/// Dollars with thousands separators and cents.
pub fn format_money(mut amount: Decimal) -> String {
    amount.rescale(2);
    let text = amount.abs().to_string();
    let (whole, cents) = text.split_once('.').unwrap_or((&text, "00"));
    let grouped = group_thousands(whole);
    let sign = if amount.is_sign_negative() && !amount.is_zero() { "-" } else { "" };
    format!("{sign}${grouped}.{cents}")
}

/// Where the figures go in a number written in words and figures (the `style` of the
/// `words_and_figures` filter).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FiguresStyle {
    /// `style="filed"` (the default): after the unit, as the 1999 filing prints its term:
    /// "eighteen months (18)".
    Filed,
    /// `style="standard"`: right after the words, before the unit, as agreements are drafted
    /// today: "eighteen (18) months", "fifty thousand (50,000) shares".
    Standard,
}

impl FiguresStyle {
    /// The style named in a template: `"filed"` or `"standard"`.
    pub fn from_name(name: &str) -> TeraResult<FiguresStyle> {
        match name {
            "filed" => Ok(FiguresStyle::Filed),
            "standard" => Ok(FiguresStyle::Standard),
            other => {
                Err(Error::message(format!("words_and_figures: style `{other}` is not one of `filed`, `standard`")))
            }
        }
    }
}

/// 18, "month" -> "eighteen months (18)"; 1 -> "one month (1)" (the filed style).
pub fn words_and_figures(n: u64, unit: &str) -> String {
    words_and_figures_styled(n, unit, FiguresStyle::Filed)
}

/// A number in words and figures with its unit, which takes its plural unless the number is
/// one; figures have thousands separators. Filed: "eighteen months (18)"; standard:
/// "eighteen (18) months", "one (1) month", "fifty thousand (50,000) shares".
pub fn words_and_figures_styled(n: u64, unit: &str, style: FiguresStyle) -> String {
    let unit = if n == 1 { unit.to_string() } else { plural(unit) };
    let words = num2en::u64_to_words(n);
    let figures = group_thousands(&n.to_string());
    match style {
        FiguresStyle::Filed => format!("{words} {unit} ({figures})"),
        FiguresStyle::Standard => format!("{words} ({figures}) {unit}"),
    }
}

/// "50000" -> "50,000": a comma before each group of three digits from the right.
fn group_thousands(digits: &str) -> String {
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    grouped
}

/// English plural of the last word of a unit ("equal monthly installment" -> "...installments").
fn plural(unit: &str) -> String {
    if unit.ends_with('s') || unit.ends_with('x') || unit.ends_with("ch") || unit.ends_with("sh") {
        format!("{unit}es")
    } else if unit.ends_with('y') && !unit.ends_with("ay") && !unit.ends_with("ey") && !unit.ends_with("oy") {
        format!("{}ies", &unit[..unit.len() - 1])
    } else {
        format!("{unit}s")
    }
}

/// A date form as the templates see it: "1999-07-15", "1999" or none ("").
enum DateParts {
    Full(NaiveDate),
    Year(String),
    Blank,
}

fn parse_date(text: &str) -> TeraResult<DateParts> {
    if text.is_empty() {
        return Ok(DateParts::Blank);
    }
    if text.len() == 4 && text.chars().all(|c| c.is_ascii_digit()) {
        return Ok(DateParts::Year(text.to_string()));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(DateParts::Full)
        .map_err(|_| Error::message(format!("`{text}` is not a date form")))
}

/// "1999-07-15" -> "15th day of July, 1999"; "1999" -> "_____ day of _______________, 1999".
pub fn ordinal_date(text: &str) -> TeraResult<String> {
    Ok(match parse_date(text)? {
        DateParts::Full(d) => format!("{} day of {}, {}", ordinal(d.day()), d.format("%B"), d.year()),
        DateParts::Year(y) => format!("{} day of {}, {y}", "_".repeat(DAY_BLANK), "_".repeat(MONTH_BLANK)),
        DateParts::Blank => {
            format!("{} day of {}, {}", "_".repeat(DAY_BLANK), "_".repeat(MONTH_BLANK), "_".repeat(YEAR_BLANK))
        }
    })
}

/// "1999-07-15" -> "July 15, 1999"; "1999" -> "_______________, 1999".
pub fn long_date(text: &str) -> TeraResult<String> {
    Ok(match parse_date(text)? {
        DateParts::Full(d) => format!("{} {}, {}", d.format("%B"), d.day(), d.year()),
        DateParts::Year(y) => format!("{}, {y}", "_".repeat(MONTH_BLANK)),
        DateParts::Blank => format!("{}, {}", "_".repeat(MONTH_BLANK), "_".repeat(YEAR_BLANK)),
    })
}

/// 1 -> "1st", 2 -> "2nd", 11 -> "11th", 23 -> "23rd".
pub fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// A party's legal form: "a Delaware corporation", "an individual resident in the State of
/// Ohio", "a corporation", "an entity organized under the laws of the State of Texas", or "".
fn legal_form(party: &Value) -> String {
    let field = |key: &str| party.get_from_path(key).and_then(|v| v.as_str()).map(str::to_string);
    describe_party(field("jurisdiction").as_deref(), field("entity").as_deref())
}

/// A party's legal form from its jurisdiction and entity (the `legal_form` filter). Every
/// description is a noun phrase: a party known only by its jurisdiction is "an entity
/// organized under the laws of ..." (the jurisdiction alone says where, not what).
pub fn describe_party(jurisdiction: Option<&str>, entity: Option<&str>) -> String {
    match (jurisdiction, entity) {
        (Some(j), Some("individual")) => format!("an individual resident in {}", the_state(j)),
        (Some(j), Some(e)) => with_article(&format!("{j} {e}")),
        (None, Some(e)) => with_article(e),
        (Some(j), None) => format!("an entity organized under the laws of {}", the_state(j)),
        (None, None) => String::new(),
    }
}

/// The states whose constitutions style them commonwealths.
const COMMONWEALTHS: [&str; 4] = ["Kentucky", "Massachusetts", "Pennsylvania", "Virginia"];

/// A jurisdiction as a noun phrase: "Florida" -> "the State of Florida"; "Massachusetts" ->
/// "the Commonwealth of Massachusetts" (also Kentucky, Pennsylvania, Virginia, never West
/// Virginia); "District of Columbia" -> "the District of Columbia".
pub fn the_state(name: &str) -> String {
    if name.starts_with("District of") {
        format!("the {name}")
    } else if COMMONWEALTHS.contains(&name) {
        format!("the Commonwealth of {name}")
    } else {
        format!("the State of {name}")
    }
}

/// Prefixes "a" or "an" by the sound of the first word: "an Ohio", "a Utah", "an LLC".
pub fn with_article(phrase: &str) -> String {
    let word = phrase.split_whitespace().next().unwrap_or("");
    let lower = word.to_lowercase();
    let vowel_letter = lower.starts_with(['a', 'e', 'i', 'o', 'u']);
    let sounds_like_you =
        ["uni", "use", "usu", "uti", "utah", "eu", "ewe", "one", "once"].iter().any(|p| lower.starts_with(p));
    let silent_h = ["hour", "honest", "honor", "heir"].iter().any(|p| lower.starts_with(p));
    // An initialism read letter by letter: "an LLC", "an S corporation", "a BDC".
    let initialism = word.len() > 1 && word.chars().all(|c| c.is_ascii_uppercase());
    let letter_sounds_vowel = word.chars().next().is_some_and(|c| "AEFHILMNORSX".contains(c));
    let an = if initialism || word.len() == 1 {
        letter_sounds_vowel
    } else {
        (vowel_letter && !sounds_like_you) || silent_h
    };
    format!("{} {phrase}", if an { "an" } else { "a" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_has_separators_and_cents() {
        assert_eq!(format_money(Decimal::from_str("4000").unwrap()), "$4,000.00");
        assert_eq!(format_money(Decimal::from_str("72000.5").unwrap()), "$72,000.50");
        assert_eq!(format_money(Decimal::from_str("999.99").unwrap()), "$999.99");
        assert_eq!(format_money(Decimal::from_str("1234567.01").unwrap()), "$1,234,567.01");
    }

    #[test]
    fn words_and_figures_agree_in_number() {
        assert_eq!(words_and_figures(18, "month"), "eighteen months (18)");
        assert_eq!(words_and_figures(1, "month"), "one month (1)");
        assert_eq!(words_and_figures(21, "equal monthly installment"), "twenty-one equal monthly installments (21)");
        assert_eq!(words_and_figures(120, "month"), "one hundred twenty months (120)");
        assert_eq!(words_and_figures(25_000, "share"), "twenty-five thousand shares (25,000)");
    }

    #[test]
    fn standard_figures_follow_the_words() {
        let standard = |n, unit| words_and_figures_styled(n, unit, FiguresStyle::Standard);
        assert_eq!(standard(18, "month"), "eighteen (18) months");
        assert_eq!(standard(1, "month"), "one (1) month");
        assert_eq!(standard(12, "equal monthly installment"), "twelve (12) equal monthly installments");
        assert_eq!(standard(50_000, "share"), "fifty thousand (50,000) shares");
        assert_eq!(standard(1_250_000, "share"), "one million two hundred fifty thousand (1,250,000) shares");
        assert_eq!(standard(30, "day"), "thirty (30) days");
        assert_eq!(FiguresStyle::from_name("filed").unwrap(), FiguresStyle::Filed);
        assert!(FiguresStyle::from_name("modern").is_err());
    }

    #[test]
    fn thousands_are_grouped_from_the_right() {
        let got: Vec<String> = ["1", "12", "123", "1234", "12345", "123456", "1234567"].map(group_thousands).to_vec();
        assert_eq!(got, ["1", "12", "123", "1,234", "12,345", "123,456", "1,234,567"]);
    }

    #[test]
    fn commonwealths_are_named_as_such() {
        for name in ["Kentucky", "Massachusetts", "Pennsylvania", "Virginia"] {
            assert_eq!(the_state(name), format!("the Commonwealth of {name}"));
        }
        assert_eq!(the_state("West Virginia"), "the State of West Virginia");
        assert_eq!(the_state("Florida"), "the State of Florida");
        assert_eq!(the_state("District of Columbia"), "the District of Columbia");
        assert_eq!(
            describe_party(Some("Virginia"), None),
            "an entity organized under the laws of the Commonwealth of Virginia"
        );
        assert_eq!(
            describe_party(Some("Massachusetts"), Some("individual")),
            "an individual resident in the Commonwealth of Massachusetts"
        );
        assert_eq!(describe_party(Some("Kentucky"), Some("corporation")), "a Kentucky corporation");
    }

    #[test]
    fn dates_print_in_full_or_with_blanks() {
        assert_eq!(ordinal_date("1999-07-15").unwrap(), "15th day of July, 1999");
        assert_eq!(ordinal_date("2001-03-01").unwrap(), "1st day of March, 2001");
        assert_eq!(ordinal_date("1999").unwrap(), "_____ day of _______________, 1999");
        assert_eq!(ordinal_date("").unwrap(), "_____ day of _______________, _____");
        assert_eq!(long_date("1999-07-02").unwrap(), "July 2, 1999");
        assert_eq!(long_date("1999").unwrap(), "_______________, 1999");
        assert!(long_date("1999-02-30").is_err());
    }

    #[test]
    fn percents_in_words_and_figures() {
        let p = |s: &str| format_percent(Decimal::from_str(s).unwrap().normalize());
        assert_eq!(p("5"), "five percent (5%)");
        assert_eq!(p("5.00"), "five percent (5%)");
        assert_eq!(p("2.5"), "two and one-half percent (2.5%)");
        assert_eq!(p("0.5"), "one-half percent (0.5%)");
        assert_eq!(p("3.75"), "three and three-quarters percent (3.75%)");
        assert_eq!(p("1.125"), "1.125 percent (1.125%)");
        assert_eq!(p("100"), "one hundred percent (100%)");
    }

    #[test]
    fn ordinals() {
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31].iter().map(|n| ordinal(*n)).collect();
        assert_eq!(got, ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "31st"]);
    }

    #[test]
    fn articles_follow_the_sound() {
        assert_eq!(with_article("Delaware corporation"), "a Delaware corporation");
        assert_eq!(with_article("Ohio limited liability company"), "an Ohio limited liability company");
        assert_eq!(with_article("Utah corporation"), "a Utah corporation");
        assert_eq!(with_article("Illinois partnership"), "an Illinois partnership");
        assert_eq!(with_article("individual"), "an individual");
        assert_eq!(with_article("LLC"), "an LLC");
        assert_eq!(with_article("honest broker"), "an honest broker");
    }

    #[test]
    fn parties_are_described_by_what_is_known() {
        assert_eq!(describe_party(Some("Delaware"), Some("corporation")), "a Delaware corporation");
        assert_eq!(describe_party(Some("Ohio"), Some("individual")), "an individual resident in the State of Ohio");
        assert_eq!(describe_party(None, Some("limited partnership")), "a limited partnership");
        assert_eq!(
            describe_party(Some("District of Columbia"), None),
            "an entity organized under the laws of the District of Columbia"
        );
        assert_eq!(describe_party(None, None), "");
    }
}
