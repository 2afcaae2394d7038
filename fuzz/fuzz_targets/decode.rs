//! Arbitrary bytes through every parser that sees untrusted input: token decoding, JWKS
//! documents, JWKs, PEMs, publishable keys, Authorization/Cookie headers.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = clerk_claims::verify::decode_unverified(&text);
    let _ = clerk_claims::jwks::JwkSet::from_json(&text);
    let _ = clerk_claims::jwks::Key::from_jwk_json(&text);
    let _ = clerk_claims::jwks::Key::from_pem(&text);
    let _ = clerk_claims::source::PublishableKey::parse(&text);
    let _ = clerk_claims::source::find_token(None, Some(&text), None);
    let _ = clerk_claims::source::from_authorization(&text);
});
