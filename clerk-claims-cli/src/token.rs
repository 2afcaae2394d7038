//! `clerk-claims token inspect`: verify (or only decode) a Clerk token and explain it: who,
//! which session, which organization and role, permissions, expiry, and for a rejected token
//! Clerk's reason and what to do about it.
//!
//! Exit status: 0 the token is fine and every `--has` check passes; 1 the token is rejected or
//! malformed; 2 usage error; 3 a check failed.

use std::fmt::Write as _;
use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clerk_claims::api::{ClerkApi, SessionStatus};
use clerk_claims::authorize::{Has, HasParseError};
use clerk_claims::jwks::JwkSet;
use clerk_claims::session::{AuthObject, SessionClaims, SessionError};
use clerk_claims::source::PublishableKey;
use clerk_claims::verify::advice::{
    Diagnosis, TokenContext, diagnose, expiring_soon, foreign_issuer,
    issued_before_template_update, session_not_active,
};
use clerk_claims::verify::{BuildError, ClerkEnv, TokenKind, Unverified, decode_unverified};
use clerk_claims::{Reason, Verifier, VerifyError};
use serde_json::{Map, Value, json};

/// Exit status: the token is fine and every check passes.
pub const EXIT_OK: u8 = 0;
/// Exit status: the token is rejected or malformed.
pub const EXIT_REJECTED: u8 = 1;
/// Exit status: the arguments or the configuration are unusable.
pub const EXIT_USAGE: u8 = 2;
/// Exit status: the token is fine but a `--has` check failed.
pub const EXIT_CHECK_FAILED: u8 = 3;

/// Verify (or only decode) a Clerk token and explain it: `token inspect`'s arguments.
#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Keys are also read from the environment, as Verifier::from_env() reads it: \
    CLERK_JWT_KEY (PEM), CLERK_SECRET_KEY with CLERK_API_URL (Backend API JWKS), \
    CLERK_PUBLISHABLE_KEY (Frontend API JWKS and issuer). Flags win over the environment. \
    With CLERK_SECRET_KEY, the Backend API's time (its Date header) tells a clock off from a \
    rejected token's times, and the session's status now is shown beside the token's.\n\n\
    --json: {verified, error: {reason, message, cause, fix} | null, header, claims, auth, \
    checks, expires_in_s, notes: [{cause, fix}], session_status}. `cause` says why (a token of \
    another instance is named first, then a clock off, then the reason's own cause); `fix` what \
    to do. `notes` hold advice on a token that is not rejected: another instance's token \
    (--no-verify), a few seconds left, a session no longer active, a template updated since.\n\n\
    Exit status: 0 token fine and every check passes, 1 token rejected or malformed, \
    2 usage error, 3 a check failed."
)]
pub struct InspectArgs {
    /// The token; `-` or nothing reads it from standard input. A leading `Bearer ` is dropped
    /// (with a note: `Verifier::verify` itself takes the token alone).
    #[arg(value_name = "TOKEN|-")]
    pub token: Option<String>,
    /// Verify with this PEM public key (as `CLERK_JWT_KEY` holds it).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["jwks", "jwks_url"])]
    pub pem: Option<PathBuf>,
    /// Verify with this JWKS document.
    #[arg(long, value_name = "FILE", conflicts_with = "jwks_url")]
    pub jwks: Option<PathBuf>,
    /// Verify with the keys served at this JWKS URL.
    #[arg(long, value_name = "URL")]
    pub jwks_url: Option<String>,
    /// Decode and explain without checking the signature or any claim.
    #[arg(long, conflicts_with_all = ["pem", "jwks", "jwks_url", "issuer", "authorized_parties", "audience", "clock_skew"])]
    pub no_verify: bool,
    /// Require this issuer (`iss`); by default the one of CLERK_PUBLISHABLE_KEY, if set.
    #[arg(long, value_name = "ISS")]
    pub issuer: Option<String>,
    /// Accept this authorized party (`azp`); repeat for several. When given, `azp` is required.
    #[arg(long = "authorized-party", value_name = "AZP")]
    pub authorized_parties: Vec<String>,
    /// Require this audience (checked when the token has an `aud`).
    #[arg(long, value_name = "AUD")]
    pub audience: Option<String>,
    /// Allowed clock skew in seconds for `exp`, `nbf` and `iat` (default 5).
    #[arg(long, value_name = "SECS")]
    pub clock_skew: Option<u64>,
    /// Inspect as of this time (Unix seconds) instead of now.
    #[arg(long, value_name = "UNIX_SECONDS", allow_negative_numbers = true)]
    pub now: Option<i64>,
    /// The token is a JWT-template token (`getToken({ template })`), not a session token.
    #[arg(long)]
    pub template: bool,
    /// The token is a token of this JWT template (implies --template): the advice names it,
    /// and with CLERK_SECRET_KEY a token issued before the template's last update (`iat` before
    /// its `updated_at`) gets a note: it carries the old claims.
    #[arg(long, value_name = "NAME", conflicts_with = "has")]
    pub template_name: Option<String>,
    /// A `has()` check on a session token (not with --template): `key=value` pairs joined by
    /// commas (role, permission, feature, plan, reverification), e.g.
    /// `role=org:admin,permission=org:invoices:read`. Repeatable.
    #[arg(long = "has", value_name = "CHECK", value_parser = parse_check)]
    pub has: Vec<Check>,
    /// Print one JSON object instead of the readable report.
    #[arg(long)]
    pub json: bool,
}

