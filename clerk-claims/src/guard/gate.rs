//! The gate every adapter shares: one configuration with its builder methods ([`Gate`]), and
//! one decision per request (find the token, verify it once or run Clerk's cookie flow, admit or
//! deny). An adapter reads its request into a [`GateRequest`], puts what the gate admits into
//! its request extensions, and turns the rest into its response type.

use std::borrow::Cow;
use std::marker::PhantomData;
use std::sync::Arc;

use super::authenticate::{Authentication, LayerClaims, TokenHeaders, authenticate};
#[cfg(feature = "request")]
use super::cookie_flow::{self, CookieFlow};
use super::rejection::{ClerkRejection, Framework};
#[cfg(feature = "request")]
use crate::request::RequestOptions;
use crate::session::SessionClaims;
use crate::verify::Verifier;

/// A framework adapter: the response type its rejection hook returns, and its name in setup
/// errors. Implemented by each adapter's marker type (`clerk_claims::axum::Axum`, ...).
pub trait Adapter: Send + Sync + 'static {
    /// The framework's response type.
    type Response;
    /// The framework, as setup errors name it.
    const FRAMEWORK: Framework;
}

/// A replacement for the rejection responses: given the rejection, the response to send. Set
/// with [`Gate::on_rejection`]; it applies to the layer's, the guards' and the extractors'
/// rejections alike.
pub struct OnRejection<R>(Arc<dyn Fn(&ClerkRejection) -> R + Send + Sync>);

impl<R> Clone for OnRejection<R> {
    fn clone(&self) -> Self {
        Self(Arc::clone(&self.0))
    }
}

impl<R> std::fmt::Debug for OnRejection<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OnRejection")
    }
}

impl<R> OnRejection<R> {
    /// Wraps `respond`.
    pub fn new(respond: impl Fn(&ClerkRejection) -> R + Send + Sync + 'static) -> Self {
        Self(Arc::new(respond))
    }

    /// The response for `rejection`.
    pub fn respond(&self, rejection: &ClerkRejection) -> R {
        (self.0)(rejection)
    }
}

struct Config<R> {
    verifier: Verifier,
    deny_signed_out: bool,
    public: Vec<String>,
    on_rejection: Option<OnRejection<R>>,
    /// Clerk's whole request decision instead of the token's verification alone.
    #[cfg(feature = "request")]
    cookie_flow: Option<Arc<RequestOptions>>,
}

impl<R> Clone for Config<R> {
    fn clone(&self) -> Self {
        Self {
            verifier: self.verifier.clone(),
            deny_signed_out: self.deny_signed_out,
            public: self.public.clone(),
            on_rejection: self.on_rejection.clone(),
            #[cfg(feature = "request")]
            cookie_flow: self.cookie_flow.clone(),
        }
    }
}

/// The layer (middleware) of every adapter: finds the request's Clerk token (as
/// [`crate::source`] does), verifies it once as the claims type `C`, and keeps the outcome in
/// the request extensions, where the extractors and [`require`](super::require) guards read it.
/// Each adapter names it: `clerk_claims::axum::ClerkLayer`, `clerk_claims::actix::ClerkMiddleware`,
/// `clerk_claims::tonic::ClerkLayer`.
///
/// By default a signed-out request still reaches the routes (a guard or an extractor then
/// answers 401); [`deny_signed_out`](Self::deny_signed_out) makes the whole app default-deny
/// with explicit [`public`](Self::public) routes.
pub struct Gate<C, F: Adapter> {
    config: Arc<Config<F::Response>>,
    _claims: PhantomData<fn() -> (C, F)>,
}

impl<C, F: Adapter> Clone for Gate<C, F> {
    fn clone(&self) -> Self {
        Self {
            config: Arc::clone(&self.config),
            _claims: PhantomData,
        }
    }
}

impl<C, F: Adapter> std::fmt::Debug for Gate<C, F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClerkLayer")
            .field("claims", &std::any::type_name::<C>())
            .field("framework", &F::FRAMEWORK)
            .field("deny_signed_out", &self.config.deny_signed_out)
            .field("public", &self.config.public)
            .finish_non_exhaustive()
    }
}

impl<F: Adapter> Gate<SessionClaims, F> {
    /// A layer verifying session tokens with `verifier`.
    pub fn new(verifier: Verifier) -> Self {
        Self {
            config: Arc::new(Config {
                verifier,
                deny_signed_out: false,
                public: Vec::new(),
                on_rejection: None,
                #[cfg(feature = "request")]
                cookie_flow: None,
            }),
            _claims: PhantomData,
        }
    }

