//! What a route requires of a verified token: [`require`] turns a declared role, a declared
//! permission or a [`Requirement`] into a [`Require`] guard, checked on the claims type the
//! layer verifies (`SessionClaims` unless [`Require::on`] names another).

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use crate::authorize::{Has, Reverification};
use crate::rbac::{ClerkPermission, ClerkRole, HasPermission, HasRole};
use crate::session::{AuthObject, SessionClaims};

/// A requirement the token did not meet: what the route required and what the token had.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("requires {required}; the token has {found}")]
pub struct Unmet {
    /// What the route required, e.g. ``role `org:admin` ``.
    pub required: String,
    /// What the token had instead, e.g. ``role `org:member` `` or `no active organization`.
    pub found: String,
}

/// A check of one requirement on claims of type `C`; `require` accepts anything that converts
/// to one ([`Guard`]).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be checked on `{C}` claims",
    label = "a requirement for other claims",
    note = "a guard checks the claims type the ClerkLayer verifies: `SessionClaims` by default; for a template layer write `require(...).on::<{C}>()`"
)]
pub trait Check<C>: Send + Sync + 'static {
    /// `Ok` when `claims` meet the requirement, else what was required and what was found.
    fn check(&self, claims: &C) -> Result<(), Unmet>;
}

/// A value `require` accepts: a `#[derive(ClerkRole)]` or `#[derive(ClerkPermission)]` enum
/// value, or a [`Requirement`]. `M` only tells the implementations apart.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a route requirement: pass a #[derive(ClerkRole)] or #[derive(ClerkPermission)] enum value, or a `Requirement`",
    label = "not a role, permission or `Requirement`",
    note = "a role or permission written as a string does not compile, so a typo cannot reach production: declare it in the enum (`require(Role::Admin)`); keys known only at run time go through `Requirement::unchecked(Has::new().role(key))`"
)]
pub trait Guard<M> {
    /// The check this value becomes.
    type Check;
    /// Converts the value.
    fn into_check(self) -> Self::Check;
}

/// Markers that tell [`Guard`]'s implementations apart (never named by users).
#[doc(hidden)]
pub mod marker {
    /// A role enum value.
    pub enum Role {}
    /// A permission enum value.
    pub enum Permission {}
    /// A [`Requirement`](super::Requirement).
    pub enum Requirement {}
}

/// A role enum, as [`Requirement::role`] asks for it: every [`ClerkRole`], with a message that
/// points a permission enum to [`Requirement::permission`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a role enum: `Requirement::role` takes a #[derive(ClerkRole)] value",
    label = "not a role",
    note = "for a #[derive(ClerkPermission)] value use `Requirement::permission(...)`; `require(...)` takes either kind"
)]
pub trait RoleEnum: ClerkRole {}

impl<R: ClerkRole> RoleEnum for R {}

/// A permission enum, as [`Requirement::permission`] asks for it: every [`ClerkPermission`],
/// with a message that points a role enum to [`Requirement::role`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a permission enum: `Requirement::permission` takes a #[derive(ClerkPermission)] value",
    label = "not a permission",
    note = "for a #[derive(ClerkRole)] value use `Requirement::role(...)`; `require(...)` takes either kind"
)]
pub trait PermissionEnum: ClerkPermission {}

impl<P: ClerkPermission> PermissionEnum for P {}

/// The check of one declared role: what `require(Role::Admin)` becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RoleGuard<R>(pub R);

/// The check of one declared permission: what `require(Permission::InvoicesWrite)` becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PermissionGuard<P>(pub P);

impl<R: ClerkRole> Guard<marker::Role> for R {
    type Check = RoleGuard<R>;
    fn into_check(self) -> RoleGuard<R> {
        RoleGuard(self)
    }
}

impl<P: ClerkPermission> Guard<marker::Permission> for P {
    type Check = PermissionGuard<P>;
    fn into_check(self) -> PermissionGuard<P> {
        PermissionGuard(self)
    }
}

impl<C> Guard<marker::Requirement> for Requirement<C> {
    type Check = Requirement<C>;
    fn into_check(self) -> Requirement<C> {
        self
    }
}

fn role_found(key: Option<&str>) -> String {
    key.map_or_else(
        || "no role (no active organization)".to_owned(),
        |key| format!("role `{key}`"),
    )
}

fn permissions_found(keys: &[&str]) -> String {
    if keys.is_empty() {
        return "no permissions".to_owned();
    }
    let keys: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
    format!("permissions [{}]", keys.join(", "))
}

impl<R: ClerkRole, C: HasRole<R>> Check<C> for RoleGuard<R> {
    fn check(&self, claims: &C) -> Result<(), Unmet> {
        if claims.has_role(self.0) {
            return Ok(());
        }
        Err(Unmet {
            required: format!("role `{}`", self.0.key()),
            found: role_found(claims.role_key()),
        })
    }
}

