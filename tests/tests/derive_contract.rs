//! The documented API example, verbatim: template JSON, decoding with and without an active
//! organization, RBAC answers, and the enums' Display / FromStr / serde.
// The declarations are the documented example verbatim, which carries no doc comments.
#![allow(missing_docs)]

use clerk_claims::{
    ClerkClaims, ClerkPermission, ClerkRole, Forbidden, HasPermission, HasRole, Permissions,
};
use serde_json::json;

#[derive(ClerkRole, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    #[clerk(key = "org:admin")]
    Admin,
    #[clerk(key = "org:member")]
    Member,
}

#[derive(ClerkPermission, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    #[clerk(key = "org:invoices:read")]
    InvoicesRead,
    #[clerk(key = "org:invoices:write")]
    InvoicesWrite,
}

#[derive(ClerkClaims, Debug)]
#[clerk(template = "api", lifetime = 300, allowed_clock_skew = 5)]
pub struct ApiClaims {
    #[clerk(shortcode = "user.primary_email_address")]
    pub email: Option<String>,
    #[clerk(shortcode = "user.public_metadata.plan || 'free'")]
    pub plan: String,
    #[clerk(shortcode = "org.id")]
    pub org_id: Option<String>,
    #[clerk(shortcode = "org.role")]
    pub role: Option<Role>,
    #[clerk(shortcode = "org_membership.permissions")]
    pub permissions: Permissions<Permission>,
    #[clerk(format = "{{user.first_name}} {{user.last_name}}")]
    pub display_name: String,
    #[clerk(value = "authenticated")]
    pub aud: String,
    #[clerk(rename = "https://hasura.io/jwt/claims", nested)]
    pub hasura: HasuraClaims,
}

/// The Hasura claims object the contract nests (`"...": "..."` in the contract's JSON).
#[derive(ClerkClaims, Debug)]
#[clerk(object, rename_all = "kebab-case")]
pub struct HasuraClaims {
    #[clerk(rename = "x-hasura-user-id", shortcode = "user.id")]
    pub user_id: String,
    #[clerk(rename = "x-hasura-default-role", value = "user")]
    pub default_role: String,
    #[clerk(rename = "x-hasura-allowed-roles", json = r#"["user"]"#)]
    pub allowed_roles: Vec<String>,
}

fn payload_with_org() -> serde_json::Value {
    json!({
        "sub": "user_2abc", "iat": 1_700_000_000, "exp": 1_700_000_300, "iss": "https://clerk.example.com",
        "email": "ada@example.com",
        "plan": "pro",
        "org_id": "org_1",
        "role": "org:admin",
        "permissions": ["org:invoices:read", "org:reports:export"],
        "display_name": "Ada Lovelace",
        "aud": "authenticated",
        "https://hasura.io/jwt/claims": {
            "x-hasura-user-id": "user_2abc",
            "x-hasura-default-role": "user",
            "x-hasura-allowed-roles": ["user"]
        },
        "jwt_template": "api"
    })
}

fn payload_without_org() -> serde_json::Value {
    json!({
        "sub": "user_2abc",
        "email": null,
        "plan": "free",
        "org_id": null,
        "role": null,
        "permissions": null,
        "display_name": "Ada null",
        "aud": "authenticated",
        "https://hasura.io/jwt/claims": {
            "x-hasura-user-id": "user_2abc",
            "x-hasura-default-role": "user",
            "x-hasura-allowed-roles": ["user"]
        }
    })
}

fn decode(payload: &serde_json::Value) -> ApiClaims {
    let bytes = serde_json::to_vec(payload).expect("test payload serializes");
    clerk_claims::claims::decode::<ApiClaims>(&bytes).expect("payload fits ApiClaims")
}

#[test]
fn template_json_is_the_contract_json_in_declaration_order() {
    let template = ApiClaims::jwt_template();
    let expected = json!({
        "email": "{{user.primary_email_address}}",
        "plan": "{{user.public_metadata.plan || 'free'}}",
        "org_id": "{{org.id}}",
        "role": "{{org.role}}",
        "permissions": "{{org_membership.permissions}}",
        "display_name": "{{user.first_name}} {{user.last_name}}",
        "aud": "authenticated",
        "https://hasura.io/jwt/claims": {
            "x-hasura-user-id": "{{user.id}}",
            "x-hasura-default-role": "user",
            "x-hasura-allowed-roles": ["user"]
        },
        "jwt_template": "api"
    });
    assert_eq!(template.claims, expected);
    let keys: Vec<&String> = template
        .claims
        .as_object()
        .expect("claims are an object")
        .keys()
        .collect();
    assert_eq!(
        keys,
        [
            "email",
            "plan",
            "org_id",
            "role",
            "permissions",
            "display_name",
            "aud",
            "https://hasura.io/jwt/claims",
            "jwt_template"
        ]
    );
    assert_eq!(template.name, "api");
    assert_eq!((template.lifetime, template.allowed_clock_skew), (300, 5));
    assert_eq!(template.signing_algorithm, None);
    assert!(!template.session_token);
    assert_eq!(ApiClaims::TEMPLATE_NAME, Some("api"));
}

