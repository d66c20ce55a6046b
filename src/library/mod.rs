//! The clause library: agreements declared as data (`docs/library.md`).
//!
//! A library is a folder of `templates/<agreement>.yaml` manifests, `templates/*.md.tera`
//! bodies and shared pieces, and `clauses/<clause>.md.tera` sections. The library shipped
//! in the binary comes first; each `--library DIR` is laid over it in order, a file
//! replacing the one with the same relative path. [`Library::load`] reads and checks
//! everything once per run (manifests, template syntax, clause files, the field names
//! that conditions and computed values use); [`check`] goes further and renders every
//! agreement in every variant. The engine names no agreement.

pub mod check;
pub mod manifest;
pub mod schema;
pub mod starter;

use crate::diagnostic::{closest, Diagnostic, Pos};
use crate::render::{escape, filters};
use manifest::{Agreement, Condition, Field, Kind, Operand};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError, RwLock};
use tera::Tera;

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

/// The name patterns of a library's files, for messages.
pub const PATTERNS: &str =
    "templates/<agreement>.yaml, templates/<name>.md.tera, clauses/<clause>.md.tera (names: lower-case letters, digits, hyphens and underscores)";

/// One file of the layered library.
#[derive(Debug, Clone)]
pub struct LibraryFile {
    /// The path inside the library, e.g. `clauses/fees.md.tera`.
    pub rel: String,
    /// Where it came from, as named in messages: `clauses/fees.md.tera` (embedded) or
    /// `my-lib/clauses/fees.md.tera`.
    pub origin: String,
    /// The text: borrowed from the binary for an embedded file, read for a user's.
    pub text: std::borrow::Cow<'static, str>,
}

/// A library whose manifests are read and whose templates are parsed, ready to render.
pub struct Library {
    /// The templates parsed so far: all of them, or (for one agreement) at first only
    /// those that evaluate its conditions at once. The rest wait: the clauses until
    /// [`Library::prepare`] is given the sections a deal keeps, the other templates
    /// (single conditions, check messages) until they are rendered.
    tera: RwLock<Tera>,
    /// The templates not parsed yet.
    deferred: Mutex<Vec<Deferred>>,
    /// The body and shared pieces have been parsed (the first [`Library::prepare`]): from
    /// then on only a wanted template still deferred needs work.
    started: AtomicBool,
    agreements: BTreeMap<String, Agreement>,
    /// Every agreement the files declare (all read, or one with [`Library::embedded_for`]).
    ids: Vec<String>,
    files: Vec<LibraryFile>,
}

impl std::fmt::Debug for Library {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Library").field("agreements", &self.agreements.keys().collect::<Vec<_>>()).finish()
    }
}

/// Is `path` (as a message names it) a file of a library: a template, or a manifest in a
/// `templates` folder? Problems of such files are the library's, not a deal sheet's.
pub fn is_library_file(path: &str) -> bool {
    let path = std::path::Path::new(path);
    let in_templates = path.parent().and_then(|p| p.file_name()).is_some_and(|n| n == "templates");
    path.to_string_lossy().ends_with(".md.tera") || (in_templates && path.extension().is_some_and(|e| e == "yaml"))
}

/// Is `name` a library id: lower-case letters, digits, hyphens, underscores?
fn is_id(name: &str) -> bool {
    !name.is_empty()
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && !name.starts_with('-')
}

/// The value path written at `pos` of a template (`offering.gross_proceed` of
/// `{{ offering.gross_proceed | money }}`).
fn expression_at(text: &str, pos: Pos) -> Option<String> {
    let line = text.lines().nth(pos.line.checked_sub(1)?)?;
    // The position may be the filter's; the value is the first path after the opening `{{`.
    let upto: String = line.chars().take(pos.col).collect();
    let start = upto.rfind("{{").map_or(upto.len().saturating_sub(1), |i| i + 2);
    let rest = &line[start.min(line.len())..];
    let expr: String = rest
        .trim_start_matches(['{', ' ', '(', '-'])
        .chars()
        .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '[' | ']' | '"' | '\'' | '-'))
        .collect();
    (!expr.is_empty()).then_some(expr)
}

/// Does `rel` fit a pattern of the layout?
fn fits_pattern(rel: &str) -> bool {
    match rel.split_once('/') {
        Some(("templates", name)) => {
            name.strip_suffix(".yaml").is_some_and(is_id) || name.strip_suffix(".md.tera").is_some_and(is_id)
        }
        Some(("clauses", name)) => name.strip_suffix(".md.tera").is_some_and(is_id),
        _ => false,
    }
}

/// What [`Library::build`] reads up front.
#[derive(Clone, Copy)]
enum Scope<'a> {
    /// Everything, parsed and checked now.
    Whole,
    /// Every agreement's manifest; templates when a deal first needs them.
    Lazy,
    /// One agreement's manifest; its templates when its deal first needs them.
    One(&'a str),
}

/// The tera name of a library file: templates drop their folder, clauses keep it.
fn tera_name(rel: &str) -> &str {
    rel.strip_prefix("templates/").unwrap_or(rel)
}

impl Library {
    /// The library shipped in the binary.
    pub fn embedded() -> Result<Library, Vec<Diagnostic>> {
        Library::load(&[])
    }

    /// The library shipped in the binary, with only what agreement `id` needs read: its
    /// manifest, its body and the shared pieces; its clauses are parsed when a deal has
    /// chosen its sections ([`Library::prepare`]), only those it keeps. One deal sheet is
    /// rendered this way (the embedded library is checked whole by the test suite); every
    /// agreement id stays known, for messages. `None` when the library has no such agreement.
    pub fn embedded_for(id: &str) -> Option<Result<Library, Vec<Diagnostic>>> {
        let files = embedded_files();
        files.iter().any(|f| f.rel == format!("templates/{id}.yaml")).then(|| Library::build(files, Scope::One(id)))
    }

