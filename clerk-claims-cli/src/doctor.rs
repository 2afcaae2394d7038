//! `clerk-claims doctor [CHECK]...`: the six checks people run when Clerk sessions misbehave,
//! each one line: pass, fail or skip, what was measured, and the fix when it fails (or the
//! option that runs it, when skipped). Exit 1 when any check fails; a skipped check does not
//! fail the run.
//!
//! Every check works against the real Backend API and against `clerk-claims dev`: tokens are
//! minted through the Backend API, keys come from its `/v1/jwks`, and time is moved on the
//! verifier's and the cache's clock, never by sleeping.

use std::fmt::Write as _;
use std::process::ExitCode;
use std::time::Duration;

use base64::Engine as _;
use clerk_claims::api::{ApiError, ClerkApi, Session, SessionStatus, TemplateTokens};
use clerk_claims::source::PublishableKey;
use clerk_claims::verify::advice;
use clerk_claims::verify::{
    DEFAULT_CLOCK_SKEW, Reason, TokenKind, Verifier, VerifierBuilder, decode_unverified,
};
use clerk_claims::{Clock, JwtTemplate};
use clerk_claims_lang::{ClaimString, JsonType};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::config::ApiArgs;
use crate::error::CliError;
use crate::output::{self, BAD, DIM, GOOD};
use crate::sessions::describe_device;

/// One of the six checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Check {
    /// The secret and publishable keys are well-formed and of one kind (test or live); the
    /// JWKS loads. With a session (`--user`/`--session`), a minted token's issuer is the
    /// publishable key's instance.
    Basic,
    /// A fresh session token verifies; expired, tampered and wrong-issuer copies are rejected
    /// with Clerk's reason.
    JwtVerify,
    /// The dashboard template equals the file, and a minted token carries every claim with a
    /// value of the declared type.
    CustomClaims,
    /// Each active session of the user mints a token that verifies.
    MultiSession,
    /// A second token is newer and verifies; the template-token cache refreshes ahead of `exp`
    /// and never hands out an expired token.
    Refresh,
    /// A short-lived token is accepted just before `exp` + skew and rejected just after.
    Expiration,
    /// The instance's roles and permissions equal the roles manifest `--roles FILE` (not in
    /// the default run).
    Roles,
}

impl Check {
    /// All six, in the order they run without arguments.
    pub const ALL: [Check; 6] = [
        Check::Basic,
        Check::JwtVerify,
        Check::CustomClaims,
        Check::MultiSession,
        Check::Refresh,
        Check::Expiration,
    ];

    /// The name on the command line and in `--json`.
    pub fn name(self) -> &'static str {
        match self {
            Check::Basic => "basic",
            Check::JwtVerify => "jwt-verify",
            Check::CustomClaims => "custom-claims",
            Check::MultiSession => "multi-session",
            Check::Refresh => "refresh",
            Check::Expiration => "expiration",
            Check::Roles => "roles",
        }
    }
}

/// `doctor` arguments.
#[derive(Debug, clap::Args)]
pub struct DoctorArgs {
    /// The checks to run, in this order (default: all six).
    #[arg(value_enum)]
    pub checks: Vec<Check>,
    /// The user whose sessions the checks use; the most recently active one mints the tokens.
    #[arg(long)]
    pub user: Option<String>,
    /// The session that mints the tokens (default: the `--user`'s most recently active one).
    #[arg(long)]
    pub session: Option<String>,
    /// The dashboard JWT template for `custom-claims` (and the template-token cache of
    /// `refresh`).
    #[arg(long)]
    pub template: Option<String>,
    /// The template file `custom-claims` compares the dashboard template with, as `template
    /// diff` reads it (e.g. the file `clerk_claims::build::write_template` exports).
    #[arg(long)]
    pub claims: Option<String>,
    /// The roles manifest `roles` compares the instance with, as `roles diff --remote` reads
    /// it (e.g. the file `clerk_claims::build::write_manifest` exports).
    #[arg(long)]
    pub roles: Option<String>,
    /// The instance's publishable key (`pk_test_…`/`pk_live_…`).
    #[arg(long, env = "CLERK_PUBLISHABLE_KEY")]
    pub publishable_key: Option<String>,
    /// One JSON object: `{"pass", "checks": [{"check", "pass", "skipped", "measured", "fix"}]}`;
    /// a skipped check has `"pass": false, "skipped": true`, and the top-level `pass` is true
    /// when no check failed.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub api: ApiArgs,
}

/// The result of one check, as printed.
#[derive(Debug, Serialize)]
pub struct Outcome {
    /// Which check.
    pub check: Check,
    /// Whether it passed (`false` when skipped).
    pub pass: bool,
    /// Whether it was not run (or not all of it): an option it needs was not given.
    pub skipped: bool,
    /// What was measured.
    pub measured: String,
    /// What to do about it: the fix when it failed, the option that runs it when skipped,
    /// `null` when it passed.
    pub fix: Option<String>,
}

