//! The remote JWKS cache against a real HTTP server on loopback with faults: 500s, timeouts,
//! garbage, empty key sets, rotation, refused secret keys; single flight and cooldown counted
//! by the server itself.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clerk_claims::Verifier;
use clerk_claims::testing::issuer::TestIssuer;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

#[derive(Clone)]
enum Reply {
    Jwks(String),
    Status(u16),
    Body(String),
    Slow(Duration, String),
}

#[derive(Clone)]
struct Server {
    url: String,
    reply: Arc<Mutex<Reply>>,
    hits: Arc<AtomicUsize>,
    last_head: Arc<Mutex<String>>,
}

impl Server {
    async fn start(reply: Reply) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let url = format!("http://{}", listener.local_addr().expect("local addr"));
        let server = Server {
            url,
            reply: Arc::new(Mutex::new(reply)),
            hits: Arc::new(AtomicUsize::new(0)),
            last_head: Arc::new(Mutex::new(String::new())),
        };
        let shared = server.clone();
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let shared = shared.clone();
                tokio::spawn(async move {
                    let mut head = Vec::new();
                    let mut buf = [0u8; 1024];
                    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                        match stream.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => head.extend_from_slice(&buf[..n]),
                        }
                    }
                    shared.hits.fetch_add(1, Ordering::SeqCst);
                    *shared.last_head.lock().expect("lock") =
                        String::from_utf8_lossy(&head).into_owned();
                    let reply = shared.reply.lock().expect("lock").clone();
                    let (status, body) = match reply {
                        Reply::Jwks(body) | Reply::Body(body) => (200, body),
                        Reply::Status(status) => (
                            status,
                            r#"{"errors":[{"code":"clerk_key_invalid"}]}"#.to_owned(),
                        ),
                        Reply::Slow(delay, body) => {
                            tokio::time::sleep(delay).await;
                            (200, body)
                        }
                    };
                    let response = format!(
                        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = stream.write_all(response.as_bytes()).await;
                });
            }
        });
        server
    }

    fn set(&self, reply: Reply) {
        *self.reply.lock().expect("lock") = reply;
    }

    fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

fn verifier(server: &Server, issuer: &TestIssuer, ttl: Duration, cooldown: Duration) -> Verifier {
    Verifier::builder()
        .jwks_url(format!("{}/.well-known/jwks.json", server.url))
        .issuer(issuer.issuer())
        .jwks_cache_ttl(ttl)
        .jwks_cooldown(cooldown)
        .http_timeout(Duration::from_millis(500))
        .build()
        .expect("builds")
}

#[tokio::test]
async fn many_concurrent_verifications_cause_one_fetch() {
    let issuer = TestIssuer::new();
    let server = Server::start(Reply::Slow(
        Duration::from_millis(200),
        issuer.jwks().to_string(),
    ))
    .await;
    let verifier = verifier(
        &server,
        &issuer,
        Duration::from_secs(300),
        Duration::from_secs(30),
    );
    let token = issuer.session().mint();
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let (verifier, token) = (verifier.clone(), token.clone());
            tokio::spawn(async move { verifier.verify_session(&token).await.map(|v| v.sub) })
        })
        .collect();
    for task in tasks {
        assert!(task.await.expect("task ran").is_ok());
    }
    assert_eq!(
        server.hits(),
        1,
        "single flight: one fetch for 20 waiting requests"
    );
    assert!(verifier.verify_session(&token).await.is_ok());
    assert_eq!(server.hits(), 1, "cached within the TTL");
}

