// The profile calls written by hand with the runtime's fetch, as someone without a client library
// would: the baseline of the JS benchmarks. Same URLs, headers and bodies as the package sends.

/**
 * `timeoutMs` adds the per-request `AbortSignal.timeout` that the package also sets, to show what
 * that alone costs.
 */
export function plainFetchClient({ url, org, apiKey, token, timeoutMs }) {
  const headers = {
    authorization: `Bearer ${token}`, 'x-api-key': apiKey, 'cache-control': 'no-cache',
    accept: 'application/json',
  };
  const base = `${url}/${org}/campaign/profileAndServices/profile/`;
  const signal = () => (timeoutMs ? AbortSignal.timeout(timeoutMs) : undefined);

  async function getProfile(pkey) {
    const got = await fetch(base + pkey, { headers, signal: signal() });
    if (!got.ok) throw new Error(`GET ${got.status}`);
    return got.json();
  }

  async function updateProfile(pkey, fields) {
    const patched = await fetch(base + pkey, {
      signal: signal(),
      method: 'PATCH',
      headers: { ...headers, 'content-type': 'application/json;charset=utf-8' },
      body: JSON.stringify(fields),
    });
    if (!patched.ok) throw new Error(`PATCH ${patched.status}`);
    return patched.json();
  }

  /** GET the profile, PATCH ccpaOptOut when it differs; true when it PATCHed. */
  async function setOptOut(pkey, optedOut) {
    const profile = await getProfile(pkey);
    if (profile.ccpaOptOut === optedOut) return false;
    await updateProfile(pkey, { ccpaOptOut: optedOut });
    return true;
  }

  return { getProfile, updateProfile, setOptOut };
}
