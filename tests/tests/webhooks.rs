//! Webhook verification as Clerk's `verifyWebhook` (Standard Webhooks / Svix) does it: the
//! three `svix-*` headers, the 5-minute window both ways, any `v1` signature in constant time,
//! the exact raw body, then the typed event.

use std::path::PathBuf;

use axum::http::{HeaderMap, HeaderValue};
use clerk_claims::Clock;
use clerk_claims::webhooks::{
    MAX_SIGNATURE_HEADER_LEN, MAX_SIGNATURES, SecretError, Webhook, WebhookError, WebhookEvent,
};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const NOW: i64 = 1_767_225_600;

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/webhooks"))
        .join(format!("{name}.json"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

fn webhook() -> Webhook {
    Webhook::new(SECRET)
        .expect("valid secret")
        .with_clock(Clock::manual(NOW))
}

fn headers(id: &str, timestamp: &str, signature: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for (name, value) in [
        ("svix-id", id),
        ("svix-timestamp", timestamp),
        ("svix-signature", signature),
    ] {
        headers.insert(name, HeaderValue::from_str(value).expect("header value"));
    }
    headers
}

/// Headers of a delivery signed with `SECRET` at `timestamp`.
fn signed(id: &str, timestamp: i64, body: &[u8]) -> HeaderMap {
    let signature = webhook().sign(id, timestamp, body);
    headers(id, &timestamp.to_string(), &signature)
}

#[test]
fn signature_matches_the_standard_webhooks_reference_vector() {
    // The known answer of the Standard Webhooks reference libraries.
    let webhook = Webhook::new("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD").expect("secret");
    assert_eq!(
        webhook.sign(
            "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk",
            1_649_367_553,
            br#"{"email":"test@example.com","username":"test_user"}"#
        ),
        "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw="
    );
}

#[test]
fn valid_delivery_verifies_and_reads_the_typed_event() {
    let body = fixture("session.revoked");
    let message = webhook()
        .verify_message(&signed("msg_1", NOW, &body), &body)
        .expect("genuine delivery");
    assert_eq!(message.id, "msg_1");
    assert_eq!(message.timestamp, NOW);
    assert_eq!(message.instance_id.as_deref(), Some("ins_123"));
    assert_eq!(message.event_timestamp_ms, Some(1_654_623_120_736));
    assert_eq!(
        message.http_request.and_then(|r| r.user_agent).as_deref(),
        Some("Mozilla/5.0")
    );
    assert_eq!(message.event.event_type(), "session.revoked");
    let WebhookEvent::SessionRevoked(session) = &message.event else {
        panic!("expected SessionRevoked, got {:?}", message.event);
    };
    assert_eq!(session.id, "sess_2BOMvzFUmxITfAvEcgdcqMm5nDe");
    assert_eq!(session.user_id, "user_2BOMvyQ1YqmNxFhOnD0CukNxG7x");
    assert_eq!(session.status, "revoked");
    assert_eq!(
        message.event.ended_session().map(|s| s.id.as_str()),
        Some(session.id.as_str())
    );
}

#[test]
fn every_typed_family_reads_its_backend_api_object() {
    let read = |name: &str| {
        let body = fixture(name);
        webhook()
            .verify(&signed("msg_1", NOW, &body), &body)
            .unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    let event = read("user.created");
    assert_eq!(event.event_type(), "user.created");
    let WebhookEvent::UserCreated(user) = &event else {
        panic!("{event:?}")
    };
    assert_eq!(user.primary_email(), Some("example@example.org"));
    assert_eq!(user.public_metadata["plan"], "pro");
    assert_eq!(user.external_id.as_deref(), Some("567772"));
    // Fields without a typed home are kept, and the whole object round-trips.
    assert_eq!(user.other["password_enabled"], true);
    let sent: serde_json::Value = serde_json::from_slice(&fixture("user.created")).expect("json");
    let again = event.data();
    for (key, value) in sent["data"].as_object().expect("data object") {
        assert_eq!(&again[key], value, "{key} comes back as sent");
    }

    let WebhookEvent::UserDeleted(deleted) = read("user.deleted") else {
        panic!("user.deleted")
    };
    assert!(deleted.deleted);
    assert_eq!(
        deleted.id.as_deref(),
        Some("user_29w83sxmDNGwOuEthce5gg56FcC")
    );

    let WebhookEvent::OrganizationUpdated(org) = read("organization.updated") else {
        panic!("organization.updated")
    };
    assert_eq!(org.name, "Acme Corporation");
    assert_eq!(org.members_count, Some(3));

    let WebhookEvent::OrganizationMembershipCreated(membership) =
        read("organizationMembership.created")
    else {
        panic!("organizationMembership.created")
    };
    assert_eq!(membership.role, "org:admin");
    assert_eq!(membership.permissions, ["org:invoices:read"]);
    assert_eq!(membership.organization.slug.as_deref(), Some("acme-inc"));
    assert_eq!(
        membership.public_user_data.user_id,
        "user_29w83sxmDNGwOuEthce5gg56FcC"
    );
}

#[test]
fn an_unknown_event_type_is_kept_as_raw_json_with_its_type() {
    let body = fixture("email.created");
    let event = webhook()
        .verify(&signed("msg_1", NOW, &body), &body)
        .expect("genuine");
    assert_eq!(event.event_type(), "email.created");
    let WebhookEvent::Other { event_type, data } = &event else {
        panic!("{event:?}")
    };
    assert_eq!(event_type, "email.created");
    assert_eq!(data["slug"], "verification_code");
    assert!(event.ended_session().is_none());

    let body = br#"{"type":"subscriptionItem.freeTrialEnding","data":{"id":"csub_1"}}"#;
    let event = webhook()
        .verify(&signed("msg_2", NOW, body), body)
        .expect("genuine");
    assert_eq!(event.event_type(), "subscriptionItem.freeTrialEnding");
}

#[test]
fn tampered_body_fails_with_signature_does_not_match() {
    let body = fixture("session.revoked");
    let headers = signed("msg_1", NOW, &body);
    let mut tampered = body.clone();
    let at = tampered
        .windows(7)
        .position(|w| w == b"revoked")
        .expect("status in fixture");
    tampered[at..at + 7].copy_from_slice(b"active_");
    let err = webhook().verify(&headers, &tampered).unwrap_err();
    assert_eq!(
        err,
        WebhookError::SignatureMismatch {
            v1: 1,
            other_versions: vec![]
        }
    );
    assert!(
        err.to_string().contains("signature does not match"),
        "{err}"
    );

    // One byte more (a trailing newline a proxy added) is a different body.
    let mut longer = body.clone();
    longer.push(b'\n');
    assert!(matches!(
        webhook().verify(&headers, &longer),
        Err(WebhookError::SignatureMismatch { .. })
    ));
}

#[test]
fn tampered_id_or_timestamp_fails_with_signature_does_not_match() {
    let body = fixture("session.revoked");
    let signature = webhook().sign("msg_1", NOW, &body);
    let other_id = headers("msg_2", &NOW.to_string(), &signature);
    assert!(matches!(
        webhook().verify(&other_id, &body),
        Err(WebhookError::SignatureMismatch { v1: 1, .. })
    ));
    let other_time = headers("msg_1", &(NOW - 1).to_string(), &signature);
    assert!(matches!(
        webhook().verify(&other_time, &body),
        Err(WebhookError::SignatureMismatch { v1: 1, .. })
    ));
}

#[test]
fn a_delivery_signed_with_another_secret_fails() {
    let body = fixture("user.created");
    let other = Webhook::new("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD").expect("secret");
    let signature = other.sign("msg_1", NOW, &body);
    let err = webhook()
        .verify(&headers("msg_1", &NOW.to_string(), &signature), &body)
        .unwrap_err();
    assert!(
        matches!(err, WebhookError::SignatureMismatch { .. }),
        "{err}"
    );
}

#[test]
fn any_one_matching_v1_signature_among_several_accepts() {
    let body = fixture("user.created");
    let good = webhook().sign("msg_1", NOW, &body);
    let other = Webhook::new("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD").expect("secret");
    let rotated = other.sign("msg_1", NOW, &body);
    for header in [
        format!("{rotated} {good}"),
        format!("{good} {rotated}"),
        format!("v1a,bm90LWEtc2lnbmF0dXJl {rotated}  {good}"),
        format!("v1,not-base64!! {good}"),
    ] {
        let event = webhook().verify(&headers("msg_1", &NOW.to_string(), &header), &body);
        assert!(event.is_ok(), "{header}: {event:?}");
    }
    let err = webhook()
        .verify(
            &headers("msg_1", &NOW.to_string(), &format!("{rotated} {rotated}")),
            &body,
        )
        .unwrap_err();
    assert_eq!(
        err,
        WebhookError::SignatureMismatch {
            v1: 2,
            other_versions: vec![]
        }
    );
}

/// `count` well-formed `v1` entries that do not match a delivery of `msg_1` (signatures of
/// other ids).
fn wrong_signatures(count: usize) -> Vec<String> {
    (0..count)
        .map(|i| webhook().sign(&format!("msg_other{i}"), NOW, b"{}"))
        .collect()
}

#[test]
fn a_signature_header_longer_than_the_bound_is_refused_unread() {
    let body = fixture("user.created");
    let mut entries = wrong_signatures(7999);
    entries.push(webhook().sign("msg_1", NOW, &body));
    let header = entries.join(" ");
    let err = webhook()
        .verify(&headers("msg_1", &NOW.to_string(), &header), &body)
        .unwrap_err();
    assert_eq!(
        err,
        WebhookError::SignatureHeaderTooLong {
            len: header.len(),
            max: MAX_SIGNATURE_HEADER_LEN
        }
    );
    let message = err.to_string();
    assert!(
        message.contains(&format!("at most {MAX_SIGNATURE_HEADER_LEN} bytes"))
            && message.contains(&format!("found {} bytes", header.len())),
        "{message}"
    );
}

#[test]
fn more_v1_signatures_than_the_bound_are_refused_saying_how_many_and_the_bound() {
    let body = fixture("user.created");
    let good = webhook().sign("msg_1", NOW, &body);
    // The right one sixth: past the bound, never checked.
    let mut entries = wrong_signatures(MAX_SIGNATURES);
    entries.push(good);
    entries.extend(wrong_signatures(14));
    let err = webhook()
        .verify(
            &headers("msg_1", &NOW.to_string(), &entries.join(" ")),
            &body,
        )
        .unwrap_err();
    assert_eq!(
        err,
        WebhookError::TooManySignatures {
            sent: 20,
            max: MAX_SIGNATURES
        }
    );
    let message = err.to_string();
    assert!(
        message.contains("holds 20 v1 signatures, only the first 5 are checked"),
        "{message}"
    );
    // At the bound, nothing matching: the ordinary mismatch.
    let err = webhook()
        .verify(
            &headers(
                "msg_1",
                &NOW.to_string(),
                &wrong_signatures(MAX_SIGNATURES).join(" "),
            ),
            &body,
        )
        .unwrap_err();
    assert!(
        matches!(err, WebhookError::SignatureMismatch { v1: 5, .. }),
        "{err:?}"
    );
}

#[test]
fn a_valid_signature_within_the_bound_is_accepted_whatever_follows() {
    let body = fixture("user.created");
    let good = webhook().sign("msg_1", NOW, &body);
    // Last of the five checked, with other versions between (not counted).
    let mut entries = wrong_signatures(MAX_SIGNATURES - 1);
    entries.insert(2, "v1a,bm90LWEtc2lnbmF0dXJl".to_owned());
    entries.push(good.clone());
    let at_the_bound = entries.join(" ");
    assert!(
        webhook()
            .verify(&headers("msg_1", &NOW.to_string(), &at_the_bound), &body)
            .is_ok()
    );
    // First, followed by more than the bound (within the length bound): accepted.
    let mut entries = vec![good];
    entries.extend(wrong_signatures(30));
    let header = entries.join(" ");
    assert!(header.len() <= MAX_SIGNATURE_HEADER_LEN);
    assert!(
        webhook()
            .verify(&headers("msg_1", &NOW.to_string(), &header), &body)
            .is_ok()
    );
}

#[test]
fn rotation_with_two_secrets_still_verifies_with_either() {
    // Svix signs with the old and the new secret for a while after a rotation.
    let body = fixture("session.revoked");
    let old = webhook();
    let new = Webhook::new("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD")
        .expect("secret")
        .with_clock(Clock::manual(NOW));
    let header = format!(
        "{} {}",
        new.sign("msg_1", NOW, &body),
        old.sign("msg_1", NOW, &body)
    );
    let headers = headers("msg_1", &NOW.to_string(), &header);
    assert!(old.verify(&headers, &body).is_ok(), "the old secret");
    assert!(new.verify(&headers, &body).is_ok(), "the new secret");
}

mod dedup {
    use std::time::Duration;

    use clerk_claims::webhooks::Dedup;
    use clerk_claims::webhooks::dedup::DEFAULT_WINDOW;

    use super::*;

    fn deduped(clock: &Clock, dedup: Dedup) -> Webhook {
        Webhook::new(SECRET)
            .expect("secret")
            .with_clock(clock.clone())
            .dedup(dedup)
    }

    #[tokio::test]
    async fn a_second_delivery_of_an_id_is_a_duplicate_answered_200() {
        let clock = Clock::manual(NOW);
        let webhook = deduped(&clock, Dedup::memory());
        let body = fixture("user.created");
        let headers = signed("msg_1", NOW, &body);
        let message = webhook.receive(&headers, &body).await.expect("first");
        assert_eq!(message.id, "msg_1");
        let err = webhook.receive(&headers, &body).await.unwrap_err();
        assert_eq!(err, WebhookError::Duplicate { id: "msg_1".into() });
        assert_eq!(err.status(), 200);
        assert!(err.to_string().contains("already received"), "{err}");
        // A clone shares the store; another id is new; verify alone never consults it.
        let clone = webhook.clone();
        assert!(clone.receive(&headers, &body).await.is_err());
        let other = signed("msg_2", NOW, &body);
        assert!(clone.receive(&other, &body).await.is_ok());
        assert!(webhook.verify(&headers, &body).is_ok());
        // Refused deliveries claim nothing: a forgery of msg_3 first, then the real one.
        let forged = signed("msg_3", NOW, b"{}");
        assert!(matches!(
            webhook.receive(&forged, &body).await,
            Err(WebhookError::SignatureMismatch { .. })
        ));
        assert!(
            webhook
                .receive(&signed("msg_3", NOW, &body), &body)
                .await
                .is_ok()
        );
        assert_eq!(
            WebhookError::SignatureMismatch {
                v1: 1,
                other_versions: vec![]
            }
            .status(),
            400
        );
    }

    #[tokio::test]
    async fn an_id_expires_after_the_window_on_the_injected_clock() {
        let clock = Clock::manual(NOW);
        let webhook = deduped(&clock, Dedup::memory());
        let body = fixture("user.created");
        webhook
            .receive(&signed("msg_1", NOW, &body), &body)
            .await
            .expect("first");
        // Svix's retries are signed anew, at the time they are sent.
        let resend = |webhook: &Webhook| {
            let at = clock.now();
            let headers = signed("msg_1", at, &body);
            let webhook = webhook.clone();
            let body = body.clone();
            async move { webhook.receive(&headers, &body).await }
        };
        clock.advance(DEFAULT_WINDOW - Duration::from_secs(1));
        assert!(matches!(
            resend(&webhook).await,
            Err(WebhookError::Duplicate { .. })
        ));
        clock.advance(Duration::from_secs(1));
        assert!(resend(&webhook).await.is_ok(), "forgotten after the window");
        assert!(
            resend(&webhook).await.is_err(),
            "and remembered again from there"
        );

        // A longer window keeps ids longer; a shorter one is raised to the default.
        let clock = Clock::manual(NOW);
        let hour = deduped(&clock, Dedup::memory().window(Duration::from_secs(3600)));
        let short = deduped(&clock, Dedup::memory().window(Duration::from_secs(1)));
        for webhook in [&hour, &short] {
            webhook
                .receive(&signed("msg_1", NOW, &body), &body)
                .await
                .expect("first");
        }
        clock.advance(DEFAULT_WINDOW);
        assert!(resend(&hour).await.is_err(), "within the hour");
        assert!(resend(&short).await.is_ok(), "the default window ended");
    }

    #[tokio::test]
    async fn a_full_memory_store_drops_the_oldest_id_first() {
        let clock = Clock::manual(NOW);
        let webhook = deduped(&clock, Dedup::memory_with_capacity(2));
        let body = fixture("user.created");
        for id in ["msg_1", "msg_2", "msg_3"] {
            webhook
                .receive(&signed(id, NOW, &body), &body)
                .await
                .expect("first");
            clock.advance(Duration::from_secs(1));
        }
        let now = clock.now();
        assert!(
            webhook
                .receive(&signed("msg_1", now, &body), &body)
                .await
                .is_ok(),
            "msg_1 was dropped to make room for msg_3"
        );
        // msg_1 in, msg_2 out: msg_3 is still held.
        assert!(matches!(
            webhook.receive(&signed("msg_3", now, &body), &body).await,
            Err(WebhookError::Duplicate { .. })
        ));
    }

    #[tokio::test]
    async fn forget_releases_an_id_so_its_retry_is_processed() {
        let clock = Clock::manual(NOW);
        let webhook = deduped(&clock, Dedup::memory());
        let body = fixture("user.created");
        let headers = signed("msg_1", NOW, &body);
        webhook.receive(&headers, &body).await.expect("first");
        webhook.forget("msg_1").await.expect("forgotten");
        assert!(webhook.receive(&headers, &body).await.is_ok());
        // Without a store there is nothing to forget, and nothing is remembered.
        let plain = super::webhook();
        plain.forget("msg_1").await.expect("nothing to do");
        assert!(plain.receive(&headers, &body).await.is_ok());
        assert!(plain.receive(&headers, &body).await.is_ok());
    }
}

#[test]
fn only_v1_is_checked_other_versions_never_accept() {
    let body = fixture("user.created");
    let good = webhook().sign("msg_1", NOW, &body);
    let value = good.strip_prefix("v1,").expect("v1 prefix");
    // The right bytes under another version label are skipped, as Clerk's SDK skips them.
    let header = format!("v1a,{value} v2,{value} {value}");
    let err = webhook()
        .verify(&headers("msg_1", &NOW.to_string(), &header), &body)
        .unwrap_err();
    assert_eq!(
        err,
        WebhookError::SignatureMismatch {
            v1: 0,
            other_versions: vec![
                "v1a".into(),
                "v2".into(),
                value.chars().take(16).collect::<String>() + "…"
            ]
        }
    );
    let message = err.to_string();
    assert!(message.contains("only v1 is checked"), "{message}");
}

#[test]
fn timestamps_within_five_minutes_either_way_are_accepted() {
    let body = fixture("session.revoked");
    for timestamp in [NOW - 300, NOW + 300, NOW] {
        let result = webhook().verify(&signed("msg_1", timestamp, &body), &body);
        assert!(result.is_ok(), "{timestamp}: {result:?}");
    }
}

#[test]
fn timestamps_past_five_minutes_either_way_are_rejected_saying_how_far() {
    let body = fixture("session.revoked");
    let err = webhook()
        .verify(&signed("msg_1", NOW - 301, &body), &body)
        .unwrap_err();
    assert!(
        matches!(err, WebhookError::TooOld { age: 301, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("301 s too old"), "{err}");

    let err = webhook()
        .verify(&signed("msg_1", NOW + 301, &body), &body)
        .unwrap_err();
    assert!(
        matches!(err, WebhookError::TooNew { ahead: 301, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("301 s in the future"), "{err}");

    // The window moves with the clock: the same delivery is fine five minutes earlier.
    let clock = Clock::manual(NOW - 301);
    let earlier = webhook().with_clock(clock);
    assert!(
        earlier
            .verify(&signed("msg_1", NOW - 301, &body), &body)
            .is_ok()
    );
}

#[test]
fn a_timestamp_that_is_not_unix_seconds_is_rejected() {
    let body = fixture("session.revoked");
    let signature = webhook().sign("msg_1", NOW, &body);
    for bad in [
        "soon",
        "1767225600.5",
        "+1767225600",
        "1e9",
        "99999999999999999999",
    ] {
        let err = webhook()
            .verify(&headers("msg_1", bad, &signature), &body)
            .unwrap_err();
        assert!(
            matches!(&err, WebhookError::InvalidTimestamp { found } if found == bad),
            "{bad}: {err:?}"
        );
    }
}

#[test]
fn missing_headers_are_named_in_clerks_order() {
    let body = fixture("session.revoked");
    let full = signed("msg_1", NOW, &body);
    for (remove, expected) in [
        (&["svix-id"][..], &["svix-id"][..]),
        (&["svix-timestamp"][..], &["svix-timestamp"][..]),
        (&["svix-signature"][..], &["svix-signature"][..]),
        (
            &["svix-signature", "svix-id", "svix-timestamp"][..],
            &["svix-id", "svix-timestamp", "svix-signature"][..],
        ),
    ] {
        let mut headers = full.clone();
        for name in remove {
            headers.remove(*name);
        }
        let err = webhook().verify(&headers, &body).unwrap_err();
        assert_eq!(
            err,
            WebhookError::MissingHeaders {
                headers: expected.to_vec()
            }
        );
        assert_eq!(
            err.to_string(),
            format!("missing required webhook headers: {}", expected.join(", "))
        );
    }
}

#[test]
fn whitespace_only_headers_count_as_missing_and_values_are_trimmed() {
    let body = fixture("session.revoked");
    let signature = webhook().sign("msg_1", NOW, &body);
    let err = webhook()
        .verify(&headers("  ", &NOW.to_string(), "\t"), &body)
        .unwrap_err();
    assert_eq!(
        err,
        WebhookError::MissingHeaders {
            headers: vec!["svix-id", "svix-signature"]
        }
    );
    let padded = headers(" msg_1 ", &format!(" {NOW}\t"), &format!("  {signature} "));
    assert!(webhook().verify(&padded, &body).is_ok());
}

#[test]
fn a_secret_without_whsec_is_refused_at_construction_without_showing_it() {
    let key_only = "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let err = Webhook::new(key_only).unwrap_err();
    assert!(matches!(err, SecretError::MissingPrefix { .. }));
    let message = err.to_string();
    assert!(message.contains("whsec_"), "{message}");
    assert!(!message.contains(key_only), "{message}");

    let secret_key = "sk_test_abcdefghijklmnopqrstuvwxyz0123456789";
    let message = Webhook::new(secret_key).unwrap_err().to_string();
    assert!(message.contains("Clerk secret key"), "{message}");
    assert!(!message.contains("abcdefghij"), "{message}");

    assert_eq!(Webhook::new("whsec_").unwrap_err(), SecretError::Empty);
    let message = Webhook::new("whsec_not*base64").unwrap_err().to_string();
    assert!(message.contains("base64"), "{message}");
    assert!(!message.contains("not*base64"), "{message}");

    // Debug never shows the key either.
    let debug = format!("{:?}", webhook());
    assert!(!debug.contains("MfKQ9r8"), "{debug}");
    assert!(debug.contains("redacted"), "{debug}");
}

#[test]
fn malformed_json_after_a_valid_signature_is_a_body_error() {
    for body in [
        &b"{\"type\":\"user.created\",\"data\":"[..],
        b"not json",
        b"",
        b"[1,2]",
    ] {
        let err = webhook()
            .verify(&signed("msg_1", NOW, body), body)
            .unwrap_err();
        assert!(matches!(err, WebhookError::Body { .. }), "{err:?}");
        assert!(err.to_string().contains("signature valid"), "{err}");
    }
    let body = br#"{"type":7,"data":{}}"#;
    let err = webhook()
        .verify(&signed("msg_1", NOW, body), body)
        .unwrap_err();
    assert!(err.to_string().contains("the number 7"), "{err}");
    // A known type whose data is not the object Clerk sends names the type.
    let body = br#"{"type":"session.revoked","data":{"id":"sess_1"}}"#;
    let err = webhook()
        .verify(&signed("msg_1", NOW, body), body)
        .unwrap_err();
    assert!(err.to_string().contains("session.revoked"), "{err}");
}

#[test]
fn the_body_is_checked_as_bytes_even_when_not_utf8() {
    let body = b"{\"type\":\"x\",\"data\":\"\xff\"}";
    let err = webhook()
        .verify(&signed("msg_1", NOW, body), body)
        .unwrap_err();
    // The signature over the raw bytes matched; only the JSON reading failed.
    assert!(matches!(err, WebhookError::Body { .. }), "{err:?}");
}

mod axum_extractor {
    use std::sync::{Arc, Mutex};

    use axum::extract::State;
    use axum::routing::post;
    use axum::{Router, extract::FromRef};
    use clerk_claims::webhooks::axum::VerifiedWebhook;

    use super::*;

    #[derive(Clone)]
    struct App {
        webhook: Webhook,
        seen: Arc<Mutex<Vec<String>>>,
    }

    impl FromRef<App> for Webhook {
        fn from_ref(app: &App) -> Webhook {
            app.webhook.clone()
        }
    }

    async fn handler(
        State(app): State<App>,
        VerifiedWebhook(message): VerifiedWebhook,
    ) -> &'static str {
        app.seen.lock().expect("lock").push(format!(
            "{} {}",
            message.id,
            message.event.event_type()
        ));
        "ok"
    }

    #[tokio::test]
    async fn the_extractor_passes_genuine_deliveries_and_answers_400_before_the_handler() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let app = Router::new()
            .route("/webhooks/clerk", post(handler))
            .with_state(App {
                webhook: webhook(),
                seen: seen.clone(),
            });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!(
            "http://{}/webhooks/clerk",
            listener.local_addr().expect("addr")
        );
        let server = tokio::spawn(async move { axum::serve(listener, app).await });
        let client = reqwest::Client::new();
        let body = fixture("session.revoked");

        let genuine = client
            .post(&url)
            .headers(signed("msg_1", NOW, &body))
            .body(body.clone())
            .send()
            .await
            .expect("send");
        assert_eq!(genuine.status(), 200);

        let forged = client
            .post(&url)
            .headers(signed("msg_2", NOW, b"{}"))
            .body(body.clone())
            .send()
            .await
            .expect("send");
        assert_eq!(forged.status(), 400);
        let reason = forged.text().await.expect("body");
        assert!(reason.contains("signature does not match"), "{reason}");

        let unsigned = client.post(&url).body(body).send().await.expect("send");
        assert_eq!(unsigned.status(), 400);
        assert!(
            unsigned
                .text()
                .await
                .expect("body")
                .starts_with("missing required webhook headers: svix-id")
        );

        assert_eq!(
            *seen.lock().expect("lock"),
            ["msg_1 session.revoked"],
            "only the genuine delivery reached the handler"
        );
        server.abort();
    }
}

mod actix_extractor {
    use actix_web::{App, HttpResponse, test, web};
    use clerk_claims::webhooks::actix::VerifiedWebhook;

    use super::*;

    async fn handler(VerifiedWebhook(message): VerifiedWebhook) -> HttpResponse {
        HttpResponse::Ok().body(format!("{} {}", message.id, message.event.event_type()))
    }

    #[actix_web::test]
    async fn the_extractor_passes_genuine_deliveries_and_answers_400_before_the_handler() {
        let app = test::init_service(
            App::new()
                .app_data(web::Data::new(webhook()))
                .route("/webhooks/clerk", web::post().to(handler)),
        )
        .await;
        let body = fixture("user.created");
        let request = |headers: HeaderMap, body: Vec<u8>| {
            let mut request = test::TestRequest::post().uri("/webhooks/clerk");
            for (name, value) in &headers {
                request = request.insert_header((name.as_str(), value.to_str().expect("ascii")));
            }
            request.set_payload(body).to_request()
        };

        let genuine =
            test::call_service(&app, request(signed("msg_1", NOW, &body), body.clone())).await;
        assert_eq!(genuine.status(), 200);
        assert_eq!(test::read_body(genuine).await, "msg_1 user.created");

        let stale = test::call_service(
            &app,
            request(signed("msg_2", NOW - 301, &body), body.clone()),
        )
        .await;
        assert_eq!(stale.status(), 400);
        let reason = test::read_body(stale).await;
        assert!(
            String::from_utf8_lossy(&reason).contains("301 s too old"),
            "{reason:?}"
        );

        let mut tampered = body.clone();
        tampered.extend_from_slice(b" ");
        let forged = test::call_service(&app, request(signed("msg_3", NOW, &body), tampered)).await;
        assert_eq!(forged.status(), 400);
    }

    #[actix_web::test]
    async fn a_duplicate_is_answered_200_without_calling_the_handler() {
        let webhook = webhook().dedup(clerk_claims::webhooks::Dedup::memory());
        let app = test::init_service(
            App::new()
                .app_data(web::Data::new(webhook))
                .route("/webhooks/clerk", web::post().to(handler)),
        )
        .await;
        let body = fixture("user.created");
        let send = || {
            let mut request = test::TestRequest::post().uri("/webhooks/clerk");
            for (name, value) in &signed("msg_1", NOW, &body) {
                request = request.insert_header((name.as_str(), value.to_str().expect("ascii")));
            }
            request.set_payload(body.clone()).to_request()
        };
        let first = test::call_service(&app, send()).await;
        assert_eq!(first.status(), 200);
        assert_eq!(test::read_body(first).await, "msg_1 user.created");
        let again = test::call_service(&app, send()).await;
        assert_eq!(again.status(), 200);
        let reason = test::read_body(again).await;
        assert!(
            String::from_utf8_lossy(&reason).contains("msg_1 already received"),
            "the handler did not answer: {reason:?}"
        );
    }

    #[actix_web::test]
    async fn without_a_webhook_in_the_app_data_the_answer_is_500() {
        let app =
            test::init_service(App::new().route("/webhooks/clerk", web::post().to(handler))).await;
        let body = fixture("user.created");
        let mut request = test::TestRequest::post().uri("/webhooks/clerk");
        for (name, value) in &signed("msg_1", NOW, &body) {
            request = request.insert_header((name.as_str(), value.to_str().expect("ascii")));
        }
        let response = test::call_service(&app, request.set_payload(body).to_request()).await;
        assert_eq!(response.status(), 500);
    }
}
