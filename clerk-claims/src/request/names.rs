//! The cookie, query and header names of Clerk's request flow (`constants.ts`).

/// Cookie names.
pub mod cookie {
    /// The session token.
    pub const SESSION: &str = "__session";
    /// The refresh token.
    pub const REFRESH: &str = "__refresh";
    /// When the client last signed in or out (Unix seconds; `0` signed out).
    pub const CLIENT_UAT: &str = "__client_uat";
    /// The handshake token, when the Frontend API returns it as a cookie.
    pub const HANDSHAKE: &str = "__clerk_handshake";
    /// The development browser of development instances.
    pub const DEV_BROWSER: &str = "__clerk_db_jwt";
    /// How many handshakes in a row this browser went through.
    pub const REDIRECT_COUNT: &str = "__clerk_redirect_count";
    /// The handshake nonce, when the Frontend API returns it as a cookie.
    pub const HANDSHAKE_NONCE: &str = "__clerk_handshake_nonce";
}

/// Query parameter names.
pub mod query {
    /// `__clerk_synced`: `false` asks a satellite to sync, `true` says it just did.
    pub const CLERK_SYNCED: &str = "__clerk_synced";
    /// Tells the Frontend API which cookie names to set.
    pub const SUFFIXED_COOKIES: &str = "suffixed_cookies";
    /// Where the primary sends a satellite back to.
    pub const CLERK_REDIRECT_URL: &str = "__clerk_redirect_url";
    /// The dev browser in the query.
    pub const DEV_BROWSER: &str = "__clerk_db_jwt";
    /// The handshake token in the query.
    pub const HANDSHAKE: &str = "__clerk_handshake";
    /// Debug help from the Frontend API.
    pub const HANDSHAKE_HELP: &str = "__clerk_help";
    /// The dev browser's former name.
    pub const LEGACY_DEV_BROWSER: &str = "__dev_session";
    /// Why the handshake was started.
    pub const HANDSHAKE_REASON: &str = "__clerk_hs_reason";
    /// The handshake nonce in the query.
    pub const HANDSHAKE_NONCE: &str = "__clerk_handshake_nonce";
    /// How the Frontend API should return the handshake (`nonce`).
    pub const HANDSHAKE_FORMAT: &str = "format";
    /// The session token sent along to the Frontend API.
    pub const SESSION: &str = "__session";
    /// The Backend API version of the handshake.
    pub const API_VERSION: &str = "__clerk_api_version";
    /// The organization (ID or slug, empty for the personal account) a handshake activates.
    pub const ORGANIZATION_ID: &str = "organization_id";
}

/// Header names (lower case).
pub mod header {
    /// `accept`.
    pub const ACCEPT: &str = "accept";
    /// `authorization`.
    pub const AUTHORIZATION: &str = "authorization";
    /// `host`.
    pub const HOST: &str = "host";
    /// `origin`.
    pub const ORIGIN: &str = "origin";
    /// `referer`.
    pub const REFERER: &str = "referer";
    /// `sec-fetch-dest`.
    pub const SEC_FETCH_DEST: &str = "sec-fetch-dest";
    /// `x-forwarded-host`.
    pub const FORWARDED_HOST: &str = "x-forwarded-host";
    /// `x-forwarded-proto`.
    pub const FORWARDED_PROTO: &str = "x-forwarded-proto";
    /// Clerk's debug header: the state.
    pub const AUTH_STATUS: &str = "x-clerk-auth-status";
    /// Clerk's debug header: the reason.
    pub const AUTH_REASON: &str = "x-clerk-auth-reason";
    /// Clerk's debug header: the message.
    pub const AUTH_MESSAGE: &str = "x-clerk-auth-message";
}

/// The Backend API version the handshake asks for (`SUPPORTED_BAPI_VERSION` of
/// `@clerk/backend` 3.25.0).
pub const HANDSHAKE_API_VERSION: &str = "2026-05-12";
