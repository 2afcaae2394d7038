//! The README's first command, fully offline:
//! `cargo run -p clerk-claims-examples --bin quickstart`.
//!
//! Starts an embedded fake Clerk, pushes the `api` template derived from `ApiClaims`, mints a
//! template token for a seeded user through the Backend API endpoint, verifies it into
//! `ApiClaims`, prints the claims and RBAC decisions, then shows drift: a token from an older
//! dashboard template fails with `claims-mismatch`, naming the claim and the expression the
//! code expects.

use std::process::ExitCode;

use clerk_claims::testing::fake::FakeClerk;
use clerk_claims::{ClerkClaims, Verifier};
use clerk_claims_examples::{ApiClaims, Permission, Role};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("quickstart: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    // 1. A fake Clerk on loopback, seeded with users, an organization and sessions.
    let fake = FakeClerk::builder().start()?;
    let api = fake.api()?;
    println!(
        "1. fake Clerk at {} (issuer {})",
        fake.url(),
        fake.frontend_api_url()
    );

    // 2. The dashboard template, straight from the Rust type.
    let template = ApiClaims::jwt_template();
    let pushed = api.upsert_template(&template).await?;
    println!(
        "2. pushed template {:?} ({}):",
        template.name,
        pushed.resource().id
    );
    println!("{}", template.to_json_pretty());

    // 3. A template token for Alice's session in the Acme organization.
    let session = "sess_2alice_acme";
    let jwt = api
        .create_template_token(session, &template.name, None)
        .await?;
    let preview: String = jwt.chars().take(40).collect();
    println!(
        "3. minted a {:?} token for {session}: {preview}…",
        template.name
    );

    // 4. Verify it the way a backend would, into the typed claims.
    let verifier = Verifier::builder()
        .jwks_url(fake.jwks_url())
        .issuer(fake.frontend_api_url())
        .build()?;
    let claims = verifier.verify::<ApiClaims>(&jwt).await?;
    println!("4. verified token of {}:", claims.sub);
    println!("{:#?}", *claims);
    println!(
        "   require_role(Admin)                -> {:?}",
        claims.require_role(Role::Admin)
    );
    println!(
        "   require_permission(InvoicesWrite)  -> {:?}",
        claims.require_permission(Permission::InvoicesWrite)
    );
    println!(
        "   has_role(Member)                   -> {}",
        claims.has_role(Role::Member)
    );

    // 5. Drift: the dashboard still holds an older template without `plan`.
    let mut older = template.clone();
    if let Some(obj) = older.claims.as_object_mut() {
        obj.remove("plan");
    }
    api.upsert_template(&older).await?;
    let stale = api
        .create_template_token(session, &template.name, None)
        .await?;
    match verifier.verify::<ApiClaims>(&stale).await {
        Ok(_) => return Err("a token of the older template was accepted".into()),
        Err(e) => {
            println!("5. token from the older dashboard template:");
            println!("   rejected with {}: {e}", e.reason());
        }
    }
    Ok(())
}
