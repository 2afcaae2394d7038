//! The request's authentication, once: find the token as Clerk does, verify it as the layer's
//! claims type, and keep the outcome for every extractor and guard of the request.

use std::future::Future;
use std::sync::Arc;

use crate::claims::ClerkClaims;
use crate::session::SessionClaims;
use crate::source::{FoundToken, TokenCarrier, find_token};
use crate::verify::{TokenKind, Verified, Verifier};

use super::rejection::{ClerkRejection, Framework};
use super::requirement::{Check, Require};

/// The claims a layer verifies: [`SessionClaims`] (session tokens) or a
/// `#[derive(ClerkClaims)]` type (its template's tokens, or customized session tokens).
pub trait LayerClaims: Send + Sync + Sized + 'static {
    /// Which kind of token the claims type reads.
    const KIND: TokenKind;

    /// Verifies a token found in a request as this claims type.
    fn verify_found<'a>(
        verifier: &'a Verifier,
        found: FoundToken<'a>,
    ) -> impl Future<Output = Result<Arc<Verified<Self>>, ClerkRejection>> + Send + 'a;
}

impl LayerClaims for SessionClaims {
    const KIND: TokenKind = TokenKind::Session;

    async fn verify_found<'a>(
        verifier: &'a Verifier,
        found: FoundToken<'a>,
    ) -> Result<Arc<Verified<Self>>, ClerkRejection> {
        // A header token is looked up in the token cache without copying the claims; a cookie
        // token goes through the cookie rules (`azp` required).
        let verified = match found.carrier {
            TokenCarrier::Header => verifier.verify_session_shared(found.token).await?,
            TokenCarrier::Cookie => Arc::new(verifier.verify_session_found(found).await?),
        };
        // Clerk's SDKs treat a pending session (`sts: "pending"`) as signed out.
        if verified.claims.is_pending() {
            return Err(ClerkRejection::Pending);
        }
        Ok(verified)
    }
}

impl<C: ClerkClaims + Send + Sync + 'static> LayerClaims for C {
    const KIND: TokenKind = match C::TEMPLATE_NAME {
        Some(_) => TokenKind::Template,
        None => TokenKind::Session,
    };

    async fn verify_found<'a>(
        verifier: &'a Verifier,
        found: FoundToken<'a>,
    ) -> Result<Arc<Verified<Self>>, ClerkRejection> {
        Ok(Arc::new(verifier.verify_found::<C>(found).await?))
    }
}

/// The outcome of a request's authentication, shared by every reader of the request: the
/// verified token, or why there is none (`NoToken` when signed out).
pub struct Authentication<C>(Arc<Result<Arc<Verified<C>>, ClerkRejection>>);

impl<C> Clone for Authentication<C> {
    fn clone(&self) -> Self {
        Self(Arc::clone(&self.0))
    }
}

impl<C> std::fmt::Debug for Authentication<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &*self.0 {
            Ok(verified) => write!(f, "Authentication(signed in as {})", verified.sub),
            Err(rejection) => write!(f, "Authentication({})", rejection.reason()),
        }
    }
}

impl<C> Authentication<C> {
    /// The verified token, or why there is none.
    pub fn result(&self) -> Result<&Arc<Verified<C>>, &ClerkRejection> {
        self.0.as_ref().as_ref()
    }

    /// Whether a token was present and verified.
    pub fn is_signed_in(&self) -> bool {
        self.0.is_ok()
    }

    /// An outcome decided elsewhere (the cookie flow of `request::authenticate`).
    #[cfg(all(feature = "request", any(feature = "axum", feature = "actix-web")))]
    pub(crate) fn from_outcome(outcome: Result<Arc<Verified<C>>, ClerkRejection>) -> Self {
        Self(Arc::new(outcome))
    }

    /// The verified token (`Ok(None)` when the request carried none, or when Clerk's cookie
    /// flow decided it is signed out: a signed-out state is not an error), for the optional
    /// extractors.
    pub fn optional(&self) -> Result<Option<Arc<Verified<C>>>, ClerkRejection> {
        match &*self.0 {
            Ok(verified) => Ok(Some(Arc::clone(verified))),
            Err(ClerkRejection::NoToken) => Ok(None),
            #[cfg(feature = "request")]
            Err(ClerkRejection::SignedOut { .. }) => Ok(None),
            Err(rejection) => Err(rejection.clone()),
        }
    }

    /// The verified token, or the rejection a guard or extractor answers with.
    pub fn required(&self) -> Result<Arc<Verified<C>>, ClerkRejection> {
        (*self.0).clone()
    }

