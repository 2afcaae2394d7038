//! Declared roles and permissions: the traits the derives implement, the permission bitset,
//! and the roles manifest ([`manifest`]) that `clerk-claims roles` compares with the instance.

mod manifest;
mod seen;

pub use manifest::{
    Drift, MANIFEST_VERSION, Manifest, ManifestError, ManifestPermission, ManifestRole, manifest,
};
pub use seen::warn_ungranted;

use std::fmt;
use std::hash::Hash;
use std::marker::PhantomData;

/// An organization role declared with `#[derive(ClerkRole)]`.
///
/// Reading a key applies Clerk's `prefixWithOrg` rule: `admin` and `org:admin` are one role
/// (unless the enum is `#[clerk(custom)]`, whose keys are compared verbatim).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a role enum: derive it with #[derive(ClerkRole)]",
    note = "a #[derive(ClerkPermission)] enum belongs in a `Permissions<P>` field, not a role field"
)]
pub trait ClerkRole: Copy + Eq + Hash + fmt::Debug + Send + Sync + 'static {
    /// Every declared role, in declaration order.
    const ALL: &'static [Self];
    /// The role key as Clerk writes it, e.g. `org:admin`.
    fn key(self) -> &'static str;
    /// The role for a key read from a token, or `None` if the enum does not declare it.
    fn from_key(key: &str) -> Option<Self>;
    /// The name shown in Clerk's dashboard: `#[clerk(name = "…")]`, else the variant name in
    /// words (`BillingManager` → "Billing manager").
    fn name(self) -> &'static str {
        self.key()
    }
    /// The description, `#[clerk(description = "…")]`.
    fn description(self) -> Option<&'static str> {
        None
    }
}

/// A role enum that names what each role grants: `#[clerk(permissions = Permission)]` and
/// `grants(..)` per role. The roles manifest and the run-time check of tokens read it.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not say which permissions its roles grant",
    note = "add #[clerk(permissions = Permission)] on the role enum (naming your #[derive(ClerkPermission)] enum), and `grants(..)` on each role"
)]
pub trait RoleGrants: ClerkRole {
    /// The permission enum named in `#[clerk(permissions = …)]`.
    type Permission: ClerkPermission;
    /// The permissions `self` grants in code.
    fn grants(self) -> Permissions<Self::Permission>;
}

/// A permission declared with `#[derive(ClerkPermission)]`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a permission enum: `Permissions<{Self}>` needs a #[derive(ClerkPermission)] enum",
    note = "a #[derive(ClerkRole)] enum belongs in a role field (`{{{{org.role}}}}`), e.g. `Option<Role>`"
)]
pub trait ClerkPermission: Copy + Eq + Hash + fmt::Debug + Send + Sync + 'static {
    /// Every declared permission, in declaration order (at most 128).
    const ALL: &'static [Self];
    /// The permission key as Clerk writes it, e.g. `org:invoices:read`.
    fn key(self) -> &'static str;
    /// The permission for a key read from a token, or `None` if the enum does not declare it.
    fn from_key(key: &str) -> Option<Self>;
    /// The bit this permission occupies in [`Permissions`]: its declaration index.
    fn index(self) -> u32;
    /// The name shown in Clerk's dashboard: `#[clerk(name = "…")]`, else the variant name in
    /// words (`InvoicesRead` → "Invoices read").
    fn name(self) -> &'static str {
        self.key()
    }
    /// The description, `#[clerk(description = "…")]`.
    fn description(self) -> Option<&'static str> {
        None
    }
}

/// Role checks shared by [`SessionClaims`](crate::SessionClaims) (any role enum, by key) and
/// every `#[derive(ClerkClaims)]` type with a role field (exactly that field's enum). Route
/// guards are written against this trait, so one guard serves both kinds of token.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no role field of type `{R}`, so a `{R}` role cannot be checked on it",
    label = "no `{R}` role field",
    note = "add a role field to the claims type, e.g. `#[clerk(shortcode = \"org.role\")] role: Option<{R}>` (or mark an existing one `#[clerk(role)]`), or check the role on `SessionClaims`"
)]
pub trait HasRole<R: ClerkRole> {
    /// Whether the token's role is `role` (Clerk's `has({ role })`).
    fn has_role(&self, role: R) -> bool;
    /// The role key the token carries, as written (declared or not), for messages.
    fn role_key(&self) -> Option<&str>;
}

