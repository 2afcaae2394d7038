//! Clerk's shortcode catalogue (the shortcodes of
//! <https://clerk.com/docs/backend-requests/jwt-templates>) and the "did you mean" suggestions.

use crate::{JsonType, Nullability, PathRoot, Shortcode};

const fn sc(
    name: &'static str,
    ty: JsonType,
    nullability: Nullability,
    deprecated: bool,
    doc: &'static str,
) -> Shortcode {
    Shortcode {
        name,
        ty,
        nullability,
        deprecated,
        doc,
    }
}

use JsonType as T;
use Nullability as N;

/// Every shortcode of Clerk's engine that is not a metadata/actor path, grouped as Clerk's
/// JWT template documentation lists them: user, organization, membership, session.
///
/// The path roots (`user.public_metadata`, `user.unsafe_metadata`, `org.public_metadata`,
/// `org_membership.public_metadata`, `session.actor`) are not listed here: they take a
/// `.a.b.c` path and are described by [`PATH_ROOTS`] / [`PathRoot`].
pub const CATALOGUE: &[Shortcode] = &[
    sc(
        "user.id",
        T::String,
        N::Never,
        false,
        "The user's ID, e.g. `user_2abc…`.",
    ),
    sc(
        "user.external_id",
        T::String,
        N::WhenUnset,
        false,
        "The user's external ID; null when not set.",
    ),
    sc(
        "user.first_name",
        T::String,
        N::WhenUnset,
        false,
        "The user's first name; null when not set.",
    ),
    sc(
        "user.last_name",
        T::String,
        N::WhenUnset,
        false,
        "The user's last name; null when not set.",
    ),
    sc(
        "user.full_name",
        T::String,
        N::WhenUnset,
        false,
        "First and last name joined by a space; null when both are empty.",
    ),
    sc(
        "user.username",
        T::String,
        N::WhenUnset,
        false,
        "The username; null when the user has none.",
    ),
    sc(
        "user.created_at",
        T::Number,
        N::Never,
        false,
        "Creation time in Unix seconds (not milliseconds).",
    ),
    sc(
        "user.updated_at",
        T::Number,
        N::Never,
        false,
        "Last update time in Unix seconds (not milliseconds).",
    ),
    sc(
        "user.primary_email_address",
        T::String,
        N::WhenUnset,
        false,
        "The primary email address; null when there is none.",
    ),
    sc(
        "user.primary_phone_number",
        T::String,
        N::WhenUnset,
        false,
        "The primary phone number; null when there is none.",
    ),
    sc(
        "user.primary_web3_wallet",
        T::String,
        N::WhenUnset,
        false,
        "The primary web3 wallet address; null when there is none.",
    ),
    sc(
        "user.email_verified",
        T::Bool,
        N::Never,
        false,
        "Whether any email address of the user is verified.",
    ),
    sc(
        "user.phone_number_verified",
        T::Bool,
        N::Never,
        false,
        "Whether any phone number of the user is verified.",
    ),
    sc(
        "user.image_url",
        T::String,
        N::Never,
        false,
        "The user's image URL (a default avatar when none was uploaded).",
    ),
    sc(
        "user.profile_image_url",
        T::String,
        N::Never,
        true,
        "Deprecated: use `user.image_url`.",
    ),
    sc(
        "user.has_image",
        T::Bool,
        N::Never,
        false,
        "Whether the user uploaded an image.",
    ),
    sc(
        "user.two_factor_enabled",
        T::Bool,
        N::Never,
        false,
        "Whether the user has a second factor (TOTP or phone) enabled.",
    ),
    sc(
        "user.organizations",
        T::Object,
        N::Never,
        false,
        "All memberships as `{org_id: role_key}` (shape UNCONFIRMED).",
    ),
    sc(
        "org.id",
        T::String,
        N::WithoutActiveOrg,
        false,
        "The active organization's ID; null without an active organization.",
    ),
    sc(
        "org.role",
        T::String,
        N::WithoutActiveOrg,
        false,
        "The role key in the active organization, e.g. `org:admin`.",
    ),
    sc(
        "org.name",
        T::String,
        N::WithoutActiveOrg,
        false,
        "The active organization's name.",
    ),
    sc(
        "org.slug",
        T::String,
        N::WithoutActiveOrg,
        false,
        "The active organization's slug.",
    ),
    sc(
        "org.image_url",
        T::String,
        N::WithoutActiveOrg,
        false,
        "The active organization's image URL.",
    ),
    sc(
        "org.has_image",
        T::Bool,
        N::WithoutActiveOrg,
        false,
        "Whether the active organization has an uploaded image.",
    ),
    sc(
        "org_membership.permissions",
        T::StringArray,
        N::WithoutActiveOrg,
        false,
        "Custom permission keys of the active membership, e.g. `[\"org:invoices:read\"]`.",
    ),
    sc(
        "session.reverification_id",
        T::String,
        N::WhenUnset,
        false,
        "The session's reverification ID (type and availability UNCONFIRMED).",
    ),
];

