//! The `clerk-claims` command: inspect Clerk tokens, keep dashboard JWT templates in sync with
//! code, debug sessions (`doctor`, `sessions devices`), and run a local fake Clerk.
//!
//! Exit codes: 0 ok, 1 difference or rejection (a template Clerk would refuse, a diff, an API
//! error, a failed `doctor` check), 2 usage error (arguments, unreadable input, missing
//! configuration).
#![forbid(unsafe_code)]

mod config;
mod dev;
mod diff;
mod doctor;
mod error;
mod init;
mod input;
mod output;
mod request;
mod roles;
mod sessions;
mod template;
mod token;

use std::net::SocketAddr;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use config::ApiArgs;
use error::CliError;

/// Typed Clerk JWT claims: templates, tokens, and a local fake Clerk.
#[derive(Debug, Parser)]
#[command(name = "clerk-claims", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Tokens: inspect (decode, verify, explain, run `has()` checks).
    #[command(subcommand)]
    Token(TokenCmd),
    /// JWT templates: check, render, diff, push, pull.
    #[command(subcommand)]
    Template(TemplateCmd),
    /// Print the instance's JWKS (Backend API `/v1/jwks`).
    Jwks {
        #[command(flatten)]
        api: ApiArgs,
    },
    /// Sessions: list, devices, revoke, revoke-others, end (the local fake), mint tokens.
    #[command(subcommand)]
    Sessions(SessionsCmd),
    /// Check keys, verification, custom claims, sessions, refresh and expiry; exit 1 on a failure.
    Doctor(doctor::DoctorArgs),
    /// Roles and permissions as code: diff, push and pull the roles manifest against the instance.
    #[command(subcommand)]
    Roles(roles::RolesCmd),
    /// Requests as Clerk sees them: `request inspect` (signed in, signed out, or a handshake).
    #[command(subcommand)]
    Request(request::RequestCmd),
    /// Run the local fake Clerk (Frontend API JWKS + Backend API subset) until Ctrl-C.
    ///
    /// Prints the environment to export (CLERK_API_URL, CLERK_SECRET_KEY,
    /// CLERK_PUBLISHABLE_KEY: what the other commands, `Verifier::from_env()` and
    /// `RequestOptions::from_env()` read), then the seed user by user: public metadata,
    /// organization memberships with role, permissions and public metadata, and sessions with
    /// their status, active organization and role, and impersonator.
    Dev {
        /// Where to listen.
        #[arg(long, default_value = "127.0.0.1:3210")]
        addr: SocketAddr,
        /// A seed JSON file (users, organizations, memberships, sessions) instead of the default.
        #[arg(long)]
        seed: Option<String>,
        /// The instance's "Customize session token" claims (JSON as typed in the dashboard):
        /// every session token the fake mints carries them.
        #[arg(long)]
        session_claims: Option<String>,
        /// Send Svix-signed webhooks (session.created/revoked, user.updated,
        /// organizationMembership.created/updated/deleted) to this URL.
        #[arg(long, requires = "webhook_secret")]
        webhook_url: Option<String>,
        /// The endpoint's signing secret (`whsec_…`) the webhooks are signed with.
        #[arg(long, requires = "webhook_url")]
        webhook_secret: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum TokenCmd {
    /// Decode, verify and explain a session or template token.
    Inspect(token::InspectArgs),
}

#[derive(Debug, Subcommand)]
enum TemplateCmd {
    /// Print a ready `#[derive(ClerkClaims)]` type and the template JSON it emits.
    Init {
        /// Which kind of template.
        #[arg(value_enum)]
        kind: init::Kind,
        /// The template name (default: the kind's name).
        #[arg(long)]
        name: Option<String>,
    },
    /// Validate a template as Clerk would on save, plus the shortcode catalogue.
    Check {
        /// Claims JSON as typed in the dashboard, or a template object with `claims`.
        file: String,
        /// The template name (default: the file's `name`, else the file stem).
        #[arg(long)]
        name: Option<String>,
    },
    /// Print the custom claims Clerk would issue for a context.
    Render {
        /// The template file.
        file: String,
        /// `{"user": User, "organization": …|null, "organization_membership": …|null, "session": {"actor": …}|null}`.
        #[arg(long)]
        context: String,
        /// Compact JSON on one line: `{"claims": …, "warnings": […]}`.
        #[arg(long)]
        json: bool,
        /// Fail (exit 1) when Clerk would send any claim string as written.
        #[arg(long)]
        strict: bool,
    },
    /// Compare a template file with another file or the dashboard; exit 1 when they differ.
    Diff {
        /// The template file.
        file: String,
        /// The other template file.
        #[arg(conflicts_with = "remote", required_unless_present = "remote")]
        other: Option<String>,
        /// Compare with the dashboard template of this name (Backend API).
        #[arg(long)]
        remote: Option<String>,
        #[command(flatten)]
        api: ApiArgs,
    },
    /// Create or update the dashboard template of the same name.
    Push {
        /// The template file.
        file: String,
        /// The template name (default: the file's `name`, else the file stem).
        #[arg(long)]
        name: Option<String>,
        #[command(flatten)]
        api: ApiArgs,
    },
    /// Print a dashboard template as a template object (or its claims only).
    Pull {
        /// The template name.
        name: String,
        /// Print only the claims JSON, as typed in the dashboard.
        #[arg(long)]
        claims_only: bool,
        #[command(flatten)]
        api: ApiArgs,
    },
}

#[derive(Debug, Subcommand)]
enum SessionsCmd {
    /// List a user's sessions, newest first.
    List {
        /// The user ID.
        #[arg(long)]
        user: String,
        /// Only sessions with this status.
        #[arg(long)]
        status: Option<String>,
        /// Page size (1..=500).
        #[arg(long)]
        limit: Option<u32>,
        /// Sessions to skip.
        #[arg(long)]
        offset: Option<u32>,
        /// Print the Backend API JSON.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        api: ApiArgs,
    },
    /// One row per session of a user: device, browser, location, last active, status.
    Devices {
        /// The user ID.
        #[arg(long)]
        user: String,
        /// Mark this session as the current one.
        #[arg(long)]
        current: Option<String>,
        /// `{"user_id", "sessions": [...]}` for scripts.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        api: ApiArgs,
    },
    /// Sign a user out of every session but one, without asking; exit 1 when it is not active.
    RevokeOthers {
        /// The user ID.
        #[arg(long)]
        user: String,
        /// The session to keep signed in.
        #[arg(long)]
        keep: String,
        #[command(flatten)]
        api: ApiArgs,
    },
    /// Revoke a session.
    Revoke {
        /// The session ID.
        id: String,
        #[command(flatten)]
        api: ApiArgs,
    },
    /// End a session as a sign-out on its device does: against `clerk-claims dev` only.
    ///
    /// Clerk ends a session when its user signs out (through the Frontend API); its Backend
    /// API has no such call and can only revoke (`sessions revoke`). The fake serves
    /// `POST /_fake/sessions/{id}/end`: the session becomes `ended`, mints no more tokens, and a
    /// `session.ended` webhook goes out when `dev` has `--webhook-url`. Exit 1 when the session
    /// is not active or the server is not the fake.
    End {
        /// The session ID.
        id: String,
        #[command(flatten)]
        api: ApiArgs,
    },
    /// Mint a session token, or a JWT-template token with `--template`.
    Token {
        /// The session ID.
        id: String,
        /// The JWT template name.
        #[arg(long)]
        template: Option<String>,
        /// Override the lifetime (30..=315360000 seconds).
        #[arg(long)]
        expires_in: Option<u32>,
        #[command(flatten)]
        api: ApiArgs,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // `token inspect` (3 = a check failed) and `doctor` own their exit codes and output.
    let command = match cli.command {
        Command::Token(TokenCmd::Inspect(args)) => return token::inspect(args),
        Command::Doctor(args) => return doctor::run(args),
        Command::Request(command) => return request::dispatch(command),
        other => other,
    };
    // Through anstream: styled output loses its escapes when stdout is not a terminal or
    // NO_COLOR is set.
    match run(command) {
        Ok(out) => {
            if !out.is_empty() {
                anstream::println!("{out}");
            }
            ExitCode::SUCCESS
        }
        Err(CliError::Differ(report)) => {
            anstream::println!("{report}");
            ExitCode::from(1)
        }
        Err(e) => {
            anstream::eprintln!("clerk-claims: {e}");
            e.exit_code()
        }
    }
}

fn block_on<F: std::future::Future<Output = Result<String, CliError>>>(
    f: F,
) -> Result<String, CliError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Usage(format!("could not start a runtime: {e}")))?;
    runtime.block_on(f)
}

