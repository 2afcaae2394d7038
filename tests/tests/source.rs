//! Token sources with Clerk's precedence: `Authorization` first and exclusively, then the
//! suffixed `__session_<suffix>` cookie, then `__session`; publishable-key parsing.

use clerk_claims::source::{PublishableKey, TokenCarrier, cookie, find_token, from_authorization};

#[test]
fn bearer_scheme_is_stripped_case_insensitively_and_other_schemes_give_nothing() {
    assert_eq!(
        from_authorization("Bearer abc.def.ghi"),
        Some("abc.def.ghi")
    );
    assert_eq!(
        from_authorization("bearer   abc.def.ghi "),
        Some("abc.def.ghi")
    );
    assert_eq!(
        from_authorization("abc.def.ghi"),
        Some("abc.def.ghi"),
        "no scheme: the value is the token"
    );
    assert_eq!(from_authorization("Basic dXNlcjpwYXNz"), None);
    assert_eq!(from_authorization("Bearer "), None);
    assert_eq!(from_authorization(""), None);
}

#[test]
fn an_authorization_header_wins_even_when_it_gives_no_token() {
    let found = find_token(
        Some("Bearer from.header.x"),
        Some("__session=from.cookie.x"),
        None,
    );
    assert_eq!(
        found.map(|f| (f.token, f.carrier)),
        Some(("from.header.x", TokenCarrier::Header))
    );
    assert_eq!(
        find_token(Some("Basic abc"), Some("__session=from.cookie.x"), None),
        None
    );
}

#[test]
fn the_suffixed_session_cookie_is_preferred_when_the_publishable_key_is_known() {
    let pk = PublishableKey::parse("pk_test_Y2xlcmsuY2xlcmsuY29tJA").expect("valid key");
    let name = pk.session_cookie_name();
    let header = format!("__session=plain.token.x; {name}=suffixed.token.x; other=1");
    let found = find_token(None, Some(&header), Some(&pk));
    assert_eq!(
        found.map(|f| (f.token, f.carrier)),
        Some(("suffixed.token.x", TokenCarrier::Cookie))
    );
    let found = find_token(None, Some("__session=plain.token.x"), Some(&pk));
    assert_eq!(found.map(|f| f.token), Some("plain.token.x"));
    assert_eq!(
        find_token(None, Some("__session_other=x.y.z"), None),
        None,
        "an unrelated suffix is not ours"
    );
}

#[test]
fn cookie_suffix_is_base64url_of_sha1_of_the_key_cut_to_eight() {
    // Reference values computed independently with Python's hashlib + base64 (Clerk's
    // getCookieSuffix steps).
    for (key, suffix) in [
        ("pk_live_Y2xlcmsuY2xlcmsuY29tJA", "DvIHvy3E"),
        ("pk_test_Y2xlcmsuY2xlcmsuY29tJA", "CU1iVw3c"),
    ] {
        let pk = PublishableKey::parse(key).expect("valid key");
        assert_eq!(pk.cookie_suffix(), suffix, "{key}");
    }
}

#[test]
fn cookie_values_are_found_by_exact_name_and_unquoted() {
    assert_eq!(
        cookie("a=1; __session=\"x.y.z\"", "__session"),
        Some("x.y.z")
    );
    assert_eq!(cookie("__session_abc=1", "__session"), None);
    assert_eq!(cookie("no-equals; __session=t", "__session"), Some("t"));
}

#[test]
fn publishable_key_gives_the_frontend_api_issuer() {
    let pk = PublishableKey::parse("pk_test_Y2xlcmsuY2xlcmsuY29tJA").expect("valid key");
    assert_eq!(pk.frontend_api(), "clerk.clerk.com");
    assert_eq!(pk.issuer(), "https://clerk.clerk.com");
    assert!(!pk.is_live());
    let round_trip = PublishableKey::for_frontend_api("clean-mayfly-62.clerk.accounts.dev", true);
    let parsed = PublishableKey::parse(round_trip.as_str()).expect("round trip");
    assert_eq!(parsed.frontend_api(), "clean-mayfly-62.clerk.accounts.dev");
    assert!(parsed.is_live());
}

#[test]
fn malformed_publishable_keys_are_refused() {
    for bad in [
        "",
        "sk_test_abc",
        "pk_test_",
        "pk_test_!!!",
        "pk_test_Y2xlcmsuY29t",
        "pk_test_Y2xlcmskJA",
    ] {
        assert!(PublishableKey::parse(bad).is_err(), "{bad:?}");
    }
}
