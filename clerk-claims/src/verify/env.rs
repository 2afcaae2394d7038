//! Keys and issuer from Clerk's environment variables: [`ClerkEnv`], behind
//! [`Verifier::from_env`], `RequestOptions::from_env` and the `clerk-claims` command.

use super::{BuildError, Verifier, VerifierBuilder};

/// The PEM public key for networkless verification (Dashboard → API keys → JWT public key).
pub const JWT_KEY_ENV: &str = "CLERK_JWT_KEY";
/// The secret key (`sk_test_…`/`sk_live_…`): keys from the Backend API `/v1/jwks`.
pub const SECRET_KEY_ENV: &str = "CLERK_SECRET_KEY";
/// The Backend API host ([`DEFAULT_API_URL`](super::DEFAULT_API_URL) when unset; the URL
/// `clerk-claims dev` prints for the local fake).
pub const API_URL_ENV: &str = "CLERK_API_URL";
/// The publishable key (`pk_test_…`/`pk_live_…`): the issuer, the cookie names, and the
/// Frontend API JWKS when no other key is given.
pub const PUBLISHABLE_KEY_ENV: &str = "CLERK_PUBLISHABLE_KEY";

/// Where the keys come from, for messages.
const WHERE: &str = "Dashboard → API keys; for the local fake, the lines `clerk-claims dev` prints";

/// Why the environment does not give a verifier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EnvError {
    /// None of the key variables is set.
    #[error(
        "no Clerk key in the environment: expected {SECRET_KEY_ENV} and {PUBLISHABLE_KEY_ENV} \
         (keys from the Backend API), {JWT_KEY_ENV} (networkless), or {PUBLISHABLE_KEY_ENV} \
         alone (keys from the Frontend API); found none set ({WHERE})"
    )]
    NoKey,
    /// A variable is set but not valid Unicode.
    #[error("{variable} is not valid Unicode")]
    NotUnicode {
        /// The variable.
        variable: &'static str,
    },
    /// A variable's value was refused.
    #[error("{variable}: {source}")]
    Invalid {
        /// The variable whose value was refused.
        variable: &'static str,
        /// Why.
        source: BuildError,
    },
    /// The verifier could not be built for a reason no single variable explains.
    #[error(transparent)]
    Build(BuildError),
}

/// Clerk's key settings as the environment holds them (`CLERK_JWT_KEY`, `CLERK_SECRET_KEY`,
/// `CLERK_API_URL`, `CLERK_PUBLISHABLE_KEY`); an empty or blank variable counts as unset.
///
/// The one reading of these variables: [`Verifier::from_env`], `RequestOptions::from_env`
/// (feature `request`) and the `clerk-claims` command all go through it, so the lines
/// `clerk-claims dev` prints configure each of them the same way.
///
/// Keys: `CLERK_JWT_KEY` (networkless) wins, else `CLERK_SECRET_KEY` fetches them from
/// `${CLERK_API_URL}/v1/jwks`, else `CLERK_PUBLISHABLE_KEY` from its Frontend API
/// `/.well-known/jwks.json`. `CLERK_PUBLISHABLE_KEY` also sets the required issuer.
///
/// ```
/// use std::collections::HashMap;
/// use clerk_claims::verify::ClerkEnv;
///
/// let vars = HashMap::from([
///     ("CLERK_SECRET_KEY", "sk_test_local"),
///     ("CLERK_API_URL", "http://127.0.0.1:3210"),
/// ]);
/// let env = ClerkEnv::from_lookup(|name| vars.get(name).map(|v| v.to_string()));
/// assert_eq!(env.api_url.as_deref(), Some("http://127.0.0.1:3210"));
/// # #[cfg(feature = "remote")]
/// let verifier = env.verifier()?;
/// # Ok::<(), clerk_claims::verify::EnvError>(())
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClerkEnv {
    /// `CLERK_JWT_KEY`: the PEM public key.
    pub jwt_key: Option<String>,
    /// `CLERK_SECRET_KEY`.
    pub secret_key: Option<String>,
    /// `CLERK_API_URL`.
    pub api_url: Option<String>,
    /// `CLERK_PUBLISHABLE_KEY`.
    pub publishable_key: Option<String>,
}

impl std::fmt::Debug for ClerkEnv {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let set = |v: &Option<String>| if v.is_some() { "set" } else { "unset" };
        f.debug_struct("ClerkEnv")
            .field("jwt_key", &set(&self.jwt_key))
            .field("secret_key", &set(&self.secret_key))
            .field("api_url", &self.api_url)
            .field("publishable_key", &self.publishable_key)
            .finish()
    }
}

