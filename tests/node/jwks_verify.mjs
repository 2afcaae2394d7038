// Reads one JSON request on stdin, answers one JSON line on stdout:
//   {"token":..,"jwks":{"keys":[..]},"authorizedParties":[..]?} -> Clerk's verifyToken with a
//   secret key, whose Backend API JWKS fetch is answered with `jwks` (no network), so the kid
//   lookup (`loadClerkJWKFromRemote`) and the key import are Clerk's own.
const input = JSON.parse(await new Promise((resolve) => {
  let data = '';
  process.stdin.on('data', (chunk) => { data += chunk; });
  process.stdin.on('end', () => resolve(data));
}));

// `@clerk/backend` binds the global fetch when it loads: answer the JWKS request before that.
globalThis.fetch = async (url) => {
  if (!String(url).endsWith('/jwks')) {
    throw new Error(`unexpected fetch ${url}`);
  }
  return new Response(JSON.stringify(input.jwks), {
    status: 200,
    headers: { 'Content-Type': 'application/json' },
  });
};
const { verifyToken } = await import('@clerk/backend');

try {
  const payload = await verifyToken(input.token, {
    secretKey: 'sk_test_jwks_verify',
    apiUrl: 'https://api.clerk.test',
    authorizedParties: input.authorizedParties,
  });
  console.log(JSON.stringify({ ok: true, payload }));
} catch (error) {
  console.log(JSON.stringify({ ok: false, reason: error.reason ?? null, message: String(error.message ?? error) }));
}
