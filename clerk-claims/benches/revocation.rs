//! The revocation list's cost on the verification path, side by side in one run, on one RS256
//! session token whose session is not revoked (the common case: every request pays the lookup):
//! - `off` / `on_10k`: `verify_session` without a list, and with a list of 10 000 revoked
//!   sessions (of 10 000 users);
//! - `cached_off` / `cached_on_10k`: the same through the token cache (a hit skips the
//!   signature, so the lookup weighs most there);
//! - `lookup_10k`: `RevocationList::is_revoked` alone; `user_lookup_10k`:
//!   `RevocationList::is_user_token_revoked` (the template-token rule) alone.
//!
//! The two sides of each pair run interleaved in blocks, each timing only its own side, so a
//! change in machine load hits both alike.
//!
//! Our futures are polled once with a no-op waker: with local keys they never suspend.

mod common;
use common::ready;

use std::hint::black_box;
use std::time::{Duration, Instant};

use clerk_claims::revocation::RevocationList;
use clerk_claims::testing::issuer::TestIssuer;
use criterion::{Criterion, criterion_group, criterion_main};

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
    let revoked = (0..10_000)
        .filter(|i| list.revoke(&format!("sess_2revoked{i:015}"), &format!("user_2r{i:015}")))
        .count();
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

    // Each pair is measured interleaved (blocks of 32 runs of one, then of the other, timing only
    // one side), so both sides of a ratio see the same machine load.
    let mut group = c.benchmark_group("verify_session_with_revocations");
    for (pair, without, with) in [("", &off, &on), ("cached_", &cached_off, &cached_on)] {
        for (side, timed, other) in [("off", without, with), ("on_10k", with, without)] {
            group.bench_function(format!("{pair}{side}"), |b| {
                b.iter_custom(|iters| {
                    let mut timed_total = Duration::ZERO;
                    let mut done = 0;
                    while done < iters {
                        let block = (iters - done).min(32);
                        let start = Instant::now();
                        for _ in 0..block {
                            let v = ready(timed.verify_session(black_box(&token))).expect("valid");
                            black_box(v.sid.is_some());
                        }
                        timed_total += start.elapsed();
                        for _ in 0..block {
                            let v = ready(other.verify_session(black_box(&token))).expect("valid");
                            black_box(v.sid.is_some());
                        }
                        done += block;
                    }
                    timed_total
                })
            });
        }
    }
    group.bench_function("lookup_10k", |b| {
        b.iter(|| black_box(list.is_revoked(black_box("sess_2laptop0000000000000000"))))
    });
    group.bench_function("user_lookup_10k", |b| {
        b.iter(|| {
            black_box(list.is_user_token_revoked(black_box("user_2test"), Some(1_767_225_600)))
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