/// The metadata / actor path roots, each followed by any number of `.\w+` segments (Clerk
/// reads the path into the object and substitutes null when a key is missing).
pub const PATH_ROOTS: &[(&str, PathRoot)] = &[
    ("user.public_metadata", PathRoot::UserPublicMetadata),
    ("user.unsafe_metadata", PathRoot::UserUnsafeMetadata),
    ("org.public_metadata", PathRoot::OrgPublicMetadata),
    (
        "org_membership.public_metadata",
        PathRoot::OrgMembershipPublicMetadata,
    ),
    ("session.actor", PathRoot::SessionActor),
];

impl PathRoot {
    /// The root as written in a template, e.g. `user.public_metadata`.
    pub fn name(self) -> &'static str {
        match self {
            PathRoot::UserPublicMetadata => "user.public_metadata",
            PathRoot::UserUnsafeMetadata => "user.unsafe_metadata",
            PathRoot::OrgPublicMetadata => "org.public_metadata",
            PathRoot::OrgMembershipPublicMetadata => "org_membership.public_metadata",
            PathRoot::SessionActor => "session.actor",
        }
    }

    /// When the root object itself (no path) is null: metadata roots are always an object
    /// (`{}` without an active organization), `session.actor` is null outside impersonation.
    pub fn nullability(self) -> Nullability {
        match self {
            PathRoot::SessionActor => Nullability::WithoutActor,
            _ => Nullability::Never,
        }
    }

    /// Whether the root belongs to the active organization.
    pub fn org_scoped(self) -> bool {
        matches!(
            self,
            PathRoot::OrgPublicMetadata | PathRoot::OrgMembershipPublicMetadata
        )
    }
}

impl Shortcode {
    /// Whether the shortcode belongs to the active organization (`org.*`, `org_membership.*`).
    pub fn org_scoped(&self) -> bool {
        self.nullability == Nullability::WithoutActiveOrg
    }
}

/// The catalogue entry named exactly `name` (no path roots, no spaces).
pub fn lookup(name: &str) -> Option<&'static Shortcode> {
    CATALOGUE.iter().find(|s| s.name == name)
}

/// The path root that `name` starts with (`user.public_metadata.plan` → `UserPublicMetadata`)
/// and the rest of the name after it (`.plan`, or empty).
pub fn path_root(name: &str) -> Option<(PathRoot, &str)> {
    PATH_ROOTS.iter().find_map(|(root_name, root)| {
        let rest = name.strip_prefix(root_name)?;
        (rest.is_empty() || rest.starts_with('.')).then_some((*root, rest))
    })
}

/// Names that guides and LLMs use but Clerk does not know, with the real one.
/// A name matches when it equals the wrong name or continues it with `.`.
pub const KNOWN_WRONG_NAMES: &[(&str, &str)] = &[
    ("org_membership.role", "org.role"),
    ("org_membership.permission", "org_membership.permissions"),
    ("org.permissions", "org_membership.permissions"),
    ("org_permissions", "org_membership.permissions"),
    ("org_role", "org.role"),
    ("org_id", "org.id"),
    ("org_slug", "org.slug"),
    ("user.role", "org.role"),
    ("user.organization_id", "org.id"),
    ("user.org_id", "org.id"),
    ("user.primary_phone_address", "user.primary_phone_number"),
    ("user.phone_number", "user.primary_phone_number"),
    ("user.phone", "user.primary_phone_number"),
    (
        "user.primaryEmailAddress.emailAddress",
        "user.primary_email_address",
    ),
    ("user.primaryEmailAddress", "user.primary_email_address"),
    ("user.email", "user.primary_email_address"),
    ("user.email_address", "user.primary_email_address"),
    ("user.private_metadata", "user.public_metadata"),
    ("user.privateMetadata", "user.public_metadata"),
    ("user.publicMetadata", "user.public_metadata"),
    ("user.unsafeMetadata", "user.unsafe_metadata"),
    ("org.private_metadata", "org.public_metadata"),
    (
        "org_membership.private_metadata",
        "org_membership.public_metadata",
    ),
    ("user.metadata", "user.public_metadata"),
    ("user_id", "user.id"),
];

