#!/usr/bin/env python3
"""Writes the seed corpora of fuzz/corpus/<target>/ from the repository's fixtures and vectors
(testdata/, tests/tests/data/, clerk-claims-cli/tests/fixtures/).

    python3 fuzz/seeds.py        # rewrites fuzz/corpus/

Tokens that must verify are re-issued for the fuzz instance (fuzz/src/lib.rs: its HS256 key,
Frontend API and clock), with Clerk's claims and relative times kept.
"""
import base64
import hashlib
import hmac
import json
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "fuzz" / "corpus"

# fuzz/src/lib.rs
NOW = 1_800_000_000
FRONTEND_API = "clerk.fuzz.example"
PUBLISHABLE_KEY = "pk_test_Y2xlcmsuZnV6ei5leGFtcGxlJA=="
KID = "ins_fuzz"
SECRET = b"clerk-claims fuzz instance key, not a secret"
WEBHOOK_KEY = b"clerk-claims fuzz webhook"
SESSION_CAT = "cl_B7d4PD111AAA"
TEMPLATE_CAT = "cl_B7d4PD222AAA"
# Clerk's fixtures are frozen at this time (mockJwtPayload.iat).
CLERK_NOW = 1666648250
SHIFT = NOW - CLERK_NOW


def load(path):
    return json.loads((ROOT / path).read_text())


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def compact(obj) -> bytes:
    return json.dumps(obj, separators=(",", ":")).encode()


def sign(header: bytes, payload: bytes) -> str:
    signing_input = f"{b64url(header)}.{b64url(payload)}"
    tag = hmac.new(SECRET, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(tag)}"


def shift_times(payload: dict, shift=SHIFT, issuer=None) -> dict:
    """The payload at the fuzz clock and issuer (`issuer`: the only issuer replaced)."""
    out = dict(payload)
    for claim in ("exp", "iat", "nbf", "auth_time"):
        if isinstance(out.get(claim), int) and not isinstance(out.get(claim), bool):
            out[claim] += shift
    if "iss" in out and issuer in (None, out["iss"]):
        out["iss"] = f"https://{FRONTEND_API}"
    return out


def reissue(token: str, keep_signature=False) -> str:
    """Clerk's token as the fuzz instance would issue it (times shifted to NOW)."""
    head, payload, signature = token.split(".")
    header = json.loads(unb64url(head))
    header["alg"] = "HS256"
    header["kid"] = KID
    claims = shift_times(json.loads(unb64url(payload)))
    fresh = sign(compact(header), compact(claims))
    if keep_signature:  # a signature of another payload: invalid
        return fresh.rsplit(".", 1)[0] + "." + signature[:43]
    return fresh


class Corpus:
    def __init__(self, target):
        self.dir = OUT / target
        self.dir.mkdir(parents=True)
        self.seen = set()

    def add(self, name, data):
        if isinstance(data, str):
            data = data.encode()
        if data in self.seen:
            return
        self.seen.add(data)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-")[:60] or "seed"
        path = self.dir / name
        n = 1
        while path.exists():
            n += 1
            path = self.dir / f"{name}-{n}"
        path.write_bytes(data)


def session_payload(**extra):
    base = {
        "azp": "https://app.example",
        "exp": NOW + 50,
        "iat": NOW - 10,
        "iss": f"https://{FRONTEND_API}",
        "nbf": NOW - 20,
        "sid": "sess_fuzz",
        "sub": "user_fuzz",
        "v": 2,
    }
    base.update(extra)
    return base