/// A check that did not pass: what was measured and the fix; or, `skipped`, what could not be
/// checked and the option that checks it.
#[derive(Debug, Clone)]
struct Fail {
    measured: String,
    fix: String,
    skipped: bool,
}

impl Fail {
    fn new(measured: impl Into<String>, fix: impl Into<String>) -> Fail {
        Fail {
            measured: measured.into(),
            fix: fix.into(),
            skipped: false,
        }
    }

    /// A check (or part of one) not run: `how` names the option that runs it.
    fn skip(measured: impl Into<String>, how: impl Into<String>) -> Fail {
        Fail {
            skipped: true,
            ..Fail::new(measured, how)
        }
    }
}

type Measured = Result<String, Fail>;

/// Runs the checks, prints one line each (or the JSON object); exit 0 when all pass, 1 when any
/// fails, 2 on a usage error.
pub fn run(args: DoctorArgs) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("clerk-claims: could not start a runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let checks = if args.checks.is_empty() {
        Check::ALL.to_vec()
    } else {
        args.checks.clone()
    };
    let json = args.json;
    let mut doctor = Doctor::new(args);
    let outcomes: Vec<Outcome> = runtime.block_on(async {
        let mut out = Vec::new();
        for check in checks {
            out.push(doctor.run(check).await);
        }
        out
    });
    let pass = outcomes.iter().all(|o| o.pass || o.skipped);
    if json {
        #[derive(Serialize)]
        struct Report<'a> {
            pass: bool,
            checks: &'a [Outcome],
        }
        match serde_json::to_string_pretty(&Report {
            pass,
            checks: &outcomes,
        }) {
            Ok(text) => println!("{text}"),
            Err(e) => {
                eprintln!("clerk-claims: {e}");
                return ExitCode::from(2);
            }
        }
    } else {
        anstream::println!("{}", render(&outcomes));
    }
    if pass {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// The human form: `PASS  check  measured`, `FAIL  check  measured; fix: …`, `SKIP  check
/// measured; to run it: …`, then a summary.
fn render(outcomes: &[Outcome]) -> String {
    let width = outcomes
        .iter()
        .map(|o| o.check.name().len())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for o in outcomes {
        let (label, style, how) = match (o.pass, o.skipped) {
            (true, _) => ("PASS", GOOD, "fix"),
            (false, true) => ("SKIP", DIM, "to run it"),
            (false, false) => ("FAIL", BAD, "fix"),
        };
        let _ = write!(
            out,
            "{}  {:<width$}  {}",
            output::paint(style, label),
            o.check.name(),
            o.measured
        );
        if let Some(fix) = &o.fix {
            let _ = write!(out, "; {}", output::paint(style, &format!("{how}: {fix}")));
        }
        out.push('\n');
    }
    let passed = outcomes.iter().filter(|o| o.pass).count();
    let mut summary = format!("doctor: {passed} of {} checks passed", outcomes.len());
    let skipped = outcomes.iter().filter(|o| o.skipped).count();
    if skipped > 0 {
        let _ = write!(summary, ", {skipped} skipped");
    }
    out.push('\n');
    out.push_str(&output::paint(DIM, &summary));
    out
}

/// What the checks share: the client, the session that mints tokens, the JWKS (fetched once).
struct Doctor {
    args: DoctorArgs,
    api: Result<ClerkApi, String>,
    session: Option<Result<Session, Fail>>,
    jwks: Option<String>,
}

impl Doctor {
    fn new(args: DoctorArgs) -> Doctor {
        let api = args.api.client().map_err(|e| e.to_string());
        Doctor {
            args,
            api,
            session: None,
            jwks: None,
        }
    }

    async fn run(&mut self, check: Check) -> Outcome {
        let result = match check {
            Check::Basic => self.basic().await,
            Check::JwtVerify => self.jwt_verify().await,
            Check::CustomClaims => self.custom_claims().await,
            Check::MultiSession => self.multi_session().await,
            Check::Refresh => self.refresh().await,
            Check::Expiration => self.expiration().await,
            Check::Roles => match self.api() {
                Ok(api) => crate::roles::doctor(self.args.roles.as_deref(), &api)
                    .await
                    .map_err(|(measured, fix)| Fail::new(measured, fix)),
                Err(fail) => Err(fail),
            },
        };
        match result {
            Ok(measured) => Outcome {
                check,
                pass: true,
                skipped: false,
                measured,
                fix: None,
            },
            Err(f) => Outcome {
                check,
                pass: false,
                skipped: f.skipped,
                measured: f.measured,
                fix: Some(f.fix),
            },
        }
    }

    fn api(&self) -> Result<ClerkApi, Fail> {
        self.api.clone().map_err(|e| {
            Fail::new(
                format!("no Backend API client: {e}"),
                "set CLERK_SECRET_KEY to the instance's sk_test_…/sk_live_… key (Dashboard → \
                 API keys), and CLERK_API_URL to the URL `clerk-claims dev` prints when testing \
                 locally",
            )
        })
    }

    /// The session that mints the tokens: `--session` (must be active), else the `--user`'s
    /// most recently active session.
    async fn session(&mut self) -> Result<Session, Fail> {
        if let Some(found) = &self.session {
            return found.clone();
        }
        let found = self.find_session().await;
        self.session = Some(found.clone());
        found
    }

    fn session_fix(&self) -> String {
        match &self.args.user {
            Some(user) => format!(
                "give an active session with --session, or sign in as {user} again \
                 (`clerk-claims sessions devices --user {user}` lists them)"
            ),
            None => "give --user USER_ID (or --session SESSION_ID) of a signed-in user (`clerk-claims dev` seeds user_2alice)".to_owned(),
        }
    }

    async fn find_session(&self) -> Result<Session, Fail> {
        let api = self.api()?;
        let fix = self.session_fix();
        if let Some(id) = &self.args.session {
            let s = api.get_session(id).await.map_err(|e| api_fail(&api, e))?;
            if s.status != SessionStatus::Active {
                return Err(Fail::new(
                    format!("session {id} is {}: it cannot mint tokens", s.status),
                    fix,
                ));
            }
            return Ok(s);
        }
        let Some(user) = &self.args.user else {
            return Err(Fail::skip("no session to mint tokens with", fix));
        };
        let mut active = api
            .user_sessions(user, Some(SessionStatus::Active))
            .await
            .map_err(|e| api_fail(&api, e))?;
        active.sort_by_key(|s| std::cmp::Reverse(s.last_active_at));
        active
            .into_iter()
            .next()
            .ok_or_else(|| Fail::new(format!("user {user} has no active session"), fix))
    }

    /// The instance's JWKS from the Backend API, fetched once.
    async fn jwks(&mut self, api: &ClerkApi) -> Result<String, Fail> {
        if let Some(jwks) = &self.jwks {
            return Ok(jwks.clone());
        }
        let jwks = api.jwks().await.map_err(|e| api_fail(api, e))?;
        let text = jwks.to_string();
        self.jwks = Some(text.clone());
        Ok(text)
    }

    /// A verifier over the instance's JWKS that requires `issuer`.
    async fn verifier(&mut self, api: &ClerkApi, issuer: &str) -> Result<VerifierBuilder, Fail> {
        Ok(Verifier::builder()
            .jwks_json(self.jwks(api).await?)
            .issuer(issuer))
    }

    fn publishable_key(&self) -> Result<PublishableKey, Fail> {
        let key = self.args.publishable_key.as_deref().ok_or_else(|| {
            Fail::new(
                "no publishable key",
                "set CLERK_PUBLISHABLE_KEY (or --publishable-key) to the instance's \
                 pk_test_…/pk_live_… key (Dashboard → API keys; `clerk-claims dev` prints one)",
            )
        })?;
        PublishableKey::parse(key).map_err(|e| {
            Fail::new(
                e.to_string(),
                "copy the publishable key again from Dashboard → API keys",
            )
        })
    }

    /// The issuer tokens must carry: the publishable key's Frontend API URL, else (no usable
    /// publishable key) the `iss` of a token the Backend API minted.
    fn expected_issuer(&self, minted_iss: String) -> String {
        self.publishable_key()
            .map(|pk| pk.issuer())
            .unwrap_or(minted_iss)
    }

    /// Mints a session token: the session, the token, and the token's `iss`.
    async fn mint_raw(
        &mut self,
        api: &ClerkApi,
        expires_in: Option<u32>,
    ) -> Result<(Session, String, String), Fail> {
        let session = self.session().await?;
        let jwt = api
            .create_session_token(&session.id, expires_in)
            .await
            .map_err(|e| api_fail(api, e))?;
        let iss = claim_str(&jwt, "iss").ok_or_else(|| {
            Fail::new(
                "the Backend API minted a session token without an `iss` claim",
                "this is not a Clerk session token: check CLERK_API_URL",
            )
        })?;
        Ok((session, jwt, iss))
    }

    /// [`mint_raw`](Self::mint_raw) with the issuer the checks require instead of the minted one.
    async fn mint(
        &mut self,
        api: &ClerkApi,
        expires_in: Option<u32>,
    ) -> Result<(Session, String, String), Fail> {
        let (session, jwt, iss) = self.mint_raw(api, expires_in).await?;
        Ok((session, jwt, self.expected_issuer(iss)))
    }

    async fn basic(&mut self) -> Measured {
        let api = self.api()?;
        let secret = self.args.api.secret_key.as_deref().unwrap_or_default();
        let sk_live = secret.starts_with("sk_live_");
        let sk_kind = if sk_live {
            "sk_live_…"
        } else {
            "sk_test_…"
        };
        let pk = self.publishable_key()?;
        let pk_kind = if pk.is_live() {
            "pk_live_…"
        } else {
            "pk_test_…"
        };
        if pk.is_live() != sk_live {
            return Err(Fail::new(
                format!("{sk_kind} with {pk_kind}: a development and a production key"),
                "use the secret and publishable key of the same instance (Dashboard → API keys)",
            ));
        }
        let jwks: Value = serde_json::from_str(&self.jwks(&api).await?).unwrap_or_default();
        let keys = jwks["keys"].as_array().map_or(0, Vec::len);
        if keys == 0 {
            return Err(Fail::new(
                format!("the JWKS of {} holds no key", api.base_url()),
                "check CLERK_API_URL points at the Backend API of your instance",
            ));
        }
        let keys_measured = format!(
            "{sk_kind} accepted by {}, JWKS has {keys} key(s); {pk_kind} names {}",
            api.base_url(),
            pk.frontend_api()
        );
        if self.args.user.is_none() && self.args.session.is_none() {
            return Ok(format!(
                "{keys_measured} (give --user to compare it with the issuer of a minted token)"
            ));
        }
        let (_, _, iss) = self.mint_raw(&api, None).await?;
        let iss_host = iss
            .strip_prefix("https://")
            .or_else(|| iss.strip_prefix("http://"))
            .unwrap_or(&iss);
        if iss_host != pk.frontend_api() {
            return Err(Fail::new(
                format!(
                    "the publishable key is for {}, but the secret key's instance issues tokens \
                     as {iss}",
                    pk.frontend_api()
                ),
                "CLERK_PUBLISHABLE_KEY and CLERK_SECRET_KEY must come from the same instance \
                 (Dashboard → API keys)",
            ));
        }
        Ok(format!("{keys_measured}, the issuer of a minted token"))
    }

    async fn jwt_verify(&mut self) -> Measured {
        let api = self.api()?;
        let (session, jwt, iss) = self.mint(&api, None).await?;
        let fresh = self
            .verifier(&api, &iss)
            .await?
            .build()
            .map_err(build_fail)?;
        let verified = fresh
            .verify_session(&jwt)
            .await
            .map_err(|e| fresh_rejected(&session.id, &jwt, &iss, &e))?;
        let skew = i64::try_from(DEFAULT_CLOCK_SKEW.as_secs()).unwrap_or(5);
        let expired = self
            .verifier(&api, &iss)
            .await?
            .now(verified.exp + skew + 1)
            .build()
            .map_err(build_fail)?;
        let other = self
            .verifier(&api, &iss)
            .await?
            .issuer("https://another-instance.clerk.accounts.dev")
            .build()
            .map_err(build_fail)?;
        let tampered = tamper(&jwt);
        let cases = [
            (
                "expired",
                Reason::TokenExpired,
                expired.verify_session(&jwt).await,
            ),
            (
                "tampered",
                Reason::TokenInvalidSignature,
                fresh.verify_session(&tampered).await,
            ),
            (
                "wrong-issuer",
                Reason::TokenInvalidIssuer,
                other.verify_session(&jwt).await,
            ),
        ];
        let mut seen = Vec::new();
        for (what, want, got) in cases {
            match got {
                Err(e) if e.reason() == want => seen.push(format!("{what} → {want}")),
                Err(e) => {
                    return Err(Fail::new(
                        format!(
                            "the {what} copy was rejected as {}, expected {want}",
                            e.reason()
                        ),
                        "the verifier's checks are out of order: report it to clerk-claims",
                    ));
                }
                Ok(_) => {
                    return Err(Fail::new(
                        format!("the {what} copy verified, expected {want}"),
                        "the verifier accepts tokens it must not: report it to clerk-claims",
                    ));
                }
            }
        }
        Ok(format!(
            "a fresh token of {} verifies ({}, kid {}); {}",
            session.id,
            verified.algorithm,
            verified.kid.as_deref().unwrap_or("-"),
            seen.join(", ")
        ))
    }

    async fn custom_claims(&mut self) -> Measured {
        let api = self.api()?;
        let Some(name) = self.args.template.clone() else {
            return Err(Fail::skip(
                "no template to check",
                "give --template NAME (and --claims FILE to compare it with your file)",
            ));
        };
        let remote = api
            .find_template_by_name(&name)
            .await
            .map_err(|e| api_fail(&api, e))?
            .ok_or_else(|| {
                Fail::new(
                    format!("no JWT template named {name:?} on {}", api.base_url()),
                    format!("push it: clerk-claims template push FILE --name {name}"),
                )
            })?;
        let mut measured = Vec::new();
        if let Some(file) = self.args.claims.clone() {
            match crate::template::diff_remote(&file, &name, &self.args.api).await {
                Ok(_) => measured.push(format!("dashboard {name:?} equals {file}")),
                Err(CliError::Differ(diff)) => {
                    // The changed paths of `template diff`, without its file headers.
                    let changes: Vec<&str> = diff
                        .lines()
                        .skip(1)
                        .filter(|l| !l.starts_with("--- ") && !l.starts_with("+++ "))
                        .map(str::trim)
                        .collect();
                    let mut first = changes.iter().take(3).copied().collect::<Vec<_>>();
                    if changes.len() > first.len() {
                        first.push("…");
                    }
                    return Err(Fail::new(
                        format!(
                            "dashboard {name:?} differs from {file}: {}",
                            first.join("; ")
                        ),
                        format!(
                            "push the file (clerk-claims template push {file} --name {name}) or \
                             update the file from the dashboard (clerk-claims template pull \
                             {name}); `clerk-claims template diff {file} --remote {name}` shows \
                             every difference"
                        ),
                    ));
                }
                Err(e) => return Err(Fail::new(e.to_string(), "check the --claims file")),
            }
        }
        let session = self.session().await?;
        let jwt = api
            .create_template_token(&session.id, &name, None)
            .await
            .map_err(|e| api_fail(&api, e))?;
        let payload = if remote.custom_signing_key {
            // Signed with the template's own key, which the Backend API never returns.
            measured.push("custom signing key: claims read without verifying".to_owned());
            decode_unverified(&jwt)
                .map(|d| d.payload)
                .map_err(|e| Fail::new(e.to_string(), "check the template's signing key"))?
        } else {
            let (_, _, iss) = self.mint(&api, None).await?;
            let verifier = self
                .verifier(&api, &iss)
                .await?
                .build()
                .map_err(build_fail)?;
            verifier
                .verify_payload(&jwt, TokenKind::Template)
                .await
                .map_err(|e| {
                    Fail::new(
                        format!("a minted {name:?} token was rejected: {e}"),
                        "check the template's audience and signing settings in the dashboard",
                    )
                })?
                .claims
        };
        let template = remote.to_template();
        let problems = claim_problems(&template, &payload);
        if !problems.is_empty() {
            return Err(Fail::new(
                format!(
                    "the {name:?} token of {} does not carry its claims as declared: {}",
                    session.id,
                    problems.join("; ")
                ),
                "fill the user's data the shortcodes read (metadata keys, organization \
                 membership), or add a fallback (`{{user.public_metadata.plan || 'free'}}`)",
            ));
        }
        measured.push(format!(
            "the {name:?} token of {} carries all {} claim(s) with their declared types",
            session.id,
            template.claims.as_object().map_or(0, Map::len)
        ));
        // Declared nullable, yet null for this user: what "custom claims undefined" looks like.
        let nulls = advice::null_claims(&template.claims, &Value::Object(payload.clone()));
        if let Some((_, first)) = nulls.first() {
            let pointers: Vec<&str> = nulls.iter().map(|(p, _)| p.as_str()).collect();
            measured.push(format!(
                "warning: null for this user: {} ({}; fix: {})",
                pointers.join(", "),
                first.cause,
                first.fix
            ));
        }
        Ok(measured.join("; "))
    }

    async fn multi_session(&mut self) -> Measured {
        let api = self.api()?;
        let Some(user) = self.args.user.clone() else {
            return Err(Fail::skip(
                "no user to list sessions of",
                "give --user USER_ID",
            ));
        };
        if self.args.session.is_some() {
            self.session().await?;
        }
        let active = api
            .user_sessions(&user, Some(SessionStatus::Active))
            .await
            .map_err(|e| api_fail(&api, e))?;
        if active.is_empty() {
            return Err(Fail::new(
                format!("user {user} has no active session"),
                format!("sign in as {user} on a device first"),
            ));
        }
        let mut devices = Vec::new();
        for s in &active {
            let jwt = api
                .create_session_token(&s.id, None)
                .await
                .map_err(|e| api_fail(&api, e))?;
            let iss = self.expected_issuer(claim_str(&jwt, "iss").unwrap_or_default());
            let verifier = self
                .verifier(&api, &iss)
                .await?
                .build()
                .map_err(build_fail)?;
            let verified = verifier.verify_session(&jwt).await.map_err(|e| {
                Fail::new(
                    format!(
                        "the token of {} ({}) was rejected: {e}",
                        s.id,
                        describe_device(s)
                    ),
                    "see `clerk-claims doctor jwt-verify`",
                )
            })?;
            if verified.claims.session_id() != Some(s.id.as_str()) {
                return Err(Fail::new(
                    format!(
                        "the token minted for {} names session {:?}",
                        s.id,
                        verified.claims.session_id()
                    ),
                    "the Backend API mixed up sessions: report it to Clerk",
                ));
            }
            devices.push(describe_device(s));
        }
        let mut clients: Vec<&str> = active.iter().map(|s| s.client_id.as_str()).collect();
        clients.sort_unstable();
        clients.dedup();
        Ok(format!(
            "{} active session(s) of {user} on {} client(s) ({}); each mints a token that \
             verifies with its own sid",
            active.len(),
            clients.len(),
            devices.join(", ")
        ))
    }

    async fn refresh(&mut self) -> Measured {
        let api = self.api()?;
        let (session, first, iss) = self.mint(&api, None).await?;
        let second = api
            .create_session_token(&session.id, None)
            .await
            .map_err(|e| api_fail(&api, e))?;
        let verifier = self
            .verifier(&api, &iss)
            .await?
            .build()
            .map_err(build_fail)?;
        let check = |what: &'static str, e: clerk_claims::VerifyError| {
            Fail::new(
                format!("the {what} token of {} was rejected: {e}", session.id),
                "see `clerk-claims doctor jwt-verify`",
            )
        };
        let a = verifier
            .verify_session(&first)
            .await
            .map_err(|e| check("first", e))?;
        let b = verifier
            .verify_session(&second)
            .await
            .map_err(|e| check("second", e))?;
        let mut measured = newer(&session.id, (&first, &a), (&second, &b))?;
        match self.args.template.clone() {
            Some(name) => {
                let cache = cache_refresh(&api, &session.id, &name).await?;
                let _ = write!(measured, "; {cache}");
            }
            None => {
                return Err(Fail::skip(
                    format!("{measured}; the template-token cache was not checked"),
                    "give --template NAME to check the cache of that template's tokens",
                ));
            }
        }
        Ok(measured)
    }

    async fn expiration(&mut self) -> Measured {
        let api = self.api()?;
        let (session, jwt, iss) = self.mint(&api, Some(30)).await?;
        let exp = decode_unverified(&jwt)
            .ok()
            .and_then(|d| d.payload.get("exp").and_then(Value::as_i64))
            .ok_or_else(|| {
                Fail::new(
                    "the minted token has no numeric `exp`",
                    "this is not a Clerk session token: check CLERK_API_URL",
                )
            })?;
        let skew = i64::try_from(DEFAULT_CLOCK_SKEW.as_secs()).unwrap_or(5);
        // One verifier on a clock of its own: set just before exp + skew, then moved past it.
        let clock = Clock::manual(exp + skew - 1);
        let verifier = self
            .verifier(&api, &iss)
            .await?
            .clock(clock.clone())
            .build()
            .map_err(build_fail)?;
        if let Err(e) = verifier.verify_session(&jwt).await {
            return Err(Fail::new(
                format!(
                    "a 30 s token of {} was rejected at exp + {}s: {e}",
                    session.id,
                    skew - 1
                ),
                "the verifier's clock skew is shorter than Clerk's 5 s",
            ));
        }
        clock.advance(Duration::from_secs(2));
        match verifier.verify_session(&jwt).await {
            Err(e) if e.reason() == Reason::TokenExpired => Ok(format!(
                "a 30 s token of {} is accepted at exp + {}s and rejected at exp + {}s ({})",
                session.id,
                skew - 1,
                skew + 1,
                Reason::TokenExpired
            )),
            Err(e) => Err(Fail::new(
                format!(
                    "at exp + {}s the token was rejected as {}",
                    skew + 1,
                    e.reason()
                ),
                "expected token-expired: report it to clerk-claims",
            )),
            Ok(_) => Err(Fail::new(
                format!("the token was still accepted at exp + {}s", skew + 1),
                "the verifier does not enforce `exp`: report it to clerk-claims",
            )),
        }
    }
}

