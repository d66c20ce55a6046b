//! The batch benchmark: generates N deal-sheet variants into a temporary folder and times
//! the real release binary on them, for Markdown and for PDF, next to `cp -r` of the same
//! folder (the I/O floor). Prints documents per second and peak RSS, the PDF bytes per
//! document, and the whole-process CPU time of rendering one document at a time (the
//! editor's save hook), Markdown and PDF, over the first deal sheets of the batch. Then DOCX
//! beside PDF on the same inputs (time ratio docx/pdf; the issue-14 target is at most 1.0).
//!
//! Run: `cargo bench --bench batch` (N = 100 and N = 10,000); `cargo bench --bench batch -- 2000`
//! for another N; `CLAUSEWRIGHT_BENCH_DIR=/dev/shm cargo bench --bench batch` to work on tmpfs
//! instead of the target folder's disk. `CLAUSEWRIGHT_BENCH_BASELINE=/path/to/old/clausewright`
//! also times an older binary on the same inputs in the same run, interleaved, for before/after
//! ratios that the machine's noise does not skew; `CLAUSEWRIGHT_BENCH_BIN=path/to/clausewright`
//! measures that build in place of this one. `cargo bench --bench batch -- --generate DIR N` only
//! writes the N inputs into DIR, for profiling by hand. Figures and targets are recorded in BENCHMARKS.md.

#[path = "../tests/common/generate.rs"]
mod generate;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The build measured as "this build": the one cargo built, or another named by
/// `CLAUSEWRIGHT_BENCH_BIN`.
fn this_build() -> String {
    std::env::var("CLAUSEWRIGHT_BENCH_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_clausewright").to_string())
}

/// The binaries to time: this build, and an optional baseline to compare with side by side.
fn binaries() -> Vec<(String, String)> {
    let mut bins = vec![("this build".to_string(), this_build())];
    if let Some(base) = std::env::var_os("CLAUSEWRIGHT_BENCH_BASELINE") {
        bins.push(("baseline".to_string(), base.to_string_lossy().into_owned()));
    }
    bins
}

/// One timed run: wall time and the peak RSS of the measured process.
struct Measure {
    wall: Duration,
    peak_rss_kb: i64,
}

/// Runs `program args` in a child of a fresh copy of this benchmark, so the peak RSS read
/// from `getrusage(RUSAGE_CHILDREN)` belongs to that one run only.
fn measure(dir: &Path, program: &str, args: &[&str]) -> Measure {
    let started = Instant::now();
    let out = Command::new(std::env::current_exe().unwrap())
        .arg("--measure-child")
        .arg(program)
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the benchmark re-runs itself");
    let wall = started.elapsed();
    assert!(out.status.success(), "{program} {args:?} failed:\n{}", String::from_utf8_lossy(&out.stderr));
    let rss = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap_or(0);
    Measure { wall, peak_rss_kb: rss }
}

/// In the copy: run the program, print its peak RSS in KiB.
fn measure_child(program: &str, args: &[String]) -> ! {
    let status = Command::new(program).args(args).status().expect("the program runs");
    let peak = nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN).map_or(0, |u| u.max_rss());
    if !status.success() {
        eprintln!("{program} exited with {status}");
        std::process::exit(1);
    }
    println!("{peak}");
    std::process::exit(0);
}

/// CPU time (user + system) of `runs` separate processes rendering one deal sheet each,
/// in milliseconds per process. Read in a child of this benchmark, like the peak RSS.
fn single_cpu_ms(dir: &Path, bin: &str, sheets: &[String], format: &str, runs: usize) -> f64 {
    let mut args: Vec<String> = vec!["--single-cpu".into(), bin.into(), format.into(), runs.to_string()];
    args.extend(sheets.iter().cloned());
    let out = Command::new(std::env::current_exe().unwrap())
        .args(&args)
        .current_dir(dir)
        .output()
        .expect("the benchmark re-runs itself");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap_or(f64::NAN)
}

