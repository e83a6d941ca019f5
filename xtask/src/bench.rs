//! `cargo xtask bench`: what users pay, as one table.
//!
//! - codegen wall time per stage for the workflow-runs slice and the full description,
//!   next to the floor of parsing the same text into a `serde_json::Value`;
//! - peak memory of codegen for the full description;
//! - compile cost of the output (`cargo check`/`cargo build` of the generated crates once
//!   their dependencies are built) and its size in lines;
//! - client decode speed (the `decode` bench of `workflow-runs-client`);
//! - rate-limit units spent polling one run with and without conditional requests (the
//!   `polling` bench).
//!
//! Numbers only: nothing here passes or fails on timing.

use anyhow::{bail, Context, Result};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const SLICE_SPEC: &str = crate::spec::SLICE;
const FULL_CRATE_DIR: &str = "target/ghes-full";

pub fn run(args: &[String]) -> Result<()> {
    if cfg!(debug_assertions) {
        // Timing a debug build would measure the wrong thing: rerun optimised.
        let status = Command::new(env!("CARGO"))
            .args(["run", "--quiet", "--release", "--package", "xtask", "--", "bench"])
            .args(args)
            .current_dir(crate::root())
            .status()
            .context("running the release build of xtask")?;
        if !status.success() {
            bail!("bench failed");
        }
        return Ok(());
    }
    let skip_compile = args.iter().any(|a| a == "--no-compile");
    let root = crate::root();
    // The full description is whichever one the checked-in slice was cut from.
    let full_spec = crate::spec::primary_source(&root)?;
    println!("## Codegen (release build, best of N runs)\n");
    println!("| input | runs | floor: parse to Value | parse (text -> Value) | input (check, normalize, read as OpenAPI) | lower | emit + format (all cores) | total | total / floor |");
    println!("|---|---|---|---|---|---|---|---|---|");
    codegen_row(&root, SLICE_SPEC, 50)?;
    codegen_row(&root, &full_spec, 5)?;
    println!(
        "\nPeak memory (VmHWM) of this process after generating the full description: {} MiB",
        peak_rss_mib().unwrap_or(0)
    );

    if !skip_compile {
        println!("\n## Compile cost of the output (dependencies already built)\n");
        println!("| crate | generated lines | cargo check | cargo build |");
        println!("|---|---|---|---|");
        compile_row(
            &root,
            "generated-client",
            &root.join("generated-client"),
            &["-p", "workflow-runs-client", "--lib"],
        )?;
        crate::generate::generate(&crate::generate::Args {
            spec: root.join(&full_spec),
            out: root.join(FULL_CRATE_DIR),
            name: "ghes-client".into(),
            overrides: None,
            root: None,
            options: generator::Options::default(),
        })?;
        std::fs::copy(root.join("Cargo.lock"), root.join(FULL_CRATE_DIR).join("Cargo.lock"))?;
        let manifest = root.join(FULL_CRATE_DIR).join("Cargo.toml");
        compile_row(
            &root,
            &format!("ghes-client (all of {full_spec})"),
            &root.join(FULL_CRATE_DIR),
            &["--manifest-path", manifest.to_str().unwrap_or_default(), "--lib"],
        )?;
    }

    println!("\n## Client decode\n");
    let status = Command::new(env!("CARGO"))
        .args(["bench", "--quiet", "-p", "workflow-runs-client", "--bench", "decode"])
        .current_dir(&root)
        .status()
        .context("running the decode bench")?;
    if !status.success() {
        bail!("decode bench failed");
    }

    println!("\n## Conditional polling\n");
    let status = Command::new(env!("CARGO"))
        .args(["bench", "--quiet", "-p", "workflow-runs-client", "--bench", "polling"])
        .current_dir(&root)
        .status()
        .context("running the polling bench")?;
    if !status.success() {
        bail!("polling bench failed");
    }
    Ok(())
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn codegen_row(root: &Path, spec_path: &str, runs: usize) -> Result<()> {
    let text = std::fs::read_to_string(root.join(spec_path)).with_context(|| format!("reading {spec_path}"))?;
    let overrides = if spec_path == SLICE_SPEC {
        std::fs::read_to_string(root.join("spec/overrides.yaml"))?
    } else {
        String::new()
    };
    // Best of each: 0 floor, 1 parse, 2 the input stage, 3 lower, 4 emit + format, 5 total.
    let mut best = [Duration::MAX; 6];
    for _ in 0..runs {
        let start = Instant::now();
        let floor: serde_json::Value = generator::parse_text(&text)?;
        let floor_time = start.elapsed();
        drop(floor);

        let mut t = Instant::now();
        let mut lap = |slot: usize, best: &mut [Duration; 6]| {
            let now = Instant::now();
            best[slot] = best[slot].min(now - t);
            t = now;
        };
        let overrides = generator::Overrides::parse(&overrides)?;
        let value = generator::parse_text(&text)?;
        lap(1, &mut best);
        let mut input = generator::read(value, &overrides)?;
        lap(2, &mut best);
        let (api, _) = generator::lower(&input.doc, &mut input.value, &overrides)?;
        lap(3, &mut best);
        let formatted = generator::render(&api, "bench", "bench")?;
        lap(4, &mut best);
        std::hint::black_box(formatted);
        best[0] = best[0].min(floor_time);
        best[5] = best[5].min(start.elapsed() - floor_time);
    }
    println!(
        "| `{spec_path}` | {runs} | {} | {} | {} | {} | {} | **{}** | {:.1}x |",
        ms(best[0]),
        ms(best[1]),
        ms(best[2]),
        ms(best[3]),
        ms(best[4]),
        ms(best[5]),
        best[5].as_secs_f64() / best[0].as_secs_f64()
    );
    Ok(())
}

fn peak_rss_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

fn count_lines(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| std::fs::read_to_string(e.path()).map(|t| t.lines().count()).unwrap_or(0))
                .sum()
        })
        .unwrap_or(0)
}

/// Times `cargo check` and `cargo build` of one crate after a warm-up build, by touching
/// its `lib.rs` so only the crate itself is rebuilt.
fn compile_row(root: &Path, label: &str, crate_dir: &Path, selector: &[&str]) -> Result<()> {
    let lines = count_lines(&crate_dir.join("src/generated"));
    let mut times = Vec::new();
    for command in ["check", "build"] {
        let cargo = |quiet: bool| {
            let mut cmd = Command::new(env!("CARGO"));
            cmd.arg(command).args(selector).current_dir(root).env("CARGO_TARGET_DIR", root.join("target"));
            if quiet {
                cmd.arg("--quiet");
            }
            cmd
        };
        let warm = cargo(true).status().with_context(|| format!("cargo {command}"))?;
        if !warm.success() {
            bail!("cargo {command} of {label} failed");
        }
        // The same bytes, written anew so cargo rebuilds the crate: through no link.
        let text = crate::files::read_text(&crate_dir.join("src/lib.rs"), crate::files::MAX_DESCRIPTION_BYTES)?;
        crate::files::write_file(crate_dir, "src/lib.rs", &text)?;
        let start = Instant::now();
        let status = cargo(true).status()?;
        if !status.success() {
            bail!("cargo {command} of {label} failed");
        }
        times.push(start.elapsed());
    }
    println!("| {label} | {lines} | {:.1} s | {:.1} s |", times[0].as_secs_f64(), times[1].as_secs_f64());
    Ok(())
}
