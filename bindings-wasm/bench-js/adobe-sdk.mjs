// Adobe's own JS SDK, @adobe/aio-lib-campaign-standard, loaded from the folder it was installed
// into, with its HTTP routed to the emulator.
//
// The hook: the SDK builds swagger-client with `userFetch: createFetch()` from
// @adobe/aio-lib-core-networking, and createFetch hands every request to node-fetch. Before the
// SDK loads, node-fetch's entry in the require cache is replaced by a wrapper that swaps the
// origin https://mc.adobe.io for the emulator's and calls the real node-fetch. Everything else
// (swagger-client's request building, the SDK's interceptors, createFetch's proxy lookup,
// node-fetch and Node's http agent) is the SDK's own code path.
import { createRequire } from 'node:module';
import path from 'node:path';

const ADOBE_ORIGIN = 'https://mc.adobe.io';

/** `{sdk, version, routed()}`: the SDK module, its version, and how many requests went through the hook. */
export function loadAdobeSdk(installDir, baseUrl) {
  const require = createRequire(path.join(path.resolve(installDir), 'package.json'));
  const networking = path.dirname(require.resolve('@adobe/aio-lib-core-networking'));
  const nodeFetchPath = require.resolve('node-fetch', { paths: [networking] });
  const realFetch = require(nodeFetchPath);
  let routed = 0;
  const routedFetch = (resource, options) => {
    if (typeof resource !== 'string' || !resource.startsWith(`${ADOBE_ORIGIN}/`)) {
      throw new Error(`the SDK fetched something other than ${ADOBE_ORIGIN}: ${resource}`);
    }
    routed += 1;
    return realFetch(baseUrl + resource.slice(ADOBE_ORIGIN.length), options);
  };
  Object.assign(routedFetch, realFetch); // Headers, Request, Response, FetchError, default
  require.cache[nodeFetchPath].exports = routedFetch;
  const sdk = require('@adobe/aio-lib-campaign-standard');
  const { version } = require('@adobe/aio-lib-campaign-standard/package.json');
  return { sdk, version, routed: () => routed };
}
