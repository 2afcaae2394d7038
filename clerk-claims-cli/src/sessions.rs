//! `clerk-claims sessions list --user ID | devices --user ID | revoke ID | revoke-others
//! --user ID --keep ID | end ID | token ID [--template NAME]`, and `jwks`.

use clerk_claims::Clock;
use clerk_claims::api::{ApiError, Session, SessionListParams, SessionStatus, UnixMillis};
use clerk_claims::testing::fake::end_session_over_http;
use serde::Serialize;

use crate::config::ApiArgs;
use crate::error::CliError;
use crate::output::{self, BAD, Cell, DIM, GOOD, PLAIN};

/// `sessions list --user ID`: one line per session, newest first (or JSON).
pub async fn list(
    user: &str,
    status: Option<&str>,
    limit: Option<u32>,
    offset: Option<u32>,
    json: bool,
    api: &ApiArgs,
) -> Result<String, CliError> {
    let status = match status {
        None => None,
        Some(s) => Some(SessionStatus::from_wire(s).ok_or_else(|| {
            CliError::Usage(format!(
                "--status: expected one of active, revoked, ended, expired, removed, \
                 abandoned, replaced; found {s:?}"
            ))
        })?),
    };
    let params = SessionListParams {
        user_id: Some(user.to_owned()),
        status,
        limit,
        offset,
        ..SessionListParams::default()
    };
    let page = api.client()?.list_sessions(&params).await?;
    if json {
        return serde_json::to_string_pretty(&page).map_err(|e| CliError::Rejected(e.to_string()));
    }
    let mut out = format!(
        "{} of {} session(s) of {user}\n",
        page.data.len(),
        page.total_count
    );
    let org = |s: &Session| {
        format!(
            "org={}",
            s.last_active_organization_id.as_deref().unwrap_or("-")
        )
    };
    let id_width = page.data.iter().map(|s| s.id.len()).max().unwrap_or(0);
    let org_width = page.data.iter().map(|s| org(s).len()).max().unwrap_or(0);
    for s in &page.data {
        out.push_str(&format!(
            "{:<id_width$}  {:<9}  {:<org_width$}  client={}{}\n",
            s.id,
            s.status.as_str(),
            org(s),
            s.client_id,
            if s.actor.is_some() {
                "  (impersonated)"
            } else {
                ""
            }
        ));
    }
    Ok(out.trim_end().to_owned())
}

/// `sessions revoke ID`.
pub async fn revoke(id: &str, api: &ApiArgs) -> Result<String, CliError> {
    let s = api.client()?.revoke_session(id).await?;
    Ok(format!("session {} is now {}", s.id, s.status))
}

/// `sessions end ID`: the fake's sign-out on a device (`POST /_fake/sessions/{id}/end`).
pub async fn end(id: &str, api: &ApiArgs) -> Result<String, CliError> {
    let client = api.client()?;
    match end_session_over_http(&client, id).await {
        Ok(s) => Ok(format!("session {} is now {}", s.id, s.status)),
        Err(ApiError::Clerk { failure, .. }) if failure.status == 404 => {
            Err(CliError::Rejected(format!(
                "no active session {id} to end on {}: {} (`sessions end` works against \
                 `clerk-claims dev` only; on Clerk, `sessions revoke {id}` signs it out)",
                client.base_url(),
                failure.long_message
            )))
        }
        Err(e) => Err(e.into()),
    }
}

/// `sessions token ID [--template NAME] [--expires-in SECS]`: prints the JWT.
pub async fn token(
    id: &str,
    template: Option<&str>,
    expires_in: Option<u32>,
    api: &ApiArgs,
) -> Result<String, CliError> {
    let api = api.client()?;
    let jwt = match template {
        Some(t) => api.create_template_token(id, t, expires_in).await?,
        None => api.create_session_token(id, expires_in).await?,
    };
    Ok(jwt)
}

/// `jwks`: the instance's JWKS from the Backend API.
pub async fn jwks(api: &ApiArgs) -> Result<String, CliError> {
    let jwks = api.client()?.jwks().await?;
    serde_json::to_string_pretty(&jwks).map_err(|e| CliError::Rejected(e.to_string()))
}

