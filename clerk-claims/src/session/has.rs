//! `has()` on a session: Clerk's authorization questions asked of [`AuthObject`] and
//! [`SessionClaims`], answered by the evaluator in [`crate::authorize`], and the RBAC traits
//! ([`HasRole`], [`HasPermission`]) that route guards use, implemented for every role and
//! permission enum.

use crate::authorize::{Has, Query, Reverification, Subject, evaluate};
use crate::rbac::{ClerkPermission, ClerkRole, Forbidden, HasPermission, HasRole};

use super::{AuthObject, SessionClaims};

impl AuthObject {
    /// What the evaluator reads of this auth object.
    fn subject(&self) -> Subject<'_> {
        Subject {
            user_id: self.user_id.as_deref(),
            org_id: self.org_id.as_deref(),
            org_role: self.org_role.as_deref(),
            org_permissions: self.org_permissions.as_deref(),
            features: self.features.as_deref(),
            plans: self.plans.as_deref(),
            factor_verification_age: self.factor_verification_age,
        }
    }

    fn ask(&self, query: &Query<'_>) -> bool {
        evaluate(&self.subject(), query)
    }

    /// Clerk's `has()`: whether every part of `check` holds (false without a user, and false
    /// for an empty check).
    pub fn has(&self, check: &Has) -> bool {
        self.ask(&check.query())
    }

    /// Whether the active organization role is `role` (a declared [`ClerkRole`]).
    pub fn has_role<R: ClerkRole>(&self, role: R) -> bool {
        self.has_role_key(role.key())
    }

    /// Whether `permission` (a declared [`ClerkPermission`]) is granted.
    pub fn has_permission<P: ClerkPermission>(&self, permission: P) -> bool {
        self.has_permission_key(permission.key())
    }

    /// [`has_role`](Self::has_role) as a `Result`, for `?` in handlers. The error names the
    /// token's role as written, declared by `R` or not.
    pub fn require_role<R: ClerkRole>(&self, role: R) -> Result<(), Forbidden> {
        if self.has_role(role) {
            return Ok(());
        }
        let required = vec![role.key()];
        Err(match self.active_role_key() {
            None => Forbidden::Role {
                required,
                found: None,
            },
            Some(key) => match R::from_key(key) {
                Some(declared) => Forbidden::Role {
                    required,
                    found: Some(declared.key()),
                },
                None => Forbidden::UndeclaredRole {
                    required,
                    found: key.to_owned(),
                },
            },
        })
    }

    /// [`has_permission`](Self::has_permission) as a `Result`, for `?` in handlers.
    pub fn require_permission<P: ClerkPermission>(&self, permission: P) -> Result<(), Forbidden> {
        if self.has_permission(permission) {
            return Ok(());
        }
        Err(Forbidden::Permission {
            required: vec![permission.key()],
            all: true,
        })
    }

    /// Whether the active organization role is `key` (`admin` equals `org:admin`).
    pub fn has_role_key(&self, key: &str) -> bool {
        self.ask(&Query {
            role: Some(key),
            ..Query::default()
        })
    }

    /// Whether the permission `key` is granted (exact match after the `org:` prefix).
    pub fn has_permission_key(&self, key: &str) -> bool {
        self.ask(&Query {
            permission: Some(key),
            ..Query::default()
        })
    }

    /// Whether `feature` (optionally scoped: `o:`, `org:`, `u:`, `user:`) is in `fea`.
    pub fn has_feature(&self, feature: &str) -> bool {
        self.ask(&Query {
            feature: Some(feature),
            ..Query::default()
        })
    }

    /// Whether `plan` (optionally scoped) is in `pla`.
    pub fn has_plan(&self, plan: &str) -> bool {
        self.ask(&Query {
            plan: Some(plan),
            ..Query::default()
        })
    }

    /// Whether the user verified recently enough for `requirement`.
    pub fn has_reverification(&self, requirement: Reverification) -> bool {
        self.ask(&Query {
            reverification: Some(requirement),
            ..Query::default()
        })
    }

    /// The active organization's role key as the token writes it; `None` without an active
    /// organization.
    fn active_role_key(&self) -> Option<&str> {
        self.org_id.as_deref().filter(|id| !id.is_empty())?;
        self.org_role.as_deref().filter(|r| !r.is_empty())
    }
}

