//! The revocation list's cost on the verification path, side by side in one run, on one RS256
//! session token whose session is not revoked (the common case: every request pays the lookup):
//! - `off` / `on_10k`: `verify_session` without a list, and with a list of 10 000 revoked
//!   sessions;
//! - `cached_off` / `cached_on_10k`: the same through the token cache (a hit skips the
//!   signature, so the lookup weighs most there);
//! - `lookup_10k`: `RevocationList::is_revoked` alone.
//!
//! Our futures are polled once with a no-op waker: with local keys they never suspend.

use std::future::Future;
use std::hint::black_box;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use clerk_claims::revocation::RevocationList;
use clerk_claims::testing::issuer::TestIssuer;
use criterion::{Criterion, criterion_group, criterion_main};

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

fn bench(c: &mut Criterion) {
    let issuer = TestIssuer::new();
    let token = issuer
        .session()
        .user("user_2test")
        .session_id("sess_2laptop0000000000000000")
        .org("org_1", "acme", "admin")
        .lifetime(3600)
        .mint();
    let list = RevocationList::new();
    let revoked = list.revoke_sessions((0..10_000).map(|i| format!("sess_2revoked{i:015}")));
    assert_eq!(revoked, 10_000);

    let off = issuer.verifier_builder().build().expect("verifier");
    let on = issuer
        .verifier_builder()
        .revocations(list.clone())
        .build()
        .expect("verifier");
    let cached_off = issuer
        .verifier_builder()
        .token_cache(1024)
        .build()
        .expect("verifier");
    let cached_on = issuer
        .verifier_builder()
        .token_cache(1024)
        .revocations(list.clone())
        .build()
        .expect("verifier");

    let mut group = c.benchmark_group("verify_session_with_revocations");
    for (name, verifier) in [
        ("off", &off),
        ("on_10k", &on),
        ("cached_off", &cached_off),
        ("cached_on_10k", &cached_on),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let verified = ready(verifier.verify_session(black_box(&token))).expect("valid");
                black_box(verified.sid.is_some())
            })
        });
    }
    group.bench_function("lookup_10k", |b| {
        b.iter(|| black_box(list.is_revoked(black_box("sess_2laptop0000000000000000"))))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
