#![allow(unused_imports, dead_code)]
use clerk_claims::ClerkClaims;

// `0` is returned when the metadata key is unset: a `String` cannot hold a number.
#[derive(ClerkClaims)]
#[clerk(template = "api")]
struct Claims {
    #[clerk(shortcode = "user.public_metadata.nickname || 0")]
    nickname: String,
}

fn main() {}
