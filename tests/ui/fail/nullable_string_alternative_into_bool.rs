#![allow(unused_imports, dead_code)]
use clerk_claims::ClerkClaims;

// `user.first_name` is a string and can be null: a `bool` is wrong twice, one error says both.
#[derive(ClerkClaims)]
#[clerk(template = "api")]
struct Claims {
    #[clerk(shortcode = "user.public_metadata.nickname || user.first_name")]
    nickname: bool,
}

fn main() {}
