//! Template tokens cached and refreshed ahead of expiry (`api::TemplateTokens`):
//! `cargo run -p clerk-claims-examples --bin token_refresh`, fully offline.
//!
//! A backend calling Hasura or Supabase on a user's behalf needs a template token per call.
//! `TemplateTokens` keeps one per (session, template): served from the cache while fresh,
//! refreshed in the background once within the margin of `exp` (callers keep the still-valid
//! token), fetched by one request for all concurrent callers, never handed out expired.
//! Time is simulated: the fake's clock and the cache's clock move together.

use std::process::ExitCode;
use std::time::Duration;

use clerk_claims::api::TemplateTokens;
use clerk_claims::testing::fake::FakeClerk;
use clerk_claims::{ClerkClaims, Clock};
use clerk_claims_examples::ApiClaims;
use clerk_claims_examples::offline::{self, Error, check};

const SESSION: &str = "sess_2alice_acme";

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    offline::exit_code("token_refresh", run().await)
}

async fn run() -> Result<bool, Error> {
    let fake = FakeClerk::builder().start()?;
    let api = fake.api()?;
    let template = ApiClaims::jwt_template(); // lifetime 300 s
    api.upsert_template(&template).await?;

    // The cache's clock and the fake's move together: no waiting for a token to expire.
    let clock = Clock::system();
    let tokens = TemplateTokens::builder(api)
        .refresh_margin(Duration::from_secs(30))
        .clock(clock.clone())
        .build()?;
    let advance = |seconds: i64| {
        clock.advance(Duration::from_secs(seconds.unsigned_abs()));
        fake.advance_clock(seconds);
    };
    let path = format!("/v1/sessions/{SESSION}/tokens/{}", template.name);
    let mints = || fake.request_count("POST", &path);

    println!("1. twenty concurrent first calls:");
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let tokens = tokens.clone();
        let name = template.name.clone();
        set.spawn(async move { tokens.get(SESSION, &name).await });
    }
    let mut first = None;
    while let Some(done) = set.join_next().await {
        first = Some(done??);
    }
    let first = first.ok_or("no token")?;
    let mut all = check(
        mints() == 1,
        format!("one Backend API request ({})", mints()),
    );

    println!("2. a minute later:");
    advance(60);
    let t = tokens.get(SESSION, &template.name).await?;
    all &= check(t == first && mints() == 1, "the cached token, no request");

    println!("3. 20 s before exp (inside the 30 s margin):");
    advance(220);
    let t = tokens.get(SESSION, &template.name).await?;
    all &= check(t == first, "still the valid token, at once");
    let mut refreshed = None;
    for _ in 0..500 {
        if let Some(t) = tokens
            .cached(SESSION, &template.name)
            .filter(|t| *t != first)
        {
            refreshed = Some(t);
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let refreshed = refreshed.ok_or("the background refresh did not land")?;
    all &= check(
        refreshed.expires_at > first.expires_at && mints() == 2,
        format!(
            "refreshed in the background: exp {} -> {} ({} requests)",
            first.expires_at,
            refreshed.expires_at,
            mints()
        ),
    );

    println!("4. long after exp, with the Backend API failing:");
    advance(1000);
    fake.inject(clerk_claims::testing::fake::Fault::status(503).on(path.clone()));
    let failed = tokens.get(SESSION, &template.name).await;
    all &= check(
        failed.as_ref().is_err_and(|e| e.status() == Some(503)),
        "an error, never the expired token",
    );
    fake.clear_faults();
    let t = tokens.get(SESSION, &template.name).await?;
    all &= check(
        t.expires_in(clock.now()) > 0,
        format!(
            "once Clerk answers: a new token, {} s left",
            template.lifetime
        ),
    );
    Ok(all)
}
