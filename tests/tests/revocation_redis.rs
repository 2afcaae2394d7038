//! The revocation list shared through a real Redis: three verifier instances, one
//! `redis-server` started here on a free loopback port (and stopped afterwards). A session
//! revoked in Clerk (FakeClerk, whose webhook reaches one instance) is refused by all, its
//! session tokens by `sid` and its user's template tokens issued before by `sub` and `iat`; a
//! restarted instance loads both back; killing Redis leaves verification working on the local
//! lists; restarting Redis resyncs them; a Redis down at start is reported to the caller; one
//! sync per list, a full queue resyncs instead of losing revocations, and the sync's lag and
//! connection state are metrics.
//!
//! `redis-server` comes from Debian's `redis-server` package, which `scripts/test` installs
//! when missing (as root). Without it these tests say SKIPPED locally and fail under CI
//! (`common/skip.rs`, the rule of the Node interop tests).

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::post;
use clerk_claims::revocation::RevocationList;
use clerk_claims::revocation::redis::{RedisOptions, RedisSync, RedisSyncError};
use clerk_claims::testing::fake::{FakeClerk, WebhookConfig};
use clerk_claims::testing::issuer::TestIssuer;

#[path = "common/skip.rs"]
mod skip;
use clerk_claims::verify::Reason;
use clerk_claims::webhooks::Webhook;
use clerk_claims::webhooks::axum::VerifiedWebhook;
use clerk_claims::{ClerkClaims, Verifier};

#[path = "common/metrics.rs"]
#[allow(dead_code)] // The suite's helper: this binary reads only some of it.
mod metrics_common;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
/// How long a revocation may take to reach every instance before the test gives up (the
/// measured times are printed; on loopback they are milliseconds).
const PATIENCE: Duration = Duration::from_secs(5);

/// A JWT template's claims: its tokens carry no `sid`.
#[derive(ClerkClaims, Debug)]
#[clerk(template = "billing")]
struct BillingClaims {
    #[clerk(shortcode = "user.public_metadata.plan || 'free'")]
    plan: String,
}

/// Every `clerk_claims` log event of this test binary, as `LEVEL field=value …` lines: one
/// global subscriber, since the sync tasks log from the runtime's worker threads.
#[derive(Clone, Default)]
struct Recorder {
    events: Arc<Mutex<Vec<String>>>,
}

struct Fields(String);

impl tracing::field::Visit for Fields {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!("{}={value:?} ", field.name()));
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Recorder {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        if !event.metadata().target().starts_with("clerk_claims") {
            return;
        }
        let mut fields = Fields(String::new());
        event.record(&mut fields);
        let line = format!("{} {}", event.metadata().level(), fields.0);
        self.events.lock().expect("recorder lock").push(line);
    }
}

fn recorder() -> &'static Recorder {
    static RECORDER: OnceLock<Recorder> = OnceLock::new();
    RECORDER.get_or_init(|| {
        use tracing_subscriber::layer::SubscriberExt as _;
        let recorder = Recorder::default();
        let subscriber = tracing_subscriber::registry().with(recorder.clone());
        tracing::subscriber::set_global_default(subscriber).expect("the only global subscriber");
        recorder
    })
}

impl Recorder {
    /// Whether an event at `level` mentions all of `parts`.
    fn logged(&self, level: &str, parts: &[&str]) -> bool {
        self.events
            .lock()
            .expect("recorder lock")
            .iter()
            .any(|e| e.starts_with(level) && parts.iter().all(|p| e.contains(p)))
    }
}

/// A `redis-server` of our own on 127.0.0.1, without persistence; killed on drop.
struct RedisServer {
    port: u16,
    child: Option<Child>,
}

impl RedisServer {
    /// `None` (SKIPPED locally, a failure under CI) when `redis-server` is not installed.
    fn start() -> Option<RedisServer> {
        RedisServer::on(free_port())
    }

