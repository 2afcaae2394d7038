//! The `clerk-claims` command.
fn main() {}
