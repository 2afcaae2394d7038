//! Bodies of the generated enum impls and RBAC methods, so generated code stays one-line calls.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, Visitor};

use super::checks::{PermissionField, RoleField};
use crate::rbac::{
    ClerkPermission, ClerkRole, Forbidden, HasPermission, HasRole, Permissions, UnknownKey,
};

pub use clerk_claims_lang::rules::role_name;

/// Reads a role or permission key as one of the enum's declared keys, or an [`UnknownKey`]
/// error naming them all.
pub fn deserialize_key<'de, T, D: Deserializer<'de>>(
    deserializer: D,
    kind: &'static str,
    ty: &'static str,
    keys: &'static [&'static str],
    from_key: fn(&str) -> Option<T>,
) -> Result<T, D::Error> {
    struct KeyVisitor<T> {
        kind: &'static str,
        ty: &'static str,
        keys: &'static [&'static str],
        from_key: fn(&str) -> Option<T>,
        _marker: PhantomData<fn() -> T>,
    }

    impl<T> Visitor<'_> for KeyVisitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a {} key declared by `{}`", self.kind, self.ty)
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            (self.from_key)(v).ok_or_else(|| {
                E::custom(UnknownKey {
                    kind: self.kind,
                    ty: self.ty,
                    expected: self.keys,
                    found: v.to_owned(),
                })
            })
        }
    }

    deserializer.deserialize_str(KeyVisitor {
        kind,
        ty,
        keys,
        from_key,
        _marker: PhantomData,
    })
}

/// `FromStr` for a derived enum.
pub fn parse_key<T>(
    s: &str,
    kind: &'static str,
    ty: &'static str,
    keys: &'static [&'static str],
    from_key: fn(&str) -> Option<T>,
) -> Result<T, UnknownKey> {
    from_key(s).ok_or_else(|| UnknownKey {
        kind,
        ty,
        expected: keys,
        found: s.to_owned(),
    })
}

// The field side of a derived claims type's `HasRole` / `HasPermission` impls.

/// `HasRole::has_role` of a derived claims type: the role field's role.
#[inline]
pub fn field_has_role<F: RoleField>(field: &F, role: F::Role) -> bool {
    field.role() == Some(role)
}

/// `HasRole::role_key` of a derived claims type: the declared role's key (an undeclared role
/// does not decode).
#[inline]
pub fn field_role_key<F: RoleField>(field: &F) -> Option<&'static str> {
    field.role().map(ClerkRole::key)
}

/// `HasPermission::has_permission` of a derived claims type.
#[inline]
pub fn field_has_permission<F: PermissionField>(field: &F, permission: F::Permission) -> bool {
    field.permissions().contains(permission)
}

/// `HasPermission::permission_keys` of a derived claims type: the granted declared
/// permissions' keys.
pub fn field_permission_keys<F: PermissionField>(field: &F) -> Vec<&'static str> {
    field
        .permissions()
        .iter()
        .map(ClerkPermission::key)
        .collect()
}

// The inherent RBAC methods of a derived claims type, over the traits.

/// `has_role`.
#[inline]
pub fn has_role<C: HasRole<R> + ?Sized, R: ClerkRole>(claims: &C, role: R) -> bool {
    claims.has_role(role)
}

/// `has_any_role`.
#[inline]
pub fn has_any_role<C: HasRole<R> + ?Sized, R: ClerkRole>(claims: &C, roles: &[R]) -> bool {
    roles.iter().any(|r| claims.has_role(*r))
}

/// `require_role`.
pub fn require_role<C: HasRole<R> + ?Sized, R: ClerkRole>(
    claims: &C,
    role: R,
) -> Result<(), Forbidden> {
    require_any_role(claims, &[role])
}

/// `require_any_role`.
pub fn require_any_role<C: HasRole<R> + ?Sized, R: ClerkRole>(
    claims: &C,
    roles: &[R],
) -> Result<(), Forbidden> {
    if has_any_role(claims, roles) {
        return Ok(());
    }
    Err(Forbidden::Role {
        required: roles.iter().map(|r| r.key()).collect(),
        found: claims.role_key().and_then(R::from_key).map(ClerkRole::key),
    })
}

/// `has_permission`.
#[inline]
pub fn has_permission<C: HasPermission<P> + ?Sized, P: ClerkPermission>(
    claims: &C,
    permission: P,
) -> bool {
    claims.has_permission(permission)
}

