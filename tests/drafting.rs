//! Drafting rules a deal lawyer checks before signature, over every rendered golden deal sheet
//! (the exhibit and fixtures/variants): sections numbered 1..N with no gap, every "Section N"
//! pointing at the section its words mean, no "its" or "it" standing for a person, signature
//! blocks that follow each party's form, and a signature page that stays with IN WITNESS
//! WHEREOF in the PDF.

mod common;
use common::*;
use std::collections::BTreeMap;
use std::path::Path;

/// What each section is, known by its opening words.
const OPENINGS: &[(&str, &str)] = &[
    ("engagement", "Client hereby engages and retains Consultant"),
    ("services", "Consultant's services hereunder"),
    ("finder", "The fees payable to Consultant under this Agreement do not include"),
    ("fees", "Client agrees to pay to Consultant"),
    ("warrants", "In addition to the fees payable under Section"),
    ("expenses", "Consultant shall be entitled to reimbursement"),
    ("termination", "Either party may terminate this Agreement"),
    (
        "independent-contractor",
        "Consultant shall perform the services under this Agreement as an independent contractor",
    ),
    ("confidentiality", "Consultant shall hold in strict confidence"),
    ("indemnification", "Client shall indemnify"),
    ("indemnification", "Consultant shall indemnify"),
    ("decisions", "All final decisions"),
    ("notices", "All notices and other communications"),
    ("assignment", "Neither party may assign"),
    ("severability", "If any provision of this Agreement is held invalid"),
    ("governing-law", "This Agreement shall be governed"),
    ("disputes", "Any dispute, controversy or claim"),
    ("disputes", "Each party irrevocably submits"),
    ("counterparts", "This Agreement may be executed in any number of counterparts"),
];

/// What a reference means, read from the words just before "Section(s) N": the sections it
/// may point at. "this Section N" is the section it stands in; the sections that survive
/// termination are listed after "This Section N and".
const REFERENCES: &[(&str, &[&str])] = &[
    ("fees payable under ", &["fees"]),
    ("fees paid under ", &["fees"]),
    ("Fees paid under ", &["fees"]),
    ("fee under ", &["fees"]),
    ("reimburse, in accordance with ", &["expenses"]),
    ("given in accordance with ", &["notices"]),
    ("Warrants issued under ", &["warrants"]),
    ("restriction on competition in ", &["services"]),
    ("including to enforce ", &["confidentiality"]),
];
const SURVIVING: &[&str] = &["confidentiality", "indemnification", "governing-law", "disputes"];

/// The numbered sections of an agreement in Markdown: (number, text), continuation paragraphs
/// (a notice address) joined to their section, up to IN WITNESS WHEREOF.
fn sections(md: &str) -> Vec<(u32, String)> {
    let mut out: Vec<(u32, String)> = Vec::new();
    for line in md.lines() {
        if line.starts_with("IN WITNESS WHEREOF") {
            break;
        }
        let numbered = line.strip_prefix("**").and_then(|rest| rest.split_once("\\.** "));
        match numbered.and_then(|(n, text)| Some((n.parse::<u32>().ok()?, text))) {
            Some((n, text)) => out.push((n, text.to_string())),
            None => {
                if let Some((_, text)) = out.last_mut() {
                    text.push(' ');
                    text.push_str(line);
                }
            }
        }
    }
    out
}

/// The kind of a section from its opening words.
fn kind(text: &str) -> Option<&'static str> {
    OPENINGS.iter().find(|(_, opening)| text.starts_with(opening)).map(|(kind, _)| *kind)
}

/// "Section 4", "Sections 9, 10, 15 and 16": the numbers after a "Section" at `at`, and where
/// the list ends.
fn numbers_at(text: &str, at: usize) -> (Vec<u32>, usize) {
    let rest = &text[at..];
    let after = rest.strip_prefix("Sections ").or_else(|| rest.strip_prefix("Section ")).unwrap_or("");
    let mut pos = rest.len() - after.len();
    let mut numbers = Vec::new();
    loop {
        let digits: String = rest[pos..].chars().take_while(char::is_ascii_digit).collect();
        if digits.is_empty() {
            break;
        }
        numbers.push(digits.parse().unwrap());
        pos += digits.len();
        let sep = [", ", " and "]
            .into_iter()
            .find(|s| rest[pos..].starts_with(s) && rest[pos + s.len()..].starts_with(|c: char| c.is_ascii_digit()));
        match sep {
            Some(s) if rest.starts_with("Sections") => pos += s.len(),
            _ => break,
        }
    }
    (numbers, at + pos)
}

