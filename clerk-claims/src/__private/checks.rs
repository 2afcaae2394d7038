//! Marker traits behind the derive's compile-time type checks.
//!
//! The derive asserts `FieldType: Bound` with a local trait whose
//! `#[diagnostic::on_unimplemented]` names the field's shortcode; these traits are the bounds.
//! Checking through traits (not by reading the type's tokens) lets type aliases pass.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashSet};
use std::rc::Rc;
use std::sync::Arc;

use clerk_claims_lang::rules::role_name;
use serde_json::Value;

use crate::rbac::{ClerkPermission, ClerkRole, Permissions};

/// A type that can hold a JSON `null`: the claim's expression can substitute to null.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold `null`",
    label = "this claim can be `null` in a token",
    note = "use `Option<…>` (or `serde_json::Value`), or end the expression with a literal fallback: `… || 'default'`"
)]
pub trait AcceptsNull {}

impl<T> AcceptsNull for Option<T> {}
impl AcceptsNull for Value {}
impl AcceptsNull for () {}
impl<P> AcceptsNull for Permissions<P> {}

/// A type that can hold a JSON string.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold a JSON string",
    label = "this claim is a JSON string",
    note = "use `String` (or `Option<String>` when the claim can be null), a #[derive(ClerkRole)] enum, or `serde_json::Value`"
)]
pub trait AcceptsString {}

impl AcceptsString for String {}
impl AcceptsString for Box<str> {}
impl AcceptsString for Rc<str> {}
impl AcceptsString for Arc<str> {}
impl AcceptsString for Cow<'static, str> {}
impl AcceptsString for Value {}
impl<T: AcceptsString> AcceptsString for Option<T> {}

/// A type that can hold a JSON boolean.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold a JSON boolean",
    label = "this claim is a JSON boolean",
    note = "use `bool` (or `Option<bool>` when the claim can be null), or `serde_json::Value`"
)]
pub trait AcceptsBool {}

impl AcceptsBool for bool {}
impl AcceptsBool for Value {}
impl<T: AcceptsBool> AcceptsBool for Option<T> {}

/// A type that can hold a JSON number.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold a JSON number",
    label = "this claim is a JSON number",
    note = "use an integer or float type (`i64`, `u64`, `f64` …), or `serde_json::Value`"
)]
pub trait AcceptsNumber {}

macro_rules! accepts_number {
    ($($ty:ty),*) => { $(impl AcceptsNumber for $ty {})* };
}
accepts_number!(
    i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize, f32, f64, Value
);
impl<T: AcceptsNumber> AcceptsNumber for Option<T> {}

/// A type that can hold a JSON array of strings.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold a JSON array of strings",
    label = "this claim is an array of strings",
    note = "use `Vec<String>`, a set of strings, `Permissions<P>` for permission keys, or `serde_json::Value`"
)]
pub trait AcceptsStringArray {}

impl<T: AcceptsString> AcceptsStringArray for Vec<T> {}
impl<T: AcceptsString> AcceptsStringArray for Box<[T]> {}
impl<T: AcceptsString, S> AcceptsStringArray for HashSet<T, S> {}
impl<T: AcceptsString> AcceptsStringArray for BTreeSet<T> {}
impl<P> AcceptsStringArray for Permissions<P> {}
impl AcceptsStringArray for Value {}
impl<T: AcceptsStringArray> AcceptsStringArray for Option<T> {}

/// A type that holds a JSON string or `null` (one bound, so a type that holds neither is one
/// error).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold a JSON string or null",
    label = "this claim is a JSON string, or null",
    note = "use `Option<String>` (or `serde_json::Value`)"
)]
pub trait AcceptsNullableString {}

impl<T: AcceptsString> AcceptsNullableString for Option<T> {}
impl AcceptsNullableString for Value {}

/// A type that holds a JSON number or `null`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold a JSON number or null",
    label = "this claim is a JSON number, or null",
    note = "use `Option<i64>` (or another number type in an `Option`, or `serde_json::Value`)"
)]
pub trait AcceptsNullableNumber {}

impl<T: AcceptsNumber> AcceptsNullableNumber for Option<T> {}
impl AcceptsNullableNumber for Value {}

/// A type that holds a JSON boolean or `null`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold a JSON boolean or null",
    label = "this claim is a JSON boolean, or null",
    note = "use `Option<bool>` (or `serde_json::Value`)"
)]
pub trait AcceptsNullableBool {}

