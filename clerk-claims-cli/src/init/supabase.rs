//! Claims for a `supabase` JWT template: `aud` and `role` as PostgREST expects them, signed
//! with HS256 and your Supabase project's JWT secret, so Supabase (PostgREST, Realtime,
//! Storage) accepts the token as its own. In the dashboard, turn on "Custom signing key" for
//! the template and paste the JWT secret from Supabase → Project Settings → API.

use clerk_claims::ClerkClaims;

/// The claims Supabase's row-level security reads (`auth.jwt()`, `auth.uid()` is `sub`).
#[derive(ClerkClaims, Debug)]
#[clerk(
    template = "supabase",
    lifetime = 3600,
    allowed_clock_skew = 10,
    signing_algorithm = "HS256"
)]
pub struct SupabaseClaims {
    /// PostgREST's audience.
    #[clerk(value = "authenticated")]
    pub aud: String,
    /// The Postgres role PostgREST switches to.
    #[clerk(value = "authenticated")]
    pub role: String,
    /// The primary email address, for policies that match on it.
    #[clerk(shortcode = "user.primary_email_address")]
    pub email: Option<String>,
    /// The user's public metadata, as Supabase's `app_metadata`.
    #[clerk(shortcode = "user.public_metadata")]
    pub app_metadata: Option<serde_json::Value>,
}
