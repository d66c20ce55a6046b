//! Embeds the clause library (templates/ and clauses/) in the binary: every file that fits
//! the library's name patterns (docs/library.md, "Layout") is listed in `embedded.rs`, so a
//! new agreement or clause needs no change to the program. Fonts are embedded by the PDF code.

use std::path::Path;

fn main() {
    let root = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let mut files = Vec::new();
    for (dir, suffixes) in [("templates", &[".yaml", ".md.tera"][..]), ("clauses", &[".md.tera"][..])] {
        println!("cargo:rerun-if-changed={dir}");
        let Ok(entries) = std::fs::read_dir(Path::new(&root).join(dir)) else { continue };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if entry.path().is_file() && !name.starts_with('.') && suffixes.iter().any(|s| name.ends_with(s)) {
                files.push(format!("{dir}/{name}"));
            }
        }
    }
    files.sort();
    let mut out = String::from(
        "/// The embedded library: (relative path, text), sorted by path.\npub const EMBEDDED: &[(&str, &str)] = &[\n",
    );
    for f in &files {
        out.push_str(&format!("    ({f:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/{f}\"))),\n"));
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}