impl<T: AcceptsBool> AcceptsNullableBool for Option<T> {}
impl AcceptsNullableBool for Value {}

/// A type that holds a JSON array of strings or `null`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold a JSON array of strings or null",
    label = "this claim is an array of strings, or null",
    note = "use `Option<Vec<String>>`, `Permissions<P>` (null is the empty set), or `serde_json::Value`"
)]
pub trait AcceptsNullableStringArray {}

impl<T: AcceptsStringArray> AcceptsNullableStringArray for Option<T> {}
impl<P> AcceptsNullableStringArray for Permissions<P> {}
impl AcceptsNullableStringArray for Value {}

/// The field `require_role` reads: a `#[derive(ClerkRole)]` enum, or an `Option` of one.
///
/// The serde supertraits let the derive's one `RoleField` assertion stand for the field's serde
/// bounds too: the generated serde impls only carry them in their where clauses.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a role type: a role field needs a #[derive(ClerkRole)] enum",
    label = "the role field",
    note = "a #[derive(ClerkPermission)] enum belongs in a `Permissions<P>` field marked `permissions`"
)]
pub trait RoleField: serde::Serialize + serde::de::DeserializeOwned {
    /// The role enum.
    type Role: ClerkRole;
    /// The token's role, if it has a declared one.
    fn role(&self) -> Option<Self::Role>;
}

impl<F: RoleField> RoleField for Option<F> {
    type Role = F::Role;

    #[inline]
    fn role(&self) -> Option<Self::Role> {
        self.as_ref().and_then(RoleField::role)
    }
}

/// The field `require_permission` reads: `Permissions<P>` or `Option<Permissions<P>>`.
///
/// Serde supertraits for the same reason as [`RoleField`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a permission set: a permissions field needs `Permissions<P>` of a #[derive(ClerkPermission)] enum",
    label = "the permissions field",
    note = "a #[derive(ClerkRole)] enum belongs in a role field (`{{{{org.role}}}}`)"
)]
pub trait PermissionField: serde::Serialize + serde::de::DeserializeOwned {
    /// The permission enum.
    type Permission: ClerkPermission;
    /// The granted permissions.
    fn permissions(&self) -> Permissions<Self::Permission>;
}

impl<P: ClerkPermission> PermissionField for Permissions<P> {
    type Permission = P;

    #[inline]
    fn permissions(&self) -> Permissions<P> {
        *self
    }
}

impl<P: ClerkPermission> PermissionField for Option<Permissions<P>> {
    type Permission = P;

    #[inline]
    fn permissions(&self) -> Permissions<P> {
        self.unwrap_or_default()
    }
}

/// What the derive asserts of a role field's type: a `#[derive(ClerkRole)]` enum (whose derive
/// implements this whatever else the enum has) or an `Option` of one. Asserting this rather
/// than [`RoleField`] leaves an enum that lacks its `Copy`/`Eq`/`Hash`/`Debug` derives to the
/// one error of its own derive; [`RoleField`] then follows from the enum's derive.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a role type: a role field needs a #[derive(ClerkRole)] enum",
    label = "the role field",
    note = "a #[derive(ClerkPermission)] enum belongs in a `Permissions<P>` field marked `permissions`"
)]
pub trait RoleFieldType {}

impl<T: RoleFieldType> RoleFieldType for Option<T> {}

/// What the derive asserts of a permissions field's type: `Permissions<P>` or
/// `Option<Permissions<P>>` of a `#[derive(ClerkPermission)]` enum; see [`RoleFieldType`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a permission set: a permissions field needs `Permissions<P>` of a #[derive(ClerkPermission)] enum",
    label = "the permissions field",
    note = "a #[derive(ClerkRole)] enum belongs in a role field (`{{{{org.role}}}}`)"
)]
pub trait PermissionFieldType {}

impl<P: DerivedPermission> PermissionFieldType for Permissions<P> {}
impl<P: DerivedPermission> PermissionFieldType for Option<Permissions<P>> {}

/// A `#[derive(ClerkPermission)]` enum, whatever else it derives (see [`RoleFieldType`]).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a permission enum: `Permissions<{Self}>` needs a #[derive(ClerkPermission)] enum",
    note = "a #[derive(ClerkRole)] enum belongs in a role field (`{{{{org.role}}}}`), e.g. `Option<Role>`"
)]
pub trait DerivedPermission {}

