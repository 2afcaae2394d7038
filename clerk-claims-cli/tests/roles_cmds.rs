//! End to end: `clerk-claims roles diff|push|pull` against `clerk-claims dev` over loopback,
//! with changes made through the Backend API behind the code's back.

use clerk_claims::api::{ClerkApi, OrganizationRole, RoleFields};

use crate::common::{Dev, fixture, stdout, text};

fn api(dev: &Dev) -> ClerkApi {
    ClerkApi::new(dev.key.clone())
        .and_then(|a| a.with_base_url(&dev.url))
        .expect("a client of the fake")
}

fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
        .block_on(f)
}

fn role(api: &ClerkApi, key: &str) -> OrganizationRole {
    block_on(api.list_organization_roles())
        .expect("roles")
        .into_iter()
        .find(|r| r.key == key)
        .expect("the role exists")
}

#[test]
fn roles_diff_push_and_drift_behind_the_codes_back() {
    let dev = Dev::start();
    let file = fixture("roles/roles.json");
    let api = api(&dev);

    // Before push: the instance has only Clerk's defaults.
    let before = dev.run(&["roles", "diff", &file, "--remote"]);
    assert_eq!(before.status.code(), Some(1), "{}", text(&before));
    let out = stdout(&before);
    assert!(
        out.contains("role org:billing_manager: only in code"),
        "{out}"
    );
    assert!(
        out.contains("permission org:invoices:read: only in code"),
        "{out}"
    );

    let push = dev.run(&["roles", "push", &file]);
    assert_eq!(push.status.code(), Some(0), "{}", text(&push));
    let out = stdout(&push);
    assert!(
        out.contains("created permission org:invoices:write"),
        "{out}"
    );
    assert!(out.contains("created role org:billing_manager"), "{out}");
    assert!(out.contains("updated role org:admin"), "{out}");

    let same = dev.run(&["roles", "diff", &file, "--remote"]);
    assert_eq!(same.status.code(), Some(0), "{}", text(&same));

    // Push is idempotent.
    let again = dev.run(&["roles", "push", &file]);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again));
    assert!(
        stdout(&again).contains("nothing to change"),
        "{}",
        text(&again)
    );

    // The admin role kept its system permissions through the whole-set update.
    let admin = role(&api, "org:admin");
    assert!(
        admin
            .permissions
            .iter()
            .any(|p| p.key == "org:sys_memberships:manage"),
        "{admin:?}"
    );

    // Behind the code's back: the admin loses a permission in the dashboard.
    let write = admin
        .permissions
        .iter()
        .find(|p| p.key == "org:invoices:write")
        .expect("granted by push")
        .id
        .clone();
    block_on(api.remove_role_permission(&admin.id, &write)).expect("removed");
    let drifted = dev.run(&["roles", "diff", &file, "--remote"]);
    assert_eq!(drifted.status.code(), Some(1), "{}", text(&drifted));
    assert!(
        stdout(&drifted)
            .contains("role org:admin: grants org:invoices:write in code, not in the instance"),
        "{}",
        text(&drifted)
    );
    let json = dev.run(&["roles", "diff", &file, "--remote", "--json"]);
    assert_eq!(json.status.code(), Some(1), "{}", text(&json));
    let body: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(body["in_sync"], false);
    assert_eq!(
        body["drift"],
        serde_json::json!([{"kind": "grant_only_in_code", "role": "org:admin", "permission": "org:invoices:write"}])
    );

    // Push repairs it.
    let repair = dev.run(&["roles", "push", &file]);
    assert_eq!(repair.status.code(), Some(0), "{}", text(&repair));
    assert_eq!(
        dev.run(&["roles", "diff", &file, "--remote"]).status.code(),
        Some(0)
    );
}

#[test]
fn roles_pull_prints_both_enums_with_grants() {
    let dev = Dev::start();
    let push = dev.run(&["roles", "push", &fixture("roles/roles.json")]);
    assert_eq!(push.status.code(), Some(0), "{}", text(&push));
    let pull = dev.run(&["roles", "pull"]);
    assert_eq!(pull.status.code(), Some(0), "{}", text(&pull));
    let out = stdout(&pull);
    assert!(out.contains("pub enum Permission {"), "{out}");
    assert!(
        out.contains("#[clerk(key = \"org:invoices:write\", name = \"Write invoices\", description = \"Create and edit invoices\")]\n    InvoicesWrite,"),
        "{out}"
    );
    assert!(
        out.contains("#[clerk(permissions = Permission)]\npub enum Role {"),
        "{out}"
    );
    assert!(
        out.contains("#[clerk(key = \"org:billing_manager\", name = \"Billing manager\", description = \"Pays the bills\", grants(InvoicesRead))]\n    BillingManager,"),
        "{out}"
    );
    assert!(
        !out.contains("sys_"),
        "system permissions are Clerk's: {out}"
    );
}