    /// The library shipped in the binary, every agreement's manifest read and each template
    /// parsed when a deal first needs it ([`Library::prepare`]): a batch of deal sheets pays
    /// only for the agreements and clauses its deals use. The embedded library is checked
    /// whole by the test suite; a user's library is loaded whole ([`Library::load`]).
    pub fn embedded_lazy() -> Result<Library, Vec<Diagnostic>> {
        Library::build(embedded_files(), Scope::Lazy)
    }

    /// The embedded library with each folder of `dirs` laid over it, in order.
    pub fn load(dirs: &[PathBuf]) -> Result<Library, Vec<Diagnostic>> {
        let mut files = embedded_files();
        let mut problems = Vec::new();
        for dir in dirs {
            match read_folder(dir) {
                Ok(layer) => {
                    for file in layer {
                        files.retain(|f| f.rel != file.rel);
                        files.push(file);
                    }
                }
                Err(mut ds) => problems.append(&mut ds),
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        files.sort_by(|a, b| a.rel.cmp(&b.rel));
        Library::from_files(files)
    }

    /// A library from its files (relative paths fitting the layout).
    pub fn from_files(files: Vec<LibraryFile>) -> Result<Library, Vec<Diagnostic>> {
        Library::build(files, Scope::Whole)
    }

    /// Reads the files of `scope`: all parsed now, or the templates left for
    /// [`Library::prepare`] (with [`Scope::One`], of that agreement only).
    fn build(files: Vec<LibraryFile>, scope: Scope<'_>) -> Result<Library, Vec<Diagnostic>> {
        let (only, lazy) = match scope {
            Scope::Whole => (None, false),
            Scope::Lazy => (None, true),
            Scope::One(id) => (Some(id), true),
        };
        let ids: Vec<String> = files
            .iter()
            .filter_map(|f| f.rel.strip_prefix("templates/")?.strip_suffix(".yaml"))
            .map(str::to_string)
            .collect();
        let mut problems = Vec::new();
        let mut agreements = BTreeMap::new();
        for f in files.iter().filter(|f| f.rel.ends_with(".yaml")) {
            let id = f.rel.trim_start_matches("templates/").trim_end_matches(".yaml");
            if only.is_some_and(|o| o != id) {
                continue;
            }
            match manifest::read(id, &f.origin, &f.text) {
                Ok(mut a) => {
                    let conditions =
                        a.sections.iter().filter_map(|s| s.when.as_ref()).chain(a.checks.iter().map(|c| &c.when));
                    let mut roots: Vec<String> = conditions
                        .flat_map(|c| condition_paths(&c.source))
                        .map(|p| p.split(['.', '[']).next().unwrap_or("").to_string())
                        .collect();
                    roots.sort();
                    roots.dedup();
                    a.condition_roots = roots;
                    let id = a.id.clone();
                    for s in &mut a.sections {
                        if let Some(w) = &mut s.when {
                            w.template = when_name(&id, &s.clause);
                        }
                    }
                    for (n, c) in a.checks.iter_mut().enumerate() {
                        c.when.template = check_name(&id, n, "when");
                    }
                    a.all_sections_template = format!("__when/{id}/*");
                    a.all_checks_template = format!("__check/{id}/*");
                    agreements.insert(id.to_string(), a);
                }
                Err(mut ds) => problems.append(&mut ds),
            }
        }
        let (first, clauses) = split_templates(&files, scope, &ids);
        // For one agreement, its body and shared pieces are parsed with the first clauses
        // asked for (tera checks what it holds at every call: one call, not two).
        let (parsed, first) = if lazy { (Vec::new(), first) } else { (first, Vec::new()) };
        let mut pieces = Vec::new();
        let mut found = Vec::new();
        for a in agreements.values() {
            found.extend(structure_problems(a, &files));
            pieces.extend(condition_templates(a));
        }
        // For one agreement, a deal evaluates its conditions all at once: each one's own
        // template (to say which fails) and a check's message wait until rendered.
        let (now, later): (Vec<&Piece>, Vec<&Piece>) = pieces.iter().partition(|(name, ..)| !lazy || is_combined(name));
        let mut tera = Tera::default();
        tera.set_escape_fn(escape::markdown);
        filters::register(&mut tera);
        tera.autoescape_on([".md.tera"]);
        let texts = parsed.iter().map(|f| (tera_name(&f.rel), f.text.as_ref()));
        let all = texts.clone().chain(now.iter().map(|(name, src, ..)| (name.as_str(), src.as_str())));
        // Everything in one call (tera checks its templates once per call); only when that
        // fails, the files first, to say which does not parse, then the conditions.
        if tera.add_raw_templates(all).is_err() {
            if let Err(e) = tera.add_raw_templates(texts) {
                return Err(vec![template_error(&files, &e)]);
            }
            found.extend(compile_conditions(&mut tera, &agreements, &pieces));
        }
        problems.append(&mut found);
        if agreements.is_empty() && problems.is_empty() {
            problems.push(Diagnostic::error(
                Pos::default(),
                "",
                "the library has no agreement (no templates/<agreement>.yaml)",
            ));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let file =
            |f: &&LibraryFile, first| Deferred { name: tera_name(&f.rel).to_string(), text: f.text.clone(), first };
        let deferred = first.iter().map(|f| file(f, true)).chain(clauses.iter().map(|f| file(f, false)));
        let deferred = deferred.chain(later.into_iter().map(|(name, src, ..)| Deferred {
            name: name.clone(),
            text: src.clone().into(),
            first: false,
        }));
        let deferred = Mutex::new(deferred.collect());
        Ok(Library { tera: RwLock::new(tera), deferred, started: AtomicBool::new(false), agreements, ids, files })
    }

    /// Parses the clauses of `sections` (clause ids) that are not parsed yet, and the
    /// clauses they include, in one go: what rendering a deal with these sections needs.
    /// Nothing to do for a library loaded whole.
    pub fn prepare<'s>(&self, sections: impl IntoIterator<Item = &'s str>) -> Result<(), Vec<Diagnostic>> {
        // Every deal of a batch asks: its clause ids are matched against the template names
        // in place (no name built per deal).
        let clauses: Vec<&str> = sections.into_iter().collect();
        let wanted = |name: &str| {
            name.strip_prefix("clauses/").and_then(|n| n.strip_suffix(".md.tera")).is_some_and(|c| clauses.contains(&c))
        };
        self.parse_deferred(wanted).map_err(|e| vec![template_error(&self.files, &e)])
    }

    /// Parses the deferred templates that `wanted` names, with the clauses they include
    /// (and, the first time, the body and shared pieces).
    fn parse_deferred(&self, wanted: impl Fn(&str) -> bool) -> Result<(), tera::Error> {
        let mut deferred = self.deferred.lock().unwrap_or_else(PoisonError::into_inner);
        // Every deal of a batch asks again: nothing to do once its templates are parsed.
        if self.started.load(Ordering::Relaxed) && !deferred.iter().any(|d| wanted(&d.name)) {
            return Ok(());
        }
        let mut taken: Vec<Deferred> = Vec::new();
        let mut i = 0;
        while i < deferred.len() {
            if deferred[i].first || wanted(&deferred[i].name) {
                taken.push(deferred.swap_remove(i));
            } else {
                i += 1;
            }
        }
        let mut i = 0;
        while i < taken.len() {
            let included: Vec<String> = included_clauses(&taken[i].text).collect();
            for name in included {
                if let Some(at) = deferred.iter().position(|d| d.name == name) {
                    taken.push(deferred.swap_remove(at));
                }
            }
            i += 1;
        }
        // A shared piece of components waits until a template taken calls one or names it.
        let mut idle = Vec::new();
        let mut i = 0;
        while i < taken.len() {
            let d = &taken[i];
            if d.first && !wanted(&d.name) && !defined_components(&d.text).is_empty() {
                idle.push(taken.swap_remove(i));
            } else {
                i += 1;
            }
        }
        let mut refs = References::default();
        taken.iter().for_each(|t| refs.add(&t.text));
        let mut used = vec![false; idle.len()];
        while let Some(at) = (0..idle.len()).find(|&i| !used[i] && refs.uses(&idle[i])) {
            used[at] = true;
            refs.add(&idle[at].text);
        }
        for at in (0..idle.len()).rev().filter(|&i| used[i]) {
            taken.push(idle.swap_remove(at));
        }
        if taken.is_empty() {
            deferred.append(&mut idle);
            return Ok(());
        }
        let mut tera = self.tera.write().unwrap_or_else(PoisonError::into_inner);
        let add = |tera: &mut Tera, taken: &[Deferred]| {
            tera.add_raw_templates(taken.iter().map(|d| (d.name.as_str(), d.text.as_ref())))
        };
        let added = match add(&mut tera, &taken) {
            // A call the scan missed: with every shared piece, as a library loaded whole.
            Err(_) if !idle.is_empty() => {
                taken.append(&mut idle);
                add(&mut tera, &taken)
            }
            added => added,
        };
        deferred.append(&mut idle);
        if added.is_ok() {
            self.started.store(true, Ordering::Relaxed);
        }
        if added.is_err() {
            deferred.append(&mut taken);
        }
        added
    }

    /// The ids of the agreements this library can assemble, sorted.
    pub fn agreement_ids(&self) -> Vec<&str> {
        self.ids.iter().map(String::as_str).collect()
    }

    /// The agreement `id`.
    pub fn agreement(&self, id: &str) -> Option<&Agreement> {
        self.agreements.get(id)
    }

    /// Every agreement, sorted by id.
    pub fn agreements(&self) -> impl Iterator<Item = &Agreement> {
        self.agreements.values()
    }

    /// Every file of the layered library, sorted by relative path.
    pub fn files(&self) -> &[LibraryFile] {
        &self.files
    }

    /// A render failure at the template's file, line and column when tera names them.
    pub fn render_problem(&self, message: &str) -> Diagnostic {
        let located = message.lines().find_map(|l| {
            let rest = l.trim().strip_prefix("--> ")?;
            let mut parts = rest.rsplitn(3, ':');
            let col = parts.next()?.trim().parse().ok()?;
            let line = parts.next()?.trim().parse().ok()?;
            Some((parts.next()?.to_string(), Pos { line, col }))
        });
        let what = message
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.trim().trim_start_matches("error: "))
            .find(|l| {
                !l.starts_with("the clause library failed")
                    && !l.starts_with("-->")
                    && !l.starts_with('|')
                    && !l.chars().next().is_some_and(|c| c.is_ascii_digit())
            })
            .unwrap_or(message)
            .to_string();
        match located {
            Some((name, pos)) => {
                let found = self.files().iter().find(|f| tera_name(&f.rel) == name);
                // A filter given an undefined value cannot name it: read it from the template.
                let what = match found.and_then(|f| expression_at(&f.text, pos)) {
                    Some(expr) if what.contains("was given an undefined value") => {
                        format!("`{expr}` is not defined: {what}")
                    }
                    _ => what,
                };
                Diagnostic::error(pos, "", what).in_file(&found.map_or(name, |f| f.origin.clone()))
            }
            None => Diagnostic::error(Pos::default(), "", message.lines().next().unwrap_or(message).to_string()),
        }
    }

    /// The templates, to render.
    pub(crate) fn tera(&self) -> Templates<'_> {
        Templates(self)
    }
}