/// One `--has` argument: the text as given and the parsed check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// The argument as given.
    pub text: String,
    /// The parsed check.
    pub has: Has,
}

fn parse_check(text: &str) -> Result<Check, HasParseError> {
    Ok(Check {
        text: text.to_owned(),
        has: text.parse()?,
    })
}

/// Runs `token inspect`, printing to stdout (report) and stderr (usage errors).
///
/// Callable from synchronous and asynchronous code alike: the verification runs on its own
/// thread with its own single-threaded runtime, so calling this inside `#[tokio::main]` does
/// not hit tokio's "runtime within a runtime" panic.
pub fn inspect(args: InspectArgs) -> ExitCode {
    let code = std::thread::scope(|scope| {
        scope
            .spawn(|| {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build();
                match runtime {
                    Ok(runtime) => {
                        runtime.block_on(run(args, &mut io::stdout(), &mut io::stderr()))
                    }
                    Err(e) => {
                        eprintln!("error: cannot start the async runtime: {e}");
                        EXIT_USAGE
                    }
                }
            })
            .join()
            .unwrap_or(EXIT_REJECTED)
    });
    ExitCode::from(code)
}

/// Runs `token inspect` writing to `out` and `err`; returns the exit status.
pub async fn run(args: InspectArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    if args.template && !args.has.is_empty() {
        let _ = writeln!(err, "error: {TEMPLATE_HAS}");
        return EXIT_USAGE;
    }
    let token = match read_token(args.token.as_deref()) {
        Ok(token) => token,
        Err(message) => {
            let _ = writeln!(err, "error: {message}");
            return EXIT_USAGE;
        }
    };
    let token = match strip_bearer(&token) {
        Some(bare) => {
            let _ = writeln!(
                err,
                "note: dropped the leading `Bearer `: the token is what follows it (Verifier::verify \
                 takes the token alone, as it comes out of the Authorization header)"
            );
            bare.to_owned()
        }
        None => token,
    };
    let report = match examine(&args, &token).await {
        Ok(report) => report,
        Err(message) => {
            let _ = writeln!(err, "error: {message}");
            return EXIT_USAGE;
        }
    };
    let printed = if args.json {
        serde_json::to_writer_pretty(&mut *out, &report.to_json())
            .map_err(io::Error::other)
            .and_then(|()| writeln!(out))
    } else {
        out.write_all(report.to_human().as_bytes())
    };
    if let Err(e) = printed {
        let _ = writeln!(err, "error: cannot write the report: {e}");
    }
    report.exit_code()
}

fn read_token(arg: Option<&str>) -> Result<String, String> {
    let raw = match arg {
        Some(token) if token != "-" => token.to_owned(),
        _ => {
            let mut text = String::new();
            io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| format!("cannot read the token from standard input: {e}"))?;
            text
        }
    };
    Ok(raw.trim().to_owned())
}

/// The token after a leading `Bearer ` (any case), when there is one.
fn strip_bearer(token: &str) -> Option<&str> {
    let (scheme, rest) = token.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
}

