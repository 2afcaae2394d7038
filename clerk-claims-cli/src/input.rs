//! Reading template files: the claims JSON as typed into the dashboard, or a template object
//! with a `claims` field (the Backend API shape). The shapes, field types and
//! Clerk's save rules are the runtime crate's ([`JwtTemplate::from_json`],
//! [`JwtTemplate::validate`], [`JwtTemplate::check_shortcodes`]); this module only adds what a
//! command line needs: files, stdin, a name from `--name` or the file stem.

use std::path::Path;

use clerk_claims::JwtTemplate;
use clerk_claims::template::{MAX_CLAIMS_BYTES, ShortcodeIssue, TemplateError};
use serde_json::Value;

use crate::error::CliError;

/// A template read from a file.
#[derive(Debug, Clone)]
pub struct TemplateFile {
    /// The template; its name comes from `--name` or the file's `name`, and is empty for a
    /// claims-only file read without `--name` (`push` then uses [`TemplateFile::stem`]).
    pub template: JwtTemplate,
    /// The file stem, the name a claims-only file is pushed under without `--name`.
    pub stem: String,
    /// Whether the file carried settings (a template object), not only claims.
    pub has_settings: bool,
    /// The size of the file's text, for claims-only files (what a paste into the dashboard
    /// sends).
    pub typed_len: Option<usize>,
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

fn is_missing_name(e: &TemplateError) -> bool {
    e.code() == Some("form_param_missing") && e.param() == Some("name")
}

/// Reads a template file. `name` overrides the template name.
pub fn read_template(path: &str, name: Option<&str>) -> Result<TemplateFile, CliError> {
    let (text, value) = read_json(path)?;
    let stem = Path::new(path)
        .file_stem()
        .and_then(|s| s.to_str())
        .filter(|s| *s != "-")
        .unwrap_or("template")
        .to_owned();
    let (mut template, has_settings) = match JwtTemplate::from_json(&value) {
        // A template object always has a name; bare claims never do.
        Ok(t) => {
            let has_settings = !t.name.is_empty();
            (t, has_settings)
        }
        // A template object without `name`: the command line supplies it.
        Err(e) if is_missing_name(&e) => {
            let mut named = value.clone();
            if let Some(obj) = named.as_object_mut() {
                let fallback = name.unwrap_or(&stem).to_owned();
                obj.insert("name".to_owned(), Value::String(fallback));
            }
            let t = JwtTemplate::from_json(&named)
                .map_err(|e| CliError::Rejected(format!("{path}: {e}")))?;
            (t, true)
        }
        Err(e) => return Err(CliError::Rejected(format!("{path}: {e}"))),
    };
    if let Some(name) = name {
        name.clone_into(&mut template.name);
    }
    Ok(TemplateFile {
        template,
        stem,
        has_settings,
        typed_len: (!has_settings).then_some(text.len()),
        path: path.to_owned(),
    })
}

impl TemplateFile {
    /// The template with a name: its own, else the file stem (what `template push` sends).
    pub fn named(&self) -> JwtTemplate {
        let mut t = self.template.clone();
        if t.name.is_empty() {
            t.name.clone_from(&self.stem);
        }
        t
    }

    /// What the file holds, for messages: `template "api"`, or `these claims` when unnamed.
    pub fn label(&self) -> String {
        if self.template.name.is_empty() {
            "these claims".to_owned()
        } else {
            format!("template {:?}", self.template.name)
        }
    }
}

/// Every rule Clerk applies on save that `file` breaks (empty when Clerk would accept it).
/// A claims-only file read without `--name` has no name to check.
pub fn violations(template: &JwtTemplate) -> Vec<String> {
    match template.validate() {
        Ok(()) => Vec::new(),
        Err(errors) => errors.iter().map(ToString::to_string).collect(),
    }
}

/// Notes that do not stop a save: a claims-only file whose text as typed is over Clerk's size
/// limit although its compact form fits (the dashboard measures what is pasted; `template push`
/// sends compact JSON), and deprecated shortcodes.
pub fn notes(file: &TemplateFile) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(len) = file.typed_len
        && len > MAX_CLAIMS_BYTES
    {
        out.push(format!(
            "the file is {len} bytes as typed, over Clerk's {MAX_CLAIMS_BYTES}-byte limit for \
             claims pasted into the dashboard; paste it compacted, or use `template push`, which \
             sends compact JSON"
        ));
    }
    for sc in file.template.deprecated_shortcodes() {
        out.push(format!("{{{{{}}}}} is deprecated", sc.name));
    }
    out
}

/// Shortcode problems in claim strings, one line each (see [`issue_line`]).
pub fn shortcode_problems(template: &JwtTemplate) -> Vec<String> {
    template.check_shortcodes().iter().map(issue_line).collect()
}

/// One shortcode problem on one line: where (`claims/…` pointer), the string, what Clerk would
/// do with it, and the nearest known shortcode.
pub fn issue_line(issue: &ShortcodeIssue) -> String {
    let hint = match issue.suggestion {
        Some(s) if !issue.message.contains(s) => format!(" (did you mean `{s}`?)"),
        _ => String::new(),
    };
    format!("claims{issue}{hint}")
}