/// One row of `sessions devices --json`: a session and the device it was last used on.
/// Field names are stable for scripts; absent values are `null`.
#[derive(Debug, Serialize)]
pub struct DeviceRow {
    /// The session ID.
    pub session_id: String,
    /// The client (browser or device) holding it.
    pub client_id: String,
    /// `active`, `revoked`, …
    pub status: SessionStatus,
    /// Whether it is the `--current` session.
    pub current: bool,
    /// Whether it is its client's active session: active, and the most recently active of the
    /// client's active sessions (the one that browser or device uses); the table marks it `>`
    /// when no `--current` is given.
    pub client_active: bool,
    /// The device type (`iPhone`, `Macintosh`, …).
    pub device_type: Option<String>,
    /// Whether the device is a phone or tablet.
    pub is_mobile: Option<bool>,
    /// The browser's name.
    pub browser_name: Option<String>,
    /// The browser's version.
    pub browser_version: Option<String>,
    /// The IP address of the latest activity.
    pub ip_address: Option<String>,
    /// Its city.
    pub city: Option<String>,
    /// Its country.
    pub country: Option<String>,
    /// Last activity, Unix milliseconds.
    pub last_active_at: UnixMillis,
    /// Seconds since the last activity, by this machine's clock.
    pub last_active_ago_s: u64,
}

impl DeviceRow {
    fn new(s: &Session, current: Option<&str>, now: UnixMillis) -> DeviceRow {
        let a = s.latest_activity.as_ref();
        let field = |f: fn(&clerk_claims::api::SessionActivity) -> &Option<String>| {
            a.and_then(|a| f(a).clone())
        };
        DeviceRow {
            session_id: s.id.clone(),
            client_id: s.client_id.clone(),
            status: s.status,
            current: current == Some(s.id.as_str()),
            client_active: false,
            device_type: field(|a| &a.device_type),
            is_mobile: a.map(|a| a.is_mobile),
            browser_name: field(|a| &a.browser_name),
            browser_version: field(|a| &a.browser_version),
            ip_address: field(|a| &a.ip_address),
            city: field(|a| &a.city),
            country: field(|a| &a.country),
            last_active_at: s.last_active_at,
            last_active_ago_s: s.last_active_at.elapsed_at(now).as_secs(),
        }
    }
}

/// `Safari 17.4 on iPhone (mobile)`-style description of a session's device, for one line.
pub fn describe_device(s: &Session) -> String {
    let Some(a) = s.latest_activity.as_ref() else {
        return format!("client {}", s.client_id);
    };
    let device = device_label(a);
    match a.browser() {
        Some(browser) => format!("{browser} on {device}"),
        None => device,
    }
}

fn device_label(a: &clerk_claims::api::SessionActivity) -> String {
    let device = a
        .device_type
        .clone()
        .unwrap_or_else(|| "unknown device".to_owned());
    if a.is_mobile {
        format!("{device} (mobile)")
    } else {
        device
    }
}

fn status_style(status: SessionStatus) -> anstyle::Style {
    if status == SessionStatus::Active {
        GOOD
    } else {
        BAD
    }
}

