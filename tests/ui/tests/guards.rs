//! trybuild ui tests of the route guards (`tests/ui/guards`): a string, an enum of the wrong
//! kind, and a guard the claims type cannot answer each fail to compile with a message naming
//! the fix. Re-bless with `TRYBUILD=overwrite cargo test -p clerk-claims-ui --test guards`,
//! then read every `.stderr`.

#[test]
fn guards() {
    let t = trybuild::TestCases::new();
    t.compile_fail("guards/*.rs");
}