/// `has_any_permission`.
#[inline]
pub fn has_any_permission<C: HasPermission<P> + ?Sized, P: ClerkPermission>(
    claims: &C,
    permissions: &[P],
) -> bool {
    permissions.iter().any(|p| claims.has_permission(*p))
}

/// `has_all_permissions`.
#[inline]
pub fn has_all_permissions<C: HasPermission<P> + ?Sized, P: ClerkPermission>(
    claims: &C,
    permissions: &[P],
) -> bool {
    permissions.iter().all(|p| claims.has_permission(*p))
}

fn forbidden_permission<P: ClerkPermission>(permissions: &[P], all: bool) -> Forbidden {
    Forbidden::Permission {
        required: permissions.iter().map(|p| p.key()).collect(),
        all,
    }
}

/// `require_permission`.
pub fn require_permission<C: HasPermission<P> + ?Sized, P: ClerkPermission>(
    claims: &C,
    permission: P,
) -> Result<(), Forbidden> {
    if claims.has_permission(permission) {
        Ok(())
    } else {
        Err(forbidden_permission(&[permission], true))
    }
}

/// `require_any_permission`.
pub fn require_any_permission<C: HasPermission<P> + ?Sized, P: ClerkPermission>(
    claims: &C,
    permissions: &[P],
) -> Result<(), Forbidden> {
    if has_any_permission(claims, permissions) {
        Ok(())
    } else {
        Err(forbidden_permission(permissions, false))
    }
}

/// `require_all_permissions`.
pub fn require_all_permissions<C: HasPermission<P> + ?Sized, P: ClerkPermission>(
    claims: &C,
    permissions: &[P],
) -> Result<(), Forbidden> {
    if has_all_permissions(claims, permissions) {
        Ok(())
    } else {
        Err(forbidden_permission(permissions, true))
    }
}

/// The JSON Schema of a derived enum: a string, one of the declared keys.
#[cfg(feature = "schemars")]
pub fn key_schema(keys: &[&str], description: &str) -> schemars::Schema {
    let mut map = serde_json::Map::new();
    map.insert("type".into(), "string".into());
    map.insert(
        "enum".into(),
        keys.iter().map(|k| serde_json::Value::from(*k)).collect(),
    );
    map.insert("description".into(), description.into());
    schemars::Schema::from(map)
}

/// The variant names of a `#[derive(ClerkPermission)]` enum, for `grants(..)` on a role enum,
/// which names permissions by variant but cannot see the permission enum's variants.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a #[derive(ClerkPermission)] enum",
    note = "#[clerk(permissions = …)] on a role enum names the #[derive(ClerkPermission)] enum whose variants `grants(..)` lists"
)]
pub trait PermissionVariants: ClerkPermission {
    /// The variant names, in declaration order (the index of each is its bit).
    const VARIANTS: &'static [&'static str];
    /// The keys, in declaration order.
    const KEYS: &'static [&'static str];
    /// The message for a granted name the enum does not declare, listing the declared ones.
    const UNDECLARED: &'static str;
}

const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

const fn variant_index(variants: &[&str], name: &str) -> Option<usize> {
    let mut i = 0;
    while i < variants.len() {
        if str_eq(variants[i], name) {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// Fails const evaluation (spanned on the granted name) when `P` does not declare `name`, or
/// when it names a system permission (`system` is that message).
pub const fn check_grant<P: PermissionVariants>(name: &str, system: &'static str) {
    match variant_index(P::VARIANTS, name) {
        None => panic!("{}", P::UNDECLARED),
        Some(i) => {
            if crate::rbac::is_system_permission(P::KEYS[i]) {
                panic!("{}", system);
            }
        }
    }
}

/// The bitset of the named variants of `P` (unknown names were reported by [`check_grant`]).
pub const fn grant_bits<P: PermissionVariants>(names: &[&str]) -> u128 {
    let mut bits = 0u128;
    let mut i = 0;
    while i < names.len() {
        if let Some(index) = variant_index(P::VARIANTS, names[i])
            && index < 128
        {
            bits |= 1 << index;
        }
        i += 1;
    }
    bits
}

/// A permission set from [`grant_bits`].
pub const fn permissions_from_bits<P: ClerkPermission>(bits: u128) -> Permissions<P> {
    Permissions::from_bits(bits)
}
