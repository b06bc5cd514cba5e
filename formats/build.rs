//! Copies the CycloneDX JSON schemas shipped inside the `serde-cyclonedx` package
//! (a build-dependency, pinned to an exact version) into OUT_DIR so that
//! `src/cyclonedx.rs` can `include_str!` them. No network access.
use std::path::{Path, PathBuf};

const PKG: &str = "serde-cyclonedx-0.10.0";
const FILES: [&str; 3] = ["cyclonedx_1_4.json", "cyclonedx_1_5.json", "cyclonedx_1_6.json"];

fn has_schemas(dir: &Path) -> bool {
    FILES.iter().all(|f| dir.join(f).is_file())
}

fn candidates() -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(dir) = std::env::var("PORTAL_CYCLONEDX_SCHEMA_DIR") {
        out.push(PathBuf::from(dir));
    }
    let mut homes = Vec::new();
    if let Ok(h) = std::env::var("CARGO_HOME") {
        homes.push(PathBuf::from(h));
    }
    if let Ok(h) = std::env::var("HOME") {
        homes.push(PathBuf::from(h).join(".cargo"));
    }
    for home in homes {
        let src = home.join("registry").join("src");
        if let Ok(rd) = std::fs::read_dir(&src) {
            for entry in rd.flatten() {
                out.push(entry.path().join(PKG).join("schemas"));
            }
        }
    }
    // `cargo vendor` layouts: <ancestor>/vendor/serde-cyclonedx[-0.10.0]/schemas
    if let Ok(manifest) = std::env::var("CARGO_MANIFEST_DIR") {
        for anc in Path::new(&manifest).ancestors() {
            out.push(anc.join("vendor").join("serde-cyclonedx").join("schemas"));
            out.push(anc.join("vendor").join(PKG).join("schemas"));
        }
    }
    out
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=PORTAL_CYCLONEDX_SCHEMA_DIR");
    let Some(dir) = candidates().into_iter().find(|d| has_schemas(d)) else {
        panic!(
            "CycloneDX JSON schemas not found: expected the {PKG} package (a build-dependency) \
             in the cargo registry or a vendor/ directory; set PORTAL_CYCLONEDX_SCHEMA_DIR to its schemas/ folder"
        );
    };
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into()));
    for f in FILES {
        let from = dir.join(f);
        println!("cargo:rerun-if-changed={}", from.display());
        if let Err(e) = std::fs::copy(&from, out.join(f)) {
            panic!("copying {}: {e}", from.display());
        }
    }
}
