//! `clerk-claims roles diff|push|pull`: the roles manifest of the code (exported by a build
//! script with `clerk_claims::build::write_manifest`) against the instance's organization
//! roles and permissions.

use std::collections::HashMap;

use clerk_claims::api::{
    ApiError, ClerkApi, OrganizationPermission, OrganizationRole, RoleFields, instance_manifest,
};
use clerk_claims::rbac::{Drift, Manifest, ManifestRole};
use serde_json::json;

use crate::config::ApiArgs;
use crate::error::CliError;

/// `roles …`.
#[derive(Debug, clap::Subcommand)]
pub enum RolesCmd {
    /// Compare a roles manifest with the instance (`--remote`) or another manifest; exit 1 on
    /// a difference. System permissions are Clerk's and ignored on both sides.
    Diff {
        /// The roles manifest (`write_manifest` in a build script).
        file: String,
        /// The other manifest.
        #[arg(conflicts_with = "remote", required_unless_present = "remote")]
        other: Option<String>,
        /// Compare with the instance's roles and permissions (Backend API).
        #[arg(long)]
        remote: bool,
        /// `{"in_sync": bool, "drift": [{"kind": …}]}` on one line.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        api: ApiArgs,
    },
    /// Create and update the instance's roles and permissions to match the manifest.
    ///
    /// Keeps each role's system permissions (Clerk's role update replaces the whole set).
    /// Deletes nothing without `--prune`, and never a role Clerk refuses to delete.
    Push {
        /// The roles manifest.
        file: String,
        /// Also delete roles and custom permissions the manifest does not declare.
        #[arg(long)]
        prune: bool,
        #[command(flatten)]
        api: ApiArgs,
    },
    /// Print the instance's roles and permissions as two Rust enums, ready to paste.
    Pull {
        #[command(flatten)]
        api: ApiArgs,
    },
}

/// Runs one `roles` command.
pub async fn run(command: RolesCmd) -> Result<String, CliError> {
    match command {
        RolesCmd::Diff {
            file,
            other,
            remote,
            json,
            api,
        } => {
            let code = read_manifest(&file)?;
            let (theirs, label) = match (other, remote) {
                (_, true) => {
                    let client = api.client()?;
                    let (roles, permissions) = fetch(&client).await?;
                    (
                        instance_manifest(&roles, &permissions),
                        client.base_url().to_owned(),
                    )
                }
                (Some(other), false) => (read_manifest(&other)?, other),
                (None, false) => {
                    return Err(CliError::Usage(
                        "roles diff: give a second FILE or --remote".to_owned(),
                    ));
                }
            };
            let drift = code.diff(&theirs);
            report(&file, &label, &drift, json)
        }
        RolesCmd::Push { file, prune, api } => {
            let code = read_manifest(&file)?;
            push(&api.client()?, &file, &code, prune).await
        }
        RolesCmd::Pull { api } => {
            let client = api.client()?;
            let (roles, permissions) = fetch(&client).await?;
            Ok(rust_enums(&instance_manifest(&roles, &permissions)))
        }
    }
}

/// A manifest file, or a usage error naming the file and the field.
pub fn read_manifest(path: &str) -> Result<Manifest, CliError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError::Usage(format!("cannot read roles manifest {path}: {e}")))?;
    Manifest::from_json(&text).map_err(|e| CliError::Usage(format!("{path}: {e}")))
}

async fn fetch(
    client: &ClerkApi,
) -> Result<(Vec<OrganizationRole>, Vec<OrganizationPermission>), ApiError> {
    let roles = client.list_organization_roles().await?;
    let permissions = client.list_organization_permissions().await?;
    Ok((roles, permissions))
}

/// The drift between the code's manifest and the instance, as text or JSON.
pub fn drift_lines(drift: &[Drift]) -> Vec<String> {
    drift.iter().map(ToString::to_string).collect()
}

fn report(file: &str, label: &str, drift: &[Drift], json_out: bool) -> Result<String, CliError> {
    if json_out {
        let body = json!({ "in_sync": drift.is_empty(), "drift": drift }).to_string();
        return if drift.is_empty() {
            Ok(body)
        } else {
            Err(CliError::Differ(body))
        };
    }
    if drift.is_empty() {
        return Ok(format!(
            "{file} and {label}: the same roles and permissions (system permissions aside)"
        ));
    }
    let mut out = format!(
        "{file} (code) and {label} (instance) differ in {} place{}:",
        drift.len(),
        if drift.len() == 1 { "" } else { "s" }
    );
    for line in drift_lines(drift) {
        out.push_str("\n  ");
        out.push_str(&line);
    }
    out.push_str(&format!(
        "\nrun `clerk-claims roles push {file}` to make the instance match the code, or \
         `clerk-claims roles pull` to start the code from the instance"
    ));
    Err(CliError::Differ(out))
}

