#![allow(unused_imports, dead_code)]
use clerk_claims::ClerkRole;

// A role enum is a `Copy + Eq + Hash + Debug` key: one error names the derives to add.
#[derive(ClerkRole, Debug)]
enum Role {
    #[clerk(key = "org:admin")]
    Admin,
}

fn main() {}
