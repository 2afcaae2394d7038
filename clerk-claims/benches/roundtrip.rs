//! A template token's whole way, for the contract's `ApiClaims` (the example crate's type,
//! declared again here: a bench of `clerk-claims` cannot depend on the examples crate, which
//! depends on it), in one run:
//! - `render_mint_verify`: render the derived template for a user in an organization (Clerk's
//!   engine), mint the RS256 token (what Clerk's servers do), verify it into `ApiClaims`
//!   (what the backend does);
//! - `mint_alone`: signing the same rendered claims (RSA-2048 signing dominates);
//! - `verify_alone`: `Verifier::verify::<ApiClaims>` of one pre-minted token;
//! - `render_alone`: the renderer, for the breakdown.
//!
//! The ratios say how much of a FakeClerk-backed test's token cost is the signature (almost
//! all of it) and how cheap verification is next to minting.
//!
//! Our futures are polled once with a no-op waker: with local keys they never suspend.
#![forbid(unsafe_code)]

mod common;
use common::ready;

use std::hint::black_box;

use clerk_claims::render::{RenderContext, RenderOptions, render};
use clerk_claims::testing::fake::Seed;
use clerk_claims::testing::issuer::{TemplateOptions, TestIssuer};
use clerk_claims::{ClerkClaims, ClerkPermission, ClerkRole, Permissions};
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::{Map, Value};

#[derive(ClerkRole, Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Role {
    #[clerk(key = "org:admin")]
    Admin,
    #[clerk(key = "org:member")]
    Member,
}

#[derive(ClerkPermission, Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Permission {
    #[clerk(key = "org:invoices:read")]
    InvoicesRead,
    #[clerk(key = "org:invoices:write")]
    InvoicesWrite,
}

#[derive(ClerkClaims, Debug)]
#[clerk(object)]
struct HasuraClaims {
    #[clerk(rename = "x-hasura-user-id", shortcode = "user.id")]
    user_id: String,
    #[clerk(rename = "x-hasura-default-role", value = "user")]
    default_role: String,
    #[clerk(rename = "x-hasura-allowed-roles", json = r#"["user", "admin"]"#)]
    allowed_roles: Vec<String>,
    #[clerk(rename = "x-hasura-org-id", shortcode = "org.id")]
    org_id: Option<String>,
}

#[derive(ClerkClaims, Debug)]
#[clerk(template = "api", lifetime = 300, allowed_clock_skew = 5)]
struct ApiClaims {
    #[clerk(shortcode = "user.primary_email_address")]
    email: Option<String>,
    #[clerk(shortcode = "user.public_metadata.plan || 'free'")]
    plan: String,
    #[clerk(shortcode = "org.id")]
    org_id: Option<String>,
    #[clerk(shortcode = "org.role")]
    role: Option<Role>,
    #[clerk(shortcode = "org_membership.permissions")]
    permissions: Permissions<Permission>,
    #[clerk(format = "{{user.first_name}} {{user.last_name}}")]
    display_name: String,
    #[clerk(value = "authenticated")]
    aud: String,
    #[clerk(rename = "https://hasura.io/jwt/claims", nested)]
    hasura: HasuraClaims,
}

/// Alice, admin of Acme, from FakeClerk's default seed (Backend API shapes).
fn alice_in_acme() -> RenderContext {
    let seed = Seed::default_seed().expect("the default seed parses");
    let by_id = |list: &[Value], id: &str| {
        list.iter()
            .find(|v| v["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("{id} in the default seed"))
    };
    let user = by_id(&seed.users, "user_2alice");
    let org = by_id(&seed.organizations, "org_2acme");
    let mut membership = by_id(&seed.memberships, "orgmem_2alice_acme");
    membership["organization"] = org.clone();
    RenderContext::from_api(&user, Some(&org), Some(&membership), None).expect("context")
}

fn render_claims(template: &Value, ctx: &RenderContext) -> Map<String, Value> {
    match render(template, ctx, RenderOptions::clerk()).expect("renders") {
        Value::Object(map) => map,
        other => panic!("rendered claims are not an object: {other}"),
    }
}

fn bench(c: &mut Criterion) {
    let issuer = TestIssuer::new();
    let verifier = issuer.verifier();
    let template = ApiClaims::jwt_template();
    let claims = template.claims.clone();
    let ctx = alice_in_acme();
    let opts = TemplateOptions {
        user_id: "user_2alice".into(),
        lifetime: template.lifetime,
        allowed_clock_skew: template.allowed_clock_skew,
        ..TemplateOptions::default()
    };
    let rendered = render_claims(&claims, &ctx);
    let token = issuer.mint_template_payload(rendered.clone(), &opts);
    let check = |v: &clerk_claims::Verified<ApiClaims>| {
        v.has_role(Role::Admin)
            && v.has_permission(Permission::InvoicesWrite)
            && v.plan == "pro"
            && v.hasura.org_id.is_some()
    };
    // The setup is right before anything is timed.
    let verified = ready(verifier.verify::<ApiClaims>(&token)).expect("valid");
    assert!(check(&verified), "{:?}", verified.claims);

    let mut group = c.benchmark_group("template_token_roundtrip_api_claims");
    group.bench_function("render_mint_verify", |b| {
        b.iter(|| {
            let custom = render_claims(black_box(&claims), &ctx);
            let jwt = issuer.mint_template_payload(custom, &opts);
            let v = ready(verifier.verify::<ApiClaims>(&jwt)).expect("valid");
            black_box(check(&v))
        })
    });
    group.bench_function("mint_alone", |b| {
        b.iter(|| black_box(issuer.mint_template_payload(black_box(rendered.clone()), &opts)))
    });
    group.bench_function("verify_alone", |b| {
        b.iter(|| {
            let v = ready(verifier.verify::<ApiClaims>(black_box(&token))).expect("valid");
            black_box(check(&v))
        })
    });
    group.bench_function("render_alone", |b| {
        b.iter(|| black_box(render_claims(black_box(&claims), &ctx)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
