//! Clerk's own Backend API client (`clerk.organizationRoles`, `clerk.organizationPermissions`
//! of `@clerk/backend`, `tests/node/rbac.mjs`) works against FakeClerk's organization roles and
//! permissions. Runs when Node and `tests/node/node_modules` are present.

use crate::common::node;

use clerk_claims::testing::fake::FakeClerk;
use serde_json::json;

#[test]
fn clerks_own_client_lists_creates_assigns_and_deletes_roles_and_permissions_on_the_fake() {
    let fake = FakeClerk::start();
    let request = json!({ "apiUrl": fake.url(), "secretKey": fake.secret_key() });
    let Some(answer) = node::run("rbac.mjs", &["@clerk/backend"], &request) else {
        return;
    };
    assert_eq!(answer["ok"], true, "{answer}");
    assert_eq!(
        answer["roleKeys"],
        json!(["org:admin", "org:member"]),
        "{answer}"
    );
    assert_eq!(answer["totalCount"], 2);
    assert!(
        answer["systemPermissions"].as_u64().is_some_and(|n| n > 0),
        "{answer}"
    );
    assert_eq!(answer["permissionKey"], "org:invoices:read");
    assert_eq!(answer["permissionName"], "Invoices: read");
    assert_eq!(answer["rolePermissions"], json!(["org:invoices:read"]));
    assert_eq!(answer["afterRemove"], 0);
    assert_eq!(answer["afterAssign"], json!(["org:invoices:read"]));
    assert_eq!(answer["roleName"], "Accounts");
    assert_eq!(answer["fetchedKey"], "org:accountant");
    assert_eq!(answer["roleDeleted"], true);
    assert_eq!(answer["permissionDeleted"], true);
}
