//! `clerk-claims template check|render|diff|push|pull`.

use clerk_claims::api::{ClerkApi, Upserted};
use clerk_claims::render::{self, RenderContext, RenderError};
use clerk_claims::template::{IssueKind, ShortcodeIssue};
use clerk_claims::verify::advice::null_claims;
use serde_json::{Value, json};

use crate::config::ApiArgs;
use crate::diff;
use crate::error::CliError;
use crate::input::{self, TemplateFile};

/// `template check FILE`: Clerk's save rules plus the shortcode catalogue. Exit 0 when Clerk
/// would accept the template and substitute every shortcode as written, 1 otherwise.
pub fn check(file: &str, name: Option<&str>) -> Result<String, CliError> {
    let tf = input::read_template(file, name)?;
    let indent = |lines: Vec<String>| -> String {
        lines
            .into_iter()
            .map(|l| format!("\n  {l}"))
            .collect::<String>()
    };
    let violations = input::violations(&tf.template);
    let shortcodes = input::shortcode_problems(&tf.template);
    let notes = indent(
        input::notes(&tf)
            .into_iter()
            .map(|n| format!("note: {n}"))
            .collect(),
    );
    let t = &tf.template;
    if violations.is_empty() && shortcodes.is_empty() {
        return Ok(format!(
            "{}: Clerk would accept {} ({} claims, lifetime {} s, clock skew {} s){notes}",
            tf.path,
            tf.label(),
            t.claims.as_object().map_or(0, |o| o.len()),
            t.lifetime,
            t.allowed_clock_skew
        ));
    }
    let mut out = String::new();
    if !violations.is_empty() {
        out.push_str(&format!(
            "{}: Clerk would reject {}:{}",
            tf.path,
            tf.label(),
            indent(violations)
        ));
    }
    if !shortcodes.is_empty() {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&format!(
            "{}: Clerk would save {} but send these values as written, without \
             substituting them:{}",
            tf.path,
            tf.label(),
            indent(shortcodes)
        ));
    }
    out.push_str(&notes);
    Err(CliError::Rejected(out))
}

/// `template render FILE --context CTX [--json] [--strict]`: the custom claims Clerk would
/// issue, rendered exactly as Clerk's engine does.
///
/// Claim strings Clerk sends as written (unknown shortcodes, `{{…}}` inside an object in an
/// array) are warnings: one line each on stderr, and with `--json` a `warnings` array next to
/// `claims`. `--strict` makes any warning fail the command (exit 1, nothing on stdout). A
/// context that lacks a field some shortcode reads is a usage error naming that shortcode.
pub fn render_cmd(
    file: &str,
    context: &str,
    json_out: bool,
    strict: bool,
) -> Result<String, CliError> {
    let tf = input::read_template(file, None)?;
    let (_, ctx_json) = input::read_json(context)?;
    let ctx = RenderContext::from_json(&ctx_json)
        .map_err(|e| CliError::Usage(format!("{context}: {e}")))?;
    let rendered =
        render::render_with_warnings(&tf.template.claims, &ctx).map_err(|e| match e {
            RenderError::MissingContext { .. } => CliError::Usage(format!("{context}: {e}")),
            e => CliError::Rejected(format!("{}: {e}", tf.path)),
        })?;
    let lines: Vec<String> = rendered.warnings.iter().map(input::issue_line).collect();
    if strict && !lines.is_empty() {
        return Err(CliError::Rejected(format!(
            "{}: Clerk would send these values as written, without substituting them \
             (--strict):{}",
            tf.path,
            lines.iter().map(|l| format!("\n  {l}")).collect::<String>()
        )));
    }
    for line in &lines {
        eprintln!("warning: {}: {line}", tf.path);
    }
    // Claims that are null for this user: not Clerk's engine's concern, not --strict's.
    let nulls = null_claims(&tf.template.claims, &rendered.claims);
    for (pointer, advice) in &nulls {
        eprintln!(
            "warning: {}: claims{pointer}: {}; fix: {}",
            tf.path, advice.cause, advice.fix
        );
    }
    let text = if json_out {
        let mut warnings: Vec<Value> = rendered.warnings.iter().map(warning_json).collect();
        warnings.extend(nulls.iter().map(|(pointer, advice)| {
            json!({
                "kind": "null",
                "pointer": pointer,
                "value": Value::Null,
                "message": advice.cause,
                "suggestion": advice.fix,
            })
        }));
        serde_json::to_string(&json!({ "claims": rendered.claims, "warnings": warnings }))
    } else {
        serde_json::to_string_pretty(&rendered.claims)
    };
    text.map_err(|e| CliError::Rejected(e.to_string()))
}