    /// On `port`, e.g. one a sync is already trying; `None` as for [`RedisServer::start`].
    fn on(port: u16) -> Option<RedisServer> {
        if let Err(e) = Command::new("redis-server").arg("--version").output() {
            return skip::skip(&format!(
                "redis-server cannot run ({e}): install Debian's redis-server package \
                 (scripts/test does, as root: apt-get install -y redis-server)"
            ));
        }
        let mut server = RedisServer { port, child: None };
        server.restart();
        Some(server)
    }

    /// Starts (again) on the same port, empty.
    fn restart(&mut self) {
        self.kill();
        let child = Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no", "--daemonize", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "FAILED to start redis-server ({e}): the Redis revocation tests need Debian's \
                     redis-server package; scripts/test installs it as root \
                     (apt-get update && apt-get install -y redis-server)"
                )
            });
        self.child = Some(child);
        let addr = SocketAddr::from(([127, 0, 0, 1], self.port));
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect_timeout(&addr, Duration::from_millis(100)).is_err() {
            assert!(
                Instant::now() < deadline,
                "redis-server did not listen on {addr} within 10 s"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Sends `signal` (`STOP`, `CONT`) to the server: a frozen host keeps its connections open.
    fn signal(&self, signal: &str) {
        let pid = self.child.as_ref().expect("running").id().to_string();
        let status = Command::new("kill")
            .args([&format!("-{signal}"), &pid])
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill -{signal} {pid}");
    }

    /// SIGKILL, as a crash.
    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }
}

/// A loopback port nothing listens on (bound, then closed).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.kill();
    }
}

/// One app instance: its own revocation list synced through Redis, its verifier, and its
/// webhook endpoint feeding the list.
struct Instance {
    name: &'static str,
    list: RevocationList,
    sync: RedisSync,
    verifier: Verifier,
    webhook_url: String,
    server: tokio::task::JoinHandle<()>,
}

impl Instance {
    async fn start(name: &'static str, redis: &RedisServer, issuer: &TestIssuer) -> Instance {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        Instance::start_on(name, redis, issuer, listener).await
    }

    /// Starts with its webhook endpoint on `listener` (bound before, e.g. for FakeClerk).
    async fn start_on(
        name: &'static str,
        redis: &RedisServer,
        issuer: &TestIssuer,
        listener: tokio::net::TcpListener,
    ) -> Instance {
        let list = RevocationList::new();
        let options = RedisOptions::new(redis.url())
            .backoff(Duration::from_millis(50), Duration::from_millis(250))
            .health_check(Duration::from_millis(200))
            .connect_timeout(Duration::from_millis(300));
        let sync = RedisSync::start_with(&list, options)
            .await
            .expect("Redis answers");
        let verifier = issuer
            .verifier_builder()
            .revocations(list.clone())
            .token_cache(64)
            .build()
            .expect("verifier");
        let feed = list.clone();
        let app = Router::new()
            .route(
                "/webhooks/clerk",
                post(move |VerifiedWebhook(message): VerifiedWebhook| {
                    let feed = feed.clone();
                    async move {
                        feed.apply(&message.event);
                        "ok"
                    }
                }),
            )
            .with_state(Webhook::new(SECRET).expect("secret"));
        let webhook_url = format!(
            "http://{}/webhooks/clerk",
            listener.local_addr().expect("addr")
        );
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Instance {
            name,
            list,
            sync,
            verifier,
            webhook_url,
            server,
        }
    }

    /// Whether the session token, or the `billing` template token, `token` is rejected.
    async fn rejects(&self, token: &str) -> bool {
        let is_template = clerk_claims::verify::decode_unverified(token)
            .is_ok_and(|jwt| jwt.payload.get("sid").is_none());
        let outcome = if is_template {
            self.verifier
                .verify::<BillingClaims>(token)
                .await
                .map(|_| ())
        } else {
            self.verifier.verify_session(token).await.map(|_| ())
        };
        match outcome {
            Ok(()) => false,
            Err(e) => {
                assert_eq!(e.reason(), Reason::SessionRevoked, "{}: {e}", self.name);
                true
            }
        }
    }

