//! The shortcode language (clerk-claims-lang): expressions, claim strings, interpolation
//! ranges, the catalogue lookups and the save rules on arbitrary text, and the runtime
//! renderer's substitution of that text. A parsed expression or claim string prints as text
//! that parses back to the same value.
#![no_main]

use std::sync::OnceLock;

use clerk_claims::render::{RenderContext, render_str};
use clerk_claims_lang as lang;
use libfuzzer_sys::fuzz_target;

fn context() -> &'static RenderContext {
    static CONTEXT: OnceLock<RenderContext> = OnceLock::new();
    CONTEXT.get_or_init(|| {
        let fixture: serde_json::Value = serde_json::from_str(include_str!(
            "../../testdata/clerk-fixtures/jwt-template-rendering.json"
        ))
        .expect("the fixture is JSON");
        let case = &fixture[0];
        let values = case["shortcode_values"]
            .as_object()
            .expect("shortcode_values");
        RenderContext::from_shortcode_values(values, &case["metadata"])
            .expect("the fixture's context builds")
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(expr) = lang::parse_expr(&text) {
        let _ = (expr.json_type(), expr.can_be_null(), expr.org_scoped());
        let _ = (expr.shortcodes().count(), expr.alternatives().count());
        for op in expr.reachable() {
            let _ = op.json_type();
        }
        let canonical = expr.to_string();
        let again = lang::parse_expr(&canonical).unwrap_or_else(|e| {
            panic!("{canonical:?} (printed from {text:?}) does not parse: {e}")
        });
        assert_eq!(again, expr, "{canonical:?} parses to another expression");
    }
    if let Ok(claim) = lang::parse_claim_string(&text) {
        let printed = claim.to_string();
        let again = lang::parse_claim_string(&printed)
            .unwrap_or_else(|e| panic!("{printed:?} (printed from {text:?}) does not parse: {e}"));
        assert_eq!(again, claim, "{printed:?} parses to another claim string");
    }
    for range in lang::interpolations(&text) {
        let _ = lang::parse_expr(&text[range]);
    }
    let _ = (lang::lookup(&text), lang::path_root(&text));
    if text.len() <= 64 {
        let _ = lang::suggest(&text);
    }
    let _ = lang::check_name(&text);
    let _ = lang::check_signing_algorithm(&text);
    let _ = lang::check_claims_json_text(&text);
    let _ = render_str(&text, context());
});
