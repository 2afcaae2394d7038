//! Full verification (session, template, raw payload) of: arbitrary text; Clerk's own fixture
//! token (RS256, Clerk's JWKS) with the input spliced in; and the input signed as the fuzz
//! instance's token (`header` `\n` `payload`, or the payload alone under a session header),
//! so the claim checks and the payload reading after the signature see arbitrary bytes too.
//! The first byte picks the mode. Nothing may panic; a changed Clerk token never verifies; the
//! token cache answers as a fresh verification does.
#![no_main]

use std::sync::OnceLock;

use clerk_claims::Clock;
use clerk_claims::verify::{TokenKind, Verifier};
use clerk_claims_fuzz as fz;
use libfuzzer_sys::fuzz_target;

/// `session-token-verification.json` of Clerk's fixtures: its JWKS, its valid token, its time.
struct Clerk {
    verifier: Verifier,
    token: String,
}

fn clerk() -> &'static Clerk {
    static CLERK: OnceLock<Clerk> = OnceLock::new();
    CLERK.get_or_init(|| {
        let fixture: serde_json::Value = serde_json::from_str(include_str!(
            "../../testdata/clerk-fixtures/session-token-verification.json"
        ))
        .expect("the fixture is JSON");
        let valid = &fixture["tokens"]["valid_v1_session"];
        let token = valid["jwt"].as_str().expect("a token").to_owned();
        let iat = valid["payload"]["iat"].as_i64().expect("an iat");
        let verifier = Verifier::builder()
            .jwks_json(fixture["jwks"].to_string())
            .clock(Clock::manual(iat))
            .build()
            .expect("the fixture's verifier builds");
        Clerk { verifier, token }
    })
}

/// The fuzz instance's verifier with a token cache.
fn cached() -> &'static Verifier {
    static CACHED: OnceLock<Verifier> = OnceLock::new();
    CACHED.get_or_init(|| {
        fz::verifier_builder()
            .token_cache(64)
            .build()
            .expect("the cached verifier builds")
    })
}

fn all_kinds(verifier: &Verifier, token: &str) -> bool {
    let session = fz::ready(verifier.verify_session(token));
    if fz::debug() {
        eprintln!(
            "session: {:?}",
            session.as_ref().map(|s| &s.sub).map_err(|e| e.reason())
        );
    }
    if let Ok(s) = &session {
        let _ = (s.claims.auth(), s.claims.org_claim(), s.claims.version());
    }
    let _ = fz::ready(verifier.verify_payload(token, TokenKind::Template));
    let _ = fz::ready(verifier.verify_payload(token, TokenKind::Session));
    session.is_ok()
}

fn splice_into_clerk_token(data: &[u8]) {
    let clerk = clerk();
    let Some((&at, rest)) = data.split_first() else {
        return;
    };
    let mut token = clerk.token.clone().into_bytes();
    let at = usize::from(at) * token.len() / 256;
    let end = (at + rest.len().min(4)).min(token.len());
    token.splice(at..end, rest.iter().copied());
    let token = String::from_utf8_lossy(&token);
    if all_kinds(&clerk.verifier, &token) {
        assert_eq!(token, clerk.token, "a changed Clerk token verified");
    }
}

fn signed(data: &[u8]) {
    let (header, payload) = match fz::split_once(data, b'\n') {
        (header, Some(payload)) => (header, payload),
        (payload, None) => (fz::SESSION_HEADER.as_bytes(), payload),
    };
    let token = fz::sign(header, payload);
    all_kinds(fz::verifier(), &token);
    let fresh = format!("{:?}", fz::ready(fz::verifier().verify_session(&token)));
    for _ in 0..2 {
        let shared = fz::ready(cached().verify_session_shared(&token));
        let shared = format!("{:?}", shared.map(|s| (*s).clone()));
        assert_eq!(shared, fresh, "the token cache answered otherwise");
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    match mode % 3 {
        0 => {
            let text = String::from_utf8_lossy(rest);
            all_kinds(fz::verifier(), &text);
            all_kinds(&clerk().verifier, &text);
        }
        1 => splice_into_clerk_token(rest),
        _ => signed(rest),
    }
});