/// The same questions on the session token's claims; each one asks [`SessionClaims::auth`].
impl SessionClaims {
    /// Clerk's `has()`: whether every part of `check` holds (false without a user, and false
    /// for an empty check).
    pub fn has(&self, check: &Has) -> bool {
        self.auth().has(check)
    }

    /// Whether the active organization role is `role` (a declared [`ClerkRole`]).
    pub fn has_role<R: ClerkRole>(&self, role: R) -> bool {
        self.auth().has_role(role)
    }

    /// Whether `permission` (a declared [`ClerkPermission`]) is granted.
    pub fn has_permission<P: ClerkPermission>(&self, permission: P) -> bool {
        self.auth().has_permission(permission)
    }

    /// [`has_role`](Self::has_role) as a `Result`, for `?` in handlers. The error names the
    /// token's role as written, declared by `R` or not.
    pub fn require_role<R: ClerkRole>(&self, role: R) -> Result<(), Forbidden> {
        self.auth().require_role(role)
    }

    /// [`has_permission`](Self::has_permission) as a `Result`, for `?` in handlers.
    pub fn require_permission<P: ClerkPermission>(&self, permission: P) -> Result<(), Forbidden> {
        self.auth().require_permission(permission)
    }

    /// Whether the active organization role is `key` (`admin` equals `org:admin`).
    pub fn has_role_key(&self, key: &str) -> bool {
        self.auth().has_role_key(key)
    }

    /// Whether the permission `key` is granted (exact match after the `org:` prefix).
    pub fn has_permission_key(&self, key: &str) -> bool {
        self.auth().has_permission_key(key)
    }

    /// Whether `feature` (optionally scoped: `o:`, `org:`, `u:`, `user:`) is in `fea`.
    pub fn has_feature(&self, feature: &str) -> bool {
        self.auth().has_feature(feature)
    }

    /// Whether `plan` (optionally scoped) is in `pla`.
    pub fn has_plan(&self, plan: &str) -> bool {
        self.auth().has_plan(plan)
    }

    /// Whether the user verified recently enough for `requirement`.
    pub fn has_reverification(&self, requirement: Reverification) -> bool {
        self.auth().has_reverification(requirement)
    }
}

/// Any role enum is checked on a session token by key, with Clerk's `prefixWithOrg` rule.
impl<R: ClerkRole> HasRole<R> for AuthObject {
    fn has_role(&self, role: R) -> bool {
        AuthObject::has_role(self, role)
    }

    fn role_key(&self) -> Option<&str> {
        self.active_role_key()
    }
}

/// Any permission enum is checked on a session token by key.
impl<P: ClerkPermission> HasPermission<P> for AuthObject {
    fn has_permission(&self, permission: P) -> bool {
        AuthObject::has_permission(self, permission)
    }

    fn permission_keys(&self) -> Vec<&str> {
        if self.org_id.as_deref().is_none_or(str::is_empty) {
            return Vec::new();
        }
        self.org_permissions
            .iter()
            .flatten()
            .map(String::as_str)
            .collect()
    }
}

impl<R: ClerkRole> HasRole<R> for SessionClaims {
    fn has_role(&self, role: R) -> bool {
        self.auth().has_role(role)
    }

    fn role_key(&self) -> Option<&str> {
        HasRole::<R>::role_key(self.auth())
    }
}

impl<P: ClerkPermission> HasPermission<P> for SessionClaims {
    fn has_permission(&self, permission: P) -> bool {
        self.auth().has_permission(permission)
    }

    fn permission_keys(&self) -> Vec<&str> {
        HasPermission::<P>::permission_keys(self.auth())
    }
}
