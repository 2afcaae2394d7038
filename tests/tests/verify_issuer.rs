//! The verifier against tokens minted by `TestIssuer`: session and template categories,
//! custom-key templates, issuer, rotation, audience, cookies, drift, and the local-key
//! future completing on its first poll.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use clerk_claims::jwks::Algorithm;
use clerk_claims::source::{FoundToken, TokenCarrier};
use clerk_claims::testing::issuer::TestIssuer;
use clerk_claims::verify::TokenKind;
use clerk_claims::{ClaimInfo, ClerkClaims, JwtTemplate};
use serde::{Deserialize, Serialize};

/// A hand-written `ClerkClaims` type (what the derive generates, minus diagnostics).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ApiClaims {
    email: Option<String>,
    plan: String,
}

impl ClerkClaims for ApiClaims {
    const TEMPLATE_NAME: Option<&'static str> = Some("api");
    fn jwt_template() -> JwtTemplate {
        JwtTemplate {
            name: "api".into(),
            claims: serde_json::json!({ "email": "{{user.primary_email_address}}", "plan": "{{user.public_metadata.plan || 'free'}}" }),
            lifetime: 300,
            allowed_clock_skew: 5,
            signing_algorithm: None,
            session_token: false,
        }
    }
    fn claim_info() -> &'static [ClaimInfo] {
        &[
            ClaimInfo {
                claim: "email",
                expression: "{{user.primary_email_address}}",
                nullable: true,
            },
            ClaimInfo {
                claim: "plan",
                expression: "{{user.public_metadata.plan || 'free'}}",
                nullable: false,
            },
        ]
    }
}

fn api_claims() -> ApiClaims {
    ApiClaims {
        email: Some("ada@example.com".into()),
        plan: "pro".into(),
    }
}

#[tokio::test]
async fn v2_session_token_verifies_and_decodes_org_permissions() {
    let issuer = TestIssuer::new();
    let token = issuer
        .session()
        .user("user_1")
        .session_id("sess_1")
        .org("org_1", "acme", "admin")
        .features(["u:export"])
        .permissions([
            "org:invoices:read",
            "org:invoices:write",
            "org:reports:read",
        ])
        .plans(["o:pro"])
        .status("active")
        .fva(3, -1)
        .azp("https://app.example.com")
        .mint();
    let verified = issuer
        .verifier()
        .verify_session(&token)
        .await
        .expect("valid session token");
    assert_eq!(verified.sub, "user_1");
    assert_eq!(verified.sid.as_deref(), Some("sess_1"));
    assert_eq!(verified.category.as_deref(), Some("cl_B7d4PD111AAA"));
    assert_eq!(verified.kid.as_deref(), Some(issuer.kid()));
    let auth = verified.claims.auth();
    assert_eq!(auth.org_role.as_deref(), Some("org:admin"));
    let mut permissions = auth.org_permissions.clone().unwrap_or_default();
    permissions.sort();
    assert_eq!(
        permissions,
        [
            "org:invoices:read",
            "org:invoices:write",
            "org:reports:read"
        ]
    );
    assert_eq!(auth.factor_verification_age, Some([3, -1]));
}

#[tokio::test]
async fn v1_session_token_gives_the_same_auth_object_as_v2() {
    let issuer = TestIssuer::new();
    let build = || {
        issuer
            .session()
            .user("user_1")
            .session_id("sess_1")
            .org("org_1", "acme", "admin")
            .permissions(["org:invoices:read"])
    };
    let verifier = issuer.verifier();
    let v1 = verifier
        .verify_session(&build().v1().mint())
        .await
        .expect("v1 verifies");
    let v2 = verifier
        .verify_session(&build().mint())
        .await
        .expect("v2 verifies");
    assert_eq!(
        v1.claims.auth().org_permissions,
        v2.claims.auth().org_permissions
    );
    assert_eq!(v1.claims.auth().org_role, v2.claims.auth().org_role);
}