/// A `#[clerk(object)]` struct, inlined by a `nested` field.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a #[clerk(object)] struct",
    label = "a `nested` field's type must be a #[derive(ClerkClaims)] #[clerk(object)] struct",
    note = "declare it as `#[derive(ClerkClaims)] #[clerk(object)] struct …`, or use `json = \"…\"` for a static object"
)]
pub trait ClerkObject: serde::Serialize + serde::de::DeserializeOwned {
    /// The object's claims JSON, keys in declaration order.
    fn template_claims() -> Value;
    /// The object's claims with their expressions.
    fn claim_info() -> &'static [crate::claims::ClaimInfo];
    /// The byte length of the object's claims JSON (compact), for the 2048-byte rule.
    const CLAIMS_LEN: usize;
}

/// `T::CLAIMS_LEN` for the derive's free-standing 2048-byte check, which cannot carry a where
/// clause: the inherent const (bound `T: ClerkObject`) wins when it applies, else
/// [`ObjectLenFallback`] reads `{}`. A nested type that is not an object is reported once, by
/// the derive's own `ClerkObject` assertion, instead of a second time here.
pub struct ObjectLen<T>(core::marker::PhantomData<T>);

impl<T: ClerkObject> ObjectLen<T> {
    /// The object's claims length.
    pub const CLAIMS_LEN: usize = T::CLAIMS_LEN;
}

/// The fallback branch of [`ObjectLen`]: the length of `{}`.
pub trait ObjectLenFallback {
    /// The length of an empty object.
    const CLAIMS_LEN: usize = 2;
}

impl<T> ObjectLenFallback for ObjectLen<T> {}

/// A claim's type that can be read from a token: the derive's serde assertion for a field with
/// no other check (a marked or `nested` field's trait implies serde through its supertraits).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be read from a token: a claim's type needs serde's `Deserialize` and `Serialize`",
    label = "this claim's type",
    note = "derive both for a type of your own: `#[derive(serde::Serialize, serde::Deserialize)]`"
)]
pub trait ClaimDeserialize: serde::de::DeserializeOwned {}

impl<T: serde::de::DeserializeOwned> ClaimDeserialize for T {}

/// The second half of the serde assertion, checked only when the first holds so a type with
/// neither trait gives one error, not two. Autoref specialization, as `SchemaProbe`: the
/// derive calls `__p::check_serialize((&SerializeProbe::<T>(PhantomData)).serialize_check())`
/// with [`SerializeProbeFallback`] in scope.
pub struct SerializeProbe<T>(pub core::marker::PhantomData<T>);

/// `T` must also be `Serialize` (see [`SerializeProbe`]).
pub struct NeedsSerialize<T>(core::marker::PhantomData<T>);

/// Nothing left to check: the `Deserialize` assertion already failed (see [`SerializeProbe`]).
pub struct AlreadyReported;

impl<T: serde::de::DeserializeOwned> SerializeProbe<T> {
    /// The preferred branch: `T` reads from a token, so it must serialize too.
    pub fn serialize_check(&self) -> NeedsSerialize<T> {
        NeedsSerialize(core::marker::PhantomData)
    }
}

/// The fallback branch of [`SerializeProbe`].
pub trait SerializeProbeFallback {
    /// Nothing to check.
    fn serialize_check(&self) -> AlreadyReported {
        AlreadyReported
    }
}

impl<T> SerializeProbeFallback for &SerializeProbe<T> {}

/// What [`check_serialize`] accepts.
pub trait SerializeCheck {}

impl<T: serde::Serialize> SerializeCheck for NeedsSerialize<T> {}
impl SerializeCheck for AlreadyReported {}

/// Fails to compile for a claim type that deserializes but does not serialize.
pub fn check_serialize<C: SerializeCheck>(_: C) {}

/// A type that can hold any JSON value: what a `||` chain whose alternatives have different
/// JSON types needs (one bound, so a misfit is one error).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold any JSON value",
    label = "this claim's alternatives have different JSON types",
    note = "use `serde_json::Value`, or give every alternative of the `||` chain the same type"
)]
pub trait AcceptsAny {}

impl AcceptsAny for Value {}
impl AcceptsAny for Option<Value> {}

/// Whether a role or permission enum has the derives its trait needs (`Debug, Clone, Copy,
/// PartialEq, Eq, Hash`), as one answer: autoref specialization, as [`SerializeProbe`]. The
/// derive asserts a local trait, implemented for [`KeyDerived`] only, on
/// `(&KeyProbe::<E>(PhantomData)).derives()` with [`KeyProbeFallback`] in scope, so a missing
/// derive is one error however many are missing.
pub struct KeyProbe<T>(pub core::marker::PhantomData<T>);