/// Every problem with the numbering and cross-references of an agreement in Markdown.
fn reference_problems(md: &str) -> Vec<String> {
    let sections = sections(md);
    let mut problems = Vec::new();
    let numbers: Vec<u32> = sections.iter().map(|(n, _)| *n).collect();
    let expected: Vec<u32> = (1..=sections.len() as u32).collect();
    if numbers != expected {
        problems.push(format!("sections are numbered {numbers:?}, not 1..{}", sections.len()));
    }
    let mut kinds: BTreeMap<u32, &str> = BTreeMap::new();
    for (n, text) in &sections {
        match kind(text) {
            Some(k) if kinds.values().any(|seen| *seen == k) => problems.push(format!("two {k} sections")),
            Some(k) => {
                kinds.insert(*n, k);
            }
            None => problems.push(format!("section {n} is of no known kind: {:.60}", text)),
        }
    }
    for (n, text) in &sections {
        let mut from = 0;
        while let Some(found) = text[from..].find("Section") {
            let at = from + found;
            let (refs, end) = numbers_at(text, at);
            from = end.max(at + "Section".len());
            if refs.is_empty() {
                continue;
            }
            let before = &text[..at];
            let allowed: Vec<&str> = if before.ends_with("this ") || before.ends_with("This ") {
                vec![kinds.get(n).copied().unwrap_or("?")]
            } else if before.ends_with(&format!("This Section {n} and ")) {
                SURVIVING.to_vec()
            } else if let Some((_, targets)) = REFERENCES.iter().find(|(words, _)| before.ends_with(words)) {
                targets.to_vec()
            } else {
                problems.push(format!("section {n}: a reference of unknown meaning: ...{}", tail(before, 40)));
                continue;
            };
            for r in refs {
                match kinds.get(&r) {
                    Some(k) if allowed.contains(k) => {}
                    found => problems.push(format!(
                        "section {n}: \"...{}Section {r}\" points at {found:?}, not at {allowed:?}",
                        tail(before, 30)
                    )),
                }
            }
        }
    }
    problems
}

fn tail(text: &str, chars: usize) -> String {
    let n = text.chars().count();
    text.chars().skip(n.saturating_sub(chars)).collect()
}

/// Every golden deal sheet rendered to Markdown: (sheet path, Markdown).
fn rendered(case: &str) -> Vec<(String, String)> {
    let out = temp_dir(case);
    let mut sheets = vec!["fixtures/exhibit-1.4.yaml".to_string()];
    sheets.extend(yaml_files("fixtures/variants"));
    let mut args = vec!["render", "--quiet", "--out", out.to_str().unwrap()];
    args.extend(sheets.iter().map(String::as_str));
    let o = run(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    sheets
        .into_iter()
        .map(|sheet| {
            let stem = Path::new(&sheet).file_stem().unwrap().to_str().unwrap().to_string();
            let md = std::fs::read_to_string(out.join(format!("{stem}.md"))).unwrap();
            (sheet, md)
        })
        .collect()
}

fn deal(sheet: &str) -> serde_yaml::Value {
    serde_yaml::from_str(&std::fs::read_to_string(root().join(sheet)).unwrap()).unwrap()
}

fn text_at<'a>(value: &'a serde_yaml::Value, path: &[&str]) -> Option<&'a str> {
    path.iter().try_fold(value, |v, key| v.get(key))?.as_str()
}