#[tokio::test]
async fn template_token_verifies_as_its_claims_type() {
    let issuer = TestIssuer::new();
    let token = issuer
        .template_token(&api_claims())
        .user("user_2")
        .azp("https://app.example.com")
        .mint();
    let verified = issuer
        .verifier()
        .verify::<ApiClaims>(&token)
        .await
        .expect("template token verifies");
    assert_eq!(verified.claims, api_claims());
    assert_eq!(verified.plan, "pro", "Deref reaches the typed claims");
    assert_eq!(
        verified.exp - verified.iat.unwrap_or(0),
        300,
        "lifetime from jwt_template()"
    );
    assert_eq!(
        verified.nbf,
        verified.iat.map(|t| t - 5),
        "nbf = iat - allowed_clock_skew"
    );
}

#[tokio::test]
async fn template_token_presented_as_session_token_is_a_type_mismatch() {
    let issuer = TestIssuer::new();
    let token = issuer.template_token(&api_claims()).mint();
    let err = issuer
        .verifier()
        .verify_session(&token)
        .await
        .expect_err("not a session token");
    assert_eq!(err.reason(), "token-type-mismatch");
    let err = issuer
        .verifier()
        .verify_payload(&token, TokenKind::Session)
        .await
        .expect_err("not a session token");
    assert_eq!(err.reason(), "token-type-mismatch");
}

#[tokio::test]
async fn session_token_presented_as_template_token_is_a_type_mismatch() {
    let issuer = TestIssuer::new();
    let token = issuer.session().mint();
    let err = issuer
        .verifier()
        .verify::<ApiClaims>(&token)
        .await
        .expect_err("not a template token");
    assert_eq!(err.reason(), "token-type-mismatch");
}

#[tokio::test]
async fn template_payload_missing_a_claim_is_claims_mismatch() {
    let issuer = TestIssuer::new();
    // The template's own lifetime, so only the claims differ.
    let options = clerk_claims::testing::issuer::TemplateOptions {
        lifetime: ApiClaims::jwt_template().lifetime,
        ..Default::default()
    };
    let token = issuer.mint_template_payload(serde_json::Map::new(), &options);
    let err = issuer
        .verifier()
        .verify::<ApiClaims>(&token)
        .await
        .expect_err("plan is missing");
    assert_eq!(err.reason(), "claims-mismatch");
    assert!(
        err.to_string().contains("plan"),
        "the message names the claim: {err}"
    );
}

#[tokio::test]
async fn custom_key_templates_verify_only_with_their_configured_key() {
    let issuer = TestIssuer::new();
    for alg in [
        Algorithm::HS256,
        Algorithm::HS512,
        Algorithm::ES256,
        Algorithm::ES384,
        Algorithm::RS256,
    ] {
        let token = issuer.template_token(&api_claims()).custom_key(alg).mint();
        let plain = issuer
            .verifier()
            .verify::<ApiClaims>(&token)
            .await
            .expect_err("no template key configured");
        assert!(
            matches!(
                plain.reason().as_str(),
                "jwk-kid-mismatch" | "token-invalid-algorithm"
            ),
            "{alg}: {plain}"
        );
        let verifier = issuer
            .verifier_builder()
            .template_key("api", alg, issuer.custom_verification_key(alg))
            .build()
            .expect("builds");
        let verified = verifier
            .verify::<ApiClaims>(&token)
            .await
            .unwrap_or_else(|e| panic!("{alg}: {e}"));
        assert_eq!(verified.algorithm, alg);
        assert_eq!(verified.kid, None, "custom-key tokens carry no kid");
    }
}

#[tokio::test]
async fn a_template_key_pins_its_algorithm() {
    let issuer = TestIssuer::new();
    let token = issuer
        .template_token(&api_claims())
        .custom_key(Algorithm::HS384)
        .mint();
    let verifier = issuer
        .verifier_builder()
        .template_key(
            "api",
            Algorithm::HS256,
            issuer.custom_verification_key(Algorithm::HS256),
        )
        .build()
        .expect("builds");
    let err = verifier
        .verify::<ApiClaims>(&token)
        .await
        .expect_err("HS384 is not the template's algorithm");
    assert_eq!(err.reason(), "token-invalid-algorithm");
}

