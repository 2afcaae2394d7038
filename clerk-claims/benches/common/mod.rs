//! Shared by the benchmarks and `examples/verify_instructions.rs`: polling a local-key
//! verification, and the floor every verification is compared with.
#![allow(dead_code)] // each user takes what it needs

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use base64::Engine as _;
use clerk_claims::testing::issuer::TestIssuer;

/// Polls `future` once with a no-op waker: a verification with local keys never waits.
pub fn ready<F: Future>(future: F) -> F::Output {
    match pin!(future)
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("local-key verification suspended"),
    }
}

/// The signature check alone: the issuer's RSA key parsed once, `token`'s signing input and
/// decoded signature.
pub struct Floor {
    pub key: aws_lc_rs::signature::ParsedPublicKey,
    pub signing_input: Vec<u8>,
    pub signature: Vec<u8>,
}

impl Floor {
    pub fn new(issuer: &TestIssuer, token: &str) -> Floor {
        let jwk = &issuer.jwks()["keys"][0];
        let b64 = |text: &str| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(text)
                .expect("base64url")
        };
        let (n, e) = (
            b64(jwk["n"].as_str().unwrap_or_default()),
            b64(jwk["e"].as_str().unwrap_or_default()),
        );
        let key = aws_lc_rs::signature::RsaPublicKeyComponents {
            n: n.as_slice(),
            e: e.as_slice(),
        }
        .to_parsed_public_key(&aws_lc_rs::signature::RSA_PKCS1_2048_8192_SHA256)
        .expect("an RSA key");
        let (signing_input, signature) = token.rsplit_once('.').expect("three parts");
        Floor {
            key,
            signing_input: signing_input.as_bytes().to_vec(),
            signature: b64(signature),
        }
    }

    /// One raw RSA-2048 PKCS#1 verification.
    pub fn verify(&self) {
        std::hint::black_box(self.key.verify_sig(
            std::hint::black_box(&self.signing_input),
            std::hint::black_box(&self.signature),
        ))
        .expect("a valid signature");
    }
}
