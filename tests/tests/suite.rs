//! The workspace's integration tests as one binary: each module is one file of this folder (one
//! link instead of forty keeps the cold build and its disk use small). `axum_guards`,
//! `actix_guards` and `revocation_redis` are binaries of their own: each installs a global
//! tracing subscriber to count what the library logs.

mod common;

mod actix_cookie_flow;
mod adapter_parity;
mod api_refresh;
mod api_sessions;
mod api_user_metadata;
mod axum_cookie_flow;
mod axum_extractors;
mod build_export;
mod derive_compiles;
mod derive_contract;
mod derive_drift;
mod derive_fixtures;
mod derive_template_marker;
mod env_config;
mod fake_behaviour;
mod fake_openapi;
mod has_checks;
mod has_semantics;
mod jwks_remote;
mod metrics;
mod node_interop;
mod node_rbac;
mod rbac_manifest;
mod render_fixtures;
mod request_clerk_cases;
mod request_handshake_cases;
mod request_handshake_loopback;
mod request_hardening;
mod request_node_interop;
mod request_org_sync;
mod revocation;
mod roundtrip;
mod session_claims;
mod session_decoding;
mod session_issuer_roundtrip;
mod session_rbac;
mod source;
mod template_rules;
mod vectors_attacks;
mod vectors_clerk_reasons;
mod vectors_rfc;
mod vectors_wycheproof;
mod verify_advice;
mod verify_azp;
mod verify_cache;
mod verify_issuer;
mod verify_no_panic;
mod verify_numeric_dates;
mod verify_pem_env;
mod webhooks;
mod webhooks_fake;
mod webhooks_node;
