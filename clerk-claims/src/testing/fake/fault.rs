//! Fault injection: make the fake answer with an error status, late, or with garbage.

use std::time::Duration;

/// What a fault does to a matching request.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FaultKind {
    /// Answer with this HTTP status and a Clerk error envelope (code `fake_injected_fault`).
    Status(u16),
    /// Wait this long, then answer normally (delays add up with later faults).
    Delay(Duration),
    /// Answer 200 with a body that is not JSON.
    Garbage,
    /// Answer with this status and exactly this body.
    Body(u16, String),
}

/// One injected fault: what, on which paths, how many times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub(crate) kind: FaultKind,
    pub(crate) path_prefix: Option<String>,
    pub(crate) remaining: Option<u32>,
}

impl Fault {
    /// Every matching request gets `status` with a Clerk error envelope.
    pub fn status(status: u16) -> Fault {
        Fault::new(FaultKind::Status(status))
    }

    /// Every matching request waits `delay` first.
    pub fn delay(delay: Duration) -> Fault {
        Fault::new(FaultKind::Delay(delay))
    }

    /// Every matching request gets a 200 whose body is not JSON.
    pub fn garbage() -> Fault {
        Fault::new(FaultKind::Garbage)
    }

    /// Every matching request gets exactly this status and body.
    pub fn body(status: u16, body: impl Into<String>) -> Fault {
        Fault::new(FaultKind::Body(status, body.into()))
    }

    fn new(kind: FaultKind) -> Fault {
        Fault {
            kind,
            path_prefix: None,
            remaining: None,
        }
    }

    /// Only requests whose path starts with `prefix` (e.g. `/v1/jwks`, `/.well-known/`).
    pub fn on(mut self, prefix: impl Into<String>) -> Fault {
        self.path_prefix = Some(prefix.into());
        self
    }

    /// Only the next `n` matching requests; afterwards the fault is gone.
    pub fn times(mut self, n: u32) -> Fault {
        self.remaining = Some(n);
        self
    }

    /// What the fault does.
    pub fn kind(&self) -> &FaultKind {
        &self.kind
    }

    pub(crate) fn matches(&self, path: &str) -> bool {
        self.path_prefix
            .as_deref()
            .is_none_or(|p| path.starts_with(p))
    }
}
