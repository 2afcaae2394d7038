//! trybuild ui tests: every compile-time guarantee of the derives (contract §1–2) fails to
//! compile with its blessed message (`tests/ui/fail`), and the accepted forms compile
//! (`tests/ui/pass`). Re-bless with `TRYBUILD=overwrite cargo test -p clerk-claims-tests --test ui`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/fail/*.rs");
    t.pass("ui/pass/*.rs");
}
