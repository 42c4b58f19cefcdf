//! The hedui side of the OpenSSL 3 interop check of the commercial-cryptography suite
//! (`scripts/test-sm.sh`): SM3 report digests, SM2 report signatures in both directions,
//! HMAC-SM3 audit entries.
//!
//! ```text
//! cargo run -p hedui-examples --example sm_interop -- report OUT.json
//! cargo run -p hedui-examples --example sm_interop -- canonical REPORT.json OUT.bin
//! cargo run -p hedui-examples --example sm_interop -- digest REPORT.json
//! cargo run -p hedui-examples --example sm_interop -- sign KEY.pem KEY_ID REPORT.json OUT.json
//! cargo run -p hedui-examples --example sm_interop -- message REPORT.json OUT.bin
//! cargo run -p hedui-examples --example sm_interop -- signature REPORT.json
//! cargo run -p hedui-examples --example sm_interop -- attach REPORT.json KEY_ID R_S_HEX OUT.json
//! cargo run -p hedui-examples --example sm_interop -- verify PUB.pem KEY_ID REPORT.json
//! cargo run -p hedui-examples --example sm_interop -- audit KEY.bin OUT_DIR
//! ```
//!
//! `report` writes a sample report sealed under a `shangmi` rulebook (SM3 digest); `sign`
//! signs it with an SM2 PKCS#8 key as `openssl genpkey -algorithm SM2` writes; `message`
//! writes the bytes an SM2 signature covers (`hedui-report-signature-sm2-v1`, a zero byte, the
//! SM3 digest) for `openssl dgst -sm3 -sign/-verify -sigopt distid:1234567812345678`;
//! `signature` prints a signature's `r || s` in hex and `attach` puts one (from OpenSSL's DER,
//! converted by the script) into a report; `verify` checks a report's digest and signature with
//! an SM2 public key (`openssl pkey -pubout`). Exit status 1 and the error code on failure.

use std::error::Error;
use std::process::ExitCode;

use hedui_core::MacAlgorithm;
use hedui_core::rulebook::CryptoSuite;
use hedui_core::security::{
    AuditChain, AuditEvent, AuditKey, AuditKeyring, Decision, DigestSignature, EventKind,
    ReportKeyring, ReportSigner, TrustedKey, signed_message,
};
use hedui_core::{Report, Rulebook, SignatureAlgorithm, sample::sample_case};
use time::macros::datetime;

fn read_report(path: &str) -> Result<Report, Box<dyn Error>> {
    Ok(serde_json::from_str(&std::fs::read_to_string(path)?)?)
}

fn write_report(path: &str, report: &Report) -> Result<(), Box<dyn Error>> {
    Ok(std::fs::write(path, serde_json::to_string(report)?)?)
}

fn integrity(report: &Report) -> Result<&hedui_core::report::Integrity, Box<dyn Error>> {
    report
        .integrity
        .as_ref()
        .ok_or_else(|| "the report is not sealed".into())
}

fn run(args: &[String]) -> Result<(), Box<dyn Error>> {
    let arg = |i: usize| -> Result<&str, Box<dyn Error>> {
        args.get(i)
            .map(String::as_str)
            .ok_or_else(|| format!("missing argument {i}; see the file's doc comment").into())
    };
    match arg(0)? {
        "report" => {
            let mut rulebook = Rulebook::default();
            rulebook.security.crypto_suite = CryptoSuite::Shangmi;
            let case = (0..)
                .map(|i| sample_case(2026, i, &rulebook))
                .find(|s| s.expected_error.is_none())
                .ok_or("no sample case")?
                .case;
            let report = hedui_core::verify(&case, &rulebook, datetime!(2026-11-29 10:00 +08:00))?;
            write_report(arg(1)?, &report)
        }
        "canonical" => Ok(std::fs::write(
            arg(2)?,
            read_report(arg(1)?)?.canonical_bytes()?,
        )?),
        "digest" => {
            let report = read_report(arg(1)?)?;
            report.check_digest()?;
            let i = integrity(&report)?;
            println!("{}:{}", i.digest_algorithm, i.digest);
            Ok(())
        }
        "sign" => {
            let signer = ReportSigner::sm2_from_pkcs8(arg(2)?, &std::fs::read(arg(1)?)?)?;
            let mut report = read_report(arg(3)?)?;
            signer.sign_report(&mut report)?;
            write_report(arg(4)?, &report)
        }
        "message" => {
            let report = read_report(arg(1)?)?;
            let message = signed_message(SignatureAlgorithm::Sm2, &integrity(&report)?.digest);
            Ok(std::fs::write(arg(2)?, message)?)
        }
        "signature" => {
            let report = read_report(arg(1)?)?;
            let signature = integrity(&report)?
                .signature
                .as_ref()
                .ok_or("the report is not signed")?;
            let hex: String = signature
                .signature
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            println!("{hex}");
            Ok(())
        }
        "attach" => {
            let mut report = read_report(arg(1)?)?;
            let hex = arg(3)?;
            let bytes = (0..hex.len())
                .step_by(2)
                .map(|i| {
                    hex.get(i..i + 2)
                        .ok_or_else(|| "odd hex".to_owned())
                        .and_then(|h| u8::from_str_radix(h, 16).map_err(|e| e.to_string()))
                })
                .collect::<Result<Vec<u8>, String>>()?;
            let signature: [u8; 64] = bytes
                .try_into()
                .map_err(|_| "an SM2 signature is 64 bytes, r || s")?;
            let i = report
                .integrity
                .as_mut()
                .ok_or("the report is not sealed")?;
            i.signature = Some(DigestSignature {
                key_id: arg(2)?.to_owned(),
                algorithm: SignatureAlgorithm::Sm2,
                signature,
            });
            write_report(arg(4)?, &report)
        }
        "verify" => {
            let key = TrustedKey::sm2_from_spki(arg(2)?, &std::fs::read(arg(1)?)?)?;
            let mut keyring = ReportKeyring::default();
            keyring.add(key)?;
            keyring.verify_report(&read_report(arg(3)?)?)?;
            println!("verified");
            Ok(())
        }
        "audit" => {
            let secret = std::fs::read(arg(1)?)?;
            let dir = std::path::Path::new(arg(2)?);
            let key = AuditKey::with_algorithm("audit-sm3", &secret, MacAlgorithm::HmacSm3)?;
            let mut chain = AuditChain::new("interop-sm3")?;
            for (i, actor) in ["op-1", "op-2", "op-3"].into_iter().enumerate() {
                chain.append(
                    &key,
                    AuditEvent {
                        at: datetime!(2026-11-29 10:00 +08:00) + time::Duration::minutes(i as i64),
                        event: EventKind::AuthorizationCheck,
                        decision: Decision::Permit,
                        actor: actor.to_owned(),
                        reason: "R1".to_owned(),
                        context: hedui_core::Sha256Digest::of(actor.as_bytes()),
                    },
                )?;
            }
            chain.verify(&AuditKeyring::from(key))?;
            let mut buf = Vec::new();
            for e in chain.entries() {
                e.canonical_bytes(&mut buf);
                std::fs::write(dir.join(format!("entry-{}.bin", e.seq)), &buf)?;
                std::fs::write(dir.join(format!("entry-{}.mac", e.seq)), e.mac.to_string())?;
            }
            Ok(())
        }
        other => Err(format!("unknown command `{other}`").into()),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if let Some(e) = e.downcast_ref::<hedui_core::error::SecurityError>() {
                eprintln!("{}: {e}", e.code());
            } else {
                eprintln!("{e}");
            }
            ExitCode::FAILURE
        }
    }
}