/// In the copy: render each sheet alone, `runs` processes in all; print CPU ms per process.
fn single_cpu_child(bin: &str, format: &str, runs: usize, sheets: &[String]) -> ! {
    for k in 0..runs {
        let sheet = &sheets[k % sheets.len()];
        let status = Command::new(bin)
            .args(["render", sheet, "--format", format, "--out", "single", "--quiet"])
            .status()
            .expect("the binary runs");
        assert!(status.success());
    }
    let usage = nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN).expect("rusage");
    let secs = |t: nix::sys::time::TimeVal| t.tv_sec() as f64 + t.tv_usec() as f64 / 1e6;
    println!("{}", (secs(usage.user_time()) + secs(usage.system_time())) * 1e3 / runs as f64);
    std::process::exit(0);
}

fn per_second(n: usize, d: Duration) -> f64 {
    n as f64 / d.as_secs_f64()
}

/// One batch size's figures.
struct Figures {
    cp: Measure,
    md: Measure,
    pdf: Measure,
    pdf_bytes: u64,
    single_md: f64,
    single_pdf: f64,
}

fn run(n: usize, root: &Path, bin: &str) -> Figures {
    let dir = root.join(format!("n{n}"));
    let _ = std::fs::remove_dir_all(&dir);
    generate::write_batch(&dir.join("in"), n);
    // Warm the page cache and the binary once.
    let _ = Command::new("cp").args(["-r", "in", "warm"]).current_dir(&dir).status();
    let cp = measure(&dir, "cp", &["-r", "in", "copy"]);
    let md = measure(&dir, bin, &["render", "in", "--format", "md", "--out", "out-md", "--quiet"]);
    let pdf = measure(&dir, bin, &["render", "in", "--format", "pdf", "--out", "out-pdf", "--quiet"]);
    let count = |sub: &str| std::fs::read_dir(dir.join(sub)).map(|d| d.count()).unwrap_or(0);
    assert_eq!(count("out-md"), n, "every Markdown file was written");
    assert_eq!(count("out-pdf"), n, "every PDF was written");
    let pdf_bytes: u64 =
        std::fs::read_dir(dir.join("out-pdf")).unwrap().filter_map(|e| e.ok()?.metadata().ok()).map(|m| m.len()).sum();
    let mut sheets: Vec<String> = std::fs::read_dir(dir.join("in"))
        .unwrap()
        .filter_map(|e| Some(format!("in/{}", e.ok()?.file_name().to_str()?)))
        .collect();
    sheets.sort();
    sheets.truncate(20);
    let single_md = single_cpu_ms(&dir, bin, &sheets, "md", 100);
    let single_pdf = single_cpu_ms(&dir, bin, &sheets, "pdf", 100);
    let _ = std::fs::remove_dir_all(&dir);
    Figures { cp, md, pdf, pdf_bytes, single_md, single_pdf }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--measure-child") {
        measure_child(&args[1], &args[2..]);
    }
    if args.first().map(String::as_str) == Some("--generate") {
        // For profiling by hand: `cargo bench --bench batch -- --generate DIR N` writes the inputs only.
        generate::write_batch(Path::new(&args[1]), args.get(2).and_then(|n| n.parse().ok()).unwrap_or(1000));
        std::process::exit(0);
    }
    if args.first().map(String::as_str) == Some("--single-cpu") {
        single_cpu_child(&args[1], &args[2], args[3].parse().unwrap_or(100), &args[4..]);
    }
    let sizes: Vec<usize> = match args.iter().find_map(|a| a.parse().ok()) {
        Some(n) => vec![n],
        None => vec![100, 10_000],
    };
    // CLAUSEWRIGHT_BENCH_DIR=/dev/shm measures on tmpfs, apart from the disk's own speed.
    let base =
        std::env::var_os("CLAUSEWRIGHT_BENCH_DIR").map_or(PathBuf::from(env!("CARGO_TARGET_TMPDIR")), PathBuf::from);
    let root = base.join("clausewright-bench-batch");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("clausewright batch benchmark ({cores} cores, release binary, in {})", root.display());
    println!(
        "{:>11} {:>7} {:>10} {:>12} {:>9} {:>12} {:>10} {:>12} {:>10} {:>11} {:>12} {:>13}",
        "binary",
        "N",
        "cp -r",
        "md docs/s",
        "md/cp",
        "md RSS MiB",
        "pdf docs/s",
        "pdf RSS MiB",
        "pdf ms/doc",
        "pdf KB/doc",
        "1 md CPU ms",
        "1 pdf CPU ms"
    );
    let mut rss = Vec::new();
    for n in sizes {
        // Interleaved: each binary right after the other, on the same inputs.
        for (k, (name, bin)) in binaries().into_iter().enumerate() {
            let f = run(n, &root, &bin);
            println!(
                "{name:>11} {n:>7} {:>8.0}ms {:>12.0} {:>9.2} {:>12.1} {:>10.0} {:>12.1} {:>10.3} {:>11.1} {:>12.2} {:>13.2}",
                f.cp.wall.as_secs_f64() * 1e3,
                per_second(n, f.md.wall),
                f.md.wall.as_secs_f64() / f.cp.wall.as_secs_f64(),
                f.md.peak_rss_kb as f64 / 1024.0,
                per_second(n, f.pdf.wall),
                f.pdf.peak_rss_kb as f64 / 1024.0,
                f.pdf.wall.as_secs_f64() * 1e3 / n as f64,
                f.pdf_bytes as f64 / n as f64 / 1000.0,
                f.single_md,
                f.single_pdf,
            );
            if k == 0 {
                rss.push((n, f.md.peak_rss_kb.max(f.pdf.peak_rss_kb)));
            }
        }
    }
    if let [(small, a), (large, b)] = rss[..] {
        println!("peak RSS at N={large} is {:+.1}% of N={small}", (b as f64 / a as f64 - 1.0) * 100.0);
    }
    docx_beside_pdf(sizes_for_docx(&args), &root);
}

