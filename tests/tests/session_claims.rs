//! `SessionClaims` reading: required claims, typed errors, wide timestamps, the auth object's
//! JSON shape, custom session claims.

use clerk_claims::SessionClaims;
use clerk_claims::session::SessionError;
use serde_json::{Value, json};

fn payload(value: Value) -> serde_json::Map<String, Value> {
    value.as_object().expect("an object").clone()
}

#[test]
fn timestamps_after_2038_and_beyond_u32_are_read_exactly() {
    // 2100-01-01 and year ~2554, both beyond i32 (2038) and the latter beyond u32.
    for exp in [4_102_444_800_i64, 18_446_744_073_i64] {
        let claims = SessionClaims::from_payload(&payload(json!({
            "sub": "user_1", "sid": "sess_1", "exp": exp, "iat": exp - 60, "nbf": exp - 70
        })))
        .unwrap();
        assert_eq!(claims.expires_at(), exp);
        assert_eq!(claims.issued_at(), Some(exp - 60));
        assert_eq!(claims.not_before(), Some(exp - 70));
        assert_eq!(claims.expires_in(exp - 60), 60);
    }
}

#[test]
fn missing_sub_or_exp_is_a_typed_error() {
    let err = SessionClaims::from_payload(&payload(json!({"exp": 1}))).unwrap_err();
    assert!(
        matches!(err, SessionError::MissingClaim { claim: "sub", .. }),
        "{err:?}"
    );
    let err = SessionClaims::from_payload(&payload(json!({"sub": "u"}))).unwrap_err();
    assert!(
        matches!(err, SessionError::MissingClaim { claim: "exp", .. }),
        "{err:?}"
    );
}

#[test]
fn fractional_dates_read_in_whole_seconds_rounded_down_as_the_verifier_reports_them() {
    let claims = SessionClaims::from_payload(&payload(
        json!({"sub": "u", "exp": 1_767_225_660.9, "iat": 1.7672256e9, "nbf": 1_767_225_590.5}),
    ))
    .expect("any finite NumericDate");
    assert_eq!(claims.expires_at(), 1_767_225_660);
    assert_eq!(claims.issued_at(), Some(1_767_225_600));
    assert_eq!(claims.not_before(), Some(1_767_225_590));
}

#[test]
fn wrongly_typed_claims_name_the_claim_and_what_was_found() {
    let cases = [
        (json!({"sub": 7, "exp": 1}), "sub"),
        (json!({"sub": "u", "exp": "soon"}), "exp"),
        (json!({"sub": "u", "exp": 1e300}), "exp"),
        (json!({"sub": "u", "exp": 1, "fva": [1]}), "fva"),
        (json!({"sub": "u", "exp": 1, "fva": [1, "2"]}), "fva"),
        (json!({"sub": "u", "exp": 1, "act": {"iss": "x"}}), "act"),
        (json!({"sub": "u", "exp": 1, "v": 2, "o": "org_1"}), "o"),
        (
            json!({"sub": "u", "exp": 1, "v": 2, "o": {"fpm": 3}}),
            "o.fpm",
        ),
        (
            json!({"sub": "u", "exp": 1, "org_permissions": "org:a:b"}),
            "org_permissions",
        ),
    ];
    for (value, claim) in cases {
        let err = SessionClaims::from_payload(&payload(value.clone())).unwrap_err();
        match &err {
            SessionError::InvalidClaim {
                claim: c, found, ..
            } => {
                assert_eq!(*c, claim, "{value}");
                assert!(err.to_string().contains(found.as_str()));
            }
            other => panic!("{value}: expected InvalidClaim for {claim}, got {other:?}"),
        }
    }
}

#[test]
fn feature_without_scope_in_a_v2_org_token_is_rejected() {
    let err = SessionClaims::from_payload(&payload(json!({
        "sub": "u", "exp": 1, "v": 2, "fea": "dashboard", "o": {"id": "org_1", "per": "read", "fpm": "1"}
    })))
    .unwrap_err();
    assert_eq!(
        err,
        SessionError::FeatureWithoutScope {
            element: "dashboard".into()
        }
    );
    assert!(err.to_string().contains("o:dashboard"));
}

#[test]
fn malformed_masks_grant_nothing_but_keep_alignment() {
    let claims = SessionClaims::from_payload(&payload(json!({
        "sub": "u", "exp": 1, "v": 2, "fea": "o:a,o:b",
        "o": {"id": "org_1", "rol": "admin", "per": "read", "fpm": "x,1"}
    })))
    .unwrap();
    assert_eq!(
        claims.auth().org_permissions,
        Some(vec!["org:b:read".to_owned()])
    );
}

#[test]
fn null_claims_count_as_absent() {
    let claims = SessionClaims::from_payload(&payload(json!({
        "sub": "u", "exp": 1, "sid": null, "fva": null, "act": null, "v": 2, "o": null
    })))
    .unwrap();
    assert_eq!(claims.session_id(), None);
    assert_eq!(claims.auth().factor_verification_age, None);
    assert_eq!(claims.auth().org_id, None);
}

#[test]
fn auth_object_serializes_with_every_key_and_null_for_absent_values() {
    let claims: SessionClaims = serde_json::from_value(json!({
        "sub": "user_1", "sid": "sess_1", "exp": 1, "v": 2, "fva": [0, -1],
        "act": {"sub": "user_admin", "iss": "https://dashboard.clerk.com", "sid": "sess_a"}
    }))
    .unwrap();
    let auth = serde_json::to_value(claims.auth()).unwrap();
    let keys: Vec<&str> = auth
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "user_id",
            "session_id",
            "session_status",
            "org_id",
            "org_role",
            "org_slug",
            "org_permissions",
            "features",
            "plans",
            "factor_verification_age",
            "actor"
        ]
    );
    assert_eq!(auth["user_id"], "user_1");
    assert_eq!(auth["org_id"], Value::Null);
    assert_eq!(auth["factor_verification_age"], json!([0, -1]));
    assert_eq!(auth["actor"]["sub"], "user_admin");
    let back: clerk_claims::session::AuthObject = serde_json::from_value(auth).unwrap();
    assert_eq!(&back, claims.auth());
}

#[test]
fn custom_session_claims_and_aud_are_kept() {
    let claims = SessionClaims::from_payload(&payload(json!({
        "sub": "u", "exp": 1, "iss": "https://clerk.example.com", "azp": "https://example.com",
        "aud": "api", "metadata": {"plan": "pro"}, "v": 2
    })))
    .unwrap();
    assert_eq!(claims.issuer(), Some("https://clerk.example.com"));
    assert_eq!(claims.authorized_party(), Some("https://example.com"));
    let custom: Vec<&str> = claims.custom_claims().keys().map(String::as_str).collect();
    assert_eq!(custom, ["aud", "metadata"]);
}

#[test]
fn pending_sessions_are_reported() {
    let claims =
        SessionClaims::from_payload(&payload(json!({"sub": "u", "exp": 1, "sts": "pending"})))
            .unwrap();
    assert!(claims.is_pending());
    assert_eq!(claims.session_status(), Some("pending"));
}

#[test]
fn deserialize_reports_the_session_error() {
    let err = serde_json::from_value::<SessionClaims>(json!({"exp": 1})).unwrap_err();
    assert!(err.to_string().contains("no `sub` claim"), "{err}");
    let err = SessionClaims::from_json(b"[1]").unwrap_err();
    assert!(matches!(err, SessionError::NotAnObject { .. }));
}