/// The enum has every derive it needs (see [`KeyProbe`]).
pub struct KeyDerived;

/// At least one derive is missing (see [`KeyProbe`]).
pub struct KeyNotDerived;

impl<T: Copy + Eq + std::hash::Hash + std::fmt::Debug> KeyProbe<T> {
    /// The preferred branch: every derive is there.
    pub fn derives(&self) -> KeyDerived {
        KeyDerived
    }
}

/// The fallback branch of [`KeyProbe`].
pub trait KeyProbeFallback {
    /// Some derive is missing.
    fn derives(&self) -> KeyNotDerived {
        KeyNotDerived
    }
}

impl<T> KeyProbeFallback for &KeyProbe<T> {}

/// The keys a derived role or permission enum declares, whatever else it derives: what the
/// claims derive checks a literal fallback of a role field against, at compile time.
pub trait DeclaredKeys {
    /// The declared keys, in declaration order.
    const KEYS: &'static [&'static str];
    /// Whether keys compare after Clerk's `prefixWithOrg` (roles that are not `custom`).
    const PREFIX_WITH_ORG: bool;
}

impl<T: DeclaredKeys> DeclaredKeys for Option<T> {
    const KEYS: &'static [&'static str] = T::KEYS;
    const PREFIX_WITH_ORG: bool = T::PREFIX_WITH_ORG;
}

/// `T`'s declared keys for [`key_declared`], or `None` (no check) when `T` is not a derived
/// enum, which its own assertion reports: the inherent const (bound `T: DeclaredKeys`) wins
/// when it applies, else [`DeclaredFallback`]'s, as [`ObjectLen`].
pub struct Declared<T>(core::marker::PhantomData<T>);

impl<T: DeclaredKeys> Declared<T> {
    /// The keys and whether they compare after `prefixWithOrg`.
    pub const KEYS: Option<(&'static [&'static str], bool)> = Some((T::KEYS, T::PREFIX_WITH_ORG));
}

/// The fallback branch of [`Declared`]: nothing to check.
pub trait DeclaredFallback {
    /// No keys known.
    const KEYS: Option<(&'static [&'static str], bool)> = None;
}

impl<T> DeclaredFallback for Declared<T> {}

/// Whether `key` is one of `keys` (after `prefixWithOrg` where it applies); `true` when there
/// are no keys to check against. A `const fn`, for the derive's compile-time check.
pub const fn key_declared(keys: Option<(&[&str], bool)>, key: &str) -> bool {
    let Some((keys, prefix_with_org)) = keys else {
        return true;
    };
    let key = if prefix_with_org { role_name(key) } else { key };
    let mut i = 0;
    while i < keys.len() {
        let declared = if prefix_with_org {
            role_name(keys[i])
        } else {
            keys[i]
        };
        if bytes_eq(declared.as_bytes(), key.as_bytes()) {
            return true;
        }
        i += 1;
    }
    false
}

/// Byte equality in a `const fn` (`==` on slices is not const).
const fn bytes_eq(a: &[u8], b: &[u8]) -> bool {
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

/// The run-time check of a claims type's role and permissions fields against the code's
/// grants (`ClerkClaims::__check_grants`): applies when the role enum implements
/// [`RoleGrants`](crate::rbac::RoleGrants) of the field's permission enum.
pub struct GrantsProbe<'a, F, G>(pub &'a F, pub &'a G);

/// The probe's method when the role enum names its grants.
pub trait GrantsCheck {
    /// Logs the token's ungranted permissions, once per pair.
    fn __check_grants(&self);
}

impl<F, G> GrantsCheck for GrantsProbe<'_, F, G>
where
    F: RoleField,
    G: PermissionField,
    F::Role: crate::rbac::RoleGrants<Permission = G::Permission>,
{
    fn __check_grants(&self) {
        if let Some(role) = self.0.role() {
            let _ = crate::rbac::warn_ungranted(role, &self.1.permissions());
        }
    }
}

/// The probe's fallback, one autoref away: a role enum without `grants(..)` checks nothing.
pub trait GrantsFallback {
    /// Nothing to check.
    fn __check_grants(&self) {}
}

impl<F, G> GrantsFallback for &GrantsProbe<'_, F, G> {}
