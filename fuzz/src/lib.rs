//! What the fuzz targets share: one instance (a fixed HMAC key, so committed seeds can carry
//! tokens that verify; a fixed clock, so they never expire), token signing, and running the
//! library's futures without a network.
#![forbid(unsafe_code)]

use std::future::Future;
use std::pin::pin;
use std::sync::OnceLock;
use std::task::{Context, Poll, Waker};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use clerk_claims::Clock;
use clerk_claims::jwks::{Algorithm, JwkSet, Key};
use clerk_claims::verify::{Verifier, VerifierBuilder};

/// The time every verifier of the targets lives at (seeds' tokens are issued at `NOW - 10`).
pub const NOW: i64 = 1_800_000_000;
/// The fuzz instance's Frontend API; its issuer is `https://` + this.
pub const FRONTEND_API: &str = "clerk.fuzz.example";
/// `pk_test_` + base64(`clerk.fuzz.example$`).
pub const PUBLISHABLE_KEY: &str = "pk_test_Y2xlcmsuZnV6ei5leGFtcGxlJA==";
/// The instance key's `kid`.
pub const KID: &str = "ins_fuzz";
/// The instance key (HS256, so a target can sign every input cheaply; `fuzz/seeds.py` signs
/// with it too).
pub const SECRET: &[u8] = b"clerk-claims fuzz instance key, not a secret";
/// The webhook endpoint's signing secret (`whsec_` + base64 of `clerk-claims fuzz webhook`).
pub const WEBHOOK_SECRET: &str = "whsec_Y2xlcmstY2xhaW1zIGZ1enogd2ViaG9vaw==";

/// The instance's key set: the HMAC key under [`KID`].
pub fn key_set() -> JwkSet {
    let key = Key::hmac(SECRET).expect("a non-empty HMAC key");
    JwkSet::from_keys([key.with_kid(KID)])
}

/// A verifier builder of the fuzz instance at [`NOW`] (HS256 and Clerk's RS* accepted).
pub fn verifier_builder() -> VerifierBuilder {
    Verifier::builder()
        .jwks(key_set())
        .publishable_key(PUBLISHABLE_KEY)
        .algorithms([
            Algorithm::HS256,
            Algorithm::RS256,
            Algorithm::RS384,
            Algorithm::RS512,
        ])
        .clock(Clock::manual(NOW))
}

/// The fuzz instance's verifier, built once.
pub fn verifier() -> &'static Verifier {
    static VERIFIER: OnceLock<Verifier> = OnceLock::new();
    VERIFIER.get_or_init(|| {
        verifier_builder()
            .build()
            .expect("the fuzz verifier builds")
    })
}

/// A compact JWS of `header` and `payload` (raw bytes, base64url-encoded here), signed HS256
/// with [`SECRET`] whatever the header says.
pub fn sign(header: &[u8], payload: &[u8]) -> String {
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(payload)
    );
    let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, SECRET);
    let tag = aws_lc_rs::hmac::sign(&key, input.as_bytes());
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(tag.as_ref()))
}

/// The header of a session token of the fuzz instance.
pub const SESSION_HEADER: &str =
    r#"{"alg":"HS256","cat":"cl_B7d4PD111AAA","kid":"ins_fuzz","typ":"JWT"}"#;

/// Polls a future that must not wait (local keys only: the library's verification is ready on
/// its first poll).
pub fn ready<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("a verification with local keys waited"),
    }
}

/// One current-thread runtime for the whole run (built once).
pub fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a current-thread runtime")
    })
}

/// `FUZZ_DEBUG=1`: the targets print what each input came to (to check the seeds reach deep).
pub fn debug() -> bool {
    static DEBUG: OnceLock<bool> = OnceLock::new();
    *DEBUG.get_or_init(|| std::env::var_os("FUZZ_DEBUG").is_some_and(|v| v == "1"))
}

/// Splits `data` at the first `sep`: (before, after), or (all, None).
pub fn split_once(data: &[u8], sep: u8) -> (&[u8], Option<&[u8]>) {
    match data.iter().position(|&b| b == sep) {
        Some(at) => (&data[..at], Some(&data[at + 1..])),
        None => (data, None),
    }
}

/// Header lines `name: value` (a line without `:` or with a name HTTP refuses is skipped; a
/// value keeps its bytes, as a server receives them).
pub fn headers(head: &[u8]) -> http::HeaderMap {
    let mut map = http::HeaderMap::new();
    for line in head.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let (name, Some(value)) = split_once(line, b':') else {
            continue;
        };
        let value = value.strip_prefix(b" ").unwrap_or(value);
        if let (Ok(name), Ok(value)) = (
            http::HeaderName::from_bytes(name),
            http::HeaderValue::from_bytes(value),
        ) {
            map.append(name, value);
        }
    }
    map
}

/// Splits an HTTP-like message at its first empty line: (head, body).
pub fn head_and_body(data: &[u8]) -> (&[u8], &[u8]) {
    match data.windows(2).position(|w| w == b"\n\n") {
        Some(at) => (&data[..at], &data[at + 2..]),
        None => (data, &[]),
    }
}
