//! Rules for the text of names and titles, as pure functions the validator calls:
//! which characters are invisible, when two party names are the same party, and which
//! characters the PDF cannot print in the forms a template prints (the signature block
//! prints names in capitals, and `µ` in capitals is Greek `Μ`).

use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// True for a character that prints as nothing, or whose only effect is unseen: format
/// characters (Unicode category Cf: soft hyphen, zero-width and bidirectional controls,
/// word joiner, invisible operators, tags), the line and paragraph separators (Zl, Zp),
/// and the other default-ignorable code points (variation selectors, the combining
/// grapheme joiner, Hangul fillers). Controls (Cc) are refused separately.
pub fn invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}'..='\u{1160}' | '\u{17B4}'..='\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}'
        | '\u{FFF0}'..='\u{FFFB}' | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0000}'..='\u{E0FFF}'
        // The rest of Cf: prepended concatenation marks and format controls of scripts.
        | '\u{0600}'..='\u{0605}' | '\u{06DD}' | '\u{070F}' | '\u{0890}'..='\u{0891}' | '\u{08E2}'
        | '\u{110BD}' | '\u{110CD}' | '\u{13430}'..='\u{1343F}'
    )
}

/// What is wrong with a name or title that holds invisible characters or line breaks,
/// if anything: `(message, help)`.
pub fn invisible_problem(text: &str) -> Option<(String, String)> {
    // Printable ASCII (the common case) holds nothing invisible.
    if text.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        return None;
    }
    if text.contains(['\n', '\r', '\u{85}']) {
        return Some((
            "is written on several lines".to_string(),
            "write it on one line (a `|` or `>` block keeps the line breaks)".to_string(),
        ));
    }
    let c = text.chars().find(|c| c.is_control() || invisible(*c))?;
    let code = c as u32;
    if text.chars().all(|c| c.is_control() || invisible(c) || c.is_whitespace()) {
        return Some((
            format!("holds only invisible characters (such as U+{code:04X}); nothing would be printed"),
            "write the text".to_string(),
        ));
    }
    Some((
        format!("contains the invisible character U+{code:04X}, which cannot be printed in an agreement"),
        "retype the value without it".to_string(),
    ))
}

/// The identity of a party's name: what is left when invisible characters are removed,
/// compatibility forms unified (NFKC: a no-break space is a space, `ﬁ` is `fi`), letter
/// case folded (`Straße` and `STRASSE` agree) and runs of white space made one space.
pub fn party_key(name: &str) -> String {
    // ASCII is its own NFKC form and folds by lower-casing: the common case, kept cheap.
    if name.is_ascii() {
        return one_space(name.to_ascii_lowercase().split_ascii_whitespace());
    }
    // NFKC only where it can change something: the quick check answers "yes" for text
    // already in NFKC (most names in any script), which then needs no normalising pass.
    let nfkc = |s: String| if is_nfkc_quick(s.chars()) == IsNormalized::Yes { s } else { s.nfkc().collect() };
    let visible = nfkc(name.chars().filter(|c| !invisible(*c)).collect());
    let folded = nfkc(visible.to_uppercase().to_lowercase());
    one_space(folded.split_whitespace())
}

/// The words joined by single spaces.
fn one_space<'a>(words: impl Iterator<Item = &'a str>) -> String {
    let mut key = String::new();
    for word in words {
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(word);
    }
    key
}

/// The first character the PDF cannot print in any form a template prints `text` in: as
/// written, or in capitals (the signature block's `upper`). `unprintable` is the font's
/// check. Returns the character and a description of where it comes from.
pub fn unprintable_printed(text: &str, unprintable: fn(&str) -> Option<char>) -> Option<(char, String)> {
    if let Some(c) = unprintable(text) {
        return Some((c, String::new()));
    }
    let c = unprintable(&text.to_uppercase())?;
    let from = text.chars().find(|s| s.to_uppercase().any(|u| u == c));
    let from = from.map_or(String::new(), |s| format!(" '{s}' (U+{:04X})", s as u32));
    Some((c, format!(", which{from} becomes when printed in capitals (as in the signature block)")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_characters_separators_and_fillers_are_invisible() {
        for c in [
            '\u{00AD}',
            '\u{2028}',
            '\u{2029}',
            '\u{2060}',
            '\u{2061}',
            '\u{2064}',
            '\u{206A}',
            '\u{206F}',
            '\u{FE00}',
            '\u{FE0F}',
            '\u{E0041}',
            '\u{E0001}',
            '\u{034F}',
            '\u{3164}',
            '\u{200B}',
            '\u{202E}',
            '\u{FEFF}',
            '\u{115F}',
            '\u{FFA0}',
            '\u{180E}',
            '\u{1D173}',
            '\u{E0100}',
        ] {
            assert!(invisible(c), "U+{:04X}", c as u32);
        }
        for c in ['a', ' ', '\u{00A0}', 'é', '&', '\u{2019}', 'Ș', '\u{0301}'] {
            assert!(!invisible(c), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn invisible_problems_are_named_and_empty_names_are_caught() {
        assert!(invisible_problem("NeoTherapeutics, Inc.").is_none());
        assert!(invisible_problem("Neo\u{2060}Therapeutics").unwrap().0.contains("U+2060"));
        assert!(invisible_problem("\u{2061}\u{2062}\u{2063}\u{2064}").unwrap().0.contains("only invisible characters"));
        assert!(invisible_problem("\u{00AD}").unwrap().0.contains("only invisible"));
        assert!(invisible_problem("Neo\nTherapeutics").unwrap().0.contains("several lines"));
    }

    #[test]
    fn the_same_party_is_found_through_disguises() {
        let key = party_key("Joseph Charles & Assoc., Inc.");
        for disguise in [
            "Joseph Charles & Assoc.,\u{2060} Inc.",
            "Joseph Charles & Asso\u{00AD}c., Inc.",
            "Joseph  Charles & Assoc., Inc.",
            "Joseph\u{00A0}Charles & Assoc., Inc.",
            "JOSEPH CHARLES & ASSOC., INC.",
            " Joseph Charles &\tAssoc., Inc. ",
        ] {
            assert_eq!(party_key(disguise), key, "{disguise:?}");
        }
        assert_eq!(party_key("Straße Inc."), party_key("STRASSE INC."));
        assert_eq!(party_key("Cafe\u{0301} Inc."), party_key("Café Inc."));
        assert_eq!(party_key("\u{FB01}ne Co."), party_key("Fine Co."));
        assert_ne!(party_key("Acme Inc."), party_key("Acme LLC"));
    }

    fn latin1_only(text: &str) -> Option<char> {
        text.chars().find(|c| *c as u32 > 0xFF)
    }

    #[test]
    fn glyphs_are_checked_on_the_printed_forms() {
        assert_eq!(unprintable_printed("Acme", latin1_only), None);
        let (c, how) = unprintable_printed("\u{00B5}Tech Instruments, Inc.", latin1_only).unwrap();
        assert_eq!(c, '\u{039C}');
        assert!(how.contains("'\u{00B5}' (U+00B5)") && how.contains("capitals"), "{how}");
        assert_eq!(unprintable_printed("Ωmega", latin1_only), Some(('Ω', String::new())));
        // ÿ (U+00FF) is Latin-1, its capital Ÿ (U+0178) is not.
        assert_eq!(unprintable_printed("Ÿ", latin1_only).map(|(c, _)| c), Some('Ÿ'));
        assert_eq!(unprintable_printed("ÿ", latin1_only).map(|(c, _)| c), Some('Ÿ'));
    }
}
