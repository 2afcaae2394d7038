//! Organization roles and permissions (`/v1/organization_roles`, `/v1/organization_permissions`):
//! the objects, and the client calls `clerk-claims roles` makes.

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{ApiError, ClerkApi, DeletedObject, ListBody, NO_QUERY};

/// An organization permission (`Permission`): a custom one or one of Clerk's system ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationPermission {
    /// Always `permission`.
    pub object: String,
    /// Permission ID.
    pub id: String,
    /// The name shown in the dashboard.
    pub name: String,
    /// The key, e.g. `org:invoices:read`.
    pub key: String,
    /// The description (empty when none).
    pub description: String,
    /// `system` for Clerk's `org:sys_*` permissions, `user` for custom ones.
    #[serde(rename = "type")]
    pub kind: String,
    /// Creation time.
    pub created_at: i64,
    /// Last update.
    pub updated_at: i64,
}

impl OrganizationPermission {
    /// Whether this is one of Clerk's system permissions (`org:sys_*`).
    pub fn is_system(&self) -> bool {
        self.kind == "system" || crate::rbac::is_system_permission(&self.key)
    }
}

/// An organization role (`Role`) with the permissions it grants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationRole {
    /// Always `role`.
    pub object: String,
    /// Role ID.
    pub id: String,
    /// The name shown in the dashboard.
    pub name: String,
    /// The key, e.g. `org:admin`.
    pub key: String,
    /// The description, if any.
    pub description: Option<String>,
    /// Whether the role may be an organization's creator role.
    pub is_creator_eligible: bool,
    /// The permissions the role grants, system ones included.
    pub permissions: Vec<OrganizationPermission>,
    /// Creation time.
    pub created_at: i64,
    /// Last update.
    pub updated_at: i64,
}

/// The fields of a role to create or update; `permissions` are permission **IDs** and, on
/// update, replace the role's whole set (system permissions included).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RoleFields {
    /// The name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Permission IDs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Vec<String>>,
}

/// The instance's roles and permissions as a [`Manifest`](crate::rbac::Manifest), system
/// permissions left out, roles and permissions oldest first: what `roles diff --remote`
/// compares with the code and `roles pull` prints.
pub fn instance_manifest(
    roles: &[OrganizationRole],
    permissions: &[OrganizationPermission],
) -> crate::rbac::Manifest {
    use crate::rbac::{Manifest, ManifestPermission, ManifestRole};
    let mut roles: Vec<&OrganizationRole> = roles.iter().collect();
    roles.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
    let mut permissions: Vec<&OrganizationPermission> = permissions.iter().collect();
    permissions.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
    Manifest::new(
        roles
            .into_iter()
            .map(|r| ManifestRole {
                key: r.key.clone(),
                name: r.name.clone(),
                description: r.description.clone().unwrap_or_default(),
                permissions: r.permissions.iter().map(|p| p.key.clone()).collect(),
            })
            .collect(),
        permissions
            .into_iter()
            .filter(|p| !p.is_system())
            .map(|p| ManifestPermission {
                key: p.key.clone(),
                name: p.name.clone(),
                description: p.description.clone(),
            })
            .collect(),
    )
}

/// Clerk's list limit is 1..=500; one page of the largest size per call.
const PAGE: usize = 500;

impl ClerkApi {
    async fn list_all<T: serde::de::DeserializeOwned>(
        &self,
        resource: &'static str,
        expected: &'static str,
    ) -> Result<Vec<T>, ApiError> {
        let mut all = Vec::new();
        loop {
            let offset = all.len().to_string();
            let limit = PAGE.to_string();
            let body: ListBody<T> = self
                .call(
                    Method::GET,
                    &[resource],
                    Some(&[("limit", limit.as_str()), ("offset", offset.as_str())]),
                    None,
                    expected,
                )
                .await?;
            let page = body.into_page();
            let got = page.data.len();
            all.extend(page.data);
            if got < PAGE || all.len() as u64 >= page.total_count {
                return Ok(all);
            }
        }
    }

