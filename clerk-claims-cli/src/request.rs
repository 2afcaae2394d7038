//! `clerk-claims request inspect FILE|-`: what Clerk's `authenticateRequest` would make of a
//! request (signed in, signed out, or a handshake), why, and what to change.
//!
//! Exit status: 0 signed in, 1 signed out, 4 handshake, 2 usage error.

use std::io::{self, Read, Write};
use std::process::ExitCode;

use clerk_claims::Clock;
use clerk_claims::api::ClerkApi;
use clerk_claims::request::{
    self, RequestDescription, RequestOptions, RequestState, Status, advice, notes,
};
use clerk_claims::verify::ClerkEnv;
use clerk_claims::verify::advice::Diagnosis;
use serde_json::{Value, json};

use crate::output::{BAD, DIM, GOOD, HEAD, paint};

const EXIT_SIGNED_IN: u8 = 0;
const EXIT_SIGNED_OUT: u8 = 1;
const EXIT_USAGE: u8 = 2;
const EXIT_HANDSHAKE: u8 = 4;

/// `clerk-claims request …`.
#[derive(Debug, clap::Subcommand)]
pub enum RequestCmd {
    /// What Clerk makes of a request: signed in, signed out, or a handshake; why, and what to
    /// change. Exit 0 signed in, 1 signed out, 4 handshake.
    Inspect(InspectArgs),
}

/// Runs a `request` subcommand; returns its exit status.
pub fn dispatch(command: RequestCmd) -> ExitCode {
    match command {
        RequestCmd::Inspect(args) => inspect(args),
    }
}

/// `request inspect` arguments.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "The request is JSON: {\"method\": \"GET\", \"url\": \"https://app.example.com/dashboard\", \
    \"headers\": {\"cookie\": \"__session=…; __client_uat=…\", \"sec-fetch-dest\": \"document\"}} \
    (\"cookies\": {name: value} is added to the Cookie header). Keys come from the environment: \
    CLERK_PUBLISHABLE_KEY (required), CLERK_JWT_KEY (PEM) or CLERK_SECRET_KEY with CLERK_API_URL. \
    --json: {status, reason, message, cause, fix, causes: [{cause, fix}], notes, headers: \
    {location, set-cookie}, auth}. `causes` are what the request itself shows, first to act on \
    first: a __session or bearer token of another instance, this machine's clock off (against \
    the Backend API's Date, with CLERK_SECRET_KEY), a cross-site request that carries no \
    cookies; `cause`/`fix` are the first of them, else the reason's meaning and change. \
    Exit status: 0 signed in, 1 signed out, 4 handshake, 2 usage error."
)]
pub struct InspectArgs {
    /// The request as JSON, or `-` for standard input.
    #[arg(value_name = "FILE|-")]
    pub file: String,
    /// An origin allowed in the token's `azp` (repeatable).
    #[arg(long = "authorized-party", value_name = "AZP")]
    pub authorized_parties: Vec<String>,
    /// Decide as if the time were this (Unix seconds).
    #[arg(long, value_name = "UNIX_SECONDS", allow_negative_numbers = true)]
    pub now: Option<i64>,
    /// The satellite's domain.
    #[arg(long)]
    pub domain: Option<String>,
    /// The Frontend API proxy URL.
    #[arg(long)]
    pub proxy_url: Option<String>,
    /// The application is a satellite.
    #[arg(long)]
    pub satellite: bool,
    /// The sign-in URL (the primary's, for satellites).
    #[arg(long)]
    pub sign_in_url: Option<String>,
    /// Organization sync: a path naming an organization by `:id` or `:slug`, e.g.
    /// `/orgs/:slug/(.*)` (repeatable; path-to-regexp 6, as Clerk's `organizationPatterns`).
    #[arg(long = "org-pattern", value_name = "PATTERN")]
    pub org_patterns: Vec<String>,
    /// Organization sync: a path of the personal account, e.g. `/me/(.*)` (repeatable; Clerk's
    /// `personalAccountPatterns`).
    #[arg(long = "personal-pattern", value_name = "PATTERN")]
    pub personal_patterns: Vec<String>,
    /// One JSON object instead of the explanation.
    #[arg(long)]
    pub json: bool,
}

/// Runs the command on a fresh runtime; returns the exit status.
pub fn inspect(args: InspectArgs) -> ExitCode {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build();
    let code = match runtime {
        // Through anstream, as the other commands: the report's colour escapes are dropped
        // when stdout is not a terminal or NO_COLOR is set.
        Ok(runtime) => {
            runtime.block_on(run(args, &mut anstream::stdout(), &mut anstream::stderr()))
        }
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            EXIT_USAGE
        }
    };
    ExitCode::from(code)
}

/// Runs `request inspect` writing to `out` and `err`; returns the exit status.
pub async fn run(args: InspectArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let prepared = read(&args.file).and_then(|text| {
        let description = RequestDescription::from_json(&text).map_err(|e| e.to_string())?;
        let parts = description.to_parts().map_err(|e| e.to_string())?;
        Ok((description, parts, options(&args)?))
    });
    let (description, parts, options) = match prepared {
        Ok(prepared) => prepared,
        Err(message) => {
            let _ = writeln!(err, "error: {message}");
            return EXIT_USAGE;
        }
    };
    let state = request::authenticate(&parts, &options).await;
    // The Backend API's time, when the request is not signed in: it tells this machine's clock
    // off.
    let server_time = match (state.status() != Status::SignedIn, ClerkApi::from_env()) {
        (true, Ok(api)) => api.server_time().await,
        _ => None,
    };
    let causes = request::causes(&state, &parts, &options, server_time);
    let notes = notes(&state, &parts);
    let written = if args.json {
        writeln!(out, "{:#}", to_json(&state, &causes, &notes))
    } else {
        write!(out, "{}", readable(&state, &description, &causes, &notes))
    };
    if let Err(e) = written {
        let _ = writeln!(err, "error: cannot write the report: {e}");
    }
    match state.status() {
        Status::SignedIn => EXIT_SIGNED_IN,
        Status::SignedOut => EXIT_SIGNED_OUT,
        Status::Handshake => EXIT_HANDSHAKE,
    }
}