    /// What `guard` answers for this request: `Ok` when signed in and the requirement is met.
    pub fn check<K: Check<C>>(&self, guard: &Require<K, C>) -> Result<(), ClerkRejection> {
        let verified = self.required()?;
        guard.check(&verified.claims)?;
        Ok(())
    }

    /// What the layer leaves beside this outcome in the request, for the guards and extractors
    /// of another claims type: see [`LayerRan`].
    pub fn layer_ran(&self) -> LayerRan
    where
        C: 'static,
    {
        LayerRan {
            claims: std::any::type_name::<C>(),
            signed_in: self.is_signed_in(),
        }
    }
}

/// That a layer (middleware) ran on the request, and the claims type it verified: kept in the
/// request beside its [`Authentication`], so a guard or extractor that reads another claims
/// type answers [`ClerkRejection::LayerMismatch`] naming both types, rather than
/// [`ClerkRejection::NoLayer`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LayerRan {
    claims: &'static str,
    signed_in: bool,
}

impl LayerRan {
    /// Whether the layer verified the request's token.
    pub fn signed_in(self) -> bool {
        self.signed_in
    }
}

/// What a `guard` of claims `C` answers, given what the request holds: the layer's
/// [`Authentication<C>`] when a layer of claims `C` ran; else [`ClerkRejection::LayerMismatch`]
/// when a layer of another claims type ran (`ran`), [`ClerkRejection::NoLayer`] when none did.
/// `framework` is the adapter answering: its fix is the one the rejection names.
pub fn check_guard<K: Check<C>, C: 'static>(
    authentication: Option<&Authentication<C>>,
    ran: Option<LayerRan>,
    guard: &Require<K, C>,
    framework: Framework,
) -> Result<(), ClerkRejection> {
    match (authentication, ran) {
        (Some(authentication), _) => authentication.check(guard),
        (None, ran) => Err(missing_layer::<C>(ran, framework)),
    }
}

/// The rejection of a reader of claims `C` that found no [`Authentication<C>`]: a layer of
/// another claims type ran (`ran`), or none did.
pub(super) fn missing_layer<C: 'static>(
    ran: Option<LayerRan>,
    framework: Framework,
) -> ClerkRejection {
    let expected = std::any::type_name::<C>();
    match ran {
        Some(ran) => ClerkRejection::LayerMismatch {
            expected,
            verified: ran.claims,
            framework,
        },
        None => ClerkRejection::NoLayer {
            claims: expected,
            framework,
        },
    }
}

/// The request's headers as the token search reads them.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokenHeaders<'a> {
    /// The `Authorization` header, if present, as JavaScript reads it
    /// ([`header_latin1`](crate::source::header_latin1): a value that is not ASCII is Latin-1
    /// text, as Clerk sees it; `Bearer é` is then a token that does not verify).
    pub authorization: Option<&'a str>,
    /// The `Cookie` headers joined with `; ` (HTTP/2 may split them), if any.
    pub cookies: Option<&'a str>,
}

/// Finds the request's token (Clerk's precedence, [`crate::source`]) and verifies it as `C`;
/// the rejection is traced under the `clerk_claims` target (the reason, never the token).
pub async fn authenticate<C: LayerClaims>(
    verifier: &Verifier,
    headers: TokenHeaders<'_>,
) -> Authentication<C> {
    let found = find_token(
        headers.authorization,
        headers.cookies,
        verifier.publishable_key(),
    );
    let outcome = match found {
        None => Err(ClerkRejection::NoToken),
        Some(found) => match C::verify_found(verifier, found).await {
            Ok(verified) => {
                tracing::debug!(
                    target: "clerk_claims",
                    kind = %C::KIND,
                    carrier = found.carrier.as_str(),
                    "request token verified"
                );
                Ok(verified)
            }
            Err(rejection) => Err(rejection),
        },
    };
    Authentication(Arc::new(outcome))
}

impl ClerkRejection {
    /// Emits the `tracing` event of this rejection (target `clerk_claims`): the reason code,
    /// the status and the message (`detail`), which never contains the token.
    pub fn trace(&self) {
        let status = self.status();
        let reason = self.reason();
        if status >= 500 {
            tracing::error!(target: "clerk_claims", %reason, status, detail = %self, "request rejected");
        } else {
            tracing::info!(target: "clerk_claims", %reason, status, detail = %self, "request rejected");
        }
    }
}
