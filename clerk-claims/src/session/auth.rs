//! The auth object: a session token's claims normalized the way Clerk's JS parser does
//! (`jwtPayloadParser.ts`, `__experimental_JWTPayloadToAuthObjectProperties`).

use serde::{Deserialize, Serialize};

use super::mask::Mask;
use crate::authorize::scope::{MissingScope, org_scoped};

/// Who signed in, in which session and organization: the normalized auth object.
///
/// Field names are Clerk's auth object in snake_case; absent values serialize as `null`.
/// [`SessionClaims::auth`](super::SessionClaims::auth) builds it for v1 and v2 tokens alike, so
/// code reading it does not care which token version the instance issues.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthObject {
    /// The user ID (`sub`).
    pub user_id: Option<String>,
    /// The session ID (`sid`).
    pub session_id: Option<String>,
    /// The session status (`sts`): `active` or `pending`; `None` for instances that have not
    /// opted in.
    pub session_status: Option<String>,
    /// The active organization's ID (v2 `o.id`, v1 `org_id`).
    pub org_id: Option<String>,
    /// The role in the active organization, e.g. `org:admin` (v2 `"org:" + o.rol`, v1
    /// `org_role` verbatim; legacy v1 tokens may lack the `org:` prefix).
    pub org_role: Option<String>,
    /// The active organization's slug (v2 `o.slg`, v1 `org_slug`).
    pub org_slug: Option<String>,
    /// The granted custom permissions, e.g. `org:invoices:read` (v2 decoded from `o.per` and
    /// `o.fpm`, v1 `org_permissions`). `None` without an active organization.
    pub org_permissions: Option<Vec<String>>,
    /// The `fea` claim verbatim: comma-separated `scope:feature` (`o:dashboard,u:export`).
    pub features: Option<String>,
    /// The `pla` claim verbatim: comma-separated `scope:plan` (`u:free`, `o:pro`).
    pub plans: Option<String>,
    /// Minutes since the first and second factor were verified (`fva`); `-1` means never or
    /// not enrolled.
    pub factor_verification_age: Option<[i64; 2]>,
    /// The impersonator, during impersonation (`act`).
    pub actor: Option<Actor>,
}

impl AuthObject {
    /// Whether the session is `pending` (signed in with unfinished session tasks). Clerk's SDKs
    /// treat a pending session as signed out by default.
    pub fn is_pending(&self) -> bool {
        self.session_status.as_deref() == Some("pending")
    }

    /// The features of `features`, each as `(scope, name)`; elements without a scope are
    /// skipped (a `has` check on a malformed claim fails anyway).
    pub fn feature_list(&self) -> impl Iterator<Item = (&str, &str)> {
        scoped_pairs(self.features.as_deref())
    }

    /// The plans of `plans`, each as `(scope, name)`.
    pub fn plan_list(&self) -> impl Iterator<Item = (&str, &str)> {
        scoped_pairs(self.plans.as_deref())
    }
}

fn scoped_pairs(claim: Option<&str>) -> impl Iterator<Item = (&str, &str)> {
    claim
        .filter(|c| !c.is_empty())
        .into_iter()
        .flat_map(|c| c.split(','))
        .filter_map(|part| part.trim().split_once(':'))
}

/// The actor claim (`act`): who is impersonating the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// The impersonator's user ID.
    pub sub: String,
    /// The issuer of the impersonation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    /// The impersonator's session ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    /// The actor type, e.g. `agent` (Clerk's JS type allows it).
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Any other members of the claim, kept verbatim.
    #[serde(flatten)]
    pub other: serde_json::Map<String, serde_json::Value>,
}

/// The organization claims of a v2 token (`o`), verbatim.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgClaimV2 {
    /// The organization ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The organization slug.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slg: Option<String>,
    /// The role key without `org:` (e.g. `admin`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rol: Option<String>,
    /// Comma-separated permission names (e.g. `read,manage`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per: Option<String>,
    /// Comma-separated decimal bitmasks over `per`, one per org-scoped feature of `fea`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fpm: Option<String>,
}

