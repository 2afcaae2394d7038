//! `azp` with authorized parties: required everywhere by default (as `@clerk/backend` 3.25.0
//! does); `accept_header_tokens_without_azp` lets an `Authorization`-header token without `azp`
//! through (Backend API tokens, native apps without `Origin`), never a cookie token, and never
//! a header token whose `azp` is not listed.

use clerk_claims::VerifyError;
use clerk_claims::source::{FoundToken, TokenCarrier};
use clerk_claims::testing::fake::FakeClerk;
use clerk_claims::verify::{Reason, Verifier};

const APP: &str = "https://app.example";

fn verifier(fake: &FakeClerk, accept: bool) -> Verifier {
    Verifier::builder()
        .jwks_url(fake.jwks_url())
        .issuer(fake.frontend_api_url())
        .authorized_parties([APP])
        .accept_header_tokens_without_azp(accept)
        .build()
        .expect("a verifier")
}

async fn found(v: &Verifier, token: &str, carrier: TokenCarrier) -> Result<(), VerifyError> {
    v.verify_session_found(FoundToken { token, carrier })
        .await
        .map(|_| ())
}

#[tokio::test]
async fn a_backend_api_token_without_azp_is_refused_by_default_and_accepted_in_a_header_when_allowed()
 {
    let fake = FakeClerk::start();
    let token = fake
        .api()
        .expect("api")
        .create_session_token("sess_2alice_acme", None)
        .await
        .expect("minted");
    assert!(
        clerk_claims::verify::decode_unverified(&token)
            .expect("decodes")
            .payload
            .get("azp")
            .is_none(),
        "the Backend API mints without azp"
    );
    let strict = verifier(&fake, false);
    let err = found(&strict, &token, TokenCarrier::Header)
        .await
        .expect_err("azp required by default");
    assert_eq!(err.reason(), Reason::TokenInvalidAuthorizedParties);

    let lenient = verifier(&fake, true);
    found(&lenient, &token, TokenCarrier::Header)
        .await
        .expect("a header token without azp passes");
    let cookie = found(&lenient, &token, TokenCarrier::Cookie)
        .await
        .expect_err("a cookie token still needs azp");
    assert_eq!(cookie.reason(), Reason::TokenInvalidAuthorizedParties);

    let foreign = fake
        .issuer()
        .session()
        .user("user_2alice")
        .azp("https://evil.example")
        .mint();
    let err = found(&lenient, &foreign, TokenCarrier::Header)
        .await
        .expect_err("an unlisted azp is refused");
    assert_eq!(err.reason(), Reason::TokenInvalidAuthorizedParties);
    let listed = fake.issuer().session().user("user_2alice").azp(APP).mint();
    found(&lenient, &listed, TokenCarrier::Cookie)
        .await
        .expect("a listed azp passes everywhere");
}
