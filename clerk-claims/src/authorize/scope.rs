//! Clerk's scoped lists (`fea`, `pla`): `scope:name` elements split into org and user lists,
//! read by `has()` and by the session token's permission decoding.

/// The names of a scoped claim, split by scope (Clerk's JS `splitByScope`).
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Scoped<'a> {
    /// Names with scope `o`, `ou` or `uo`, in claim order.
    pub(crate) org: Vec<&'a str>,
    /// Names with scope `u`, `ou` or `uo`, in claim order.
    pub(crate) user: Vec<&'a str>,
}

/// An element of a scoped claim without the `scope:` part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MissingScope(pub(crate) String);

/// Splits `claim` (`o:dashboard,u:profile`) like Clerk's `splitByScope`: elements are trimmed,
/// the scope is the text before the first `:`, unknown scopes are ignored, and an element
/// without `:` is an error (JS throws).
pub(crate) fn split_by_scope(claim: &str) -> Result<Scoped<'_>, MissingScope> {
    let mut scoped = Scoped::default();
    if claim.is_empty() {
        return Ok(scoped);
    }
    for part in claim.split(',').map(str::trim) {
        let Some((scope, name)) = part.split_once(':') else {
            return Err(MissingScope(part.to_owned()));
        };
        match scope {
            "o" => scoped.org.push(name),
            "u" => scoped.user.push(name),
            "ou" | "uo" => {
                scoped.org.push(name);
                scoped.user.push(name);
            }
            _ => {}
        }
    }
    Ok(scoped)
}

/// The org-scoped names of `claim` (scope `o`, `ou` or `uo`), in claim order: the `org` list of
/// [`split_by_scope`] without allocating, and with the same error for an element without a
/// scope.
pub(crate) fn org_scoped(claim: &str) -> Result<impl Iterator<Item = &str>, MissingScope> {
    let parts = || {
        claim
            .split(',')
            .filter(|_| !claim.is_empty())
            .map(str::trim)
    };
    if let Some(part) = parts().find(|part| !part.contains(':')) {
        return Err(MissingScope(part.to_owned()));
    }
    Ok(parts()
        .filter_map(|part| part.split_once(':'))
        .filter(|(scope, _)| matches!(*scope, "o" | "ou" | "uo"))
        .map(|(_, name)| name))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn org_scoped_is_the_org_list_of_split_by_scope(claim in "[ou:a, ]{0,16}") {
            let listed = org_scoped(&claim).map(Iterator::collect::<Vec<_>>);
            proptest::prop_assert_eq!(listed, split_by_scope(&claim).map(|s| s.org));
        }
    }

    #[test]
    fn scopes_go_to_their_lists_in_order() {
        let s = split_by_scope("o:a, u:b,ou:c,uo:d,x:e").unwrap();
        assert_eq!(s.org, ["a", "c", "d"]);
        assert_eq!(s.user, ["b", "c", "d"]);
    }

    #[test]
    fn element_without_colon_is_an_error() {
        assert_eq!(
            split_by_scope("o:a,free_user"),
            Err(MissingScope("free_user".into()))
        );
    }

    #[test]
    fn empty_claim_is_empty() {
        assert_eq!(split_by_scope(""), Ok(Scoped::default()));
    }
}
