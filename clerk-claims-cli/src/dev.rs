//! `clerk-claims dev [--addr] [--seed FILE] [--session-claims FILE] [--webhook-url URL
//! --webhook-secret whsec_…]`: the local fake Clerk, until Ctrl-C. Prints the environment to
//! export and the seed, user by user (metadata, memberships, sessions).

use std::io::Write as _;
use std::net::SocketAddr;

use clerk_claims::Clock;
use clerk_claims::api::UnixMillis;
use clerk_claims::testing::fake::{FakeClerk, Seed, WebhookConfig};

use serde_json::Value;

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
    let seeded = describe_seed(&seed);
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
    for (variable, value) in fake.env() {
        say(format!("export {variable}={value}"));
    }
    say(
        "# Verifier::from_env() and RequestOptions::from_env() read these: keys from \
         ${CLERK_API_URL}/v1/jwks"
            .to_owned(),
    );
    say(String::new());
    say(format!("issuer (iss):       {}", fake.frontend_api_url()));
    say(format!("Frontend API JWKS:  {}", fake.jwks_url()));
    say(format!("Backend API JWKS:   {}", fake.api_jwks_url()));
    if let Some(path) = session_claims {
        say(format!("session claims:     {path}"));
    }
    if let Some(url) = fake.webhook_url() {
        say(format!(
            "webhooks to:        {url} (signed, retried on non-2xx)"
        ));
    }
    say(String::new());
    for line in seeded {
        say(line);
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

/// The seed, user by user: public metadata, organization memberships (role, permissions,
/// public metadata) and sessions (status, active organization and role, impersonation).
fn describe_seed(seed: &Seed) -> Vec<String> {
    let str_at = |v: &Value, pointer: &str| {
        v.pointer(pointer)
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    // `{"a":1}`, nothing for an absent or empty object.
    let metadata = |v: &Value| match v.get("public_metadata") {
        Some(Value::Object(m)) if m.is_empty() => String::new(),
        Some(m @ Value::Object(_)) => format!("; public_metadata {m}"),
        _ => String::new(),
    };
    let slug = |org_id: &str| {
        seed.organizations
            .iter()
            .find(|o| str_at(o, "/id").as_deref() == Some(org_id))
            .and_then(|o| str_at(o, "/slug"))
            .map(|slug| format!(" ({slug})"))
            .unwrap_or_default()
    };
    let mut lines = vec!["users:".to_owned()];
    for user in &seed.users {
        let Some(id) = str_at(user, "/id") else {
            continue;
        };
        let email = user
            .get("email_addresses")
            .and_then(Value::as_array)
            .and_then(|list| {
                let primary = str_at(user, "/primary_email_address_id");
                list.iter()
                    .find(|e| str_at(e, "/id") == primary)
                    .and_then(|e| str_at(e, "/email_address"))
            })
            .map(|email| format!(" <{email}>"))
            .unwrap_or_default();
        lines.push(format!("  {id}{email}{}", metadata(user)));
        let memberships = seed
            .memberships
            .iter()
            .filter(|m| str_at(m, "/public_user_data/user_id").as_deref() == Some(id.as_str()));
        let mut roles = Vec::new();
        for m in memberships {
            let org = str_at(m, "/organization/id").unwrap_or_default();
            let role = str_at(m, "/role").unwrap_or_default();
            let permissions: Vec<&str> = m
                .get("permissions")
                .and_then(Value::as_array)
                .map(|list| list.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let permissions = if permissions.is_empty() {
                "none".to_owned()
            } else {
                permissions.join(", ")
            };
            lines.push(format!(
                "    member of {org}{}: role {role}, permissions {permissions}{}",
                slug(&org),
                metadata(m)
            ));
            roles.push((org, role));
        }
        for session in seed.sessions.iter().filter(|s| s.user_id == id) {
            let org = match session.last_active_organization_id.as_deref() {
                Some(org) => {
                    let role = roles
                        .iter()
                        .find(|(o, _)| o == org)
                        .map(|(_, role)| format!(" as {role}"))
                        .unwrap_or_default();
                    format!(", org {org}{role}")
                }
                None => ", no active organization".to_owned(),
            };
            let actor = session
                .actor
                .as_ref()
                .map(|a| format!(", impersonated by {}", a.sub))
                .unwrap_or_default();
            lines.push(format!(
                "    session {}: {}{org}{actor}",
                session.id, session.status
            ));
        }
    }
    lines
}
