//! `clerk-claims sessions end ID`: a sign-out on a device, against `clerk-claims dev` (the
//! fake's `POST /_fake/sessions/{id}/end`; Clerk's Backend API can only revoke).

use crate::common::{Dev, run, text};

#[test]
fn sessions_end_ends_an_active_session_of_the_fake_and_it_mints_no_more_tokens() {
    let dev = Dev::start();
    let out = dev.run(&["sessions", "end", "sess_2bob_acme"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("session sess_2bob_acme is now ended"),
        "{}",
        text(&out)
    );
    let listed = dev.run(&[
        "sessions",
        "list",
        "--user",
        "user_2bob",
        "--status",
        "ended",
    ]);
    assert!(
        text(&listed).contains("sess_2bob_acme"),
        "{}",
        text(&listed)
    );
    let minted = dev.run(&["sessions", "token", "sess_2bob_acme"]);
    assert_eq!(minted.status.code(), Some(1), "{}", text(&minted));

    // Ended already: exit 1, saying what the command is for and what to use on Clerk.
    let again = dev.run(&["sessions", "end", "sess_2bob_acme"]);
    assert_eq!(again.status.code(), Some(1), "{}", text(&again));
    let t = text(&again);
    assert!(t.contains("no active session sess_2bob_acme"), "{t}");
    assert!(t.contains("`clerk-claims dev` only"), "{t}");
    assert!(t.contains("sessions revoke sess_2bob_acme"), "{t}");
}

#[test]
fn sessions_end_help_says_it_is_for_the_fake_and_how_clerk_ends_sessions() {
    let out = run(&["sessions", "end", "--help"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let t = text(&out);
    assert!(t.contains("`clerk-claims dev` only"), "{t}");
    assert!(t.contains("sessions revoke"), "{t}");
}
