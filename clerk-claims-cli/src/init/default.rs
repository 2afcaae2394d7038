//! Claims for the `default` JWT template: who the user is, for a backend that needs more than
//! the session token's `sub`.

use clerk_claims::ClerkClaims;

/// The user's profile, as Clerk fills it in when it mints the token.
#[derive(ClerkClaims, Debug)]
#[clerk(template = "default", lifetime = 60, allowed_clock_skew = 5)]
pub struct DefaultClaims {
    /// The user ID (`user_…`), the same as `sub`.
    #[clerk(shortcode = "user.id")]
    pub user_id: String,
    /// The primary email address, if the user has one.
    #[clerk(shortcode = "user.primary_email_address")]
    pub email: Option<String>,
    /// Whether the primary email address is verified.
    #[clerk(shortcode = "user.email_verified")]
    pub email_verified: bool,
    /// First and last name, if set.
    #[clerk(shortcode = "user.full_name")]
    pub full_name: Option<String>,
    /// The username, if the instance uses usernames.
    #[clerk(shortcode = "user.username")]
    pub username: Option<String>,
    /// The profile image.
    #[clerk(shortcode = "user.image_url")]
    pub image_url: String,
    /// When the user signed up (Unix seconds).
    #[clerk(shortcode = "user.created_at")]
    pub created_at: i64,
}
