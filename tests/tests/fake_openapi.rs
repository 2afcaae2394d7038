//! Every response body FakeClerk sends validates against Clerk's published Backend API
//! OpenAPI spec (`testdata/clerk-openapi/bapi-2026-05-12.full.yml`), per operation and status,
//! with `$ref`s resolved from the spec. This keeps the fake from drifting from Clerk's API.

use clerk_claims::testing::fake::FakeClerk;
use serde_json::{Value, json};

const SPEC: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../testdata/clerk-openapi/bapi-2026-05-12.full.yml"
);

/// The spec, with OpenAPI 3.0 `nullable` turned into JSON Schema `null` types.
struct Spec {
    doc: Value,
    components: Value,
}

/// OpenAPI 3.0 `nullable: true` is not JSON Schema: rewrite it as "or null".
fn nullable_to_json_schema(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for child in map.values_mut() {
                nullable_to_json_schema(child);
            }
            if map.remove("nullable") == Some(Value::Bool(true)) {
                let inner = Value::Object(std::mem::take(map));
                map.insert("anyOf".to_owned(), json!([{ "type": "null" }, inner]));
            }
        }
        Value::Array(items) => items.iter_mut().for_each(nullable_to_json_schema),
        _ => {}
    }
}

impl Spec {
    fn load() -> Spec {
        let text = std::fs::read_to_string(SPEC).expect("spec file in testdata");
        let doc: Value = serde_yaml_ng::from_str(&text).expect("spec is YAML");
        let mut components = doc["components"].clone();
        nullable_to_json_schema(&mut components);
        Spec { doc, components }
    }

    /// The JSON pointer of the response schema of `method path` for `status`.
    fn response_schema(&self, method: &str, path: &str, status: u16) -> Value {
        let op = &self.doc["paths"][path][method];
        assert!(op.is_object(), "the spec has no operation {method} {path}");
        let response = &op["responses"][status.to_string()];
        if response.is_null() {
            assert!(
                status >= 400,
                "{method} {path}: the spec documents no {status} response"
            );
            // Error statuses the spec does not list for this operation still use Clerk's
            // error envelope.
            return json!({ "$ref": "#/components/schemas/ClerkErrors" });
        }
        let response = match response.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let name = r.trim_start_matches("#/components/responses/");
                &self.doc["components"]["responses"][name]
            }
            None => response,
        };
        let mut schema = response["content"]["application/json"]["schema"].clone();
        assert!(
            !schema.is_null(),
            "{method} {path} {status}: no JSON schema"
        );
        nullable_to_json_schema(&mut schema);
        schema
    }

    /// Validates `body`; panics with every violation.
    fn check(&self, method: &str, path: &str, status: u16, body: &Value) {
        let mut schema = self.response_schema(method, path, status);
        // `?paginated=true` answers `{data, total_count}` (Clerk's list endpoints); the spec documents the
        // bare array, so the items are checked against the array's item schema.
        let body = if body.get("total_count").is_some() && schema["type"] == "array" {
            assert!(body["total_count"].is_u64(), "total_count is an integer");
            schema = json!({ "type": "array", "items": schema["items"].clone() });
            body["data"].clone()
        } else {
            body.clone()
        };
        let mut root = schema.as_object().cloned().unwrap_or_default();
        root.insert("components".to_owned(), self.components.clone());
        let root = Value::Object(root);
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .build(&root)
            .unwrap_or_else(|e| panic!("schema for {method} {path} {status} compiles: {e}"));
        let errors: Vec<String> = validator
            .iter_errors(&body)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{method} {path} {status}: the fake's body does not match Clerk's OpenAPI schema:\n{}\nbody: {body}",
            errors.join("\n")
        );
    }
}

struct Client {
    http: reqwest::Client,
    base: String,
    key: String,
    spec: Spec,
    checked: Vec<String>,
}

impl Client {
    /// A client of `fake` that checks every answer against the spec.
    fn new(fake: &FakeClerk) -> Client {
        Client {
            http: reqwest::Client::new(),
            base: fake.url(),
            key: fake.secret_key().to_owned(),
            spec: Spec::load(),
            checked: Vec::new(),
        }
    }

