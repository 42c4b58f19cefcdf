//! Shared helpers for hedui benches and the comparison runner: realistic inputs drawn from the
//! seeded sample generator, and JSONL files of sample cases for the batch measurements.
#![forbid(unsafe_code)]

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::Path;

use hedui_core::{
    Case, Rulebook,
    sample::{SampleCase, sample_case},
};
use time::OffsetDateTime;
use time::macros::datetime;

/// Seed of every generated input (the main job's default seed).
pub const SEED: u64 = 2026;

/// Issue time of every report in the benches (the corpus issue time).
pub const ISSUED_AT: OffsetDateTime = datetime!(2026-11-29 10:00 +08:00);

/// Facts a realistic case carries, per the issue (20–60 facts).
pub const REALISTIC_FACTS: std::ops::RangeInclusive<usize> = 20..=60;

/// A good sample case (one that yields a report) with its size and its JSON line.
#[derive(Debug, Clone)]
pub struct Input {
    /// Household members.
    pub members: usize,
    /// Facts in all responses.
    pub facts: usize,
    /// The case.
    pub case: Case,
    /// The case as one compact JSON line (no newline).
    pub json: String,
}

/// Facts across all responses of a case.
pub fn fact_count(case: &Case) -> usize {
    case.responses.iter().map(|r| r.facts.len()).sum()
}

/// The first good case of the sample stream with exactly `members` household members and a
/// realistic number of facts, searching at most `limit` cases.
pub fn good_case(rulebook: &Rulebook, members: usize, limit: u64) -> Option<Input> {
    (0..limit)
        .map(|i| sample_case(SEED, i, rulebook))
        .filter(|s| s.expected_error.is_none() && s.case.household.members.len() == members)
        .map(|SampleCase { case, .. }| case)
        .find(|c| REALISTIC_FACTS.contains(&fact_count(c)))
        .and_then(|case| {
            let json = serde_json::to_string(&case).ok()?;
            Some(Input {
                members,
                facts: fact_count(&case),
                case,
                json,
            })
        })
}

/// Realistic inputs for households of 1, 3 and 6 members (the sample generator's range is
/// 1–6), each with 20–60 facts over the 16 categories.
pub fn realistic_inputs(rulebook: &Rulebook) -> Vec<Input> {
    [1, 3, 6]
        .into_iter()
        .filter_map(|members| good_case(rulebook, members, 20_000))
        .collect()
}

/// Writes sample cases `0..n` (seed [`SEED`]) to `path` as JSONL, one case per line, unless
/// the file is already there. The file is written under a temporary name and renamed when
/// complete, so an interrupted run never leaves a short file behind. Returns the file size.
///
/// # Errors
/// Any I/O error.
pub fn ensure_cases_file(path: &Path, n: u64, rulebook: &Rulebook) -> io::Result<u64> {
    if let Ok(meta) = fs::metadata(path) {
        return Ok(meta.len());
    }
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let partial = path.with_extension("jsonl.partial");
    let mut out = BufWriter::with_capacity(1 << 20, File::create(&partial)?);
    // Cases are generated in blocks on all cores and written in order.
    const BLOCK: u64 = 4096;
    let mut start = 0;
    while start < n {
        let end = n.min(start + BLOCK);
        let lines = generate_block(start, end, rulebook)?;
        for line in lines {
            out.write_all(&line)?;
        }
        start = end;
    }
    out.flush()?;
    drop(out);
    fs::rename(&partial, path)?;
    Ok(fs::metadata(path)?.len())
}

fn generate_block(start: u64, end: u64, rulebook: &Rulebook) -> io::Result<Vec<Vec<u8>>> {
    use rayon::prelude::*;
    (start..end)
        .into_par_iter()
        .map(|i| {
            let mut line = serde_json::to_vec(&sample_case(SEED, i, rulebook).case)?;
            line.push(b'\n');
            Ok(line)
        })
        .collect()
}
