//! Clerk template language.