/// One warning of `template render --json`.
fn warning_json(issue: &ShortcodeIssue) -> Value {
    json!({
        "kind": match issue.kind {
            IssueKind::NotWalked => "not_walked",
            _ => "syntax",
        },
        "pointer": issue.pointer,
        "value": issue.value,
        "message": issue.message,
        "suggestion": issue.suggestion,
    })
}

/// The parts of a template that a diff compares: the claims, plus settings when both sides
/// carry them (a claims-only file has none).
fn comparable(tf_settings: bool, other_settings: bool, t: &clerk_claims::JwtTemplate) -> Value {
    if tf_settings && other_settings {
        json!({
            "claims": t.claims,
            "lifetime": t.lifetime,
            "allowed_clock_skew": t.allowed_clock_skew,
            "signing_algorithm": t.signing_algorithm,
        })
    } else {
        json!({ "claims": t.claims })
    }
}

/// The diff of two templates, `Ok` with a message when equal, `Differ` with the diff text.
fn compare(
    left: &TemplateFile,
    right: &clerk_claims::JwtTemplate,
    right_settings: bool,
    right_name: &str,
) -> Result<String, CliError> {
    let l = comparable(left.has_settings, right_settings, &left.template);
    let r = comparable(left.has_settings, right_settings, right);
    let changes = diff::diff("", &l, &r);
    if changes.is_empty() {
        Ok(format!("{} and {right_name} are the same", left.path))
    } else {
        Err(CliError::Differ(format!(
            "{} and {right_name} differ ({} change{}):\n{}",
            left.path,
            changes.len(),
            if changes.len() == 1 { "" } else { "s" },
            diff::render(&changes, &left.path, right_name).trim_end()
        )))
    }
}

/// `template diff FILE OTHER`.
pub fn diff_files(left: &str, right: &str) -> Result<String, CliError> {
    let l = input::read_template(left, None)?;
    let r = input::read_template(right, None)?;
    compare(&l, &r.template, r.has_settings, right)
}

/// `template diff FILE --remote NAME`.
pub async fn diff_remote(file: &str, remote: &str, api: &ApiArgs) -> Result<String, CliError> {
    let l = input::read_template(file, Some(remote))?;
    let api = api.client()?;
    let found = find(&api, remote).await?;
    compare(
        &l,
        &found.to_template(),
        true,
        &format!("remote template {remote:?}"),
    )
}

async fn find(
    api: &ClerkApi,
    name: &str,
) -> Result<clerk_claims::api::JwtTemplateResource, CliError> {
    api.find_template_by_name(name).await?.ok_or_else(|| {
        CliError::Rejected(format!(
            "no JWT template named {name:?} on {} (expected one; push it with \
             `clerk-claims template push FILE --name {name}`)",
            api.base_url()
        ))
    })
}

/// `template push FILE [--name NAME]`: create or update by name, after the local save checks.
pub async fn push(file: &str, name: Option<&str>, api: &ApiArgs) -> Result<String, CliError> {
    let tf = input::read_template(file, name)?;
    let template = tf.named();
    let problems = input::violations(&template);
    if !problems.is_empty() {
        let list: Vec<String> = problems.iter().map(|v| format!("  {v}")).collect();
        return Err(CliError::Rejected(format!(
            "{}: not pushed, Clerk would reject it:\n{}",
            tf.path,
            list.join("\n")
        )));
    }
    let api = api.client()?;
    let done = api.upsert_template(&template).await?;
    let verb = match &done {
        Upserted::Created(_) => "created",
        Upserted::Updated(_) => "updated",
        Upserted::Unchanged(_) => "unchanged",
    };
    let r = done.resource();
    Ok(format!(
        "{verb} JWT template {:?} ({}) on {}",
        r.name,
        r.id,
        api.base_url()
    ))
}

/// `template pull NAME [--claims-only]`: the dashboard template, as a template object.
pub async fn pull(name: &str, claims_only: bool, api: &ApiArgs) -> Result<String, CliError> {
    let api = api.client()?;
    let found = find(&api, name).await?;
    let value = if claims_only {
        found.claims.clone()
    } else {
        found.to_template().to_api_body()
    };
    serde_json::to_string_pretty(&value).map_err(|e| CliError::Rejected(e.to_string()))
}