/// Permission checks shared by [`SessionClaims`](crate::SessionClaims) and every
/// `#[derive(ClerkClaims)]` type with a permissions field; see [`HasRole`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no permissions field of type `Permissions<{P}>`, so a `{P}` permission cannot be checked on it",
    label = "no `Permissions<{P}>` field",
    note = "add a permissions field to the claims type, e.g. `#[clerk(shortcode = \"org_membership.permissions\")] permissions: Permissions<{P}>` (or mark an existing one `#[clerk(permissions)]`), or check the permission on `SessionClaims`"
)]
pub trait HasPermission<P: ClerkPermission> {
    /// Whether the token grants `permission` (Clerk's `has({ permission })`).
    fn has_permission(&self, permission: P) -> bool;
    /// The granted permission keys the token carries that this type can name, for messages.
    fn permission_keys(&self) -> Vec<&str>;
}

/// The granted permissions of one [`ClerkPermission`] enum: a fixed-size bitset.
///
/// No allocation; [`contains`](Self::contains) is one AND. Keys the enum does not declare are
/// counted ([`unknown_count`](Self::unknown_count)), never an error. JSON `null` (no active
/// organization) decodes to the empty set.
pub struct Permissions<P> {
    bits: u128,
    unknown: u32,
    _marker: PhantomData<fn() -> P>,
}

impl<P: ClerkPermission> Permissions<P> {
    /// The empty set.
    pub const fn empty() -> Self {
        Self {
            bits: 0,
            unknown: 0,
            _marker: PhantomData,
        }
    }

    /// The set of the permissions whose bits are set (generated `grants()` bodies).
    pub(crate) const fn from_bits(bits: u128) -> Self {
        Self {
            bits,
            unknown: 0,
            _marker: PhantomData,
        }
    }

    /// Every declared permission.
    pub fn all() -> Self {
        P::ALL.iter().copied().collect()
    }

    /// Whether `permission` is granted.
    #[inline]
    pub fn contains(&self, permission: P) -> bool {
        self.bits & (1u128 << permission.index()) != 0
    }

    /// Whether every one of `permissions` is granted (true for an empty slice).
    pub fn contains_all(&self, permissions: &[P]) -> bool {
        let mask = Self::mask(permissions);
        self.bits & mask == mask
    }

    /// Whether at least one of `permissions` is granted (false for an empty slice).
    pub fn contains_any(&self, permissions: &[P]) -> bool {
        self.bits & Self::mask(permissions) != 0
    }

    /// Grants `permission`; returns whether it was newly granted.
    pub fn insert(&mut self, permission: P) -> bool {
        let had = self.contains(permission);
        self.bits |= 1u128 << permission.index();
        !had
    }

    /// Revokes `permission`; returns whether it was granted.
    pub fn remove(&mut self, permission: P) -> bool {
        let had = self.contains(permission);
        self.bits &= !(1u128 << permission.index());
        had
    }

    /// Adds a key read from a token: a declared permission is granted, anything else counted.
    pub fn insert_key(&mut self, key: &str) {
        match P::from_key(key) {
            Some(p) => {
                self.insert(p);
            }
            None => self.unknown = self.unknown.saturating_add(1),
        }
    }

    /// The number of granted declared permissions.
    pub fn len(&self) -> usize {
        self.bits.count_ones() as usize
    }

    /// Whether no declared permission is granted (unknown keys do not count).
    pub fn is_empty(&self) -> bool {
        self.bits == 0
    }

    /// How many keys in the token were not declared by `P` (e.g. added in the dashboard later).
    pub fn unknown_count(&self) -> usize {
        self.unknown as usize
    }

    /// The granted permissions, in declaration order.
    pub fn iter(&self) -> impl Iterator<Item = P> + '_ {
        P::ALL.iter().copied().filter(move |p| self.contains(*p))
    }

    fn mask(permissions: &[P]) -> u128 {
        permissions.iter().fold(0, |m, p| m | (1u128 << p.index()))
    }
}

impl<P: ClerkPermission> Default for Permissions<P> {
    fn default() -> Self {
        Self::empty()
    }
}

impl<P> Clone for Permissions<P> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<P> Copy for Permissions<P> {}

impl<P> PartialEq for Permissions<P> {
    fn eq(&self, other: &Self) -> bool {
        self.bits == other.bits && self.unknown == other.unknown
    }
}

impl<P> Eq for Permissions<P> {}

impl<P: ClerkPermission> fmt::Debug for Permissions<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut set = f.debug_set();
        set.entries(self.iter().map(|p| p.key()));
        if self.unknown > 0 {
            set.entry(&format_args!("+{} unknown", self.unknown));
        }
        set.finish()
    }
}

impl<P: ClerkPermission> FromIterator<P> for Permissions<P> {
    fn from_iter<I: IntoIterator<Item = P>>(iter: I) -> Self {
        let mut set = Self::empty();
        for p in iter {
            set.insert(p);
        }
        set
    }
}