#[test]
fn roles_push_deletes_only_with_prune_and_never_a_role_clerk_refuses_to_delete() {
    let dev = Dev::start();
    let file = fixture("roles/roles.json");
    let api = api(&dev);
    assert_eq!(dev.run(&["roles", "push", &file]).status.code(), Some(0));
    // Behind the code's back: a role and a permission only the instance has.
    block_on(api.create_organization_permission("org:audit:read", "Read audit", ""))
        .expect("created");
    let fields = RoleFields {
        name: Some("Auditor".to_owned()),
        key: Some("org:auditor".to_owned()),
        ..RoleFields::default()
    };
    block_on(api.create_organization_role(&fields)).expect("created");

    let keep = dev.run(&["roles", "push", &file]);
    assert_eq!(keep.status.code(), Some(0), "{}", text(&keep));
    let out = stdout(&keep);
    assert!(out.contains("pass --prune to delete"), "{out}");
    assert!(
        out.contains("role org:auditor: only in the instance"),
        "{out}"
    );
    assert_eq!(
        dev.run(&["roles", "diff", &file, "--remote"]).status.code(),
        Some(1)
    );

    let prune = dev.run(&["roles", "push", &file, "--prune"]);
    assert_eq!(prune.status.code(), Some(0), "{}", text(&prune));
    let out = stdout(&prune);
    assert!(out.contains("deleted role org:auditor"), "{out}");
    assert!(out.contains("deleted permission org:audit:read"), "{out}");
    assert_eq!(
        dev.run(&["roles", "diff", &file, "--remote"]).status.code(),
        Some(0)
    );

    // A manifest without org:member: Clerk refuses to delete its default role, so it stays.
    let without = dev.run(&[
        "roles",
        "push",
        &fixture("roles/roles.without_member.json"),
        "--prune",
    ]);
    assert_eq!(without.status.code(), Some(0), "{}", text(&without));
    assert!(
        stdout(&without).contains("kept role org:member: Clerk refuses to delete it"),
        "{}",
        text(&without)
    );
    assert_eq!(role(&api, "org:member").key, "org:member");
}

#[test]
fn roles_push_refused_by_clerk_says_which_steps_ran() {
    let dev = Dev::start();
    let out = dev.run(&["roles", "push", &fixture("roles/roles.bad_key.json")]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let err = text(&out);
    assert!(
        err.contains("Clerk refused to create permission org:Reports:Write"),
        "{err}"
    );
    assert!(err.contains("lowercase"), "Clerk's message: {err}");
    assert!(
        err.contains("steps that ran before it:\n  created permission org:reports:read"),
        "{err}"
    );
}

#[test]
fn roles_manifest_of_another_version_is_a_usage_error_naming_the_field() {
    let dev = Dev::start();
    let out = dev.run(&["roles", "diff", &fixture("roles/roles.v2.json"), "--remote"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("field `version` is 2: expected 1"),
        "{}",
        text(&out)
    );
}

#[test]
fn doctor_roles_runs_the_diff_as_one_check() {
    let dev = Dev::start();
    let file = fixture("roles/roles.json");
    let drift = dev.run(&["doctor", "roles", "--roles", &file]);
    assert_eq!(drift.status.code(), Some(1), "{}", text(&drift));
    assert!(
        text(&drift).contains("permission org:invoices:read: only in code"),
        "{}",
        text(&drift)
    );
    assert!(
        text(&drift).contains("clerk-claims roles push"),
        "{}",
        text(&drift)
    );
    assert_eq!(dev.run(&["roles", "push", &file]).status.code(), Some(0));
    let pass = dev.run(&["doctor", "roles", "--roles", &file]);
    assert_eq!(pass.status.code(), Some(0), "{}", text(&pass));
    assert!(
        text(&pass).contains("equal the instance's"),
        "{}",
        text(&pass)
    );
}

#[test]
fn a_description_the_code_does_not_declare_is_the_instances_to_keep() {
    let dev = Dev::start();
    let file = fixture("roles/roles.json");
    let api = api(&dev);
    let clerks = role(&api, "org:admin").description;
    assert!(
        clerks.as_deref().is_some_and(|d| !d.is_empty()),
        "the seed's org:admin has Clerk's description: {clerks:?}"
    );

    // The code declares no description for org:admin: no drift on it, and push keeps it.
    let before = dev.run(&["roles", "diff", &file, "--remote"]);
    assert!(
        !stdout(&before).contains("role org:admin: description"),
        "{}",
        text(&before)
    );
    let push = dev.run(&["roles", "push", &file]);
    assert_eq!(push.status.code(), Some(0), "{}", text(&push));
    assert_eq!(role(&api, "org:admin").description, clerks);
    assert_eq!(
        dev.run(&["roles", "diff", &file, "--remote"]).status.code(),
        Some(0)
    );
}
