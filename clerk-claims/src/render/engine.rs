//! Clerk's Go template engine (the one behind JWT templates), step for step: exact
//! lookup, metadata paths, the coalescing regex, interpolation. Lenient by design: whatever
//! the engine does not recognise passes through as text.

use serde_json::{Map, Value};

use super::go_json::{any_to_string, go_float};
use super::{RenderContext, RenderError};
use crate::template::push_segment;

/// The shortcodes and metadata roots one string read, in order.
pub(crate) type Reads = Vec<&'static str>;

/// Go's `\s` (RE2): space, `\t`, `\n`, `\f`, `\r`.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0c' | b'\r')
}

/// `[\w\d\s\.]` of the coalescing regex.
fn is_operand_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || is_space(b)
}

/// Walks an object: strings substituted, objects recursed, arrays one level (direct string
/// elements only), other values copied. Keys are never substituted. Fails on the first
/// shortcode read whose context field is missing.
pub(crate) fn execute(
    map: &mut Map<String, Value>,
    ctx: &RenderContext,
) -> Result<(), RenderError> {
    walk(map, ctx, &mut String::new())
}

fn walk(
    map: &mut Map<String, Value>,
    ctx: &RenderContext,
    pointer: &mut String,
) -> Result<(), RenderError> {
    for (key, value) in map.iter_mut() {
        let len = pointer.len();
        push_segment(pointer, key);
        match value {
            Value::String(s) => *value = substitute_checked(s, ctx, pointer)?,
            Value::Object(inner) => walk(inner, ctx, pointer)?,
            Value::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    if let Value::String(s) = item {
                        let len = pointer.len();
                        push_segment(pointer, &i.to_string());
                        *item = substitute_checked(s, ctx, pointer)?;
                        pointer.truncate(len);
                    }
                }
            }
            _ => {}
        }
        pointer.truncate(len);
    }
    Ok(())
}

/// [`substitute`], then the first shortcode it read that the context cannot give.
fn substitute_checked(s: &str, ctx: &RenderContext, pointer: &str) -> Result<Value, RenderError> {
    let mut reads = Reads::new();
    let value = substitute(s, ctx, &mut reads);
    match reads.into_iter().find_map(|name| ctx.gap(name, pointer)) {
        Some(err) => Err(err),
        None => Ok(value),
    }
}

/// `substituteShortcodes`: whole-value forms first, then interpolation.
pub(crate) fn substitute(s: &str, ctx: &RenderContext, reads: &mut Reads) -> Value {
    if !s.contains("{{") {
        return Value::String(s.to_string());
    }
    match non_interpolated(s, ctx, reads) {
        Some(v) => v,
        None => Value::String(interpolate(s, ctx, reads)),
    }
}

/// `substituteNonInterpolatedShortcodes`: `{{shortcode}}`, `{{metadata.path}}`, or a `||` chain.
fn non_interpolated(s: &str, ctx: &RenderContext, reads: &mut Reads) -> Option<Value> {
    exact(s, ctx, reads).or_else(|| coalesced(s, ctx, reads))
}

/// `substituteExactShortcodes`: the literal string `{{name}}` (no trimming).
fn exact(s: &str, ctx: &RenderContext, reads: &mut Reads) -> Option<Value> {
    let inner = s.strip_prefix("{{")?.strip_suffix("}}")?;
    if let Some(sc) = clerk_claims_lang::lookup(inner) {
        reads.push(sc.name);
        return Some(ctx.shortcode(sc.name).clone());
    }
    let (root, rest) = clerk_claims_lang::PATH_ROOTS.iter().find_map(|(name, _)| {
        let rest = inner.strip_prefix(name)?;
        (rest.is_empty() || rest.starts_with('.')).then_some((*name, rest))
    })?;
    // `(\.\w+)*` after the root.
    let valid = rest.is_empty()
        || rest.strip_prefix('.').is_some_and(|r| {
            r.split('.').all(|seg| {
                !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            })
        });
    valid.then(|| {
        reads.push(root);
        ctx.resolve_path(inner)
    })
}

