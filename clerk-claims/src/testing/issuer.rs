//! TestIssuer: fresh keys, Clerk-shaped session and template tokens.