#[test]
fn the_reference_check_finds_a_gap_a_wrong_target_and_an_unknown_reference() {
    let good = "**1\\.** Client agrees to pay to Consultant a fee.\n\n**2\\.** Consultant shall be entitled to reimbursement; the fees payable under Section 1.\n\nIN WITNESS WHEREOF";
    assert!(reference_problems(good).is_empty(), "{:?}", reference_problems(good));
    let gap = good.replace("**2\\.**", "**3\\.**");
    assert!(reference_problems(&gap)[0].contains("numbered [1, 3]"));
    let wrong = good.replace("under Section 1", "under Section 2");
    assert!(reference_problems(&wrong)[0].contains("points at Some(\"expenses\")"));
    let unknown = good.replace("the fees payable under Section 1", "see Section 1");
    assert!(reference_problems(&unknown)[0].contains("unknown meaning"));
    let list = "**1\\.** Either party may terminate this Agreement. This Section 1 and Sections 2 and 3 shall survive.\n\n**2\\.** Consultant shall hold in strict confidence.\n\n**3\\.** All final decisions.\n";
    assert!(reference_problems(list)[0].contains("Section 3\" points at Some(\"decisions\")"));
}

#[test]
fn sections_run_one_to_n_and_every_reference_points_at_its_section() {
    let all = rendered("drafting-references");
    let mut failures = Vec::new();
    for (sheet, md) in &all {
        failures.extend(reference_problems(md).into_iter().map(|p| format!("{sheet}: {p}")));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Every optional section is on in both all-clauses sheets: 17 sections with the finder's, 16 without.
    let count = |name: &str| all.iter().find(|(s, _)| s.contains(name)).map(|(_, md)| sections(md).len());
    assert_eq!(count("all-clauses-corrected"), Some(17));
    assert_eq!(count("all-clauses-no-finder"), Some(16));
}

/// Uses of "its" and "it" whose referent is never a party.
const NOT_A_PARTY: &[&str] = &[
    "on its last day",
    "under its Commercial Arbitration Rules",
    "in which it is reasonably foreseeable",
    "need to know it in order",
    "bound to keep it confidential",
];

#[test]
fn an_individual_party_is_never_its_or_it() {
    let mut checked = 0;
    for (sheet, md) in rendered("drafting-pronouns") {
        let d = deal(&sheet);
        let individual = |role: &str| text_at(&d, &[role, "entity"]) == Some("individual");
        if !individual("consultant") && !individual("client") {
            continue;
        }
        checked += 1;
        let text = sections(&md).into_iter().map(|(_, t)| t).collect::<Vec<_>>().join(" ");
        let mut rest = text.as_str();
        let mut offset = 0;
        while let Some(i) = find_word(rest, &["its", "it", "itself"]) {
            let at = offset + i;
            let around = &text[at.saturating_sub(40)..(at + 40).min(text.len())];
            let ok = NOT_A_PARTY.iter().any(|p| around.contains(p))
                // The other party is a company: its own pronouns stay.
                || (!individual("consultant") && ["use its best efforts", "for its services", "Agreement it shall not"].iter().any(|p| around.contains(p)));
            assert!(ok, "{sheet}: \"its\"/\"it\" may stand for a person: ...{around}...");
            offset = at + 2;
            rest = &text[offset..];
        }
    }
    assert!(checked >= 4, "only {checked} agreements with an individual party");
}

/// The byte offset of the first of `words` standing alone in `text`.
fn find_word(text: &str, words: &[&str]) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut best: Option<usize> = None;
    for w in words {
        let mut from = 0;
        while let Some(i) = text[from..].find(w) {
            let at = from + i;
            let before = at == 0 || !bytes[at - 1].is_ascii_alphanumeric();
            let after = bytes.get(at + w.len()).is_none_or(|b| !b.is_ascii_alphanumeric() && *b != b'\'');
            if before && after {
                best = Some(best.map_or(at, |b| b.min(at)));
                break;
            }
            from = at + w.len();
        }
    }
    best
}

/// The signature block of `name` (the block quote headed by it in capitals).
fn block<'a>(md: &'a str, name: &str) -> Vec<&'a str> {
    let heading = format!("> **{}**", name.to_uppercase());
    let lines: Vec<&str> = md.lines().collect();
    let start = lines.iter().position(|l| l.replace('\\', "") == heading.replace('\\', "")).unwrap_or_else(|| {
        panic!("no signature block headed {heading}");
    });
    lines[start..].iter().take_while(|l| l.starts_with('>')).copied().collect()
}