/// A template not parsed yet.
struct Deferred {
    /// Its tera name.
    name: String,
    text: Cow<'static, str>,
    /// Parsed with the first templates parsed after loading (the body, the shared pieces).
    first: bool,
}

/// A library's templates; one not parsed yet is parsed when first rendered (see
/// [`Library::prepare`] to parse a deal's clauses in one go).
pub(crate) struct Templates<'l>(&'l Library);

impl Templates<'_> {
    /// Renders template `name` (a file's tera name, or a condition's) with `context`.
    pub(crate) fn render(&self, name: &str, context: &tera::Context) -> Result<String, tera::Error> {
        {
            let tera = self.0.tera.read().unwrap_or_else(PoisonError::into_inner);
            if tera.contains_template(name) {
                return tera.render(name, context);
            }
        }
        // With its siblings: a check's condition, message and help; every single condition.
        let group = name.rfind('/').filter(|_| name.starts_with("__")).map(|i| &name[..=i]);
        self.0.parse_deferred(|n| n == name || group.is_some_and(|g| n.starts_with(g)))?;
        self.0.tera.read().unwrap_or_else(PoisonError::into_inner).render(name, context)
    }
}

/// The files shipped in the binary, their text borrowed, not copied.
fn embedded_files() -> Vec<LibraryFile> {
    EMBEDDED
        .iter()
        .map(|(rel, text)| LibraryFile { rel: rel.to_string(), origin: rel.to_string(), text: (*text).into() })
        .collect()
}

