// Reads one JSON request on stdin, answers one JSON line on stdout.
//   {"op":"sign","secret":"whsec_…","id":..,"timestamp":<secs>,"body":".."}
//       -> the svix-signature of Clerk's own standardwebhooks library
//   {"op":"verify","secret":"whsec_…","headers":{..},"body":".."}
//       -> Clerk's verifyWebhook (@clerk/backend/webhooks) on a Request built from them
import { Webhook } from 'standardwebhooks';
import { verifyWebhook } from '@clerk/backend/webhooks';

const input = JSON.parse(await new Promise((resolve) => {
  let data = '';
  process.stdin.on('data', (chunk) => { data += chunk; });
  process.stdin.on('end', () => resolve(data));
}));

try {
  if (input.op === 'sign') {
    const signature = new Webhook(input.secret).sign(input.id, new Date(input.timestamp * 1000), input.body);
    console.log(JSON.stringify({ ok: true, signature }));
  } else if (input.op === 'verify') {
    const request = new Request('http://localhost/webhooks', {
      method: 'POST',
      headers: input.headers,
      body: input.body,
    });
    const event = await verifyWebhook(request, { signingSecret: input.secret });
    console.log(JSON.stringify({ ok: true, event }));
  } else {
    console.log(JSON.stringify({ ok: false, message: `unknown op ${input.op}` }));
  }
} catch (error) {
  console.log(JSON.stringify({ ok: false, message: String(error.message ?? error) }));
}
