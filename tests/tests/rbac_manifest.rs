//! Roles and permissions as code: `grants(..)`, names, the roles manifest and its build-script
//! export, and the run-time warning for a permission a role does not grant in code.

use std::sync::{Arc, Mutex};

use clerk_claims::build::{ExportError, check_manifest, manifest_file, write_manifest};
use clerk_claims::rbac::{Manifest, manifest, warn_ungranted};
use clerk_claims::{ClerkPermission, ClerkRole, Permissions};

/// The permissions of the manifest under test.
#[derive(ClerkPermission, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Read invoices.
    #[clerk(key = "org:invoices:read", name = "Read invoices")]
    InvoicesRead,
    /// Write invoices.
    #[clerk(
        key = "org:invoices:write",
        name = "Write invoices",
        description = "Create and edit invoices"
    )]
    InvoicesWrite,
    /// Export reports (default name).
    #[clerk(key = "org:reports:export")]
    ReportsExport,
}

/// The roles of the manifest under test.
#[derive(ClerkRole, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[clerk(permissions = Permission)]
pub enum Role {
    /// Admin.
    #[clerk(key = "org:admin", grants(InvoicesRead, InvoicesWrite, ReportsExport))]
    Admin,
    /// Member.
    #[clerk(key = "org:member")]
    Member,
    /// Billing manager (default name).
    #[clerk(
        key = "org:billing_manager",
        description = "Pays the bills",
        grants(InvoicesRead)
    )]
    BillingManager,
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "clerk-claims-rbac-manifest-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn role_grants_are_the_permissions_named_in_grants() {
    let admin = Role::Admin.grants();
    assert!(admin.contains_all(&[
        Permission::InvoicesRead,
        Permission::InvoicesWrite,
        Permission::ReportsExport
    ]));
    let billing = Role::BillingManager.grants();
    assert_eq!(
        billing.iter().collect::<Vec<_>>(),
        [Permission::InvoicesRead]
    );
    assert!(Role::Member.grants().is_empty());
}

#[test]
fn name_defaults_to_the_variant_name_in_words() {
    assert_eq!(ClerkRole::name(Role::BillingManager), "Billing manager");
    assert_eq!(ClerkRole::name(Role::Admin), "Admin");
    assert_eq!(
        ClerkPermission::name(Permission::ReportsExport),
        "Reports export"
    );
    assert_eq!(
        ClerkPermission::name(Permission::InvoicesRead),
        "Read invoices"
    );
    assert_eq!(
        ClerkPermission::description(Permission::InvoicesWrite),
        Some("Create and edit invoices")
    );
    assert_eq!(ClerkRole::description(Role::Admin), None);
}

#[test]
fn manifest_json_lists_roles_with_their_grants_and_permissions_in_declaration_order() {
    let expected = include_str!("data/rbac/manifest.json");
    assert_eq!(manifest::<Role>().to_json_pretty(), expected);
    assert_eq!(manifest_file::<Role>(), expected);
}

#[test]
fn manifest_file_reads_back_as_the_manifest() {
    let parsed = Manifest::from_json(include_str!("data/rbac/manifest.json")).expect("manifest");
    assert_eq!(parsed, manifest::<Role>());
}

#[test]
fn check_manifest_catches_a_stale_file_with_a_diff_as_for_templates() {
    let dir = temp_dir("stale");
    let path = dir.join("roles.json");
    write_manifest::<Role>(&path).expect("write");
    check_manifest::<Role>(&path).expect("fresh file passes");
    let stale = std::fs::read_to_string(&path)
        .expect("read")
        .replace("\"Pays the bills\"", "\"Pays\"");
    std::fs::write(&path, stale).expect("write stale");
    let err = check_manifest::<Role>(&path).expect_err("stale");
    let ExportError::Stale { diff, .. } = &err else {
        panic!("expected Stale, got {err}");
    };
    let changed = |sign: char, text: &str| {
        diff.lines()
            .any(|l| l.starts_with(sign) && l.trim_start_matches(sign).trim() == text)
    };
    assert!(changed('-', "\"description\": \"Pays\","), "{diff}");
    assert!(
        changed('+', "\"description\": \"Pays the bills\","),
        "{diff}"
    );
    assert!(err.to_string().starts_with("roles manifest file "), "{err}");
    let missing = check_manifest::<Role>(dir.join("none.json")).expect_err("missing");
    assert!(
        missing.to_string().contains("run `write_manifest`"),
        "{missing}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Counts `clerk_claims` warnings on this thread.
#[derive(Clone, Default)]
struct Warnings(Arc<Mutex<Vec<String>>>);

struct Message(String);

impl tracing::field::Visit for Message {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!("{}={value:?} ", field.name()));
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Warnings {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        if *event.metadata().level() != tracing::Level::WARN {
            return;
        }
        let mut text = Message(String::new());
        event.record(&mut text);
        self.0.lock().expect("lock").push(text.0);
    }
}

/// Permissions only the warning test uses, so the process-wide set of logged pairs starts
/// empty for them.
#[derive(ClerkPermission, Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum WarnPermission {
    #[clerk(key = "org:warn:read")]
    Read,
    #[clerk(key = "org:warn:write")]
    Write,
    #[clerk(key = "org:warn:delete")]
    Delete,
}

