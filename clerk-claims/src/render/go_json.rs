//! How Clerk's Go engine turns values into text and numbers: `json.Marshal` (sorted map keys,
//! HTML escaping, Go float formatting) and gjson's float64 numbers.
//!
//! Hand-written because no crate reproduces Go's `encoding/json` output byte for byte, and the
//! interpolated strings Clerk issues contain that output verbatim (`"{{user.public_metadata}}!"`
//! prints the object as Go's `json.Marshal` writes it).

use std::fmt::Write as _;

use serde_json::{Number, Value};

/// Go's `anyToString`: `json.Marshal(v)`, then surrounding `"` stripped.
pub(crate) fn any_to_string(value: &Value) -> String {
    let mut out = String::new();
    marshal(value, &mut out);
    if out.len() >= 2 && out.starts_with('"') && out.ends_with('"') {
        out.pop();
        out.remove(0);
    }
    out
}

/// Go `json.Marshal` of a decoded JSON value: objects are Go maps, so keys come out sorted.
pub(crate) fn marshal(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => number(n, out),
        Value::String(s) => string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                marshal(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (k, v)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                string(k, out);
                out.push(':');
                marshal(v, out);
            }
            out.push('}');
        }
    }
}

fn number(n: &Number, out: &mut String) {
    if let Some(i) = n.as_i64() {
        let _ = write!(out, "{i}");
    } else if let Some(u) = n.as_u64() {
        let _ = write!(out, "{u}");
    } else if let Some(f) = n.as_f64() {
        float(f, out);
    }
}

/// Go's `encoding/json` float64 format: `%f`-style shortest digits for 1e-6 ≤ |x| < 1e21,
/// otherwise exponent form with a signed exponent of at least one digit (`1e+21`, `1e-7`).
fn float(f: f64, out: &mut String) {
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let text = format!("{f:e}");
        match text.split_once('e') {
            Some((mantissa, exp)) if !exp.starts_with('-') => {
                let _ = write!(out, "{mantissa}e+{exp}");
            }
            _ => out.push_str(&text),
        }
    } else {
        let _ = write!(out, "{f}");
    }
}

/// A Go JSON string: `"`/`\` escaped, `\n \r \t \b \f` short forms, other controls as
/// `\u00XX`, and HTML-safe escapes for `<`, `>`, `&`, U+2028, U+2029.
fn string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A number as gjson's `Value()` hands it to the engine: a float64. Integers beyond 2^53 lose
/// precision exactly as in Clerk; integral floats within 2^53 are written as integers (Go
/// prints `30`, never `30.0`).
pub(crate) fn gjson_number(n: &Number) -> Number {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    let f = match (n.as_i64(), n.as_u64(), n.as_f64()) {
        (Some(i), _, _) if i.unsigned_abs() <= 1 << 53 => return Number::from(i),
        (_, _, Some(f)) => f,
        _ => return n.clone(),
    };
    if f.fract() == 0.0 && f.abs() <= EXACT {
        // Exact: |f| ≤ 2^53 fits i64 without rounding.
        Number::from(f as i64)
    } else {
        Number::from_f64(f).unwrap_or_else(|| n.clone())
    }
}

/// gjson's `Value()` of a whole subtree: every number becomes a float64.
pub(crate) fn gjson_value(v: &Value) -> Value {
    match v {
        Value::Number(n) => Value::Number(gjson_number(n)),
        Value::Array(items) => Value::Array(items.iter().map(gjson_value).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), gjson_value(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A coalescing literal's number as Clerk's Go produces it (`float64` or `int64`).
pub(crate) fn go_float(f: f64) -> Value {
    Number::from_f64(f).map_or(Value::Null, |n| Value::Number(gjson_number(&n)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strings_are_html_escaped_like_go() {
        assert_eq!(
            any_to_string(&json!("a<b>&\"c\"\n")),
            "a\\u003cb\\u003e\\u0026\\\"c\\\"\\n"
        );
    }

    #[test]
    fn objects_print_compact_with_sorted_keys() {
        assert_eq!(
            any_to_string(&json!({"b": 1, "a": [true, null]})),
            r#"{"a":[true,null],"b":1}"#
        );
    }

    #[test]
    fn floats_print_like_go() {
        assert_eq!(any_to_string(&json!(1.5)), "1.5");
        assert_eq!(any_to_string(&json!(1e21)), "1e+21");
        assert_eq!(any_to_string(&json!(1.5e-7)), "1.5e-7");
        assert_eq!(any_to_string(&json!(123456.0)), "123456");
    }

    #[test]
    fn gjson_numbers_are_float64() {
        assert_eq!(gjson_value(&json!(2.0)), json!(2));
        assert_eq!(gjson_value(&json!(u64::MAX)), json!(u64::MAX as f64));
        assert_eq!(gjson_value(&json!({"a": [3.0]})), json!({"a": [3]}));
    }

    #[test]
    fn control_characters_use_unicode_escapes() {
        assert_eq!(any_to_string(&json!("\u{1}\u{8}")), "\\u0001\\b");
    }
}
