//! `Webhook::verify` on hostile and normal `svix-signature` headers, side by side in one run:
//! - `normal`: one `v1` signature, the right one (what Svix sends);
//! - `rotation`: the old and the new secret's signatures, the right one second;
//! - `hostile_8000_wrong`: 8000 wrong `v1` entries (refused unread by the length bound);
//! - `hostile_5000_wrong_then_right`: 5000 wrong entries and the right one last (likewise);
//! - `hostile_20_wrong_in_bound`: 20 wrong entries within the length bound (the first
//!   `MAX_SIGNATURES` are checked, the rest counted).
//!
//! Before the bounds, the 8000-entry header cost about 60 ms of CPU per request.

use std::hint::black_box;

use clerk_claims::Clock;
use clerk_claims::webhooks::{MAX_SIGNATURE_HEADER_LEN, Webhook};
use criterion::{Criterion, criterion_group, criterion_main};
use http::{HeaderMap, HeaderValue};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const NOW: i64 = 1_767_225_600;

fn headers(signature: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("svix-id", HeaderValue::from_static("msg_1"));
    headers.insert("svix-timestamp", HeaderValue::from(NOW));
    headers.insert(
        "svix-signature",
        HeaderValue::from_str(signature).expect("header value"),
    );
    headers
}

fn bench(c: &mut Criterion) {
    let webhook = Webhook::new(SECRET)
        .expect("secret")
        .with_clock(Clock::manual(NOW));
    let body =
        br#"{"type":"user.created","object":"event","data":{"id":"user_1","object":"user"}}"#;
    let right = webhook.sign("msg_1", NOW, body);
    let wrong = |n: usize| -> Vec<String> {
        (0..n)
            .map(|i| webhook.sign(&format!("msg_other{i}"), NOW, body))
            .collect()
    };
    let old = Webhook::new("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD").expect("secret");
    let with_right = |mut entries: Vec<String>| {
        entries.push(right.clone());
        entries.join(" ")
    };
    let cases = [
        ("normal", right.clone(), true),
        (
            "rotation",
            with_right(vec![old.sign("msg_1", NOW, body)]),
            true,
        ),
        ("hostile_8000_wrong", wrong(8000).join(" "), false),
        (
            "hostile_5000_wrong_then_right",
            with_right(wrong(5000)),
            false,
        ),
        ("hostile_20_wrong_in_bound", wrong(20).join(" "), false),
    ];
    assert!(cases[4].1.len() <= MAX_SIGNATURE_HEADER_LEN);

    let mut group = c.benchmark_group("webhook_verify");
    for (name, signature, accepted) in &cases {
        let headers = headers(signature);
        assert_eq!(webhook.verify(&headers, body).is_ok(), *accepted, "{name}");
        group.bench_function(*name, |b| {
            b.iter(|| black_box(webhook.verify(black_box(&headers), black_box(body))).is_ok())
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