/// The files of one `--library` folder; files that fit no pattern are errors.
fn read_folder(dir: &Path) -> Result<Vec<LibraryFile>, Vec<Diagnostic>> {
    let shown = |p: &Path| p.display().to_string();
    let fail = |message: String, help: Option<String>| {
        let mut d = Diagnostic::error(Pos::default(), "", message).in_file(&shown(dir));
        d.help = help;
        vec![d]
    };
    if !dir.is_dir() {
        return Err(fail(
            "--library: not a folder".into(),
            Some("give a folder with templates/ and clauses/ (`clausewright library export DIR` writes one)".into()),
        ));
    }
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let mut walk = vec![(dir.to_path_buf(), String::new())];
    while let Some((folder, prefix)) = walk.pop() {
        let entries = match std::fs::read_dir(&folder) {
            Ok(e) => e,
            Err(e) => return Err(fail(format!("cannot read {}: {e}", shown(&folder)), None)),
        };
        let mut entries: Vec<_> = entries.flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let rel = format!("{prefix}{name}");
            let path = entry.path();
            if prefix.is_empty() {
                // At the top, only templates/ and clauses/ are the library; other files (a
                // README, deal sheets, outputs) are the user's own, unless a name is a near
                // miss of the two folders, which would silently drop the library.
                if path.is_dir() && (name == "templates" || name == "clauses") {
                    walk.push((path, format!("{rel}/")));
                } else if let Some(near) = closest(&name, ["templates", "clauses"]) {
                    problems.push(
                        Diagnostic::error(
                            Pos::default(),
                            "",
                            format!("`{name}` is not a library folder, so it would be ignored"),
                        )
                        .with_help(format!("did you mean `{near}/`? library files are {PATTERNS}"))
                        .in_file(&shown(&path)),
                    );
                }
                continue;
            }
            if !path.is_dir() && fits_pattern(&rel) {
                match std::fs::read_to_string(&path) {
                    Ok(text) => out.push(LibraryFile { rel, origin: shown(&path), text: text.into() }),
                    Err(e) => problems.push(
                        Diagnostic::error(Pos::default(), "", format!("cannot read the library file: {e}"))
                            .in_file(&shown(&path)),
                    ),
                }
                continue;
            }
            let near = ["templates/", "clauses/"]
                .iter()
                .find(|p| rel.starts_with(*p))
                .and_then(|_| rel.split_once('/'))
                .map(|(folder, file)| guess_name(folder, file));
            let help = match near {
                Some(Some(fixed)) => format!("did you mean `{fixed}`? library files are {PATTERNS}"),
                _ => format!("library files are {PATTERNS}"),
            };
            problems.push(
                Diagnostic::error(
                    Pos::default(),
                    "",
                    format!("`{rel}` fits no pattern of the library layout, so it would be ignored"),
                )
                .with_help(help)
                .in_file(&shown(&path)),
            );
        }
    }
    if problems.is_empty() && !dir.join("templates").is_dir() && !dir.join("clauses").is_dir() {
        return Err(fail(
            "--library: the folder has no templates/ or clauses/ folder".into(),
            Some(format!("library files are {PATTERNS}; `clausewright library export DIR` writes a complete one")),
        ));
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// The name a misnamed file was probably meant to have (`governing_law.md.tera.bak`,
/// `fees.tera`, `x.yml`).
fn guess_name(folder: &str, file: &str) -> Option<String> {
    let stem = file.split('.').next().unwrap_or(file).to_lowercase();
    if !is_id(&stem) {
        return None;
    }
    let yaml = file.contains(".yml") || file.contains(".yaml");
    let fixed = if folder == "templates" && yaml {
        format!("{folder}/{stem}.yaml")
    } else {
        format!("{folder}/{stem}.md.tera")
    };
    (fixed != format!("{folder}/{file}")).then_some(fixed)
}

/// A tera parse error as a diagnostic at the template's file, line and column.
fn template_error(files: &[LibraryFile], e: &tera::Error) -> Diagnostic {
    let text = e.to_string();
    // tera names the template and the position: "--> name:LINE:COL".
    let located = text.lines().find_map(|l| {
        let rest = l.trim().strip_prefix("--> ")?;
        let mut parts = rest.rsplitn(3, ':');
        let col = parts.next()?.trim().parse().ok()?;
        let line = parts.next()?.trim().parse().ok()?;
        Some((parts.next()?.to_string(), Pos { line, col }))
    });
    let message = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("the template does not parse").trim();
    let message = message.strip_prefix("error: ").unwrap_or(message);
    match located {
        Some((name, pos)) => {
            let origin = files.iter().find(|f| tera_name(&f.rel) == name).map_or(name.clone(), |f| f.origin.clone());
            Diagnostic::error(pos, "", format!("the template does not parse: {message}")).in_file(&origin)
        }
        None => Diagnostic::error(Pos::default(), "", format!("the library's templates do not parse: {text}")),
    }
}

/// The template files an agreement always needs, and the clauses that wait to be chosen
/// ([`Library::prepare`]). All of them are needed, except with `only`: then another
/// agreement's body is left out, and the clauses wait, unless one defines a component
/// (which any template may use) or a needed template includes it.
fn split_templates<'f>(
    files: &'f [LibraryFile],
    scope: Scope<'_>,
    ids: &[String],
) -> (Vec<&'f LibraryFile>, Vec<&'f LibraryFile>) {
    let templates = files.iter().filter(|f| f.rel.ends_with(".md.tera"));
    let only = match scope {
        Scope::Whole => return (templates.collect(), Vec::new()),
        Scope::Lazy => None,
        Scope::One(id) => Some(id),
    };
    let (mut parsed, mut deferred): (Vec<&LibraryFile>, Vec<&LibraryFile>) = templates
        .filter(|f| {
            // With one agreement, no other agreement's body.
            let stem = f.rel.strip_prefix("templates/").and_then(|n| n.strip_suffix(".md.tera"));
            stem.is_none_or(|stem| only.is_none_or(|id| stem == id) || !ids.iter().any(|i| i == stem))
        })
        .partition(|f| !f.rel.starts_with("clauses/") || f.text.contains("endcomponent"));
    let mut i = 0;
    while i < parsed.len() {
        for rel in included_clauses(&parsed[i].text) {
            if let Some(at) = deferred.iter().position(|f| f.rel == rel) {
                parsed.push(deferred.remove(at));
            }
        }
        i += 1;
    }
    (parsed, deferred)
}

