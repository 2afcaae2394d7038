//! RFC 7519 NumericDate: `exp`, `nbf` and `iat` are any finite JSON number, compared as Clerk
//! compares them (whole seconds, the fraction dropped as `Date#setUTCSeconds` drops it, then
//! milliseconds with the skew); non-numbers, negative `nbf`/`iat` and dates past year 9999 are
//! refused with Clerk's reason for a bad date claim, a negative `exp` is long expired.

use clerk_claims::testing::issuer::TestIssuer;
use clerk_claims::verify::{CATEGORY_SESSION, Reason, TokenKind};
use serde_json::{Value, json};

const NOW: i64 = 1_767_225_600;

fn token(issuer: &TestIssuer, dates: Value) -> String {
    let mut payload = json!({
        "sub": "user_1", "sid": "sess_1", "iss": issuer.issuer(), "v": 2,
        "exp": NOW + 60, "iat": NOW, "nbf": NOW - 10,
    });
    if let (Some(payload), Some(dates)) = (payload.as_object_mut(), dates.as_object()) {
        payload.extend(dates.clone());
    }
    issuer.sign(&issuer.header(CATEGORY_SESSION), &payload)
}

/// The outcome of the session path and the raw path, which must agree.
async fn outcome(issuer: &TestIssuer, now: i64, dates: Value) -> Result<i64, Reason> {
    let verifier = issuer.verifier_builder().now(now).build().unwrap();
    let token = token(issuer, dates);
    let session = verifier
        .verify_session(&token)
        .await
        .map(|v| v.exp)
        .map_err(|e| e.reason());
    let raw = verifier
        .verify_payload(&token, TokenKind::Session)
        .await
        .map(|v| v.exp)
        .map_err(|e| e.reason());
    assert_eq!(session, raw, "the session and raw readings agree");
    session
}

#[tokio::test]
async fn fractional_and_exponent_numeric_dates_are_accepted() {
    let issuer = TestIssuer::new();
    for exp in [
        json!(1_767_225_660.5),
        json!(1.76722566e9),
        json!(1767225660.0),
    ] {
        let got = outcome(&issuer, NOW, json!({ "exp": exp, "iat": 1.7672256e9 })).await;
        assert_eq!(got, Ok(NOW + 60), "exp {exp}");
    }
    let got = outcome(&issuer, NOW, json!({ "nbf": 1_767_225_590.25 })).await;
    assert_eq!(got, Ok(NOW + 60));
}

#[tokio::test]
async fn a_fractional_exp_loses_its_fraction_as_in_clerks_sdk() {
    let issuer = TestIssuer::new();
    // exp = NOW + 0.5 s reads as NOW (Clerk's `setUTCSeconds` truncates); with the 5 s skew it
    // is expired once now - 5 s >= NOW.
    let dates = json!({ "exp": NOW as f64 + 0.5, "iat": NOW - 60, "nbf": NOW - 70 });
    assert!(outcome(&issuer, NOW + 4, dates.clone()).await.is_ok());
    assert_eq!(
        outcome(&issuer, NOW + 5, dates).await,
        Err(Reason::TokenExpired)
    );
}

#[tokio::test]
async fn a_fractional_nbf_or_iat_loses_its_fraction_as_in_clerks_sdk() {
    let issuer = TestIssuer::new();
    // nbf = NOW + 5.5 s reads as NOW + 5: not later than now plus the 5 s skew, so active.
    let nbf = json!({ "nbf": NOW as f64 + 5.5, "iat": NOW - 60 });
    assert!(outcome(&issuer, NOW, nbf).await.is_ok());
    let nbf = json!({ "nbf": NOW as f64 + 6.5, "iat": NOW - 60 });
    assert_eq!(
        outcome(&issuer, NOW, nbf).await,
        Err(Reason::TokenNotActiveYet)
    );
    let iat = json!({ "iat": NOW as f64 + 5.9, "nbf": NOW - 60 });
    assert!(outcome(&issuer, NOW, iat).await.is_ok());
    let iat = json!({ "iat": NOW as f64 + 6.1, "nbf": NOW - 60 });
    assert_eq!(
        outcome(&issuer, NOW, iat).await,
        Err(Reason::TokenIatInTheFuture)
    );
}

#[tokio::test]
async fn negative_exp_is_expired_as_clerk_finds() {
    let issuer = TestIssuer::new();
    let got = outcome(&issuer, NOW, json!({ "exp": -1 })).await;
    assert_eq!(got, Err(Reason::TokenExpired));
}

#[tokio::test]
async fn non_numbers_and_absurd_dates_are_token_verification_failed() {
    let issuer = TestIssuer::new();
    for dates in [
        json!({ "exp": "1767225660" }),
        json!({ "exp": null }),
        json!({ "exp": true }),
        json!({ "exp": [NOW + 60] }),
        json!({ "exp": 1e300 }),
        json!({ "exp": 253_402_300_800_i64 }),
        json!({ "nbf": -1 }),
        json!({ "iat": -1.5 }),
        json!({ "nbf": "soon" }),
        json!({ "iat": {} }),
    ] {
        let got = outcome(&issuer, NOW, dates.clone()).await;
        assert_eq!(got, Err(Reason::TokenVerificationFailed), "{dates}");
    }
}

#[tokio::test]
async fn a_missing_exp_is_token_verification_failed() {
    let issuer = TestIssuer::new();
    let verifier = issuer.verifier_builder().now(NOW).build().unwrap();
    let payload = json!({ "sub": "user_1", "iss": issuer.issuer(), "iat": NOW });
    let token = issuer.sign(&issuer.header(CATEGORY_SESSION), &payload);
    let err = verifier.verify_session(&token).await.unwrap_err();
    assert_eq!(err.reason(), Reason::TokenVerificationFailed);
}
