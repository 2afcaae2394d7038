//! Clerk as Hasura's auth: `cargo run -p clerk-claims-examples --bin hasura`, fully offline.
//!
//! Pushes the `hasura` template derived from `HasuraToken` (only the
//! `https://hasura.io/jwt/claims` object), mints tokens for a user in an organization and for
//! one without, verifies them into the typed claims, and prints the session variables Hasura
//! will see and the `HASURA_GRAPHQL_JWT_SECRET` that points Hasura at the instance's JWKS.

use std::process::ExitCode;

use clerk_claims::ClerkClaims;
use clerk_claims::testing::fake::FakeClerk;
use clerk_claims_examples::HasuraToken;
use clerk_claims_examples::offline::{self, Error, check};
use serde_json::json;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    offline::exit_code("hasura", run().await)
}

async fn run() -> Result<bool, Error> {
    let fake = FakeClerk::builder().start()?;
    let api = fake.api()?;
    let template = HasuraToken::jwt_template();
    api.upsert_template(&template).await?;
    println!(
        "1. the {:?} template, as pasted into the dashboard:",
        template.name
    );
    println!("{}", template.to_json_pretty());

    // Hasura reads the claims under its default namespace and fetches keys from the JWKS URL.
    let hasura_config = json!({
        "jwk_url": fake.jwks_url(),
        "issuer": fake.frontend_api_url(),
        "claims_namespace": "https://hasura.io/jwt/claims",
    });
    println!("2. HASURA_GRAPHQL_JWT_SECRET='{hasura_config}'");

    let verifier = offline::verifier(&fake)?;
    let mut all = true;
    println!("3. tokens and the session variables Hasura sees:");
    for (session, org) in [
        ("sess_2alice_acme", Some("org_2acme")),
        ("sess_2carol", None),
    ] {
        let jwt = api
            .create_template_token(session, &template.name, None)
            .await?;
        let token = verifier.verify::<HasuraToken>(&jwt).await?;
        let vars = &token.hasura;
        println!(
            "   {session}: x-hasura-user-id={} x-hasura-default-role={} x-hasura-allowed-roles={:?} x-hasura-org-id={}",
            vars.user_id,
            vars.default_role,
            vars.allowed_roles,
            vars.org_id.as_deref().unwrap_or("null"),
        );
        all &= check(
            vars.user_id == token.sub,
            "x-hasura-user-id is the token's sub",
        );
        all &= check(
            vars.allowed_roles.contains(&vars.default_role),
            "the default role is one of the allowed roles (Hasura requires it)",
        );
        all &= check(
            vars.org_id.as_deref() == org,
            format!("x-hasura-org-id is {org:?} for {session}"),
        );
    }
    Ok(all)
}