/// The template-token cache over its own clock: cached while fresh, still served (and refreshed
/// once in the background) inside the margin, and never an expired token past `exp`.
async fn cache_refresh(api: &ClerkApi, session: &str, template: &str) -> Measured {
    const LIFETIME: u32 = 60;
    const MARGIN: u64 = 30;
    let clock = Clock::system();
    let fail = |e: ApiError| api_fail(api, e);
    let tokens = TemplateTokens::builder(api.clone())
        .expires_in(LIFETIME)
        .refresh_margin(Duration::from_secs(MARGIN))
        .clock(clock.clone())
        .build()
        .map_err(fail)?;
    let first = tokens.get(session, template).await.map_err(fail)?;
    let again = tokens.get(session, template).await.map_err(fail)?;
    if again != first || tokens.minted() != 1 {
        return Err(Fail::new(
            format!("the cache minted {} tokens for two calls", tokens.minted()),
            "report it to clerk-claims",
        ));
    }
    // Into the margin: 1 s less than MARGIN left.
    let margin = i64::try_from(MARGIN).unwrap_or(30);
    let to_margin = first.expires_in(clock.now()) - margin + 1;
    clock.advance(Duration::from_secs(
        u64::try_from(to_margin.max(0)).unwrap_or(0),
    ));
    let stale = tokens.get(session, template).await.map_err(fail)?;
    if stale != first || stale.expires_at <= clock.now() {
        return Err(Fail::new(
            "inside the refresh margin the cache did not hand out the still-valid token",
            "report it to clerk-claims",
        ));
    }
    // The refresh runs in the background; it is a Backend API request, so wait for it (the
    // clocks only move on ours).
    for _ in 0..500 {
        if tokens.minted() >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    if tokens.minted() < 2 {
        return Err(Fail::new(
            format!("{MARGIN} s before exp the cache did not refresh within 5 s"),
            "check that the Backend API answers token requests quickly",
        ));
    }
    // Past the first token's exp.
    let past = first.expires_in(clock.now()) + 1;
    clock.advance(Duration::from_secs(u64::try_from(past.max(0)).unwrap_or(0)));
    let handed = match tokens.get(session, template).await {
        Ok(t) if t.expires_at > clock.now() => "a fresh token",
        Ok(_) => {
            return Err(Fail::new(
                "past exp the cache handed out an expired token",
                "report it to clerk-claims",
            ));
        }
        Err(ApiError::UnusableToken { .. }) => "no token (the server's would be expired too)",
        Err(e) => return Err(fail(e)),
    };
    Ok(format!(
        "the {template:?} token cache serves its token while fresh, refreshes it {MARGIN} s \
         before exp, and past exp hands out {handed}"
    ))
}

/// A string claim of a token, read without verifying.
fn claim_str(jwt: &str, name: &str) -> Option<String> {
    decode_unverified(jwt).ok().and_then(|d| {
        d.payload
            .get(name)
            .and_then(Value::as_str)
            .map(str::to_owned)
    })
}

/// A copy of `jwt` whose payload says another `sub`, with the original signature.
fn tamper(jwt: &str) -> String {
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut parts = jwt.splitn(3, '.');
    let (Some(header), Some(payload), Some(signature)) = (parts.next(), parts.next(), parts.next())
    else {
        return format!("{jwt}x");
    };
    let changed = engine
        .decode(payload)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Map<String, Value>>(&bytes).ok())
        .map(|mut claims| {
            claims.insert("sub".into(), Value::from("user_tampered"));
            engine.encode(Value::Object(claims).to_string())
        })
        .unwrap_or_else(|| format!("{payload}x"));
    format!("{header}.{changed}.{signature}")
}

