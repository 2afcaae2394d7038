//! Reading template files: the claims JSON as typed into the dashboard, or a template object
//! with a `claims` field (the Backend API shape), per contract §4.

use std::path::Path;

use clerk_claims::JwtTemplate;
use clerk_claims_lang::rules;
use serde_json::Value;

use crate::error::CliError;

/// A template read from a file.
#[derive(Debug, Clone)]
pub struct TemplateFile {
    /// The template (name from the file, `--name`, or the file stem).
    pub template: JwtTemplate,
    /// Whether the file carried settings (a template object), not only claims.
    pub has_settings: bool,
    /// The raw claims text when the file is claims only (Clerk measures its size as typed).
    pub raw_claims_text: Option<String>,
    /// The path, for messages.
    pub path: String,
}

/// Reads a JSON file, `-` for stdin.
pub fn read_json(path: &str) -> Result<(String, Value), CliError> {
    let text = if path == "-" {
        std::io::read_to_string(std::io::stdin())
            .map_err(|e| CliError::Usage(format!("could not read stdin: {e}")))?
    } else {
        std::fs::read_to_string(path)
            .map_err(|e| CliError::Usage(format!("could not read {path}: {e}")))?
    };
    let value = serde_json::from_str(&text).map_err(|e| {
        CliError::Usage(format!("{path} is not JSON (expected a JSON object): {e}"))
    })?;
    Ok((text, value))
}

/// Reads a template file. `name` overrides the template name.
// LEAD: switch to `JwtTemplate::from_json` once template.rs has it (same two shapes).
pub fn read_template(path: &str, name: Option<&str>) -> Result<TemplateFile, CliError> {
    let (text, value) = read_json(path)?;
    let obj = value.as_object().ok_or_else(|| {
        CliError::Usage(format!(
            "{path}: expected a JSON object (claims, or a template with a `claims` field)"
        ))
    })?;
    let is_template_object = obj.get("claims").is_some_and(Value::is_object)
        && (obj.contains_key("name") || obj.contains_key("lifetime") || obj.len() == 1);
    let stem = Path::new(path)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("template")
        .to_owned();
    if is_template_object {
        let file_name = obj.get("name").and_then(Value::as_str);
        let int = |key: &str, default: u64| -> Result<u32, CliError> {
            match obj.get(key) {
                None | Some(Value::Null) => Ok(u32::try_from(default).unwrap_or(u32::MAX)),
                Some(v) => v
                    .as_u64()
                    .and_then(|n| u32::try_from(n).ok())
                    .ok_or_else(|| {
                        CliError::Usage(format!("{path}: {key} must be an integer, found {v}"))
                    }),
            }
        };
        let custom = obj
            .get("custom_signing_key")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        Ok(TemplateFile {
            template: JwtTemplate {
                name: name.or(file_name).unwrap_or(&stem).to_owned(),
                claims: obj.get("claims").cloned().unwrap_or_default(),
                lifetime: int("lifetime", rules::DEFAULT_LIFETIME)?,
                allowed_clock_skew: int("allowed_clock_skew", rules::DEFAULT_ALLOWED_CLOCK_SKEW)?,
                signing_algorithm: if custom {
                    obj.get("signing_algorithm")
                        .and_then(Value::as_str)
                        .map(str::to_owned)
                } else {
                    None
                },
                session_token: false,
            },
            has_settings: true,
            raw_claims_text: None,
            path: path.to_owned(),
        })
    } else {
        Ok(TemplateFile {
            template: JwtTemplate {
                name: name.unwrap_or(&stem).to_owned(),
                claims: value,
                lifetime: u32::try_from(rules::DEFAULT_LIFETIME).unwrap_or(60),
                allowed_clock_skew: u32::try_from(rules::DEFAULT_ALLOWED_CLOCK_SKEW).unwrap_or(5),
                signing_algorithm: None,
                session_token: false,
            },
            has_settings: false,
            raw_claims_text: Some(text),
            path: path.to_owned(),
        })
    }
}

/// Every rule Clerk applies on save that `file` breaks (empty when Clerk would accept it).
pub fn violations(file: &TemplateFile) -> Vec<rules::RuleViolation> {
    let t = &file.template;
    let mut out = Vec::new();
    let mut push = |r: Result<(), rules::RuleViolation>| {
        if let Err(v) = r {
            out.push(v);
        }
    };
    push(rules::check_name(&t.name));
    match &file.raw_claims_text {
        Some(text) => push(rules::check_claims_json_text(text)),
        None => push(rules::check_claims(&t.claims)),
    }
    push(rules::check_lifetime(u64::from(t.lifetime)));
    push(rules::check_allowed_clock_skew(u64::from(
        t.allowed_clock_skew,
    )));
    if let Some(alg) = &t.signing_algorithm {
        push(rules::check_signing_algorithm(alg));
    }
    out
}

/// Shortcode problems in claim strings: `(claim path, message)` for each string Clerk's engine
/// would not substitute as meant (unknown shortcode, syntax error), with suggestions.
pub fn shortcode_problems(claims: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    walk("", claims, &mut out);
    out
}

fn walk(path: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::String(s) => {
            if let Err(e) = clerk_claims_lang::parse_claim_string(s) {
                let hint = match e.suggestion {
                    Some(s) if !e.message.contains(s) => format!(" (did you mean `{s}`?)"),
                    _ => String::new(),
                };
                out.push((path.to_owned(), format!("{}{hint}", e.message)));
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                walk(&p, v, out);
            }
        }
        // Clerk substitutes only direct string elements of arrays (facts §1.3.1).
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                if v.is_string() {
                    walk(&format!("{path}[{i}]"), v, out);
                }
            }
        }
        _ => {}
    }
}
