// The browser and bundler entry point: the wasm-bindgen `web` build. Call `await init()` once
// before anything else; it fetches `web/ccpa_optout_wasm_bg.wasm` next to this file (bundlers
// see the `new URL(..., import.meta.url)` and ship it as an asset).
import init, { initSync, ProfileListing } from './web/ccpa_optout_wasm.js';

// `for await (const profile of client.listProfiles())`: the listing is its own iterator.
ProfileListing.prototype[Symbol.asyncIterator] = function () {
  return this;
};

export * from './web/ccpa_optout_wasm.js';
export { init, initSync };
export default init;