    /// Sends a request and validates the answer against the spec operation `spec_path`.
    async fn call(
        &mut self,
        method: &str,
        path: &str,
        spec_path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let m = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
        let mut req = self
            .http
            .request(m, format!("{}{path}", self.base))
            .bearer_auth(&self.key);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("the fake answers");
        let status = resp.status().as_u16();
        let body: Value = resp.json().await.expect("the fake answers JSON");
        self.spec.check(method, spec_path, status, &body);
        self.checked.push(format!("{method} {path} {status}"));
        (status, body)
    }
}

#[tokio::test]
async fn every_fake_response_body_matches_the_openapi_schema() {
    let fake = FakeClerk::start();
    let mut c = Client::new(&fake);

    // JWKS, from the Backend API and the Frontend API (the same JWKS schema).
    let (s, _) = c.call("get", "/v1/jwks", "/jwks", None).await;
    assert_eq!(s, 200);
    let (s, jwks) = c.call("get", "/.well-known/jwks.json", "/jwks", None).await;
    assert_eq!(s, 200);
    assert!(
        jwks["keys"].as_array().is_some_and(|k| !k.is_empty()),
        "{jwks}"
    );

    // Users: every seeded user, and an unknown one.
    let seed = clerk_claims::testing::fake::Seed::default_seed().expect("seed");
    for user in &seed.users {
        let id = user["id"].as_str().expect("id");
        let (s, _) = c
            .call("get", &format!("/v1/users/{id}"), "/users/{user_id}", None)
            .await;
        assert_eq!(s, 200);
    }
    let (s, _) = c
        .call("get", "/v1/users/user_nobody", "/users/{user_id}", None)
        .await;
    assert_eq!(s, 404);

    // JWT templates: create, list (both forms), get, update, delete, and Clerk's refusals.
    let body = json!({"name": "api", "claims": {"email": "{{user.primary_email_address}}", "org": "{{org.id}}"}, "lifetime": 300});
    let (s, created) = c
        .call("post", "/v1/jwt_templates", "/jwt_templates", Some(body))
        .await;
    assert_eq!(s, 200);
    let id = created["id"].as_str().expect("id").to_owned();
    let refusals = [
        (json!({"name": "x", "claims": {"sub": "{{user.id}}"}}), 400),
        (json!({"name": "bad name!", "claims": {}}), 422),
        (json!({"name": "api", "claims": {}}), 422),
        (json!({"name": "x", "claims": {"aud": "Clerk"}}), 422),
        (json!({"name": "x", "claims": {}, "lifetime": 10}), 422),
        (json!({"claims": {}}), 422),
    ];
    for (body, want) in refusals {
        let (s, _) = c
            .call(
                "post",
                "/v1/jwt_templates",
                "/jwt_templates",
                Some(body.clone()),
            )
            .await;
        assert_eq!(s, want, "{body}");
    }
    let (s, list) = c
        .call("get", "/v1/jwt_templates", "/jwt_templates", None)
        .await;
    assert_eq!((s, list.as_array().map(Vec::len)), (200, Some(1)));
    let (s, _) = c
        .call(
            "get",
            "/v1/jwt_templates?paginated=true",
            "/jwt_templates",
            None,
        )
        .await;
    assert_eq!(s, 200);
    let one = "/jwt_templates/{template_id}";
    let (s, _) = c
        .call("get", &format!("/v1/jwt_templates/{id}"), one, None)
        .await;
    assert_eq!(s, 200);
    let (s, _) = c
        .call("get", "/v1/jwt_templates/jtmpl_nope", one, None)
        .await;
    assert_eq!(s, 404);
    let patch = json!({"name": "api", "claims": {"email": "{{user.primary_email_address}}"}});
    let (s, updated) = c
        .call(
            "patch",
            &format!("/v1/jwt_templates/{id}"),
            one,
            Some(patch),
        )
        .await;
    assert_eq!((s, updated["lifetime"].as_u64()), (200, Some(300)));
    let (s, _) = c
        .call(
            "patch",
            &format!("/v1/jwt_templates/{id}"),
            one,
            Some(json!({"name": "api"})),
        )
        .await;
    assert_eq!(s, 422);

    // Sessions: list (bare, paginated, filtered), get, create, revoke, refusals.
    let (s, list) = c
        .call("get", "/v1/sessions?user_id=user_2alice", "/sessions", None)
        .await;
    assert_eq!((s, list.as_array().map(Vec::len)), (200, Some(3)));
    let (s, _) = c
        .call(
            "get",
            "/v1/sessions?user_id=user_2alice&status=active&paginated=true&limit=1&offset=1",
            "/sessions",
            None,
        )
        .await;
    assert_eq!(s, 200);
    let (s, _) = c
        .call(
            "get",
            "/v1/sessions?user_id=user_2alice&status=bogus",
            "/sessions",
            None,
        )
        .await;
    assert_eq!(s, 422);
    let sess = "/sessions/{session_id}";
    let (s, _) = c
        .call("get", "/v1/sessions/sess_2bob_acme", sess, None)
        .await;
    assert_eq!(s, 200);
    let (s, impersonated) = c
        .call("get", "/v1/sessions/sess_2carol_impersonated", sess, None)
        .await;
    assert_eq!(s, 200);
    assert!(impersonated["actor"]["sub"].is_string(), "{impersonated}");
    let (s, _) = c.call("get", "/v1/sessions/sess_nope", sess, None).await;
    assert_eq!(s, 404);
    let (s, created) = c
        .call(
            "post",
            "/v1/sessions",
            "/sessions",
            Some(json!({"user_id": "user_2bob", "active_organization_id": "org_2acme"})),
        )
        .await;
    assert_eq!(s, 200);
    let new_id = created["id"].as_str().expect("id").to_owned();

    // Tokens: session token, template token, 404 for an unknown template, 404 once revoked.
    let tokens = "/sessions/{session_id}/tokens";
    let from_template = "/sessions/{session_id}/tokens/{template_name}";
    let (s, t) = c
        .call(
            "post",
            &format!("/v1/sessions/{new_id}/tokens"),
            tokens,
            Some(json!({})),
        )
        .await;
    assert_eq!(s, 200, "{t}");
    let (s, t) = c
        .call(
            "post",
            &format!("/v1/sessions/{new_id}/tokens/api"),
            from_template,
            Some(json!({"expires_in_seconds": 120})),
        )
        .await;
    assert_eq!(s, 200, "{t}");
    let (s, _) = c
        .call(
            "post",
            &format!("/v1/sessions/{new_id}/tokens/nope"),
            from_template,
            None,
        )
        .await;
    assert_eq!(s, 404);
    let (s, revoked) = c
        .call(
            "post",
            &format!("/v1/sessions/{new_id}/revoke"),
            "/sessions/{session_id}/revoke",
            None,
        )
        .await;
    assert_eq!((s, revoked["status"].as_str()), (200, Some("revoked")));
    let (s, _) = c
        .call(
            "post",
            &format!("/v1/sessions/{new_id}/tokens/api"),
            from_template,
            None,
        )
        .await;
    assert_eq!(s, 404);

    // Delete, then delete again.
    let (s, _) = c
        .call("delete", &format!("/v1/jwt_templates/{id}"), one, None)
        .await;
    assert_eq!(s, 200);
    let (s, _) = c
        .call("delete", &format!("/v1/jwt_templates/{id}"), one, None)
        .await;
    assert_eq!(s, 404);

    // A wrong secret key: 401 with Clerk's envelope.
    c.key = "sk_test_wrong".to_owned();
    let (s, body) = c
        .call("get", "/v1/sessions/sess_2bob_acme", sess, None)
        .await;
    assert_eq!(
        (s, body["errors"][0]["code"].as_str()),
        (401, Some("clerk_key_invalid"))
    );

    assert!(c.checked.len() >= 30, "checked {:?}", c.checked);
}

