//! Test kit (feature `testing`): [`TestIssuer`](issuer::TestIssuer) mints Clerk-shaped tokens with fresh keys,
//! [`FakeClerk`](fake::FakeClerk) serves Clerk's JWKS and Backend API endpoints on loopback.

pub mod fake;
pub mod issuer;
