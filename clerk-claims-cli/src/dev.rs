//! `clerk-claims dev [--addr] [--seed FILE] [--session-claims FILE] [--webhook-url URL
//! --webhook-secret whsec_…]`: the local fake Clerk, until Ctrl-C.

use std::io::Write as _;
use std::net::SocketAddr;

use clerk_claims::Clock;
use clerk_claims::api::UnixMillis;
use clerk_claims::testing::fake::{FakeClerk, Seed, WebhookConfig};

use crate::error::CliError;
use crate::input;

/// Starts the fake, prints how to use it, serves until Ctrl-C.
pub fn run(
    addr: SocketAddr,
    seed: Option<&str>,
    session_claims: Option<&str>,
    webhooks: Option<(&str, &str)>,
) -> Result<(), CliError> {
    let seed = match seed {
        Some(path) => Seed::from_file(path).map_err(|e| CliError::Usage(e.to_string()))?,
        // The default seed's sessions were last active just now, by the fake's (system) clock.
        None => Seed::default_seed_at(UnixMillis::now(&Clock::system()))
            .map_err(|e| CliError::Usage(e.to_string()))?,
    };
    let users: Vec<String> = seed
        .users
        .iter()
        .filter_map(|u| u.get("id").and_then(|v| v.as_str()).map(str::to_owned))
        .collect();
    let sessions: Vec<String> = seed
        .sessions
        .iter()
        .map(|s| {
            format!(
                "{} (user {}, {}, org {})",
                s.id,
                s.user_id,
                s.status,
                s.last_active_organization_id.as_deref().unwrap_or("-")
            )
        })
        .collect();
    let mut builder = FakeClerk::builder().addr(addr).seed(seed);
    if let Some(path) = session_claims {
        builder = builder.session_claims(input::read_template(path, None)?.template);
    }
    if let Some((url, secret)) = webhooks {
        let config = WebhookConfig::new(url, secret)
            .map_err(|e| CliError::Usage(format!("--webhook-secret: {e}")))?;
        builder = builder.webhooks(config);
    }
    let fake = builder
        .start()
        .map_err(|e| CliError::Usage(e.to_string()))?;
    // This is the local fake's own throw-away key, printed on purpose so clients can use it.
    // Printing ignores a closed stdout (a script that read the URLs and hung up): the fake
    // keeps serving rather than dying on a broken pipe.
    let mut out = std::io::stdout();
    let mut say = |line: String| {
        let _ = writeln!(out, "{line}");
        let _ = out.flush();
    };
    say(format!("FakeClerk listening on {}", fake.url()));
    say(String::new());
    say(format!("export CLERK_API_URL={}", fake.url()));
    say(format!("export CLERK_SECRET_KEY={}", fake.secret_key()));
    say(format!(
        "export CLERK_PUBLISHABLE_KEY={}",
        fake.publishable_key()
    ));
    say(String::new());
    say(format!("issuer (iss):       {}", fake.frontend_api_url()));
    say(format!("Frontend API JWKS:  {}", fake.jwks_url()));
    say(format!("Backend API JWKS:   {}", fake.api_jwks_url()));
    say(format!("users:              {}", users.join(", ")));
    if let Some(path) = session_claims {
        say(format!("session claims:     {path}"));
    }
    if let Some(url) = fake.webhook_url() {
        say(format!(
            "webhooks to:        {url} (signed, retried on non-2xx)"
        ));
    }
    say("sessions:".to_owned());
    for s in &sessions {
        say(format!("  {s}"));
    }
    say(String::new());
    say("Ctrl-C to stop.".to_owned());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Usage(format!("could not start a runtime: {e}")))?;
    runtime
        .block_on(tokio::signal::ctrl_c())
        .map_err(|e| CliError::Usage(format!("could not wait for Ctrl-C: {e}")))?;
    drop(fake);
    Ok(())
}