/// What the fake answers to a request without options on each operation it serves that takes
/// a request body, and the code of an error answer.
struct NoOptions<'a> {
    /// Whether the spec marks the request body required (Clerk still reads none as `{}`).
    required: bool,
    method: &'static str,
    path: &'a str,
    spec_path: &'static str,
    status: u16,
    code: Option<&'static str>,
}

/// Clerk reads an absent or `null` body as "no options" (clerk-rs sends `null` for a token
/// request without options): never a malformed request, on a body the spec marks required as
/// well (the required parameters are then missing). Every operation the fake serves that takes
/// a request body is listed, and the list is checked against the spec.
#[tokio::test]
async fn absent_or_null_bodies_are_no_options_on_every_route_that_takes_a_body() {
    let fake = FakeClerk::start();
    let mut c = Client::new(&fake);
    let body = json!({"name": "api", "claims": {"id": "{{user.id}}"}});
    let (s, created) = c
        .call("post", "/v1/jwt_templates", "/jwt_templates", Some(body))
        .await;
    assert_eq!(s, 200, "{created}");
    let id = created["id"].as_str().expect("id").to_owned();
    let template_path = format!("/v1/jwt_templates/{id}");
    let routes = [
        NoOptions {
            required: false,
            method: "post",
            path: "/v1/sessions/sess_2alice_acme/tokens",
            spec_path: "/sessions/{session_id}/tokens",
            status: 200,
            code: None,
        },
        NoOptions {
            required: false,
            method: "post",
            path: "/v1/sessions/sess_2alice_acme/tokens/api",
            spec_path: "/sessions/{session_id}/tokens/{template_name}",
            status: 200,
            code: None,
        },
        NoOptions {
            required: false,
            method: "post",
            path: "/v1/jwt_templates",
            spec_path: "/jwt_templates",
            status: 422,
            code: Some("form_param_missing"),
        },
        NoOptions {
            required: false,
            method: "patch",
            path: template_path.as_str(),
            spec_path: "/jwt_templates/{template_id}",
            status: 422,
            code: Some("form_param_missing"),
        },
        NoOptions {
            required: false,
            method: "post",
            path: "/v1/sessions",
            spec_path: "/sessions",
            status: 422,
            code: Some("form_param_missing"),
        },
        NoOptions {
            required: false,
            method: "patch",
            path: "/v1/users/user_2alice/metadata",
            spec_path: "/users/{user_id}/metadata",
            status: 200,
            code: None,
        },
        NoOptions {
            required: true,
            method: "patch",
            path: "/v1/users/user_2alice",
            spec_path: "/users/{user_id}",
            status: 200,
            code: None,
        },
        NoOptions {
            required: true,
            method: "post",
            path: "/v1/organizations/org_2acme/memberships",
            spec_path: "/organizations/{organization_id}/memberships",
            status: 422,
            code: Some("form_param_missing"),
        },
        NoOptions {
            required: true,
            method: "patch",
            path: "/v1/organizations/org_2acme/memberships/user_2bob",
            spec_path: "/organizations/{organization_id}/memberships/{user_id}",
            status: 422,
            code: Some("form_param_missing"),
        },
    ];
    for route in &routes {
        let op = &c.spec.doc["paths"][route.spec_path][route.method];
        assert!(
            op["requestBody"].is_object()
                && (op["requestBody"]["required"] == json!(true)) == route.required,
            "{} {}: the spec documents a request body, required: {}",
            route.method,
            route.spec_path,
            route.required
        );
        for body in [None, Some(Value::Null)] {
            let sent = format!("{body:?}");
            let (s, answer) = c
                .call(route.method, route.path, route.spec_path, body)
                .await;
            assert_eq!(
                s, route.status,
                "{} {} with {sent}: {answer}",
                route.method, route.path
            );
            assert_eq!(
                answer["errors"][0]["code"].as_str(),
                route.code,
                "{} {} with {sent}: {answer}",
                route.method,
                route.path
            );
        }
    }
    // Every operation of the fake's paths with a request body is in the list above.
    let served = [
        "/jwks",
        "/jwt_templates",
        "/jwt_templates/{template_id}",
        "/users/{user_id}",
        "/users/{user_id}/metadata",
        "/organizations/{organization_id}/memberships",
        "/organizations/{organization_id}/memberships/{user_id}",
        "/sessions",
        "/sessions/{session_id}",
        "/sessions/{session_id}/revoke",
        "/sessions/{session_id}/tokens",
        "/sessions/{session_id}/tokens/{template_name}",
    ];
    for path in served {
        let Some(ops) = c.spec.doc["paths"][path].as_object() else {
            panic!("the spec has no path {path}");
        };
        for (method, op) in ops {
            let listed = routes
                .iter()
                .any(|r| r.method == method && r.spec_path == path);
            // `PUT /users/{user_id}/metadata` (replace) is in the spec, not in the fake.
            let fake_serves = !(path == "/users/{user_id}/metadata" && method == "put");
            if op["requestBody"].is_object() && fake_serves {
                assert!(
                    listed,
                    "{method} {path} takes a body and is not checked here"
                );
            }
        }
    }
    // A route without a body in the spec (revoke) takes a `null` body as well.
    let (s, answer) = c
        .call(
            "post",
            "/v1/sessions/sess_2bob_acme/revoke",
            "/sessions/{session_id}/revoke",
            Some(Value::Null),
        )
        .await;
    assert_eq!(s, 200, "{answer}");
}

