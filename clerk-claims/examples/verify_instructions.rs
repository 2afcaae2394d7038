//! The verifier's cost against the raw signature check, in instructions: run under
//! `valgrind --tool=callgrind` by `scripts/verify-instructions`, which collects inside one
//! `measure_*` function at a time. Instruction counts do not depend on what else the machine is
//! doing, so the ratio is repeatable where timings on a shared host are not.
//!
//! `cargo run --release -p clerk-claims --features testing --example verify_instructions -- MODE N`
//! with MODE `floor` (aws-lc-rs RSA-2048 PKCS#1 verify, key parsed once), `session`
//! (`verify_session` + one `has()`), or `shared-hit` (a token-cache hit).

use std::hint::black_box;

use clerk_claims::Verifier;
use clerk_claims::authorize::Has;
use clerk_claims::testing::issuer::TestIssuer;

#[path = "../benches/common/mod.rs"]
mod common;
use common::{Floor, ready};

#[inline(never)]
fn measure_floor(floor: &Floor, n: usize) {
    for _ in 0..n {
        floor.verify();
    }
}

#[inline(never)]
fn measure_session(verifier: &Verifier, token: &str, has: &Has, n: usize) {
    for _ in 0..n {
        let verified = ready(verifier.verify_session(black_box(token))).expect("a valid token");
        black_box(verified.claims.has(has));
    }
}

#[inline(never)]
fn measure_shared_hit(verifier: &Verifier, token: &str, has: &Has, n: usize) {
    for _ in 0..n {
        let verified =
            ready(verifier.verify_session_shared(black_box(token))).expect("a valid token");
        black_box(verified.claims.has(has));
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_default();
    let n: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(1000);
    let issuer = TestIssuer::new();
    let token = issuer
        .session()
        .user("user_2test")
        .org("org_1", "acme", "admin")
        .permissions(["org:invoices:read", "org:invoices:write"])
        .azp("https://app.example.com")
        .lifetime(3600)
        .mint();
    let builder = || {
        issuer
            .verifier_builder()
            .authorized_parties(["https://app.example.com"])
    };
    let has = Has::new().permission("org:invoices:read");
    match mode.as_str() {
        "floor" => {
            let floor = Floor::new(&issuer, &token);
            measure_floor(&floor, 1);
            measure_floor(&floor, n);
        }
        "session" => {
            let verifier = builder().build().expect("a verifier");
            measure_session(&verifier, &token, &has, 1);
            measure_session(&verifier, &token, &has, n);
        }
        "shared-hit" => {
            let verifier = builder().token_cache(16).build().expect("a verifier");
            measure_shared_hit(&verifier, &token, &has, 1);
            measure_shared_hit(&verifier, &token, &has, n);
        }
        other => {
            eprintln!("usage: verify_instructions floor|session|shared-hit N (found {other:?})");
            std::process::exit(2);
        }
    }
}
