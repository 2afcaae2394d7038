//! Helpers shared by the suite's files.

pub mod node;