    /// How long until this instance rejects `token` (polling every millisecond).
    async fn time_to_reject(&self, token: &str, since: Instant) -> Duration {
        loop {
            if self.rejects(token).await {
                return since.elapsed();
            }
            assert!(
                since.elapsed() < PATIENCE,
                "{} still accepts the revoked session's token after {PATIENCE:?}",
                self.name
            );
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        self.server.abort();
    }
}

async fn fleet(redis: &RedisServer, issuer: &TestIssuer) -> Vec<Instance> {
    let mut fleet = Vec::new();
    for name in ["instance-a", "instance-b", "instance-c"] {
        let instance = Instance::start(name, redis, issuer).await;
        assert!(instance.sync.is_connected(), "{name} synced at start");
        fleet.push(instance);
    }
    fleet
}

fn token(issuer: &TestIssuer, session_id: &str) -> String {
    issuer
        .session()
        .user("user_2alice")
        .session_id(session_id)
        .lifetime(300)
        .mint()
}

/// A `billing` template token of Alice (no `sid`), issued at `iat` (now when `None`).
fn template_token(issuer: &TestIssuer, iat: Option<i64>) -> String {
    let builder = issuer
        .template_token(&BillingClaims { plan: "pro".into() })
        .user("user_2alice");
    match iat {
        Some(iat) => builder.issued_at(iat),
        None => builder,
    }
    .mint()
}

/// What Clerk (through Svix) POSTs when a session is revoked.
async fn deliver_session_revoked(url: &str, session_id: &str) {
    let body = serde_json::json!({
        "type": "session.revoked",
        "object": "event",
        "data": {"object": "session", "id": session_id, "user_id": "user_2alice",
                 "client_id": "client_phone", "status": "revoked"},
        "timestamp": 1,
        "instance_id": "ins_test",
    })
    .to_string();
    let webhook = Webhook::new(SECRET).expect("secret");
    let now = clerk_claims::Clock::system().now();
    let response = reqwest::Client::new()
        .post(url)
        .header("svix-id", "msg_revoke")
        .header("svix-timestamp", now.to_string())
        .header(
            "svix-signature",
            webhook.sign("msg_revoke", now, body.as_bytes()),
        )
        .body(body)
        .send()
        .await
        .expect("webhook delivered");
    assert_eq!(response.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_revoked_in_clerk_is_refused_by_all_three_instances_within_milliseconds() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    // Clerk (the fake) sends its webhooks to instance A only.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let webhook_url = format!(
        "http://{}/webhooks/clerk",
        listener.local_addr().expect("addr")
    );
    let fake = FakeClerk::builder()
        .webhooks(WebhookConfig::new(webhook_url, SECRET).expect("secret"))
        .start()
        .expect("fake");
    let issuer = fake.issuer();
    let mut fleet = vec![Instance::start_on("instance-a", &redis, &issuer, listener).await];
    for name in ["instance-b", "instance-c"] {
        fleet.push(Instance::start(name, &redis, &issuer).await);
    }
    assert!(fleet.iter().all(|i| i.sync.is_connected()));
    let api = fake.api().expect("api");
    let phone = api
        .create_session_token("sess_2alice_personal", None)
        .await
        .expect("phone token");
    let laptop = api
        .create_session_token("sess_2alice_acme", None)
        .await
        .expect("laptop token");
    api.upsert_template(&BillingClaims::jwt_template())
        .await
        .expect("template saved");
    let phone_billing = api
        .create_template_token("sess_2alice_personal", "billing", None)
        .await
        .expect("phone template token");
    for instance in &fleet {
        for token in [&phone, &phone_billing] {
            assert!(
                !instance.rejects(token).await,
                "{} accepts before",
                instance.name
            );
        }
    }

    let since = Instant::now();
    api.revoke_session("sess_2alice_personal")
        .await
        .expect("revoked in Clerk");
    for instance in &fleet {
        let took = instance.time_to_reject(&phone, since).await;
        println!(
            "{}: rejects the revoked session {took:?} after Clerk revoked it",
            instance.name
        );
        assert!(
            instance.rejects(&phone_billing).await,
            "{}: and its template token",
            instance.name
        );
        assert!(
            !instance.rejects(&laptop).await,
            "{}: other sessions unaffected",
            instance.name
        );
    }
    // The fake marks a delivery once the endpoint's answer is back.
    assert!(fake.wait_webhooks(PATIENCE), "deliveries done");
    let deliveries = fake.webhook_deliveries();
    assert!(
        deliveries
            .iter()
            .any(|d| d.event_type == "session.revoked" && d.delivered),
        "{deliveries:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restarted_instance_loads_the_revocation_from_redis() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let issuer = TestIssuer::new();
    let mut fleet = fleet(&redis, &issuer).await;
    let phone = token(&issuer, "sess_phone");
    fleet[1].list.revoke("sess_phone", "user_2alice");
    let since = Instant::now();
    for instance in &fleet {
        instance.time_to_reject(&phone, since).await;
    }

    // Instance C goes away (its list with it) and comes back empty: the snapshot at start
    // carries the revocation, before the first request.
    drop(fleet.pop());
    let restarted = Instance::start("instance-c (restarted)", &redis, &issuer).await;
    assert!(restarted.sync.is_connected());
    assert!(
        restarted.rejects(&phone).await,
        "the restarted instance rejects at once"
    );
    assert_eq!(restarted.list.len(), 2, "the session and its user");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_sessions_template_tokens_are_refused_by_every_instance_and_after_a_restart() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let issuer = TestIssuer::new();
    let mut fleet = fleet(&redis, &issuer).await;
    let before = template_token(&issuer, None);
    for instance in &fleet {
        assert!(
            !instance.rejects(&before).await,
            "{} accepts",
            instance.name
        );
    }

    fleet[1].list.revoke("sess_phone", "user_2alice");
    let revoked_at = clerk_claims::Clock::system().now();
    let since = Instant::now();
    for instance in &fleet {
        let took = instance.time_to_reject(&before, since).await;
        println!(
            "{}: rejects the user's template token {took:?} after the revocation",
            instance.name
        );
    }
    // The revocation time travels with the user: a token minted after it passes everywhere.
    let after = template_token(&issuer, Some(revoked_at + 1));
    for instance in &fleet {
        assert!(!instance.rejects(&after).await, "{}", instance.name);
    }

    drop(fleet.pop());
    let restarted = Instance::start("instance-c (restarted)", &redis, &issuer).await;
    assert!(restarted.rejects(&before).await, "loaded from the snapshot");
    assert!(!restarted.rejects(&after).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_redis_verification_goes_on_and_a_restarted_redis_resyncs() {
    let log = recorder();
    let Some(mut redis) = RedisServer::start() else {
        return;
    };
    let issuer = TestIssuer::new();
    let fleet = fleet(&redis, &issuer).await;
    let phone = token(&issuer, "sess_phone");
    let tablet = token(&issuer, "sess_tablet");
    let laptop = token(&issuer, "sess_laptop");
    fleet[0].list.revoke("sess_phone", "user_2alice");
    let since = Instant::now();
    for instance in &fleet {
        instance.time_to_reject(&phone, since).await;
    }

    redis.kill();
    for instance in &fleet {
        assert!(
            instance.sync.wait_disconnected(PATIENCE).await,
            "{} notices Redis is gone",
            instance.name
        );
        // Verification goes on from the local list: revoked stays revoked, others pass.
        assert!(instance.rejects(&phone).await, "{}", instance.name);
        assert!(!instance.rejects(&laptop).await, "{}", instance.name);
    }
    let url = redis.url();
    assert!(
        log.logged(
            "WARN",
            &[
                "Redis is unreachable",
                "verification goes on with the local",
                &url
            ]
        ),
        "the outage is logged"
    );
    // A revocation during the outage takes effect where it was made, at once.
    deliver_session_revoked(&fleet[1].webhook_url, "sess_tablet").await;
    assert!(fleet[1].rejects(&tablet).await);

    // Redis returns empty (no persistence): the instances push their lists back and the
    // others learn of the revocation made while it was away.
    redis.restart();
    let since = Instant::now();
    for instance in &fleet {
        assert!(
            instance.sync.wait_connected(PATIENCE).await,
            "{} reconnects",
            instance.name
        );
    }
    for instance in &fleet {
        let took = instance.time_to_reject(&tablet, since).await;
        println!(
            "{}: resynced the outage's revocation {took:?} after redis-server listened again",
            instance.name
        );
        assert!(instance.rejects(&phone).await);
        assert!(!instance.rejects(&laptop).await);
    }
    assert!(
        log.logged("INFO", &["connected to Redis and resynced", &url]),
        "the resync is logged"
    );
    // And Redis holds both again: a new instance starts with them.
    let late = Instance::start("instance-d", &redis, &issuer).await;
    assert!(late.rejects(&phone).await && late.rejects(&tablet).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_redis_at_start_is_reported_and_the_running_sync_connects_when_it_listens() {
    let port = free_port();
    let url = format!("redis://127.0.0.1:{port}");
    let list = RevocationList::new();
    let options = RedisOptions::new(&url)
        .initial_sync_timeout(Duration::from_millis(200))
        .backoff(Duration::from_millis(50), Duration::from_millis(100));
    let err = RedisSync::start_with(&list, options).await.unwrap_err();
    assert!(
        matches!(&err, RedisSyncError::Unreachable { url: u, .. } if *u == url),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(
        message.contains(&url) && message.contains("not shared with the other instances"),
        "{message}"
    );
    // The caller may go on without the fleet: the sync is running, the list works locally.
    let sync = err.into_running().expect("the running sync");
    assert!(!sync.is_connected());
    list.revoke("sess_1", "user_1");
    assert!(list.is_revoked("sess_1"));

    // Redis comes up on that port: the sync connects and pushes what was revoked meanwhile.
    let Some(redis) = RedisServer::on(port) else {
        return;
    };
    assert!(
        sync.wait_connected(PATIENCE).await,
        "connected once it listens"
    );
    let issuer = TestIssuer::new();
    let late = Instance::start("instance-late", &redis, &issuer).await;
    assert!(late.list.is_revoked("sess_1"));
    assert!(late.list.is_user_token_revoked("user_1", None));
}

#[tokio::test]
async fn into_running_gives_back_any_other_error() {
    let list = RevocationList::new();
    let err = RedisSync::start(&list, "http://127.0.0.1:1")
        .await
        .unwrap_err();
    let err = err.into_running().unwrap_err();
    assert!(matches!(err, RedisSyncError::Url(_)), "{err:?}");
}

#[tokio::test]
async fn a_url_that_is_not_redis_is_refused() {
    let list = RevocationList::new();
    let err = RedisSync::start(&list, "http://127.0.0.1:1")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("redis://"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_frozen_redis_is_noticed_by_the_health_check_and_resynced_when_it_thaws() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let issuer = TestIssuer::new();
    let fleet = fleet(&redis, &issuer).await;
    let phone = token(&issuer, "sess_phone");
    let laptop = token(&issuer, "sess_laptop");

    // SIGSTOP: the sockets stay open, nothing answers; only the pings can tell.
    redis.signal("STOP");
    for instance in &fleet {
        let noticed = instance.sync.wait_disconnected(PATIENCE).await;
        assert!(noticed, "{} notices the frozen Redis", instance.name);
    }
    fleet[2].list.revoke("sess_phone", "user_2alice");
    assert!(fleet[2].rejects(&phone).await, "at once where it was made");
    assert!(!fleet[0].rejects(&laptop).await, "verification goes on");

    redis.signal("CONT");
    let since = Instant::now();
    for instance in &fleet {
        instance.time_to_reject(&phone, since).await;
        assert!(!instance.rejects(&laptop).await);
    }
}

/// Webhook de-duplication through the same kind of Redis: two app instances behind one
/// endpoint (a retry may reach either), each with its own `Dedup::redis`.
mod webhook_dedup {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use axum::http::HeaderMap;
    use clerk_claims::webhooks::dedup::{Dedup, RedisDedupOptions, WhenUnavailable};
    use clerk_claims::webhooks::{WebhookError, WebhookMessage};

    use super::*;

    fn deduped(redis: &RedisServer, when: WhenUnavailable) -> Webhook {
        deduped_with(RedisDedupOptions::new(redis.url()).when_unavailable(when))
    }

    fn deduped_with(options: RedisDedupOptions) -> Webhook {
        let options = options.timeout(Duration::from_millis(300));
        Webhook::new(SECRET)
            .expect("secret")
            .dedup(Dedup::redis(options).expect("a Redis URL"))
    }

    /// A delivery of `id` signed now, as Svix sends each attempt.
    fn delivery(id: &str) -> (HeaderMap, String) {
        let body = serde_json::json!({"type": "user.updated", "object": "event",
            "data": {"id": "user_2alice"}})
        .to_string();
        let now = clerk_claims::Clock::system().now();
        let signature = Webhook::new(SECRET)
            .expect("secret")
            .sign(id, now, body.as_bytes());
        let mut headers = HeaderMap::new();
        headers.insert("svix-id", id.parse().expect("id"));
        headers.insert("svix-timestamp", now.into());
        headers.insert("svix-signature", signature.parse().expect("signature"));
        (headers, body)
    }

    async fn receive(webhook: &Webhook, id: &str) -> Result<WebhookMessage, WebhookError> {
        let (headers, body) = delivery(id);
        webhook.receive(&headers, body.as_bytes()).await
    }

    /// An instance's webhook endpoint on loopback, counting its handler's runs.
    async fn serve(
        webhook: Webhook,
        runs: Arc<AtomicUsize>,
    ) -> (String, tokio::task::JoinHandle<()>) {
        let app = Router::new()
            .route(
                "/webhooks/clerk",
                post(move |VerifiedWebhook(_): VerifiedWebhook| {
                    runs.fetch_add(1, Ordering::AcqRel);
                    async { "processed" }
                }),
            )
            .with_state(webhook);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!(
            "http://{}/webhooks/clerk",
            listener.local_addr().expect("addr")
        );
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        (url, server)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_id_is_processed_once_across_two_instances() {
        let Some(redis) = RedisServer::start() else {
            return;
        };
        let runs = Arc::new(AtomicUsize::new(0));
        let (url_a, server_a) = serve(deduped(&redis, WhenUnavailable::Accept), runs.clone()).await;
        let (url_b, server_b) = serve(deduped(&redis, WhenUnavailable::Accept), runs.clone()).await;
        let client = reqwest::Client::new();
        let send = |url: &str, id: &str| {
            let (headers, body) = delivery(id);
            client.post(url).headers(headers).body(body).send()
        };

        let first = send(&url_a, "msg_1").await.expect("answered");
        assert_eq!(first.status(), 200);
        assert_eq!(first.text().await.expect("text"), "processed");
        // The retry reaches the other instance: acknowledged, not processed.
        let retry = send(&url_b, "msg_1").await.expect("answered");
        assert_eq!(retry.status(), 200);
        let text = retry.text().await.expect("text");
        assert!(text.contains("msg_1 already received"), "{text}");
        assert_eq!(send(&url_b, "msg_2").await.expect("answered").status(), 200);
        assert_eq!(
            runs.load(Ordering::Acquire),
            2,
            "msg_1 and msg_2, once each"
        );

        // Forgotten on one instance, processed again on the other.
        let a = deduped(&redis, WhenUnavailable::Accept);
        let b = deduped(&redis, WhenUnavailable::Accept);
        assert!(matches!(
            receive(&a, "msg_1").await,
            Err(WebhookError::Duplicate { .. })
        ));
        b.forget("msg_1").await.expect("forgotten");
        assert!(receive(&a, "msg_1").await.is_ok());
        assert!(matches!(
            receive(&b, "msg_1").await,
            Err(WebhookError::Duplicate { .. })
        ));
        // Another endpoint sharing the Redis keeps its ids apart under its own prefix.
        let other = deduped_with(RedisDedupOptions::new(redis.url()).key_prefix("endpoint-2"));
        assert!(receive(&other, "msg_1").await.is_ok());
        server_a.abort();
        server_b.abort();
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_frozen_redis_costs_the_timeout_and_a_refused_delivery_is_processed_on_retry() {
        let log = recorder();
        let Some(redis) = RedisServer::start() else {
            return;
        };
        let accept = deduped(&redis, WhenUnavailable::Accept);
        let refuse = deduped(&redis, WhenUnavailable::Refuse);
        assert!(receive(&accept, "msg_frozen_1").await.is_ok());
        assert!(receive(&refuse, "msg_frozen_2").await.is_ok());

        // SIGSTOP: connections stay open, nothing answers; each claim ends at its timeout.
        redis.signal("STOP");
        let started = Instant::now();
        assert!(
            receive(&accept, "msg_frozen_1").await.is_ok(),
            "accepted unchecked: a duplicate gets through, nothing is lost"
        );
        let err = receive(&refuse, "msg_frozen_3").await.unwrap_err();
        assert!(
            matches!(err, WebhookError::DedupUnavailable { .. }),
            "{err:?}"
        );
        assert_eq!(err.status(), 503, "Svix retries it later");
        // Within the second after a failure Redis is not tried: decided at once.
        let again = receive(&refuse, "msg_frozen_3").await.unwrap_err();
        assert!(again.to_string().contains("not tried again yet"), "{again}");
        // The extractor answers 503 and does not call the handler.
        let runs = Arc::new(AtomicUsize::new(0));
        let (url, server) = serve(deduped(&redis, WhenUnavailable::Refuse), runs.clone()).await;
        let (headers, body) = delivery("msg_frozen_4");
        let response = reqwest::Client::new()
            .post(&url)
            .headers(headers)
            .body(body)
            .send()
            .await
            .expect("answered");
        assert_eq!(response.status(), 503);
        let text = response.text().await.expect("text");
        assert!(text.contains("de-duplication store unavailable"), "{text}");
        assert_eq!(runs.load(Ordering::Acquire), 0);
        server.abort();
        println!(
            "three claims and a request against a frozen Redis took {:?}",
            started.elapsed()
        );
        assert!(
            log.logged(
                "WARN",
                &[
                    "webhook dedup: Redis is unavailable",
                    "without the duplicate check"
                ]
            ),
            "the outage is logged under Accept"
        );
        assert!(
            log.logged(
                "WARN",
                &["webhook dedup: Redis is unavailable", "refused with 503"]
            ),
            "and under Refuse"
        );

        // Redis wakes and runs the claim it was sent for the refused msg_frozen_3, then its
        // release: Svix's retry is processed, not taken for a duplicate.
        redis.signal("CONT");
        let deadline = Instant::now() + PATIENCE;
        loop {
            match receive(&refuse, "msg_frozen_3").await {
                Ok(_) => break,
                Err(WebhookError::DedupUnavailable { .. }) if Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(e) => panic!("after the thaw: {e}"),
            }
        }
        // The accepting instance checks again once it tries Redis again (a second after its
        // failure); until then it accepts unchecked.
        loop {
            match receive(&accept, "msg_frozen_3").await {
                Err(WebhookError::Duplicate { .. }) => break,
                Ok(_) if Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                other => panic!("after the thaw: {other:?}"),
            }
        }
        assert!(log.logged("INFO", &["webhook dedup: Redis answers again"]));
    }

    #[test]
    fn a_url_that_is_not_redis_is_refused_for_dedup() {
        let err = Dedup::redis(RedisDedupOptions::new("http://127.0.0.1:1")).unwrap_err();
        assert!(err.to_string().contains("redis://"), "{err}");
    }
}

/// The sync in operation: one sync per list, the bounded queue's policy when full, and the
/// sync's lag and connection state as metrics (feature `metrics`).
mod sync_in_operation {
    use std::time::{Duration, Instant};

    use clerk_claims::revocation::RevocationList;
    use clerk_claims::revocation::redis::{RedisOptions, RedisSync, RedisSyncError};

    use super::metrics_common::Recording;
    use super::{PATIENCE, RedisServer, recorder};

    fn options(redis: &RedisServer) -> RedisOptions {
        RedisOptions::new(redis.url())
            .backoff(Duration::from_millis(50), Duration::from_millis(250))
            .health_check(Duration::from_millis(200))
            .connect_timeout(Duration::from_millis(300))
    }

    async fn synced(list: &RevocationList, options: RedisOptions) -> RedisSync {
        RedisSync::start_with(list, options)
            .await
            .expect("Redis answers")
    }

    /// Waits until `list` holds every one of `sessions`.
    async fn until_revoked(list: &RevocationList, sessions: &[String]) {
        let since = Instant::now();
        while !sessions.iter().all(|s| list.is_revoked(s)) {
            assert!(
                since.elapsed() < PATIENCE,
                "{} of {} sessions arrived within {PATIENCE:?}",
                sessions.iter().filter(|s| list.is_revoked(s)).count(),
                sessions.len()
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_second_sync_on_one_list_is_refused_and_one_starts_once_the_first_is_dropped() {
        let Some(redis) = RedisServer::start() else {
            return;
        };
        let list = RevocationList::new();
        let first = synced(&list, options(&redis)).await;
        let err = RedisSync::start_with(&list, options(&redis))
            .await
            .expect_err("one sync per list");
        assert!(matches!(err, RedisSyncError::AlreadySynced), "{err:?}");
        assert!(err.to_string().contains("one RedisSync per list"), "{err}");
        assert!(first.is_connected(), "the first sync goes on");

        drop(first);
        let second = synced(&list, options(&redis)).await;
        let peer = RevocationList::new();
        let _peer_sync = synced(&peer, options(&redis)).await;
        list.revoke("sess_after_the_swap", "user_1");
        until_revoked(&peer, &["sess_after_the_swap".to_owned()]).await;
        assert!(second.is_connected());
    }

    #[test]
    fn a_full_queue_loses_no_revocation_the_whole_list_is_pushed_and_the_others_resync() {
        let recording = Recording::new();
        let _ = recorder();
        let Some(redis) = RedisServer::start() else {
            return;
        };
        recording.run(async {
            let busy = RevocationList::new();
            let _busy_sync = synced(&busy, options(&redis).queue_capacity(1)).await;
            let peer = RevocationList::new();
            let _peer_sync = synced(&peer, options(&redis)).await;
            // One thread: the sync task cannot run between these calls, so the queue of one
            // fills at the first and refuses the 19 others.
            let sessions: Vec<String> = (0..20).map(|i| format!("sess_burst_{i}")).collect();
            for session in &sessions {
                busy.revoke(session, "user_1");
            }
            until_revoked(&peer, &sessions).await;
            assert!(peer.is_user_token_revoked("user_1", None));
        });
        let metrics = recording.metrics();
        assert_eq!(
            metrics.counter("clerk_claims_revocation_sync_overflows_total"),
            Some(19),
            "{metrics:#?}"
        );
        assert!(
            recorder().logged("WARN", &["queue to Redis is full"]),
            "the overflow is logged"
        );
    }

    #[test]
    fn the_sync_lag_and_the_connection_state_are_metrics() {
        let recording = Recording::new();
        let Some(mut redis) = RedisServer::start() else {
            return;
        };
        recording.run(async {
            let here = RevocationList::new();
            let sync = synced(&here, options(&redis)).await;
            let peer = RevocationList::new();
            let peer_sync = synced(&peer, options(&redis)).await;
            let connected = || {
                recording
                    .metrics()
                    .gauge("clerk_claims_revocation_sync_connected")
            };
            assert_eq!(connected(), Some(1.0));

            here.revoke("sess_lagging", "user_1");
            until_revoked(&peer, &["sess_lagging".to_owned()]).await;
            let lags = recording
                .metrics()
                .histogram("clerk_claims_revocation_sync_lag_seconds");
            assert!(!lags.is_empty(), "the peer's apply is measured");
            assert!(
                lags.iter().all(|lag| (0.0..60.0).contains(lag)),
                "seconds since the publish: {lags:?}"
            );

            redis.kill();
            assert!(sync.wait_disconnected(PATIENCE).await);
            assert!(peer_sync.wait_disconnected(PATIENCE).await);
            assert_eq!(connected(), Some(0.0), "down");
            redis.restart();
            assert!(sync.wait_connected(PATIENCE).await);
            assert!(peer_sync.wait_connected(PATIENCE).await);
            assert_eq!(connected(), Some(1.0), "up again");
        });
    }
}
