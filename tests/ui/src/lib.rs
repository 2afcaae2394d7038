//! Host package of the trybuild ui tests (`tests/trybuild.rs`, cases in `fail/`).