/// Each claim of `template` missing from `payload` or of another type than its expression
/// gives, by claim path.
fn claim_problems(template: &JwtTemplate, payload: &Map<String, Value>) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(claims) = template.claims.as_object() {
        walk_claims("", claims, payload, &mut out);
    }
    out
}

fn walk_claims(
    prefix: &str,
    declared: &Map<String, Value>,
    actual: &Map<String, Value>,
    out: &mut Vec<String>,
) {
    for (key, decl) in declared {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        let (ty, nullable) = declared_type(decl);
        match actual.get(key) {
            None | Some(Value::Null) if nullable => {}
            None => out.push(format!("{path} is missing (expected {})", type_name(ty))),
            Some(v) if !fits(ty, v) => out.push(format!(
                "{path} is {}, expected {}",
                clerk_claims_lang::rules::json_kind(v),
                type_name(ty)
            )),
            Some(Value::Object(inner)) => {
                if let Value::Object(decl) = decl {
                    walk_claims(&path, decl, inner, out);
                }
            }
            Some(_) => {}
        }
    }
}

/// The JSON type a claim's template value renders to, and whether it may be null.
fn declared_type(value: &Value) -> (JsonType, bool) {
    match value {
        Value::String(s) => match clerk_claims_lang::parse_claim_string(s) {
            Ok(ClaimString::Whole(expr)) => (expr.json_type(), expr.can_be_null()),
            Ok(ClaimString::Static(_) | ClaimString::Interpolated(_)) => (JsonType::String, false),
            Err(_) => (JsonType::Any, true),
        },
        Value::Object(_) => (JsonType::Object, false),
        Value::Bool(_) => (JsonType::Bool, false),
        Value::Number(_) => (JsonType::Number, false),
        Value::Array(_) | Value::Null => (JsonType::Any, true),
    }
}

