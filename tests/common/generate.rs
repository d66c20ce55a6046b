//! Deterministic deal-sheet variants for batch tests and the benchmark: parties, states,
//! entities, fees, terms, dates, payment and clause choices all vary with `i`.

const FIRST: [&str; 8] = ["Ann", "Bjørn", "Chidi", "Dana", "Élodie", "Farid", "Grażyna", "Hiro"];
const LAST: [&str; 8] = ["Marsh", "Østergaard", "Okafor", "Reyes", "Lefèvre", "Haddad", "Wójcik", "Tanaka"];
const FIRMS: [&str; 6] = ["Capital", "Advisory", "Partners", "Securities", "Holdings", "Ventures"];
const STATES: [&str; 8] =
    ["Delaware", "Ohio", "Utah", "New York", "Illinois", "District of Columbia", "Texas", "Oregon"];
const ENTITIES: [&str; 5] =
    ["corporation", "limited liability company", "limited partnership", "partnership", "individual"];
const SUFFIX: [&str; 5] = ["Inc.", "LLC", "L.P.", "Partners", ""];

/// The `i`-th variant, a valid deal sheet.
pub fn deal_sheet(i: usize) -> String {
    let pick = |list: &[&'static str], salt: usize| list[(i / (salt + 1) + salt * 7) % list.len()];
    let entity_c = i % ENTITIES.len();
    let consultant = if ENTITIES[entity_c] == "individual" {
        format!("{} {}", pick(&FIRST, 1), pick(&LAST, 2))
    } else {
        format!("{} {} {} {}", pick(&LAST, 3), pick(&FIRMS, 4), i, SUFFIX[entity_c]).trim().to_string()
    };
    let client = format!("{} Therapeutics {}, Inc.", pick(&LAST, 5), i);
    let months = 1 + (i * 7) % 120;
    let cents = (i * 37) % 100;
    let day = 1 + (i % 28);
    let month = 1 + (i % 12);
    let year = 1990 + (i % 30);
    let date = if i % 3 == 0 { format!("{year}") } else { format!("{year}-{month:02}-{day:02}") };
    let signatory = match i % 3 {
        0 => String::new(),
        1 => format!(
            "  signatory:\n    name: \"{} {}\"\n    title: \"Chief Executive Officer\"\n",
            pick(&FIRST, 6),
            pick(&LAST, 7)
        ),
        _ => format!("  signatory:\n    name: \"{} {}\"\n    conformed: true\n", pick(&FIRST, 8), pick(&LAST, 9)),
    };
    format!(
        "agreement: financial-consulting\nexhibit: \"1.{ex}\"\ndate: {date}\nconsultant:\n  name: \"{consultant}\"\n  jurisdiction: {cj}\n  entity: {ce}\nclient:\n  name: \"{client}\"\n  jurisdiction: {kj}\n  entity: corporation\n{signatory}registration:\n  form: S-1\n  file_number: \"333-{file}\"\n  effective: {year}\nterm:\n  months: {months}\nfee:\n  monthly: {fee}.{cents:02}\n  payment: {payment}\ngoverning_law: {law}\nclauses:\n  competition: {competition}\n  finder: {finder}\n{cap}",
        ex = i % 9 + 1,
        cj = pick(&STATES, 10),
        ce = ENTITIES[entity_c],
        kj = pick(&STATES, 11),
        file = 10_000 + i % 900_000,
        fee = 500 + (i * 113) % 50_000,
        payment = if i % 2 == 0 { "upfront" } else { "monthly" },
        law = pick(&STATES, 12),
        competition = if i % 4 == 0 { "restricted" } else { "permitted" },
        finder = if i % 5 == 0 { "omitted" } else { "separate-agreement" },
        cap = if i % 6 == 0 { format!("  expenses_cap: {}.00\n", 1000 + i % 9000) } else { String::new() },
    )
}

/// Writes variants `0..n` as `DIR/deal-00000.yaml`, ...
pub fn write_batch(dir: &std::path::Path, n: usize) {
    std::fs::create_dir_all(dir).unwrap();
    for i in 0..n {
        std::fs::write(dir.join(format!("deal-{i:05}.yaml")), deal_sheet(i)).unwrap();
    }
}
