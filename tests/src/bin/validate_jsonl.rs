//! Validates every line of a JSONL file against a JSON Schema:
//! `cargo run -p hedui-tests --bin validate_jsonl -- FILE.jsonl SCHEMA.json`.
//! Prints `N passed, M failed` and exits non-zero on any failure.

use std::io::BufRead;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(file), Some(schema)) = (args.first(), args.get(1)) else {
        eprintln!("usage: validate_jsonl FILE.jsonl SCHEMA.json");
        return ExitCode::from(2);
    };
    let schema: serde_json::Value = match std::fs::read_to_string(schema)
        .map_err(|e| e.to_string())
        .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
    {
        Ok(v) => v,
        Err(e) => {
            eprintln!("cannot read schema {schema}: {e}");
            return ExitCode::from(2);
        }
    };
    let validator = match jsonschema::validator_for(&schema) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("invalid schema: {e}");
            return ExitCode::from(2);
        }
    };
    let reader = match std::fs::File::open(file) {
        Ok(f) => std::io::BufReader::new(f),
        Err(e) => {
            eprintln!("cannot open {file}: {e}");
            return ExitCode::from(2);
        }
    };
    let (mut passed, mut failed) = (0u64, 0u64);
    for (i, line) in reader.lines().enumerate() {
        let ok = match line
            .map_err(|e| e.to_string())
            .and_then(|l| serde_json::from_str::<serde_json::Value>(&l).map_err(|e| e.to_string()))
        {
            Ok(v) => match validator.iter_errors(&v).next() {
                None => true,
                Some(e) => {
                    eprintln!("line {}: {e}", i + 1);
                    false
                }
            },
            Err(e) => {
                eprintln!("line {}: {e}", i + 1);
                false
            }
        };
        if ok { passed += 1 } else { failed += 1 }
    }
    println!("schema: {passed} passed, {failed} failed");
    if failed == 0 && passed > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
