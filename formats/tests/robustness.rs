//! No input makes the parsers panic or hang: every fixture is mutated thousands of times (bit
//! flips, truncations, splices, byte insertions, JSON-aware value swaps) and fed to `detect_kind`
//! and `analyze` for every kind. A deterministic xorshift generator keeps runs reproducible.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use portal_formats::{analyze, detect_kind, ArtifactKind};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const KINDS: [ArtifactKind; 4] =
    [ArtifactKind::Sbom, ArtifactKind::Vex, ArtifactKind::Advisory, ArtifactKind::Document];
const TOKENS: [&[u8]; 12] = [
    b"null",
    b"{}",
    b"[]",
    b"\"\"",
    b"-1",
    b"1e999",
    b"\"\\u0000\"",
    b"true",
    b"\"CVE-2024-3094\"",
    b"\"\xc3\xa9\"",
    b"{\"a\":[[[[",
    b"9999999999999999999999",
];

fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..=rng.below(4) {
        if out.is_empty() {
            out.push(b'{');
        }
        let at = rng.below(out.len());
        match rng.below(6) {
            0 => out[at] ^= 1 << rng.below(8),
            1 => out.truncate(at),
            2 => {
                let tok = TOKENS[rng.below(TOKENS.len())];
                out.splice(at..at, tok.iter().copied());
            }
            3 => {
                // Replace a JSON value after a colon with a token of another type.
                if let Some(colon) = out[at..].iter().position(|&b| b == b':').map(|p| p + at + 1) {
                    let end = out[colon..]
                        .iter()
                        .position(|&b| b == b',' || b == b'}')
                        .map(|p| p + colon)
                        .unwrap_or(out.len());
                    let tok = TOKENS[rng.below(TOKENS.len())];
                    out.splice(colon..end, tok.iter().copied());
                }
            }
            4 => {
                let len = rng.below(64).min(out.len() - at);
                let chunk: Vec<u8> = out[at..at + len].to_vec();
                let to = rng.below(out.len());
                out.splice(to..to, chunk);
            }
            _ => out.insert(at, (rng.next() & 0xff) as u8),
        }
    }
    out
}

#[test]
fn mutated_documents_never_panic_or_hang() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let mut fixtures: Vec<Vec<u8>> =
        std::fs::read_dir(dir).unwrap().map(|e| std::fs::read(e.unwrap().path()).unwrap()).collect();
    fixtures.push(Vec::new());
    fixtures.push(b"%PDF-1.7\n".to_vec());
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let budget = Duration::from_secs(20);
    let started = Instant::now();
    let mut cases = 0usize;
    let mut slowest = Duration::ZERO;
    while cases < 20_000 && started.elapsed() < budget {
        let base = &fixtures[rng.below(fixtures.len())];
        let input = mutate(&mut rng, base);
        let t = Instant::now();
        let _ = detect_kind(&input);
        for kind in KINDS {
            if let Err(r) = analyze(kind, &input) {
                assert!(!r.message.is_empty(), "a rejection always says why");
            }
        }
        slowest = slowest.max(t.elapsed());
        cases += 1;
    }
    eprintln!("robustness: {cases} mutated inputs × 4 kinds, slowest {:?}", slowest);
    assert!(cases >= 500, "too few cases ran ({cases})");
    assert!(slowest < Duration::from_secs(2), "one input took {slowest:?}: something is super-linear");
}

#[test]
fn deep_nesting_and_large_numbers_are_rejected_not_fatal() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    for kind in [ArtifactKind::Sbom, ArtifactKind::Vex, ArtifactKind::Advisory] {
        assert!(analyze(kind, deep.as_bytes()).is_err(), "{kind:?}");
    }
    // As a document it is merely odd text: accepted or not, it must not crash.
    let _ = analyze(ArtifactKind::Document, deep.as_bytes());
    let wide = format!("{{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"version\":{}}}", "9".repeat(10_000));
    assert!(analyze(ArtifactKind::Sbom, wide.as_bytes()).is_err());
}
