//! A structural JSON diff that reads well in a terminal: one line per changed path.
//!
//! Hand-written: the diff crates on crates.io diff text lines or emit JSON Patch; a template
//! reviewer wants `claims.plan: "…" → "…"` keyed by claim path, with JSON values verbatim.

use serde_json::Value;

/// One difference between the left (`FILE`) and right (other file or remote) side.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Only on the left.
    OnlyLeft { path: String, value: Value },
    /// Only on the right.
    OnlyRight { path: String, value: Value },
    /// On both sides, different.
    Changed {
        path: String,
        left: Value,
        right: Value,
    },
}

/// Every difference between `left` and `right`, objects compared key by key (recursively),
/// everything else (arrays included) compared as a whole.
pub fn diff(path: &str, left: &Value, right: &Value) -> Vec<Change> {
    let mut out = Vec::new();
    walk(path, left, right, &mut out);
    out
}

fn join(path: &str, key: &str) -> String {
    let simple = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    let key = if simple {
        key.to_owned()
    } else {
        format!("{key:?}")
    };
    if path.is_empty() {
        key
    } else {
        format!("{path}.{key}")
    }
}

fn walk(path: &str, left: &Value, right: &Value, out: &mut Vec<Change>) {
    match (left, right) {
        (Value::Object(l), Value::Object(r)) => {
            for (k, lv) in l {
                let p = join(path, k);
                match r.get(k) {
                    Some(rv) => walk(&p, lv, rv, out),
                    None => out.push(Change::OnlyLeft {
                        path: p,
                        value: lv.clone(),
                    }),
                }
            }
            for (k, rv) in r {
                if !l.contains_key(k) {
                    out.push(Change::OnlyRight {
                        path: join(path, k),
                        value: rv.clone(),
                    });
                }
            }
        }
        _ if left == right => {}
        _ => out.push(Change::Changed {
            path: path.to_owned(),
            left: left.clone(),
            right: right.clone(),
        }),
    }
}

/// The changes as lines: `- path: value` (only left), `+ path: value` (only right),
/// `~ path: left → right`, with the side names in a header.
pub fn render(changes: &[Change], left_name: &str, right_name: &str) -> String {
    let mut s = format!("--- {left_name}\n+++ {right_name}\n");
    for c in changes {
        let line = match c {
            Change::OnlyLeft { path, value } => {
                format!("- {path}: {value}   (only in {left_name})")
            }
            Change::OnlyRight { path, value } => {
                format!("+ {path}: {value}   (only in {right_name})")
            }
            Change::Changed { path, left, right } => format!("~ {path}: {left} → {right}"),
        };
        s.push_str(&line);
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_claim_changes_are_reported_by_path() {
        let l = json!({"claims": {"plan": "{{user.public_metadata.plan || 'free'}}", "a": 1}});
        let r = json!({"claims": {"plan": "{{user.public_metadata.plan}}", "b": 2}});
        let changes = diff("", &l, &r);
        assert_eq!(changes.len(), 3);
        let text = render(&changes, "file", "remote");
        assert!(text.contains("~ claims.plan: \"{{user.public_metadata.plan || 'free'}}\" → \"{{user.public_metadata.plan}}\""), "{text}");
        assert!(text.contains("- claims.a: 1"), "{text}");
        assert!(text.contains("+ claims.b: 2"), "{text}");
    }

    #[test]
    fn claim_names_with_dots_are_quoted() {
        let changes = diff("", &json!({"https://hasura.io/jwt/claims": 1}), &json!({}));
        let text = render(&changes, "a", "b");
        assert!(
            text.contains("- \"https://hasura.io/jwt/claims\": 1"),
            "{text}"
        );
    }

    #[test]
    fn equal_documents_have_no_changes() {
        let v = json!({"a": [1, {"b": null}]});
        assert!(diff("", &v, &v).is_empty());
    }
}