/// The components a template defines (`{% component wording.people(party, term) %}`).
fn defined_components(text: &str) -> Vec<&str> {
    text.match_indices("component ")
        .filter(|(at, _)| text[..*at].trim_end_matches([' ', '-']).ends_with("{%"))
        .map(|(at, _)| {
            let rest = text[at + "component ".len()..].trim_start();
            &rest[..rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.')).unwrap_or(rest.len())]
        })
        .filter(|name| !name.is_empty())
        .collect()
}

/// What templates refer to: the components they call (`{{<wording.people ... />}}`) and
/// the templates they name (`{% include "x.md.tera" %}`).
#[derive(Default)]
struct References<'t> {
    calls: Vec<&'t str>,
    names: Vec<&'t str>,
}

impl<'t> References<'t> {
    fn add(&mut self, text: &'t str) {
        let word = |s: &'t str| &s[..s.find(|c: char| !(c.is_alphanumeric() || "_.-/".contains(c))).unwrap_or(s.len())];
        for (at, _) in text.match_indices('<') {
            if text[..at].trim_end_matches([' ', '-']).ends_with("{{") {
                self.calls.push(word(text[at + 1..].trim_start()));
            }
        }
        for (at, _) in text.match_indices(".md.tera") {
            let start = text[..at].rfind(|c: char| !(c.is_alphanumeric() || "_-/".contains(c))).map_or(0, |i| i + 1);
            self.names.push(&text[start..at + ".md.tera".len()]);
        }
    }

    /// Does a template referred to call a component of `piece`, or name it?
    fn uses(&self, piece: &Deferred) -> bool {
        self.names.contains(&piece.name.as_str())
            || defined_components(&piece.text).iter().any(|c| self.calls.contains(c))
    }
}

/// The clause files a template names (`{% include "clauses/x.md.tera" %}`), as relative paths.
fn included_clauses(text: &str) -> impl Iterator<Item = String> + '_ {
    text.match_indices("clauses/").filter_map(|(at, _)| {
        let rest = &text[at + "clauses/".len()..];
        let name =
            &rest[..rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_')).unwrap_or(rest.len())];
        rest[name.len()..].starts_with(".md.tera").then(|| format!("clauses/{name}.md.tera"))
    })
}

/// The body and clause files an agreement needs; names its conditions and computed
/// values use that it does not declare.
fn structure_problems(a: &Agreement, files: &[LibraryFile]) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let has = |rel: &str| files.iter().any(|f| f.rel == rel);
    if !has(&format!("templates/{}.md.tera", a.id)) {
        found.push(
            Diagnostic::error(
                Pos { line: 1, col: 1 },
                "",
                format!("the agreement has no body template `templates/{}.md.tera`", a.id),
            )
            .with_help("write the body (title, preamble, `{{ sections }}`, signatures) in that file")
            .in_file(&a.file),
        );
    }
    for s in &a.sections {
        if !has(&format!("clauses/{}.md.tera", s.clause)) {
            let clauses: Vec<&str> =
                files.iter().filter_map(|f| f.rel.strip_prefix("clauses/")?.strip_suffix(".md.tera")).collect();
            let help = match closest(&s.clause, clauses.iter().copied()) {
                Some(near) => format!("did you mean `{near}`? or write clauses/{}.md.tera", s.clause),
                None => format!("write clauses/{}.md.tera", s.clause),
            };
            found.push(
                Diagnostic::error(
                    s.pos,
                    "sections",
                    format!("the section `{}` has no clause file `clauses/{}.md.tera`", s.clause, s.clause),
                )
                .with_help(help)
                .in_file(&a.file),
            );
        }
    }
    let mut known: Vec<&str> = Vec::new();
    for c in &a.computed {
        for op in &c.operands {
            if let Operand::Path { path, pos } = op {
                if !known.contains(&path.as_str()) && !resolves(a, path) {
                    found.push(undeclared(a, path, *pos, &format!("computed.{}", c.name)));
                }
            }
        }
        known.push(&c.name);
    }
    let conditions = a.sections.iter().filter_map(|s| s.when.as_ref().map(|w| (w, "sections".to_string())));
    let checks = a.checks.iter().map(|c| (&c.when, "checks".to_string()));
    for (cond, path) in conditions.chain(checks) {
        for name in condition_paths(&cond.source) {
            if !resolves(a, &name) {
                found.push(undeclared(a, &name, cond.pos, &path));
            }
        }
    }
    for (n, c) in a.checks.iter().enumerate() {
        if !resolves(a, &c.at) {
            found.push(undeclared(a, &c.at, c.at_pos, &format!("checks.{n}.at")));
        }
    }
    found
}

