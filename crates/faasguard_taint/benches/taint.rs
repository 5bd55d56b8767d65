//! Event-data taint at scale: how many lines of handler code per second
//! `faasguard_taint::analyse` gets through, parsing included.
//!
//! The input is a generated SAM app (`taint/gen.rs`): 400 functions of about
//! 640 lines each (a handler and a local helper module), Python, JavaScript
//! (CommonJS and ES modules) and TypeScript, over 250,000 lines in all, with
//! event reads, string building, local and cross-module helpers, sanitizers,
//! safe calls and real flows. Every function is analysed in parallel with
//! rayon, as `faasguard scan` does, on 2 threads (the bar: 200,000 lines
//! per second on 2 cores) and on 1.
//!
//! `cargo bench -p faasguard_taint --bench taint` (or `bench/taint.sh`)
//! prints the median of several runs, lines per second, where the time goes
//! on one thread (tree-sitter parsing, handler resolution, the taint engines
//! per language) and the peak resident memory. A plain harness, not
//! criterion: one run of the whole batch is the figure we report.
//! Environment knobs: `FG_BENCH_FUNCTIONS`, `FG_BENCH_ITERATIONS`,
//! `FG_BENCH_DUMP=DIR` to write the generated files (flattened) for
//! profiling, and `FG_BENCH_SHOW=Fn004` to print one function's flows.

#[path = "taint/gen.rs"]
mod gen_code;
#[path = "../../../bench/support.rs"]
mod support;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use faasguard_code::handler::{self, ProblemKind, Resolution};
use faasguard_code::parse::{self, Language};
use faasguard_model::{App, FunctionId};
use faasguard_source::{SourceDb, SourceFile};
use rayon::prelude::*;
use support::{env_usize, median, peak_rss_mb, per_second};

/// Analyses every function on `threads` threads; the time and the flows.
fn run(app: &App, db: &SourceDb, fids: &[FunctionId], threads: usize) -> (Duration, usize) {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("a thread pool");
    let started = Instant::now();
    let flows = pool.install(|| {
        fids.par_iter().map(|&f| faasguard_taint::analyse(app, f, db).flows.len()).sum::<usize>()
    });
    (started.elapsed(), flows)
}

