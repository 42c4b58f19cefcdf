//! The printed report in a real browser: sample reports of one and of six members and one with
//! many gaps, rendered as HTML, printed to PDF by headless Chromium, then read back with
//! poppler (`pdfinfo`, `pdftotext`, `pdftoppm`) and zbar (`zbarimg`).
//!
//! Ignored by default (it needs Chromium, fonts-noto-cjk, poppler-utils and zbar-tools);
//! `scripts/test-paper.sh` installs them and runs it with `--ignored`. With
//! `HEDUI_PAPER_PNG_DIR` set it also writes the first page of each layout there
//! (`report-page-<layout>.png`, `scripts/paper-pages.sh` regenerates `docs/`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failure should stop the test loudly"
)]

use std::path::{Path, PathBuf};
use std::process::Command;

use hedui_core::paper::{PrintedCheck, PrintedPayload, check_printed, render_html};
use hedui_core::sample::sample_case;
use hedui_core::security::{MaskPolicy, ReportKeyring};
use hedui_core::{Report, Rulebook, VERDICT_PHRASES, verify};

const AS_OF: time::OffsetDateTime = time::macros::datetime!(2026-11-29 10:00 +08:00);

/// A4 in PostScript points.
const A4: (f64, f64) = (595.28, 841.89);
/// The side margins of the page (14 mm) in points, less half a millimetre of tolerance.
const SIDE: f64 = 14.0 * 72.0 / 25.4 - 1.5;

/// A layout to print: its name, the report, and the whole IDs of its household.
struct Sample {
    layout: &'static str,
    report: Report,
    whole_ids: Vec<String>,
}

fn samples() -> Vec<Sample> {
    let rb = Rulebook::default();
    let verified: Vec<(Report, Vec<String>)> = (0..300)
        .filter_map(|i| {
            let case = sample_case(2026, i, &rb).case;
            let ids = serde_json::to_value(&case.household).unwrap()["members"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["id"].as_str().unwrap().to_owned())
                .collect();
            verify(&case, &rb, AS_OF).ok().map(|r| (r, ids))
        })
        .collect();
    let pick = |layout, f: &dyn Fn(&Report) -> bool| {
        let (report, whole_ids) = verified.iter().find(|(r, _)| f(r)).cloned().unwrap();
        Sample {
            layout,
            report,
            whole_ids,
        }
    };
    let most_gaps = verified.iter().map(|(r, _)| r.gaps.len()).max().unwrap();
    vec![
        pick("one-member", &|r| r.members.len() == 1),
        pick("six-members", &|r| r.members.len() == 6),
        pick("many-gaps", &|r| r.gaps.len() == most_gaps),
    ]
}

fn run(program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run {program} (scripts/test-paper.sh installs it): {e}")
        });
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn print(sample: &Sample, dir: &Path) -> PathBuf {
    let html = render_html(&sample.report, &MaskPolicy::FULL).unwrap();
    let pdf = dir.join(format!("{}.pdf", sample.layout));
    hedui_ops::paper::print_pdf(&html, &pdf).unwrap();
    pdf
}