/// What `push` did so far, for the report and for a failure midway.
struct Steps(Vec<String>);

impl Steps {
    fn failed(&self, doing: &str, e: &ApiError) -> CliError {
        let done = if self.0.is_empty() {
            "nothing was changed".to_owned()
        } else {
            format!("steps that ran before it:\n  {}", self.0.join("\n  "))
        };
        CliError::Rejected(format!(
            "roles push stopped: Clerk refused to {doing}: {e}\n{done}"
        ))
    }
}

async fn push(
    client: &ClerkApi,
    file: &str,
    code: &Manifest,
    prune: bool,
) -> Result<String, CliError> {
    let (roles, mut permissions) = fetch(client).await?;
    let mut steps = Steps(Vec::new());
    // Permissions first: roles grant them by ID.
    for p in &code.permissions {
        match permissions.iter().find(|i| i.key == p.key) {
            None => {
                let created = client
                    .create_organization_permission(&p.key, &p.name, &p.description)
                    .await
                    .map_err(|e| steps.failed(&format!("create permission {}", p.key), &e))?;
                steps.0.push(format!("created permission {}", p.key));
                permissions.push(created);
            }
            // A description the code does not declare (empty) keeps the instance's.
            Some(i)
                if i.name != p.name
                    || (!p.description.is_empty() && i.description != p.description) =>
            {
                let description = if p.description.is_empty() {
                    &i.description
                } else {
                    &p.description
                };
                client
                    .update_organization_permission(&i.id, &p.name, description)
                    .await
                    .map_err(|e| steps.failed(&format!("update permission {}", p.key), &e))?;
                steps.0.push(format!("updated permission {}", p.key));
            }
            Some(_) => {}
        }
    }
    let ids: HashMap<&str, &str> = permissions
        .iter()
        .map(|p| (p.key.as_str(), p.id.as_str()))
        .collect();
    let grant_ids = |r: &ManifestRole| -> Vec<String> {
        r.permissions
            .iter()
            .filter_map(|k| ids.get(k.as_str()).map(|id| (*id).to_owned()))
            .collect()
    };
    for r in &code.roles {
        match roles.iter().find(|i| i.key == r.key) {
            None => {
                let fields = RoleFields {
                    name: Some(r.name.clone()),
                    key: Some(r.key.clone()),
                    description: Some(r.description.clone()),
                    permissions: Some(grant_ids(r)),
                };
                client
                    .create_organization_role(&fields)
                    .await
                    .map_err(|e| steps.failed(&format!("create role {}", r.key), &e))?;
                steps.0.push(format!("created role {}", r.key));
            }
            Some(i) => {
                let mut fields = RoleFields::default();
                if i.name != r.name {
                    fields.name = Some(r.name.clone());
                }
                if !r.description.is_empty()
                    && i.description.as_deref().unwrap_or_default() != r.description
                {
                    fields.description = Some(r.description.clone());
                }
                let custom: Vec<&str> = i
                    .permissions
                    .iter()
                    .filter(|p| !p.is_system())
                    .map(|p| p.key.as_str())
                    .collect();
                let same_grants = custom.len() == r.permissions.len()
                    && r.permissions.iter().all(|k| custom.contains(&k.as_str()));
                if !same_grants {
                    // Clerk's update replaces the whole set: keep the system permissions.
                    let mut set: Vec<String> = i
                        .permissions
                        .iter()
                        .filter(|p| p.is_system())
                        .map(|p| p.id.clone())
                        .collect();
                    set.extend(grant_ids(r));
                    fields.permissions = Some(set);
                }
                if fields != RoleFields::default() {
                    client
                        .update_organization_role(&i.id, &fields)
                        .await
                        .map_err(|e| steps.failed(&format!("update role {}", r.key), &e))?;
                    steps.0.push(format!("updated role {}", r.key));
                }
            }
        }
    }
    let mut kept = Vec::new();
    if prune {
        for i in roles
            .iter()
            .filter(|i| !code.roles.iter().any(|r| r.key == i.key))
        {
            match client.delete_organization_role(&i.id).await {
                Ok(_) => steps.0.push(format!("deleted role {}", i.key)),
                // Clerk refuses to delete a role in use (422): kept, and said so.
                Err(ApiError::Clerk { failure, .. }) if failure.status == 422 => {
                    kept.push(format!(
                        "kept role {}: Clerk refuses to delete it: {}",
                        i.key, failure.long_message
                    ));
                }
                Err(e) => return Err(steps.failed(&format!("delete role {}", i.key), &e)),
            }
        }
        for p in permissions
            .iter()
            .filter(|p| !p.is_system() && !code.permissions.iter().any(|c| c.key == p.key))
        {
            client
                .delete_organization_permission(&p.id)
                .await
                .map_err(|e| steps.failed(&format!("delete permission {}", p.key), &e))?;
            steps.0.push(format!("deleted permission {}", p.key));
        }
    }
    let mut out = if steps.0.is_empty() {
        format!("{file}: the instance already matches; nothing to change")
    } else {
        format!(
            "{file}: pushed to {}:\n  {}",
            client.base_url(),
            steps.0.join("\n  ")
        )
    };
    for line in kept {
        out.push_str("\n  ");
        out.push_str(&line);
    }
    if !prune {
        let extra = code.diff(&instance_manifest(&roles, &permissions));
        let only_instance: Vec<String> = extra
            .iter()
            .filter(|d| {
                matches!(
                    d,
                    Drift::RoleOnlyInInstance { .. } | Drift::PermissionOnlyInInstance { .. }
                )
            })
            .map(ToString::to_string)
            .collect();
        if !only_instance.is_empty() {
            out.push_str("\nleft in place (pass --prune to delete):\n  ");
            out.push_str(&only_instance.join("\n  "));
        }
    }
    Ok(out)
}

