// Sets (or clears) the CCPA "do not sell or share" opt-out of ACS profiles from Node.
//
//   node set-opt-out.mjs <email or PKey> [true|false]
//
// Configuration comes from the environment, read by CampaignClient.fromEnv (the first three are
// the names Adobe's own SDK uses):
//   CAMPAIGN_STANDARD_TENANT_ID     the ACS tenant, e.g. "acme" (not the IMS org …@AdobeOrg)
//   CAMPAIGN_STANDARD_API_KEY       the integration's client ID (X-Api-Key)
//   CAMPAIGN_STANDARD_ACCESS_TOKEN  an IMS access token (or _CLIENT_SECRET and _SCOPES for OAuth)
//   ACS_BASE_URL                    optional; default https://mc.adobe.io (the emulator prints its own)
import { CampaignClient, isCcpaOptOutError } from 'ccpa-optout';

const [subject, value = 'true'] = process.argv.slice(2);
if (!subject || !['true', 'false'].includes(value)) {
  console.error('usage: node set-opt-out.mjs <email or PKey> [true|false]');
  process.exit(2);
}

const optedOut = value === 'true';

try {
  // A missing or malformed setting is a Config error naming it, caught below like the rest.
  const client = CampaignClient.fromEnv(process.env, { baseUrl: process.env.ACS_BASE_URL || undefined });
  // An email reaches every profile that has it; anything else is a PKey such as "@Zk3q9Lw2TfR0".
  const changes = subject.includes('@') && !subject.startsWith('@')
    ? await client.optOutByEmail(subject, optedOut)
    : [await client.setOptOut(subject, optedOut)];
  if (changes.length === 0) console.log(`no profile has the email ${subject}`);
  for (const { pkey, previous, current, changed } of changes) {
    console.log(`${pkey}: ${previous} -> ${current} (${changed ? 'written' : 'already set'})`);
  }
} catch (error) {
  if (!isCcpaOptOutError(error)) throw error;
  // Branch on `error.kind` (Validation, Config, Auth, NotFound, RateLimited, Server, Http,
  // Transport, Decode); the message starts with it and never contains the token or API key.
  console.error(error.retryable ? `${error.message} (worth retrying later)` : error.message);
  process.exit(1);
}
