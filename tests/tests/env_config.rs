//! `ClerkEnv` (behind `Verifier::from_env` and `RequestOptions::from_env`): the environment
//! `clerk-claims dev` prints builds a verifier of the fake as printed, keys from
//! `${CLERK_API_URL}/v1/jwks`; missing or bad variables are typed errors naming the variable.
//! The variables come from a map here (the process environment is one per test binary); the
//! command's tests run the real environment in a child process.

use std::collections::HashMap;

use clerk_claims::request::{self, RequestDescription, RequestOptions, RequestOptionsError};
use clerk_claims::testing::fake::FakeClerk;
use clerk_claims::verify::{
    API_URL_ENV, BuildError, ClerkEnv, EnvError, JWT_KEY_ENV, PUBLISHABLE_KEY_ENV, SECRET_KEY_ENV,
};
use serde_json::json;

/// What `clerk-claims dev` prints for `fake`: the three `export` lines.
fn printed(fake: &FakeClerk) -> HashMap<&'static str, String> {
    HashMap::from([
        (API_URL_ENV, fake.url()),
        (SECRET_KEY_ENV, fake.secret_key().to_owned()),
        (PUBLISHABLE_KEY_ENV, fake.publishable_key()),
    ])
}

#[tokio::test]
async fn fake_clerk_env_is_the_printed_environment_and_builds_the_same_verifier() {
    let fake = FakeClerk::start();
    let listed: HashMap<&'static str, String> = fake.env().into_iter().collect();
    assert_eq!(listed, printed(&fake));
    let verifier = fake.clerk_env().verifier().expect("a verifier");
    assert_eq!(verifier.issuer(), Some(fake.frontend_api_url().as_str()));
    let token = fake
        .api()
        .expect("api")
        .create_session_token("sess_2bob_acme", None)
        .await
        .expect("minted");
    assert_eq!(
        verifier.verify_session(&token).await.expect("verified").sub,
        "user_2bob"
    );
}

fn env_of(vars: &HashMap<&'static str, String>) -> ClerkEnv {
    ClerkEnv::from_lookup(|name| vars.get(name).cloned())
}

#[tokio::test]
async fn the_environment_dev_prints_gives_a_verifier_of_the_fake_with_keys_from_the_backend_api() {
    let fake = FakeClerk::start();
    let verifier = env_of(&printed(&fake)).verifier().expect("a verifier");
    assert_eq!(verifier.issuer(), Some(fake.frontend_api_url().as_str()));
    let api = fake.api().expect("api");
    let token = api
        .create_session_token("sess_2alice_acme", None)
        .await
        .expect("minted");
    let verified = verifier.verify_session(&token).await.expect("verified");
    assert_eq!(verified.sub, "user_2alice");
    assert_eq!(fake.request_count("GET", "/v1/jwks"), 1);
    assert_eq!(fake.request_count("GET", "/.well-known/jwks.json"), 0);
}

#[tokio::test]
async fn the_jwt_key_wins_and_verifies_without_a_request() {
    let fake = FakeClerk::start();
    let mut vars = printed(&fake);
    vars.insert(JWT_KEY_ENV, fake.issuer().public_key_pem());
    // A Backend API that is not there: the PEM key must not need it.
    vars.insert(API_URL_ENV, "http://127.0.0.1:9".to_owned());
    let verifier = env_of(&vars).verifier().expect("a verifier");
    let token = fake.issuer().session().user("user_2alice").mint();
    assert!(verifier.verify_session(&token).await.is_ok());
    assert_eq!(fake.request_count("GET", "/v1/jwks"), 0);
}

#[test]
fn no_key_variable_is_a_typed_error_naming_the_variables_and_where_to_get_them() {
    // Blank values count as unset, as an `export CLERK_SECRET_KEY=` line leaves them.
    let vars = HashMap::from([(SECRET_KEY_ENV, "  ".to_owned())]);
    let err = env_of(&vars).verifier().expect_err("no key");
    assert_eq!(err, EnvError::NoKey);
    let message = err.to_string();
    for needle in [
        SECRET_KEY_ENV,
        PUBLISHABLE_KEY_ENV,
        JWT_KEY_ENV,
        "Dashboard → API keys",
        "clerk-claims dev",
    ] {
        assert!(message.contains(needle), "{needle:?} in {message}");
    }
}

#[test]
fn a_refused_value_names_its_variable() {
    let bad_pk = HashMap::from([(PUBLISHABLE_KEY_ENV, "pk_nope".to_owned())]);
    let err = env_of(&bad_pk).verifier().expect_err("bad publishable key");
    assert!(
        matches!(
            err,
            EnvError::Invalid {
                variable: PUBLISHABLE_KEY_ENV,
                source: BuildError::PublishableKey(_),
            }
        ),
        "{err:?}"
    );
    assert!(
        err.to_string().starts_with("CLERK_PUBLISHABLE_KEY: "),
        "{err}"
    );

    let bad_url = HashMap::from([
        (SECRET_KEY_ENV, "sk_test_abcdefgh".to_owned()),
        (API_URL_ENV, "127.0.0.1:3210".to_owned()),
    ]);
    let err = env_of(&bad_url).verifier().expect_err("bad URL");
    assert!(
        matches!(
            err,
            EnvError::Invalid {
                variable: API_URL_ENV,
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn request_options_from_the_printed_environment_sign_a_request_in() {
    let fake = FakeClerk::start();
    let options = RequestOptions::builder()
        .env(&env_of(&printed(&fake)))
        .build()
        .expect("options");
    let token = fake
        .api()
        .expect("api")
        .create_session_token("sess_2alice_acme", None)
        .await
        .expect("minted");
    let description = json!({
        "url": "http://localhost:3000/api/me",
        "headers": { "authorization": format!("Bearer {token}") },
    });
    let parts = RequestDescription::from_json(&description.to_string())
        .and_then(|d| d.to_parts())
        .expect("a request");
    let state = request::authenticate(&parts, &options).await;
    assert_eq!(
        state.session().map(|s| s.claims.user_id().to_owned()),
        Some("user_2alice".to_owned()),
        "{state:?}"
    );
    assert_eq!(fake.request_count("GET", "/v1/jwks"), 1);
}

#[test]
fn request_options_without_a_publishable_key_say_where_to_get_one() {
    let vars = HashMap::from([(SECRET_KEY_ENV, "sk_test_abcdefgh".to_owned())]);
    let err = RequestOptions::builder()
        .env(&env_of(&vars))
        .build()
        .expect_err("no publishable key");
    assert_eq!(err, RequestOptionsError::MissingPublishableKey);
    let message = err.to_string();
    assert!(
        message.contains(PUBLISHABLE_KEY_ENV) && message.contains("Dashboard → API keys"),
        "{message}"
    );
}
