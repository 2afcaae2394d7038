//! Claims for a `hasura` JWT template: the `https://hasura.io/jwt/claims` object Hasura reads
//! its session variables from (Hasura's `HASURA_GRAPHQL_JWT_SECRET` points at Clerk's JWKS).

use clerk_claims::ClerkClaims;

/// Hasura's session variables.
#[derive(ClerkClaims, Debug)]
#[clerk(object)]
pub struct HasuraSession {
    /// The user ID Hasura's permission rules compare with (`X-Hasura-User-Id`).
    #[clerk(rename = "x-hasura-user-id", shortcode = "user.id")]
    pub user_id: String,
    /// The role of a request that asks for none: from public metadata, `user` when unset.
    #[clerk(
        rename = "x-hasura-default-role",
        shortcode = "user.public_metadata.hasura_role || 'user'"
    )]
    pub default_role: String,
    /// The roles a request may ask for with `X-Hasura-Role`.
    #[clerk(
        rename = "x-hasura-allowed-roles",
        json = r#"["user", "editor", "admin"]"#
    )]
    pub allowed_roles: Vec<String>,
    /// The active organization, for multi-tenant rules (`X-Hasura-Org-Id`).
    #[clerk(rename = "x-hasura-org-id", shortcode = "org.id")]
    pub org_id: Option<String>,
}

/// The `hasura` template: only the namespaced claims object.
#[derive(ClerkClaims, Debug)]
#[clerk(template = "hasura", lifetime = 600, allowed_clock_skew = 5)]
pub struct HasuraClaims {
    /// Hasura's claims namespace.
    #[clerk(rename = "https://hasura.io/jwt/claims", nested)]
    pub hasura: HasuraSession,
}