/// `shortcodeCoalescingMatcher`:
/// `\A{{[\w\d\s\.]+((\|\|\s*'[^']*'\s*)|(\|\|[\w\d\s\.]+))+}}\z`.
fn matches_coalescing(s: &str) -> bool {
    let Some(body) = s.strip_prefix("{{").and_then(|r| r.strip_suffix("}}")) else {
        return false;
    };
    let b = body.as_bytes();
    let mut pos = b.iter().take_while(|c| is_operand_byte(**c)).count();
    if pos == 0 {
        return false;
    }
    let mut groups = 0;
    while pos < b.len() {
        if b.get(pos..pos + 2) != Some(b"||") {
            return false;
        }
        pos += 2;
        let after_spaces = pos
            + b.get(pos..)
                .unwrap_or_default()
                .iter()
                .take_while(|c| is_space(**c))
                .count();
        if b.get(after_spaces) == Some(&b'\'') {
            let Some(close) = b
                .get(after_spaces + 1..)
                .unwrap_or_default()
                .iter()
                .position(|c| *c == b'\'')
            else {
                return false;
            };
            pos = after_spaces + 1 + close + 1;
            pos += b
                .get(pos..)
                .unwrap_or_default()
                .iter()
                .take_while(|c| is_space(**c))
                .count();
        } else {
            let n = b
                .get(pos..)
                .unwrap_or_default()
                .iter()
                .take_while(|c| is_operand_byte(**c))
                .count();
            if n == 0 {
                return false;
            }
            pos += n;
        }
        groups += 1;
    }
    groups > 0
}

/// `substituteNonInterpolatedCoalescedShortcodes`: split on every `||` (quotes included),
/// return the first truthy operand, or the last one whatever it is.
fn coalesced(s: &str, ctx: &RenderContext, reads: &mut Reads) -> Option<Value> {
    if !matches_coalescing(s) {
        return None;
    }
    let body = s.get(2..s.len() - 2)?;
    let parts: Vec<&str> = body.split("||").collect();
    let last = parts.len() - 1;
    for (i, part) in parts.iter().enumerate() {
        let operand = part.trim();
        let is_last = i == last;
        if let Some(v) = exact(&format!("{{{{{operand}}}}}"), ctx, reads) {
            if is_last || truthy(&v) {
                return Some(v);
            }
            continue;
        }
        if is_last || (operand != "null" && operand != "false") {
            return Some(literal(operand));
        }
    }
    None
}

/// `valueIsTruthy`: only `null` and `false` are falsy.
fn truthy(v: &Value) -> bool {
    !matches!(v, Value::Null | Value::Bool(false))
}

/// `coalescionTerminalStatementToJSON`.
fn literal(s: &str) -> Value {
    match s {
        "null" => return Value::Null,
        "true" => return Value::Bool(true),
        "false" => return Value::Bool(false),
        _ => {}
    }
    if s.contains('.')
        && let Ok(f) = s.parse::<f64>()
        && f.is_finite()
        && !s
            .bytes()
            .any(|b| b.is_ascii_alphabetic() && b != b'e' && b != b'E')
    {
        return go_float(f);
    }
    if let Ok(i) = s.parse::<i64>() {
        return Value::from(i);
    }
    Value::String(trim_quotes(s).to_string())
}

/// `trimJSONStringQuotes`: strip one pair of `'…'` or `"…"`.
fn trim_quotes(s: &str) -> &str {
    for q in ['\'', '"'] {
        if s.starts_with(q) && s.ends_with(q) {
            let inner = s.strip_prefix(q).unwrap_or(s);
            return inner.strip_suffix(q).unwrap_or(inner);
        }
    }
    s
}

/// `substituteInterpolatedShortcodes`: every `{{[^}]+}}` becomes its value through
/// `anyToString`; unrecognised ones print their own text (Go-escaped, like any string).
fn interpolate(s: &str, ctx: &RenderContext, reads: &mut Reads) -> String {
    let mut out = String::with_capacity(s.len());
    let mut from = 0;
    for std::ops::Range { start, end } in clerk_claims_lang::interpolations(s) {
        out.push_str(s.get(from..start).unwrap_or_default());
        let m = s.get(start..end).unwrap_or_default();
        let v = non_interpolated(m, ctx, reads).unwrap_or_else(|| Value::String(m.to_string()));
        out.push_str(&any_to_string(&v));
        from = end;
    }
    out.push_str(s.get(from..).unwrap_or_default());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coalescing_regex_needs_a_pipe_pair() {
        assert!(matches_coalescing("{{a||b}}"));
        assert!(matches_coalescing("{{ a || 'x y' }}"));
        assert!(matches_coalescing("{{a|| }}"));
        assert!(!matches_coalescing("{{a}}"));
        assert!(!matches_coalescing("{{'a'||b}}"));
        assert!(!matches_coalescing("{{a||-1}}"));
        assert!(!matches_coalescing("{{a||'x}}"));
        assert!(!matches_coalescing("{{a||'x' b}}"));
    }

    #[test]
    fn literals_parse_like_go() {
        assert_eq!(literal("null"), Value::Null);
        assert_eq!(literal("30"), Value::from(30));
        assert_eq!(literal("1.5"), Value::from(1.5));
        assert_eq!(literal("2.0"), Value::from(2));
        assert_eq!(literal("'x'"), Value::from("x"));
        assert_eq!(literal("1.2.3"), Value::from("1.2.3"));
        assert_eq!(literal("abc"), Value::from("abc"));
        assert_eq!(literal("'"), Value::from(""));
    }
}
