//! Build-script export of templates and roles manifests: write the JSON a claims type (or a
//! role enum) describes, or check that a committed copy is up to date. One mechanism for both.
//!
//! ```no_run
//! // build.rs of a crate that depends on a claims crate
//! # mod my_claims { pub type ApiClaims = (); }
//! # fn doc<ApiClaims: clerk_claims::ClerkClaims>() {
//! clerk_claims::build::write_template::<ApiClaims>("templates/api.json").unwrap();
//! // or, in CI, fail when the committed file is stale:
//! clerk_claims::build::check_template::<ApiClaims>("templates/api.json").unwrap();
//! # }
//! ```

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;
use similar::{ChangeTag, TextDiff};

use crate::claims::ClerkClaims;
use crate::rbac::RoleGrants;

/// What a file holds: a template or a roles manifest, for messages and the writer to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Export {
    /// The JWT template of a claims type ([`write_template`]).
    Template,
    /// The roles manifest of a role enum ([`write_manifest`]).
    RolesManifest,
}

impl Export {
    fn noun(self) -> &'static str {
        match self {
            Export::Template => "template",
            Export::RolesManifest => "roles manifest",
        }
    }

    fn writer(self) -> &'static str {
        match self {
            Export::Template => "write_template",
            Export::RolesManifest => "write_manifest",
        }
    }
}

impl std::fmt::Display for Export {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.noun())
    }
}

/// Why a template or roles manifest could not be written or checked.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// Reading or writing the file failed.
    #[error("cannot {action} {what} file {}: {source}", path.display())]
    Io {
        /// `read` or `write`.
        action: &'static str,
        /// What the file holds.
        what: Export,
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The committed file does not exist.
    #[error("{what} file {} does not exist: expected the {what} of `{ty}`; run `{}` to create it", path.display(), what.writer())]
    Missing {
        /// What the file holds.
        what: Export,
        /// The file.
        path: PathBuf,
        /// The claims or role type.
        ty: &'static str,
    },
    /// The committed file is not JSON.
    #[error("{what} file {} is not JSON ({message}): expected the {what} of `{ty}`", path.display())]
    Invalid {
        /// What the file holds.
        what: Export,
        /// The file.
        path: PathBuf,
        /// The claims or role type.
        ty: &'static str,
        /// The parse error.
        message: String,
    },
    /// The committed file differs from what the code describes.
    #[error("{what} file {} is stale: it differs from the {what} of `{ty}` (- file, + code):\n{diff}", path.display())]
    Stale {
        /// What the file holds.
        what: Export,
        /// The file.
        path: PathBuf,
        /// The claims or role type.
        ty: &'static str,
        /// A line diff of the pretty JSON, `-` lines from the file, `+` lines from the code.
        diff: String,
    },
}

/// The file content for `C`: the Backend API body (name, claims, lifetime, skew, signing
/// algorithm), pretty JSON with keys in declaration order, and a final newline.
pub fn template_file<C: ClerkClaims>() -> String {
    pretty(&C::jwt_template().to_api_body())
}

/// The file content for the roles manifest of `R`
/// ([`Manifest::to_json_pretty`](crate::rbac::Manifest::to_json_pretty)).
pub fn manifest_file<R: RoleGrants>() -> String {
    crate::rbac::manifest::<R>().to_json_pretty()
}

