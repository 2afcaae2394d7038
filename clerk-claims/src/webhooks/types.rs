//! The Backend API objects webhook events carry in `data`, read tolerantly: the fields a
//! backend syncs are typed, everything else Clerk sends (and anything it adds later) is kept in
//! `other`. Times are Unix milliseconds, as Clerk sends them.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A user (`user.created`, `user.updated`, and `session.*`'s `user`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    /// User ID (`user_…`).
    pub id: String,
    /// Username, when the instance uses usernames.
    #[serde(default)]
    pub username: Option<String>,
    /// First name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// Profile image URL.
    #[serde(default)]
    pub image_url: Option<String>,
    /// The ID of the primary entry of `email_addresses`.
    #[serde(default)]
    pub primary_email_address_id: Option<String>,
    /// The ID of the primary entry of `phone_numbers`.
    #[serde(default)]
    pub primary_phone_number_id: Option<String>,
    /// Email addresses.
    #[serde(default)]
    pub email_addresses: Vec<EmailAddress>,
    /// Phone numbers.
    #[serde(default)]
    pub phone_numbers: Vec<PhoneNumber>,
    /// The ID in your own system, when set.
    #[serde(default)]
    pub external_id: Option<String>,
    /// Public metadata (readable by the frontend).
    #[serde(default)]
    pub public_metadata: Value,
    /// Private metadata (backend only).
    #[serde(default)]
    pub private_metadata: Value,
    /// Unsafe metadata (writable by the frontend).
    #[serde(default)]
    pub unsafe_metadata: Value,
    /// Banned by an administrator.
    #[serde(default)]
    pub banned: bool,
    /// Locked after too many failed sign-in attempts.
    #[serde(default)]
    pub locked: bool,
    /// Last sign-in.
    #[serde(default)]
    pub last_sign_in_at: Option<i64>,
    /// Last activity.
    #[serde(default)]
    pub last_active_at: Option<i64>,
    /// Creation.
    #[serde(default)]
    pub created_at: i64,
    /// Last update.
    #[serde(default)]
    pub updated_at: i64,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl User {
    /// The primary email address, when the user has one.
    pub fn primary_email(&self) -> Option<&str> {
        let id = self.primary_email_address_id.as_deref()?;
        self.email_addresses
            .iter()
            .find(|e| e.id == id)
            .map(|e| e.email_address.as_str())
    }
}

/// One of a user's email addresses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmailAddress {
    /// ID (`idn_…`).
    pub id: String,
    /// The address.
    pub email_address: String,
    /// Verification state (`{status, strategy, …}`), when any.
    #[serde(default)]
    pub verification: Option<Value>,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// One of a user's phone numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhoneNumber {
    /// ID (`idn_…`).
    pub id: String,
    /// The number (E.164).
    pub phone_number: String,
    /// Verification state, when any.
    #[serde(default)]
    pub verification: Option<Value>,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// A session (`session.created|ended|removed|revoked`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// Session ID (`sess_…`): a token's `sid`.
    pub id: String,
    /// The signed-in user.
    pub user_id: String,
    /// The client (browser or device) holding the session.
    #[serde(default)]
    pub client_id: Option<String>,
    /// Status on the wire: `active`, `revoked`, `ended`, `removed`, `expired`, `abandoned`,
    /// `replaced` or `pending`.
    pub status: String,
    /// The active organization, if any.
    #[serde(default)]
    pub last_active_organization_id: Option<String>,
    /// The impersonator during impersonation.
    #[serde(default)]
    pub actor: Option<Value>,
    /// Device and location of the latest activity, when Clerk sent them.
    #[serde(default)]
    pub latest_activity: Option<Value>,
    /// Last activity.
    #[serde(default)]
    pub last_active_at: Option<i64>,
    /// Expiry.
    #[serde(default)]
    pub expire_at: Option<i64>,
    /// Abandonment time.
    #[serde(default)]
    pub abandon_at: Option<i64>,
    /// Creation.
    #[serde(default)]
    pub created_at: Option<i64>,
    /// Last update.
    #[serde(default)]
    pub updated_at: Option<i64>,
    /// The session's user, when Clerk included it.
    #[serde(default)]
    pub user: Option<Box<User>>,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// An organization (`organization.created|updated`, and a membership's `organization`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organization {
    /// Organization ID (`org_…`).
    pub id: String,
    /// Name.
    pub name: String,
    /// Slug.
    #[serde(default)]
    pub slug: Option<String>,
    /// Logo URL.
    #[serde(default)]
    pub image_url: Option<String>,
    /// Member count, when included.
    #[serde(default)]
    pub members_count: Option<u64>,
    /// The most members allowed (0: no limit).
    #[serde(default)]
    pub max_allowed_memberships: Option<u64>,
    /// Public metadata.
    #[serde(default)]
    pub public_metadata: Value,
    /// Private metadata.
    #[serde(default)]
    pub private_metadata: Value,
    /// The user who created it.
    #[serde(default)]
    pub created_by: Option<String>,
    /// Creation.
    #[serde(default)]
    pub created_at: i64,
    /// Last update.
    #[serde(default)]
    pub updated_at: i64,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// A membership of a user in an organization (`organizationMembership.*`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganizationMembership {
    /// Membership ID (`orgmem_…`).
    pub id: String,
    /// The role key, e.g. `org:admin`.
    pub role: String,
    /// The permission keys the role grants.
    #[serde(default)]
    pub permissions: Vec<String>,
    /// Public metadata.
    #[serde(default)]
    pub public_metadata: Value,
    /// Private metadata.
    #[serde(default)]
    pub private_metadata: Value,
    /// The organization.
    pub organization: Organization,
    /// The member, as far as the organization may see them.
    pub public_user_data: PublicUserData,
    /// Creation.
    #[serde(default)]
    pub created_at: i64,
    /// Last update.
    #[serde(default)]
    pub updated_at: i64,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// The member of an [`OrganizationMembership`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicUserData {
    /// User ID.
    pub user_id: String,
    /// The user's identifier (email address, phone number or username).
    #[serde(default)]
    pub identifier: Option<String>,
    /// First name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// Profile image URL.
    #[serde(default)]
    pub image_url: Option<String>,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// What `user.deleted` and `organization.deleted` carry: `{object, id, deleted: true}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeletedObject {
    /// The deleted object's type, e.g. `user`.
    pub object: String,
    /// The deleted object's ID.
    #[serde(default)]
    pub id: Option<String>,
    /// The deleted organization's slug, when sent.
    #[serde(default)]
    pub slug: Option<String>,
    /// A deleted user's `external_id`, when one was set.
    #[serde(default)]
    pub external_id: Option<String>,
    /// Always true.
    #[serde(default)]
    pub deleted: bool,
}
