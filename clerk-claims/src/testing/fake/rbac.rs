//! Organization roles and permissions (`/v1/organization_roles`, `/v1/organization_permissions`
//! and a role's permission assignment), seeded with Clerk's defaults: `org:admin`,
//! `org:member` and the system permissions.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::{Map, Value};

use super::error::Failure;
use super::routes::{Answer, Params, body_object, listing, ok, query};
use super::shared::Shared;
use crate::api::{DeletedObject, OrganizationPermission, OrganizationRole, Page};
use crate::json_text::describe;

/// Clerk's system permissions and their names.
const SYSTEM_PERMISSIONS: &[(&str, &str)] = &[
    ("org:sys_profile:manage", "Manage organization"),
    ("org:sys_profile:delete", "Delete organization"),
    ("org:sys_memberships:read", "Read members"),
    ("org:sys_memberships:manage", "Manage members"),
    ("org:sys_domains:read", "Read domains"),
    ("org:sys_domains:manage", "Manage domains"),
    ("org:sys_billing:read", "Read billing"),
    ("org:sys_billing:manage", "Manage billing"),
];

/// A stored role: its permissions by ID.
#[derive(Debug, Clone)]
struct StoredRole {
    id: String,
    name: String,
    key: String,
    description: Option<String>,
    permissions: Vec<String>,
    created_at: i64,
    updated_at: i64,
}

/// The instance's roles and permissions.
#[derive(Debug)]
pub(crate) struct Rbac {
    roles: Vec<StoredRole>,
    permissions: Vec<OrganizationPermission>,
    next_id: u64,
}

impl Rbac {
    /// Clerk's defaults: the system permissions, and `org:admin` and `org:member` with the
    /// system permissions the fake's memberships of those roles carry.
    pub(crate) fn seeded(now: i64) -> Rbac {
        let mut rbac = Rbac {
            roles: Vec::new(),
            permissions: Vec::new(),
            next_id: 1,
        };
        for (key, name) in SYSTEM_PERMISSIONS {
            let id = rbac.fresh_id("perm");
            rbac.permissions.push(OrganizationPermission {
                object: "permission".to_owned(),
                id,
                name: (*name).to_owned(),
                key: (*key).to_owned(),
                description: String::new(),
                kind: "system".to_owned(),
                created_at: now,
                updated_at: now,
            });
        }
        let ids = |keys: &[&str]| -> Vec<String> {
            rbac.permissions
                .iter()
                .filter(|p| keys.contains(&p.key.as_str()))
                .map(|p| p.id.clone())
                .collect()
        };
        let (all, member) = (
            ids(super::state::DEFAULT_ADMIN_PERMISSIONS),
            ids(super::state::DEFAULT_MEMBER_PERMISSIONS),
        );
        for (key, name, description, permissions) in [
            (
                "org:admin",
                "Admin",
                "Offers full access to organization resources",
                all,
            ),
            (
                "org:member",
                "Member",
                "Offers read-only access to organization resources",
                member,
            ),
        ] {
            let id = rbac.fresh_id("role");
            rbac.roles.push(StoredRole {
                id,
                name: name.to_owned(),
                key: key.to_owned(),
                description: Some(description.to_owned()),
                permissions,
                created_at: now,
                updated_at: now,
            });
        }
        rbac
    }

    fn fresh_id(&mut self, prefix: &str) -> String {
        let id = format!("{prefix}_2fake{:06}", self.next_id);
        self.next_id += 1;
        id
    }

    fn render(&self, role: &StoredRole) -> OrganizationRole {
        OrganizationRole {
            object: "role".to_owned(),
            id: role.id.clone(),
            name: role.name.clone(),
            key: role.key.clone(),
            description: role.description.clone(),
            is_creator_eligible: [
                "org:sys_memberships:manage",
                "org:sys_memberships:read",
                "org:sys_profile:delete",
            ]
            .iter()
            .all(|k| {
                role.permissions
                    .iter()
                    .any(|id| self.permission_key(id) == Some(k))
            }),
            permissions: role
                .permissions
                .iter()
                .filter_map(|id| self.permissions.iter().find(|p| p.id == *id).cloned())
                .collect(),
            created_at: role.created_at,
            updated_at: role.updated_at,
        }
    }

