//! Examples for clerk-claims.
