#![allow(unused_imports, dead_code)]
use clerk_claims::ClerkClaims;

// `'free'` is returned when the metadata key is unset: a `bool` cannot hold it.
#[derive(ClerkClaims)]
#[clerk(template = "api")]
struct Claims {
    #[clerk(shortcode = "user.public_metadata.plan || 'free'")]
    plan: bool,
}

fn main() {}
