//! The one clock: every "now" of the verifier, the caches, the fake Clerk and the test issuer.
//!
//! A [`Clock`] is the system time by default. Tests make one with [`Clock::manual`] (frozen at a
//! given second until moved) or move a system clock with [`Clock::advance`]; clones share the
//! same time, so one clock handed to a verifier and a fake moves both.
//!
//! ```
//! use clerk_claims::Clock;
//! use std::time::Duration;
//!
//! let clock = Clock::manual(1_767_225_600);
//! let shared = clock.clone();
//! clock.advance(Duration::from_secs(61));
//! assert_eq!(shared.now(), 1_767_225_661);
//! ```

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A source of Unix time, shared by clones: system time (optionally moved), or a manual time.
#[derive(Clone, Debug)]
pub struct Clock {
    frozen: bool,
    /// System clock: an offset from system time. Manual clock: the time itself. Milliseconds.
    ms: Arc<AtomicI64>,
}

impl Default for Clock {
    fn default() -> Self {
        Self::system()
    }
}

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Self {
            frozen: false,
            ms: Arc::new(AtomicI64::new(0)),
        }
    }

    /// A clock that reads `unix_seconds` until [`set`](Self::set) or
    /// [`advance`](Self::advance) moves it.
    pub fn manual(unix_seconds: i64) -> Self {
        Self {
            frozen: true,
            ms: Arc::new(AtomicI64::new(unix_seconds.saturating_mul(1000))),
        }
    }

    /// Whether this clock stands still between moves ([`Clock::manual`]).
    pub fn is_manual(&self) -> bool {
        self.frozen
    }

    /// Now, in Unix milliseconds.
    pub fn now_ms(&self) -> i64 {
        let ms = self.ms.load(Ordering::Relaxed);
        if self.frozen {
            ms
        } else {
            system_ms().saturating_add(ms)
        }
    }

    /// Now, in Unix seconds (rounded down).
    pub fn now(&self) -> i64 {
        self.now_ms().div_euclid(1000)
    }

    /// Moves the clock (and its clones) forward by `by`.
    pub fn advance(&self, by: Duration) {
        let by = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        self.shift_ms(by);
    }

    /// Moves the clock (and its clones) back by `by`.
    pub fn rewind(&self, by: Duration) {
        let by = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        self.shift_ms(by.saturating_neg());
    }

    /// Makes the clock read `unix_seconds` now: a manual clock stays there, a system clock goes
    /// on from there.
    pub fn set(&self, unix_seconds: i64) {
        let target = unix_seconds.saturating_mul(1000);
        let value = if self.frozen {
            target
        } else {
            target.saturating_sub(system_ms())
        };
        self.ms.store(value, Ordering::Relaxed);
    }

    fn shift_ms(&self, by: i64) {
        // fetch_update cannot fail with a closure that always returns Some.
        let _ = self
            .ms
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |ms| {
                Some(ms.saturating_add(by))
            });
    }
}

fn system_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_stands_still_until_moved() {
        let clock = Clock::manual(100);
        assert_eq!(clock.now(), 100);
        clock.advance(Duration::from_millis(1500));
        assert_eq!(clock.now_ms(), 101_500);
        clock.rewind(Duration::from_secs(2));
        assert_eq!(clock.now(), 99);
        clock.set(7);
        assert_eq!(clock.now(), 7);
    }

    #[test]
    fn clones_share_one_time() {
        let clock = Clock::system();
        let other = clock.clone();
        clock.advance(Duration::from_secs(3600));
        assert!(other.now() >= system_ms() / 1000 + 3599);
    }

    #[test]
    fn set_on_a_system_clock_goes_on_from_there() {
        let clock = Clock::system();
        clock.set(1_000);
        let now = clock.now();
        assert!((1_000..1_010).contains(&now), "{now}");
    }
}
