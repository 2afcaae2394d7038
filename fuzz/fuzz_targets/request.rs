//! The request flow (`request::authenticate`) on arbitrary requests: a request line
//! (`METHOD URI`) and `name: value` header lines (cookies, `Authorization`, `Sec-Fetch-Dest`,
//! forwarded host and proto, referrer …), or a `RequestDescription` JSON document (`{…}`).
//! The instance's key is local (the fuzz HMAC key; committed seeds carry tokens that verify at
//! the fixed clock), so nothing touches the network. A header line `x-fuzz-options: satellite`
//! (`live`, `proxy`) picks a satellite (production, proxied) instance. Then everything the
//! state offers: headers, redirect, cookies, notes, advice, handshake cookie lines.
#![no_main]

use std::sync::OnceLock;

use clerk_claims::Clock;
use clerk_claims::request::{
    self, RequestDescription, RequestOptions, RequestState, advice, notes,
};
use clerk_claims_fuzz as fz;
use http::request::Parts;
use libfuzzer_sys::fuzz_target;

struct Instances {
    plain: RequestOptions,
    live: RequestOptions,
    satellite: RequestOptions,
    proxy: RequestOptions,
}

fn instances() -> &'static Instances {
    static INSTANCES: OnceLock<Instances> = OnceLock::new();
    INSTANCES.get_or_init(|| {
        let base = || {
            RequestOptions::builder()
                .publishable_key(fz::PUBLISHABLE_KEY)
                .verifier(fz::verifier().clone())
                .clock(Clock::manual(fz::NOW))
        };
        Instances {
            plain: base().build().expect("plain options"),
            live: base()
                .publishable_key(fz::PUBLISHABLE_KEY.replace("pk_test_", "pk_live_"))
                .build()
                .expect("live options"),
            satellite: base()
                .satellite(true)
                .domain("satellite.example")
                .sign_in_url("https://primary.example/sign-in")
                .build()
                .expect("satellite options"),
            proxy: base()
                .proxy_url("https://app.example/__clerk")
                .build()
                .expect("proxy options"),
        }
    })
}

fn parts(data: &[u8]) -> Option<Parts> {
    if data.first() == Some(&b'{') {
        let text = std::str::from_utf8(data).ok()?;
        return RequestDescription::from_json(text).ok()?.to_parts().ok();
    }
    let (line, head) = fz::split_once(data, b'\n');
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let (method, uri) = fz::split_once(line, b' ');
    let uri = uri.map(|u| u.split(|&b| b == b' ').next().unwrap_or(u));
    let (mut parts, ()) = http::Request::builder()
        .method(http::Method::from_bytes(method).ok()?)
        .uri(http::Uri::try_from(uri.unwrap_or(b"/")).ok()?)
        .body(())
        .ok()?
        .into_parts();
    parts.headers = fz::headers(head.unwrap_or_default());
    Some(parts)
}

fn look_at(state: &RequestState, parts: &Parts) {
    let _ = (state.status(), state.message(), state.location());
    if let Some(reason) = state.reason() {
        let _ = advice(reason);
    }
    let _ = state.headers();
    let _ = state.redirect_now();
    for line in state.set_cookies() {
        let _ = (
            request::set_cookie_name(line),
            request::set_cookie_value(line),
        );
    }
    if let Some(session) = state.session() {
        let _ = session.claims.auth();
    }
    let _ = notes(state, parts);
}

fuzz_target!(|data: &[u8]| {
    let Some(parts) = parts(data) else {
        return;
    };
    let instances = instances();
    let options = match parts.headers.get("x-fuzz-options").map(|v| v.as_bytes()) {
        Some(b"satellite") => &instances.satellite,
        Some(b"proxy") => &instances.proxy,
        Some(b"live") => &instances.live,
        _ => &instances.plain,
    };
    let _ = request::is_handshake_eligible(&parts);
    let state = fz::runtime().block_on(request::authenticate(&parts, options));
    if fz::debug() {
        eprintln!("{:?} {:?}", state.status(), state.reason());
    }
    look_at(&state, &parts);
});