impl ClerkEnv {
    /// Reads the process environment.
    pub fn from_env() -> Result<ClerkEnv, EnvError> {
        let mut not_unicode = None;
        let env = ClerkEnv::from_lookup(|name| match std::env::var(name) {
            Ok(value) => Some(value),
            Err(std::env::VarError::NotPresent) => None,
            Err(std::env::VarError::NotUnicode(_)) => {
                not_unicode.get_or_insert(name.to_owned());
                None
            }
        });
        match not_unicode {
            Some(name) => Err(EnvError::NotUnicode {
                variable: variable_named(&name),
            }),
            None => Ok(env),
        }
    }

    /// Reads the variables through `lookup` (a name in, its value out) instead of the process
    /// environment: a map in tests, a config file, a secrets store.
    pub fn from_lookup(mut lookup: impl FnMut(&str) -> Option<String>) -> ClerkEnv {
        let mut var = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        ClerkEnv {
            jwt_key: var(JWT_KEY_ENV),
            secret_key: var(SECRET_KEY_ENV),
            api_url: var(API_URL_ENV),
            publishable_key: var(PUBLISHABLE_KEY_ENV),
        }
    }

    /// Whether any key variable (`CLERK_JWT_KEY`, `CLERK_SECRET_KEY`,
    /// `CLERK_PUBLISHABLE_KEY`) is set.
    pub fn has_key(&self) -> bool {
        self.jwt_key.is_some() || self.secret_key.is_some() || self.publishable_key.is_some()
    }

    /// `builder` with this environment's keys and issuer, in Clerk's order (see [`ClerkEnv`]).
    /// Options the builder already has stay; give other key sources after this call only if
    /// they should win over the environment's by the builder's own order (PEM, JWKS, JWKS URL,
    /// secret key, publishable key).
    pub fn apply(&self, mut builder: VerifierBuilder) -> VerifierBuilder {
        if let Some(pem) = &self.jwt_key {
            builder = builder.pem(pem.clone());
        }
        #[cfg(feature = "remote")]
        {
            if let Some(key) = &self.secret_key {
                builder = builder.secret_key(key.clone());
            }
            if let Some(url) = &self.api_url {
                builder = builder.api_url(url.clone());
            }
        }
        if let Some(key) = &self.publishable_key {
            builder = builder.publishable_key(key.clone());
        }
        builder
    }

    /// A builder with this environment's keys and issuer, to add options to (authorized
    /// parties, a token cache, a revocation list); [`EnvError::NoKey`] when no key variable is
    /// set.
    pub fn verifier_builder(&self) -> Result<VerifierBuilder, EnvError> {
        if !self.has_key() {
            return Err(EnvError::NoKey);
        }
        #[cfg(not(feature = "remote"))]
        if self.jwt_key.is_none() && self.secret_key.is_some() {
            return Err(EnvError::Invalid {
                variable: SECRET_KEY_ENV,
                source: BuildError::RemoteDisabled {
                    what: "a secret key",
                },
            });
        }
        Ok(self.apply(Verifier::builder()))
    }

    /// The verifier of this environment ([`verifier_builder`](Self::verifier_builder), built).
    pub fn verifier(&self) -> Result<Verifier, EnvError> {
        self.verifier_builder()?.build().map_err(env_error)
    }
}

/// The build error, with the variable it came from when one did.
pub(crate) fn env_error(error: BuildError) -> EnvError {
    let variable = match &error {
        BuildError::Pem(_) => JWT_KEY_ENV,
        BuildError::SecretKey { .. } => SECRET_KEY_ENV,
        BuildError::Url { .. } => API_URL_ENV,
        BuildError::PublishableKey(_) => PUBLISHABLE_KEY_ENV,
        _ => return EnvError::Build(error),
    };
    EnvError::Invalid {
        variable,
        source: error,
    }
}

fn variable_named(name: &str) -> &'static str {
    [
        JWT_KEY_ENV,
        SECRET_KEY_ENV,
        API_URL_ENV,
        PUBLISHABLE_KEY_ENV,
    ]
    .into_iter()
    .find(|v| *v == name)
    .unwrap_or("a CLERK_* variable")
}

impl Verifier {
    /// A verifier configured by the environment, as [`ClerkEnv`] reads it: `CLERK_JWT_KEY`,
    /// else `CLERK_SECRET_KEY` with `CLERK_API_URL`, else `CLERK_PUBLISHABLE_KEY`, which also
    /// sets the issuer. The lines `clerk-claims dev` prints give a verifier of the local fake.
    /// For more options, start from [`ClerkEnv::verifier_builder`].
    pub fn from_env() -> Result<Verifier, EnvError> {
        ClerkEnv::from_env()?.verifier()
    }
}
