// The privacy page's script: fetch the visitor's subject token from the site's backend, then let ccpa-optout/page do the rest.
import { showOptOutStatus } from 'ccpa-optout/page';

const receiver = document.querySelector('main').dataset.receiver;
// A visitor who is not logged in gets no token: the receiver then stores nothing but still
// says whether the signal is honoured.
const token = await fetch('/subject-token', { cache: 'no-store' })
  .then((response) => (response.ok ? response.json() : {}))
  .then((body) => body.token, () => null);

try {
  await showOptOutStatus({
    receiver,
    token,
    element: '#opt-out-status',
    toggle: '#do-not-sell',
    poll: { intervalMs: 500 },
  });
} catch (error) {
  // The page already shows the neutral error text; the message names the kind, never the token.
  console.warn(error.message);
}