/// Why `--has` and `--template` do not go together.
const TEMPLATE_HAS: &str = "--has cannot check a JWT-template token (--template): has() reads \
    the claims of Clerk's session token (o.rol, o.per, fea, pla, fva), and a template token \
    carries whatever claims its template declares. Drop --has to inspect the template token; \
    check its roles and permissions in code with the derive's require_role / \
    require_permission, or run --has on a session token of the same session \
    (`clerk-claims sessions token SESSION_ID`).";

/// Clerk's action text for tokens that are not what they should be.
const ENSURE_CLERK_JWT: &str = "Make sure that this is a valid Clerk-generated JWT.";

/// A rejection: Clerk's reason code, the message, the cause and what to do.
struct Rejection {
    reason: Reason,
    message: String,
    cause: Option<String>,
    action: String,
}

impl Rejection {
    fn from_verify(e: &VerifyError, args: &InspectArgs, ctx: &TokenContext<'_>) -> Self {
        // The cause and the fix are the library's (`verify::advice`), shared with `request
        // inspect` and `doctor`; the flag of this command that would change the answer follows.
        let advice = diagnose(e, ctx);
        let action = match hint(e.reason(), args, ctx) {
            Some(hint) => format!("{}. {hint}", advice.fix),
            None => advice.fix,
        };
        Self {
            reason: e.reason(),
            message: e.to_string(),
            cause: Some(advice.cause),
            action,
        }
    }
}

/// The flag of this command that changes the answer, for the reasons where there is one.
fn hint(reason: Reason, args: &InspectArgs, ctx: &TokenContext<'_>) -> Option<String> {
    let claim = |name: &str| ctx_claim(ctx, name);
    Some(match reason {
        Reason::TokenExpired => format!(
            "To inspect it as of its issue time: --now {}",
            claim("iat")?
        ),
        Reason::TokenNotActiveYet | Reason::TokenIatInTheFuture => {
            "--now or --clock-skew SECS inspects it at another time or with more drift".to_owned()
        }
        Reason::TokenInvalidAuthorizedParties => match claim("azp") {
            Some(azp) => format!("In this command: --authorized-party {azp}"),
            None => "In this command: drop --authorized-party to inspect it anyway".to_owned(),
        },
        Reason::TokenTypeMismatch if args.template || args.template_name.is_some() => {
            "In this command: drop --template / --template-name".to_owned()
        }
        Reason::TokenTypeMismatch => "In this command: add --template".to_owned(),
        Reason::TokenInvalidIssuer => format!(
            "In this command: --issuer {} if that instance is yours",
            claim("iss")?
        ),
        Reason::JwkFailedToResolve => {
            "Pass --pem, --jwks or --jwks-url, or set CLERK_JWT_KEY, CLERK_SECRET_KEY or \
             CLERK_PUBLISHABLE_KEY; --no-verify decodes without a key"
                .to_owned()
        }
        _ => return None,
    })
}