fn run(command: Command) -> Result<String, CliError> {
    match command {
        Command::Template(t) => match t {
            TemplateCmd::Init { kind, name } => init::init(kind, name.as_deref()),
            TemplateCmd::Check { file, name } => template::check(&file, name.as_deref()),
            TemplateCmd::Render {
                file,
                context,
                json,
                strict,
            } => template::render_cmd(&file, &context, json, strict),
            TemplateCmd::Diff {
                file,
                other,
                remote,
                api,
            } => match (other, remote) {
                (_, Some(remote)) => block_on(template::diff_remote(&file, &remote, &api)),
                (Some(other), None) => template::diff_files(&file, &other),
                (None, None) => Err(CliError::Usage(
                    "template diff: give a second FILE or --remote NAME".to_owned(),
                )),
            },
            TemplateCmd::Push { file, name, api } => {
                block_on(template::push(&file, name.as_deref(), &api))
            }
            TemplateCmd::Pull {
                name,
                claims_only,
                api,
            } => block_on(template::pull(&name, claims_only, &api)),
        },
        Command::Roles(command) => block_on(roles::run(command)),
        Command::Jwks { api } => block_on(sessions::jwks(&api)),
        Command::Sessions(s) => match s {
            SessionsCmd::List {
                user,
                status,
                limit,
                offset,
                json,
                api,
            } => block_on(sessions::list(
                &user,
                status.as_deref(),
                limit,
                offset,
                json,
                &api,
            )),
            SessionsCmd::Devices {
                user,
                current,
                json,
                api,
            } => block_on(sessions::devices(&user, current.as_deref(), json, &api)),
            SessionsCmd::RevokeOthers { user, keep, api } => {
                block_on(sessions::revoke_others(&user, &keep, &api))
            }
            SessionsCmd::Revoke { id, api } => block_on(sessions::revoke(&id, &api)),
            SessionsCmd::End { id, api } => block_on(sessions::end(&id, &api)),
            SessionsCmd::Token {
                id,
                template,
                expires_in,
                api,
            } => block_on(sessions::token(&id, template.as_deref(), expires_in, &api)),
        },
        Command::Dev {
            addr,
            seed,
            session_claims,
            webhook_url,
            webhook_secret,
        } => {
            let webhooks = webhook_url.as_deref().zip(webhook_secret.as_deref());
            dev::run(addr, seed.as_deref(), session_claims.as_deref(), webhooks)
                .map(|()| String::new())
        }
        Command::Token(TokenCmd::Inspect(_)) | Command::Doctor(_) | Command::Request(_) => {
            // Dispatched in `main`, which keeps their own exit codes.
            Err(CliError::Usage(
                "token inspect and doctor are dispatched by main".to_owned(),
            ))
        }
    }
}