/// `sessions devices --user ID [--current SESSION_ID] [--json]`: every session of the user,
/// most recently active first, one row each: device, browser, location, IP, last active,
/// status, and which is the current one.
pub async fn devices(
    user: &str,
    current: Option<&str>,
    json: bool,
    api: &ApiArgs,
) -> Result<String, CliError> {
    let mut sessions = api.client()?.user_sessions(user, None).await?;
    sessions.sort_by(|a, b| {
        b.last_active_at
            .cmp(&a.last_active_at)
            .then(a.id.cmp(&b.id))
    });
    let now = UnixMillis::now(&Clock::system());
    if let Some(current) = current
        && !sessions.iter().any(|s| s.id == current)
    {
        return Err(CliError::Rejected(format!(
            "--current {current}: expected one of the sessions of {user}, found none with that ID"
        )));
    }
    let mut rows: Vec<DeviceRow> = sessions
        .iter()
        .map(|s| DeviceRow::new(s, current, now))
        .collect();
    // Most recently active first: the first active row of each client is its active session.
    let mut seen = std::collections::HashSet::new();
    for row in &mut rows {
        if row.status == SessionStatus::Active && seen.insert(row.client_id.clone()) {
            row.client_active = true;
        }
    }
    if json {
        #[derive(Serialize)]
        struct Devices<'a> {
            user_id: &'a str,
            sessions: &'a [DeviceRow],
        }
        return serde_json::to_string_pretty(&Devices {
            user_id: user,
            sessions: &rows,
        })
        .map_err(|e| CliError::Rejected(e.to_string()));
    }
    let active = rows
        .iter()
        .filter(|r| r.status == SessionStatus::Active)
        .count();
    let mut out = format!("{} session(s) of {user}, {active} active\n\n", rows.len());
    let cells: Vec<Vec<Cell>> = sessions
        .iter()
        .zip(&rows)
        .map(|(s, r)| {
            let a = s.latest_activity.as_ref();
            let or_dash = |v: Option<String>| v.unwrap_or_else(|| "-".to_owned());
            vec![
                (
                    match (r.current, r.client_active && current.is_none()) {
                        (true, _) => "*",
                        (false, true) => ">",
                        (false, false) => " ",
                    }
                    .to_owned(),
                    GOOD,
                ),
                (r.session_id.clone(), DIM),
                (or_dash(a.map(device_label)), PLAIN),
                (or_dash(a.and_then(|a| a.browser())), PLAIN),
                (or_dash(a.and_then(|a| a.location())), PLAIN),
                (or_dash(r.ip_address.clone()), DIM),
                (output::ago(s.last_active_at.elapsed_at(now)), PLAIN),
                (r.status.as_str().to_owned(), status_style(r.status)),
            ]
        })
        .collect();
    out.push_str(&output::table(
        &[
            "",
            "SESSION",
            "DEVICE",
            "BROWSER",
            "LOCATION",
            "IP",
            "LAST ACTIVE",
            "STATUS",
        ],
        &cells,
    ));
    // Without --current, each client's active session is marked instead.
    if current.is_none() && rows.iter().any(|r| r.client_active) {
        out.push_str(&output::paint(
            DIM,
            "\n\n> its client's active session (the most recently active one of that browser \
             or device)",
        ));
    }
    if current.is_some() {
        out.push_str(&output::paint(DIM, "\n\n* the current session (--current)"));
    }
    Ok(out)
}

/// `sessions revoke-others --user ID --keep SESSION_ID`: signs the user out of every other
/// active session, without asking; prints what it did. Exit 1 when the session to keep is not
/// active (nothing revoked) or when a revoke failed.
pub async fn revoke_others(user: &str, keep: &str, api: &ApiArgs) -> Result<String, CliError> {
    let done = api.client()?.revoke_other_sessions(user, keep).await?;
    let mut rows: Vec<Vec<Cell>> = vec![vec![
        ("kept".to_owned(), GOOD),
        (done.kept.id.clone(), PLAIN),
        (describe_device(&done.kept), DIM),
    ]];
    for s in &done.revoked {
        rows.push(vec![
            ("revoked".to_owned(), BAD),
            (s.id.clone(), PLAIN),
            (describe_device(s), DIM),
        ]);
    }
    for f in &done.failed {
        rows.push(vec![
            ("FAILED".to_owned(), BAD),
            (f.session.id.clone(), PLAIN),
            (
                format!("{}; not revoked: {}", describe_device(&f.session), f.error),
                PLAIN,
            ),
        ]);
    }
    let tried = done.revoked.len() + done.failed.len();
    let table = output::table(&["", "SESSION", "DEVICE"], &rows);
    let summary = format!(
        "revoked {} of {tried} other active session(s) of {user}; tokens already issued to them \
         stay valid until they expire",
        done.revoked.len()
    );
    if done.is_complete() {
        Ok(format!("{table}\n\n{summary}"))
    } else {
        // The first line follows the error prefix; the table starts on its own line so its
        // columns stay aligned.
        let still_active: Vec<&str> = done.failed.iter().map(|f| f.session.id.as_str()).collect();
        Err(CliError::Rejected(format!(
            "{} of {tried} revoke(s) failed; still active: {} (run it again to retry)\n\n\
             {table}\n\n{summary}",
            done.failed.len(),
            still_active.join(", ")
        )))
    }
}
