//! The derives' expansions are lint-clean: the accepted forms (`tests/ui/compiles`) compiled
//! under clippy's pedantic and nursery groups and rustc's stricter allow-by-default lints. The
//! workspace's `cargo clippy --all-targets -- -D warnings` turns any warning here into a
//! failure, so the expansion needs no blanket `#[allow(clippy::…)]`; the only lints it allows
//! are named, with the reason, in `clerk-claims-derive/src/expand/mod.rs`.
//!
//! Their `main` functions run in `tests/tests/derive_compiles.rs`; here they only compile.
#![allow(dead_code, missing_docs)]
#![warn(clippy::pedantic, clippy::nursery)]
#![warn(
    elided_lifetimes_in_paths,
    non_upper_case_globals,
    single_use_lifetimes,
    trivial_casts,
    trivial_numeric_casts,
    unreachable_pub,
    unused_import_braces,
    unused_results
)]
// After the groups, to win over them: the test mains assert (they are tests).
#![allow(clippy::missing_panics_doc)]

#[path = "../compiles/contract_example.rs"]
pub mod contract_example;
#[path = "../compiles/custom_keys_and_crate_path.rs"]
pub mod custom_keys_and_crate_path;
#[path = "../compiles/fallbacks_fit_the_field.rs"]
pub mod fallbacks_fit_the_field;
#[path = "../compiles/literal_fallbacks_and_plain_strings.rs"]
pub mod literal_fallbacks_and_plain_strings;
#[path = "../compiles/roles_with_grants.rs"]
pub mod roles_with_grants;
#[path = "../compiles/type_aliases.rs"]
pub mod type_aliases;