fn undeclared(a: &Agreement, name: &str, pos: Pos, path: &str) -> Diagnostic {
    let mut names = Vec::new();
    all_paths(&a.fields, "", &mut names);
    names.extend(a.computed.iter().map(|c| c.name.clone()));
    let help = match closest(name, names.iter().map(String::as_str)) {
        Some(near) => format!("did you mean `{near}`?"),
        None => "declare it under `fields` or `computed`".to_string(),
    };
    Diagnostic::error(pos, path, format!("`{name}` is not a declared field or computed value"))
        .with_help(help)
        .in_file(&a.file)
}

fn all_paths(fields: &[Field], prefix: &str, out: &mut Vec<String>) {
    for f in fields {
        let p = if prefix.is_empty() { f.name.to_string() } else { format!("{prefix}.{}", f.name) };
        if let Kind::Group { fields } = &f.kind {
            all_paths(fields, &p, out);
        }
        out.push(p);
    }
}

/// Does `path` name a declared field (or a part of one), a computed value, or one of the
/// values the engine provides (`number`, `title`)?
pub fn resolves(a: &Agreement, path: &str) -> bool {
    let mut parts = path.split('.');
    let Some(first) = parts.next() else { return false };
    if matches!(first, "number" | "title") || a.computed.iter().any(|c| c.name == first) {
        return true;
    }
    let Some(mut field) = a.fields.iter().find(|f| &*f.name == first) else { return false };
    for part in parts {
        match &field.kind {
            Kind::Group { fields } => match fields.iter().find(|f| &*f.name == part) {
                Some(f) => field = f,
                None => return false,
            },
            Kind::Party => return true,
            Kind::Date { .. } | Kind::DateForm { .. } => return matches!(part, "year" | "month" | "day" | "iso"),
            Kind::List { .. } => return true,
            _ => return false,
        }
    }
    true
}

/// The value paths a condition reads (`clauses.finder`, `term.months`), skipping strings,
/// numbers, keywords, filters, tests and function names.
pub fn condition_paths(source: &str) -> Vec<String> {
    const KEYWORDS: [&str; 11] = ["and", "or", "not", "in", "is", "true", "false", "True", "False", "none", "None"];
    let s = source;
    // Byte offsets into `s`; every character the syntax looks at is ASCII.
    let skip = |i: usize, keep: &dyn Fn(char) -> bool| s[i..].find(|c: char| !keep(c)).map_or(s.len(), |n| i + n);
    let in_name = |c: char| c.is_alphanumeric() || c == '_' || c == '.';
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    let mut after_pipe_or_is = false;
    while let Some(c) = s[i..].chars().next() {
        if c == '"' || c == '\'' || c == '`' {
            i = s[i + 1..].find(c).map_or(s.len(), |n| i + 1 + n + 1);
            continue;
        }
        if c == '|' {
            after_pipe_or_is = true;
            i += 1;
            continue;
        }
        if c.is_ascii_digit() {
            i = skip(i, &|c| c.is_ascii_alphanumeric() || c == '.');
            continue;
        }
        if c.is_alphabetic() || c == '_' {
            let start = i;
            i = skip(i, &in_name);
            let mut name = Cow::Borrowed(s[start..i].trim_end_matches('.'));
            // `number["governing-law"]`, `tiers[1].up_to`: a key joins the path, an index
            // keeps the list's path (its items are checked as the list is).
            while i + 1 < s.len() && s[i..].starts_with('[') {
                let Some(end) = s[i + 1..].find(']') else { break };
                let inside = &s[i + 1..i + 1 + end];
                if let Some(q) = inside.chars().next().filter(|q| *q == '"' || *q == '\'') {
                    let name = name.to_mut();
                    name.push('.');
                    name.push_str(inside.trim_matches(q));
                }
                i = skip(i + end + 2, &in_name);
            }
            let rest = s[i..].trim_start();
            let call = rest.starts_with('(');
            let kwarg = rest.starts_with('=') && !rest.starts_with("==");
            if after_pipe_or_is {
                after_pipe_or_is = name == "not";
            } else if name == "is" {
                after_pipe_or_is = true;
            } else if !KEYWORDS.contains(&name.as_ref()) && !call && !kwarg {
                out.push(name.into_owned());
            }
            continue;
        }
        if !c.is_whitespace() && c != '(' {
            after_pipe_or_is = false;
        }
        i += c.len_utf8();
    }
    out.dedup();
    out
}

