//! The roles manifest: the roles and permissions the code declares, as JSON, for build-script
//! export and for `clerk-claims roles diff|push` against the instance.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::{ClerkPermission, RoleGrants, is_system_permission};

/// The manifest format this crate writes and reads (`"version"` in the JSON).
pub const MANIFEST_VERSION: u32 = 1;

/// The roles and permissions of one role enum and its permission enum, in declaration order:
/// `{"version": 1, "roles": [{"key", "name", "description", "permissions": [keys]}],
/// "permissions": [{"key", "name", "description"}]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Manifest {
    /// The manifest format, [`MANIFEST_VERSION`].
    pub version: u32,
    /// The roles, each with the permission keys it grants.
    pub roles: Vec<ManifestRole>,
    /// The permissions (system permissions are Clerk's and never listed).
    pub permissions: Vec<ManifestPermission>,
}

/// One role of a [`Manifest`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestRole {
    /// The role key, e.g. `org:admin`.
    pub key: String,
    /// The name shown in Clerk's dashboard.
    pub name: String,
    /// The description (empty when there is none).
    #[serde(default)]
    pub description: String,
    /// The keys of the permissions the role grants.
    pub permissions: Vec<String>,
}

/// One permission of a [`Manifest`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestPermission {
    /// The permission key, e.g. `org:invoices:read`.
    pub key: String,
    /// The name shown in Clerk's dashboard.
    pub name: String,
    /// The description (empty when there is none).
    #[serde(default)]
    pub description: String,
}

/// Why a manifest file cannot be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ManifestError {
    /// Not JSON, or a field of the wrong shape; the message names the field.
    #[error("not a roles manifest: {0}")]
    Shape(String),
    /// `version` is missing or not one this crate reads.
    #[error("roles manifest field `version` is {found}: expected {MANIFEST_VERSION}")]
    Version {
        /// What the file has there.
        found: String,
    },
    /// Two roles, or two permissions, with one key.
    #[error("roles manifest field `{field}` lists `{key}` twice: each key once")]
    DuplicateKey {
        /// `roles` or `permissions`.
        field: &'static str,
        /// The key.
        key: String,
    },
    /// A role grants a permission the manifest does not list.
    #[error(
        "role `{role}` grants `{permission}`, which field `permissions` does not list: add it there"
    )]
    UnknownPermission {
        /// The role key.
        role: String,
        /// The permission key.
        permission: String,
    },
    /// A system permission is listed or granted: Clerk's, never the code's.
    #[error(
        "`{key}` is a system permission (`org:sys_*`): Clerk manages those; remove it from the manifest"
    )]
    SystemPermission {
        /// The key.
        key: String,
    },
}

/// The manifest of `R` and the permission enum its roles grant.
///
/// ```
/// use clerk_claims::{ClerkPermission, ClerkRole};
///
/// #[derive(ClerkPermission, Debug, Clone, Copy, PartialEq, Eq, Hash)]
/// enum Permission {
///     #[clerk(key = "org:invoices:read")]
///     InvoicesRead,
/// }
///
/// #[derive(ClerkRole, Debug, Clone, Copy, PartialEq, Eq, Hash)]
/// #[clerk(permissions = Permission)]
/// enum Role {
///     #[clerk(key = "org:admin", grants(InvoicesRead))]
///     Admin,
///     #[clerk(key = "org:member")]
///     Member,
/// }
///
/// let manifest = clerk_claims::rbac::manifest::<Role>();
/// assert_eq!(manifest.roles[0].permissions, ["org:invoices:read"]);
/// assert_eq!(manifest.permissions[0].name, "Invoices read");
/// ```
#[must_use]
pub fn manifest<R: RoleGrants>() -> Manifest {
    let roles = R::ALL
        .iter()
        .map(|&role| ManifestRole {
            key: role.key().to_owned(),
            name: role.name().to_owned(),
            description: role.description().unwrap_or_default().to_owned(),
            permissions: role.grants().iter().map(|p| p.key().to_owned()).collect(),
        })
        .collect();
    let permissions = <R::Permission as ClerkPermission>::ALL
        .iter()
        .map(|&p| ManifestPermission {
            key: p.key().to_owned(),
            name: p.name().to_owned(),
            description: p.description().unwrap_or_default().to_owned(),
        })
        .collect();
    Manifest {
        version: MANIFEST_VERSION,
        roles,
        permissions,
    }
}