impl<P: ClerkPermission, C: HasPermission<P>> Check<C> for PermissionGuard<P> {
    fn check(&self, claims: &C) -> Result<(), Unmet> {
        if claims.has_permission(self.0) {
            return Ok(());
        }
        Err(Unmet {
            required: format!("permission `{}`", self.0.key()),
            found: permissions_found(&claims.permission_keys()),
        })
    }
}

/// A route requirement beyond one role or permission: signed in, a feature, a plan, a
/// reverification, or any/all of requirements. Checked on claims of type `C`
/// ([`SessionClaims`] unless stated).
///
/// Roles and permissions are declared enum values, never strings:
///
/// ```
/// # #[cfg(feature = "derive")] {
/// use clerk_claims::authorize::Reverification;
/// use clerk_claims::guard::{Check, Requirement};
/// use clerk_claims::{ClerkPermission, ClerkRole, SessionClaims};
///
/// #[derive(ClerkRole, Debug, Clone, Copy, PartialEq, Eq, Hash)]
/// enum Role {
///     #[clerk(key = "org:admin")]
///     Admin,
/// }
/// #[derive(ClerkPermission, Debug, Clone, Copy, PartialEq, Eq, Hash)]
/// enum Permission {
///     #[clerk(key = "org:invoices:write")]
///     InvoicesWrite,
/// }
///
/// let admin_or_writer = Requirement::any([
///     Requirement::role(Role::Admin),
///     Requirement::permission(Permission::InvoicesWrite),
/// ]);
/// let recent_admin = Requirement::role(Role::Admin).and(Requirement::reverification(Reverification::Strict));
///
/// let member: SessionClaims = serde_json::from_value(serde_json::json!({
///     "sub": "user_1", "exp": 4102444800_i64, "v": 2,
///     "o": {"id": "org_1", "rol": "member", "slg": "acme"}, "fva": [3, 3]
/// }))?;
/// let unmet = admin_or_writer.check(&member).unwrap_err();
/// assert_eq!(
///     unmet.to_string(),
///     "requires one of [role `org:admin`, permission `org:invoices:write`]; \
///      the token has role `org:member`; no permissions"
/// );
/// assert!(recent_admin.check(&member).is_err());
/// # }
/// # Ok::<(), serde_json::Error>(())
/// ```
pub struct Requirement<C = SessionClaims> {
    node: Node<C>,
}

enum Node<C> {
    SignedIn,
    Leaf(Arc<dyn Check<C>>),
    Any(Vec<Requirement<C>>),
    All(Vec<Requirement<C>>),
}

impl<C> Clone for Requirement<C> {
    fn clone(&self) -> Self {
        let node = match &self.node {
            Node::SignedIn => Node::SignedIn,
            Node::Leaf(check) => Node::Leaf(Arc::clone(check)),
            Node::Any(all) => Node::Any(all.clone()),
            Node::All(all) => Node::All(all.clone()),
        };
        Self { node }
    }
}

impl<C> fmt::Debug for Requirement<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.node {
            Node::SignedIn => f.write_str("SignedIn"),
            Node::Leaf(_) => f.write_str("Check"),
            Node::Any(all) => f.debug_tuple("Any").field(all).finish(),
            Node::All(all) => f.debug_tuple("All").field(all).finish(),
        }
    }
}

impl<C: 'static> Requirement<C> {
    /// A verified, signed-in token (what every guard requires first); the default-deny
    /// requirement for a whole router.
    pub fn signed_in() -> Self {
        Self {
            node: Node::SignedIn,
        }
    }

    /// A custom check.
    pub fn check_with(check: impl Check<C>) -> Self {
        Self {
            node: Node::Leaf(Arc::new(check)),
        }
    }

    /// The token's role is `role` (`admin` and `org:admin` are one role, as in Clerk).
    pub fn role<R: RoleEnum>(role: R) -> Self
    where
        C: HasRole<R>,
    {
        Self::check_with(RoleGuard(role))
    }

    /// The token grants `permission`.
    pub fn permission<P: PermissionEnum>(permission: P) -> Self
    where
        C: HasPermission<P>,
    {
        Self::check_with(PermissionGuard(permission))
    }

    /// At least one of `requirements` (none given: never met).
    pub fn any(requirements: impl IntoIterator<Item = Requirement<C>>) -> Self {
        Self {
            node: Node::Any(requirements.into_iter().collect()),
        }
    }

    /// Every one of `requirements` (none given: met once signed in).
    pub fn all(requirements: impl IntoIterator<Item = Requirement<C>>) -> Self {
        Self {
            node: Node::All(requirements.into_iter().collect()),
        }
    }

    /// This requirement and `other`.
    pub fn and(self, other: Requirement<C>) -> Self {
        Self::all([self, other])
    }

    /// This requirement or `other`.
    pub fn or(self, other: Requirement<C>) -> Self {
        Self::any([self, other])
    }
}