/// `PATCH /v1/users/{user_id}` and `…/metadata`, and the organization membership routes:
/// every answer, success or refusal, in Clerk's shapes; the changes show in what the fake
/// serves afterwards.
#[tokio::test]
async fn user_and_membership_changes_match_the_openapi_schema_and_show_afterwards() {
    let fake = FakeClerk::start();
    let mut c = Client::new(&fake);
    let user = "/users/{user_id}";
    let patch = |body: Value| Some(body);

    let (s, updated) = c
        .call(
            "patch",
            "/v1/users/user_2alice",
            user,
            patch(json!({"first_name": "Alicia", "username": "alicia", "external_id": null})),
        )
        .await;
    assert_eq!(s, 200, "{updated}");
    assert_eq!(
        (
            &updated["first_name"],
            &updated["username"],
            &updated["external_id"]
        ),
        (&json!("Alicia"), &json!("alicia"), &Value::Null)
    );
    let (s, cleared) = c
        .call(
            "patch",
            "/v1/users/user_2alice",
            user,
            patch(json!({"username": ""})),
        )
        .await;
    assert_eq!((s, &cleared["username"]), (200, &Value::Null));
    // Refusals: a taken username, metadata (its own route since 2026-05-12), a wrong type, an
    // unknown parameter, a body that is not an object, an unknown user.
    let refusals = [
        (json!({"username": "carol"}), 422, "form_identifier_exists"),
        (json!({"public_metadata": {}}), 422, "form_param_unknown"),
        (json!({"first_name": 5}), 422, "form_param_format_invalid"),
        (json!({"nickname": "al"}), 422, "form_param_unknown"),
        (
            json!({"password": "hunter22!"}),
            422,
            "form_param_unsupported",
        ),
        (json!(["first_name"]), 400, "malformed_request"),
    ];
    for (body, want, code) in refusals {
        let (s, answer) = c
            .call("patch", "/v1/users/user_2alice", user, patch(body.clone()))
            .await;
        assert_eq!(
            (s, answer["errors"][0]["code"].as_str()),
            (want, Some(code)),
            "{body}"
        );
    }
    let (s, _) = c
        .call(
            "patch",
            "/v1/users/user_nobody",
            user,
            patch(json!({"first_name": "N"})),
        )
        .await;
    assert_eq!(s, 404);

    // Metadata: Clerk's deep merge, `null` removes a key at any depth.
    let metadata = "/users/{user_id}/metadata";
    let body = json!({
        "public_metadata": {"plan": "team", "hasura_role": null, "limits": {"seats": 5}},
        "unsafe_metadata": {"theme": null},
    });
    let (s, merged) = c
        .call(
            "patch",
            "/v1/users/user_2alice/metadata",
            metadata,
            patch(body),
        )
        .await;
    assert_eq!(s, 200, "{merged}");
    assert_eq!(
        merged["public_metadata"],
        json!({"plan": "team", "limits": {"seats": 5}})
    );
    assert_eq!(merged["unsafe_metadata"], json!({}));
    let body = json!({"public_metadata": {"limits": {"projects": 3}}});
    let (s, merged) = c
        .call(
            "patch",
            "/v1/users/user_2alice/metadata",
            metadata,
            patch(body),
        )
        .await;
    assert_eq!(
        (s, &merged["public_metadata"]["limits"]),
        (200, &json!({"seats": 5, "projects": 3}))
    );
    for (body, code) in [
        (
            json!({"public_metadata": "pro"}),
            "form_param_format_invalid",
        ),
        (json!({"metadata": {}}), "form_param_unknown"),
    ] {
        let (s, answer) = c
            .call(
                "patch",
                "/v1/users/user_2alice/metadata",
                metadata,
                patch(body.clone()),
            )
            .await;
        assert_eq!(
            (s, answer["errors"][0]["code"].as_str()),
            (422, Some(code)),
            "{body}"
        );
    }
    let (s, _) = c
        .call(
            "patch",
            "/v1/users/user_nobody/metadata",
            metadata,
            patch(json!({})),
        )
        .await;
    assert_eq!(s, 404);
    let (s, served) = c.call("get", "/v1/users/user_2alice", user, None).await;
    assert_eq!(s, 200);
    assert_eq!(
        (&served["first_name"], &served["public_metadata"]["plan"]),
        (&json!("Alicia"), &json!("team"))
    );

    // Memberships: list, create, update the role, delete; refusals.
    let list = "/organizations/{organization_id}/memberships";
    let one = "/organizations/{organization_id}/memberships/{user_id}";
    let (s, before) = c
        .call("get", "/v1/organizations/org_2acme/memberships", list, None)
        .await;
    assert_eq!((s, before["total_count"].as_u64()), (200, Some(2)));
    let alice = before["data"]
        .as_array()
        .and_then(|d| {
            d.iter()
                .find(|m| m["public_user_data"]["user_id"] == "user_2alice")
        })
        .expect("alice is a member");
    assert_eq!(alice["public_user_data"]["first_name"], json!("Alicia"));
    let (s, created) = c
        .call(
            "post",
            "/v1/organizations/org_2acme/memberships",
            list,
            patch(json!({"user_id": "user_2carol", "role": "org:member"})),
        )
        .await;
    assert_eq!(s, 200, "{created}");
    assert_eq!(
        (&created["role"], &created["organization"]["members_count"]),
        (&json!("org:member"), &json!(3))
    );
    assert_eq!(created["public_user_data"]["user_id"], json!("user_2carol"));
    let refusals = [
        (
            "org_2acme",
            json!({"user_id": "user_2carol", "role": "org:member"}),
            400,
        ),
        (
            "org_2acme",
            json!({"user_id": "user_nobody", "role": "org:member"}),
            404,
        ),
        ("org_2acme", json!({"user_id": "user_2support"}), 422),
        (
            "org_2acme",
            json!({"user_id": "user_2support", "role": "org:owner"}),
            422,
        ),
        (
            "org_nope",
            json!({"user_id": "user_2support", "role": "org:member"}),
            404,
        ),
    ];
    for (org, body, want) in refusals {
        let (s, _) = c
            .call(
                "post",
                &format!("/v1/organizations/{org}/memberships"),
                list,
                patch(body.clone()),
            )
            .await;
        assert_eq!(s, want, "{org} {body}");
    }
    let carol = "/v1/organizations/org_2acme/memberships/user_2carol";
    let (s, promoted) = c
        .call("patch", carol, one, patch(json!({"role": "org:admin"})))
        .await;
    assert_eq!((s, &promoted["role"]), (200, &json!("org:admin")));
    assert_eq!(
        promoted["permissions"], alice["permissions"],
        "the role's permissions"
    );
    let (s, _) = c.call("patch", carol, one, patch(json!({}))).await;
    assert_eq!(s, 422);
    let (s, _) = c
        .call(
            "patch",
            "/v1/organizations/org_2globex/memberships/user_2carol",
            one,
            patch(json!({"role": "org:admin"})),
        )
        .await;
    assert_eq!(s, 404);
    let (s, removed) = c.call("delete", carol, one, None).await;
    assert_eq!((s, &removed["id"]), (200, &created["id"]));
    let (s, _) = c.call("delete", carol, one, None).await;
    assert_eq!(s, 404);
    let (s, after) = c
        .call(
            "get",
            "/v1/organizations/org_2acme/memberships?limit=1",
            list,
            None,
        )
        .await;
    assert_eq!(
        (
            s,
            after["total_count"].as_u64(),
            after["data"].as_array().map(Vec::len)
        ),
        (200, Some(2), Some(1))
    );
    let (s, _) = c
        .call("get", "/v1/organizations/org_nope/memberships", list, None)
        .await;
    assert_eq!(s, 404);
}