/// One difference between two manifests (the code's and the instance's), as
/// [`Manifest::diff`] reports it. Serialized with a `kind` tag for `roles diff --json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Drift {
    /// A role only the code declares.
    RoleOnlyInCode {
        /// The role key.
        role: String,
    },
    /// A role only the instance has.
    RoleOnlyInInstance {
        /// The role key.
        role: String,
    },
    /// A permission only the code declares.
    PermissionOnlyInCode {
        /// The permission key.
        permission: String,
    },
    /// A custom permission only the instance has.
    PermissionOnlyInInstance {
        /// The permission key.
        permission: String,
    },
    /// A role's `name` or `description` differs.
    RoleField {
        /// The role key.
        role: String,
        /// `name` or `description`.
        field: &'static str,
        /// The code's value.
        code: String,
        /// The instance's value.
        instance: String,
    },
    /// A permission's `name` or `description` differs.
    PermissionField {
        /// The permission key.
        permission: String,
        /// `name` or `description`.
        field: &'static str,
        /// The code's value.
        code: String,
        /// The instance's value.
        instance: String,
    },
    /// A role grants a permission in the code but not in the instance.
    GrantOnlyInCode {
        /// The role key.
        role: String,
        /// The permission key.
        permission: String,
    },
    /// A role grants a permission in the instance but not in the code.
    GrantOnlyInInstance {
        /// The role key.
        role: String,
        /// The permission key.
        permission: String,
    },
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Drift::RoleOnlyInCode { role } => write!(f, "role {role}: only in code"),
            Drift::RoleOnlyInInstance { role } => write!(f, "role {role}: only in the instance"),
            Drift::PermissionOnlyInCode { permission } => {
                write!(f, "permission {permission}: only in code")
            }
            Drift::PermissionOnlyInInstance { permission } => {
                write!(f, "permission {permission}: only in the instance")
            }
            Drift::RoleField {
                role,
                field,
                code,
                instance,
            } => write!(
                f,
                "role {role}: {field} {code:?} in code, {instance:?} in the instance"
            ),
            Drift::PermissionField {
                permission,
                field,
                code,
                instance,
            } => write!(
                f,
                "permission {permission}: {field} {code:?} in code, {instance:?} in the instance"
            ),
            Drift::GrantOnlyInCode { role, permission } => write!(
                f,
                "role {role}: grants {permission} in code, not in the instance"
            ),
            Drift::GrantOnlyInInstance { role, permission } => write!(
                f,
                "role {role}: grants {permission} in the instance, not in code"
            ),
        }
    }
}

impl Manifest {
    /// A manifest of these roles and permissions (e.g. read from an instance); system
    /// permissions are left out, as Clerk's and not the code's.
    #[must_use]
    pub fn new(roles: Vec<ManifestRole>, permissions: Vec<ManifestPermission>) -> Manifest {
        let roles = roles
            .into_iter()
            .map(|mut r| {
                r.permissions.retain(|p| !is_system_permission(p));
                r
            })
            .collect();
        let permissions = permissions
            .into_iter()
            .filter(|p| !is_system_permission(&p.key))
            .collect();
        Manifest {
            version: MANIFEST_VERSION,
            roles,
            permissions,
        }
    }

    /// What differs between this manifest (the code's) and `instance`: roles and permissions
    /// only on one side, a different name or description, a role granting different
    /// permissions. System permissions are ignored on both sides. Empty when in sync.
    #[must_use]
    pub fn diff(&self, instance: &Manifest) -> Vec<Drift> {
        let mut out = Vec::new();
        for p in &self.permissions {
            match instance.permissions.iter().find(|i| i.key == p.key) {
                None => out.push(Drift::PermissionOnlyInCode {
                    permission: p.key.clone(),
                }),
                Some(i) => {
                    for (field, code, theirs) in [
                        ("name", &p.name, &i.name),
                        ("description", &p.description, &i.description),
                    ] {
                        // A description the code does not declare is the instance's to keep.
                        if code != theirs && !(field == "description" && code.is_empty()) {
                            out.push(Drift::PermissionField {
                                permission: p.key.clone(),
                                field,
                                code: code.clone(),
                                instance: theirs.clone(),
                            });
                        }
                    }
                }
            }
        }
        for i in &instance.permissions {
            if !is_system_permission(&i.key) && !self.permissions.iter().any(|p| p.key == i.key) {
                out.push(Drift::PermissionOnlyInInstance {
                    permission: i.key.clone(),
                });
            }
        }
        for r in &self.roles {
            let Some(i) = instance.roles.iter().find(|i| i.key == r.key) else {
                out.push(Drift::RoleOnlyInCode {
                    role: r.key.clone(),
                });
                continue;
            };
            for (field, code, theirs) in [
                ("name", &r.name, &i.name),
                ("description", &r.description, &i.description),
            ] {
                if code != theirs && !(field == "description" && code.is_empty()) {
                    out.push(Drift::RoleField {
                        role: r.key.clone(),
                        field,
                        code: code.clone(),
                        instance: theirs.clone(),
                    });
                }
            }
            for p in &r.permissions {
                if !i.permissions.contains(p) {
                    out.push(Drift::GrantOnlyInCode {
                        role: r.key.clone(),
                        permission: p.clone(),
                    });
                }
            }
            for p in &i.permissions {
                if !is_system_permission(p) && !r.permissions.contains(p) {
                    out.push(Drift::GrantOnlyInInstance {
                        role: r.key.clone(),
                        permission: p.clone(),
                    });
                }
            }
        }
        for i in &instance.roles {
            if !self.roles.iter().any(|r| r.key == i.key) {
                out.push(Drift::RoleOnlyInInstance {
                    role: i.key.clone(),
                });
            }
        }
        out
    }

