//! Decoding a claims payload through the derive's generated `Deserialize` (with its per-claim
//! drift diagnostics) against a hand-written `#[derive(serde::Deserialize)]` struct of the same
//! shape, in one run. Goal: generated / hand-written ≤ 1.05.
#![allow(missing_docs)]

use std::hint::black_box;

use clerk_claims::{ClerkClaims, ClerkPermission, ClerkRole, Permissions};
use criterion::{Criterion, criterion_group, criterion_main};

#[derive(ClerkRole, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    #[clerk(key = "org:admin")]
    Admin,
    #[clerk(key = "org:member")]
    Member,
}

#[derive(ClerkPermission, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    #[clerk(key = "org:invoices:read")]
    InvoicesRead,
    #[clerk(key = "org:invoices:write")]
    InvoicesWrite,
}

#[derive(ClerkClaims, Debug)]
#[clerk(template = "api", lifetime = 300)]
pub struct ApiClaims {
    #[clerk(shortcode = "user.primary_email_address")]
    pub email: Option<String>,
    #[clerk(shortcode = "user.public_metadata.plan || 'free'")]
    pub plan: String,
    #[clerk(shortcode = "org.id")]
    pub org_id: Option<String>,
    #[clerk(shortcode = "org.role")]
    pub role: Option<Role>,
    #[clerk(shortcode = "org_membership.permissions")]
    pub permissions: Permissions<Permission>,
    #[clerk(format = "{{user.first_name}} {{user.last_name}}")]
    pub display_name: String,
    #[clerk(value = "authenticated")]
    pub aud: String,
    #[clerk(rename = "https://hasura.io/jwt/claims", nested)]
    pub hasura: HasuraClaims,
}

#[derive(ClerkClaims, Debug)]
#[clerk(object)]
pub struct HasuraClaims {
    #[clerk(rename = "x-hasura-user-id", shortcode = "user.id")]
    pub user_id: String,
    #[clerk(rename = "x-hasura-default-role", value = "user")]
    pub default_role: String,
    #[clerk(rename = "x-hasura-allowed-roles", json = r#"["user"]"#)]
    pub allowed_roles: Vec<String>,
}

/// The same shape, the obvious alternative: plain serde derives.
#[derive(serde::Deserialize, Debug)]
pub struct HandClaims {
    pub email: Option<String>,
    pub plan: String,
    pub org_id: Option<String>,
    pub role: Option<Role>,
    #[serde(default)]
    pub permissions: Permissions<Permission>,
    pub display_name: String,
    pub aud: String,
    #[serde(rename = "https://hasura.io/jwt/claims")]
    pub hasura: HandHasura,
}

#[derive(serde::Deserialize, Debug)]
pub struct HandHasura {
    #[serde(rename = "x-hasura-user-id")]
    pub user_id: String,
    #[serde(rename = "x-hasura-default-role")]
    pub default_role: String,
    #[serde(rename = "x-hasura-allowed-roles")]
    pub allowed_roles: Vec<String>,
}

const PAYLOAD: &str = r#"{"azp":"https://app.example.com","exp":1700000300,"iat":1700000000,"iss":"https://clerk.example.com","jti":"10db7f531a90cb2faea4","nbf":1699999995,"sub":"user_2abcdefghijklmnop","email":"ada@example.com","plan":"pro","org_id":"org_2abcdefghijk","role":"org:admin","permissions":["org:invoices:read","org:invoices:write","org:reports:export"],"display_name":"Ada Lovelace","aud":"authenticated","https://hasura.io/jwt/claims":{"x-hasura-user-id":"user_2abcdefghijklmnop","x-hasura-default-role":"user","x-hasura-allowed-roles":["user"]}}"#;

fn decode(c: &mut Criterion) {
    // Both decode the same payload to the same values.
    let generated: ApiClaims = serde_json::from_str(PAYLOAD).expect("payload fits ApiClaims");
    let hand: HandClaims = serde_json::from_str(PAYLOAD).expect("payload fits HandClaims");
    assert_eq!(generated.role, hand.role);
    assert_eq!(generated.permissions, hand.permissions);

    let mut group = c.benchmark_group("decode_claims");
    group.bench_function("generated_clerk_claims", |b| {
        b.iter(|| serde_json::from_str::<ApiClaims>(black_box(PAYLOAD)).expect("fits"))
    });
    group.bench_function("hand_written_serde", |b| {
        b.iter(|| serde_json::from_str::<HandClaims>(black_box(PAYLOAD)).expect("fits"))
    });
    group.bench_function("generated_via_claims_decode", |b| {
        b.iter(|| {
            clerk_claims::claims::decode::<ApiClaims>(black_box(PAYLOAD.as_bytes())).expect("fits")
        })
    });
    group.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);
