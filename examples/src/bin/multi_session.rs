//! One user signed in on several devices: `cargo run -p clerk-claims-examples --bin
//! multi_session`, fully offline.
//!
//! Lists Alice's sessions across her clients (laptop, phone), verifies a session token from
//! each (different session, different active organization), then "signs out everywhere else"
//! keeping the laptop. The phone can no longer get tokens; its last token still verifies until
//! it expires, because networkless verification cannot see a revocation: that is why Clerk's
//! session tokens live 60 s.

use std::process::ExitCode;

use clerk_claims::api::SessionStatus;
use clerk_claims::testing::fake::FakeClerk;
use clerk_claims_examples::offline::{self, Error, check};

const USER: &str = "user_2alice";
const KEEP: &str = "sess_2alice_acme";

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    offline::exit_code("multi_session", run().await)
}

async fn run() -> Result<bool, Error> {
    let fake = FakeClerk::builder().start()?;
    let api = fake.api()?;
    let verifier = offline::verifier(&fake)?;

    let sessions = api.user_sessions(USER, None).await?;
    println!("1. {USER} has {} session(s):", sessions.len());
    for s in &sessions {
        println!(
            "   {:<22} {:<8} client={} org={}",
            s.id,
            s.status.as_str(),
            s.client_id,
            s.last_active_organization_id.as_deref().unwrap_or("-")
        );
    }
    let active: Vec<_> = sessions
        .iter()
        .filter(|s| s.status == SessionStatus::Active)
        .collect();
    let mut all = check(active.len() >= 2, "signed in on more than one device");

    println!("2. a session token from each active session:");
    let mut last_tokens = Vec::new();
    for s in &active {
        let jwt = api.create_session_token(&s.id, None).await?;
        let v = verifier.verify_session(&jwt).await?;
        println!(
            "   {}: sid={} org={}",
            s.client_id,
            v.claims.session_id().unwrap_or("-"),
            v.claims.auth().org_id.as_deref().unwrap_or("-")
        );
        all &= check(
            v.claims.session_id() == Some(s.id.as_str()),
            "the token names its own session",
        );
        last_tokens.push((s.id.clone(), jwt));
    }

    println!("3. sign out everywhere except {KEEP}:");
    let done = api.revoke_other_sessions(USER, KEEP).await?;
    all &= check(done.is_complete(), "every other session revoked");
    for s in &done.revoked {
        println!("   revoked {} (client {})", s.id, s.client_id);
    }
    let still_active = api.user_sessions(USER, Some(SessionStatus::Active)).await?;
    all &= check(
        still_active.len() == 1 && still_active.iter().all(|s| s.id == KEEP),
        format!("only {KEEP} is active"),
    );

    println!("4. after the revocation:");
    for (id, jwt) in &last_tokens {
        let mint = api.create_session_token(id, None).await;
        let verifies = verifier.verify_session(jwt).await.is_ok();
        if id == KEEP {
            all &= check(mint.is_ok(), format!("{id} still gets new tokens"));
        } else {
            all &= check(
                mint.as_ref().is_err_and(|e| e.is_not_found()),
                format!("{id} gets no new token (404)"),
            );
            println!(
                "   {id}'s last token still verifies: {verifies} (until its exp; keep token \
                 lifetimes short, or check the session with the Backend API for sensitive actions)"
            );
        }
    }
    Ok(all)
}