/// An organization at its `max_allowed_memberships` refuses another member with 403, in
/// Clerk's error envelope.
#[tokio::test]
async fn a_full_organization_refuses_a_new_member_with_403() {
    let mut seed = clerk_claims::testing::fake::Seed::default_seed().expect("seed");
    for org in &mut seed.organizations {
        if org["id"] == "org_2acme" {
            org["max_allowed_memberships"] = json!(2);
        }
    }
    let fake = FakeClerk::start_with(seed);
    let mut c = Client::new(&fake);
    let (s, answer) = c
        .call(
            "post",
            "/v1/organizations/org_2acme/memberships",
            "/organizations/{organization_id}/memberships",
            Some(json!({"user_id": "user_2carol", "role": "org:member"})),
        )
        .await;
    assert_eq!(
        (s, answer["errors"][0]["code"].as_str()),
        (403, Some("organization_membership_quota_exceeded"))
    );
}

#[tokio::test]
async fn organization_roles_and_permissions_match_the_openapi_schema() {
    let fake = FakeClerk::start();
    let mut c = Client::new(&fake);
    let roles = "/organization_roles";
    let role = "/organization_roles/{organization_role_id}";
    let assign = "/organization_roles/{organization_role_id}/permissions/{permission_id}";
    let perms = "/organization_permissions";
    let perm = "/organization_permissions/{permission_id}";

    // Seeded with Clerk's defaults.
    let (s, listed) = c.call("get", "/v1/organization_roles", roles, None).await;
    assert_eq!(s, 200);
    let keys: Vec<&str> = listed["data"]
        .as_array()
        .expect("data")
        .iter()
        .filter_map(|r| r["key"].as_str())
        .collect();
    assert!(
        keys.contains(&"org:admin") && keys.contains(&"org:member"),
        "{listed}"
    );
    let (s, listed) = c
        .call("get", "/v1/organization_permissions?limit=100", perms, None)
        .await;
    assert_eq!(s, 200);
    let system = listed["data"].as_array().expect("data");
    assert!(
        !system.is_empty() && system.iter().all(|p| p["type"] == "system"),
        "{listed}"
    );
    let (s, _) = c
        .call(
            "get",
            "/v1/organization_roles?order_by=%2Bkey&limit=1&offset=1",
            roles,
            None,
        )
        .await;
    assert_eq!(s, 200);

    // Permissions: create, get, update, refusals.
    let body =
        json!({"key": "org:invoices:read", "name": "Read invoices", "description": "Invoices"});
    let (s, created) = c
        .call("post", "/v1/organization_permissions", perms, Some(body))
        .await;
    assert_eq!(s, 200);
    let pid = created["id"].as_str().expect("id").to_owned();
    let (s, _) = c
        .call(
            "get",
            &format!("/v1/organization_permissions/{pid}"),
            perm,
            None,
        )
        .await;
    assert_eq!(s, 200);
    let (s, updated) = c
        .call(
            "patch",
            &format!("/v1/organization_permissions/{pid}"),
            perm,
            Some(json!({"name": "Invoices: read"})),
        )
        .await;
    assert_eq!((s, updated["name"].as_str()), (200, Some("Invoices: read")));
    for body in [
        json!({"key": "org:sys_x:read", "name": "x"}),
        json!({"key": "org:Invoices:read", "name": "x"}),
        json!({"key": "org:invoices:read", "name": "again"}),
        json!({"name": "no key"}),
    ] {
        let (s, _) = c
            .call("post", "/v1/organization_permissions", perms, Some(body))
            .await;
        assert_eq!(s, 422);
    }
    let system_id = system[0]["id"].as_str().expect("id");
    let (s, _) = c
        .call(
            "delete",
            &format!("/v1/organization_permissions/{system_id}"),
            perm,
            None,
        )
        .await;
    assert_eq!(s, 403, "a system permission cannot be deleted");

    // Roles: create with a permission, assign, remove, update, delete, refusals.
    let body = json!({"key": "org:accountant", "name": "Accountant", "permissions": [pid]});
    let (s, created) = c
        .call("post", "/v1/organization_roles", roles, Some(body))
        .await;
    assert_eq!(s, 200);
    assert_eq!(created["permissions"][0]["key"], "org:invoices:read");
    let rid = created["id"].as_str().expect("id").to_owned();
    let path = format!("/v1/organization_roles/{rid}/permissions/{pid}");
    let (s, _) = c.call("post", &path, assign, None).await;
    assert_eq!(s, 409, "already assigned");
    let (s, removed) = c.call("delete", &path, assign, None).await;
    assert_eq!(s, 200);
    assert_eq!(removed["permissions"], json!([]));
    let (s, assigned) = c.call("post", &path, assign, None).await;
    assert_eq!(
        (s, assigned["permissions"].as_array().map(Vec::len)),
        (200, Some(1))
    );
    let (s, updated) = c
        .call(
            "patch",
            &format!("/v1/organization_roles/{rid}"),
            role,
            Some(json!({"description": "Books", "permissions": []})),
        )
        .await;
    assert_eq!((s, &updated["permissions"]), (200, &json!([])));
    let (s, _) = c
        .call("get", &format!("/v1/organization_roles/{rid}"), role, None)
        .await;
    assert_eq!(s, 200);
    for body in [
        json!({"key": "accountant", "name": "x"}),
        json!({"key": "org:accountant", "name": "again"}),
        json!({"key": "org:x", "name": "x", "permissions": ["perm_none"]}),
    ] {
        let (s, _) = c
            .call("post", "/v1/organization_roles", roles, Some(body))
            .await;
        assert_eq!(s, 422);
    }
    let admin_id = keys_id(
        &c.call("get", "/v1/organization_roles", roles, None).await.1,
        "org:admin",
    );
    let (s, refused) = c
        .call(
            "delete",
            &format!("/v1/organization_roles/{admin_id}"),
            role,
            None,
        )
        .await;
    assert_eq!(s, 422, "{refused}");
    let (s, _) = c
        .call(
            "delete",
            &format!("/v1/organization_roles/{rid}"),
            role,
            None,
        )
        .await;
    assert_eq!(s, 200);
    let (s, _) = c
        .call(
            "delete",
            &format!("/v1/organization_permissions/{pid}"),
            perm,
            None,
        )
        .await;
    assert_eq!(s, 200);
    let (s, _) = c
        .call("get", &format!("/v1/organization_roles/{rid}"), role, None)
        .await;
    assert_eq!(s, 404);
}

fn keys_id(listed: &Value, key: &str) -> String {
    listed["data"]
        .as_array()
        .and_then(|d| d.iter().find(|r| r["key"] == key))
        .and_then(|r| r["id"].as_str())
        .expect("the role is listed")
        .to_owned()
}