/// A condition or check message of a manifest as a small template:
/// (template name, source, agreement id, position in the manifest, key path).
type Piece = (String, String, String, Pos, &'static str);

/// Each condition and check of `a` as a small template, so a deal evaluates them without
/// parsing: `__when/<id>/<clause>`, `__check/<id>/<n>/{when,message,help}`.
fn condition_templates(a: &Agreement) -> Vec<Piece> {
    let mut out = Vec::new();
    let cond = |source: &str| format!("{{% if {source} %}}1{{% endif %}}");
    for s in &a.sections {
        if let Some(w) = &s.when {
            out.push((w.template.clone(), cond(&w.source), a.id.clone(), w.pos, "sections"));
        }
    }
    // All of them at once, "1" or "0" each: what a deal evaluates (one render, not one each).
    let each = |c: &Condition| format!("{{% if {} %}}1{{% else %}}0{{% endif %}}", c.source);
    let sections: String = a.sections.iter().filter_map(|s| s.when.as_ref()).map(each).collect();
    let checks: String = a.checks.iter().map(|c| each(&c.when)).collect();
    out.push((a.all_sections_template.clone(), sections, a.id.clone(), Pos::default(), "sections"));
    out.push((a.all_checks_template.clone(), checks, a.id.clone(), Pos::default(), "checks"));
    for (n, c) in a.checks.iter().enumerate() {
        out.push((c.when.template.clone(), cond(&c.when.source), a.id.clone(), c.when.pos, "checks"));
        out.push((check_name(&a.id, n, "message"), c.message.clone(), a.id.clone(), c.pos, "checks"));
        if let Some(h) = &c.help {
            out.push((check_name(&a.id, n, "help"), h.clone(), a.id.clone(), c.pos, "checks"));
        }
    }
    out
}

/// Registers every piece in one call (tera checks its templates once per call); only when
/// that fails are they added one by one, to say which condition does not parse and where.
fn compile_conditions(tera: &mut Tera, agreements: &BTreeMap<String, Agreement>, pieces: &[Piece]) -> Vec<Diagnostic> {
    if tera.add_raw_templates(pieces.iter().map(|(name, src, ..)| (name.as_str(), src.as_str()))).is_ok() {
        return Vec::new();
    }
    let mut found = Vec::new();
    for (name, src, id, pos, path) in pieces {
        if let Err(e) = tera.add_raw_template(name, src) {
            let text = e.to_string();
            let first =
                text.lines().find(|l| !l.trim().is_empty() && !l.contains("__")).unwrap_or("it does not parse").trim();
            let file = agreements.get(id).map_or(String::new(), |a| a.file.clone());
            found.push(
                Diagnostic::error(
                    *pos,
                    *path,
                    format!("the condition does not parse: {}", first.trim_start_matches("error: ")),
                )
                .with_help(
                    "a condition is a tera expression, e.g. `clauses.finder != \"omitted\"` or `term.months > 12`",
                )
                .in_file(&file),
            );
        }
    }
    found
}

/// Is `name` one of the templates that evaluate every condition of an agreement at once?
fn is_combined(name: &str) -> bool {
    name.ends_with("/*")
}

pub(crate) fn when_name(id: &str, clause: &str) -> String {
    format!("__when/{id}/{clause}")
}

pub(crate) fn check_name(id: &str, n: usize, part: &str) -> String {
    format!("__check/{id}/{n}/{part}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(rel: &str, text: &str) -> LibraryFile {
        LibraryFile { rel: rel.to_string(), origin: rel.to_string(), text: text.to_string().into() }
    }

    fn rels(files: &[&LibraryFile]) -> Vec<String> {
        let mut rels: Vec<String> = files.iter().map(|f| f.rel.clone()).collect();
        rels.sort();
        rels
    }

    #[test]
    fn one_agreement_parses_its_body_shared_pieces_components_and_includes_first() {
        let files = vec![
            file("templates/a.md.tera", "{{ sections }}{% include \"clauses/inc.md.tera\" %}"),
            file("templates/b.md.tera", "{{ sections }}"),
            file("templates/shared.md.tera", "{% component c() %}x{% endcomponent c %}"),
            file("clauses/comp.md.tera", "{% component d() %}y{% endcomponent d %}"),
            file("clauses/inc.md.tera", "{% include \"clauses/inc2.md.tera\" %}"),
            file("clauses/inc2.md.tera", "z"),
            file("clauses/x.md.tera", "{{ number.x }}"),
            file("templates/a.yaml", ""),
            file("templates/b.yaml", ""),
        ];
        let ids = vec!["a".to_string(), "b".to_string()];
        let (parsed, deferred) = split_templates(&files, Scope::One("a"), &ids);
        assert_eq!(
            rels(&parsed),
            [
                "clauses/comp.md.tera",
                "clauses/inc.md.tera",
                "clauses/inc2.md.tera",
                "templates/a.md.tera",
                "templates/shared.md.tera"
            ]
        );
        assert_eq!(rels(&deferred), ["clauses/x.md.tera"]);
        let (parsed, deferred) = split_templates(&files, Scope::Whole, &ids);
        assert_eq!(parsed.len(), 7);
        assert!(deferred.is_empty());
    }

    #[test]
    fn condition_paths_skip_calls_keywords_and_argument_names() {
        for (source, paths) in [
            ("clauses.finder != \"omitted\"", vec!["clauses.finder"]),
            ("term.months > 12 and not date.year", vec!["term.months", "date.year"]),
            ("f (a) == b", vec!["a", "b"]),
            ("x == y", vec!["x", "y"]),
            ("g(k = v) or h(k=w)", vec!["v", "w"]),
            ("fee.rate | round(precision=2) > 3", vec!["fee.rate"]),
            ("number[\"governing-law\"] > 1 and tiers[1].up_to > 2", vec!["number.governing-law", "tiers"]),
            ("'it''s é' == prénom and x is not defined and y", vec!["prénom", "x", "y"]),
            ("a[]b or c[\"d\"", vec!["a", "c"]),
        ] {
            assert_eq!(condition_paths(source), paths, "{source}");
        }
    }

    #[test]
    fn shared_pieces_wait_until_a_template_taken_calls_one_of_their_components() {
        let files = vec![
            file("templates/a.yaml", "title: A\ndescription: d\nfields:\n  name: { type: text }\nsections:\n  - { clause: one }\n  - { clause: two }\n"),
            file("templates/a.md.tera", "{{ sections }}"),
            file("templates/inner.md.tera", "{% component inner() %}in{% endcomponent inner %}"),
            file("templates/outer.md.tera", "{% component outer() %}{{<inner />}}{% endcomponent outer %}"),
            file("templates/unused.md.tera", "{% component unused() %}u{% endcomponent unused %}"),
            file("clauses/one.md.tera", "1"),
            file("clauses/two.md.tera", "{{- <outer />}}"),
        ];
        let library = Library::build(files, Scope::One("a")).unwrap();
        let has = |name: &str| library.tera.read().unwrap().get_template_names().any(|n| n == name);
        library.prepare(["one"]).unwrap();
        assert!(has("a.md.tera") && has("clauses/one.md.tera"));
        assert!(!has("outer.md.tera") && !has("inner.md.tera") && !has("unused.md.tera"));
        library.prepare(["two"]).unwrap();
        assert!(has("outer.md.tera") && has("inner.md.tera") && !has("unused.md.tera"));
        let rendered = library.tera().render("clauses/two.md.tera", &tera::Context::new()).unwrap();
        assert_eq!(rendered, "in");
    }

    #[test]
    fn a_lazy_library_parses_each_agreements_templates_when_a_deal_needs_them() {
        let manifest = |clause: &str| {
            format!(
                "title: T\ndescription: d\nfields:\n  name: {{ type: text }}\nsections:\n  - {{ clause: {clause} }}\n"
            )
        };
        let files = vec![
            file("templates/a.yaml", &manifest("one")),
            file("templates/a.md.tera", "{{ sections }}"),
            file("templates/b.yaml", &manifest("two")),
            file("templates/b.md.tera", "B {{ sections }}"),
            file("clauses/one.md.tera", "1"),
            file("clauses/two.md.tera", "2"),
        ];
        let library = Library::build(files, Scope::Lazy).unwrap();
        assert_eq!(library.agreement_ids(), ["a", "b"]);
        let has = |name: &str| library.tera.read().unwrap().get_template_names().any(|n| n == name);
        assert!(!has("clauses/one.md.tera") && !has("clauses/two.md.tera") && !has("a.md.tera"));
        library.prepare(["one"]).unwrap();
        assert!(has("a.md.tera") && has("b.md.tera") && has("clauses/one.md.tera") && !has("clauses/two.md.tera"));
        library.prepare(["one"]).unwrap();
        assert!(!has("clauses/two.md.tera"));
        library.prepare(["two"]).unwrap();
        assert!(has("clauses/two.md.tera"));
    }

    #[test]
    fn defined_components_are_named_without_their_arguments() {
        let text = "{% component a.b(x) %}{% endcomponent a.b %}\n{%- component  c_d() -%}{%- endcomponent c_d -%} component e()";
        assert_eq!(defined_components(text), ["a.b", "c_d"]);
    }

    #[test]
    fn included_clauses_are_named_by_their_paths() {
        let text = "{% include \"clauses/fees.md.tera\" %} clauses/ clauses/x.md {% include 'clauses/a-b_c.md.tera' %}";
        assert_eq!(included_clauses(text).collect::<Vec<_>>(), ["clauses/fees.md.tera", "clauses/a-b_c.md.tera"]);
    }

    #[test]
    fn prepare_parses_only_the_clauses_kept_and_once() {
        let library = Library::embedded_for("financial-consulting").unwrap().unwrap();
        let has = |name: &str| library.tera.read().unwrap().get_template_names().any(|n| n == name);
        assert!(has("__when/financial-consulting/*") && !has("financial-consulting.md.tera"));
        assert!(!has("finder.md.tera"), "another agreement's body is not parsed");
        assert!(!has("clauses/fees.md.tera"));
        library.prepare(["fees", "engagement"]).unwrap();
        assert!(has("clauses/fees.md.tera") && has("clauses/engagement.md.tera"));
        assert!(has("financial-consulting.md.tera") && has("signature-block.md.tera"));
        // No clause kept calls a component of the consulting wording: it waits for one.
        assert!(!has("consulting-wording.md.tera"));
        library.prepare(["consulting-confidentiality"]).unwrap();
        assert!(has("consulting-wording.md.tera"));
        assert!(!has("clauses/services.md.tera"));
        library.prepare(["fees", "no-such-clause"]).unwrap();
        // A single condition and a check's message are parsed when first rendered, with
        // their siblings only.
        let id = "financial-consulting";
        assert!(!has(&when_name(id, "finder")) && !has(&check_name(id, 1, "message")));
        let mut context = tera::Context::new();
        context.insert("clauses", &BTreeMap::from([("finder", "omitted")]));
        context.insert("client", &BTreeMap::from([("name", "Ann"), ("entity", "individual")]));
        assert_eq!(library.tera().render(&when_name(id, "finder"), &context).unwrap(), "");
        assert!(has(&when_name(id, "consulting-warrants")) && !has(&check_name(id, 1, "when")));
        let message = library.tera().render(&check_name(id, 1, "message"), &context).unwrap();
        assert!(message.starts_with("the Client, Ann, is an individual"), "{message}");
        assert!(has(&check_name(id, 1, "help")) && !has(&check_name(id, 0, "message")));
        assert!(library.tera().render("clauses/no-such-clause.md.tera", &context).is_err());
        let whole = Library::embedded().unwrap();
        assert!(whole.tera.read().unwrap().get_template_names().any(|n| n == "clauses/services.md.tera"));
        assert!(whole.deferred.lock().unwrap().is_empty());
    }
}