    /// `GET /v1/organization_roles`, every page: the instance's roles.
    pub async fn list_organization_roles(&self) -> Result<Vec<OrganizationRole>, ApiError> {
        self.list_all("organization_roles", "a list of Role objects")
            .await
    }

    /// `GET /v1/organization_roles/{id}`.
    pub async fn get_organization_role(&self, id: &str) -> Result<OrganizationRole, ApiError> {
        self.call(
            Method::GET,
            &["organization_roles", id],
            NO_QUERY,
            None,
            "a Role",
        )
        .await
    }

    /// `POST /v1/organization_roles`.
    pub async fn create_organization_role(
        &self,
        fields: &RoleFields,
    ) -> Result<OrganizationRole, ApiError> {
        let body = serde_json::to_value(fields).unwrap_or_else(|_| json!({}));
        self.call(
            Method::POST,
            &["organization_roles"],
            NO_QUERY,
            Some(&body),
            "a Role",
        )
        .await
    }

    /// `PATCH /v1/organization_roles/{id}`: `permissions`, when given, replace the whole set.
    pub async fn update_organization_role(
        &self,
        id: &str,
        fields: &RoleFields,
    ) -> Result<OrganizationRole, ApiError> {
        let body = serde_json::to_value(fields).unwrap_or_else(|_| json!({}));
        self.call(
            Method::PATCH,
            &["organization_roles", id],
            NO_QUERY,
            Some(&body),
            "a Role",
        )
        .await
    }

    /// `DELETE /v1/organization_roles/{id}` (Clerk refuses, with 422, a role in use).
    pub async fn delete_organization_role(&self, id: &str) -> Result<DeletedObject, ApiError> {
        self.call(
            Method::DELETE,
            &["organization_roles", id],
            NO_QUERY,
            None,
            "a DeletedObject",
        )
        .await
    }

    /// `POST /v1/organization_roles/{role_id}/permissions/{permission_id}`.
    pub async fn assign_role_permission(
        &self,
        role_id: &str,
        permission_id: &str,
    ) -> Result<OrganizationRole, ApiError> {
        self.call(
            Method::POST,
            &["organization_roles", role_id, "permissions", permission_id],
            NO_QUERY,
            None,
            "a Role",
        )
        .await
    }

    /// `DELETE /v1/organization_roles/{role_id}/permissions/{permission_id}`.
    pub async fn remove_role_permission(
        &self,
        role_id: &str,
        permission_id: &str,
    ) -> Result<OrganizationRole, ApiError> {
        self.call(
            Method::DELETE,
            &["organization_roles", role_id, "permissions", permission_id],
            NO_QUERY,
            None,
            "a Role",
        )
        .await
    }

    /// `GET /v1/organization_permissions`, every page: system and custom permissions.
    pub async fn list_organization_permissions(
        &self,
    ) -> Result<Vec<OrganizationPermission>, ApiError> {
        self.list_all("organization_permissions", "a list of Permission objects")
            .await
    }

    /// `POST /v1/organization_permissions`.
    pub async fn create_organization_permission(
        &self,
        key: &str,
        name: &str,
        description: &str,
    ) -> Result<OrganizationPermission, ApiError> {
        let body = json!({ "key": key, "name": name, "description": description });
        self.call(
            Method::POST,
            &["organization_permissions"],
            NO_QUERY,
            Some(&body),
            "a Permission",
        )
        .await
    }

    /// `PATCH /v1/organization_permissions/{id}`: name and description.
    pub async fn update_organization_permission(
        &self,
        id: &str,
        name: &str,
        description: &str,
    ) -> Result<OrganizationPermission, ApiError> {
        let body: Value = json!({ "name": name, "description": description });
        self.call(
            Method::PATCH,
            &["organization_permissions", id],
            NO_QUERY,
            Some(&body),
            "a Permission",
        )
        .await
    }

    /// `DELETE /v1/organization_permissions/{id}` (Clerk refuses system permissions).
    pub async fn delete_organization_permission(
        &self,
        id: &str,
    ) -> Result<DeletedObject, ApiError> {
        self.call(
            Method::DELETE,
            &["organization_permissions", id],
            NO_QUERY,
            None,
            "a DeletedObject",
        )
        .await
    }
}