fn fits(ty: JsonType, v: &Value) -> bool {
    match ty {
        JsonType::String => v.is_string(),
        JsonType::Number => v.is_number(),
        JsonType::Bool => v.is_boolean(),
        JsonType::Object => v.is_object(),
        JsonType::StringArray => v.as_array().is_some_and(|a| a.iter().all(Value::is_string)),
        JsonType::Any => true,
    }
}

fn type_name(ty: JsonType) -> &'static str {
    match ty {
        JsonType::String => "a string",
        JsonType::Number => "a number",
        JsonType::Bool => "a boolean",
        JsonType::Object => "an object",
        JsonType::StringArray => "an array of strings",
        JsonType::Any => "any value",
    }
}

/// A token the Backend API minted just now, rejected: the cause and fix of
/// [`verify::advice`](clerk_claims::verify::advice), with the token's `iat` as the Backend API's
/// time (it was minted a moment ago), so a clock off on this machine is named as such.
fn fresh_rejected(session: &str, jwt: &str, issuer: &str, e: &clerk_claims::VerifyError) -> Fail {
    if e.reason() == Reason::TokenInvalidIssuer {
        // Minted here with the secret key's instance: the publishable key is another's.
        return Fail::new(
            format!("a fresh session token of {session} was rejected: {e}"),
            "CLERK_PUBLISHABLE_KEY is of another instance than CLERK_SECRET_KEY: take both \
             from Dashboard → API keys of one instance",
        );
    }
    let payload = decode_unverified(jwt).ok().map(|d| d.payload);
    let minted = payload
        .as_ref()
        .and_then(|p| p.get("iat"))
        .and_then(Value::as_i64);
    let ctx = advice::TokenContext::new(TokenKind::Session, Clock::system().now())
        .issuer(Some(issuer))
        .claims(payload.as_ref())
        .server_time(minted);
    let advice = advice::diagnose(e, &ctx);
    Fail::new(
        format!(
            "a fresh session token of {session} was rejected: {e}; cause: {}",
            advice.cause
        ),
        advice.fix,
    )
}

