//! trybuild ui tests: every compile-time guarantee of the derives fails to
//! compile with its blessed message (`tests/ui/fail`). Re-bless with
//! `TRYBUILD=overwrite cargo test -p clerk-claims-ui`, then read every `.stderr`.
//!
//! The accepted forms (`tests/ui/compiles`) are compiled by `tests/tests/derive_compiles.rs` as ordinary
//! modules instead of trybuild `pass` cases: with only compile-fail cases trybuild runs
//! `cargo check`, which keeps this test cheap (no codegen or linking of the dependencies in
//! trybuild's separate target directory).

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("fail/*.rs");
}
