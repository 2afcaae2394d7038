//! Backend API configuration from flags or the environment (`CLERK_SECRET_KEY`,
//! `CLERK_API_URL`). The secret key is never printed: clap hides its value in `--help`.

use clerk_claims::api::ClerkApi;
use clerk_claims::verify::DEFAULT_API_URL;

use crate::error::CliError;

/// Flags shared by every command that talks to the Backend API.
#[derive(Debug, Clone, clap::Args)]
pub struct ApiArgs {
    /// The Backend API host (e.g. the URL `clerk-claims dev` prints).
    #[arg(long, env = "CLERK_API_URL", default_value = DEFAULT_API_URL, global = true)]
    pub api_url: String,
    /// The instance secret key; prefer the environment variable over the flag.
    #[arg(long, env = "CLERK_SECRET_KEY", hide_env_values = true, global = true)]
    pub secret_key: Option<String>,
}

impl ApiArgs {
    /// A client, or a usage error naming what is missing.
    pub fn client(&self) -> Result<ClerkApi, CliError> {
        let key = self.secret_key.as_deref().ok_or_else(|| {
            CliError::Usage(
                "no secret key: set CLERK_SECRET_KEY (or --secret-key) to the instance's \
                 sk_test_…/sk_live_… key, or to the key `clerk-claims dev` prints"
                    .to_owned(),
            )
        })?;
        Ok(ClerkApi::new(key)?.with_base_url(&self.api_url)?)
    }
}
