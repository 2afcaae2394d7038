//! `has()` with Clerk's semantics: roles, permissions, features, plans, reverification.