#[test]
fn decodes_a_payload_with_an_active_organization() {
    let claims = decode(&payload_with_org());
    assert_eq!(claims.email.as_deref(), Some("ada@example.com"));
    assert_eq!(claims.plan, "pro");
    assert_eq!(claims.org_id.as_deref(), Some("org_1"));
    assert_eq!(claims.role, Some(Role::Admin));
    assert!(claims.permissions.contains(Permission::InvoicesRead));
    assert!(!claims.permissions.contains(Permission::InvoicesWrite));
    assert_eq!(
        claims.permissions.unknown_count(),
        1,
        "org:reports:export is not declared, so it is counted"
    );
    assert_eq!(claims.display_name, "Ada Lovelace");
    assert_eq!(claims.hasura.user_id, "user_2abc");
    assert_eq!(claims.hasura.allowed_roles, ["user"]);
}

#[test]
fn decodes_a_payload_without_an_active_organization() {
    let claims = decode(&payload_without_org());
    assert_eq!(claims.org_id, None);
    assert_eq!(claims.role, None);
    assert!(
        claims.permissions.is_empty(),
        "null permissions are the empty set"
    );
    assert_eq!(claims.permissions.unknown_count(), 0);
    assert!(!claims.has_role(Role::Admin));
    assert!(!claims.has_permission(Permission::InvoicesRead));
}

#[test]
fn absent_optional_claims_decode_as_none_and_empty() {
    let mut payload = payload_without_org();
    let map = payload.as_object_mut().expect("object");
    map.remove("org_id");
    map.remove("permissions");
    let claims = decode(&payload);
    assert_eq!(claims.org_id, None);
    assert!(claims.permissions.is_empty());
}

#[test]
fn rbac_answers_follow_the_token() {
    let claims = decode(&payload_with_org());
    assert!(claims.has_role(Role::Admin));
    assert!(!claims.has_role(Role::Member));
    assert!(claims.has_any_role(&[Role::Member, Role::Admin]));
    assert_eq!(claims.require_role(Role::Admin), Ok(()));
    assert_eq!(
        claims.require_role(Role::Member),
        Err(Forbidden::Role {
            required: vec!["org:member"],
            found: Some("org:admin")
        })
    );
    assert!(claims.has_permission(Permission::InvoicesRead));
    assert!(!claims.has_all_permissions(&[Permission::InvoicesRead, Permission::InvoicesWrite]));
    assert!(claims.has_any_permission(&[Permission::InvoicesRead, Permission::InvoicesWrite]));
    assert_eq!(claims.require_permission(Permission::InvoicesRead), Ok(()));
    assert_eq!(
        claims.require_any_permission(&[Permission::InvoicesWrite, Permission::InvoicesRead]),
        Ok(())
    );
    let err = claims
        .require_all_permissions(&[Permission::InvoicesRead, Permission::InvoicesWrite])
        .expect_err("write is not granted");
    assert_eq!(
        err,
        Forbidden::Permission {
            required: vec!["org:invoices:read", "org:invoices:write"],
            all: true
        }
    );
    assert!(err.to_string().contains("org:invoices:write"), "{err}");
}

/// What a route guard written against the traits sees: the role and the permission it asks
/// for, and the keys it would name in a 403.
fn guard_view<C: HasRole<Role> + HasPermission<Permission>>(
    claims: &C,
) -> (bool, bool, Option<&str>, Vec<&str>) {
    (
        HasRole::has_role(claims, Role::Admin),
        HasPermission::has_permission(claims, Permission::InvoicesWrite),
        claims.role_key(),
        claims.permission_keys(),
    )
}

#[test]
fn derived_claims_answer_route_guards_through_has_role_and_has_permission() {
    let claims = decode(&payload_with_org());
    // `org:reports:export` is not declared by `Permission`, so it is not a key the type names.
    assert_eq!(
        guard_view(&claims),
        (true, false, Some("org:admin"), vec!["org:invoices:read"])
    );
    // The legacy unprefixed role is named by its declared key.
    let mut payload = payload_with_org();
    payload["role"] = json!("admin");
    assert_eq!(guard_view(&decode(&payload)).2, Some("org:admin"));
    // Without an active organization: no role, no permissions.
    assert_eq!(
        guard_view(&decode(&payload_without_org())),
        (false, false, None, vec![])
    );
}

