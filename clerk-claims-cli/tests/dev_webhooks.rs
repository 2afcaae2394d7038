//! `clerk-claims dev --webhook-url URL --webhook-secret whsec_…`: revoking sessions through
//! the fake's Backend API sends Svix-signed `session.revoked` webhooks to the URL.

use crate::common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::time::Duration;

use crate::common::Dev;
use clerk_claims::webhooks::Webhook;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// One received POST: its headers (lower-cased names) and body; answered 204.
fn receive(listener: &TcpListener) -> (Vec<(String, String)>, Vec<u8>) {
    let (stream, _) = listener.accept().expect("a webhook arrives");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let mut reader = BufReader::new(stream);
    let mut headers = Vec::new();
    let mut line = String::new();
    reader.read_line(&mut line).expect("request line");
    assert!(line.starts_with("POST /hook "), "{line}");
    loop {
        line.clear();
        reader.read_line(&mut line).expect("header line");
        let Some((name, value)) = line.trim_end().split_once(':') else {
            break;
        };
        headers.push((name.to_ascii_lowercase(), value.trim().to_owned()));
    }
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .expect("content-length");
    let mut body = vec![0; length];
    reader.read_exact(&mut body).expect("body");
    reader
        .get_mut()
        .write_all(b"HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n")
        .expect("answer");
    (headers, body)
}

#[test]
fn revoking_through_the_fake_sends_signed_session_revoked_webhooks() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/hook", listener.local_addr().expect("addr"));
    let dev = Dev::start_with(&["--webhook-url", &url, "--webhook-secret", SECRET]);
    let out = dev.run(&[
        "sessions",
        "revoke-others",
        "--user",
        "user_2alice",
        "--keep",
        "sess_2alice_acme",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let (headers, body) = receive(&listener);
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("{name} header"))
    };
    let (id, timestamp) = (header("svix-id"), header("svix-timestamp"));
    let timestamp: i64 = timestamp.parse().expect("Unix seconds");
    let webhook = Webhook::new(SECRET).expect("secret");
    assert_eq!(
        header("svix-signature"),
        webhook.sign(&id, timestamp, &body)
    );
    let event: serde_json::Value = serde_json::from_slice(&body).expect("JSON body");
    assert_eq!(event["type"], "session.revoked");
    assert_eq!(event["data"]["id"], "sess_2alice_personal");
    assert_eq!(event["data"]["status"], "revoked");
}

#[test]
fn a_webhook_url_without_a_secret_is_a_usage_error() {
    let out = std::process::Command::new(common::BIN)
        .args(["dev", "--webhook-url", "http://127.0.0.1:1/hook"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--webhook-secret"));
}
