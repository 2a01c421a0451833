// The Node entry point (CommonJS; `import` goes through index.mjs to this same instance).
// The WebAssembly module is the wasm-bindgen `nodejs` build, loaded synchronously on require.
'use strict';

const wasm = require('./node/ccpa_optout_wasm.js');

// `for await (const profile of client.listProfiles())`: the listing is its own iterator.
wasm.ProfileListing.prototype[Symbol.asyncIterator] = function () {
  return this;
};

// util.inspect(client) shows where the client points, never a credential.
wasm.CampaignClient.prototype[Symbol.for('nodejs.util.inspect.custom')] = function () {
  return this.toString();
};

module.exports = {
  ...wasm,
  // In Node the module is ready once required; these exist so code shared with browsers runs.
  init: () => Promise.resolve(),
  initSync: () => {},
};