def main():
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir()
    session_fixture = load("testdata/clerk-fixtures/session-token-verification.json")
    attacks = load("testdata/vectors/attack-tokens.json")
    rfc = load("testdata/vectors/rfc-examples.json")
    v2 = load("testdata/clerk-fixtures/v2-permission-decoding.json")
    has_checks = load("testdata/clerk-fixtures/has-checks.json")
    rendering = load("testdata/clerk-fixtures/jwt-template-rendering.json")
    requests = load("tests/tests/data/request/clerk_request_cases.json")

    clerk_tokens = {k: v["jwt"] for k, v in session_fixture["tokens"].items()}
    attack_tokens = [(v["name"], v["token"]) for v in attacks["vectors"] if isinstance(v.get("token"), str)]
    rfc_tokens = [
        (v.get("name", "rfc"), v["token"])
        for v in rfc["vectors"]
        if isinstance(v, dict) and isinstance(v.get("token"), str)
    ]
    v2_payloads = [session_payload(**case["claims"]) for case in v2]

    # decode: tokens, key material, publishable keys, Authorization values.
    decode = Corpus("decode")
    for name, token in list(clerk_tokens.items()) + attack_tokens[:40] + rfc_tokens[:10]:
        decode.add(f"token-{name}", token)
    decode.add("jwks-clerk", json.dumps(session_fixture["jwks"]))
    decode.add("jwk-clerk", json.dumps(session_fixture["jwks"]["keys"][0]))
    decode.add("pem-clerk", session_fixture["pem_to_jwk"]["pem"])
    for path in sorted((ROOT / "testdata/vectors/jose-cookbook-rfc7520/jwk").glob("*.json")):
        decode.add(f"jwk-{path.stem}", path.read_bytes())
    decode.add("pk-test", PUBLISHABLE_KEY)
    decode.add("pk-live", "pk_live_Y2xlcmsuZXhhbXBsZS5jb20k")
    decode.add("bearer", "Bearer " + clerk_tokens["valid_v1_session"])

    # verify: mode byte, then the mode's input (fuzz_targets/verify.rs).
    verify = Corpus("verify")
    for name, token in list(clerk_tokens.items()) + attack_tokens[:30]:
        verify.add(f"text-{name}", b"\x00" + token.encode())
    for at in (0, 40, 120, 200, 250):
        verify.add(f"splice-{at}", bytes([1, at]) + b"eyJ9")
    session_header = compact({"alg": "HS256", "cat": SESSION_CAT, "kid": KID, "typ": "JWT"})
    template_header = compact({"alg": "HS256", "cat": TEMPLATE_CAT, "kid": KID, "typ": "JWT"})
    for i, payload in enumerate(v2_payloads[:10]):
        verify.add(f"signed-v2-{i}", b"\x02" + compact(payload))
    verify.add("signed-v1", b"\x02" + compact(shift_times(session_fixture["tokens"]["valid_v1_session"]["payload"])))
    verify.add("signed-template", b"\x02" + template_header + b"\n" + compact(session_payload(v=None, plan="pro")))
    verify.add("signed-header", b"\x02" + session_header + b"\n" + compact(session_payload()))
    for vector in attacks["vectors"][:30]:
        name, token = vector["name"], vector.get("token")
        if not isinstance(token, str) or token.count(".") < 1:
            continue
        head, payload = token.split(".")[:2]
        try:
            claims = json.loads(unb64url(payload))
            header = json.loads(unb64url(head))
        except ValueError:
            continue
        if not isinstance(claims, dict) or not isinstance(header, dict):
            continue
        claims = shift_times(claims, NOW - vector["now"], vector["issuer"])
        header.update({"alg": "HS256", "kid": KID})
        verify.add(f"signed-{name}", b"\x02" + compact(header) + b"\n" + compact(claims))

    # session: a has() question, a newline, a payload.
    session = Corpus("session")
    questions = ["role=org:admin", "permission=org:invoices:read", "feature=o:dashboard",
                 "plan=u:pro", "reverification=strict", "reverification=first_factor/10",
                 "role=admin,permission=org:a:read", '{"role":"org:admin"}',
                 '{"reverification":{"level":"second_factor","afterMinutes":5}}']
    for case in has_checks[:40]:
        params = case.get("params")
        if isinstance(params, dict):
            questions.append(json.dumps(params, separators=(",", ":")))
            cli = ",".join(f"{k}={v}" for k, v in params.items() if isinstance(v, str))
            if cli:
                questions.append(cli)
    payloads = v2_payloads + [
        shift_times(t["payload"]) for t in session_fixture["tokens"].values()
    ] + [session_payload(v=None, org_id="org_1", org_role="org:admin", org_slug="acme",
                         org_permissions=["org:a:read"], fva=[1, 2], fea="u:x", pla="u:pro")]
    for i, question in enumerate(questions):
        payload = payloads[i % len(payloads)]
        session.add(f"has-{i}", question.encode() + b"\n" + compact(payload))

    # template: bare claims and template objects.
    template = Corpus("template")
    for case in rendering:
        template.add(f"claims-{case['name']}", json.dumps(case["template_claims"]))
    for path in sorted((ROOT / "tests/tests/data/template").glob("*.json")):
        template.add(path.stem, path.read_bytes())
    for path in sorted((ROOT / "clerk-claims-cli/tests/fixtures").glob("*.json")):
        if not path.name.startswith("context."):
            template.add(f"cli-{path.stem}", path.read_bytes())

    # shortcode: every claim string of the templates, and the expressions in them.
    shortcode = Corpus("shortcode")

    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for v in value.values():
                yield from strings(v)
        elif isinstance(value, list):
            for v in value:
                yield from strings(v)

    texts = []
    for case in rendering:
        texts.extend(strings(case["template_claims"]))
    for path in sorted((ROOT / "tests/tests/data/template").glob("*.json")):
        texts.extend(strings(json.loads(path.read_text())))
    for i, text in enumerate(dict.fromkeys(texts)):
        if "{{" in text:
            shortcode.add(f"claim-{i}", text)
            for m in re.finditer(r"\{\{(.*?)\}\}", text):
                shortcode.add(f"expr-{i}", m.group(1))
    for text in ["user.public_metadata.plan || 'free'", "org.role || null || 1.5 || true",
                 "session.actor.sub", "user.unsafe_metadata.a.b.c", "org_membership.permissions"]:
        shortcode.add("expr", text)

    # render: {"claims", "shortcode_values", "metadata"} and {"claims", "context"}.
    render = Corpus("render")
    for case in rendering:
        render.add(f"values-{case['name']}", json.dumps({
            "claims": case["template_claims"],
            "shortcode_values": case["shortcode_values"],
            "metadata": case["metadata"],
        }))
    contexts = sorted((ROOT / "clerk-claims-cli/tests/fixtures").glob("context.*.json"))
    for i, path in enumerate(contexts):
        claims = rendering[i % len(rendering)]["template_claims"]
        render.add(f"context-{path.stem}", json.dumps({
            "claims": claims, "context": json.loads(path.read_text())}))
    bapi_user = json.loads((ROOT / "tests/tests/data/render/bapi-user.json").read_text())
    bapi_org = json.loads((ROOT / "tests/tests/data/render/bapi-org.json").read_text())
    render.add("context-bapi", json.dumps({
        "claims": {"id": "{{user.id}}", "org": "{{org.slug}}", "role": "{{org.role || 'none'}}",
                   "meta": "{{user.public_metadata}}", "s": "x {{user.first_name}} y"},
        "context": {"user": bapi_user, "organization": bapi_org}}))

    # webhook: header lines, an empty line, the body.
    webhook = Corpus("webhook")
    for path in sorted((ROOT / "tests/tests/data/webhooks").glob("*.json")):
        body = path.read_bytes()
        msg_id = f"msg_{path.stem}"
        mac = hmac.new(WEBHOOK_KEY, f"{msg_id}.{NOW}.".encode() + body, hashlib.sha256).digest()
        signature = "v1," + base64.b64encode(mac).decode()
        head = f"svix-id: {msg_id}\nsvix-timestamp: {NOW}\nsvix-signature: v1a,xyz {signature}\n"
        webhook.add(path.stem, head.encode() + b"\n" + body)
    webhook.add("no-headers", b"content-type: application/json\n\n{}")

    # request: the request line, header lines (Clerk's authenticateRequest cases, tokens
    # re-issued for the fuzz instance).
    request = Corpus("request")
    tokens = {name: reissue(token, keep_signature=name == "mockInvalidSignatureJwt")
              for name, token in requests["tokens"].items()}

    def substitute(text):
        text = re.sub(r"\$([A-Za-z_]+)", lambda m: tokens.get(m.group(1), m.group(0)), text)
        # __client_uat and other times of Clerk's clock, moved to the fuzz clock.
        return re.sub(r"\b1666\d{6}\b", lambda m: str(int(m.group(0)) + SHIFT), text)

    for case in requests["cases"]:
        req = case["request"]
        options = case.get("options", {})
        lines = [f"{req.get('method', 'GET')} {substitute(req['url'])}"]
        if options.get("satellite"):
            lines.append("x-fuzz-options: satellite")
        elif options.get("publishable_key", "").startswith("pk_live"):
            lines.append("x-fuzz-options: live")
        for name, values in req.get("headers", {}).items():
            for value in values if isinstance(values, list) else [values]:
                lines.append(f"{name}: {substitute(value)}")
        cookies = req.get("cookies", {})
        if cookies:
            lines.append("cookie: " + "; ".join(f"{k}={substitute(v)}" for k, v in cookies.items()))
        request.add(case["name"], "\n".join(lines) + "\n")
    valid = sign(session_header, compact(session_payload()))
    request.add("description", json.dumps({
        "method": "GET", "url": "https://app.example/dashboard",
        "headers": {"sec-fetch-dest": "document", "host": "app.example"},
        "cookies": {"__session": valid, "__client_uat": str(NOW - 10)}}))
    request.add("proxy", "GET /dashboard\nx-fuzz-options: proxy\nhost: app.example\n"
                f"x-forwarded-proto: https\ncookie: __session={valid}; __client_uat={NOW - 10}\n")

    total = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file())
    count = sum(1 for p in OUT.rglob("*") if p.is_file())
    print(f"fuzz/corpus: {count} seeds, {total} bytes")


if __name__ == "__main__":
    main()
