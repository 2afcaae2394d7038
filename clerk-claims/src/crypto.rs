//! Selects jsonwebtoken's crypto provider so that no feature combination panics at first use.
//!
//! jsonwebtoken panics when neither or both of its backends are enabled and no provider was
//! installed. Neither is a compile error in `lib.rs`; both (e.g. `--all-features`) installs
//! aws-lc-rs here, before any key is used.

/// Makes sure a jsonwebtoken crypto provider is installed; call before any sign or verify.
pub(crate) fn ensure_provider() {
    #[cfg(all(feature = "aws-lc-rs", feature = "rust-crypto"))]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            // Err means another provider was installed first, which is just as good.
            let _ = jsonwebtoken::crypto::aws_lc::DEFAULT_PROVIDER.install_default();
        });
    }
}
