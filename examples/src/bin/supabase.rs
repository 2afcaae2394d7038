//! Clerk tokens for Supabase, signed with Supabase's JWT secret (a custom HS256 signing key):
//! `cargo run -p clerk-claims-examples --bin supabase`, fully offline.
//!
//! Pushes the `supabase-hs256` template derived from `SupabaseHs256Claims` together with the
//! secret (Clerk never returns it), mints a token, and verifies it the way Supabase does: with
//! the shared secret only, no JWKS. A token checked with any other secret is rejected.

use std::process::ExitCode;

use clerk_claims::jwks::Algorithm;
use clerk_claims::jwks::Key;
use clerk_claims::testing::fake::FakeClerk;
use clerk_claims::verify::decode_unverified;
use clerk_claims::{ClerkClaims, Verifier};
use clerk_claims_examples::offline::{self, Error, check};
use clerk_claims_examples::{SUPABASE_LOCAL_JWT_SECRET, SupabaseHs256Claims};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    offline::exit_code("supabase", run().await)
}

/// What Supabase has: the JWT secret, and the Clerk instance's issuer.
fn supabase_verifier(fake: &FakeClerk, template: &str, secret: &str) -> Result<Verifier, Error> {
    Ok(Verifier::builder()
        .template_key(template, Algorithm::HS256, Key::hmac(secret)?)
        .issuer(fake.frontend_api_url())
        .build()?)
}

async fn run() -> Result<bool, Error> {
    let fake = FakeClerk::builder().start()?;
    let api = fake.api()?;
    let template = SupabaseHs256Claims::jwt_template();
    let pushed = api
        .upsert_template_with_key(&template, SUPABASE_LOCAL_JWT_SECRET)
        .await?;
    println!(
        "1. pushed {:?} with a custom signing key ({}, custom_signing_key={}):",
        template.name,
        pushed.resource().signing_algorithm,
        pushed.resource().custom_signing_key
    );
    println!("{}", template.to_json_pretty());

    let jwt = api
        .create_template_token("sess_2alice_acme", &template.name, None)
        .await?;
    let header = decode_unverified(&jwt)?.header;
    println!(
        "2. minted a token; header {}",
        serde_json::Value::Object(header.clone())
    );
    let mut all = check(
        header.get("alg").and_then(|a| a.as_str()) == Some("HS256") && !header.contains_key("kid"),
        "HS256 and no `kid`: a custom-key token, not signed by the instance key",
    );

    println!("3. verified as Supabase does, with the JWT secret only:");
    let verified = supabase_verifier(&fake, &template.name, SUPABASE_LOCAL_JWT_SECRET)?
        .verify::<SupabaseHs256Claims>(&jwt)
        .await?;
    println!(
        "   sub={} role={} aud={} email={:?} (expires in {} s)",
        verified.sub,
        verified.role,
        verified.aud,
        verified.email,
        verified.exp - verified.iat.unwrap_or(verified.exp)
    );
    all &= check(
        verified.role == "authenticated" && verified.aud == "authenticated",
        "PostgREST's role and audience",
    );

    let other = "another-project-secret-of-at-least-32-characters!";
    let rejected = supabase_verifier(&fake, &template.name, other)?
        .verify::<SupabaseHs256Claims>(&jwt)
        .await;
    all &= check(
        rejected
            .as_ref()
            .is_err_and(|e| e.reason() == clerk_claims::Reason::TokenInvalidSignature),
        format!(
            "another project's secret rejects it ({})",
            rejected.err().map_or("accepted!", |e| e.reason().as_str())
        ),
    );
    Ok(all)
}
