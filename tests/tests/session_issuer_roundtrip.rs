//! `SessionClaims` against tokens minted by `TestIssuer` (an independent encoder of Clerk's v2
//! `o.per`/`o.fpm`): signed v1 and v2 tokens give the same auth object, and any permission
//! set survives encode → decode.

use clerk_claims::SessionClaims;
use clerk_claims::session::SessionVersion;
use clerk_claims::testing::issuer::TestIssuer;
use proptest::prelude::*;

/// One instance for the whole file: RSA key generation dominates a test's cost otherwise.
fn issuer() -> &'static TestIssuer {
    static ISSUER: std::sync::OnceLock<TestIssuer> = std::sync::OnceLock::new();
    ISSUER.get_or_init(TestIssuer::new)
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[tokio::test]
async fn signed_v1_and_v2_tokens_normalize_to_the_same_organization() {
    let issuer = issuer();
    let verifier = issuer.verifier();
    let permissions = [
        "org:invoices:read",
        "org:invoices:write",
        "org:reports:read",
    ];
    let mint = |v1: bool| {
        let b = issuer
            .session()
            .user("user_1")
            .session_id("sess_1")
            .org("org_1", "acme", "admin");
        let b = b.permissions(permissions).fva(2, -1);
        if v1 { b.v1().mint() } else { b.mint() }
    };
    let v1 = verifier
        .verify_session(&mint(true))
        .await
        .expect("v1 verifies")
        .into_claims();
    let v2 = verifier
        .verify_session(&mint(false))
        .await
        .expect("v2 verifies")
        .into_claims();
    assert_eq!(
        (v1.version(), v2.version()),
        (SessionVersion::V1, SessionVersion::V2)
    );
    let (a1, a2) = (v1.auth(), v2.auth());
    assert_eq!(a1.user_id, a2.user_id);
    assert_eq!(a1.session_id, a2.session_id);
    assert_eq!(
        (&a1.org_id, &a1.org_slug, &a1.org_role),
        (&a2.org_id, &a2.org_slug, &a2.org_role)
    );
    assert_eq!(a2.org_role.as_deref(), Some("org:admin"));
    assert_eq!(
        sorted(a1.org_permissions.clone().unwrap()),
        sorted(a2.org_permissions.clone().unwrap())
    );
    assert_eq!(a1.factor_verification_age, a2.factor_verification_age);
    assert!(v2.has_permission_key("org:reports:read") && v1.has_permission_key("org:reports:read"));
}

#[tokio::test]
async fn far_future_session_token_verifies_with_i64_timestamps() {
    let issuer = issuer();
    // Issued in 2100, checked as of 2100: beyond i32 seconds (2038).
    let iat = 4_102_444_800;
    let token = issuer.session().user("user_1").issued_at(iat).mint();
    let verifier = issuer.verifier_builder().now(iat).build().unwrap();
    let claims = verifier
        .verify_session(&token)
        .await
        .expect("verifies in 2100")
        .into_claims();
    assert_eq!(claims.issued_at(), Some(iat));
    assert!(claims.expires_at() > i64::from(i32::MAX));
}

fn permission() -> impl Strategy<Value = String> {
    ("[a-c]{1,2}", "(read|write|manage|x[0-9]{1,2})").prop_map(|(f, a)| format!("org:{f}:{a}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Up to 70 distinct actions, so masks exceed 64 bits.
    #[test]
    fn any_permission_set_survives_v2_encoding(
        permissions in proptest::collection::btree_set(permission(), 0..90),
        user_features in proptest::collection::vec("u:[d-f]{1,3}", 0..3),
    ) {
        let payload = issuer()
            .session()
            .user("user_1")
            .org("org_1", "acme", "member")
            .features(user_features)
            .permissions(permissions.iter().cloned())
            .payload();
        let claims = SessionClaims::from_payload(&payload).expect("issuer payloads parse");
        let decoded = sorted(claims.auth().org_permissions.clone().unwrap_or_default());
        prop_assert_eq!(decoded, permissions.into_iter().collect::<Vec<_>>());
    }
}

/// The issuer's clock sets `iat` of what it mints, and the verifier it builds reads the same
/// clock: moving it once expires the token for both.
#[tokio::test]
async fn the_issuers_clock_sets_iat_and_its_verifier_reads_the_same_clock() {
    const NOW: i64 = 1_767_225_600;
    let clock = clerk_claims::Clock::manual(NOW);
    let issuer = issuer().clone().with_clock(clock.clone());
    let token = issuer.session().user("user_clock").mint();
    let template = issuer.mint_template_payload(
        serde_json::Map::new(),
        &clerk_claims::testing::issuer::TemplateOptions::default(),
    );
    let verifier = issuer.verifier();
    let verified = verifier.verify_session(&token).await.expect("fresh");
    assert_eq!(verified.iat, Some(NOW));
    assert_eq!(verified.exp, NOW + 60);
    let payload = clerk_claims::verify::decode_unverified(&template)
        .expect("a JWT")
        .payload;
    assert_eq!(payload["iat"], serde_json::json!(NOW));
    clock.advance(std::time::Duration::from_secs(120));
    let err = verifier
        .verify_session(&token)
        .await
        .expect_err("expired on the shared clock");
    assert_eq!(err.reason(), clerk_claims::Reason::TokenExpired);
}