impl<P: ClerkPermission> Extend<P> for Permissions<P> {
    fn extend<I: IntoIterator<Item = P>>(&mut self, iter: I) {
        for p in iter {
            self.insert(p);
        }
    }
}

impl<P: ClerkPermission> serde::Serialize for Permissions<P> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter().map(|p| p.key()))
    }
}

impl<'de, P: ClerkPermission> serde::Deserialize<'de> for Permissions<P> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor<P>(PhantomData<fn() -> P>);

        impl<'de, P: ClerkPermission> serde::de::Visitor<'de> for Visitor<P> {
            type Value = Permissions<P>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array of permission keys, or null")
            }

            fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(Permissions::empty())
            }

            fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(Permissions::empty())
            }

            fn visit_some<D: serde::Deserializer<'de>>(
                self,
                d: D,
            ) -> Result<Self::Value, D::Error> {
                d.deserialize_any(self)
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Self::Value, A::Error> {
                let mut set = Permissions::empty();
                while let Some(key) = seq.next_element::<std::borrow::Cow<'de, str>>()? {
                    set.insert_key(&key);
                }
                Ok(set)
            }
        }

        deserializer.deserialize_option(Visitor(PhantomData))
    }
}

/// A role or permission key that the enum does not declare: the error of `FromStr` on a
/// `#[derive(ClerkRole)]` / `#[derive(ClerkPermission)]` enum.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "expected a {kind} key declared by `{ty}` ({}), found `{found}`",
    keys_list(expected)
)]
pub struct UnknownKey {
    /// `role` or `permission`.
    pub kind: &'static str,
    /// The enum's name.
    pub ty: &'static str,
    /// The declared keys.
    pub expected: &'static [&'static str],
    /// The key that was read.
    pub found: String,
}

fn keys_list(keys: &[&str]) -> String {
    if keys.is_empty() {
        return "none declared".to_owned();
    }
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(feature = "schemars")]
impl<P: ClerkPermission> schemars::JsonSchema for Permissions<P> {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!(
            "Permissions_of_{}",
            std::any::type_name::<P>()
                .rsplit("::")
                .next()
                .unwrap_or("P")
        )
        .into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        // `null` (no active organization) is the empty set, and keys the enum does not declare
        // are tolerated (counted), so items are any string; the declared keys are examples.
        let keys: Vec<serde_json::Value> = P::ALL.iter().map(|p| p.key().into()).collect();
        let mut items = serde_json::Map::new();
        items.insert("type".into(), "string".into());
        items.insert("examples".into(), keys.into());
        let mut map = serde_json::Map::new();
        map.insert("type".into(), serde_json::json!(["array", "null"]));
        map.insert("items".into(), items.into());
        schemars::Schema::from(map)
    }
}

/// A role or permission check that did not pass; `require_*` methods return it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Forbidden {
    /// None of the required roles is the token's role.
    #[error("requires role {}; the token's role is {}", one_of(required), found.map_or("none (no active organization)".to_owned(), |r| format!("`{r}`")))]
    Role {
        /// The accepted role keys.
        required: Vec<&'static str>,
        /// The token's role key (one the enum declares), or `None` without an active
        /// organization.
        found: Option<&'static str>,
    },
    /// The token has a role, but not one the enum declares (e.g. a role added in the
    /// dashboard later): it is named as the token wrote it.
    #[error(
        "requires role {}; the token's role is `{found}` (not declared by the role enum)",
        one_of(required)
    )]
    UndeclaredRole {
        /// The accepted role keys.
        required: Vec<&'static str>,
        /// The token's role key, as written.
        found: String,
    },
    /// A required permission is not granted.
    #[error("requires permission {}", if *all { all_of(required) } else { one_of(required) })]
    Permission {
        /// The permission keys asked for.
        required: Vec<&'static str>,
        /// Whether all of them were required (`require_all_permissions`) or any one.
        all: bool,
    },
}

fn one_of(keys: &[&str]) -> String {
    match keys {
        [one] => format!("`{one}`"),
        _ => format!(
            "one of [{}]",
            keys.iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn all_of(keys: &[&str]) -> String {
    match keys {
        [one] => format!("`{one}`"),
        _ => format!(
            "all of [{}]",
            keys.iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Whether `key` is one of Clerk's system permissions (`org:sys_*`): Clerk grants them to
/// roles itself and never puts them in session tokens.
#[must_use]
pub const fn is_system_permission(key: &str) -> bool {
    let key = key.as_bytes();
    let prefix = b"org:sys_";
    if key.len() < prefix.len() {
        return false;
    }
    let mut i = 0;
    while i < prefix.len() {
        if key[i] != prefix[i] {
            return false;
        }
        i += 1;
    }
    true
}