#[test]
fn legacy_unprefixed_role_reads_as_the_prefixed_one() {
    assert_eq!(Role::from_key("admin"), Some(Role::Admin));
    assert_eq!(Role::from_key("org:admin"), Some(Role::Admin));
    assert_eq!(Role::from_key("org:org:admin"), Some(Role::Admin));
    assert_eq!(Role::from_key("owner"), None);
    let mut payload = payload_with_org();
    payload["role"] = json!("admin");
    assert!(decode(&payload).has_role(Role::Admin));
}

#[test]
fn enums_display_parse_and_serialize_as_their_keys() {
    assert_eq!(Role::Admin.to_string(), "org:admin");
    assert_eq!(Role::Member.key(), "org:member");
    assert_eq!("org:member".parse::<Role>(), Ok(Role::Member));
    let err = "org:owner".parse::<Role>().expect_err("undeclared role");
    assert_eq!(
        err.to_string(),
        "expected a role key declared by `Role` (`org:admin`, `org:member`), found `org:owner`"
    );
    assert_eq!(Permission::InvoicesWrite.to_string(), "org:invoices:write");
    assert_eq!(
        "org:invoices:read".parse::<Permission>(),
        Ok(Permission::InvoicesRead)
    );
    assert!("org:invoices:delete".parse::<Permission>().is_err());
    assert_eq!(
        serde_json::to_value(Role::Admin).expect("serializes"),
        json!("org:admin")
    );
    assert_eq!(
        serde_json::from_value::<Permission>(json!("org:invoices:write")).expect("known key"),
        Permission::InvoicesWrite
    );
    assert_eq!(Role::ALL, [Role::Admin, Role::Member]);
    assert_eq!(
        <Permission as ClerkPermission>::ALL,
        [Permission::InvoicesRead, Permission::InvoicesWrite]
    );
    assert_eq!(<Role as ClerkRole>::from_key("member"), Some(Role::Member));
}

#[test]
fn permissions_null_is_the_empty_set_and_unknown_keys_are_counted() {
    let none: Permissions<Permission> =
        serde_json::from_value(json!(null)).expect("null is accepted");
    assert!(none.is_empty());
    let some: Permissions<Permission> = serde_json::from_value(json!([
        "org:invoices:write",
        "org:x:y",
        "org:sys_memberships:read"
    ]))
    .expect("array");
    assert_eq!(some.iter().collect::<Vec<_>>(), [Permission::InvoicesWrite]);
    assert_eq!(some.unknown_count(), 2);
}

#[test]
fn serialize_writes_the_template_claim_names() {
    let claims = decode(&payload_with_org());
    let value = serde_json::to_value(&claims).expect("serializes");
    assert_eq!(value["role"], json!("org:admin"));
    assert_eq!(value["permissions"], json!(["org:invoices:read"]));
    assert_eq!(
        value["https://hasura.io/jwt/claims"]["x-hasura-user-id"],
        json!("user_2abc")
    );
    let back: ApiClaims = serde_json::from_value(value).expect("round trip");
    assert_eq!(back.display_name, claims.display_name);
}

#[test]
fn claim_info_lists_nested_claims_under_dotted_names() {
    let infos = ApiClaims::claim_info();
    let role = infos
        .iter()
        .find(|i| i.claim == "role")
        .expect("role claim");
    assert_eq!(role.expression, "{{org.role}}");
    assert!(role.nullable);
    let plan = infos
        .iter()
        .find(|i| i.claim == "plan")
        .expect("plan claim");
    assert!(!plan.nullable, "a literal fallback is never null");
    let nested = infos
        .iter()
        .find(|i| i.claim == "https://hasura.io/jwt/claims.x-hasura-user-id")
        .expect("nested claim");
    assert_eq!(nested.expression, "{{user.id}}");
}

#[test]
fn json_schema_describes_the_token() {
    let schema = schemars::schema_for!(ApiClaims);
    let value = schema.as_value();
    let props = value["properties"].as_object().expect("properties");
    assert!(props.contains_key("https://hasura.io/jwt/claims"));
    let validator = jsonschema::validator_for(value).expect("valid schema");
    assert!(validator.is_valid(&payload_with_org()));
    let mut bad = payload_with_org();
    bad["role"] = json!("org:owner");
    assert!(
        !validator.is_valid(&bad),
        "an undeclared role is outside the schema"
    );
}