fn pages(pdf: &str) -> usize {
    let info = run("pdfinfo", &[pdf]);
    let size = info.lines().find(|l| l.starts_with("Page size:")).unwrap();
    assert!(
        size.contains("595.") && size.contains("841.") || size.contains("(A4)"),
        "{size}"
    );
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

/// Every word's box from `pdftotext -bbox`: (xMin, xMax, word).
fn word_boxes(pdf: &str) -> Vec<(f64, f64, String)> {
    let doc = run("pdftotext", &["-bbox", pdf, "-"]);
    let attr = |line: &str, name: &str| -> f64 {
        let start = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        line[start..].split('"').next().unwrap().parse().unwrap()
    };
    doc.lines()
        .filter(|l| l.trim_start().starts_with("<word "))
        .map(|l| {
            let word = l
                .split('>')
                .nth(1)
                .unwrap()
                .split('<')
                .next()
                .unwrap()
                .to_owned();
            (attr(l, "xMin"), attr(l, "xMax"), word)
        })
        .collect()
}

/// The QR codes zbar finds in the top right corner of page `page` (printed at 300 dpi).
fn qr_on_page(pdf: &str, page: usize, dir: &Path) -> Vec<String> {
    let stem = dir.join(format!("qr-{page}"));
    let p = page.to_string();
    run(
        "pdftoppm",
        &[
            "-r",
            "300",
            "-f",
            &p,
            "-l",
            &p,
            "-singlefile",
            "-png",
            "-x",
            "1500",
            "-y",
            "0",
            "-W",
            "980",
            "-H",
            "480",
            pdf,
            stem.to_str().unwrap(),
        ],
    );
    let png = format!("{}.png", stem.display());
    run(
        "zbarimg",
        &["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", &png],
    )
    .lines()
    .map(str::to_owned)
    .collect()
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
#[ignore = "needs chromium, fonts-noto-cjk, poppler-utils and zbar-tools: scripts/test-paper.sh"]
fn printed_reports_read_back_as_promised() {
    let dir = tempfile::tempdir().unwrap();
    let png_dir = std::env::var_os("HEDUI_PAPER_PNG_DIR").map(PathBuf::from);
    for sample in samples() {
        let r = &sample.report;
        let pdf = print(&sample, dir.path());
        let pdf = pdf.to_str().unwrap();
        let layout = sample.layout;
        let n = pages(pdf);
        assert!(n >= 1);
        if layout == "six-members" {
            assert!(n <= 4, "a six-member household prints on {n} pages");
        }
        eprintln!(
            "{layout}: {} members, {} gaps, {n} A4 pages",
            r.members.len(),
            r.gaps.len()
        );
        let text = run("pdftotext", &["-layout", pdf, "-"]);
        let flat = squeeze(&text);
        // key fields, page numbers, statement, signature lines
        let h = &r.header;
        for field in [
            r.report_number.as_str(),
            &h.entrustment_number,
            &h.authorization_number,
            &h.entrusting_unit,
            &h.agency_name,
            &h.income_window_from.to_string(),
            &h.income_window_to.to_string(),
            &r.integrity.as_ref().unwrap().digest.to_string(),
            "核对人（签字）",
            "复核人（签字）",
            "核对机构（盖章）",
            &format!("第1页共{n}页"),
            &format!("第{n}页共{n}页"),
        ] {
            assert!(
                flat.contains(&squeeze(field)),
                "{layout}: `{field}` not printed"
            );
        }
        assert!(
            flat.contains(&squeeze(&r.statement)),
            "{layout}: no statement"
        );
        // masked IDs only: each member's masked ID printed, no whole ID, no run of 15+ digits
        for m in &r.members {
            assert!(flat.contains(&m.id_masked), "{layout}: {}", m.id_masked);
        }
        for id in &sample.whole_ids {
            assert!(
                !flat.contains(id.as_str()),
                "{layout}: a whole ID is printed"
            );
        }
        let digest = r.integrity.as_ref().unwrap().digest.to_string();
        let mut run_len = 0;
        for c in flat.replace(&digest, "").chars() {
            run_len = if c.is_ascii_digit() { run_len + 1 } else { 0 };
            assert!(run_len < 15, "{layout}: a run of 15 digits is printed");
        }
        // R3: no verdict wording but in the statement
        let rest = flat.replace(&squeeze(&r.statement), "");
        for w in VERDICT_PHRASES {
            assert!(!rest.contains(w), "{layout}: `{w}` printed");
        }
        // no text past the page's side margins
        let boxes = word_boxes(pdf);
        assert!(boxes.len() > 100, "{layout}: {} words", boxes.len());
        for (x_min, x_max, word) in &boxes {
            assert!(
                *x_min >= SIDE && *x_max <= A4.0 - SIDE,
                "{layout}: `{word}` at x {x_min}..{x_max} runs past the margin"
            );
        }
        // the QR code on every page holds the exact payload, which checks against the archive
        let payload = PrintedPayload::of(r).unwrap();
        for page in 1..=n {
            let codes = qr_on_page(pdf, page, dir.path());
            assert_eq!(codes, vec![payload.text().unwrap()], "{layout} page {page}");
        }
        let read = PrintedPayload::parse(&qr_on_page(pdf, 1, dir.path())[0]).unwrap();
        assert_eq!(read.digest, r.integrity.as_ref().unwrap().digest);
        assert_eq!(
            check_printed(&read, Some(r), &ReportKeyring::EMPTY),
            PrintedCheck::Matches { signed: false }
        );
        if let Some(out) = &png_dir {
            std::fs::create_dir_all(out).unwrap();
            let stem = out.join(format!("report-page-{layout}"));
            run(
                "pdftoppm",
                &[
                    "-r",
                    "60",
                    "-f",
                    "1",
                    "-l",
                    "1",
                    "-singlefile",
                    "-png",
                    pdf,
                    stem.to_str().unwrap(),
                ],
            );
        }
    }
}