/// The allocator the `faasguard` binary uses, so the numbers are the tool's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let shape = gen_code::Shape {
        functions: env_usize("FG_BENCH_FUNCTIONS", 400),
        handler_lines: 480,
        helper_lines: 160,
    };
    let iterations = env_usize("FG_BENCH_ITERATIONS", 5).max(1);

    let started = Instant::now();
    let generated = gen_code::generate(&shape);
    let gen_time = started.elapsed();
    if let Ok(dir) = std::env::var("FG_BENCH_DUMP") {
        std::fs::create_dir_all(&dir).expect("the dump directory");
        for (path, text) in &generated.files {
            std::fs::write(Path::new(&dir).join(path.replace('/', "_")), text)
                .expect("a dumped file");
        }
    }
    let mut db = SourceDb::new();
    for (path, text) in &generated.files {
        db.add(SourceFile::new(path.as_str(), text.as_str()));
    }
    let started = Instant::now();
    let template = db.find("template.yaml").expect("the template");
    let text = db.get(template).expect("the template").text.clone();
    let outcome =
        faasguard_loaders::load_file(template, "template.yaml", &text).expect("a SAM template");
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    let app = outcome.apps.into_iter().next().expect("one app");
    let load_time = started.elapsed();
    let fids: Vec<FunctionId> = generated
        .functions
        .iter()
        .map(|g| {
            app.functions()
                .find(|(_, f)| f.logical_id == g.name)
                .map(|(id, _)| id)
                .expect("a function")
        })
        .collect();
    let mut per_flavour = [0usize; 4];
    for g in &generated.functions {
        per_flavour[g.flavour] += 1;
    }
    println!(
        "input: {} functions ({}), {} code files, {} lines of code, {:.1} MB; generated in {:.2?}, template loaded in {:.2?}",
        fids.len(),
        gen_code::FLAVOURS
            .iter()
            .zip(per_flavour)
            .map(|(name, n)| format!("{name} {n}"))
            .collect::<Vec<_>>()
            .join(", "),
        generated.files.len() - 1,
        generated.code_lines,
        generated.files.iter().map(|(_, t)| t.len()).sum::<usize>() as f64 / 1e6,
        gen_time,
        load_time,
    );

    // Warm-up (sink catalogs are parsed once per process) and a sanity check
    // that the engines see the code: flows per class, exposure, notes.
    let started = Instant::now();
    let warm: Vec<_> = fids.iter().map(|&f| faasguard_taint::analyse(&app, f, &db)).collect();
    let warm_time = started.elapsed();
    let mut by_class: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_flavour = [0usize; 4];
    for (a, g) in warm.iter().zip(&generated.functions) {
        for fl in &a.flows {
            *by_class.entry(format!("{:?}", fl.class)).or_default() += 1;
        }
        by_flavour[g.flavour] += a.flows.len();
    }
    let flows: usize = warm.iter().map(|a| a.flows.len()).sum();
    let notes: usize = warm.iter().map(|a| a.notes.len()).sum();
    let mut exposures: BTreeMap<String, usize> = BTreeMap::new();
    for &f in &fids {
        let (e, _) = faasguard_taint::sources::exposure(&app, f);
        *exposures.entry(format!("{e:?}")).or_default() += 1;
    }
    println!(
        "warm-up (1 thread, catalog load included): {warm_time:.2?}; {flows} flows ({:.1} per function), {notes} notes",
        flows as f64 / fids.len().max(1) as f64
    );
    println!("  flows by class: {by_class:?}");
    println!(
        "  flows by flavour: {}",
        gen_code::FLAVOURS
            .iter()
            .zip(by_flavour)
            .map(|(name, n)| format!("{name} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!("  exposure: {exposures:?}");
    if let Some((a, g)) = warm.iter().zip(&generated.functions).find(|(a, _)| !a.notes.is_empty()) {
        for n in a.notes.iter().take(3) {
            println!("  note on {}: {}", g.name, n.message);
        }
    }
    // `FG_BENCH_SHOW=Fn004` prints one function's flows, to check that
    // the generated code finds what it should and nothing else.
    if let Ok(name) = std::env::var("FG_BENCH_SHOW") {
        for (a, g) in warm.iter().zip(&generated.functions).filter(|(_, g)| g.name == name) {
            for fl in &a.flows {
                let file = db.get(fl.sink.span.file).map_or("?", |f| &*f.path);
                let line =
                    db.get(fl.sink.span.file).map_or(0, |f| f.line_col(fl.sink.span.start).line);
                println!(
                    "  {}: {:?} {} at {file}:{line} <- `{}` ({} steps)",
                    g.name,
                    fl.class,
                    fl.sink_name,
                    fl.source.what,
                    fl.steps.len()
                );
            }
        }
    }
    if flows == 0 {
        println!("  WARNING: no flow found: are the engines in place?");
    }
    drop(warm);

    for threads in [2, 1] {
        let mut times = Vec::new();
        for _ in 0..iterations {
            times.push(run(&app, &db, &fids, threads).0);
        }
        let best = times.iter().min().copied().unwrap_or_default();
        let med = median(times);
        println!(
            "{threads} thread(s): median {med:.2?} (best {best:.2?}) over {iterations} runs: {:.0} lines/s ({:.0} lines/s best)",
            per_second(generated.code_lines, med),
            per_second(generated.code_lines, best),
        );
    }
    let rss_after_runs = peak_rss_mb();

    // Where the time goes, on one thread: tree-sitter parsing of every file
    // alone, handler resolution (parses the entry and its local imports:
    // the parsing share of `analyse`), the taint engines on trees already
    // parsed, per language, and the whole `analyse`.
    let code: Vec<(faasguard_source::FileId, Language, &str)> = db
        .iter()
        .filter_map(|(id, f)| Language::from_path(&f.path).map(|l| (id, l, &*f.text)))
        .collect();
    let mut parse_times = Vec::new();
    let mut parse_by_language: BTreeMap<&str, (usize, Duration)> = BTreeMap::new();
    for round in 0..iterations {
        let started = Instant::now();
        for &(id, lang, text) in &code {
            let one = Instant::now();
            let m = parse::parse(id, lang, text);
            std::hint::black_box(m.is_ok());
            drop(m);
            if round == 0 {
                let e = parse_by_language.entry(lang.as_str()).or_default();
                e.0 += text.lines().count();
                e.1 += one.elapsed();
            }
        }
        parse_times.push(started.elapsed());
    }
    let mut resolve_times = Vec::new();
    let mut resolved: Vec<Resolution> = Vec::new();
    for _ in 0..iterations {
        resolved.clear();
        let started = Instant::now();
        resolved.extend(fids.iter().map(|&f| handler::resolve(&app, f, &db)));
        resolve_times.push(started.elapsed());
    }
    let unresolved = resolved.iter().filter(|r| r.entry.is_none() && r.inline.is_none()).count();
    let modules: usize = resolved.iter().map(|r| r.parsed.len()).sum();
    let syntax =
        resolved.iter().flat_map(|r| &r.problems).filter(|p| p.kind == ProblemKind::Syntax).count();
    let mut taint_times = Vec::new();
    let mut taint_by_flavour = [Duration::ZERO; 4];
    for round in 0..iterations {
        let started = Instant::now();
        for (res, g) in resolved.iter().zip(&generated.functions) {
            let one = Instant::now();
            std::hint::black_box(faasguard_taint::analyse_resolved(res, &db).flows.len());
            if round == 0 {
                taint_by_flavour[g.flavour] += one.elapsed();
            }
        }
        taint_times.push(started.elapsed());
    }
    let mut whole_times = Vec::new();
    for _ in 0..iterations {
        whole_times.push(run(&app, &db, &fids, 1).0);
    }
    let (parse_t, resolve_t, taint_t, whole_t) =
        (median(parse_times), median(resolve_times), median(taint_times), median(whole_times));
    let share = |d: Duration| 100.0 * d.as_secs_f64() / whole_t.as_secs_f64().max(1e-9);
    println!("where the time goes (1 thread, medians):");
    println!(
        "  tree-sitter parsing of every file:   {parse_t:.2?} ({:.0}% of analyse, {:.0} lines/s)",
        share(parse_t),
        per_second(generated.code_lines, parse_t)
    );
    for (lang, (lines, t)) in &parse_by_language {
        println!(
            "    {lang:<10} {lines:>7} lines in {t:.2?}: {:.0} lines/s",
            per_second(*lines, *t)
        );
    }
    println!(
        "  handler resolution (parse incl.):    {resolve_t:.2?} ({:.0}%; {modules} modules, {unresolved} handlers unresolved, {syntax} syntax problems)",
        share(resolve_t)
    );
    println!(
        "  taint engines on parsed trees:       {taint_t:.2?} ({:.0}%, {:.0} lines/s)",
        share(taint_t),
        per_second(generated.code_lines, taint_t)
    );
    let mut lines_by_flavour = [0usize; 4];
    for g in &generated.functions {
        lines_by_flavour[g.flavour] += g.lines;
    }
    for (n, name) in gen_code::FLAVOURS.iter().enumerate() {
        println!(
            "    {name:<22} {:>7} lines in {:.2?}: {:.0} lines/s",
            lines_by_flavour[n],
            taint_by_flavour[n],
            per_second(lines_by_flavour[n], taint_by_flavour[n])
        );
    }
    println!("  whole analyse:                       {whole_t:.2?}");
    if let Some(mb) = rss_after_runs {
        println!(
            "peak RSS (VmHWM) after the timed runs: {mb:.0} MB (the breakdown above then holds every resolution at once)"
        );
    }
}