fn build_fail(e: clerk_claims::verify::BuildError) -> Fail {
    Fail::new(
        format!("the instance's JWKS cannot build a verifier: {e}"),
        "check that CLERK_API_URL is the Backend API of your instance",
    )
}

/// A Backend API failure as a check failure, with the fix for the usual causes.
fn api_fail(api: &ClerkApi, e: ApiError) -> Fail {
    let fix = match &e {
        ApiError::SecretKeyInvalid { .. } => advice::secret_key_refused(api.base_url()).fix,
        ApiError::Transport { .. } => format!(
            "check that CLERK_API_URL ({}) is right and reachable",
            api.base_url()
        ),
        e if e.is_not_found() => "the session or template does not exist or is no longer active: \
             `clerk-claims sessions devices --user ID` lists the sessions"
            .to_owned(),
        _ => "see the Backend API's message".to_owned(),
    };
    Fail::new(e.to_string(), fix)
}

/// Whether the second token of `session` is a new one (another token, another `jti`) and not
/// older than the first: what a refresh must give.
fn newer(
    session: &str,
    (first, a): (&str, &clerk_claims::Verified<clerk_claims::SessionClaims>),
    (second, b): (&str, &clerk_claims::Verified<clerk_claims::SessionClaims>),
) -> Measured {
    if first == second || (a.jti.is_some() && a.jti == b.jti) {
        return Err(Fail::new(
            format!(
                "the Backend API gave {session} the same token twice (jti {})",
                a.jti.as_deref().unwrap_or("none")
            ),
            "something between this host and Clerk caches `POST /v1/sessions/{id}/tokens`: \
             let Backend API requests through uncached",
        ));
    }
    if b.iat < a.iat || b.exp < a.exp {
        return Err(Fail::new(
            format!(
                "the second token is older: iat {:?} → {:?}, exp {} → {}",
                a.iat, b.iat, a.exp, b.exp
            ),
            "the Backend API's clock went back: check the host's time (NTP)",
        ));
    }
    Ok(format!(
        "a second token of {session} is a new one (jti {} → {}), verifies and is not older \
         (exp {} → {})",
        a.jti.as_deref().unwrap_or("none"),
        b.jti.as_deref().unwrap_or("none"),
        a.exp,
        b.exp
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn template(claims: Value) -> JwtTemplate {
        JwtTemplate {
            name: "t".into(),
            claims,
            lifetime: 60,
            allowed_clock_skew: 5,
            signing_algorithm: None,
            session_token: false,
        }
    }

    fn object(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn claims_of_the_declared_type_pass_and_nullable_ones_may_be_absent() {
        let t = template(json!({
            "email": "{{user.primary_email_address}}",
            "plan": "{{user.public_metadata.plan || 'free'}}",
            "name": "{{user.first_name}} {{user.last_name}}",
            "aud": "authenticated",
            "nested": {"id": "{{user.id}}"}
        }));
        let payload = object(json!({
            "plan": "pro", "name": "Alice A", "aud": "authenticated", "nested": {"id": "user_1"}
        }));
        assert_eq!(claim_problems(&t, &payload), Vec::<String>::new());
    }

    #[test]
    fn a_missing_claim_and_a_claim_of_another_type_are_named_by_path() {
        let t = template(json!({"aud": "authenticated", "nested": {"id": "{{user.id}}"}}));
        let payload = object(json!({"nested": {"id": 7}}));
        assert_eq!(
            claim_problems(&t, &payload),
            [
                "aud is missing (expected a string)",
                "nested.id is a number, expected a string"
            ]
        );
    }

    #[test]
    fn a_tampered_copy_keeps_header_and_signature_and_changes_the_payload() {
        let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let payload = engine.encode(r#"{"sub":"user_1"}"#);
        let jwt = format!("h.{payload}.s");
        let copy = tamper(&jwt);
        let parts: Vec<&str> = copy.split('.').collect();
        assert_eq!((parts[0], parts[2]), ("h", "s"));
        assert_ne!(parts[1], payload);
    }

    async fn verified(
        issuer: &clerk_claims::testing::issuer::TestIssuer,
        token: &str,
    ) -> clerk_claims::Verified<clerk_claims::SessionClaims> {
        let verifier = issuer.verifier();
        verifier
            .verify_session(token)
            .await
            .expect("the issuer's token verifies")
    }

    #[tokio::test]
    async fn refresh_fails_when_the_second_token_is_the_first_one_again() {
        let issuer = clerk_claims::testing::issuer::TestIssuer::new();
        let token = issuer.session().user("user_2alice").mint();
        let a = verified(&issuer, &token).await;
        let fail = newer("sess_1", (&token, &a), (&token, &a)).expect_err("the same token");
        assert!(
            fail.measured.contains("the same token twice"),
            "{}",
            fail.measured
        );
        assert!(fail.fix.contains("caches"), "{}", fail.fix);

        let other = issuer.session().user("user_2alice").mint();
        let b = verified(&issuer, &other).await;
        let measured = newer("sess_1", (&token, &a), (&other, &b)).expect("a new token");
        assert!(measured.contains("is a new one"), "{measured}");
    }
}