/// A claim of the context's token as text (strings as they are, numbers written out).
fn ctx_claim(ctx: &TokenContext<'_>, name: &str) -> Option<String> {
    match ctx.claim(name)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The issuer of the configured instance: `--issuer`, else CLERK_PUBLISHABLE_KEY's.
fn configured_issuer(args: &InspectArgs) -> Option<String> {
    if let Some(issuer) = &args.issuer {
        return Some(issuer.clone());
    }
    let env = ClerkEnv::from_env().ok()?;
    PublishableKey::parse(env.publishable_key.as_deref()?)
        .ok()
        .map(|pk| pk.issuer())
}

/// With `--template-name` and a Backend API: the note for a token issued before the template's
/// last update.
async fn template_drift(args: &InspectArgs, decoded: Option<&Unverified>) -> Option<Diagnosis> {
    let name = args.template_name.as_deref()?;
    let iat = decoded?.payload.get("iat")?;
    let iat = iat
        .as_i64()
        .or_else(|| iat.as_f64().filter(|f| f.is_finite()).map(|f| f as i64))?;
    let template = ClerkApi::from_env()
        .ok()?
        .find_template_by_name(name)
        .await
        .ok()??;
    // Whole seconds on both sides: only a token surely older than the update is flagged.
    issued_before_template_update(name, iat, template.updated_at.div_euclid(1000))
}

/// The Backend API's time, when CLERK_SECRET_KEY names one: the reference a token's times are
/// compared with.
async fn server_time() -> Option<i64> {
    ClerkApi::from_env().ok()?.server_time().await
}

/// Everything the command found out about one token.
struct Report {
    kind: TokenKind,
    no_verify: bool,
    verified: bool,
    rejection: Option<Rejection>,
    decoded: Option<Unverified>,
    session: Result<SessionClaims, String>,
    checks: Vec<(String, bool)>,
    now: i64,
    /// Advice beside the verdict: expiring within the refresh margin, a session no longer
    /// active.
    notes: Vec<Diagnosis>,
    /// The session's status by the Backend API, when one is configured.
    session_now: Option<SessionStatus>,
}

/// Why no verifier could be built: a usage error, or (a JWKS without a usable key) a
/// rejection of the token, as Clerk would reject it against that key set.
enum NoVerifier {
    Usage(String),
    Rejected(VerifyError),
}

fn build_verifier(
    args: &InspectArgs,
    decoded: Option<&Unverified>,
) -> Result<Verifier, NoVerifier> {
    let usage = NoVerifier::Usage;
    // The environment as `Verifier::from_env` reads it; a key flag wins over its keys (the
    // publishable key still gives the issuer).
    let mut env = ClerkEnv::from_env().map_err(|e| usage(e.to_string()))?;
    if args.pem.is_some() || args.jwks.is_some() || args.jwks_url.is_some() {
        env.jwt_key = None;
        env.secret_key = None;
    }
    let mut builder = env.apply(Verifier::builder());
    if let Some(path) = &args.pem {
        let pem = std::fs::read_to_string(path)
            .map_err(|e| usage(format!("cannot read the PEM key {}: {e}", path.display())))?;
        builder = builder.pem(pem);
    } else if let Some(path) = &args.jwks {
        let jwks = std::fs::read_to_string(path)
            .map_err(|e| usage(format!("cannot read the JWKS {}: {e}", path.display())))?;
        builder = builder.jwks_json(jwks);
    } else if let Some(url) = &args.jwks_url {
        builder = builder.jwks_url(url);
    }
    if let Some(issuer) = &args.issuer {
        builder = builder.issuer(issuer);
    }
    if !args.authorized_parties.is_empty() {
        builder = builder.authorized_parties(args.authorized_parties.iter().cloned());
    }
    if let Some(audience) = &args.audience {
        builder = builder.audience([audience.clone()]);
    }
    if let Some(secs) = args.clock_skew {
        builder = builder.clock_skew(Duration::from_secs(secs));
    }
    if let Some(now) = args.now {
        builder = builder.now(now);
    }
    let jwks_file = args
        .jwks
        .as_ref()
        .and_then(|p| std::fs::read_to_string(p).ok());
    builder.build().map_err(|e| match e {
        BuildError::EmptyJwks { .. } => NoVerifier::Rejected(no_usable_key(
            jwks_file.as_deref(),
            decoded
                .and_then(|d| d.header.get("kid"))
                .and_then(Value::as_str),
        )),
        e => usage(format!(
            "cannot verify: {e}. Pass --pem, --jwks or --jwks-url, or set CLERK_JWT_KEY, \
             CLERK_SECRET_KEY or CLERK_PUBLISHABLE_KEY; --no-verify decodes without checking"
        )),
    })
}

/// The rejection of a token against a JWKS that holds no usable key: Clerk finds the kid's key
/// and fails to use it (`token-verification-failed`), or finds none (`jwk-kid-mismatch`).
fn no_usable_key(jwks: Option<&str>, kid: Option<&str>) -> VerifyError {
    let left_out = jwks
        .and_then(|json| JwkSet::from_json(json).ok())
        .and_then(|set| {
            set.ignored()
                .iter()
                .find(|i| i.kid.is_some() && i.kid.as_deref() == kid)
                .map(|i| i.reason.to_string())
        });
    match left_out {
        Some(why) => VerifyError::KeyUnusable {
            kid: kid.map(str::to_owned),
            why,
        },
        None => VerifyError::KidMismatch {
            kid: kid.map(str::to_owned),
            ambiguous: false,
        },
    }
}

/// The verifier's rejection of a payload whose session shape fails on `misfit`, where the
/// verifier checks that claim's type too: `sub`, `iss`, `jti`, `sid` (strings), `azp` (a
/// string, `token-invalid-authorized-parties`), `exp` (required), `iat`, `nbf` (numbers). The
/// reason is the library's ([`VerifyError::reason`]); `None` for any other claim.
fn as_verification_rejects(misfit: &SessionError) -> Option<VerifyError> {
    let (claim, expected, found) = match misfit {
        SessionError::MissingClaim { claim, expected } => {
            (*claim, *expected, "no such claim".to_owned())
        }
        SessionError::InvalidClaim {
            claim,
            expected,
            found,
        } => (*claim, *expected, found.clone()),
        _ => return None,
    };
    match claim {
        "azp" => Some(VerifyError::AuthorizedParty {
            expected: Vec::new(),
            found: Some(found),
        }),
        "sub" | "iss" | "jti" | "sid" | "exp" | "iat" | "nbf" => Some(VerifyError::Claim {
            claim,
            expected,
            found,
        }),
        _ => None,
    }
}

/// Verifies (unless `--no-verify`) and decodes; `Err` is a usage error.
async fn examine(args: &InspectArgs, token: &str) -> Result<Report, String> {
    let kind = if args.template || args.template_name.is_some() {
        TokenKind::Template
    } else {
        TokenKind::Session
    };
    let now = args
        .now
        .unwrap_or_else(|| clerk_claims::Clock::system().now());
    let decoded = decode_unverified(token);
    let mut verified = false;
    let mut rejection = None;
    if args.no_verify || token.is_empty() {
        // An empty token is a token Clerk rejects, whatever the keys.
        if let Err(e) = &decoded {
            rejection = Some(Rejection {
                reason: e.reason(),
                message: e.to_string(),
                cause: None,
                action: ENSURE_CLERK_JWT.to_owned(),
            });
        }
    } else {
        let payload = decoded.as_ref().ok().map(|d| &d.payload);
        let outcome = match build_verifier(args, decoded.as_ref().ok()) {
            Ok(verifier) => verifier.verify_payload(token, kind).await.map(|_| ()),
            Err(NoVerifier::Rejected(e)) => Err(e),
            Err(NoVerifier::Usage(message)) => return Err(message),
        };
        match outcome {
            Ok(()) => verified = true,
            Err(e) => {
                let timed = matches!(
                    e.reason(),
                    Reason::TokenExpired | Reason::TokenNotActiveYet | Reason::TokenIatInTheFuture
                );
                let server = if timed { server_time().await } else { None };
                let issuer = configured_issuer(args);
                let ctx = TokenContext::new(kind, now)
                    .issuer(issuer.as_deref())
                    .claims(payload)
                    .server_time(server)
                    .template(args.template_name.as_deref());
                rejection = Some(Rejection::from_verify(&e, args, &ctx));
            }
        }
    }
    let decoded = decoded.ok();
    let session = decoded
        .as_ref()
        .map(|d| SessionClaims::from_payload(&d.payload));
    // A session token whose payload is not Clerk's session shape is rejected: with the
    // verifier's reason where the verifier checks that claim too (so `--no-verify` says what
    // verifying would), as a claims misfit otherwise; a template token's claims are the
    // template's business.
    if let (Some(Err(e)), TokenKind::Session, None) = (&session, kind, &rejection) {
        verified = false;
        let message = format!("not a Clerk session token: {e}");
        rejection = Some(match as_verification_rejects(e) {
            Some(verify) => Rejection {
                reason: verify.reason(),
                message,
                cause: None,
                action: verify.action().to_owned(),
            },
            None => Rejection {
                reason: Reason::ClaimsMismatch,
                message,
                cause: Some(
                    "the payload is not Clerk's session token shape: a JWT-template token, or \
                     a JWT of another issuer"
                        .to_owned(),
                ),
                action: "Inspect JWT-template tokens with --template.".to_owned(),
            },
        });
    }
    let session = match session {
        Some(claims) => claims.map_err(|e| e.to_string()),
        None => Err("the token could not be decoded".to_owned()),
    };
    let auth = session.as_ref().ok().map(SessionClaims::auth);
    let checks = args
        .has
        .iter()
        .map(|c| (c.text.clone(), auth.is_some_and(|a| a.has(&c.has))))
        .collect();
    let mut notes: Vec<Diagnosis> = match (&rejection, &decoded) {
        (None, Some(d)) => expiring_soon(kind, &d.payload, now, None)
            .into_iter()
            .collect(),
        _ => Vec::new(),
    };
    // The session's status now, from the Backend API when a secret key names one: the token's
    // `sts` is its status when issued.
    let sid = session
        .as_ref()
        .ok()
        .and_then(|c| c.session_id().map(str::to_owned));
    let session_now = match (&sid, ClerkApi::from_env()) {
        (Some(sid), Ok(api)) => api.get_session(sid).await.ok().map(|s| s.status),
        _ => None,
    };
    // A token of another instance is said first, even when not verified (--no-verify).
    let foreign = rejection.is_none().then(|| {
        let iss = decoded.as_ref()?.payload.get("iss")?.as_str()?;
        foreign_issuer(&configured_issuer(args)?, iss)
    });
    if let Some(Some(foreign)) = foreign {
        notes.insert(0, foreign);
    }
    if let Some(note) = template_drift(args, decoded.as_ref()).await {
        notes.push(note);
    }
    if let (Some(sid), Some(status)) = (&sid, session_now)
        && status != SessionStatus::Active
    {
        notes.push(session_not_active(sid, status.as_str()));
    }
    Ok(Report {
        kind,
        no_verify: args.no_verify,
        verified,
        rejection,
        decoded,
        session,
        notes,
        session_now,
        checks,
        now,
    })
}

impl Report {
    fn exit_code(&self) -> u8 {
        if self.rejection.is_some() {
            EXIT_REJECTED
        } else if self.checks.iter().any(|(_, pass)| !pass) {
            EXIT_CHECK_FAILED
        } else {
            EXIT_OK
        }
    }

    /// The auth object: the session's, or for a decodable token that is no session token
    /// (no `sub`, …) one of nulls, so the report still explains it.
    fn auth(&self) -> Option<AuthObject> {
        match (&self.session, &self.decoded) {
            (Ok(claims), _) => Some(claims.auth().clone()),
            (Err(_), Some(_)) if self.kind == TokenKind::Session => Some(AuthObject::default()),
            _ => None,
        }
    }

    fn exp(&self) -> Option<i64> {
        let exp = self.decoded.as_ref()?.payload.get("exp")?;
        // Truncating a fractional NumericDate is what the verifier does too.
        exp.as_i64()
            .or_else(|| exp.as_f64().filter(|f| f.is_finite()).map(|f| f as i64))
    }

    fn expires_in(&self) -> Option<i64> {
        self.exp().map(|exp| exp.saturating_sub(self.now))
    }

    fn to_json(&self) -> Value {
        json!({
            "verified": self.verified,
            "error": self.rejection.as_ref().map(|r| json!({"reason": r.reason, "message": r.message, "cause": r.cause, "fix": r.action})),
            "header": self.decoded.as_ref().map(|d| Value::Object(d.header.clone())),
            "claims": self.decoded.as_ref().map(|d| Value::Object(d.payload.clone())),
            "auth": self.auth(),
            "checks": self.checks.iter().map(|(check, pass)| json!({"check": check, "pass": pass})).collect::<Vec<_>>(),
            "expires_in_s": self.expires_in(),
            "notes": self.notes,
            "session_status": self.session_now.map(|s| s.as_str()),
        })
    }

    fn to_human(&self) -> String {
        let mut s = String::new();
        let what = match self.kind {
            TokenKind::Session => "Session token",
            TokenKind::Template => "JWT-template token",
        };
        let status = match (&self.rejection, self.verified, self.no_verify) {
            (Some(r), _, _) => format!("REJECTED ({})", r.reason),
            (None, true, _) => "verified".to_owned(),
            (None, _, true) => {
                "NOT VERIFIED (--no-verify: signature and claims not checked)".to_owned()
            }
            (None, false, false) => "not verified".to_owned(),
        };
        let _ = writeln!(s, "{what}: {status}");
        let row = |s: &mut String, label: &str, value: &str| {
            let _ = writeln!(s, "  {label:<13}{value}");
        };
        match (&self.session, &self.decoded) {
            (Ok(claims), _) => self.describe_session(&mut s, claims, row),
            (Err(why), Some(_)) if self.kind == TokenKind::Session => row(&mut s, "claims", why),
            _ => {}
        }
        if let Some(decoded) = &self.decoded {
            let payload = &decoded.payload;
            if self.session.is_err() {
                for (label, claim) in [("user", "sub"), ("session", "sid"), ("issuer", "iss")] {
                    if let Some(v) = payload.get(claim).and_then(Value::as_str) {
                        row(&mut s, label, v);
                    }
                }
            }
            if let Some(exp) = self.exp() {
                row(&mut s, "expires", &expiry(exp, self.now, self.no_verify));
            }
            let custom: Map<String, Value> = match &self.session {
                Ok(claims) => claims.custom_claims().clone(),
                Err(_) => payload.clone(),
            };
            if !custom.is_empty() {
                let label = if self.session.is_ok() {
                    "custom claims"
                } else {
                    "claims"
                };
                let text = serde_json::to_string_pretty(&custom).unwrap_or_default();
                let _ = writeln!(s, "  {label}:");
                for line in text.lines() {
                    let _ = writeln!(s, "    {line}");
                }
            }
            let alg = decoded
                .header
                .get("alg")
                .and_then(Value::as_str)
                .unwrap_or("?");
            let kid = decoded
                .header
                .get("kid")
                .and_then(Value::as_str)
                .unwrap_or("none");
            row(&mut s, "key", &format!("{alg}, kid {kid}"));
        }
        if !self.checks.is_empty() {
            let _ = writeln!(s, "checks:");
            for (check, pass) in &self.checks {
                let _ = writeln!(s, "  {}  {check}", if *pass { "pass" } else { "FAIL" });
            }
        }
        for note in &self.notes {
            let _ = writeln!(s, "note: {}", note.cause);
            let _ = writeln!(s, "  what to do: {}", note.fix);
        }
        if let Some(r) = &self.rejection {
            let _ = writeln!(s, "rejected: {}", r.reason);
            let _ = writeln!(s, "  {}", r.message);
            if let Some(cause) = &r.cause {
                let _ = writeln!(s, "  cause: {cause}");
            }
            let _ = writeln!(s, "  what to do: {}", r.action);
        }
        s
    }

    fn describe_session(
        &self,
        s: &mut String,
        claims: &SessionClaims,
        row: impl Fn(&mut String, &str, &str),
    ) {
        let auth = claims.auth();
        row(s, "user", claims.user_id());
        if let Some(actor) = &auth.actor {
            let via = actor
                .sid
                .as_deref()
                .map(|sid| format!(" (session {sid})"))
                .unwrap_or_default();
            row(s, "actor", &format!("impersonated by {}{via}", actor.sub));
        }
        if let Some(sid) = claims.session_id() {
            let issued = auth
                .session_status
                .as_deref()
                .map(|st| format!("{st} when issued"));
            let now = self.session_now.map(|st| format!("{} now", st.as_str()));
            let status = match (now, issued) {
                (Some(now), Some(issued)) => format!(" ({now}; {issued})"),
                (Some(one), None) | (None, Some(one)) => format!(" ({one})"),
                (None, None) => String::new(),
            };
            row(s, "session", &format!("{sid}{status}"));
        }
        if auth.is_pending() {
            row(
                s,
                "",
                "pending sessions count as signed out in Clerk's SDKs",
            );
        }
        match &auth.org_id {
            Some(org) => {
                let slug = auth
                    .org_slug
                    .as_deref()
                    .map(|slug| format!(" ({slug})"))
                    .unwrap_or_default();
                let role = auth.org_role.as_deref().unwrap_or("no role");
                row(s, "organization", &format!("{org}{slug}, role {role}"));
                let permissions = match auth.org_permissions.as_deref() {
                    Some([]) | None => "none".to_owned(),
                    Some(list) => list.join(", "),
                };
                row(s, "permissions", &permissions);
            }
            None => row(s, "organization", "none active"),
        }
        for (label, value) in [("features", &auth.features), ("plans", &auth.plans)] {
            if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
                row(
                    s,
                    label,
                    &value
                        .split(',')
                        .map(str::trim)
                        .collect::<Vec<_>>()
                        .join(", "),
                );
            }
        }
        if let Some([first, second]) = auth.factor_verification_age {
            let age = |minutes: i64| match minutes {
                -1 => "never".to_owned(),
                m => format!("{} ago", duration(m.saturating_mul(60))),
            };
            row(
                s,
                "factors",
                &format!("first {}, second {}", age(first), age(second)),
            );
        }
        if let Some(iss) = claims.issuer() {
            row(s, "issuer", iss);
        }
        if let Some(azp) = claims.authorized_party() {
            row(s, "from", azp);
        }
        if let Some(iat) = claims.issued_at() {
            row(s, "issued", &utc(iat));
        }
    }
}

