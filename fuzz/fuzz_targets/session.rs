//! Session claims read from an arbitrary payload, and `has()` questions parsed from arbitrary
//! text (the CLI syntax, and Clerk's JS parameter object in JSON) and asked of those claims.
//! Input: `question` `\n` `payload` (a question alone is asked of an empty session).
#![no_main]

use std::str::FromStr;

use clerk_claims::SessionClaims;
use clerk_claims::authorize::{Has, Reverification};
use clerk_claims_fuzz as fz;
use libfuzzer_sys::fuzz_target;

fn ask(claims: &SessionClaims, has: &Has) {
    let answer = claims.has(has);
    let _ = claims.auth().has(has);
    // A question that holds still holds with a part taken away (every part must hold).
    if answer && has.role.is_some() && (has.permission.is_some() || has.plan.is_some()) {
        let fewer = Has {
            role: None,
            ..has.clone()
        };
        assert!(claims.has(&fewer), "dropping a part made {has:?} fail");
    }
    if let Some(role) = &has.role {
        let _ = claims.has_role_key(role);
    }
    if let Some(permission) = &has.permission {
        let _ = claims.has_permission_key(permission);
    }
    if let Some(feature) = &has.feature {
        let _ = claims.has_feature(feature);
    }
    if let Some(plan) = &has.plan {
        let _ = claims.has_plan(plan);
    }
    if let Some(r) = has.reverification {
        let _ = claims.has_reverification(r);
    }
}

fuzz_target!(|data: &[u8]| {
    let (question, payload) = fz::split_once(data, b'\n');
    let question = String::from_utf8_lossy(question);
    let claims = match payload {
        Some(payload) => match SessionClaims::from_json(payload) {
            Ok(claims) => claims,
            Err(e) => {
                let _ = e.to_string();
                return;
            }
        },
        None => match SessionClaims::from_json(br#"{"sub":"user_1","exp":1}"#) {
            Ok(claims) => claims,
            Err(e) => panic!("a minimal session does not read: {e}"),
        },
    };
    let _ = (claims.user_id(), claims.session_id(), claims.org_claim());
    let auth = claims.auth();
    let _ = (
        auth.is_pending(),
        auth.feature_list().count(),
        auth.plan_list().count(),
    );
    let _ = Reverification::from_str(&question);
    let parsed = Has::from_str(&question);
    match &parsed {
        Ok(has) => {
            ask(&claims, has);
            // The CLI syntax prints back as the same question.
            let printed = has.to_string();
            assert_eq!(
                Has::from_str(&printed).as_ref(),
                Ok(has),
                "{printed:?} reads otherwise"
            );
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
    if let Ok(has) = serde_json::from_str::<Has>(&question) {
        ask(&claims, &has);
    }
});
