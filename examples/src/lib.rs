//! Example claims types for clerk-claims: the contract's `ApiClaims` with its `Role` and
//! `Permission` enums and nested Hasura claims, a Supabase-style template, and a customized
//! session token. The binaries in `src/bin/` use them against a local [`FakeClerk`].
//!
//! [`FakeClerk`]: clerk_claims::testing::fake::FakeClerk
#![forbid(unsafe_code)]

use clerk_claims::{ClerkClaims, ClerkPermission, ClerkRole, Permissions};

/// Organization roles the app knows.
#[derive(ClerkRole, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// `org:admin`
    #[clerk(key = "org:admin")]
    Admin,
    /// `org:member`
    #[clerk(key = "org:member")]
    Member,
}

/// Organization permissions the app checks.
#[derive(ClerkPermission, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// `org:invoices:read`
    #[clerk(key = "org:invoices:read")]
    InvoicesRead,
    /// `org:invoices:write`
    #[clerk(key = "org:invoices:write")]
    InvoicesWrite,
}

/// Hasura's claims object (`https://hasura.io/jwt/claims`), inlined into [`ApiClaims`].
#[derive(ClerkClaims, Debug)]
#[clerk(object)]
pub struct HasuraClaims {
    /// The user ID Hasura's permission rules see.
    #[clerk(rename = "x-hasura-user-id", shortcode = "user.id")]
    pub user_id: String,
    /// Hasura's default role for the request.
    #[clerk(rename = "x-hasura-default-role", value = "user")]
    pub default_role: String,
    /// Roles the client may ask for.
    #[clerk(rename = "x-hasura-allowed-roles", json = r#"["user", "admin"]"#)]
    pub allowed_roles: Vec<String>,
    /// The active organization, if any.
    #[clerk(rename = "x-hasura-org-id", shortcode = "org.id")]
    pub org_id: Option<String>,
}

/// The contract's example: an `api` template with user, organization and Hasura claims.
#[derive(ClerkClaims, Debug)]
#[clerk(template = "api", lifetime = 300, allowed_clock_skew = 5)]
pub struct ApiClaims {
    /// The primary email address, if the user has one.
    #[clerk(shortcode = "user.primary_email_address")]
    pub email: Option<String>,
    /// The billing plan from public metadata, `free` when unset.
    #[clerk(shortcode = "user.public_metadata.plan || 'free'")]
    pub plan: String,
    /// The active organization.
    #[clerk(shortcode = "org.id")]
    pub org_id: Option<String>,
    /// The role in the active organization.
    #[clerk(shortcode = "org.role")]
    pub role: Option<Role>,
    /// The permissions in the active organization.
    #[clerk(shortcode = "org_membership.permissions")]
    pub permissions: Permissions<Permission>,
    /// First and last name.
    #[clerk(format = "{{user.first_name}} {{user.last_name}}")]
    pub display_name: String,
    /// A static audience.
    #[clerk(value = "authenticated")]
    pub aud: String,
    /// Hasura's claims.
    #[clerk(rename = "https://hasura.io/jwt/claims", nested)]
    pub hasura: HasuraClaims,
}

/// A Supabase-style template: `aud`/`role` as PostgREST expects, plus the email.
#[derive(ClerkClaims, Debug)]
#[clerk(template = "supabase", lifetime = 3600, allowed_clock_skew = 10)]
pub struct SupabaseClaims {
    /// PostgREST's audience.
    #[clerk(value = "authenticated")]
    pub aud: String,
    /// PostgREST's database role.
    #[clerk(value = "authenticated")]
    pub role: String,
    /// The primary email address.
    #[clerk(shortcode = "user.primary_email_address")]
    pub email: Option<String>,
    /// App metadata, as Supabase's `app_metadata`.
    #[clerk(shortcode = "user.public_metadata")]
    pub app_metadata: Option<serde_json::Value>,
}

/// The instance's customized session token: extra claims merged into every session token.
#[derive(ClerkClaims, Debug)]
#[clerk(session_token)]
pub struct SessionExtras {
    /// The billing plan, `free` when unset.
    #[clerk(shortcode = "user.public_metadata.plan || 'free'")]
    pub plan: String,
    /// The primary email address.
    #[clerk(shortcode = "user.primary_email_address")]
    pub email: Option<String>,
}

/// A Hasura-only template: just the `https://hasura.io/jwt/claims` object Hasura reads.
#[derive(ClerkClaims, Debug)]
#[clerk(template = "hasura", lifetime = 600)]
pub struct HasuraToken {
    /// Hasura's session variables.
    #[clerk(rename = "https://hasura.io/jwt/claims", nested)]
    pub hasura: HasuraClaims,
}

/// Supabase with a custom signing key: Clerk signs this template with HS256 and Supabase's
/// JWT secret, so Supabase (PostgREST, Realtime, Storage) accepts the token as its own.
#[derive(ClerkClaims, Debug)]
#[clerk(
    template = "supabase-hs256",
    lifetime = 3600,
    allowed_clock_skew = 10,
    signing_algorithm = "HS256"
)]
pub struct SupabaseHs256Claims {
    /// PostgREST's audience.
    #[clerk(value = "authenticated")]
    pub aud: String,
    /// PostgREST's database role.
    #[clerk(value = "authenticated")]
    pub role: String,
    /// The primary email address.
    #[clerk(shortcode = "user.primary_email_address")]
    pub email: Option<String>,
}

/// Supabase's local-development JWT secret (`supabase start` prints it); a real project has
/// its own under Project Settings → API → JWT Secret. Only for the offline examples.
pub const SUPABASE_LOCAL_JWT_SECRET: &str =
    "super-secret-jwt-token-with-at-least-32-characters-long";

/// Helpers the example binaries share: an embedded [`FakeClerk`] and a verifier for it.
///
/// [`FakeClerk`]: clerk_claims::testing::fake::FakeClerk
pub mod offline {
    use std::process::ExitCode;

    use clerk_claims::Verifier;
    use clerk_claims::testing::fake::FakeClerk;
    use clerk_claims::verify::BuildError;

    /// What an example's run fails with.
    pub type Error = Box<dyn std::error::Error>;

    /// The exit code of a self-checking example named `name`: 0 when every check passed, 1
    /// when one failed, 2 (after printing `name: error` to stderr) when it could not run.
    pub fn exit_code(name: &str, outcome: Result<bool, Error>) -> ExitCode {
        match outcome {
            Ok(true) => ExitCode::SUCCESS,
            Ok(false) => ExitCode::FAILURE,
            Err(e) => {
                eprintln!("{name}: {e}");
                ExitCode::from(2)
            }
        }
    }

    /// A verifier for the fake's tokens, as a backend configures one for Clerk: keys from the
    /// JWKS URL, the issuer and the publishable key (for the suffixed `__session_<suffix>`
    /// cookie).
    pub fn verifier(fake: &FakeClerk) -> Result<Verifier, BuildError> {
        Verifier::builder()
            .jwks_url(fake.jwks_url())
            .issuer(fake.frontend_api_url())
            .publishable_key(fake.publishable_key())
            .build()
    }

    /// One line of a self-check: prints `ok`/`FAIL` and what was checked; returns `ok`.
    pub fn check(ok: bool, what: impl std::fmt::Display) -> bool {
        println!("  {} {what}", if ok { "ok  " } else { "FAIL" });
        ok
    }
}
