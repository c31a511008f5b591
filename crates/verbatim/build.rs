//! Copies the trained models into OUT_DIR so `include_bytes!` finds them. A checkout without
//! models (bootstrapping, before the first `verbatim train`) still builds: the files are left
//! empty and `Extractor::new()` says to train them.
use std::path::Path;

fn main() {
    let out = std::env::var("OUT_DIR").unwrap();
    let models = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models");
    println!("cargo:rerun-if-changed={}", models.display());
    for name in ["pos.bin", "cue.bin", "role.bin"] {
        let src = models.join(name);
        println!("cargo:rerun-if-changed={}", src.display());
        let bytes = std::fs::read(&src).unwrap_or_default();
        std::fs::write(Path::new(&out).join(name), bytes).unwrap();
    }
}
