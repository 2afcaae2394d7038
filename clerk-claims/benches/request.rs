//! What Clerk's request flow costs on top of verifying the token, in one run:
//! - `verify_session`: the session token alone (the floor of any request);
//! - `decode_unverified`: the one unchecked decode the flow adds (kind checks, `iat`);
//! - `authenticate_header`: `request::authenticate` on `Authorization: Bearer`;
//! - `authenticate_cookie`: `request::authenticate` on a page load with `__session`,
//!   `__client_uat` and the dev browser (suffix choice, `iat` against `__client_uat`, kind
//!   checks, then the same verification);
//! - `authenticate_handshake`: a page load that needs a handshake (no verification at all:
//!   the redirect URL is built instead).
//!
//! Futures are polled once with a no-op waker: with a local key they never suspend.

mod common;
use common::ready;

use std::hint::black_box;

use clerk_claims::Clock;
use clerk_claims::request::{self, RequestOptions};
use clerk_claims::testing::issuer::TestIssuer;
use criterion::{Criterion, criterion_group, criterion_main};

fn parts(headers: &[(&str, &str)]) -> http::request::Parts {
    let mut builder = http::Request::get("https://app.example/dashboard?tab=1");
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(()).expect("a valid request").into_parts().0
}

fn bench(c: &mut Criterion) {
    let issuer = TestIssuer::new();
    let now = issuer.session().payload()["iat"]
        .as_i64()
        .unwrap_or_default();
    let options = RequestOptions::builder()
        .publishable_key(issuer.publishable_key())
        .pem(issuer.public_key_pem())
        .clock(Clock::manual(now))
        .build()
        .expect("valid options");
    let token = issuer
        .session()
        .org("org_1", "acme", "admin")
        .permissions(["org:invoices:read"])
        .azp("https://app.example")
        .issued_at(now - 5)
        .mint();
    let bearer = format!("Bearer {token}");
    let cookie = format!(
        "__session={token}; __client_uat={}; __clerk_db_jwt=dvb_bench",
        now - 60
    );
    let header = parts(&[("authorization", &bearer)]);
    let page = parts(&[("cookie", &cookie), ("sec-fetch-dest", "document")]);
    let stale = format!("__client_uat={}; __clerk_db_jwt=dvb_bench", now - 60);
    let handshake = parts(&[("cookie", &stale), ("sec-fetch-dest", "document")]);
    let verifier = options.verifier().clone();
    assert!(
        ready(request::authenticate(&page, &options))
            .session()
            .is_some()
    );

    let mut group = c.benchmark_group("request");
    group.bench_function("verify_session", |b| {
        b.iter(|| ready(verifier.verify_session(black_box(&token))).is_ok())
    });
    group.bench_function("decode_unverified", |b| {
        b.iter(|| clerk_claims::verify::decode_unverified(black_box(&token)).is_ok())
    });
    group.bench_function("authenticate_header", |b| {
        b.iter(|| ready(request::authenticate(black_box(&header), &options)).status())
    });
    group.bench_function("authenticate_cookie", |b| {
        b.iter(|| ready(request::authenticate(black_box(&page), &options)).status())
    });
    group.bench_function("authenticate_handshake", |b| {
        b.iter(|| ready(request::authenticate(black_box(&handshake), &options)).status())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