// ---------------------------------------------------------------------------------------
// DOCX beside PDF (issue 14). A separate section so it merges apart from the PDF work.
// The same inputs are rendered to PDF and to DOCX, alternately, three times each; the
// best time of each is compared, so a noisy minute does not decide the ratio.
// ---------------------------------------------------------------------------------------

/// N for the DOCX comparison: the N given, or 1,000.
fn sizes_for_docx(args: &[String]) -> usize {
    args.iter().find_map(|a| a.parse().ok()).unwrap_or(1_000)
}

fn docx_beside_pdf(n: usize, root: &Path) {
    let dir = root.join(format!("docx-n{n}"));
    let _ = std::fs::remove_dir_all(&dir);
    generate::write_batch(&dir.join("in"), n);
    let render = |format: &str| {
        let out = format!("out-{format}");
        let _ = std::fs::remove_dir_all(dir.join(&out));
        let m = measure(&dir, &this_build(), &["render", "in", "--format", format, "--out", &out, "--quiet"]);
        assert_eq!(std::fs::read_dir(dir.join(&out)).map(|d| d.count()).unwrap_or(0), n, "every {format} was written");
        m
    };
    let (mut pdf, mut docx) = (Vec::new(), Vec::new());
    for _ in 0..3 {
        pdf.push(render("pdf"));
        docx.push(render("docx"));
    }
    let best = |ms: &[Measure]| ms.iter().map(|m| m.wall).min().unwrap_or_default();
    let rss = |ms: &[Measure]| ms.iter().map(|m| m.peak_rss_kb).max().unwrap_or(0) as f64 / 1024.0;
    let (p, d) = (best(&pdf), best(&docx));
    println!(
        "\nDOCX beside PDF, N={n} (best of 3 each):\n{:>12} {:>12} {:>12} {:>12} {:>10}\n{:>12.0} {:>12.0} {:>12.1} {:>12.1} {:>10.2}",
        "pdf docs/s",
        "docx docs/s",
        "pdf RSS MiB",
        "docx RSS MiB",
        "docx/pdf",
        per_second(n, p),
        per_second(n, d),
        rss(&pdf),
        rss(&docx),
        d.as_secs_f64() / p.as_secs_f64(),
    );
    let _ = std::fs::remove_dir_all(&dir);
}