    fn permission_key(&self, id: &str) -> Option<&str> {
        self.permissions
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.key.as_str())
    }

    fn role_index(&self, id: &str) -> Result<usize, Failure> {
        self.roles.iter().position(|r| r.id == id).ok_or_else(|| {
            Failure::not_found(format!("No organization role was found with id {id}"))
        })
    }

    fn permission_index(&self, id: &str) -> Result<usize, Failure> {
        self.permissions
            .iter()
            .position(|p| p.id == id)
            .ok_or_else(|| Failure::not_found(format!("No permission was found with id {id}")))
    }

    /// Permission IDs as given, each one the instance has.
    fn permission_ids(&self, value: &Value) -> Result<Vec<String>, Failure> {
        let Value::Array(items) = value else {
            return Err(Failure::form(
                "form_param_format_invalid",
                "permissions",
                format!(
                    "permissions must be an array of permission IDs, found {}",
                    describe(value)
                ),
            ));
        };
        let mut ids = Vec::new();
        for item in items {
            let Some(id) = item.as_str() else {
                return Err(Failure::form(
                    "form_param_format_invalid",
                    "permissions",
                    format!(
                        "permissions must be an array of permission IDs, found {}",
                        describe(item)
                    ),
                ));
            };
            if self.permission_key(id).is_none() {
                return Err(Failure::form(
                    "form_param_value_invalid",
                    "permissions",
                    format!("permissions[] must be permission IDs of the instance, found {id:?}"),
                ));
            }
            if !ids.iter().any(|i| i == id) {
                ids.push(id.to_owned());
            }
        }
        Ok(ids)
    }

    fn create_role(
        &mut self,
        body: &Map<String, Value>,
        now: i64,
    ) -> Result<OrganizationRole, Failure> {
        reject_unknown(
            body,
            &[
                "name",
                "key",
                "description",
                "permissions",
                "include_in_initial_role_set",
            ],
        )?;
        let name = required_string(body, "name")?;
        let key = required_string(body, "key")?;
        check_role_key(&key)?;
        if self.roles.iter().any(|r| r.key == key) {
            return Err(taken("key", &key));
        }
        let description = optional_string(body, "description")?;
        let permissions = match body.get("permissions") {
            None | Some(Value::Null) => Vec::new(),
            Some(v) => self.permission_ids(v)?,
        };
        let id = self.fresh_id("role");
        let role = StoredRole {
            id,
            name,
            key,
            description,
            permissions,
            created_at: now,
            updated_at: now,
        };
        let out = self.render(&role);
        self.roles.push(role);
        Ok(out)
    }

    fn update_role(
        &mut self,
        id: &str,
        body: &Map<String, Value>,
        now: i64,
    ) -> Result<OrganizationRole, Failure> {
        reject_unknown(body, &["name", "key", "description", "permissions"])?;
        let index = self.role_index(id)?;
        let name = optional_string(body, "name")?;
        let key = optional_string(body, "key")?;
        if let Some(key) = &key {
            check_role_key(key)?;
            if self.roles.iter().any(|r| r.key == *key && r.id != id) {
                return Err(taken("key", key));
            }
        }
        let description = optional_string(body, "description")?;
        let permissions = match body.get("permissions") {
            None | Some(Value::Null) => None,
            Some(v) => Some(self.permission_ids(v)?),
        };
        let role = &mut self.roles[index];
        if let Some(name) = name {
            role.name = name;
        }
        if let Some(key) = key {
            role.key = key;
        }
        if body.contains_key("description") {
            role.description = description;
        }
        if let Some(permissions) = permissions {
            role.permissions = permissions;
        }
        role.updated_at = now;
        let role = role.clone();
        Ok(self.render(&role))
    }

    /// Clerk refuses to delete a role in use: the fake's creator role (`org:admin`), its
    /// default role for new members (`org:member`), or a role a seeded membership has.
    fn delete_role(&mut self, id: &str, assigned: &[String]) -> Result<(), Failure> {
        let index = self.role_index(id)?;
        let key = self.roles[index].key.clone();
        if key == "org:admin" || key == "org:member" || assigned.contains(&key) {
            return Err(Failure::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "organization_role_in_use",
                "role in use",
                format!(
                    "The role {key} cannot be deleted: it is used as the default creator role, \
                     domain default role, assigned to members, or in invitations."
                ),
            ));
        }
        self.roles.remove(index);
        Ok(())
    }

    fn assign(
        &mut self,
        role_id: &str,
        permission_id: &str,
        now: i64,
    ) -> Result<OrganizationRole, Failure> {
        let index = self.role_index(role_id)?;
        self.permission_index(permission_id)?;
        if self.roles[index]
            .permissions
            .iter()
            .any(|p| p == permission_id)
        {
            return Err(Failure::new(
                StatusCode::CONFLICT,
                "duplicate_record",
                "duplicate record",
                format!(
                    "The permission {permission_id} is already assigned to the role {role_id}."
                ),
            ));
        }
        self.roles[index].permissions.push(permission_id.to_owned());
        self.roles[index].updated_at = now;
        let role = self.roles[index].clone();
        Ok(self.render(&role))
    }

    fn remove(
        &mut self,
        role_id: &str,
        permission_id: &str,
        now: i64,
    ) -> Result<OrganizationRole, Failure> {
        let index = self.role_index(role_id)?;
        self.permission_index(permission_id)?;
        let before = self.roles[index].permissions.len();
        self.roles[index].permissions.retain(|p| p != permission_id);
        if self.roles[index].permissions.len() == before {
            return Err(Failure::form(
                "form_param_value_invalid",
                "permission_id",
                format!("The permission {permission_id} is not assigned to the role {role_id}."),
            ));
        }
        self.roles[index].updated_at = now;
        let role = self.roles[index].clone();
        Ok(self.render(&role))
    }

    fn create_permission(
        &mut self,
        body: &Map<String, Value>,
        now: i64,
    ) -> Result<OrganizationPermission, Failure> {
        reject_unknown(body, &["name", "key", "description"])?;
        let name = required_string(body, "name")?;
        let key = required_string(body, "key")?;
        check_permission_key(&key)?;
        if self.permissions.iter().any(|p| p.key == key) {
            return Err(taken("key", &key));
        }
        let description = optional_string(body, "description")?.unwrap_or_default();
        let id = self.fresh_id("perm");
        let permission = OrganizationPermission {
            object: "permission".to_owned(),
            id,
            name,
            key,
            description,
            kind: "user".to_owned(),
            created_at: now,
            updated_at: now,
        };
        self.permissions.push(permission.clone());
        Ok(permission)
    }

    fn update_permission(
        &mut self,
        id: &str,
        body: &Map<String, Value>,
        now: i64,
    ) -> Result<OrganizationPermission, Failure> {
        reject_unknown(body, &["name", "key", "description"])?;
        let index = self.permission_index(id)?;
        if self.permissions[index].kind == "system" {
            return Err(system_refused("updated"));
        }
        let name = optional_string(body, "name")?;
        let key = optional_string(body, "key")?;
        if let Some(key) = &key {
            check_permission_key(key)?;
            if self.permissions.iter().any(|p| p.key == *key && p.id != id) {
                return Err(taken("key", key));
            }
        }
        let description = optional_string(body, "description")?;
        let p = &mut self.permissions[index];
        if let Some(name) = name {
            p.name = name;
        }
        if let Some(key) = key {
            p.key = key;
        }
        if let Some(description) = description {
            p.description = description;
        }
        p.updated_at = now;
        Ok(p.clone())
    }

    fn delete_permission(&mut self, id: &str) -> Result<(), Failure> {
        let index = self.permission_index(id)?;
        if self.permissions[index].kind == "system" {
            return Err(system_refused("deleted"));
        }
        self.permissions.remove(index);
        for role in &mut self.roles {
            role.permissions.retain(|p| p != id);
        }
        Ok(())
    }
}