/// A key's last segment in PascalCase: `org:billing_manager` → `BillingManager`,
/// `org:invoices:read` → `InvoicesRead` (feature and action).
fn variant_name(key: &str, segments: usize) -> String {
    let parts: Vec<&str> = key.split(':').collect();
    let tail = &parts[parts.len().saturating_sub(segments)..];
    let mut out = String::new();
    for part in tail {
        for word in part.split(|c: char| !c.is_ascii_alphanumeric()) {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                out.extend(first.to_uppercase());
                out.push_str(chars.as_str());
            }
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'K');
    }
    out
}

fn attr(key: &str, name: &str, description: &str, grants: Option<&[String]>) -> String {
    let mut out = format!("key = {key:?}, name = {name:?}");
    if !description.is_empty() {
        out.push_str(&format!(", description = {description:?}"));
    }
    if let Some(grants) = grants.filter(|g| !g.is_empty()) {
        out.push_str(&format!(", grants({})", grants.join(", ")));
    }
    out
}

/// Both enums, `grants(..)` included, for `roles pull`.
pub fn rust_enums(m: &Manifest) -> String {
    let mut out = String::from(
        "use clerk_claims::{ClerkPermission, ClerkRole};\n\n\
         #[derive(ClerkPermission, Debug, Clone, Copy, PartialEq, Eq, Hash)]\npub enum Permission {\n",
    );
    let names: HashMap<&str, String> = m
        .permissions
        .iter()
        .map(|p| (p.key.as_str(), variant_name(&p.key, 2)))
        .collect();
    for p in &m.permissions {
        out.push_str(&format!(
            "    #[clerk({})]\n    {},\n",
            attr(&p.key, &p.name, &p.description, None),
            names[p.key.as_str()]
        ));
    }
    out.push_str(
        "}\n\n#[derive(ClerkRole, Debug, Clone, Copy, PartialEq, Eq, Hash)]\n\
         #[clerk(permissions = Permission)]\npub enum Role {\n",
    );
    for r in &m.roles {
        let grants: Vec<String> = r
            .permissions
            .iter()
            .filter_map(|k| names.get(k.as_str()).cloned())
            .collect();
        out.push_str(&format!(
            "    #[clerk({})]\n    {},\n",
            attr(&r.key, &r.name, &r.description, Some(&grants)),
            variant_name(&r.key, 1)
        ));
    }
    out.push('}');
    out
}

/// `doctor roles --roles FILE`: the diff as one check, `Err((measured, fix))` on drift.
pub async fn doctor(file: Option<&str>, client: &ClerkApi) -> Result<String, (String, String)> {
    let Some(file) = file else {
        return Err((
            "no roles manifest to compare".to_owned(),
            "give --roles FILE (the file clerk_claims::build::write_manifest exports)".to_owned(),
        ));
    };
    let code = read_manifest(file).map_err(|e| (e.to_string(), "fix the file".to_owned()))?;
    let (roles, permissions) = fetch(client).await.map_err(|e| {
        (
            format!("cannot read the instance's roles: {e}"),
            "check CLERK_SECRET_KEY and CLERK_API_URL".to_owned(),
        )
    })?;
    let drift = code.diff(&instance_manifest(&roles, &permissions));
    if drift.is_empty() {
        return Ok(format!(
            "{} roles and {} permissions of {file} equal the instance's",
            code.roles.len(),
            code.permissions.len()
        ));
    }
    let lines = drift_lines(&drift);
    let mut shown: Vec<&str> = lines.iter().take(3).map(String::as_str).collect();
    if lines.len() > shown.len() {
        shown.push("…");
    }
    Err((
        format!("the instance differs from {file}: {}", shown.join("; ")),
        format!(
            "push the code (clerk-claims roles push {file}) or update it from the instance \
             (clerk-claims roles pull); `roles diff {file} --remote` shows every difference"
        ),
    ))
}
