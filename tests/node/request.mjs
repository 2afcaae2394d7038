// Runs Clerk's own authenticateRequest (@clerk/backend, pinned) on a batch of requests and
// prints one JSON array of outcomes. Driven by tests/tests/request_node_interop.rs.
//
// stdin: {"cases": [{"now": <unix seconds>,
//                    "options": {"publishableKey", "secretKey", "jwtKey"?, "jwks"?, "isSatellite",
//                                "domain", "proxyUrl", "signInUrl", "satelliteAutoSync",
//                                "authorizedParties", "organizationSyncOptions"?,
//                                "handshakePayloads"?: {nonce: [lines]}},
//                    "request": {"method", "url", "headers": {..}, "cookies": {..}}}]}
// stdout: [{"status", "reason", "message", "location", "setCookie": [..], "userId", "apiCalls"}
//          | {"error"}]  (apiCalls: the handshake payloads Clerk asked the Backend API for)
import { createAuthenticateRequest } from '@clerk/backend/internal';
import { createPublicKey } from 'node:crypto';

// A fixed clock: Clerk reads Date.now() and new Date().
const RealDate = Date;
let now = 0;
class FixedDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(now);
    else super(...args);
  }
  static now() {
    return now;
  }
}
globalThis.Date = FixedDate;
// Clerk logs its decisions (redirect loops, handshake errors); stdout is for the answer only.
console.log = () => {};
console.warn = () => {};
console.error = () => {};
const print = (value) => process.stdout.write(JSON.stringify(value) + '\n');

const input = JSON.parse(await new Promise((resolve) => {
  let data = '';
  process.stdin.on('data', (chunk) => { data += chunk; });
  process.stdin.on('end', () => resolve(data));
}));

function jwtKeyOf(options) {
  if (options.jwtKey) return options.jwtKey;
  if (!options.jwks) return undefined;
  const jwk = options.jwks.keys[0];
  return createPublicKey({ key: { kty: jwk.kty, n: jwk.n, e: jwk.e }, format: 'jwk' })
    .export({ type: 'spki', format: 'pem' });
}

const results = [];
for (const c of input.cases) {
  now = c.now * 1000;
  const o = c.options;
  const payloads = o.handshakePayloads ?? {};
  // How many times Clerk asked the Backend API for a nonce's payload.
  let apiCalls = 0;
  const apiClient = o.handshakePayloads
    ? {
        clients: {
          getHandshakePayload: async ({ nonce }) => {
            apiCalls += 1;
            return { directives: payloads[nonce] ?? [] };
          },
        },
      }
    : undefined;
  const { authenticateRequest } = createAuthenticateRequest({ options: {}, apiClient });
  const headers = { ...(c.request.headers ?? {}) };
  const cookies = Object.entries(c.request.cookies ?? {}).map(([k, v]) => `${k}=${v}`).join(';');
  if (cookies) headers.cookie = headers.cookie ? `${headers.cookie}; ${cookies}` : cookies;
  try {
    const request = new Request(c.request.url, { method: c.request.method ?? 'GET', headers });
    const state = await authenticateRequest(request, {
      publishableKey: o.publishableKey,
      secretKey: o.secretKey ?? 'sk_test_interop',
      jwtKey: jwtKeyOf(o),
      isSatellite: o.isSatellite ?? false,
      domain: o.domain ?? '',
      proxyUrl: o.proxyUrl ?? '',
      signInUrl: o.signInUrl ?? '',
      satelliteAutoSync: o.satelliteAutoSync,
      authorizedParties: o.authorizedParties,
      organizationSyncOptions: o.organizationSyncOptions,
      skipJwksCache: true,
    });
    const auth = state.status === 'signed-in' ? state.toAuth() : null;
    results.push({
      status: state.status,
      reason: state.reason ?? null,
      message: state.message ?? null,
      location: state.headers.get('location'),
      setCookie: state.headers.getSetCookie(),
      userId: auth?.userId ?? null,
      apiCalls,
    });
  } catch (error) {
    results.push({ error: String(error?.message ?? error) });
  }
}
print(results);