fn expiry(exp: i64, now: i64, no_verify: bool) -> String {
    let left = exp.saturating_sub(now);
    let when = if left > 0 {
        format!("in {}", duration(left))
    } else {
        format!("expired {} ago", duration(left.saturating_neg()))
    };
    let note = if no_verify && left <= 0 {
        " (not checked: --no-verify)"
    } else {
        ""
    };
    format!("{} — {when}{note}", utc(exp))
}

/// `1d 2h 3m 4s`, leaving out leading zero units.
fn duration(secs: i64) -> String {
    let secs = secs.max(0);
    let (d, h, m, s) = (secs / 86_400, secs / 3600 % 24, secs / 60 % 60, secs % 60);
    let mut out = String::new();
    for (value, unit) in [(d, "d"), (h, "h"), (m, "m")] {
        if value > 0 || !out.is_empty() {
            let _ = write!(out, "{value}{unit} ");
        }
    }
    let _ = write!(out, "{s}s");
    out
}

/// Unix seconds as `YYYY-MM-DD HH:MM:SS UTC`.
///
/// Hand-written (Howard Hinnant's `civil_from_days`) rather than adding a date crate to the
/// CLI for one line of output.
fn utc(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        args: InspectArgs,
    }

    fn parse(argv: &[&str]) -> Result<InspectArgs, clap::Error> {
        Cli::try_parse_from(std::iter::once("inspect").chain(argv.iter().copied())).map(|c| c.args)
    }

    #[test]
    fn flags_of_the_contract_parse() {
        let args = parse(&[
            "tok",
            "--jwks",
            "k.json",
            "--issuer",
            "https://i",
            "--authorized-party",
            "https://a",
            "--authorized-party",
            "https://b",
            "--audience",
            "api",
            "--clock-skew",
            "0",
            "--now",
            "1666648250",
            "--template",
            "--has",
            "role=org:admin,plan=pro",
            "--has",
            "reverification=second_factor/10",
            "--json",
        ])
        .unwrap();
        assert_eq!(args.token.as_deref(), Some("tok"));
        assert_eq!(args.authorized_parties, ["https://a", "https://b"]);
        assert_eq!(args.now, Some(1_666_648_250));
        assert_eq!(args.has.len(), 2);
        assert_eq!(args.has[0].text, "role=org:admin,plan=pro");
        assert!(args.template && args.json);
    }

    #[test]
    fn bad_has_syntax_and_conflicting_keys_are_usage_errors() {
        for argv in [
            &["t", "--has", "rol=x"][..],
            &["t", "--no-verify", "--pem", "k.pem"],
            &["t", "--jwks", "a", "--jwks-url", "http://x"],
        ] {
            let err = parse(argv).err().map(|e| e.exit_code());
            assert_eq!(err, Some(2), "{argv:?}");
        }
    }

    #[test]
    fn utc_formats_known_instants() {
        assert_eq!(utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc(1_666_648_310), "2022-10-24 21:51:50 UTC");
        assert_eq!(utc(4_102_444_800), "2100-01-01 00:00:00 UTC");
        assert_eq!(utc(-1), "1969-12-31 23:59:59 UTC");
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(5), "5s");
        assert_eq!(duration(65), "1m 5s");
        assert_eq!(duration(3600), "1h 0m 0s");
        assert_eq!(duration(90_061), "1d 1h 1m 1s");
    }

    #[test]
    fn garbage_does_not_decode() {
        for token in ["", "a.b", "a.b.c", "e30.bm90anNvbg.x", "e30.WzFd.x"] {
            assert!(decode_unverified(token).is_err(), "{token:?}");
        }
        let ok = decode_unverified("e30.eyJzdWIiOiJ1In0.sig").unwrap();
        assert_eq!(ok.payload.get("sub"), Some(&json!("u")));
    }
}