fn pretty(value: &Value) -> String {
    // A `Value` always serializes; the fallback keeps this panic-free.
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// Writes the template of `C` to `path`, creating parent directories. The file is left
/// untouched when it already has this content, so a build script does not loop on its mtime.
pub fn write_template<C: ClerkClaims>(path: impl AsRef<Path>) -> Result<(), ExportError> {
    write_file(path.as_ref(), Export::Template, &template_file::<C>())
}

/// Checks that the committed file at `path` holds the template of `C` (compared as JSON, so
/// formatting does not matter); a stale file fails with a readable line diff.
pub fn check_template<C: ClerkClaims>(path: impl AsRef<Path>) -> Result<(), ExportError> {
    let expected = C::jwt_template().to_api_body();
    check_file(
        path.as_ref(),
        Export::Template,
        std::any::type_name::<C>(),
        &expected,
    )
}

/// Writes the roles manifest of `R` to `path`, as [`write_template`] writes a template.
pub fn write_manifest<R: RoleGrants>(path: impl AsRef<Path>) -> Result<(), ExportError> {
    write_file(path.as_ref(), Export::RolesManifest, &manifest_file::<R>())
}

/// Checks that the committed file at `path` holds the roles manifest of `R`, as
/// [`check_template`] checks a template.
pub fn check_manifest<R: RoleGrants>(path: impl AsRef<Path>) -> Result<(), ExportError> {
    // The manifest is strings and numbers only: it always converts.
    let expected = serde_json::to_value(crate::rbac::manifest::<R>()).unwrap_or_default();
    check_file(
        path.as_ref(),
        Export::RolesManifest,
        std::any::type_name::<R>(),
        &expected,
    )
}

/// Writes `content` unless the file already holds it.
fn write_file(path: &Path, what: Export, content: &str) -> Result<(), ExportError> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == content) {
        return Ok(());
    }
    let io = |source| ExportError::Io {
        action: "write",
        what,
        path: path.to_owned(),
        source,
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    std::fs::write(path, content).map_err(io)
}

/// Compares the JSON committed at `path` with `expected`.
fn check_file(
    path: &Path,
    what: Export,
    ty: &'static str,
    expected: &Value,
) -> Result<(), ExportError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(ExportError::Missing {
                what,
                path: path.to_owned(),
                ty,
            });
        }
        Err(source) => {
            return Err(ExportError::Io {
                action: "read",
                what,
                path: path.to_owned(),
                source,
            });
        }
    };
    let committed: Value = serde_json::from_str(&text).map_err(|e| ExportError::Invalid {
        what,
        path: path.to_owned(),
        ty,
        message: e.to_string(),
    })?;
    if committed == *expected {
        return Ok(());
    }
    Err(ExportError::Stale {
        what,
        path: path.to_owned(),
        ty,
        diff: line_diff(&pretty(&committed), &pretty(expected)),
    })
}

/// A line diff showing only changed lines with two lines of context, and `…` for each run of
/// unchanged lines left out: `-` lines from the file, then `+` lines from the code.
fn line_diff(old: &str, new: &str) -> String {
    let diff = TextDiff::from_lines(old, new);
    let mut out = String::new();
    // The old line up to which the output has gone, to mark what is left out.
    let mut shown_to = 0;
    for group in diff.grouped_ops(2) {
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            continue;
        };
        if first.old_range().start > shown_to {
            out.push_str("  …\n");
        }
        for op in &group {
            for change in diff.iter_changes(op) {
                let sign = match change.tag() {
                    ChangeTag::Delete => '-',
                    ChangeTag::Insert => '+',
                    ChangeTag::Equal => ' ',
                };
                let line = change.value();
                let line = line.strip_suffix('\n').unwrap_or(line);
                let line = line.strip_suffix('\r').unwrap_or(line);
                let _ = writeln!(out, "{sign} {line}");
            }
        }
        shown_to = last.old_range().end;
    }
    if shown_to < old.lines().count() {
        out.push_str("  …\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::line_diff;

    #[test]
    fn line_diff_marks_removed_and_added_lines_with_context() {
        let diff = line_diff("a\nb\nc\nd\ne\nf\ng\n", "a\nb\nc\nD\ne\nf\ng\n");
        assert_eq!(diff, "  …\n  b\n  c\n- d\n+ D\n  e\n  f\n  …\n");
    }

    #[test]
    fn line_diff_marks_left_out_lines_only_where_there_are_some() {
        let diff = line_diff("a\nb\nc\nd\ne\nf\n", "A\nb\nc\nd\ne\nf\ng\n");
        assert_eq!(diff, "- a\n+ A\n  b\n  c\n  …\n  e\n  f\n+ g\n");
    }
}