#[tokio::test]
async fn token_of_another_instance_is_rejected_with_token_invalid_issuer() {
    let ours = TestIssuer::new();
    let theirs = TestIssuer::with_frontend_api("other-instance.clerk.accounts.dev");
    // Same keys, other issuer: only the iss check can tell.
    let verifier = clerk_claims::Verifier::builder()
        .jwks(theirs.jwk_set())
        .issuer(ours.issuer())
        .build()
        .expect("builds");
    let err = verifier
        .verify_session(&theirs.session().mint())
        .await
        .expect_err("foreign iss");
    assert_eq!(err.reason(), "token-invalid-issuer");
}

#[tokio::test]
async fn an_issuer_list_accepts_any_of_its_issuers_and_refuses_the_rest_as_clerk_does() {
    let first = TestIssuer::new();
    let second = TestIssuer::with_frontend_api("second-instance.clerk.accounts.dev");
    let third = TestIssuer::with_frontend_api("third-instance.clerk.accounts.dev");
    // One key set, three issuers: only the iss check tells them apart.
    let verifier = clerk_claims::Verifier::builder()
        .jwks(first.jwk_set())
        .issuer(vec![first.issuer(), String::new(), second.issuer()])
        .build()
        .expect("builds");
    assert_eq!(verifier.issuers(), [first.issuer(), second.issuer()]);
    assert!(
        verifier
            .verify_session(&first.session().mint())
            .await
            .is_ok()
    );
    // One key, another `iss`.
    let with_iss = |iss: String| {
        let mut payload = first.session().payload();
        payload.insert("iss".into(), iss.into());
        first.sign(
            &first.header(clerk_claims::verify::CATEGORY_SESSION),
            &payload.into(),
        )
    };
    assert!(
        verifier
            .verify_session(&with_iss(second.issuer()))
            .await
            .is_ok()
    );
    let from_third = with_iss(third.issuer());
    let err = verifier
        .verify_session(&from_third)
        .await
        .expect_err("an issuer not in the list");
    assert_eq!(err.reason(), "token-invalid-issuer");
    // Clerk's message: the list joined by ",".
    assert!(
        err.to_string().ends_with(&format!(
            "Expected \"{},{}\"",
            first.issuer(),
            second.issuer()
        )),
        "{err}"
    );
    // One value, a `String`, a slice: the same builder method.
    let single: &[&str] = &["https://clerk.example"];
    for builder in [
        clerk_claims::Verifier::builder().issuer("https://clerk.example"),
        clerk_claims::Verifier::builder().issuer(String::from("https://clerk.example")),
        clerk_claims::Verifier::builder().issuer(single),
    ] {
        let verifier = builder.jwks(first.jwk_set()).build().expect("builds");
        assert_eq!(verifier.issuer(), Some("https://clerk.example"));
    }
}

