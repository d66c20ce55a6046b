//! US states and the District of Columbia, as spelt out in agreements.

/// The fifty states and DC, spelt out as they are printed.
pub const JURISDICTIONS: [&str; 51] = [
    "Alabama",
    "Alaska",
    "Arizona",
    "Arkansas",
    "California",
    "Colorado",
    "Connecticut",
    "Delaware",
    "District of Columbia",
    "Florida",
    "Georgia",
    "Hawaii",
    "Idaho",
    "Illinois",
    "Indiana",
    "Iowa",
    "Kansas",
    "Kentucky",
    "Louisiana",
    "Maine",
    "Maryland",
    "Massachusetts",
    "Michigan",
    "Minnesota",
    "Mississippi",
    "Missouri",
    "Montana",
    "Nebraska",
    "Nevada",
    "New Hampshire",
    "New Jersey",
    "New Mexico",
    "New York",
    "North Carolina",
    "North Dakota",
    "Ohio",
    "Oklahoma",
    "Oregon",
    "Pennsylvania",
    "Rhode Island",
    "South Carolina",
    "South Dakota",
    "Tennessee",
    "Texas",
    "Utah",
    "Vermont",
    "Virginia",
    "Washington",
    "West Virginia",
    "Wisconsin",
    "Wyoming",
];

/// The canonical spelling of a state name given in any letter case, or `None`.
pub fn canonical(name: &str) -> Option<&'static str> {
    let wanted = name.split_whitespace().collect::<Vec<_>>().join(" ");
    // "State of Florida" and "the State of Florida" mean Florida; the templates add the words.
    let lower = wanted.to_ascii_lowercase();
    let wanted = ["the state of ", "state of "]
        .iter()
        .find_map(|p| lower.starts_with(p).then(|| wanted[p.len()..].to_string()))
        .unwrap_or(wanted);
    JURISDICTIONS.iter().copied().find(|s| s.eq_ignore_ascii_case(&wanted))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_states_in_any_case() {
        assert_eq!(canonical("new  york"), Some("New York"));
        assert_eq!(canonical("DISTRICT OF COLUMBIA"), Some("District of Columbia"));
        assert_eq!(canonical("Ontario"), None);
        assert_eq!(canonical("the State of Florida"), Some("Florida"));
        assert_eq!(canonical("State of New York"), Some("New York"));
    }
}
