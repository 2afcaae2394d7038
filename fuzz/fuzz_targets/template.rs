//! The template JSON parser: arbitrary JSON read as a JWT template (bare claims, or a Backend
//! API template object), then every check and rendering of it the library offers.
#![no_main]

use clerk_claims::JwtTemplate;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = clerk_claims_lang::check_claims_json_text(text);
    let Ok(json) = serde_json::from_str::<serde_json::Value>(text) else {
        return;
    };
    let _ = clerk_claims_lang::claims_violations(&json);
    let Ok(template) = JwtTemplate::from_json(&json) else {
        return;
    };
    if let Err(errors) = template.validate() {
        for error in errors {
            let _ = (error.code(), error.param(), error.to_string());
        }
    }
    for issue in template.check_shortcodes() {
        let _ = (issue.to_string(), issue.suggestion);
    }
    let _ = template.deprecated_shortcodes();
    let _ = template.to_json_pretty();
    // The Backend API body reads back as the same template (named: the API requires a name).
    let mut template = template;
    if template.name.is_empty() {
        template.name = "fuzz".to_owned();
    }
    let body = template.to_api_body();
    let again = JwtTemplate::from_json(&body)
        .unwrap_or_else(|e| panic!("the API body {body} of {text} does not read back: {e}"));
    assert_eq!(again, template, "the API body {body} reads back otherwise");
});