fn system_refused(what: &str) -> Failure {
    Failure::new(
        StatusCode::FORBIDDEN,
        "authorization_invalid",
        "system permission",
        format!("System permissions cannot be {what}."),
    )
}

fn taken(param: &str, key: &str) -> Failure {
    Failure::form(
        "form_identifier_exists",
        param,
        format!("{key} is already taken: keys are unique in the instance."),
    )
}

fn reject_unknown(body: &Map<String, Value>, known: &[&str]) -> Result<(), Failure> {
    match body.keys().find(|k| !known.contains(&k.as_str())) {
        Some(k) => Err(Failure::form(
            "form_param_unknown",
            k,
            format!("{k} is not a valid parameter for this request."),
        )),
        None => Ok(()),
    }
}

fn required_string(body: &Map<String, Value>, param: &str) -> Result<String, Failure> {
    match body.get(param) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
        None | Some(Value::Null) => Err(Failure::form(
            "form_param_missing",
            param,
            format!("{param} is missing."),
        )),
        Some(other) => Err(Failure::form(
            "form_param_format_invalid",
            param,
            format!(
                "{param} must be a non-empty string, found {}",
                describe(other)
            ),
        )),
    }
}

fn optional_string(body: &Map<String, Value>, param: &str) -> Result<Option<String>, Failure> {
    match body.get(param) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(Failure::form(
            "form_param_format_invalid",
            param,
            format!("{param} must be a string, found {}", describe(other)),
        )),
    }
}