#[tokio::test]
async fn publishable_key_sets_the_issuer() {
    let issuer = TestIssuer::new();
    let verifier = clerk_claims::Verifier::builder()
        .publishable_key(issuer.publishable_key())
        .jwks(issuer.jwk_set())
        .build()
        .expect("builds");
    assert_eq!(verifier.issuer(), Some(issuer.issuer().as_str()));
    assert!(
        verifier
            .verify_session(&issuer.session().mint())
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn rotated_key_keeps_old_tokens_valid_until_dropped() {
    let mut issuer = TestIssuer::new();
    let old = issuer.session().mint();
    issuer.rotate();
    let new = issuer.session().mint();
    assert!(issuer.verifier().verify_session(&old).await.is_ok());
    assert!(issuer.verifier().verify_session(&new).await.is_ok());
    issuer.drop_retired();
    let err = issuer
        .verifier()
        .verify_session(&old)
        .await
        .expect_err("old key dropped");
    assert_eq!(err.reason(), "jwk-kid-mismatch");
}

#[tokio::test]
async fn session_token_with_aud_needs_a_configured_audience() {
    let issuer = TestIssuer::new();
    let token = issuer.session().claim("aud", "authenticated").mint();
    let err = issuer
        .verifier()
        .verify_session(&token)
        .await
        .expect_err("aud not configured");
    assert_eq!(err.reason(), "token-verification-failed");
    let verifier = issuer
        .verifier_builder()
        .audience(["authenticated"])
        .build()
        .expect("builds");
    assert!(verifier.verify_session(&token).await.is_ok());
    let wrong = issuer
        .verifier_builder()
        .audience(["other"])
        .build()
        .expect("builds");
    assert_eq!(
        wrong
            .verify_session(&token)
            .await
            .map(|_| ())
            .map_err(|e| e.reason().as_str()),
        Err("token-verification-failed")
    );
}

#[tokio::test]
async fn cookie_tokens_need_azp_and_header_tokens_do_not() {
    let issuer = TestIssuer::new();
    let token = issuer.session().mint();
    let verifier = issuer.verifier();
    let header = FoundToken {
        token: &token,
        carrier: TokenCarrier::Header,
    };
    let cookie = FoundToken {
        token: &token,
        carrier: TokenCarrier::Cookie,
    };
    assert!(verifier.verify_session_found(header).await.is_ok());
    let err = verifier
        .verify_session_found(cookie)
        .await
        .expect_err("no azp in a cookie token");
    assert_eq!(err.reason(), "token-invalid-authorized-parties");
    let with_azp = issuer.session().azp("https://app.example.com").mint();
    let cookie = FoundToken {
        token: &with_azp,
        carrier: TokenCarrier::Cookie,
    };
    assert!(verifier.verify_session_found(cookie).await.is_ok());
}

#[tokio::test]
async fn expiry_uses_the_five_second_default_skew() {
    let issuer = TestIssuer::new();
    let iat = issuer.clock().now() - 1000;
    let token = issuer.session().issued_at(iat).lifetime(60).mint();
    let at = |now: i64| issuer.verifier_builder().now(now).build().expect("builds");
    assert!(
        at(iat + 64).verify_session(&token).await.is_ok(),
        "exp + 4 s is inside the skew"
    );
    assert_eq!(
        at(iat + 65)
            .verify_session(&token)
            .await
            .map(|_| ())
            .map_err(|e| e.reason().as_str()),
        Err("token-expired")
    );
    assert_eq!(
        at(iat - 16)
            .verify_session(&token)
            .await
            .map(|_| ())
            .map_err(|e| e.reason().as_str()),
        Err("token-not-active-yet")
    );
}

#[test]
fn verification_with_local_keys_completes_on_the_first_poll() {
    let issuer = TestIssuer::new();
    let token = issuer.session().mint();
    let verifier = issuer.verifier();
    let mut future = pin!(verifier.verify_session(&token));
    let mut cx = Context::from_waker(Waker::noop());
    match future.as_mut().poll(&mut cx) {
        Poll::Ready(result) => assert!(result.is_ok()),
        Poll::Pending => panic!("a local-key verification must not suspend"),
    }
}

#[tokio::test]
async fn error_messages_say_what_was_expected_and_what_was_found() {
    let issuer = TestIssuer::new();
    let verifier = issuer
        .verifier_builder()
        .authorized_parties(["https://app.example.com"])
        .build()
        .expect("builds");
    let token = issuer.session().azp("https://evil.example").mint();
    let err = verifier
        .verify_session(&token)
        .await
        .expect_err("wrong azp");
    let text = err.to_string();
    assert!(
        text.contains("https://evil.example") && text.contains("https://app.example.com"),
        "{text}"
    );
    assert_eq!(
        err.action(),
        "Make sure that this is a valid Clerk-generated JWT."
    );
    assert!(
        err.full_message()
            .ends_with("(reason=token-invalid-authorized-parties)")
    );
}
