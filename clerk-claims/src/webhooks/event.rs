//! The event a verified delivery carries: typed for users, sessions, organizations and
//! memberships, raw JSON with its type string for everything else.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::error::WebhookError;
use super::types::{DeletedObject, Organization, OrganizationMembership, Session, User};
use crate::json_text::{clip, describe};

/// A Clerk webhook event. New event types appear over time: an unknown type is
/// [`WebhookEvent::Other`], never an error.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum WebhookEvent {
    /// `user.created`.
    UserCreated(Box<User>),
    /// `user.updated`.
    UserUpdated(Box<User>),
    /// `user.deleted`.
    UserDeleted(DeletedObject),
    /// `session.created`: a sign-in.
    SessionCreated(Box<Session>),
    /// `session.ended`: signed out.
    SessionEnded(Box<Session>),
    /// `session.removed`: signed out and removed from the client.
    SessionRemoved(Box<Session>),
    /// `session.revoked`: ended by the application ("sign out other devices").
    SessionRevoked(Box<Session>),
    /// `organization.created`.
    OrganizationCreated(Box<Organization>),
    /// `organization.updated`.
    OrganizationUpdated(Box<Organization>),
    /// `organization.deleted`.
    OrganizationDeleted(DeletedObject),
    /// `organizationMembership.created`.
    OrganizationMembershipCreated(Box<OrganizationMembership>),
    /// `organizationMembership.updated` (e.g. a role change).
    OrganizationMembershipUpdated(Box<OrganizationMembership>),
    /// `organizationMembership.deleted`.
    OrganizationMembershipDeleted(Box<OrganizationMembership>),
    /// Any other type (`email.created`, `role.updated`, a `session.*` added later, …).
    Other {
        /// The event type as sent.
        event_type: String,
        /// `data`, as sent.
        data: Value,
    },
}

impl WebhookEvent {
    /// The event type, known or not: `session.revoked`, `user.created`, `email.created`, ….
    pub fn event_type(&self) -> &str {
        match self {
            Self::UserCreated(_) => "user.created",
            Self::UserUpdated(_) => "user.updated",
            Self::UserDeleted(_) => "user.deleted",
            Self::SessionCreated(_) => "session.created",
            Self::SessionEnded(_) => "session.ended",
            Self::SessionRemoved(_) => "session.removed",
            Self::SessionRevoked(_) => "session.revoked",
            Self::OrganizationCreated(_) => "organization.created",
            Self::OrganizationUpdated(_) => "organization.updated",
            Self::OrganizationDeleted(_) => "organization.deleted",
            Self::OrganizationMembershipCreated(_) => "organizationMembership.created",
            Self::OrganizationMembershipUpdated(_) => "organizationMembership.updated",
            Self::OrganizationMembershipDeleted(_) => "organizationMembership.deleted",
            Self::Other { event_type, .. } => event_type,
        }
    }

    /// The session whose tokens must stop working now: `Some` for `session.revoked`,
    /// `session.ended` and `session.removed`.
    pub fn ended_session(&self) -> Option<&Session> {
        match self {
            Self::SessionRevoked(s) | Self::SessionEnded(s) | Self::SessionRemoved(s) => Some(s),
            _ => None,
        }
    }

    /// Reads `data` for `event_type`.
    pub fn from_parts(event_type: &str, data: Value) -> Result<Self, WebhookError> {
        Ok(match event_type {
            "user.created" => Self::UserCreated(typed(event_type, data)?),
            "user.updated" => Self::UserUpdated(typed(event_type, data)?),
            "user.deleted" => Self::UserDeleted(typed(event_type, data)?),
            "session.created" => Self::SessionCreated(typed(event_type, data)?),
            "session.ended" => Self::SessionEnded(typed(event_type, data)?),
            "session.removed" => Self::SessionRemoved(typed(event_type, data)?),
            "session.revoked" => Self::SessionRevoked(typed(event_type, data)?),
            "organization.created" => Self::OrganizationCreated(typed(event_type, data)?),
            "organization.updated" => Self::OrganizationUpdated(typed(event_type, data)?),
            "organization.deleted" => Self::OrganizationDeleted(typed(event_type, data)?),
            "organizationMembership.created" => {
                Self::OrganizationMembershipCreated(typed(event_type, data)?)
            }
            "organizationMembership.updated" => {
                Self::OrganizationMembershipUpdated(typed(event_type, data)?)
            }
            "organizationMembership.deleted" => {
                Self::OrganizationMembershipDeleted(typed(event_type, data)?)
            }
            _ => Self::Other {
                event_type: event_type.to_owned(),
                data,
            },
        })
    }

