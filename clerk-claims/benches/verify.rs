//! Verification cost against its floor, in one run and on one token (an RS256 v2 session
//! token with an organization, as Clerk issues them):
//! - `floor`: aws-lc-rs RSA-2048 PKCS#1 verify with a pre-parsed key (nothing else);
//! - `jsonwebtoken`: jsonwebtoken 11 typed `decode` with a pre-built `DecodingKey`;
//! - `ours`: `Verifier::verify::<C>` (all of Clerk's checks, typed claims) + one role check;
//! - `ours_session`: `verify_session` (the normalized auth object) + one `has()` check.
//!
//! - `token_cache`: the same session token from the verified-token cache (a hit re-checks the
//!   clock and the revocation hook only) against a fresh `verify_session` and the floor; by
//!   value (`verify_session`, a copy of the claims) and shared (`verify_session_shared`).
//!
//! Our futures are polled once with a no-op waker: with local keys they never suspend.

mod common;
use common::ready;

use std::hint::black_box;

use clerk_claims::authorize::Has;
use clerk_claims::testing::issuer::TestIssuer;
use clerk_claims::{ClaimInfo, ClerkClaims, JwtTemplate};
use criterion::{Criterion, criterion_group, criterion_main};
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
struct Org {
    id: String,
    rol: String,
}

/// Session claims an app reads (a `session_token` claims type).
#[derive(Debug, Serialize, Deserialize)]
struct AppSession {
    sid: String,
    o: Option<Org>,
}

impl ClerkClaims for AppSession {
    const TEMPLATE_NAME: Option<&'static str> = None;
    fn jwt_template() -> JwtTemplate {
        JwtTemplate {
            name: String::new(),
            claims: serde_json::json!({}),
            lifetime: 60,
            allowed_clock_skew: 5,
            signing_algorithm: None,
            session_token: true,
        }
    }
    fn claim_info() -> &'static [ClaimInfo] {
        &[]
    }
}

/// What the jsonwebtoken user decodes: the same claims plus what `Validation` needs.
#[derive(Debug, Deserialize)]
struct JwtClaims {
    #[allow(dead_code)]
    sub: String,
    #[allow(dead_code)]
    sid: String,
    o: Option<Org>,
}

fn bench(c: &mut Criterion) {
    let issuer = TestIssuer::new();
    let token = issuer
        .session()
        .user("user_2test")
        .org("org_1", "acme", "admin")
        .permissions(["org:invoices:read", "org:invoices:write"])
        .azp("https://app.example.com")
        .lifetime(3600)
        .mint();
    let verifier = issuer
        .verifier_builder()
        .authorized_parties(["https://app.example.com"])
        .build()
        .expect("verifier");

    // Floor: the signature check alone, key parsed once.
    let floor = common::Floor::new(&issuer, &token);

    // jsonwebtoken, configured as close to Clerk's checks as it goes.
    let _ = jsonwebtoken::crypto::aws_lc::DEFAULT_PROVIDER.install_default();
    let jwk = &issuer.jwks()["keys"][0];
    let key = jsonwebtoken::DecodingKey::from_rsa_components(
        jwk["n"].as_str().unwrap_or_default(),
        jwk["e"].as_str().unwrap_or_default(),
    )
    .expect("decoding key");
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.leeway = 5;
    validation.validate_nbf = true;
    validation.set_issuer(&[issuer.issuer()]);
    validation.set_required_spec_claims(&["exp", "sub", "iss"]);

    let has = Has::new().permission("org:invoices:read");
    let mut group = c.benchmark_group("verify_rs256_session_token");
    group.bench_function("floor_aws_lc_rsa2048_verify", |b| b.iter(|| floor.verify()));
    group.bench_function("jsonwebtoken_typed_decode", |b| {
        b.iter(|| {
            let data = jsonwebtoken::decode::<JwtClaims>(black_box(&token), &key, &validation)
                .expect("valid");
            black_box(data.claims.o.map(|o| o.rol == "admin"))
        })
    });
    group.bench_function("ours_verify_typed_plus_role_check", |b| {
        b.iter(|| {
            let verified = ready(verifier.verify::<AppSession>(black_box(&token))).expect("valid");
            black_box(
                verified
                    .o
                    .as_ref()
                    .is_some_and(|o| o.rol == "admin" && !o.id.is_empty())
                    && !verified.claims.sid.is_empty(),
            )
        })
    });
    group.bench_function("ours_verify_session_plus_has", |b| {
        b.iter(|| {
            let verified = ready(verifier.verify_session(black_box(&token))).expect("valid");
            black_box(verified.claims.has(&has))
        })
    });
    group.finish();

    // The verified-token cache: a hit against a fresh verification and the floor, in one run.
    let cached = issuer
        .verifier_builder()
        .authorized_parties(["https://app.example.com"])
        .token_cache(1024)
        .build()
        .expect("verifier");
    ready(cached.verify_session(&token)).expect("valid");
    ready(cached.verify::<AppSession>(&token)).expect("valid");
    let mut group = c.benchmark_group("token_cache");
    group.bench_function("floor_aws_lc_rsa2048_verify", |b| b.iter(|| floor.verify()));
    group.bench_function("fresh_verify_session_plus_has", |b| {
        b.iter(|| {
            let verified = ready(verifier.verify_session(black_box(&token))).expect("valid");
            black_box(verified.claims.has(&has))
        })
    });
    group.bench_function("cache_hit_verify_session_plus_has", |b| {
        b.iter(|| {
            let verified = ready(cached.verify_session(black_box(&token))).expect("valid");
            black_box(verified.claims.has(&has))
        })
    });
    group.bench_function("cache_hit_verify_session_shared_plus_has", |b| {
        b.iter(|| {
            let verified = ready(cached.verify_session_shared(black_box(&token))).expect("valid");
            black_box(verified.claims.has(&has))
        })
    });
    group.bench_function("cache_hit_verify_typed", |b| {
        b.iter(|| {
            let verified = ready(cached.verify::<AppSession>(black_box(&token))).expect("valid");
            black_box(verified.claims.sid.len())
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