#[tokio::test]
async fn stale_keys_are_kept_when_a_refresh_fails() {
    let issuer = TestIssuer::new();
    let server = Server::start(Reply::Jwks(issuer.jwks().to_string())).await;
    let verifier = verifier(&server, &issuer, Duration::ZERO, Duration::ZERO);
    let token = issuer.session().mint();
    assert!(verifier.verify_session(&token).await.is_ok());
    for fault in [
        Reply::Status(500),
        Reply::Body("<html>garbage".into()),
        Reply::Jwks(r#"{"keys":[]}"#.into()),
    ] {
        server.set(fault);
        assert!(
            verifier.verify_session(&token).await.is_ok(),
            "the last good keys still verify"
        );
    }
    assert_eq!(server.hits(), 4, "each stale read tried one refresh");
}

#[tokio::test]
async fn unknown_kid_refetches_once_and_picks_up_a_rotated_key() {
    let mut issuer = TestIssuer::new();
    let server = Server::start(Reply::Jwks(issuer.jwks().to_string())).await;
    let verifier = verifier(&server, &issuer, Duration::from_secs(300), Duration::ZERO);
    assert!(
        verifier
            .verify_session(&issuer.session().mint())
            .await
            .is_ok()
    );
    issuer.rotate();
    server.set(Reply::Jwks(issuer.jwks().to_string()));
    assert!(
        verifier
            .verify_session(&issuer.session().mint())
            .await
            .is_ok(),
        "new kid found after refetch"
    );
    assert_eq!(server.hits(), 2);
}

#[tokio::test]
async fn a_flood_of_unknown_kids_is_held_back_by_the_cooldown() {
    let issuer = TestIssuer::new();
    let server = Server::start(Reply::Jwks(issuer.jwks().to_string())).await;
    let verifier = verifier(
        &server,
        &issuer,
        Duration::from_secs(300),
        Duration::from_secs(60),
    );
    assert!(
        verifier
            .verify_session(&issuer.session().mint())
            .await
            .is_ok()
    );
    for i in 0..10 {
        let header =
            serde_json::json!({ "alg": "RS256", "kid": format!("ins_made_up_{i}"), "typ": "JWT" });
        let token = issuer.sign(
            &header,
            &serde_json::json!({ "sub": "user_x", "exp": 4_000_000_000u64 }),
        );
        let err = verifier
            .verify_session(&token)
            .await
            .expect_err("unknown kid");
        assert_eq!(err.reason(), "jwk-kid-mismatch");
    }
    assert_eq!(server.hits(), 1, "no refetch inside the cooldown");
}

#[tokio::test]
async fn faults_without_cached_keys_are_jwk_remote_failed_to_load() {
    let issuer = TestIssuer::new();
    let token = issuer.session().mint();
    let faults = [
        Reply::Status(500),
        Reply::Body("not json at all".into()),
        Reply::Jwks(r#"{"keys":[]}"#.into()),
        Reply::Jwks(r#"{"keys":[{"kty":"RSA","kid":"weak","n":"AQAB","e":"AQAB"}]}"#.into()),
        Reply::Slow(Duration::from_secs(3), issuer.jwks().to_string()),
    ];
    for fault in faults {
        let server = Server::start(fault).await;
        let err = verifier(&server, &issuer, Duration::from_secs(300), Duration::ZERO)
            .verify_session(&token)
            .await
            .expect_err("no keys");
        assert_eq!(err.reason(), "jwk-remote-failed-to-load", "{err}");
    }
}

#[tokio::test]
async fn secret_key_is_sent_to_the_backend_api_and_a_refusal_is_secret_key_invalid() {
    let issuer = TestIssuer::new();
    let server = Server::start(Reply::Jwks(issuer.jwks().to_string())).await;
    let verifier = Verifier::builder()
        .secret_key("sk_test_local")
        .api_url(&server.url)
        .issuer(issuer.issuer())
        .build()
        .expect("builds");
    assert!(
        verifier
            .verify_session(&issuer.session().mint())
            .await
            .is_ok()
    );
    let head = server.last_head.lock().expect("lock").clone();
    assert!(head.starts_with("GET /v1/jwks "), "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains("authorization: bearer sk_test_local"),
        "{head}"
    );

    let refused = Server::start(Reply::Status(401)).await;
    let verifier = Verifier::builder()
        .secret_key("sk_test_wrong")
        .api_url(&refused.url)
        .build()
        .expect("builds");
    let err = verifier
        .verify_session(&issuer.session().mint())
        .await
        .expect_err("refused");
    assert_eq!(err.reason(), "secret-key-invalid");
}

#[tokio::test]
async fn a_response_over_the_body_cap_is_jwk_remote_failed_to_load() {
    let issuer = TestIssuer::new();
    // 256 KiB is the cap; the server says so in Content-Length, and it is refused unread.
    let body = format!(r#"{{"keys":[],"pad":"{}"}}"#, "x".repeat(300 * 1024));
    let server = Server::start(Reply::Body(body)).await;
    let verifier = verifier(
        &server,
        &issuer,
        Duration::from_secs(300),
        Duration::from_secs(30),
    );
    let err = verifier
        .verify_session(&issuer.session().mint())
        .await
        .expect_err("no keys");
    assert_eq!(err.reason(), "jwk-remote-failed-to-load");
    assert!(
        err.to_string().contains("larger than 262144 bytes"),
        "{err}"
    );
}

#[tokio::test]
async fn jwks_ttl_follows_the_verifiers_clock() {
    let clock = clerk_claims::Clock::system();
    let issuer = TestIssuer::new().with_clock(clock.clone());
    let server = Server::start(Reply::Jwks(issuer.jwks().to_string())).await;
    let verifier = Verifier::builder()
        .jwks_url(format!("{}/.well-known/jwks.json", server.url))
        .issuer(issuer.issuer())
        .jwks_cache_ttl(Duration::from_secs(300))
        .jwks_cooldown(Duration::from_secs(30))
        .clock(clock.clone())
        .build()
        .expect("builds");
    let token = issuer.session().mint();
    assert!(verifier.verify_session(&token).await.is_ok());
    assert!(verifier.verify_session(&token).await.is_ok());
    assert_eq!(server.hits(), 1, "fresh keys are served from the cache");
    // Past the TTL on the verifier's clock (no sleeping): the next verification refetches.
    clock.advance(Duration::from_secs(301));
    let token = issuer.session().mint();
    assert!(verifier.verify_session(&token).await.is_ok());
    assert_eq!(server.hits(), 2, "stale keys are refetched");
}
