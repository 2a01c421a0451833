// A `fetch` that fails the test if it is ever called: installed around code that must send
// nothing (bad input is refused before any request leaves). It is not a stand-in for ACS.
export async function withoutNetwork(run) {
  const realFetch = globalThis.fetch;
  const attempts = [];
  globalThis.fetch = (input) => {
    attempts.push(String(input?.url ?? input));
    return Promise.reject(new Error('no request may be sent here'));
  };
  try {
    return { result: await run(), attempts };
  } catch (error) {
    return { error, attempts };
  } finally {
    globalThis.fetch = realFetch;
  }
}
