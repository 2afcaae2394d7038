// Reads one JSON request on stdin, answers one JSON line on stdout.
//   {"op":"verify","token":..,"pem":..,"authorizedParties":[..]}  -> Clerk's verifyToken, networkless
//   {"op":"sign","payload":{..},"kid":..}                           -> Clerk's signJwt with a fresh RSA key
//   {"op":"verify_many","pem":..,"cases":[{"token":..,"now":MS}]}  -> verifyToken of each, at `now`
import { verifyToken } from '@clerk/backend';
import { signJwt } from '@clerk/backend/jwt';
import { generateKeyPairSync } from 'node:crypto';

const input = JSON.parse(await new Promise((resolve) => {
  let data = '';
  process.stdin.on('data', (chunk) => { data += chunk; });
  process.stdin.on('end', () => resolve(data));
}));

if (input.op === 'verify') {
  try {
    const payload = await verifyToken(input.token, {
      jwtKey: input.pem,
      authorizedParties: input.authorizedParties,
    });
    console.log(JSON.stringify({ ok: true, payload }));
  } catch (error) {
    console.log(JSON.stringify({ ok: false, reason: error.reason ?? null, message: String(error.message ?? error) }));
  }
} else if (input.op === 'verify_many') {
  // Clerk's clock is `Date.now()`: each case fixes it.
  const realNow = Date.now;
  const answers = [];
  for (const c of input.cases) {
    Date.now = () => c.now;
    try {
      await verifyToken(c.token, { jwtKey: input.pem });
      answers.push({ ok: true, reason: null });
    } catch (error) {
      answers.push({ ok: false, reason: error.reason ?? null });
    }
  }
  Date.now = realNow;
  console.log(JSON.stringify({ ok: true, answers }));
} else if (input.op === 'sign') {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' });
  try {
    // The public `signJwt` returns the token and throws on error.
    const token = await signJwt(input.payload, pkcs8, {
      algorithm: 'RS256',
      header: { kid: input.kid, typ: 'JWT' },
    });
    console.log(JSON.stringify({ ok: true, token, pem: publicKey.export({ type: 'spki', format: 'pem' }) }));
  } catch (error) {
    console.log(JSON.stringify({ ok: false, message: String(error.message ?? error) }));
  }
} else {
  console.log(JSON.stringify({ ok: false, message: `unknown op ${input.op}` }));
}