/// Roles only the warning test uses.
#[derive(ClerkRole, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[clerk(permissions = WarnPermission, custom)]
enum WarnRole {
    #[clerk(key = "org:warn_viewer", grants(Read))]
    Viewer,
}

#[test]
fn a_token_permission_the_role_does_not_grant_is_logged_once_per_role_and_permission() {
    use tracing_subscriber::layer::SubscriberExt as _;
    let warnings = Warnings::default();
    let subscriber = tracing_subscriber::registry().with(warnings.clone());
    tracing::subscriber::with_default(subscriber, || {
        let token: Permissions<WarnPermission> = [
            WarnPermission::Read,
            WarnPermission::Write,
            WarnPermission::Delete,
        ]
        .into_iter()
        .collect();
        // Many requests: two ungranted pairs, each logged once.
        let logged: usize = (0..50)
            .map(|_| warn_ungranted(WarnRole::Viewer, &token))
            .sum();
        assert_eq!(logged, 2);
        // Granted-but-missing is normal.
        let only_read: Permissions<WarnPermission> = [WarnPermission::Read].into_iter().collect();
        assert_eq!(warn_ungranted(WarnRole::Viewer, &only_read), 0);
    });
    let events = warnings.0.lock().expect("lock").clone();
    assert_eq!(events.len(), 2, "{events:?}");
    assert!(
        events[0].contains("permission=\"org:warn:write\"")
            && events[0].contains("role=\"org:warn_viewer\""),
        "{events:?}"
    );
    assert!(events[1].contains("org:warn:delete"), "{events:?}");
}

/// Permissions only the verifier warning test uses.
#[derive(ClerkPermission, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VerifiedPermission {
    /// Read.
    #[clerk(key = "org:verified:read")]
    Read,
    /// Write.
    #[clerk(key = "org:verified:write")]
    Write,
}

/// Roles only the verifier warning test uses.
#[derive(ClerkRole, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[clerk(permissions = VerifiedPermission)]
pub enum VerifiedRole {
    /// Grants reading only.
    #[clerk(key = "org:verified_reader", grants(Read))]
    Reader,
}

/// A template with the role and its permissions.
#[derive(clerk_claims::ClerkClaims, Debug)]
#[clerk(template = "rbac_warning")]
pub struct VerifiedClaims {
    /// The role.
    #[clerk(shortcode = "org.role")]
    pub role: Option<VerifiedRole>,
    /// The permissions.
    #[clerk(shortcode = "org_membership.permissions")]
    pub permissions: Permissions<VerifiedPermission>,
}

#[test]
fn a_verified_token_with_a_permission_its_role_does_not_grant_logs_one_warning() {
    use tracing_subscriber::layer::SubscriberExt as _;
    let issuer = clerk_claims::testing::issuer::TestIssuer::new();
    let verifier = issuer.verifier();
    let claims = VerifiedClaims {
        role: Some(VerifiedRole::Reader),
        permissions: [VerifiedPermission::Read, VerifiedPermission::Write]
            .into_iter()
            .collect(),
    };
    let warnings = Warnings::default();
    let subscriber = tracing_subscriber::registry().with(warnings.clone());
    tracing::subscriber::with_default(subscriber, || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async {
            // Several requests, each with a freshly minted token: one warning.
            for _ in 0..5 {
                let token = issuer.template_token(&claims).mint();
                let verified = verifier
                    .verify::<VerifiedClaims>(&token)
                    .await
                    .expect("verifies");
                assert!(
                    verified
                        .claims
                        .permissions
                        .contains(VerifiedPermission::Write)
                );
            }
        });
    });
    let events = warnings.0.lock().expect("lock").clone();
    let ours: Vec<&String> = events
        .iter()
        .filter(|e| e.contains("org:verified_reader"))
        .collect();
    assert_eq!(ours.len(), 1, "{events:?}");
    assert!(
        ours[0].contains("permission=\"org:verified:write\""),
        "{ours:?}"
    );
}
