//! The evaluator of Clerk's `has()` (`createCheckAuthorization` in `@clerk/shared`
//! `authorization.ts`): three dimensions, each passing, failing or skipped when not asked.

// Clerk's `prefixWithOrg` (`v.replace(/^(org:)*/, 'org:')`), compared without allocating.
use clerk_claims_lang::rules::role_name;

use super::reverification::{Reverification, VerificationLevel};
use super::scope::split_by_scope;

/// What `has()` reads from a signed-in user: the authorization parts of an auth object,
/// borrowed (the session module builds it from its `AuthObject`).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Subject<'a> {
    pub(crate) user_id: Option<&'a str>,
    pub(crate) org_id: Option<&'a str>,
    pub(crate) org_role: Option<&'a str>,
    pub(crate) org_permissions: Option<&'a [String]>,
    pub(crate) features: Option<&'a str>,
    pub(crate) plans: Option<&'a str>,
    pub(crate) factor_verification_age: Option<[i64; 2]>,
}

/// A borrowed `has()` question, so the single-part entry points do not allocate.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Query<'a> {
    pub(crate) role: Option<&'a str>,
    pub(crate) permission: Option<&'a str>,
    pub(crate) feature: Option<&'a str>,
    pub(crate) plan: Option<&'a str>,
    pub(crate) reverification: Option<Reverification>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Outcome {
    Pass,
    Fail,
    Skip,
}

impl Outcome {
    fn from_bool(pass: bool) -> Self {
        if pass { Self::Pass } else { Self::Fail }
    }
}

fn check_org(subject: &Subject<'_>, q: &Query<'_>) -> Outcome {
    if q.role.is_none() && q.permission.is_none() {
        return Outcome::Skip;
    }
    if subject.org_id.is_none_or(str::is_empty) {
        return Outcome::Fail;
    }
    if let Some(role) = q.role {
        let held = subject.org_role.filter(|r| !r.is_empty());
        if held.is_none_or(|held| role_name(held) != role_name(role)) {
            return Outcome::Fail;
        }
    }
    if let Some(permission) = q.permission {
        // `orgPermissions.includes(prefixWithOrg(permission))`: an exact match of `org:<rest>`.
        let wanted = role_name(permission);
        let Some(granted) = subject.org_permissions else {
            return Outcome::Fail;
        };
        if !granted
            .iter()
            .any(|g| g.strip_prefix("org:") == Some(wanted))
        {
            return Outcome::Fail;
        }
    }
    Outcome::Pass
}

/// Clerk's `checkForFeatureOrPlan`; `None` where JS throws (which counts as a failure).
fn has_scoped(claim: &str, query: &str) -> Option<bool> {
    let lists = split_by_scope(claim).ok()?;
    // JS: `const [rawScope, rawId] = query.split(':')` — only the first two parts count.
    let mut parts = query.split(':');
    let raw_scope = parts.next().unwrap_or_default();
    let Some(raw_id) = parts.next() else {
        return Some(lists.org.contains(&query) || lists.user.contains(&query));
    };
    // JS: `id = rawId || rawScope` — an empty id falls back to the scope text.
    let id = if raw_id.is_empty() { raw_scope } else { raw_id };
    match raw_scope {
        "o" | "org" | "organization" => Some(lists.org.contains(&id)),
        "u" | "user" => Some(lists.user.contains(&id)),
        _ => None,
    }
}

fn check_billing(subject: &Subject<'_>, q: &Query<'_>) -> Outcome {
    if q.feature.is_none() && q.plan.is_none() {
        return Outcome::Skip;
    }
    for (asked, claim) in [(q.feature, subject.features), (q.plan, subject.plans)] {
        let Some(asked) = asked else { continue };
        let Some(claim) = claim.filter(|c| !c.is_empty()) else {
            return Outcome::Fail;
        };
        if has_scoped(claim, asked) != Some(true) {
            return Outcome::Fail;
        }
    }
    Outcome::Pass
}

fn check_reverification(subject: &Subject<'_>, q: &Query<'_>) -> Outcome {
    let Some(requirement) = q.reverification else {
        return Outcome::Skip;
    };
    let Some([first, second]) = subject.factor_verification_age else {
        return Outcome::Fail;
    };
    let valid_age = |age: i64| age == -1 || age >= 0;
    if !valid_age(first) || !valid_age(second) || (first == -1 && second == -1) {
        return Outcome::Fail;
    }
    let after = i64::from(requirement.after_minutes());
    if after <= 0 {
        return Outcome::Fail;
    }
    let fresh = |age: i64| age != -1 && after > age;
    Outcome::from_bool(match requirement.level() {
        VerificationLevel::FirstFactor => fresh(first),
        VerificationLevel::SecondFactor if second == -1 => fresh(first),
        VerificationLevel::SecondFactor => fresh(second),
        VerificationLevel::MultiFactor if second == -1 => fresh(first),
        VerificationLevel::MultiFactor if first == -1 => false,
        VerificationLevel::MultiFactor => fresh(first) && fresh(second),
    })
}

/// Clerk's answer to `q` for `subject`: false without a user; otherwise true iff at least one
/// dimension passes and none fails.
pub(crate) fn evaluate(subject: &Subject<'_>, q: &Query<'_>) -> bool {
    if subject.user_id.is_none_or(str::is_empty) {
        return false;
    }
    let outcomes = [
        check_org(subject, q),
        check_billing(subject, q),
        check_reverification(subject, q),
    ];
    outcomes.contains(&Outcome::Pass) && !outcomes.contains(&Outcome::Fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn org_prefix_is_stripped_repeatedly() {
        assert_eq!(role_name("org:org:admin"), "admin");
        assert_eq!(role_name("admin"), "admin");
        assert_eq!(role_name("organization"), "organization");
    }

    #[test]
    fn scoped_query_uses_only_the_first_two_parts() {
        assert_eq!(has_scoped("o:a", "org:a:extra"), Some(true));
        assert_eq!(has_scoped("o:org", "org:"), Some(true));
        assert_eq!(has_scoped("o:a", "lol:a"), None);
        assert_eq!(has_scoped("a", "a"), None);
    }
}
