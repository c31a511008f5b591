//! Copies the trained models into OUT_DIR so `include_bytes!` finds them. A checkout without
//! models (bootstrapping, before the first `verbatim train`) still builds: the files are left
//! empty and `Extractor::new()` says to train them.
//!
//! Also hashes what extraction depends on: the sources under `src/`, word tables included
//! (`VERBATIM_SOURCE_HASH`), and the three models (`VERBATIM_MODELS_HASH`). A bank stores them
//! with each document, so that re-ingesting after an upgrade extracts again instead of keeping
//! the old engine's quotes.
use std::path::{Path, PathBuf};

/// FNV-1a, 64 bits: dependency-free and stable across Rust versions (std's hasher is not).
fn fnv(h: &mut u64, bytes: &[u8]) {
    for &b in bytes {
        *h ^= u64::from(b);
        *h = h.wrapping_mul(0x0000_0100_0000_01B3);
    }
}

/// The sources under `dir` (`.rs` and `.txt` files, not hidden ones such as an editor's swap
/// files), to be sorted so the hash does not depend on directory order.
fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        let hidden = p
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        let source = p.extension().is_some_and(|x| x == "rs" || x == "txt");
        if hidden {
            continue;
        } else if p.is_dir() {
            files(&p, out);
        } else if source {
            out.push(p);
        }
    }
}

fn main() {
    let out = std::env::var("OUT_DIR").unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let models = root.join("../../models");
    let src = root.join("src");
    println!("cargo:rerun-if-changed={}", models.display());
    println!("cargo:rerun-if-changed={}", src.display());
    const FNV_START: u64 = 0xCBF2_9CE4_8422_2325;
    let mut hash = FNV_START;
    let mut sources = Vec::new();
    files(&src, &mut sources);
    sources.sort();
    for path in &sources {
        let rel = path.strip_prefix(root).unwrap_or(path);
        fnv(
            &mut hash,
            rel.to_string_lossy().replace('\\', "/").as_bytes(),
        );
        // Without carriage returns: a checkout with CRLF line ends is the same engine.
        let bytes: Vec<u8> = std::fs::read(path)
            .unwrap_or_default()
            .into_iter()
            .filter(|&b| b != b'\r')
            .collect();
        fnv(&mut hash, &bytes);
    }
    println!("cargo:rustc-env=VERBATIM_SOURCE_HASH={hash:016x}");
    let mut hash = FNV_START;
    for name in ["pos.bin", "cue.bin", "role.bin"] {
        let src = models.join(name);
        println!("cargo:rerun-if-changed={}", src.display());
        let bytes = std::fs::read(&src).unwrap_or_default();
        fnv(&mut hash, &bytes);
        std::fs::write(Path::new(&out).join(name), bytes).unwrap();
    }
    println!("cargo:rustc-env=VERBATIM_MODELS_HASH={hash:016x}");
}
