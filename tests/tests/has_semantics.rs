//! `has()` rules beyond the fixture: typed and string entry points, the three-dimension
//! pass/fail/skip rule, reverification levels, the CLI `--has` syntax.

use clerk_claims::authorize::{Has, HasParseError, Reverification, VerificationLevel};
use clerk_claims::session::AuthObject;
use clerk_claims::{ClerkPermission, ClerkRole, SessionClaims};
use serde_json::json;

#[derive(ClerkRole, Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Role {
    #[clerk(key = "org:admin")]
    Admin,
    #[clerk(key = "org:member")]
    Member,
}

#[derive(ClerkPermission, Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Permission {
    #[clerk(key = "org:invoices:read")]
    InvoicesRead,
    #[clerk(key = "org:invoices:write")]
    InvoicesWrite,
}

fn session(payload: serde_json::Value) -> SessionClaims {
    serde_json::from_value(payload).expect("valid session payload")
}

fn admin_v2() -> SessionClaims {
    session(json!({
        "sub": "user_1", "sid": "sess_1", "exp": 1_900_000_000, "v": 2,
        "fea": "o:invoices,u:export", "pla": "o:team",
        "fva": [3, 12],
        "o": {"id": "org_1", "slg": "acme", "rol": "admin", "per": "read,write", "fpm": "1"}
    }))
}

#[test]
fn typed_role_and_permission_checks_use_the_declared_keys() {
    let claims = admin_v2();
    assert!(claims.has_role(Role::Admin));
    assert!(!claims.has_role(Role::Member));
    assert!(claims.has_permission(Permission::InvoicesRead));
    assert!(!claims.has_permission(Permission::InvoicesWrite));
}

#[test]
fn legacy_unprefixed_v1_role_matches_prefixed_key() {
    let claims = session(json!({
        "sub": "user_1", "sid": "sess_1", "exp": 1_900_000_000,
        "org_id": "org_1", "org_role": "admin", "org_permissions": ["org:invoices:read"]
    }));
    assert!(claims.has_role(Role::Admin));
    assert!(claims.has_role_key("org:admin"));
    assert!(claims.has_role_key("admin"));
    assert!(claims.has_role_key("org:org:admin"));
    assert!(claims.has_permission_key("invoices:read"));
    assert!(!claims.has_permission_key("org:invoices"));
}

#[test]
fn org_checks_fail_without_an_active_organization() {
    let claims = session(json!({"sub": "user_1", "sid": "sess_1", "exp": 1_900_000_000, "v": 2}));
    assert!(!claims.has_role(Role::Admin));
    assert!(!claims.has_permission(Permission::InvoicesRead));
    assert_eq!(claims.auth().org_permissions, None);
}

#[test]
fn features_and_plans_respect_scope() {
    let claims = admin_v2();
    assert!(claims.has_feature("invoices"));
    assert!(claims.has_feature("o:invoices"));
    assert!(claims.has_feature("organization:invoices"));
    assert!(!claims.has_feature("u:invoices"));
    assert!(claims.has_feature("user:export"));
    assert!(!claims.has_feature("org:export"));
    assert!(!claims.has_feature("team:export"), "an unknown scope fails");
    assert!(claims.has_plan("team"));
    assert!(!claims.has_plan("u:team"));
}

#[test]
fn a_feature_claim_without_scopes_fails_every_feature_check() {
    let claims = session(json!({"sub": "u", "exp": 1, "v": 2, "pla": "free_user,plus_user"}));
    assert!(!claims.has_plan("free_user"));
    assert!(!claims.has_plan("plus_user"));
}

#[test]
fn dimensions_are_anded_and_an_empty_check_is_false() {
    let claims = admin_v2();
    assert!(!claims.has(&Has::new()));
    assert!(claims.has(&Has::new().role("org:admin").feature("invoices")));
    assert!(!claims.has(&Has::new().role("org:admin").feature("missing")));
    assert!(
        !claims.has(
            &Has::new()
                .role("org:admin")
                .permission("org:invoices:write")
        )
    );
    assert!(
        claims.has(
            &Has::new()
                .permission("org:invoices:read")
                .reverification(Reverification::Lax)
        )
    );
    // fva = [3, 12]: the second factor is 12 minutes old, too old for `strict` (10).
    assert!(
        !claims.has(
            &Has::new()
                .role("org:admin")
                .reverification(Reverification::Strict)
        )
    );
}