    /// A layer answering Clerk's cookie flow (feature `request`), for server-rendered apps:
    /// every request goes through [`request::authenticate`](crate::request::authenticate)
    /// with `options`, as Clerk's own SDK does, instead of only verifying the token it carries.
    ///
    /// - A handshake (an expired `__session` on a page load, a development instance without
    ///   its dev browser, a satellite to sync) is answered right away with Clerk's `307`; so is
    ///   the return of a development handshake, which sets the cookies and reloads the URL
    ///   without the handshake parameters.
    /// - Signed in: `ClerkSession` and [`require`](super::require) guards read the session
    ///   verified here (no second verification).
    /// - Signed out: `Option<ClerkSession>` is `None`; guards and `ClerkSession` answer
    ///   [`ClerkRejection::SignedOut`] (401 with Clerk's reason in `x-clerk-auth-reason`), or
    ///   on a page load a `307` to the options' sign-in URL with `redirect_url`, when set.
    /// - The `Set-Cookie` lines of the decision (a production handshake return that signs in)
    ///   are added to the response; a return that signs out is a `307` that sets them and
    ///   reloads the URL.
    ///
    /// [`deny_signed_out`](Self::deny_signed_out), [`public`](Self::public) and
    /// [`on_rejection`](Self::on_rejection) work as with [`new`](Self::new). Template-token
    /// guards (`.template::<C>()`) are not decided by the cookie flow, which reads session
    /// tokens only.
    ///
    /// ```
    /// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
    /// use axum::{Router, routing::get};
    /// use clerk_claims::axum::{ClerkLayer, ClerkSession, Requirement, require};
    /// use clerk_claims::request::RequestOptions;
    /// use clerk_claims::testing::issuer::TestIssuer;
    ///
    /// async fn dashboard(session: ClerkSession) -> String {
    ///     format!("hello {}", session.user_id())
    /// }
    ///
    /// let issuer = TestIssuer::new();
    /// let options = RequestOptions::builder()
    ///     .publishable_key(issuer.publishable_key())
    ///     .pem(issuer.public_key_pem())
    ///     .sign_in_url("https://accounts.example/sign-in")
    ///     .build()?;
    /// let app: Router = Router::new()
    ///     .route("/dashboard", get(dashboard).route_layer(require(Requirement::signed_in())))
    ///     .layer(ClerkLayer::cookie_flow(options));
    /// # drop(app);
    /// # Ok(()) }
    /// # #[cfg(all(feature = "axum", feature = "testing"))]
    /// # tokio::runtime::Runtime::new().unwrap().block_on(demo()).unwrap();
    /// ```
    #[cfg(feature = "request")]
    pub fn cookie_flow(options: RequestOptions) -> Self {
        let verifier = options.verifier().clone();
        Self::new(verifier).with(|c| c.cookie_flow = Some(Arc::new(options)))
    }
}

impl<C, F: Adapter> Gate<C, F> {
    fn with(self, change: impl FnOnce(&mut Config<F::Response>)) -> Self {
        let mut config = Arc::unwrap_or_clone(self.config);
        change(&mut config);
        Self {
            config: Arc::new(config),
            _claims: PhantomData,
        }
    }

    /// Verifies the tokens as the claims type `D` instead: a `#[derive(ClerkClaims)]` type of
    /// a JWT template (or of customized session claims). Guards then name it:
    /// `require(Role::Admin).on::<D>()`.
    pub fn template<D: LayerClaims>(self) -> Gate<D, F> {
        Gate {
            config: self.config,
            _claims: PhantomData,
        }
    }

    /// Default-deny: a request that is signed out, or whose token is rejected, gets its 401
    /// (500/503) from the layer, before routing reaches a handler, except on the
    /// [`public`](Self::public) routes.
    ///
    /// Clerk's webhook deliveries carry no session token: name their route public
    /// (`.public("/webhooks/clerk")`), or they get 401 and are dropped after Clerk's retries.
    /// The webhook's signature check is their authentication.
    pub fn deny_signed_out(self) -> Self {
        self.with(|c| c.deny_signed_out = true)
    }

    /// A route that [`deny_signed_out`](Self::deny_signed_out) lets through signed out, named
    /// exactly as it was given to the router (axum's `Router::route`: `"/health"`,
    /// `"/docs/{*rest}"`; actix-web's `App::route` / `web::resource`; for tonic the request
    /// path, `"/package.Service/Method"`).
    pub fn public(self, route: impl Into<String>) -> Self {
        let route = route.into();
        self.with(|c| c.public.push(route))
    }

    /// Replaces every rejection response of the requests under this layer (the layer's, the
    /// guards' and the extractors'): `respond` gets the [`ClerkRejection`] and returns the
    /// response to send.
    pub fn on_rejection(
        self,
        respond: impl Fn(&ClerkRejection) -> F::Response + Send + Sync + 'static,
    ) -> Self {
        let hook = OnRejection::new(respond);
        self.with(|c| c.on_rejection = Some(hook))
    }

    /// The rejection hook, if one is set.
    pub(crate) fn hook(&self) -> Option<&OnRejection<F::Response>> {
        self.config.on_rejection.as_ref()
    }
}

