// The page's logic: show the visitor's Global Privacy Control state and what it calls for, and
// read, set or apply the opt-out of an ACS profile through the ccpa-optout package.
import init, { CampaignClient, deriveOptOut, detectGpc, isCcpaOptOutError } from 'ccpa-optout';

await init(); // fetches the .wasm next to the package's browser.js, once

const form = document.querySelector('#settings');
const result = document.querySelector('#result');
const errorBox = document.querySelector('#error');

// Fields can be prefilled from the query string (?baseUrl=…&organization=…&subject=…).
for (const [name, value] of new URLSearchParams(location.search)) {
  if (form.elements[name]) form.elements[name].value = value;
}

const gpc = detectGpc(); // true, false, or undefined where the browser has no GPC
document.querySelector('#gpc').textContent =
  gpc === undefined ? 'not supported by this browser' : gpc ? 'on' : 'off';
const decision = deriveOptOut({ gpc: gpc ?? null });
document.querySelector('#decision').textContent =
  decision.value === true ? 'opt out (Global Privacy Control)'
    : decision.value === false ? 'not opted out' : 'no signal: leave the profile as it is';

function client() {
  const { baseUrl, organization, apiKey, accessToken } = Object.fromEntries(new FormData(form));
  return new CampaignClient({ organization, apiKey, accessToken, ...(baseUrl ? { baseUrl } : {}) });
}

const subject = () => form.elements.subject.value.trim();
const isEmail = (text) => text.includes('@') && !text.startsWith('@');
const describe = (c) => `${c.pkey}: ${c.current ? 'opted out' : 'not opted out'} (${c.changed ? 'written now' : 'already so'})`;

async function run(action) {
  result.dataset.state = 'busy';
  result.textContent = '…';
  errorBox.textContent = '';
  try {
    result.textContent = await action();
    result.dataset.state = 'done';
  } catch (error) {
    result.textContent = '';
    result.dataset.state = 'failed';
    // Messages start with the error's stable kind and never contain the token or API key.
    errorBox.textContent = isCcpaOptOutError(error) ? error.message : String(error);
  }
}

document.querySelector('#read').addEventListener('click', () => run(async () => {
  if (isEmail(subject())) {
    const profiles = await client().findByEmail(subject());
    return profiles.map((p) => `${p.PKey}: ${p.ccpaOptOut ? 'opted out' : 'not opted out'}`).join('\n')
      || `no profile has the email ${subject()}`;
  }
  return `${subject()}: ${(await client().getOptOut(subject())) ? 'opted out' : 'not opted out'}`;
}));

document.querySelector('#opt-out').addEventListener('click', () => run(async () => {
  const changes = isEmail(subject())
    ? await client().optOutByEmail(subject(), true)
    : [await client().setOptOut(subject(), true)];
  return changes.map(describe).join('\n') || `no profile has the email ${subject()}`;
}));

document.querySelector('#apply').addEventListener('click', () => run(async () => {
  const applied = await client().applySignals(subject(), { gpc: gpc ?? null });
  if (applied.value === null) return 'nothing to apply: no privacy signal';
  return applied.changes.map(describe).join('\n') || 'no matching profile';
}));
