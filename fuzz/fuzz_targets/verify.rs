//! Arbitrary bytes, and a valid token with the input spliced in, through full verification
//! (session, template, raw payload, signature layer). Nothing may panic or verify.
#![no_main]

use std::future::Future;
use std::pin::pin;
use std::sync::OnceLock;
use std::task::{Context, Poll, Waker};

use clerk_claims::testing::issuer::TestIssuer;
use clerk_claims::verify::{TokenKind, Verifier};
use libfuzzer_sys::fuzz_target;

struct Fixture {
    verifier: Verifier,
    token: String,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let issuer = TestIssuer::new();
        let token = issuer
            .session()
            .org("org_1", "acme", "admin")
            .permissions(["org:a:read"])
            .mint();
        Fixture {
            verifier: issuer.verifier(),
            token,
        }
    })
}

fn ready<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("local-key verification suspended"),
    }
}

fn check(f: &Fixture, token: &str) {
    let session = ready(f.verifier.verify_session(token));
    let template = ready(f.verifier.verify_payload(token, TokenKind::Template));
    assert!(
        template.is_err(),
        "a session token never verifies as a template token"
    );
    if token != f.token {
        assert!(session.is_err(), "a changed token verified: {token:?}");
    }
}

fuzz_target!(|data: &[u8]| {
    let f = fixture();
    let text = String::from_utf8_lossy(data);
    check(f, &text);
    // Splice the input into the valid token at a position chosen by the first byte.
    if let Some((&at, rest)) = data.split_first() {
        let mut token = f.token.clone().into_bytes();
        let at = usize::from(at) * token.len() / 256;
        token.splice(
            at..(at + rest.len().min(4)).min(token.len()),
            rest.iter().copied(),
        );
        check(f, &String::from_utf8_lossy(&token));
    }
});
