//! Rendering a JWT template for one user: `clerk_claims::render` (Clerk's engine rules) against
//! the obvious alternative, a naive renderer that serializes the claims, `str::replace`s every
//! catalogue shortcode, and parses the JSON back. The naive one handles neither metadata paths
//! nor `||` chains, so it does less work than Clerk's engine; it is the cost floor people
//! reach for, and the ratio says what faithfulness costs.
#![forbid(unsafe_code)]

use std::hint::black_box;

use clerk_claims::render::{RenderContext, RenderOptions, render, render_with_warnings};
use clerk_claims_lang::CATALOGUE;
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::{Value, json};

fn user() -> Value {
    json!({
        "id": "user_abcdef123456789", "first_name": "Maria", "last_name": "Doe", "username": "maria",
        "external_id": null, "image_url": "https://example.com/avatar.jpg", "has_image": true,
        "primary_email_address_id": "idn_1", "primary_phone_number_id": null, "primary_web3_wallet_id": null,
        "email_addresses": [{"id": "idn_1", "email_address": "maria@example.com", "verification": {"status": "verified"}}],
        "phone_numbers": [], "web3_wallets": [], "two_factor_enabled": false,
        "created_at": 1_227_618_844_000_i64, "updated_at": 1_227_618_844_000_i64,
        "public_metadata": {"profile": {"interests": ["reading", "climbing"]}, "plan": "pro", "n": 3},
        "unsafe_metadata": {"foo": {"bar": 42}}
    })
}

fn org() -> (Value, Value) {
    let org = json!({"id": "org_1", "name": "Acme", "slug": "acme", "image_url": "https://img/acme.png",
                     "has_image": false, "public_metadata": {"tier": "gold"}});
    let membership = json!({"role": "org:admin", "permissions": ["org:invoices:read", "org:sys_profile:read"],
                            "public_metadata": {"seat": 1}, "organization": org.clone()});
    (org, membership)
}

/// The docs' "complete example" (its two unknown shortcodes stay literal, as in Clerk).
fn complete_example() -> Value {
    json!({
        "aud": "https://my-site.com", "version": 1, "foo": {"bar": [1, 2, 3]},
        "user_id": "{{user.id}}", "avatar": "{{user.image_url}}",
        "full_name": "{{user.last_name}} {{user.first_name}} ",
        "email": "{{user.primary_email_address}}", "phone": "{{user.primary_phone_address}}",
        "registration_date": "{{user.created_at}}",
        "likes_to_do": "{{user.public_metadata.profile.interests}}",
        "unsafe_meta": "{{user.unsafe_metadata}}", "invalid_shortcode": "{{user.i_dont_exist}}"
    })
}

/// About 2 KB of compact claims mixing every form: whole values, chains, interpolation,
/// metadata paths, nested objects and arrays.
fn two_kb_template() -> Value {
    let forms = [
        "{{user.id}}",
        "{{user.primary_email_address}}",
        "{{user.full_name || 'Anonymous'}}",
        "{{org.role || 'org:member'}}",
        "{{user.public_metadata.plan || 'free'}}",
        "Hi {{user.first_name}} {{user.last_name}}!",
        "{{org_membership.permissions}}",
        "{{user.created_at}}",
    ];
    let mut claims = serde_json::Map::new();
    let mut i = 0;
    while serde_json::to_string(&claims).map_or(0, |s| s.len()) < 1900 {
        let form = forms[i % forms.len()];
        if i % 5 == 4 {
            claims.insert(
                format!("nested_{i}"),
                json!({"a": form, "b": [form, "static"]}),
            );
        } else {
            claims.insert(format!("claim_{i}"), Value::String(form.to_string()));
        }
        i += 1;
    }
    Value::Object(claims)
}

/// The naive alternative: textual replacement of `"{{name}}"` (whole value, keeps the JSON
/// type) and `{{name}}` (inside text) for every catalogue shortcode, then parse.
fn naive_render(claims: &Value, ctx: &RenderContext) -> Value {
    let mut text = serde_json::to_string(claims).unwrap_or_default();
    for sc in CATALOGUE {
        let value = ctx.shortcode(sc.name);
        let whole = format!("\"{{{{{}}}}}\"", sc.name);
        if text.contains(&whole) {
            text = text.replace(&whole, &value.to_string());
        }
        let inner = format!("{{{{{}}}}}", sc.name);
        if text.contains(&inner) {
            let printed = match value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let escaped = serde_json::to_string(&printed).unwrap_or_default();
            text = text.replace(&inner, escaped.trim_matches('"'));
        }
    }
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

fn bench(c: &mut Criterion) {
    let (org, membership) = org();
    let ctx = match RenderContext::from_api(&user(), Some(&org), Some(&membership), None) {
        Ok(ctx) => ctx,
        Err(e) => panic!("bench context: {e}"),
    };
    for (name, claims) in [
        ("complete_example", complete_example()),
        ("two_kb", two_kb_template()),
    ] {
        let mut group = c.benchmark_group(format!("render/{name}"));
        group.bench_function("clerk_claims_clerk_mode", |b| {
            b.iter(|| render(black_box(&claims), black_box(&ctx), RenderOptions::clerk()))
        });
        if name != "complete_example" {
            group.bench_function("clerk_claims_strict_mode", |b| {
                b.iter(|| render(black_box(&claims), black_box(&ctx), RenderOptions::strict()))
            });
        }
        group.bench_function("clerk_claims_with_warnings", |b| {
            b.iter(|| render_with_warnings(black_box(&claims), black_box(&ctx)))
        });
        group.bench_function("naive_string_replace", |b| {
            b.iter(|| naive_render(black_box(&claims), black_box(&ctx)))
        });
        group.finish();
    }
    let user = user();
    c.bench_function("render/context_from_api", |b| {
        b.iter(|| RenderContext::from_api(black_box(&user), Some(&org), Some(&membership), None))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