impl Requirement<SessionClaims> {
    /// The feature is in the token's `fea` claim (optionally scoped: `o:`, `org:`, `u:`,
    /// `user:`), as Clerk's `has({ feature })`.
    pub fn feature(feature: impl Into<Cow<'static, str>>) -> Self {
        Self::check_with(SessionCheck::Feature(feature.into()))
    }

    /// The plan is in the token's `pla` claim (optionally scoped), as Clerk's `has({ plan })`.
    pub fn plan(plan: impl Into<Cow<'static, str>>) -> Self {
        Self::check_with(SessionCheck::Plan(plan.into()))
    }

    /// The user verified recently enough (Clerk's presets or a custom level and age).
    pub fn reverification(reverification: Reverification) -> Self {
        Self::check_with(SessionCheck::Reverification(reverification))
    }

    /// The escape hatch for keys known only at run time (configuration, a database): Clerk's
    /// `has()` with string keys, which the compiler cannot check. Prefer the enum forms.
    pub fn unchecked(has: Has) -> Self {
        Self::check_with(SessionCheck::Has(has))
    }
}

/// The session-token-only requirements, answered by Clerk's `has()`.
enum SessionCheck {
    Feature(Cow<'static, str>),
    Plan(Cow<'static, str>),
    Reverification(Reverification),
    Has(Has),
}

fn factor_ages(auth: &AuthObject) -> String {
    match auth.factor_verification_age {
        None => "no factor verification ages (`fva`)".to_owned(),
        Some([first, second]) => {
            let age = |a: i64| {
                if a < 0 {
                    "never".to_owned()
                } else {
                    format!("{a} min ago")
                }
            };
            format!(
                "first factor verified {}, second factor {}",
                age(first),
                age(second)
            )
        }
    }
}

impl Check<SessionClaims> for SessionCheck {
    fn check(&self, claims: &SessionClaims) -> Result<(), Unmet> {
        let auth = claims.auth();
        let (pass, required, found) = match self {
            Self::Feature(feature) => (
                auth.has_feature(feature),
                format!("feature `{feature}`"),
                auth.features
                    .as_deref()
                    .map_or_else(|| "no features".to_owned(), |f| format!("features `{f}`")),
            ),
            Self::Plan(plan) => (
                auth.has_plan(plan),
                format!("plan `{plan}`"),
                auth.plans
                    .as_deref()
                    .map_or_else(|| "no plans".to_owned(), |p| format!("plans `{p}`")),
            ),
            Self::Reverification(r) => (
                auth.has_reverification(*r),
                format!("reverification `{r}`"),
                factor_ages(auth),
            ),
            Self::Has(has) => (
                auth.has(has),
                format!("`{has}`"),
                format!(
                    "{}; {}",
                    role_found(HasRole::<NoRole>::role_key(auth)),
                    permissions_found(&HasPermission::<NoPermission>::permission_keys(auth))
                ),
            ),
        };
        if pass {
            return Ok(());
        }
        Err(Unmet { required, found })
    }
}

/// Reads the role and permission keys of a session token without naming an enum: the session
/// implementations of [`HasRole`] / [`HasPermission`] ignore the enum for these two methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum NoRole {}

impl ClerkRole for NoRole {
    const ALL: &'static [Self] = &[];
    fn key(self) -> &'static str {
        match self {}
    }
    fn from_key(_: &str) -> Option<Self> {
        None
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum NoPermission {}

impl ClerkPermission for NoPermission {
    const ALL: &'static [Self] = &[];
    fn key(self) -> &'static str {
        match self {}
    }
    fn from_key(_: &str) -> Option<Self> {
        None
    }
    fn index(self) -> u32 {
        match self {}
    }
}

impl<C: 'static> Check<C> for Requirement<C> {
    fn check(&self, claims: &C) -> Result<(), Unmet> {
        match &self.node {
            Node::SignedIn => Ok(()),
            Node::Leaf(check) => check.check(claims),
            Node::All(all) => all.iter().try_for_each(|r| r.check(claims)),
            Node::Any(any) => {
                let mut required = Vec::with_capacity(any.len());
                let mut found: Vec<String> = Vec::new();
                for requirement in any {
                    match requirement.check(claims) {
                        Ok(()) => return Ok(()),
                        Err(unmet) => {
                            required.push(unmet.required);
                            if !found.contains(&unmet.found) {
                                found.push(unmet.found);
                            }
                        }
                    }
                }
                Err(Unmet {
                    required: format!("one of [{}]", required.join(", ")),
                    found: if found.is_empty() {
                        "nothing to match (an empty `any`)".to_owned()
                    } else {
                        found.join("; ")
                    },
                })
            }
        }
    }
}

/// A route guard: a requirement checked on claims of type `C` before the handler runs. Made
/// by [`require`]; a `tower::Layer` for axum's `route_layer` (feature `axum`) and a middleware
/// for actix-web's `wrap` (feature `actix-web`).
pub struct Require<K, C = SessionClaims> {
    check: Arc<K>,
    _claims: PhantomData<fn() -> C>,
}

impl<K, C> Clone for Require<K, C> {
    fn clone(&self) -> Self {
        Self {
            check: Arc::clone(&self.check),
            _claims: PhantomData,
        }
    }
}

impl<K, C> fmt::Debug for Require<K, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Require")
            .field("check", &std::any::type_name::<K>())
            .field("claims", &std::any::type_name::<C>())
            .finish()
    }
}