/// A request as the gate reads it; each adapter implements it for its request type.
pub(crate) trait GateRequest {
    /// The `Authorization` and `Cookie` headers ([`super::token_headers`]).
    fn token_headers(&self) -> (Option<Cow<'_, str>>, Option<Cow<'_, str>>);
    /// Whether the request's route is one of `public`.
    fn is_public(&self, public: &[String]) -> bool;
    /// The request as Clerk's decision reads it, or what was found instead of a valid method
    /// or URI.
    #[cfg(feature = "request")]
    fn parts(&self) -> Result<Cow<'_, http::request::Parts>, String>;
}

/// Request extensions an adapter puts the admitted outcome into.
pub(crate) trait Extensions {
    /// Inserts `value`, replacing one of its type.
    fn put<T: Clone + Send + Sync + 'static>(&mut self, value: T);
}

#[cfg(any(feature = "request", feature = "axum", feature = "tonic"))]
impl Extensions for http::Extensions {
    fn put<T: Clone + Send + Sync + 'static>(&mut self, value: T) {
        self.insert(value);
    }
}

/// What the gate decided for a request.
pub(crate) enum Admission<C> {
    /// Answer `307 Temporary Redirect` with these headers, without running the routes (the
    /// cookie flow's handshakes).
    #[cfg(feature = "request")]
    Redirect(http::HeaderMap),
    /// Answer with this rejection (default-deny, off the public routes), plus the
    /// `Set-Cookie` lines.
    Deny {
        /// Why.
        rejection: ClerkRejection,
        /// The cookie flow's `Set-Cookie` values.
        set_cookies: Vec<Box<[u8]>>,
    },
    /// Run the routes with this outcome in the request extensions, and add the `Set-Cookie`
    /// lines to their response.
    Proceed {
        /// The outcome for the extractors and guards.
        admitted: Admitted<C>,
        /// The cookie flow's `Set-Cookie` values.
        set_cookies: Vec<Box<[u8]>>,
    },
}

/// The outcome the gate leaves in the request: the verified claims or why there are none, the
/// mark of the layer, and its verifier.
pub(crate) struct Admitted<C> {
    authentication: Outcome<C>,
    verifier: Verifier,
}

enum Outcome<C> {
    Claims(Authentication<C>),
    /// The cookie flow's session, whatever the layer's claims type.
    #[cfg(feature = "request")]
    Session(Authentication<SessionClaims>),
}

impl<C: LayerClaims> Admitted<C> {
    /// Puts the outcome into the request's extensions.
    pub(crate) fn insert(self, extensions: &mut impl Extensions) {
        match self.authentication {
            Outcome::Claims(authentication) => {
                extensions.put(authentication.layer_ran());
                extensions.put(authentication);
            }
            #[cfg(feature = "request")]
            Outcome::Session(authentication) => {
                extensions.put(authentication.layer_ran());
                extensions.put(authentication);
            }
        }
        extensions.put(self.verifier);
    }
}

impl<C: LayerClaims, F: Adapter> Gate<C, F> {
    /// The decision on `request`: Clerk's cookie flow when configured, else the token's
    /// verification; then default-deny off the public routes.
    pub(crate) async fn admit(&self, request: &impl GateRequest) -> Admission<C> {
        let config = &*self.config;
        #[cfg(feature = "request")]
        if let Some(options) = &config.cookie_flow {
            let decision = match request.parts() {
                Ok(parts) => cookie_flow::decide(&parts, options).await,
                Err(found) => cookie_flow::unreadable(found),
            };
            return match decision {
                CookieFlow::Redirect(headers) => Admission::Redirect(headers),
                CookieFlow::Proceed {
                    authentication,
                    set_cookies,
                } => {
                    let set_cookies = set_cookies
                        .iter()
                        .map(|v| Box::from(v.as_bytes()))
                        .collect();
                    let denied = self.denied(&authentication);
                    self.gate(
                        request,
                        denied,
                        Outcome::Session(authentication),
                        options.verifier().clone(),
                        set_cookies,
                    )
                }
            };
        }
        let (authorization, cookies) = request.token_headers();
        let headers = TokenHeaders {
            authorization: authorization.as_deref(),
            cookies: cookies.as_deref(),
        };
        let authentication = authenticate::<C>(&config.verifier, headers).await;
        let denied = self.denied(&authentication);
        self.gate(
            request,
            denied,
            Outcome::Claims(authentication),
            config.verifier.clone(),
            Vec::new(),
        )
    }

    /// The rejection default-deny answers with, when it is on and the request is signed out.
    fn denied<D>(&self, authentication: &Authentication<D>) -> Option<ClerkRejection> {
        match self.config.deny_signed_out {
            true => authentication.result().err().cloned(),
            false => None,
        }
    }

    fn gate(
        &self,
        request: &impl GateRequest,
        denied: Option<ClerkRejection>,
        authentication: Outcome<C>,
        verifier: Verifier,
        set_cookies: Vec<Box<[u8]>>,
    ) -> Admission<C> {
        if let Some(rejection) = denied
            && !request.is_public(&self.config.public)
        {
            return Admission::Deny {
                rejection,
                set_cookies,
            };
        }
        Admission::Proceed {
            admitted: Admitted {
                authentication,
                verifier,
            },
            set_cookies,
        }
    }
}