fn read(file: &str) -> Result<String, String> {
    if file == "-" {
        let mut text = String::new();
        io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| format!("cannot read the request from standard input: {e}"))?;
        Ok(text)
    } else {
        std::fs::read_to_string(file).map_err(|e| format!("cannot read the request {file}: {e}"))
    }
}

fn options(args: &InspectArgs) -> Result<RequestOptions, String> {
    // The environment as `RequestOptions::from_env` reads it.
    let env = ClerkEnv::from_env().map_err(|e| e.to_string())?;
    let mut builder = RequestOptions::builder()
        .env(&env)
        .authorized_parties(args.authorized_parties.iter().cloned())
        .satellite(args.satellite);
    if let Some(domain) = &args.domain {
        builder = builder.domain(domain);
    }
    if let Some(proxy) = &args.proxy_url {
        builder = builder.proxy_url(proxy);
    }
    if let Some(url) = &args.sign_in_url {
        builder = builder.sign_in_url(url);
    }
    if let Some(now) = args.now {
        builder = builder.clock(Clock::manual(now));
    }
    // No flag: the option is absent.
    if !args.org_patterns.is_empty() {
        builder = builder.organization_patterns(args.org_patterns.iter().cloned());
    }
    if !args.personal_patterns.is_empty() {
        builder = builder.personal_account_patterns(args.personal_patterns.iter().cloned());
    }
    builder.build().map_err(|e| e.to_string())
}

/// `{"status", "reason", "message", "cause", "fix", "causes": [{"cause", "fix"}], "notes",
/// "headers": {"location", "set-cookie"}, "auth"}`: `cause` and `fix` are the first of `causes`
/// (what the request itself shows), else the reason's meaning and change.
fn to_json(state: &RequestState, causes: &[Diagnosis], notes: &[&str]) -> Value {
    let reason_advice = state.reason().map(advice);
    let (cause, fix) = match (causes.first(), reason_advice) {
        (Some(first), _) => (Some(first.cause.clone()), Some(first.fix.clone())),
        (None, Some(a)) => (
            Some(a.why.to_owned()),
            Some(a.change.to_owned()).filter(|c| !c.is_empty()),
        ),
        (None, None) => (None, None),
    };
    json!({
        "status": state.status().as_str(),
        "reason": state.reason().map(|r| r.to_string()),
        "message": state.message(),
        "cause": cause,
        "fix": fix,
        "causes": causes,
        "notes": notes,
        "headers": {
            "location": state.location(),
            "set-cookie": state.set_cookies().collect::<Vec<_>>(),
        },
        "auth": state.session().map(|s| s.claims.auth()),
    })
}

fn readable(
    state: &RequestState,
    description: &RequestDescription,
    causes: &[Diagnosis],
    notes: &[&str],
) -> String {
    let mut s = String::new();
    let head = format!("{} {}", description.method, description.url);
    s.push_str(&paint(HEAD, &head));
    s.push('\n');
    let status = match state.status() {
        Status::SignedIn => paint(GOOD, "signed in"),
        Status::SignedOut => paint(BAD, "signed out"),
        Status::Handshake => paint(HEAD, "handshake (307 redirect)"),
    };
    s.push_str(&format!("  state:   {status}\n"));
    if let Some(session) = state.session() {
        let auth = session.claims.auth();
        s.push_str(&format!(
            "  user:    {}\n",
            auth.user_id.as_deref().unwrap_or("(none)")
        ));
        if let Some(sid) = &auth.session_id {
            s.push_str(&format!("  session: {sid}\n"));
        }
        if let Some(org) = &auth.org_id {
            s.push_str(&format!(
                "  org:     {org} ({})\n",
                auth.org_role.as_deref().unwrap_or("no role")
            ));
        }
        s.push_str(&format!("  expires: {} (Unix seconds)\n", session.exp));
    }
    if let Some(reason) = state.reason() {
        s.push_str(&format!("  reason:  {reason}\n"));
        if let Some(message) = state.message().filter(|m| !m.is_empty()) {
            s.push_str(&format!("  message: {}\n", paint(DIM, message)));
        }
        for cause in causes {
            s.push_str(&format!("\nCause: {}\n", cause.cause));
            s.push_str(&format!("Fix: {}\n", cause.fix));
        }
        let advice = advice(reason);
        s.push_str(&format!("\nWhy: {}\n", advice.why));
        if !advice.change.is_empty() {
            s.push_str(&format!("What to change: {}\n", advice.change));
        }
    }
    for note in notes {
        s.push_str(&format!("Note: {note}\n"));
    }
    if let Some(location) = state.location() {
        s.push_str(&format!("\nRedirect to: {location}\n"));
    }
    let cookies: Vec<&str> = state.set_cookies().collect();
    if !cookies.is_empty() {
        s.push_str("Set-Cookie:\n");
        for c in cookies {
            s.push_str(&format!("  {c}\n"));
        }
    }
    s
}
