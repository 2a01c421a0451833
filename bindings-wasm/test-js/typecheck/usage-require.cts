// The same types through `require` (TypeScript's node16/nodenext CommonJS resolution).
import ccpa = require('ccpa-optout');

export async function optOut(pkey: string): Promise<boolean> {
  const client = new ccpa.CampaignClient({ organization: 'acme', apiKey: 'key', accessToken: 'token' });
  try {
    return (await client.setOptOut(pkey, true)).current;
  } catch (error) {
    if (ccpa.isCcpaOptOutError(error) && error.kind === 'NotFound') return false;
    throw error;
  }
}
