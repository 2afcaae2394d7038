//! Webhook verification: arbitrary headers and body (`name: value` lines, an empty line, the
//! body), verified as received; then the same body correctly signed (under the input's
//! `svix-id` when it has one), so the event parsing sees arbitrary bodies. A correct signature
//! always passes the signature check.
#![no_main]

use std::sync::OnceLock;

use clerk_claims::Clock;
use clerk_claims::webhooks::{HEADER_ID, HEADER_SIGNATURE, HEADER_TIMESTAMP, Webhook};
use clerk_claims_fuzz as fz;
use http::HeaderValue;
use libfuzzer_sys::fuzz_target;

fn webhook() -> &'static Webhook {
    static WEBHOOK: OnceLock<Webhook> = OnceLock::new();
    WEBHOOK.get_or_init(|| {
        Webhook::new(fz::WEBHOOK_SECRET)
            .expect("the fuzz secret is valid")
            .with_clock(Clock::manual(fz::NOW))
    })
}

fn read(headers: &http::HeaderMap, body: &[u8]) {
    match webhook().verify_message(headers, body) {
        Ok(message) => {
            let _ = (message.event.event_type(), message.event.ended_session());
            let _ = message.event.data();
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let (head, body) = fz::head_and_body(data);
    let mut headers = fz::headers(head);
    read(&headers, body);

    let id = headers
        .get(HEADER_ID)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .unwrap_or("msg_fuzz")
        .to_owned();
    let signature = webhook().sign(&id, fz::NOW, body);
    let (Ok(id_value), Ok(signature)) = (
        HeaderValue::from_str(&id),
        HeaderValue::from_str(&signature),
    ) else {
        return;
    };
    headers.insert(HEADER_ID, id_value);
    headers.insert(HEADER_TIMESTAMP, HeaderValue::from(fz::NOW));
    headers.insert(HEADER_SIGNATURE, signature);
    if let Err(e) = webhook().verify_signature(&headers, body) {
        panic!("a correctly signed delivery was refused: {e}");
    }
    read(&headers, body);
});
