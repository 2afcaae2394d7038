//! Clerk's template engine, locally.