/// A guard for `route_layer`: `require(Role::Admin)`, `require(Permission::InvoicesWrite)`,
/// `require(Requirement::plan("pro"))`. It reads the outcome of the `ClerkLayer` (no second
/// verification) and answers 401 when signed out or the token was rejected, 403 when the
/// requirement is not met, before any handler or body extractor runs.
///
/// The claims type is [`SessionClaims`]; for a template layer (`ClerkLayer::template::<C>()`)
/// name it with [`on`](Require::on): `require(Role::Admin).on::<ApiClaims>()`.
pub fn require<M, G: Guard<M>>(guard: G) -> Require<G::Check> {
    Require {
        check: Arc::new(guard.into_check()),
        _claims: PhantomData,
    }
}

impl<K, C> Require<K, C> {
    /// The same guard checked on the claims type `D` (the claims type of a template layer):
    /// `D` must have the role or permission field the guard reads.
    pub fn on<D>(self) -> Require<K, D>
    where
        K: Check<D>,
    {
        Require {
            check: self.check,
            _claims: PhantomData,
        }
    }

    /// Checks verified claims against the guard's requirement.
    pub fn check(&self, claims: &C) -> Result<(), Unmet>
    where
        K: Check<C>,
    {
        self.check.check(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(payload: serde_json::Value) -> SessionClaims {
        let serde_json::Value::Object(map) = payload else {
            unreachable!("the test payloads are objects")
        };
        match SessionClaims::from_payload(&map) {
            Ok(claims) => claims,
            Err(e) => panic!("test payload: {e}"),
        }
    }

    fn unmet(requirement: &Requirement, claims: &SessionClaims) -> String {
        match requirement.check(claims) {
            Ok(()) => "met".to_owned(),
            Err(unmet) => unmet.to_string(),
        }
    }

    #[test]
    fn session_requirements_name_what_the_token_had() {
        let claims = session(serde_json::json!({
            "sub": "user_1", "exp": 4_102_444_800_i64, "v": 2,
            "fea": "u:export", "pla": "u:free", "fva": [30, -1]
        }));
        assert_eq!(
            unmet(&Requirement::feature("o:dashboard"), &claims),
            "requires feature `o:dashboard`; the token has features `u:export`"
        );
        assert_eq!(
            unmet(&Requirement::plan("pro"), &claims),
            "requires plan `pro`; the token has plans `u:free`"
        );
        assert_eq!(
            unmet(
                &Requirement::reverification(Reverification::Strict),
                &claims
            ),
            "requires reverification `strict`; the token has first factor verified 30 min ago, \
             second factor never"
        );
        assert_eq!(unmet(&Requirement::plan("u:free"), &claims), "met");
    }

    #[test]
    fn empty_any_is_never_met_and_empty_all_is_met() {
        let claims = session(serde_json::json!({"sub": "user_1", "exp": 4_102_444_800_i64}));
        assert_eq!(
            unmet(&Requirement::any([]), &claims),
            "requires one of []; the token has nothing to match (an empty `any`)"
        );
        assert_eq!(unmet(&Requirement::all([]), &claims), "met");
        assert_eq!(unmet(&Requirement::signed_in(), &claims), "met");
    }

    #[test]
    fn all_reports_the_first_requirement_not_met() {
        let claims = session(serde_json::json!({
            "sub": "user_1", "exp": 4_102_444_800_i64, "v": 2, "pla": "u:pro"
        }));
        let both = Requirement::plan("pro").and(Requirement::feature("u:export"));
        assert_eq!(
            unmet(&both, &claims),
            "requires feature `u:export`; the token has no features"
        );
    }
}
