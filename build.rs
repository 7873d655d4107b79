//! Links the `archivist` executable at a fixed address (not position-independent) on Linux.
//!
//! A position-independent executable has every pointer into its own static data (stop-word
//! lists, HTML entity tables, Snowball stemmer tables: some 62,000 of them) patched by the dynamic
//! loader at each start, which writes over 1.2 MB of pages: 0.8 ms of a rare word's 5.6 ms
//! search on `multi` (150 alternating runs). A fixed-address executable has them resolved when it
//! is linked. What is given up is the randomized address of the executable's own code; shared
//! libraries, stack and heap are still randomized. `ARCHIVIST_PIE=1` at build time keeps the
//! position-independent default, for packagers whose policy requires it.
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=ARCHIVIST_PIE");
    let linux = std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux");
    let pie_kept = std::env::var("ARCHIVIST_PIE").is_ok_and(|v| !v.is_empty() && v != "0");
    if linux && !pie_kept {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
