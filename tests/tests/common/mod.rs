//! Helpers shared by the suite's files.

pub mod cookie_flow;
pub mod metrics;
pub mod node;
pub mod skip;
