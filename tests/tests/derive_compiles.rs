//! The accepted forms of the derives compile (the "pass" half of the ui tests): the contract
//! example, type aliases, literal fallbacks, `||` fallbacks that fit the field, plain-string
//! `org.role`, custom keys and `crate = "…"`. Each file is a module here; their `main`
//! functions assert at run time.
#![allow(dead_code, missing_docs)]
#![warn(clippy::pedantic)]

#[path = "../ui/compiles/contract_example.rs"]
mod contract_example;
#[path = "../ui/compiles/custom_keys_and_crate_path.rs"]
mod custom_keys_and_crate_path;
#[path = "../ui/compiles/fallbacks_fit_the_field.rs"]
mod fallbacks_fit_the_field;
#[path = "../ui/compiles/literal_fallbacks_and_plain_strings.rs"]
mod literal_fallbacks_and_plain_strings;
#[path = "../ui/compiles/roles_with_grants.rs"]
mod roles_with_grants;
#[path = "../ui/compiles/type_aliases.rs"]
mod type_aliases;
#[path = "../ui/compiles/types_named_like_the_expansions_identifiers.rs"]
mod types_named_like_the_expansions_identifiers;

#[test]
fn accepted_forms_compile_and_produce_their_templates() {
    contract_example::main();
    custom_keys_and_crate_path::main();
    fallbacks_fit_the_field::main();
    literal_fallbacks_and_plain_strings::main();
    roles_with_grants::main();
    type_aliases::main();
}

#[test]
fn derives_compile_on_types_named_like_the_expansions_identifiers() {
    types_named_like_the_expansions_identifiers::main();
}
