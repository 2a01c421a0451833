// The Node ES module entry point: the CommonJS entry's exports, so `import` and `require` in the
// same process share one WebAssembly instance.
import cjs from './index.cjs';

export const {
  CampaignClient,
  ProfileListing,
  isCcpaOptOutError,
  prepareGetProfile,
  prepareFindByEmail,
  prepareListProfiles,
  prepareFollowHref,
  prepareCreateProfile,
  prepareSetOptOut,
  prepareUpdateProfile,
  prepareDeleteProfile,
  prepareProfileMetadata,
  prepareTokenRequest,
  parseProfile,
  parseProfilePage,
  parsePatchAck,
  parseDelete,
  parseCount,
  parseProfileMetadata,
  parseTokenResponse,
  gpcFromHeaders,
  detectGpc,
  parseUsp,
  decodeGpp,
  deriveOptOut,
  optOutDueDate,
  optInRequestAllowedFrom,
  mayRequestOptIn,
  mintSubjectToken,
  dateFromRfc3339,
  parseGpcJson,
  init,
  initSync,
} = cjs;

export default init;
