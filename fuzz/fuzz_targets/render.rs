//! The renderer: arbitrary template claims rendered for an arbitrary context, given as one
//! JSON document `{"claims": …, "context": …}` (the `template render --context` shape) or
//! `{"claims": …, "shortcode_values": {…}, "metadata": …}` (the fixtures' shape). Both
//! strictness levels and the warnings; a strict render that succeeds renders the same as
//! Clerk's lenient one.
#![no_main]

use clerk_claims::render::{self, RenderContext, RenderOptions};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let built = match (doc.get("context"), doc.get("shortcode_values")) {
        (Some(ctx), _) => RenderContext::from_json(ctx),
        (None, Some(Value::Object(values))) => RenderContext::from_shortcode_values(
            values,
            doc.get("metadata").unwrap_or(&Value::Null),
        ),
        _ => return,
    };
    let ctx = match built {
        Ok(ctx) => ctx,
        Err(e) => {
            let _ = (e.to_string(), e.suggestion());
            return;
        }
    };
    let _ = ctx.metadata();
    let claims = doc.get("claims").unwrap_or(&Value::Null);
    if let Value::Object(map) = claims {
        for (key, value) in map {
            let _ = ctx.shortcode(key);
            let _ = ctx.resolve_path(key);
            if let Value::String(s) = value {
                let _ = render::render_str(s, &ctx);
            }
        }
    }
    let lenient = render::render(claims, &ctx, RenderOptions::clerk());
    let strict = render::render(claims, &ctx, RenderOptions::strict());
    let warned = render::render_with_warnings(claims, &ctx);
    if let Err(e) = &strict {
        let _ = (e.to_string(), e.suggestion());
    }
    if let Ok(strict) = strict {
        assert_eq!(
            Some(&strict),
            lenient.as_ref().ok(),
            "strict and lenient renders differ"
        );
    }
    if let Ok(warned) = warned {
        assert_eq!(
            Some(&warned.claims),
            lenient.as_ref().ok(),
            "render_with_warnings and render differ"
        );
    }
});
