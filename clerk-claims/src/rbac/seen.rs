//! The run-time check of a verified token against the code's grants: a permission the token
//! carries that its role does not grant in code is logged once per (role, permission).

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock, PoisonError};

use super::{ClerkPermission, Permissions, RoleGrants};

/// The (role, permission) pairs already logged. Both keys are the enums' `'static` keys, so
/// the set holds at most (roles × permissions) entries of the declared enums: it is bounded
/// by the code, never by traffic.
fn seen() -> &'static Mutex<HashSet<(&'static str, &'static str)>> {
    static SEEN: OnceLock<Mutex<HashSet<(&'static str, &'static str)>>> = OnceLock::new();
    SEEN.get_or_init(Mutex::default)
}

/// Logs a `tracing` warning, once per process for each (role, permission), for every
/// permission in `permissions` that `role` does not grant in code: the instance and the code
/// disagree (`clerk-claims roles diff` shows how). A permission the role grants that the
/// token lacks is normal and not logged. Returns how many pairs were logged by this call.
pub fn warn_ungranted<R: RoleGrants>(role: R, permissions: &Permissions<R::Permission>) -> usize {
    let granted = role.grants();
    let mut logged = 0;
    for p in permissions.iter() {
        if granted.contains(p) {
            continue;
        }
        let first = seen()
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert((role.key(), p.key()));
        if first {
            logged += 1;
            tracing::warn!(
                role = role.key(),
                permission = p.key(),
                "a verified token carries permission `{}` that role `{}` does not grant in code: \
                 the instance and the code disagree; run `clerk-claims roles diff` to see how",
                p.key(),
                role.key()
            );
        }
    }
    logged
}