/// Decodes v2 `o.per` + `o.fpm` into `org:<feature>:<permission>` keys, as Clerk's JS parser
/// (`@clerk/shared`, `jwtPayloadParser`) does:
///
/// - missing or empty `per` or `fpm` gives no permissions;
/// - `fpm[i]` is aligned with the i-th **org-scoped** feature of `fea` (scope `o`, `ou`, `uo`,
///   in order, user-only features filtered out first);
/// - each mask is a decimal of any size, read least significant bit first, bit `k` granting
///   `per[k]`; bits beyond `per` are ignored; a malformed mask grants nothing.
///
/// Clerk's docs and Python SDK align `fpm[i]` with the i-th entry of the **full** `fea` list
/// instead (skipping non-org entries). The two agree whenever org-scoped features come before
/// user-only ones, as in every token Clerk's own tests show; for `fea = "u:profile,o:teams"`,
/// `fpm = "0,3"` JS grants nothing while docs/Python grant `org:teams:read` and
/// `org:teams:manage`. We follow JS, the SDK Clerk's servers run, and grant the smaller set.
pub(crate) fn decode_permissions(
    fea: Option<&str>,
    per: Option<&str>,
    fpm: Option<&str>,
) -> Result<Vec<String>, MissingScope> {
    // JS splits `fea` before looking at `per`/`fpm`, so a malformed `fea` throws either way.
    let features = org_scoped(fea.unwrap_or_default())?;
    let (Some(per), Some(fpm)) = (per.filter(|p| !p.is_empty()), fpm.filter(|f| !f.is_empty()))
    else {
        return Ok(Vec::new());
    };
    let width = per.split(',').count();
    let mut granted = Vec::new();
    for (feature, mask) in features.zip(fpm.split(',')) {
        let Some(mask) = Mask::parse(mask, width) else {
            // A malformed mask grants nothing.
            continue;
        };
        for (bit, permission) in per.split(',').map(str::trim).enumerate() {
            if mask.bit(bit) {
                granted.push(org_key(&[feature, permission]));
            }
        }
    }
    Ok(granted)
}

/// `org:` followed by `parts` joined with `:` (`org:invoices:read`), sized in one allocation.
pub(crate) fn org_key(parts: &[&str]) -> String {
    let len = parts.iter().map(|p| p.len() + 1).sum::<usize>();
    let mut key = String::with_capacity(3 + len);
    key.push_str("org");
    for part in parts {
        key.push(':');
        key.push_str(part);
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docs_example_decodes_to_the_documented_permissions() {
        let got = decode_permissions(
            Some("o:dashboard,o:teams"),
            Some("manage,read"),
            Some("3,2"),
        );
        assert_eq!(
            got.unwrap(),
            [
                "org:dashboard:manage",
                "org:dashboard:read",
                "org:teams:read"
            ]
        );
    }

    #[test]
    fn malformed_fea_is_an_error_even_without_masks() {
        assert!(decode_permissions(Some("dashboard"), None, None).is_err());
    }

    #[test]
    fn masks_beyond_u128_still_grant_their_high_bits() {
        // 2^130 + 1: bits 0 and 130.
        let per: Vec<String> = (0..131).map(|i| format!("p{i}")).collect();
        let got = decode_permissions(
            Some("o:a"),
            Some(&per.join(",")),
            Some("1361129467683753853853498429727072845825"),
        );
        assert_eq!(got.unwrap(), ["org:a:p0", "org:a:p130"]);
    }

    #[test]
    fn org_key_joins_with_colons() {
        assert_eq!(org_key(&["admin"]), "org:admin");
        assert_eq!(org_key(&["invoices", "read"]), "org:invoices:read");
    }

    #[test]
    fn fewer_masks_than_features_leaves_the_rest_without_permissions() {
        let got = decode_permissions(Some("o:a,o:b"), Some("read"), Some("1"));
        assert_eq!(got.unwrap(), ["org:a:read"]);
    }
}
