//! Least privilege from the code, at scale: how many lines of handler code
//! per second `infer` gets through, parsing included.
//!
//! The input is a generated SAM app (`infer/gen.rs`): 400 functions of about 640
//! lines each (handler and a local helper module), Python, JavaScript with
//! aws-sdk v2 and v3, and TypeScript, over 250,000 lines in all. Every
//! function is inferred in parallel with rayon, as `faasguard scan` does,
//! on 2 threads (the bar: 200,000 lines per second on 2 cores) and on 1.
//!
//! `cargo bench -p faasguard_privilege --bench infer` (or `bench/code.sh`)
//! prints the median of several runs, lines per second, where the time goes
//! on one thread (tree-sitter parsing, SDK call discovery, the rest of the
//! inference) and the peak resident memory. A plain harness, not criterion:
//! one run of the whole batch is the figure we report. Environment knobs:
//! `FG_BENCH_FUNCTIONS`, `FG_BENCH_ITERATIONS`, and `FG_BENCH_DUMP=DIR` to
//! write the generated files (flattened) for profiling.

#[path = "infer/gen.rs"]
mod gen_code;
#[path = "../../../bench/support.rs"]
mod support;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use faasguard_code::parse::{self, Language};
use faasguard_code::{handler, sdk};
use faasguard_model::{App, FunctionId};
use faasguard_source::{SourceDb, SourceFile};
use rayon::prelude::*;
use support::{env_usize, median, peak_rss_mb, per_second};

