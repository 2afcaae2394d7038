//! `verify::advice` on real rejections: tokens minted by a `FakeClerk`'s Backend API, verified
//! with the verifier's clock moved (as a machine whose clock is off), or with the keys of a
//! second `FakeClerk`; the Backend API's `Date` is the trusted time.

use std::time::Duration;

use clerk_claims::Clock;
use clerk_claims::testing::fake::FakeClerk;
use clerk_claims::verify::advice::{TokenContext, diagnose};
use clerk_claims::verify::{Reason, TokenKind, Verifier, decode_unverified};

const SESSION: &str = "sess_2alice_acme";

async fn minted(fake: &FakeClerk) -> String {
    fake.api()
        .expect("api")
        .create_session_token(SESSION, None)
        .await
        .expect("minted")
}

fn verifier_of(fake: &FakeClerk, clock: Clock) -> Verifier {
    Verifier::builder()
        .jwks_url(fake.jwks_url())
        .issuer(fake.frontend_api_url())
        .clock(clock)
        .build()
        .expect("a verifier")
}

#[tokio::test]
async fn a_fresh_token_on_a_verifier_clock_180_s_ahead_is_the_clock_off_by_about_180_s() {
    let fake = FakeClerk::start();
    let token = minted(&fake).await;
    let server = fake.api().expect("api").server_time().await;
    assert!(server.is_some(), "the Backend API answers with a Date");
    let clock = Clock::system();
    clock.advance(Duration::from_secs(180));
    let error = verifier_of(&fake, clock.clone())
        .verify_session(&token)
        .await
        .expect_err("expired on a clock 180 s ahead");
    assert_eq!(error.reason(), Reason::TokenExpired);
    let claims = decode_unverified(&token).expect("decodes").payload;
    let issuer = fake.frontend_api_url();
    let ctx = TokenContext::new(TokenKind::Session, clock.now())
        .issuer(Some(&issuer))
        .claims(Some(&claims))
        .server_time(server);
    let advice = diagnose(&error, &ctx);
    assert!(
        advice
            .cause
            .contains("this machine's clock is ahead by about 1"),
        "{advice:?}"
    );
    assert!(advice.fix.contains("NTP"), "{advice:?}");

    clock.rewind(Duration::from_secs(360));
    let error = verifier_of(&fake, clock.clone())
        .verify_session(&token)
        .await
        .expect_err("not valid yet on a clock 180 s behind");
    let ctx = TokenContext::new(TokenKind::Session, clock.now())
        .claims(Some(&claims))
        .server_time(server);
    let advice = diagnose(&error, &ctx);
    assert!(
        advice
            .cause
            .contains("this machine's clock is behind by about 1"),
        "{advice:?}"
    );
}

#[tokio::test]
async fn a_token_of_another_instance_is_named_that_before_its_reason() {
    let ours = FakeClerk::start();
    let theirs = FakeClerk::start();
    let token = minted(&theirs).await;
    let error = verifier_of(&ours, Clock::system())
        .verify_session(&token)
        .await
        .expect_err("another instance's token");
    assert_eq!(error.reason(), Reason::JwkKidMismatch);
    let claims = decode_unverified(&token).expect("decodes").payload;
    let issuer = ours.frontend_api_url();
    let ctx = TokenContext::new(TokenKind::Session, Clock::system().now())
        .issuer(Some(&issuer))
        .claims(Some(&claims));
    let advice = diagnose(&error, &ctx);
    assert!(
        advice.cause.starts_with(&format!(
            "this token was issued by {}, not your instance {issuer}",
            theirs.frontend_api_url()
        )),
        "{advice:?}"
    );
    assert!(advice.fix.contains("keys of one instance"), "{advice:?}");
}