#[test]
fn signature_blocks_follow_each_partys_form() {
    for (sheet, md) in rendered("drafting-signatures") {
        let d = deal(&sheet);
        for role in ["consultant", "client"] {
            let name = text_at(&d, &[role, "name"]).unwrap();
            if name.chars().any(|c| "*_`[<\\#|~{&$".contains(c)) {
                continue; // Escaped names are checked by golden.rs.
            }
            let b = block(&md, name).join("\n");
            let entity = text_at(&d, &[role, "entity"]);
            let signatory = d.get(role).and_then(|p| p.get("signatory"));
            let person = signatory.and_then(|s| s.get("name")).and_then(|n| n.as_str());
            let through = signatory.and_then(|s| s.get("through"));
            let context = format!("{sheet} ({role}):\n{b}");
            if entity == Some("individual") {
                assert!(!b.contains("By:") && !b.contains("Title") && !b.contains("Officer"), "{context}");
                assert!(b.ends_with(&format!("\n> {name}")), "{context}");
                continue;
            }
            if let Some(t) = through {
                let line = format!("> By: {}, {}", text_at(t, &["name"]).unwrap(), text_at(t, &["capacity"]).unwrap());
                assert!(b.contains(&line) && b.matches("By:").count() == 2, "{context}");
            }
            match person {
                Some(p) => assert!(b.contains(&format!("> {p}")), "{context}"),
                None if through.is_some() || entity.is_some_and(|e| e != "corporation") => {
                    assert!(b.contains("> Name:\\\n> Title:") && !b.contains("Officer"), "{context}")
                }
                None => assert!(b.ends_with("> Authorized Officer"), "{context}"),
            }
        }
    }
}

#[test]
fn the_corrected_wording_mends_the_filed_text_and_as_filed_keeps_it() {
    let all = rendered("drafting-wording");
    let md = |name: &str| all.iter().find(|(s, _)| s.contains(name)).map(|(_, m)| m.clone()).unwrap();
    let filed = md("exhibit-1.4");
    let corrected = md("corrected-upfront-cap");
    let mends = [
        ("render to client", "render to Client"),
        ("at the request of the client", "at the request of Client"),
        ("assistance in the Client's general", "assistance in Client's general"),
        ("the entire sum due to consultant hereunder", "the entire fee due to Consultant under this Section 4"),
        ("on the part of the Consultant", "on the part of Consultant"),
        ("in any one or more instance,", "in any one or more instances,"),
        ("eighteen months (18)", "eighteen (18) months"),
        ("caused this agreement to be signed", "caused this Agreement to be signed"),
    ];
    for (was, is) in mends {
        assert!(filed.contains(was) && !filed.contains(is), "the exhibit must keep {was:?}");
        assert!(corrected.contains(is) && !corrected.contains(was), "corrected must say {is:?}, not {was:?}");
    }
    assert!(corrected.contains("declared effective by the Securities and Exchange Commission on \\_"));
    assert!(corrected.contains("(the \"Registration Statement\")."));
}

#[test]
fn the_all_clauses_pdf_keeps_its_signatures_with_in_witness_whereof() {
    for (stem, parties) in [
        ("all-clauses-corrected", ["AURORA BIOSCIENCES, INC.", "MERIDIAN CAPITAL ADVISORS, LLC"]),
        ("all-clauses-no-finder", ["KEYSTONE ROBOTICS CORP.", "HAROLD J. O'BRIEN"]),
    ] {
        let out = temp_dir(&format!("drafting-pdf-{stem}"));
        let sheet = format!("fixtures/variants/{stem}.yaml");
        let o = run(&["render", &sheet, "--format", "pdf", "--quiet", "--out", out.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let pdf = std::fs::read(out.join(format!("{stem}.pdf"))).unwrap();
        let text = clausewright::pdf::extract_text(&pdf).unwrap().replace(['\u{2018}', '\u{2019}'], "'");
        let pages: Vec<&str> = text.split('\u{c}').filter(|p| !p.trim().is_empty()).collect();
        let witness = pages.iter().position(|p| p.contains("IN WITNESS WHEREOF")).expect("IN WITNESS WHEREOF");
        let flat = pages[witness].split_whitespace().collect::<Vec<_>>().join(" ");
        for party in parties {
            assert!(flat.contains(party), "{stem}: {party} is not on the page of IN WITNESS WHEREOF");
        }
        assert_eq!(witness, pages.len() - 1, "{stem}: pages after the signatures");
    }
}