/// Infers every function on `threads` threads; the lines analysed.
fn run(app: &App, db: &SourceDb, fids: &[FunctionId], threads: usize) -> (Duration, usize) {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("a thread pool");
    let started = Instant::now();
    let lines = pool.install(|| {
        fids.par_iter().map(|&f| faasguard_privilege::infer(app, f, db).code_lines).sum::<usize>()
    });
    (started.elapsed(), lines)
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
    // For profiling outside the bench: the generated files, flattened.
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
    let fids: Vec<FunctionId> = app.functions().map(|(f, _)| f).collect();
    let [py, js2, js3, ts] = generated.per_flavour;
    println!(
        "input: {} functions (Python {py}, JS aws-sdk v2 {js2}, JS @aws-sdk v3 {js3}, TypeScript {ts}), {} code files, {} lines of code, {:.1} MB; generated in {:.2?}, template loaded in {:.2?}",
        fids.len(),
        generated.files.len() - 1,
        generated.code_lines,
        generated.files.iter().map(|(_, t)| t.len()).sum::<usize>() as f64 / 1e6,
        gen_time,
        load_time,
    );

    // Warm-up (the action catalog is parsed once per process) and a sanity
    // check that the analysis really sees the code and its calls.
    let started = Instant::now();
    let warm: Vec<_> = fids.iter().map(|&f| faasguard_privilege::infer(&app, f, &db)).collect();
    let warm_time = started.elapsed();
    let analysed: usize = warm.iter().map(|i| i.code_lines).sum();
    let needs: usize = warm.iter().map(|i| i.needs.len()).sum();
    let incomplete = warm.iter().filter(|i| !i.complete).count();
    println!(
        "warm-up (1 thread, catalog load included): {warm_time:.2?}; {analysed} lines analysed, {needs} needs ({:.1} per function), {incomplete} functions incomplete",
        needs as f64 / fids.len().max(1) as f64,
    );
    if let Some(example) = warm.iter().find(|i| !i.notes.is_empty()) {
        let f = app.functions.get(example.function.index()).map_or("?", |f| f.logical_id.as_str());
        for n in example.notes.iter().take(3) {
            println!("  note on {f}: {}", n.message);
        }
    }

    for threads in [2, 1] {
        let mut times = Vec::new();
        let mut lines = 0;
        for _ in 0..iterations {
            let (t, l) = run(&app, &db, &fids, threads);
            times.push(t);
            lines = l;
        }
        let best = times.iter().min().copied().unwrap_or_default();
        let med = median(times);
        println!(
            "{threads} thread(s): median {med:.2?} (best {best:.2?}) over {iterations} runs: {:.0} lines/s ({:.0} lines/s best)",
            per_second(lines, med),
            per_second(lines, best),
        );
    }

    let rss_after_runs = peak_rss_mb();

    // Where the time goes, on one thread: parsing every code file alone,
    // SDK call discovery on the parsed trees, handler resolution (which
    // parses the entry file and its local imports), and the whole inference.
    let code: Vec<(faasguard_source::FileId, Language, &str)> = db
        .iter()
        .filter_map(|(id, f)| Language::from_path(&f.path).map(|l| (id, l, &*f.text)))
        .collect();
    let mut parse_times = Vec::new();
    let mut by_language: BTreeMap<&str, (usize, Duration)> = BTreeMap::new();
    let mut modules = Vec::new();
    for round in 0..iterations {
        modules.clear();
        let started = Instant::now();
        for &(id, lang, text) in &code {
            let one = Instant::now();
            if let Ok(m) = parse::parse(id, lang, text) {
                modules.push((m, text));
            }
            if round == 0 {
                let e = by_language.entry(lang.as_str()).or_default();
                e.0 += text.lines().count();
                e.1 += one.elapsed();
            }
        }
        parse_times.push(started.elapsed());
    }
    let mut discover_times = Vec::new();
    let mut calls = 0;
    for _ in 0..iterations {
        let started = Instant::now();
        calls =
            modules.iter().map(|(m, text)| sdk::module_calls(m, text).calls.len()).sum::<usize>();
        discover_times.push(started.elapsed());
    }
    let mut resolve_times = Vec::new();
    for _ in 0..iterations {
        let started = Instant::now();
        let n: usize = fids.iter().map(|&f| handler::resolve(&app, f, &db).parsed.len()).sum();
        std::hint::black_box(n);
        resolve_times.push(started.elapsed());
    }
    let mut infer_times = Vec::new();
    for _ in 0..iterations {
        infer_times.push(run(&app, &db, &fids, 1).0);
    }
    let (parse_t, discover_t, resolve_t, infer_t) =
        (median(parse_times), median(discover_times), median(resolve_times), median(infer_times));
    let share = |d: Duration| 100.0 * d.as_secs_f64() / infer_t.as_secs_f64().max(1e-9);
    println!("where the time goes (1 thread, medians):");
    println!(
        "  tree-sitter parsing of every file: {parse_t:.2?} ({:.0}% of infer, {:.0} lines/s)",
        share(parse_t),
        per_second(generated.code_lines, parse_t)
    );
    for (lang, (lines, t)) in &by_language {
        println!(
            "    {lang:<10} {lines:>7} lines in {t:.2?}: {:.0} lines/s",
            per_second(*lines, *t)
        );
    }
    println!(
        "  SDK call discovery ({calls} calls):   {discover_t:.2?} ({:.0}%)",
        share(discover_t)
    );
    println!("  handler resolution (parse incl.):   {resolve_t:.2?} ({:.0}%)", share(resolve_t));
    println!("  whole infer:                        {infer_t:.2?}");
    // The ceiling any inference built on these two steps can reach: parse
    // and discover every file, nothing else, on 2 threads.
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().expect("a thread pool");
    let mut floor_times = Vec::new();
    for _ in 0..iterations {
        let started = Instant::now();
        let n = pool.install(|| {
            code.par_iter()
                .map(|&(id, lang, text)| {
                    parse::parse(id, lang, text)
                        .map_or(0, |m| sdk::module_calls(&m, text).calls.len())
                })
                .sum::<usize>()
        });
        std::hint::black_box(n);
        floor_times.push(started.elapsed());
    }
    let floor_t = median(floor_times);
    println!(
        "  parse + discovery alone, 2 threads: {floor_t:.2?}: {:.0} lines/s (the ceiling for infer)",
        per_second(generated.code_lines, floor_t)
    );
    if let Some(mb) = rss_after_runs {
        println!(
            "peak RSS (VmHWM) after the timed runs: {mb:.0} MB (the breakdown above then holds every tree at once)"
        );
    }
}
