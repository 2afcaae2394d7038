#![allow(unused_imports, dead_code)]
use clerk_claims::ClerkClaims;

// `user.first_name` is a string, `0` a number: no `String` holds both.
#[derive(ClerkClaims)]
#[clerk(template = "api")]
struct Claims {
    #[clerk(shortcode = "user.first_name || 0")]
    name: String,
}

fn main() {}