#[test]
fn checks_without_a_user_are_false() {
    let auth = AuthObject {
        org_id: Some("org_1".into()),
        org_role: Some("org:admin".into()),
        ..AuthObject::default()
    };
    assert!(!auth.has_role_key("org:admin"));
    let auth = AuthObject {
        user_id: Some(String::new()),
        ..auth
    };
    assert!(
        !auth.has_role_key("org:admin"),
        "an empty user id is no user"
    );
}

fn ages(first: i64, second: i64) -> AuthObject {
    AuthObject {
        user_id: Some("user_1".into()),
        factor_verification_age: Some([first, second]),
        ..AuthObject::default()
    }
}

fn custom(level: VerificationLevel, after_minutes: u32) -> Reverification {
    Reverification::Custom {
        level,
        after_minutes,
    }
}

#[test]
fn reverification_levels_follow_clerks_factor_rules() {
    use VerificationLevel::*;
    // Second factor not enrolled: every level falls back to the first factor.
    assert!(ages(5, -1).has_reverification(custom(SecondFactor, 10)));
    assert!(ages(5, -1).has_reverification(custom(MultiFactor, 10)));
    assert!(!ages(15, -1).has_reverification(custom(MultiFactor, 10)));
    // First factor never verified: second_factor uses f2, multi_factor fails.
    assert!(ages(-1, 5).has_reverification(custom(SecondFactor, 10)));
    assert!(!ages(-1, 5).has_reverification(custom(MultiFactor, 10)));
    assert!(!ages(-1, 5).has_reverification(custom(FirstFactor, 10)));
    // Both enrolled.
    assert!(ages(50, 5).has_reverification(custom(SecondFactor, 10)));
    assert!(!ages(50, 5).has_reverification(custom(MultiFactor, 10)));
    assert!(ages(9, 9).has_reverification(Reverification::StrictMfa));
    // Fresh means strictly younger than the limit.
    assert!(!ages(10, 10).has_reverification(Reverification::Strict));
    assert!(ages(59, 59).has_reverification(Reverification::Moderate));
    assert!(ages(1439, 1439).has_reverification(Reverification::Lax));
    // Both -1, and ages other than -1 below zero, fail.
    assert!(!ages(-1, -1).has_reverification(Reverification::Lax));
    assert!(!ages(-2, 0).has_reverification(Reverification::Lax));
}

#[test]
fn reverification_without_fva_fails() {
    let auth = AuthObject {
        user_id: Some("user_1".into()),
        ..AuthObject::default()
    };
    assert!(!auth.has_reverification(Reverification::Lax));
}

#[test]
fn cli_has_syntax_parses_every_key() {
    let has: Has =
        "role=org:admin,permission=org:invoices:read,feature=o:dashboard,plan=pro,reverification=strict"
            .parse()
            .unwrap();
    assert_eq!(
        has,
        Has::new()
            .role("org:admin")
            .permission("org:invoices:read")
            .feature("o:dashboard")
            .plan("pro")
            .reverification(Reverification::Strict)
    );
    let has: Has = "reverification=second_factor/10".parse().unwrap();
    assert_eq!(
        has.reverification,
        Some(custom(VerificationLevel::SecondFactor, 10))
    );
}

#[test]
fn cli_has_syntax_errors_say_what_was_expected() {
    type IsExpected = fn(&HasParseError) -> bool;
    let cases: [(&str, IsExpected); 7] = [
        ("", |e| matches!(e, HasParseError::Empty)),
        ("role", |e| matches!(e, HasParseError::NotAPair(_))),
        (
            "rol=org:admin",
            |e| matches!(e, HasParseError::UnknownKey(k) if k == "rol"),
        ),
        ("role=a,role=b", |e| {
            matches!(e, HasParseError::Duplicate(_))
        }),
        ("plan=", |e| matches!(e, HasParseError::EmptyValue(_))),
        ("reverification=sometimes", |e| {
            matches!(e, HasParseError::Reverification(_))
        }),
        ("reverification=second_factor/0", |e| {
            matches!(e, HasParseError::Reverification(_))
        }),
    ];
    for (input, is_expected) in cases {
        let err = input.parse::<Has>().expect_err(input);
        assert!(is_expected(&err), "{input:?} gave {err:?}");
        assert!(!err.to_string().is_empty());
    }
    let err = "rol=x".parse::<Has>().unwrap_err().to_string();
    assert!(
        err.contains("expected role, permission, feature, plan or reverification"),
        "{err}"
    );
}