    /// `data` as JSON again: every field that was sent, with its value (the typed objects keep
    /// the fields they have no member for; an optional member that was absent comes back null).
    pub fn data(&self) -> Value {
        let json = match self {
            Self::UserCreated(u) | Self::UserUpdated(u) => serde_json::to_value(u),
            Self::UserDeleted(d) | Self::OrganizationDeleted(d) => serde_json::to_value(d),
            Self::SessionCreated(s)
            | Self::SessionEnded(s)
            | Self::SessionRemoved(s)
            | Self::SessionRevoked(s) => serde_json::to_value(s),
            Self::OrganizationCreated(o) | Self::OrganizationUpdated(o) => serde_json::to_value(o),
            Self::OrganizationMembershipCreated(m)
            | Self::OrganizationMembershipUpdated(m)
            | Self::OrganizationMembershipDeleted(m) => serde_json::to_value(m),
            Self::Other { data, .. } => return data.clone(),
        };
        // Serializing these plain data types to a Value cannot fail.
        json.unwrap_or(Value::Null)
    }
}

fn typed<T: DeserializeOwned>(event_type: &str, data: Value) -> Result<T, WebhookError> {
    serde_json::from_value(data).map_err(|e| WebhookError::Body {
        expected: format!("the object Clerk sends for {event_type} in \"data\""),
        found: clip(&e.to_string()).into_owned(),
    })
}

/// `event_attributes.http_request`: the request that caused the event.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct HttpRequest {
    /// The client's IP address.
    #[serde(default)]
    pub client_ip: Option<String>,
    /// The client's `User-Agent`.
    #[serde(default)]
    pub user_agent: Option<String>,
}

/// A verified delivery: its id and timestamp, the event's envelope, and the event.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookMessage {
    /// `svix-id`: the same on every retry of one message, so a handler can skip repeats.
    pub id: String,
    /// `svix-timestamp`: when this attempt was signed (Unix seconds).
    pub timestamp: i64,
    /// The body's `timestamp`: when the event happened (Unix milliseconds).
    pub event_timestamp_ms: Option<i64>,
    /// The Clerk instance (`ins_…`).
    pub instance_id: Option<String>,
    /// The request that caused the event, when Clerk sent it.
    pub http_request: Option<HttpRequest>,
    /// The event.
    pub event: WebhookEvent,
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(rename = "type")]
    event_type: Value,
    #[serde(default)]
    data: Value,
    #[serde(default)]
    timestamp: Option<i64>,
    #[serde(default)]
    instance_id: Option<String>,
    #[serde(default)]
    event_attributes: Option<EventAttributes>,
}

#[derive(Deserialize)]
struct EventAttributes {
    #[serde(default)]
    http_request: Option<HttpRequest>,
}

impl WebhookMessage {
    /// Reads a verified body (`{type, data, timestamp, instance_id, event_attributes}`).
    pub(super) fn parse(id: String, timestamp: i64, body: &[u8]) -> Result<Self, WebhookError> {
        let envelope: Envelope = serde_json::from_slice(body).map_err(|e| WebhookError::Body {
            expected: "a JSON object with \"type\" and \"data\"".to_owned(),
            found: clip(&e.to_string()).into_owned(),
        })?;
        let Value::String(event_type) = envelope.event_type else {
            return Err(WebhookError::Body {
                expected: "\"type\" to be a string such as \"user.created\"".to_owned(),
                found: describe(&envelope.event_type),
            });
        };
        let event = WebhookEvent::from_parts(&event_type, envelope.data)?;
        Ok(Self {
            id,
            timestamp,
            event_timestamp_ms: envelope.timestamp,
            instance_id: envelope.instance_id,
            http_request: envelope.event_attributes.and_then(|a| a.http_request),
            event,
        })
    }
}