fn segment(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

fn check_role_key(key: &str) -> Result<(), Failure> {
    if key.strip_prefix("org:").is_some_and(segment) {
        return Ok(());
    }
    Err(Failure::form(
        "form_param_format_invalid",
        "key",
        format!(
            "key must start with 'org:' and contain only lowercase alphanumeric characters and \
             underscores, found {key:?}"
        ),
    ))
}

fn check_permission_key(key: &str) -> Result<(), Failure> {
    let parts: Vec<&str> = key.split(':').collect();
    let ok = matches!(parts.as_slice(), ["org", f, a] if segment(f) && segment(a));
    if !ok || crate::rbac::is_system_permission(key) {
        return Err(Failure::form(
            "form_param_format_invalid",
            "key",
            format!(
                "key must have the format \"org:feature:action\" (lowercase letters, digits, \
                 underscores) and cannot begin with \"org:sys_\", found {key:?}"
            ),
        ));
    }
    Ok(())
}

fn object(bytes: &Bytes) -> Result<Map<String, Value>, Failure> {
    match body_object(bytes)? {
        Value::Object(map) => Ok(map),
        _ => Ok(Map::new()),
    }
}

/// `order_by` of a list (`created_at`, `name`, `key`, `+`/`-`), then `query`, `limit`, `offset`.
fn page<T: Clone + serde::Serialize>(
    items: Vec<T>,
    params: &HashMap<String, String>,
    field: fn(&T, &str) -> String,
    id_of: fn(&T) -> &str,
) -> Answer {
    let l = listing(params)?;
    // A `+` written unencoded in a query string arrives as a space.
    let order = params.get("order_by").map_or("-created_at", |o| o.trim());
    let (desc, by) = match order.strip_prefix('-') {
        Some(by) => (true, by),
        None => (false, order.strip_prefix('+').unwrap_or(order)),
    };
    if !["created_at", "name", "key"].contains(&by) {
        return Err(Failure::form(
            "form_param_value_invalid",
            "order_by",
            format!("order_by must be created_at, name or key (with + or -), found {order:?}"),
        ));
    }
    let mut items = items;
    if let Some(q) = params.get("query").filter(|q| !q.is_empty()) {
        items.retain(|i| {
            id_of(i) == q
                || field(i, "name").contains(q.as_str())
                || field(i, "key").contains(q.as_str())
        });
    }
    items.sort_by_key(|i| field(i, by));
    if desc {
        items.reverse();
    }
    let total_count = items.len() as u64;
    let data: Vec<T> = items.into_iter().skip(l.offset).take(l.limit).collect();
    ok(Page { data, total_count })
}

fn role_field(r: &OrganizationRole, by: &str) -> String {
    match by {
        "name" => r.name.clone(),
        "key" => r.key.clone(),
        _ => format!("{:020}{}", r.created_at, r.id),
    }
}

fn permission_field(p: &OrganizationPermission, by: &str) -> String {
    match by {
        "name" => p.name.clone(),
        "key" => p.key.clone(),
        _ => format!("{:020}{}", p.created_at, p.id),
    }
}

type Shared_ = Arc<Shared>;

pub(super) async fn list_roles(State(shared): State<Shared_>, params: Params) -> Answer {
    let params = query(params)?;
    let st = shared.lock();
    let roles: Vec<OrganizationRole> = st.rbac.roles.iter().map(|r| st.rbac.render(r)).collect();
    page(roles, &params, role_field, |r| &r.id)
}

pub(super) async fn create_role(State(shared): State<Shared_>, body: Bytes) -> Answer {
    let body = object(&body)?;
    let now = shared.clock.now_ms();
    let created = shared.lock().rbac.create_role(&body, now)?;
    ok(created)
}

pub(super) async fn get_role(State(shared): State<Shared_>, Path(id): Path<String>) -> Answer {
    let st = shared.lock();
    let index = st.rbac.role_index(&id)?;
    ok(st.rbac.render(&st.rbac.roles[index]))
}

pub(super) async fn update_role(
    State(shared): State<Shared_>,
    Path(id): Path<String>,
    body: Bytes,
) -> Answer {
    let body = object(&body)?;
    let now = shared.clock.now_ms();
    let updated = shared.lock().rbac.update_role(&id, &body, now)?;
    ok(updated)
}

pub(super) async fn delete_role(State(shared): State<Shared_>, Path(id): Path<String>) -> Answer {
    let mut st = shared.lock();
    let assigned = st.assigned_roles();
    st.rbac.delete_role(&id, &assigned)?;
    ok(DeletedObject {
        object: "role".to_owned(),
        id: Some(id),
        deleted: true,
    })
}

pub(super) async fn assign_permission(
    State(shared): State<Shared_>,
    Path((role, permission)): Path<(String, String)>,
) -> Answer {
    let now = shared.clock.now_ms();
    let role = shared.lock().rbac.assign(&role, &permission, now)?;
    ok(role)
}

pub(super) async fn remove_permission(
    State(shared): State<Shared_>,
    Path((role, permission)): Path<(String, String)>,
) -> Answer {
    let now = shared.clock.now_ms();
    let role = shared.lock().rbac.remove(&role, &permission, now)?;
    ok(role)
}

pub(super) async fn list_permissions(State(shared): State<Shared_>, params: Params) -> Answer {
    let params = query(params)?;
    let st = shared.lock();
    page(
        st.rbac.permissions.clone(),
        &params,
        permission_field,
        |p| &p.id,
    )
}

pub(super) async fn create_permission(State(shared): State<Shared_>, body: Bytes) -> Answer {
    let body = object(&body)?;
    let now = shared.clock.now_ms();
    let created = shared.lock().rbac.create_permission(&body, now)?;
    ok(created)
}

pub(super) async fn get_permission(
    State(shared): State<Shared_>,
    Path(id): Path<String>,
) -> Answer {
    let st = shared.lock();
    let index = st.rbac.permission_index(&id)?;
    ok(st.rbac.permissions[index].clone())
}

pub(super) async fn update_permission(
    State(shared): State<Shared_>,
    Path(id): Path<String>,
    body: Bytes,
) -> Answer {
    let body = object(&body)?;
    let now = shared.clock.now_ms();
    let updated = shared.lock().rbac.update_permission(&id, &body, now)?;
    ok(updated)
}

pub(super) async fn delete_permission(
    State(shared): State<Shared_>,
    Path(id): Path<String>,
) -> Answer {
    shared.lock().rbac.delete_permission(&id)?;
    ok(DeletedObject {
        object: "permission".to_owned(),
        id: Some(id),
        deleted: true,
    })
}
