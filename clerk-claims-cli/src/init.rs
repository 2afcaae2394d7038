//! `clerk-claims template init default|hasura|supabase|custom [--name NAME]`: a ready
//! `#[derive(ClerkClaims)]` type for the four kinds of template people set up, and the template
//! JSON its derive emits.
//!
//! The printed Rust is the source of the presets in `init/`, which this command compiles: what
//! it prints builds, and the JSON it prints is that code's own `jwt_template()`.

use clerk_claims::{ClerkClaims, JwtTemplate};

use crate::error::CliError;

// Compiled so that the printed JSON is the derive's own output; the types are only printed.
#[allow(dead_code)]
mod custom;
#[allow(dead_code)]
mod default;
#[allow(dead_code)]
mod hasura;
#[allow(dead_code)]
mod supabase;

/// The kind of template to start from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// The user's profile claims (ID, email, name, image).
    Default,
    /// Hasura's `https://hasura.io/jwt/claims` namespace.
    Hasura,
    /// Supabase's `aud`/`role`, signed with HS256 and the project's JWT secret.
    Supabase,
    /// Business logic: organization role and permission enums, metadata with fallbacks.
    Custom,
}

/// A preset: its Rust source and the template its derive emits.
struct Preset {
    file: &'static str,
    source: &'static str,
    type_name: &'static str,
    template: JwtTemplate,
}

fn preset(kind: Kind) -> Preset {
    match kind {
        Kind::Default => Preset {
            file: "default.rs",
            source: include_str!("init/default.rs"),
            type_name: "DefaultClaims",
            template: default::DefaultClaims::jwt_template(),
        },
        Kind::Hasura => Preset {
            file: "hasura.rs",
            source: include_str!("init/hasura.rs"),
            type_name: "HasuraClaims",
            template: hasura::HasuraClaims::jwt_template(),
        },
        Kind::Supabase => Preset {
            file: "supabase.rs",
            source: include_str!("init/supabase.rs"),
            type_name: "SupabaseClaims",
            template: supabase::SupabaseClaims::jwt_template(),
        },
        Kind::Custom => Preset {
            file: "custom.rs",
            source: include_str!("init/custom.rs"),
            type_name: "CustomClaims",
            template: custom::CustomClaims::jwt_template(),
        },
    }
}

/// The line that starts the Rust part of the output.
pub const RUST_MARKER: &str = "// ==== Rust: ";
/// The line that starts the template JSON part of the output.
pub const JSON_MARKER: &str = "// ==== Template JSON: ";

/// `template init KIND [--name NAME]`: the Rust type, then the template JSON, each after a
/// marker line.
pub fn init(kind: Kind, name: Option<&str>) -> Result<String, CliError> {
    let Preset {
        file,
        source,
        type_name,
        mut template,
    } = preset(kind);
    let mut source = source.to_owned();
    if let Some(name) = name {
        clerk_claims_lang::rules::check_name(name)
            .map_err(|v| CliError::Usage(format!("--name {name:?}: {}", v.message)))?;
        let attribute = format!("template = {:?}", template.name);
        if !source.contains(&attribute) {
            return Err(CliError::Usage(format!(
                "the {file} preset has no `{attribute}` to rename"
            )));
        }
        // `{:?}` of a str is a valid Rust string literal.
        source = source.replacen(&attribute, &format!("template = {name:?}"), 1);
        template.name = name.to_owned();
    }
    let create = if template.signing_algorithm.is_some() {
        "create it in Dashboard → JWT templates with your signing key (Custom signing key)"
    } else {
        "create it with `clerk-claims template push FILE`"
    };
    Ok(format!(
        "{RUST_MARKER}src/claims.rs (needs clerk-claims with the `derive` feature{serde}) ====\n\
         {source}\n\
         {JSON_MARKER}{name}.json, what `{type_name}::jwt_template().to_api_body()` gives; \
         {create} ====\n\
         {json}",
        serde = if source.contains("serde_json::") {
            ", and serde_json"
        } else {
            ""
        },
        name = template.name,
        // A `Value` always serializes.
        json = serde_json::to_string_pretty(&template.to_api_body()).unwrap_or_default(),
    ))
}