/// The nearest known shortcode or path root for an unknown `name` ("did you mean").
///
/// Checks the known wrong names ([`KNOWN_WRONG_NAMES`]) first, then the Damerau–Levenshtein distance to
/// every catalogue name, path root (compared with as many leading segments of `name` as it
/// has) and known wrong name (which suggests its right name). Returns `None` when nothing is
/// close.
pub fn suggest(name: &str) -> Option<&'static str> {
    for (wrong, right) in KNOWN_WRONG_NAMES {
        if name == *wrong || name.strip_prefix(wrong).is_some_and(|r| r.starts_with('.')) {
            return Some(right);
        }
    }
    let lower = name.to_ascii_lowercase();
    // (compared name, suggested name, is a path root)
    let candidates = CATALOGUE
        .iter()
        .map(|s| (s.name, s.name, false))
        .chain(PATH_ROOTS.iter().map(|(n, _)| (*n, *n, true)))
        .chain(KNOWN_WRONG_NAMES.iter().map(|(w, r)| (*w, *r, false)));
    let mut best: Option<(usize, &'static str)> = None;
    for (candidate, suggested, is_root) in candidates {
        let compared = if is_root {
            leading_segments(&lower, candidate.split('.').count())
        } else {
            lower.as_str()
        };
        let limit = (candidate.len() / 3).max(2);
        // The distance is at least the difference in length: a far longer or shorter name
        // cannot be within the limit, and skipping it keeps a long unknown name cheap.
        if compared.len().abs_diff(candidate.len()) > limit {
            continue;
        }
        let distance = strsim::damerau_levenshtein(compared, candidate);
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, suggested));
        }
    }
    best.map(|(_, name)| name)
}

fn leading_segments(name: &str, count: usize) -> &str {
    match name.match_indices('.').nth(count.saturating_sub(1)) {
        Some((i, _)) => &name[..i],
        None => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_has_every_fact_sheet_row_once() {
        assert_eq!(CATALOGUE.len(), 26);
        for s in CATALOGUE {
            assert_eq!(
                CATALOGUE.iter().filter(|o| o.name == s.name).count(),
                1,
                "{}",
                s.name
            );
            assert!(
                path_root(s.name).is_none(),
                "{} is also a path root",
                s.name
            );
        }
    }

    #[test]
    fn deprecated_profile_image_url_is_known_and_flagged() {
        let s = lookup("user.profile_image_url").map(|s| s.deprecated);
        assert_eq!(s, Some(true));
        assert_eq!(lookup("user.image_url").map(|s| s.deprecated), Some(false));
    }

    #[test]
    fn reverification_id_is_a_nullable_string() {
        let s = lookup("session.reverification_id");
        assert_eq!(
            s.map(|s| (s.ty, s.nullability)),
            Some((JsonType::String, Nullability::WhenUnset))
        );
    }

    #[test]
    fn private_metadata_is_not_a_shortcode() {
        assert!(lookup("user.private_metadata").is_none());
        assert!(path_root("user.private_metadata.x").is_none());
    }

    #[test]
    fn path_root_splits_root_and_rest() {
        assert_eq!(
            path_root("user.public_metadata.a.b"),
            Some((PathRoot::UserPublicMetadata, ".a.b"))
        );
        assert_eq!(
            path_root("session.actor"),
            Some((PathRoot::SessionActor, ""))
        );
        assert_eq!(path_root("user.public_metadataX"), None);
    }

    #[test]
    fn suggest_maps_known_wrong_names() {
        for (wrong, right) in [
            ("org_membership.role", "org.role"),
            ("user.primary_phone_address", "user.primary_phone_number"),
            ("org_permissions", "org_membership.permissions"),
            ("user.organization_id", "org.id"),
            (
                "user.primaryEmailAddress.emailAddress",
                "user.primary_email_address",
            ),
            ("user.private_metadata", "user.public_metadata"),
            ("user.private_metadata.plan", "user.public_metadata"),
        ] {
            assert_eq!(suggest(wrong), Some(right), "{wrong}");
        }
    }

    #[test]
    fn suggest_finds_typos_by_edit_distance() {
        assert_eq!(suggest("user.frist_name"), Some("user.first_name"));
        assert_eq!(suggest("user.firstName"), Some("user.first_name"));
        assert_eq!(suggest("org.slgu"), Some("org.slug"));
        assert_eq!(
            suggest("user.public_metdata.plan"),
            Some("user.public_metadata")
        );
        assert_eq!(suggest("session.actr.sub"), Some("session.actor"));
        // Near a known wrong name: suggest what that name should have been.
        assert_eq!(suggest("user.emial"), Some("user.primary_email_address"));
    }

    #[test]
    fn suggest_of_a_very_long_name_is_nothing_and_skips_the_edit_distance() {
        let long = format!("user.{}", "x".repeat(100_000));
        assert_eq!(suggest(&long), None);
    }

    #[test]
    fn suggest_gives_nothing_for_far_names() {
        assert_eq!(suggest("completely.unrelated.thing"), None);
        assert_eq!(suggest("x"), None);
    }
}