    /// The manifest as pretty JSON with a final newline: the file build scripts write.
    #[must_use]
    pub fn to_json_pretty(&self) -> String {
        // The manifest is strings and numbers only: it always serializes.
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Reads a manifest file's text, checking the version, that keys are unique, that every
    /// granted permission is listed, and that no system permission is.
    pub fn from_json(text: &str) -> Result<Self, ManifestError> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| ManifestError::Shape(e.to_string()))?;
        let Some(object) = value.as_object() else {
            return Err(ManifestError::Shape(
                "expected a JSON object with fields `version`, `roles` and `permissions`".into(),
            ));
        };
        match object.get("version") {
            Some(v) if v.as_u64() == Some(u64::from(MANIFEST_VERSION)) => {}
            Some(v) => {
                return Err(ManifestError::Version {
                    found: v.to_string(),
                });
            }
            None => {
                return Err(ManifestError::Version {
                    found: "missing".into(),
                });
            }
        }
        let manifest: Manifest =
            serde_json::from_value(value).map_err(|e| ManifestError::Shape(e.to_string()))?;
        manifest.check()?;
        Ok(manifest)
    }

    fn check(&self) -> Result<(), ManifestError> {
        let mut roles = HashSet::new();
        for role in &self.roles {
            if !roles.insert(role.key.as_str()) {
                return Err(ManifestError::DuplicateKey {
                    field: "roles",
                    key: role.key.clone(),
                });
            }
        }
        let mut permissions = HashSet::new();
        for p in &self.permissions {
            if is_system_permission(&p.key) {
                return Err(ManifestError::SystemPermission { key: p.key.clone() });
            }
            if !permissions.insert(p.key.as_str()) {
                return Err(ManifestError::DuplicateKey {
                    field: "permissions",
                    key: p.key.clone(),
                });
            }
        }
        for role in &self.roles {
            for p in &role.permissions {
                if is_system_permission(p) {
                    return Err(ManifestError::SystemPermission { key: p.clone() });
                }
                if !permissions.contains(p.as_str()) {
                    return Err(ManifestError::UnknownPermission {
                        role: role.key.clone(),
                        permission: p.clone(),
                    });
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{Manifest, ManifestError};

    #[test]
    fn manifest_of_another_version_is_an_error_naming_the_field() {
        let err = Manifest::from_json(r#"{"version": 2, "roles": [], "permissions": []}"#)
            .expect_err("version 2");
        assert!(matches!(err, ManifestError::Version { .. }));
        assert_eq!(
            err.to_string(),
            "roles manifest field `version` is 2: expected 1"
        );
    }

    #[test]
    fn a_file_that_is_not_a_manifest_names_the_missing_field() {
        let err =
            Manifest::from_json(r#"{"version": 1, "roles": []}"#).expect_err("no permissions");
        assert!(
            err.to_string().contains("missing field `permissions`"),
            "{err}"
        );
        let err = Manifest::from_json(r#"{"name": "api", "claims": {}}"#).expect_err("template");
        assert!(err.to_string().contains("`version`"), "{err}");
    }

    #[test]
    fn manifest_with_two_roles_of_one_key_is_an_error() {
        let text = r#"{"version": 1, "permissions": [], "roles": [
            {"key": "org:admin", "name": "Admin", "permissions": []},
            {"key": "org:admin", "name": "Admin 2", "permissions": []}]}"#;
        let err = Manifest::from_json(text).expect_err("duplicate");
        assert!(
            matches!(err, ManifestError::DuplicateKey { field: "roles", ref key } if key == "org:admin"),
            "{err}"
        );
    }

    #[test]
    fn manifest_role_granting_an_unlisted_permission_is_an_error() {
        let text = r#"{"version": 1, "permissions": [], "roles": [
            {"key": "org:admin", "name": "Admin", "permissions": ["org:invoices:read"]}]}"#;
        let err = Manifest::from_json(text).expect_err("unlisted");
        assert!(
            matches!(err, ManifestError::UnknownPermission { .. }),
            "{err}"
        );
    }
}
