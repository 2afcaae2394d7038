//! Build-script export: `write_template` output is stable, and `check_template` catches a stale
//! committed file with a readable diff.

use clerk_claims::ClerkClaims;
use clerk_claims::build::{ExportError, check_template, template_file, write_template};

/// The template under test.
#[derive(ClerkClaims, Debug)]
#[clerk(template = "export", lifetime = 120)]
pub struct ExportClaims {
    /// The user.
    #[clerk(shortcode = "user.id")]
    pub user_id: String,
    /// The plan.
    #[clerk(shortcode = "user.public_metadata.plan || 'free'")]
    pub plan: String,
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "clerk-claims-build-export-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn write_template_output_is_stable_pretty_json_in_declaration_order() {
    let dir = temp_dir("write");
    let path = dir.join("templates/export.json");
    write_template::<ExportClaims>(&path).expect("writes");
    let first = std::fs::read_to_string(&path).expect("file exists");
    write_template::<ExportClaims>(&path).expect("writes again");
    let second = std::fs::read_to_string(&path).expect("file exists");
    assert_eq!(first, second);
    assert_eq!(first, template_file::<ExportClaims>());
    let expected = r#"{
  "name": "export",
  "claims": {
    "user_id": "{{user.id}}",
    "plan": "{{user.public_metadata.plan || 'free'}}",
    "jwt_template": "export"
  },
  "lifetime": 120,
  "allowed_clock_skew": 5,
  "custom_signing_key": false
}
"#;
    assert_eq!(first, expected);
    check_template::<ExportClaims>(&path).expect("a freshly written file is up to date");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn check_template_catches_a_stale_file_with_a_readable_diff() {
    let dir = temp_dir("stale");
    let path = dir.join("export.json");
    std::fs::create_dir_all(&dir).expect("temp dir");
    // The committed file still has last month's claim name and lifetime.
    let stale = template_file::<ExportClaims>()
        .replace("\"plan\"", "\"tier\"")
        .replace("120", "60");
    std::fs::write(&path, stale).expect("write stale file");
    let err = check_template::<ExportClaims>(&path).expect_err("stale file is caught");
    let ExportError::Stale { diff, .. } = &err else {
        panic!("expected Stale, got {err:?}")
    };
    assert!(
        diff.contains(r#"-     "tier": "{{user.public_metadata.plan || 'free'}}""#),
        "{diff}"
    );
    assert!(
        diff.contains(r#"+     "plan": "{{user.public_metadata.plan || 'free'}}""#),
        "{diff}"
    );
    assert!(
        diff.contains("-   \"lifetime\": 60,") && diff.contains("+   \"lifetime\": 120,"),
        "{diff}"
    );
    let message = err.to_string();
    assert!(
        message.contains("is stale") && message.contains("ExportClaims"),
        "{message}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn check_template_ignores_formatting_and_reports_missing_or_invalid_files() {
    let dir = temp_dir("format");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let compact = dir.join("compact.json");
    let value: serde_json::Value =
        serde_json::from_str(&template_file::<ExportClaims>()).expect("json");
    std::fs::write(&compact, value.to_string()).expect("write");
    check_template::<ExportClaims>(&compact).expect("same JSON, other formatting");

    let missing = check_template::<ExportClaims>(dir.join("nope.json")).expect_err("missing");
    assert!(
        matches!(missing, ExportError::Missing { .. }),
        "{missing:?}"
    );
    let invalid_path = dir.join("invalid.json");
    std::fs::write(&invalid_path, "{ not json").expect("write");
    let invalid = check_template::<ExportClaims>(&invalid_path).expect_err("invalid");
    assert!(
        matches!(invalid, ExportError::Invalid { .. }),
        "{invalid:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
