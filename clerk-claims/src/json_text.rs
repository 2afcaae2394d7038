//! Short, bounded descriptions of JSON values for error messages.
//!
//! Every error message that quotes a value from outside the process (a token claim, a template
//! body, a render context) goes through here, so no message carries more than
//! [`LIMIT`] characters of foreign data and all of them read the same way.

use std::borrow::Cow;

use serde_json::Value;

/// The most characters of a foreign value an error message quotes.
pub(crate) const LIMIT: usize = 64;

/// The kind of `value` and the value itself, clipped to [`LIMIT`] characters:
/// `null`, `the boolean true`, `the number 3`, `the string "abc"`, `an array [1,2]`,
/// `an object {"a":1}`.
pub(crate) fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {}", clip(&n.to_string())),
        Value::String(s) => format!("the string {:?}", clip(s)),
        Value::Array(_) => format!("an array {}", clip(&value.to_string())),
        Value::Object(_) => format!("an object {}", clip(&value.to_string())),
    }
}

/// At most [`LIMIT`] characters of `s`, cut on a character boundary and marked with `…`
/// when cut.
pub(crate) fn clip(s: &str) -> Cow<'_, str> {
    clip_to(s, LIMIT)
}

/// At most `limit` characters of `s`, cut on a character boundary and marked with `…` when cut
/// (for values a message only hints at, such as a signature).
pub(crate) fn clip_to(s: &str, limit: usize) -> Cow<'_, str> {
    match s.char_indices().nth(limit) {
        None => Cow::Borrowed(s),
        Some((cut, _)) => Cow::Owned(format!("{}…", s.get(..cut).unwrap_or_default())),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn clip_keeps_short_text_borrowed() {
        assert!(matches!(clip("abc"), Cow::Borrowed("abc")));
        let exact = "x".repeat(LIMIT);
        assert_eq!(clip(&exact), exact.as_str());
    }

    #[test]
    fn clip_cuts_long_text_on_a_char_boundary_with_an_ellipsis() {
        let long = "é".repeat(LIMIT + 10);
        let clipped = clip(&long);
        assert_eq!(clipped.chars().count(), LIMIT + 1);
        assert!(clipped.ends_with('…'));
        assert!(clipped.starts_with(&"é".repeat(LIMIT)));
    }

    #[test]
    fn describe_names_the_kind_and_quotes_the_value() {
        assert_eq!(describe(&json!(null)), "null");
        assert_eq!(describe(&json!(true)), "the boolean true");
        assert_eq!(describe(&json!(3)), "the number 3");
        assert_eq!(describe(&json!("abc")), "the string \"abc\"");
        assert_eq!(describe(&json!([1, 2])), "an array [1,2]");
        assert_eq!(describe(&json!({"a": 1})), "an object {\"a\":1}");
    }

    #[test]
    fn describe_never_quotes_more_than_the_limit() {
        let long = json!({"key": "v".repeat(500)});
        let text = describe(&long);
        assert!(
            text.chars().count() <= "an object ".len() + LIMIT + 1,
            "{text}"
        );
        let long = json!("s".repeat(500));
        assert!(describe(&long).contains('…'));
    }
}
