//! `template diff` writes its diff to stdout (so `> diff.txt` keeps it); `template check`
//! suggests a metadata path for an unknown field and points at Clerk's shortcode list, not at
//! a crate users do not depend on.

use crate::common::{fixture, run, text};

#[test]
fn template_diff_writes_the_diff_to_stdout_and_exits_1() {
    let out = run(&[
        "template",
        "diff",
        &fixture("api.drifted.json"),
        &fixture("api.template.json"),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("differ ("), "{stdout}");
    assert!(stdout.contains("~ claims.plan"), "{stdout}");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let same = run(&[
        "template",
        "diff",
        &fixture("api.template.json"),
        &fixture("api.template.json"),
    ]);
    assert_eq!(same.status.code(), Some(0), "{}", text(&same));
    assert!(String::from_utf8_lossy(&same.stdout).contains("are the same"));
}

#[test]
fn template_check_suggests_the_metadata_path_and_points_at_clerks_shortcode_list() {
    let out = run(&["template", "check", &fixture("unknown-field.json")]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let t = text(&out);
    assert!(
        t.contains("did you mean `user.public_metadata.company`?"),
        "{t}"
    );
    assert!(
        t.contains("https://clerk.com/docs/backend-requests/jwt-templates"),
        "{t}"
    );
    assert!(!t.contains("clerk_claims_lang"), "{t}");
}

#[test]
fn template_check_and_the_derive_share_one_did_you_mean() {
    // The derive's compile error for `user.frist_name` (tests/ui) says the same words.
    let out = run(&["template", "check", &fixture("unknown-shortcode.json")]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("unknown shortcode `user.frist_name`: expected a shortcode from Clerk's catalogue or a metadata path, did you mean `user.first_name`?"),
        "{}",
        text(&out)
    );
}
