// Types of the npm package `ccpa-optout` (hand-written; checked with `tsc` by scripts/test-js.sh).

/** The stable error kinds, identical in Rust (`ErrorKind`), JavaScript and Python. */
export type ErrorKind =
  | "Validation"
  | "Config"
  | "Auth"
  | "NotFound"
  | "RateLimited"
  | "Server"
  | "Http"
  | "Transport"
  | "Decode";

/**
 * Every error this package throws or rejects with: a real `Error` (`instanceof Error`) named
 * `CcpaOptOutError`. Branch on `kind`; absent context is `null`. No credential ever appears in
 * it (message, `String(err)`, `JSON.stringify(err)` or `util.inspect(err)`).
 */
export interface CcpaOptOutError extends Error {
  readonly name: "CcpaOptOutError";
  readonly kind: ErrorKind;
  /** The HTTP status, for errors that come from an answer. */
  readonly status: number | null;
  /** The ACS vendor code, e.g. `"401013"` or `"RST-360011"`. */
  readonly errorCode: string | null;
  /** Whether trying the same call again later may succeed. */
  readonly retryable: boolean;
  /** The input or setting at fault (`Validation`, `Config`, a `Decode` of a named field). */
  readonly field: string | null;
  /** Seconds the server asked to wait (`RateLimited`, 503). */
  readonly retryAfter: number | null;
  /** A short, redacted excerpt of a body that could not be decoded (`Decode`). */
  readonly excerpt: string | null;
}

/** Whether `error` is a `CcpaOptOutError` (narrows the type in a `catch`). */
export function isCcpaOptOutError(error: unknown): error is CcpaOptOutError;

/**
 * One ACS profile as a plain object: the known fields under their ACS names plus every other
 * field exactly as ACS sent it, so reading and writing back never loses data.
 */
export interface Profile {
  PKey?: string;
  href?: string;
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  /** The default opt-out field (`true` = do not sell or share). */
  ccpaOptOut?: boolean | null;
  [field: string]: unknown;
}

/** Fields to create a profile with or to PATCH (the opt-out field, if present, must be a boolean). */
export type ProfileFields = Record<string, unknown>;

/** What `setOptOut` did to one profile. */
export interface OptOutChange {
  pkey: string;
  /** The value before; `null` when the profile had none. */
  previous: boolean | null;
  current: boolean;
  /** Whether a PATCH was sent (false when the profile already had the value). */
  changed: boolean;
}

/** The answer to a PATCH. */
export interface PatchAck {
  PKey: string;
  href: string | null;
}

/** The profile resource's metadata. */
export interface ProfileMetadata {
  /** Each field's API name and type (`string`, `boolean`, `link`, …). */
  fields: Record<string, string>;
  /**
   * Whether the configured opt-out field exists. ACS documents no type name for booleans, so
   * any declared type counts (see `fields`); every value is still checked as a JSON boolean.
   */
  optOutFieldOk: boolean;
}

/** `profileAndServices` (default) or `profileAndServicesExt` (custom `cus*` fields). */
export type ApiName = "profileAndServices" | "profileAndServicesExt";

/** Retry settings; every key optional. Defaults: 5 attempts, 200 ms doubling to 10 s, `Retry-After` up to 120 s. */
export interface RetryOptions {
  /** Attempts in all, the first included (1 = never retry). */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** The longest `Retry-After` honoured; beyond it the call fails rather than stall. */
  maxRetryAfterMs?: number;
}

/** What the client is asked when it needs a token. */
export interface TokenRequestContext {
  /** True after ACS refused the last token (401): return a new one. */
  refresh: boolean;
}

/** A function returning the access token, synchronously or as a Promise. */
export type TokenProvider = (context: TokenRequestContext) => string | PromiseLike<string>;

interface ClientOptionsBase {
  /** The ACS tenant ID (`acme`, `acme-mkt-stage`), not the IMS organization `…@AdobeOrg`. */
  organization: string;
  /** The integration's client ID, sent as `X-Api-Key`. */
  apiKey: string;
  /**
   * Default `https://mc.adobe.io`; `http://` only for loopback hosts (the emulator). Host names
   * must be ASCII: write an internationalised one in its punycode form (`xn--…`).
   */
  baseUrl?: string;
  api?: ApiName;
  /** Default `ccpaOptOut`; older tenants use a custom boolean such as `cusOptOutCcpa`. */
  optOutField?: string;
  /**
   * The IMS organization (`…@AdobeOrg`, not the tenant ID) for access and delete requests
   * through Adobe's Privacy Service (`submitPrivacyJobs` and the other privacy methods reject
   * with a `Config` error, field `imsOrg`, without it).
   */
  imsOrg?: string;
  /** The Privacy Service's gateway; default `https://platform.adobe.io` (needs `imsOrg`). */
  privacyBaseUrl?: string;
  retry?: RetryOptions;
  /** The time limit of one HTTP exchange; default 30 000. */
  timeoutMs?: number;
  /** The largest response body accepted; default 16 MiB. */
  maxBodyBytes?: number;
  /**
   * `_forcePagination=true` on the `byEmail` lookups of `findByEmail`, `optOutByEmail` and
   * `applySignals`; on unless `false` (listings take their own, see `ListOptions`).
   */
  forcePagination?: boolean;
}

/** A token obtained elsewhere (a 401 cannot be recovered from). */
export interface AccessTokenOptions extends ClientOptionsBase {
  accessToken: string;
  tokenProvider?: never;
  clientSecret?: never;
}

/** Your own token source, asked again (with `refresh: true`) after a 401. */
export interface TokenProviderOptions extends ClientOptionsBase {
  tokenProvider: TokenProvider;
  accessToken?: never;
  clientSecret?: never;
}

/** OAuth server-to-server: the client fetches tokens from IMS and caches them. */
export interface OAuthOptions extends ClientOptionsBase {
  /** Defaults to `apiKey`. */
  clientId?: string;
  clientSecret: string;
  /** The comma-separated scopes shown in the Developer Console. */
  scopes: string;
  /** Default `https://ims-na1.adobelogin.com/ims/token/v3` (an ASCII host, like `baseUrl`). */
  tokenUrl?: string;
  accessToken?: never;
  tokenProvider?: never;
}

/** Options of `new CampaignClient(...)`: exactly one kind of credentials. */
export type ClientOptions = AccessTokenOptions | TokenProviderOptions | OAuthOptions;

/**
 * What `CampaignClient.fromEnv` reads: `CAMPAIGN_STANDARD_TENANT_ID`, `CAMPAIGN_STANDARD_API_KEY`,
 * `CAMPAIGN_STANDARD_ACCESS_TOKEN`, and `CAMPAIGN_STANDARD_CLIENT_ID`, `_CLIENT_SECRET`, `_SCOPES`,
 * `_TOKEN_URL`, `_BASE_URL`, `_API`, `_OPT_OUT_FIELD`. Empty values count as unset.
 */
export type Environment = Record<string, string | undefined>;

/** `CampaignClient.fromEnv`'s options: any of the constructor's, each over the environment. */
export interface EnvOptions extends Partial<ClientOptionsBase> {
  accessToken?: string;
  tokenProvider?: TokenProvider;
  clientId?: string;
  clientSecret?: string;
  scopes?: string;
  tokenUrl?: string;
}

/** How to list profiles. */
export interface ListOptions {
  /** Profiles per page, 1 to 1000 (ACS's default is 25). */
  pageSize?: number;
  /** `"email"`, `"email desc"`, `"lastModified asc"`, … */
  order?: string;
  /**
   * `_forcePagination=true`, on unless `false`: on tables above 100,000 rows ACS leaves `next`
   * out without it, and the listing would end after the first page.
   */
  forcePagination?: boolean;
}

/** The lazy listing `listProfiles` returns: one page is fetched when the previous one is used up. */
export declare class ProfileListing implements AsyncIterableIterator<Profile> {
  private constructor();
  next(): Promise<IteratorResult<Profile, undefined>>;
  /** Ends the listing early (what `break` in `for await` calls). */
  return(): Promise<IteratorResult<Profile, undefined>>;
  [Symbol.asyncIterator](): ProfileListing;
  /** Releases the listing's memory now rather than at garbage collection. */
  free(): void;
}

/**
 * The ACS profile client. Every method returns a Promise and validates its arguments first:
 * a bad PKey, email or non-boolean opt-out rejects with a `Validation` error before any request
 * leaves. Retries (429/502/503/504, `Retry-After`), one token refresh on 401, pagination and
 * timeouts are handled inside.
 *
 * @throws {CcpaOptOutError} `Config` when the options are wrong.
 */
export declare class CampaignClient {
  constructor(options: ClientOptions);
  /**
   * A client configured by the environment (`process.env` when `env` is omitted or `null`;
   * nothing outside Node), `options` taking precedence. The same rules as the constructor:
   * exactly one kind of credentials in all.
   * @throws {CcpaOptOutError} `Config` naming the setting to fix.
   */
  static fromEnv(env?: Environment | null, options?: EnvOptions): CampaignClient;
  /** GET one profile. */
  getProfile(pkey: string): Promise<Profile>;
  /** The profile's opt-out value (`Decode` error naming the field when the profile has none). */
  getOptOut(pkey: string): Promise<boolean>;
  /** Idempotent: GET, then PATCH only if the value differs. */
  setOptOut(pkey: string, optedOut: boolean): Promise<OptOutChange>;
  /** Every profile with exactly this email (all pages). */
  findByEmail(email: string): Promise<Profile[]>;
  /** `setOptOut` on every profile with this email (default `true`); `[]` when none matches. */
  optOutByEmail(email: string, optedOut?: boolean): Promise<OptOutChange[]>;
  /** POST a new profile; never blindly re-sent (a lost answer is checked by email first). */
  createProfile(fields: ProfileFields): Promise<Profile>;
  /** PATCH arbitrary writable fields. */
  updateProfile(pkey: string, fields: ProfileFields): Promise<PatchAck>;
  deleteProfile(pkey: string): Promise<void>;
  profileMetadata(): Promise<ProfileMetadata>;
  /**
   * Turns raw privacy signals into the opt-out and applies it to one profile (a PKey) or to
   * every profile with an email. An opt-out is written like `setOptOut`; a "not opted out"
   * only where no value is recorded (a signal going away never clears an opt-out); no usable
   * signal writes nothing. A signal string that cannot be read is a reason
   * (`{kind: "unreadable", ...}`) and never cancels a readable one; only a signal of the wrong
   * type (`usp: 1`) rejects (`Validation`) before anything is sent.
   *
   * `pkeyOrEmail` is an email when it does not start with `@` and has text before its last `@`
   * and a dot with text on both sides after it (`ana@example.com`); anything else
   * (`@Zk3q9Lw2TfR0`, `ana@localhost`) is a PKey.
   */
  applySignals(pkeyOrEmail: string, signals: PrivacySignals): Promise<AppliedSignals>;
  /**
   * Files requests to know (`access`) and to delete through Adobe's Privacy Service: one job per
   * user and action. Everything is checked before anything is sent (1 to 1,000 users with
   * distinct keys, 1 to 9 identities each, a standard `email` identity must be an email); a
   * lost answer is looked up by user key before any resend, so jobs are never made twice.
   *
   * ```js
   * const jobs = await client.submitPrivacyJobs([
   *   { key: 'ticket-42', actions: ['access', 'delete'],
   *     ids: [{ namespace: 'email', value: 'ana@example.com', type: 'standard' }] },
   * ]);
   * // [{jobId: '6f0c…', userKey: 'ticket-42', action: 'access'}, {…, action: 'delete'}]
   * ```
   * @throws {CcpaOptOutError} `Config` (field `imsOrg`) without `imsOrg`; `Validation` naming
   * the field (`users`, `key`, `action`, `userIDs`, `namespace`, `value`, `type`, `email`,
   * `include`, `regulation`).
   */
  submitPrivacyJobs(users: PrivacyUser[], options?: SubmitPrivacyJobsOptions): Promise<CreatedJob[]>;
  /** One job, with its product responses and, for a complete access job, `downloadUrl`. */
  privacyJob(jobId: string): Promise<PrivacyJob>;
  /**
   * Every job the filter selects, all pages read (`ccpa`, the service's default window).
   * `await client.listPrivacyJobs({ status: 'complete', fromDate: '2025-04-01', toDate: '2025-04-30' })`
   * @throws {CcpaOptOutError} `Validation` (field `size`, `fromDate`, `toDate`, `status`, `regulation`).
   */
  listPrivacyJobs(filter?: PrivacyJobFilter): Promise<PrivacyJob[]>;
  /**
   * Reads the job every `intervalMs` (default 30 000) until it is `complete` or `error`, for at
   * most `timeoutMs` (default 3 600 000); then rejects with a `Transport` error naming its status.
   * `const done = await client.waitForPrivacyJob(jobs[0].jobId, { intervalMs: 60_000 })`
   */
  waitForPrivacyJob(jobId: string, options?: WaitOptions): Promise<PrivacyJob>;
  /**
   * A complete access job's archive: a ZIP with a folder per product (`campaign/…`).
   * `const zip = await client.downloadPrivacyData(await client.privacyJob(id))`
   * @throws {CcpaOptOutError} `Validation` (field `downloadURL`) when the job has no download
   * URL (not a complete access job), before anything is sent.
   */
  downloadPrivacyData(job: PrivacyJobRef): Promise<Uint8Array>;
  /**
   * Every profile, lazily: `for await (const profile of client.listProfiles({pageSize: 100}))`.
   * @throws {CcpaOptOutError} `Validation` at once for bad options.
   */
  listProfiles(options?: ListOptions): ProfileListing;
  /** Where the client points; never a credential. */
  toJSON(): { organization: string; baseUrl: string; api: ApiName; optOutField: string };
  toString(): string;
  /** Releases the client's memory now rather than at garbage collection. */
  free(): void;
}

// ---- Sans-IO: bring your own fetch ---------------------------------------------------------

/**
 * Bytes backed by a plain `ArrayBuffer` (`Uint8Array<ArrayBuffer>` on TypeScript ≥ 5.7, plain
 * `Uint8Array` before), so a request body can be handed to `fetch` without a cast.
 */
export type Bytes = ReturnType<Uint8Array["slice"]>;

/** A request to send as given. GET and DELETE have no body. */
export interface HttpRequest {
  method: string;
  url: string;
  headers: Array<[string, string]>;
  body: Bytes | null;
}

/** An answer as your HTTP client received it. */
export interface HttpResponse {
  status: number;
  headers?: Array<[string, string]> | Iterable<[string, string]> | Record<string, string> | null;
  body?: Uint8Array | ArrayBuffer | string | null;
}

/** The configuration of the `prepare*` functions. */
export interface RequestConfig {
  organization: string;
  apiKey: string;
  accessToken: string;
  baseUrl?: string;
  api?: ApiName;
  optOutField?: string;
}

/** The parse functions' options. */
export interface ParseOptions {
  optOutField?: string;
}

/** OAuth server-to-server credentials for `prepareTokenRequest`. */
export interface TokenCredentials {
  clientId: string;
  clientSecret: string;
  scopes: string;
  tokenUrl?: string;
}

export function prepareGetProfile(config: RequestConfig, pkey: string): HttpRequest;
/** The first `byEmail` page; the third argument is the listing options or, as in 0.1, a page size. */
export function prepareFindByEmail(config: RequestConfig, email: string, options?: ListOptions | number): HttpRequest;
export function prepareListProfiles(config: RequestConfig, options?: ListOptions): HttpRequest;
/** A `next.href`/`count.href`; refused (`Validation`, field `href`) unless on the configured origin. */
export function prepareFollowHref(config: RequestConfig, href: string): HttpRequest;
export function prepareCreateProfile(config: RequestConfig, fields: ProfileFields): HttpRequest;
export function prepareSetOptOut(config: RequestConfig, pkey: string, optedOut: boolean): HttpRequest;
export function prepareUpdateProfile(config: RequestConfig, pkey: string, fields: ProfileFields): HttpRequest;
export function prepareDeleteProfile(config: RequestConfig, pkey: string): HttpRequest;
export function prepareProfileMetadata(config: RequestConfig): HttpRequest;
export function prepareTokenRequest(credentials: TokenCredentials): HttpRequest;

/** Each parser throws the typed `CcpaOptOutError` for a non-2xx answer or an unexpected body. */
export function parseProfile(response: HttpResponse, options?: ParseOptions): Profile;
export function parseProfilePage(
  response: HttpResponse,
  options?: ParseOptions,
): { content: Profile[]; next: string | null; count: string | null };
/** `null` for an empty 2xx (older tenants answer 204). */
export function parsePatchAck(response: HttpResponse): PatchAck | null;
export function parseDelete(response: HttpResponse): void;
export function parseCount(response: HttpResponse): number;
export function parseProfileMetadata(response: HttpResponse, options?: ParseOptions): ProfileMetadata;
export function parseTokenResponse(response: HttpResponse): { accessToken: string; expiresIn: number };

// ---- Requests to know and to delete (Adobe Privacy Service) --------------------------------

/** The two requests a job runs. */
export type PrivacyAction = "access" | "delete";

/** How the Privacy Service reads an identity's `namespace`. */
export type IdentityType =
  | "standard"
  | "custom"
  | "integrationCode"
  | "namespaceId"
  | "unregistered"
  | "analytics"
  | "target";

/** One identity of a consumer, e.g. `{namespace: "email", value: "ana@example.com", type: "standard"}`. */
export interface UserIdentity {
  /** `email`, `phone`, `ECID`, a custom namespace's name, or (with `namespaceId`) its number. */
  namespace: string;
  value: string;
  type: IdentityType;
}

/** One consumer of a request. */
export interface PrivacyUser {
  /** Your label for the consumer (a ticket ID), unique in the request; jobs come back with it as `userKey`. */
  key: string;
  /** `access`, `delete` or both: one job each. */
  actions: PrivacyAction[];
  /** 1 to 9 identities. */
  ids: UserIdentity[];
}

/** `submitPrivacyJobs`'s options. */
export interface SubmitPrivacyJobsOptions {
  /** Product codes; default `["campaign"]`. */
  include?: string[];
  /** Default `"ccpa"` (Adobe also lists `"cpra_ca_usa"`). */
  regulation?: string;
}

/** A job `submitPrivacyJobs` made. */
export interface CreatedJob {
  jobId: string;
  userKey: string | null;
  action: PrivacyAction | null;
}

/** Where a job is; an unknown status is kept as the service wrote it (and never final). */
export type JobStatus = "submitted" | "processing" | "complete" | "error" | (string & {});

/** One product's part of a job. */
export interface ProductResponse {
  /** e.g. `"Campaign"`. */
  product: string;
  status: string | null;
  message: string | null;
  /** e.g. `"PRVCY-6000-200"` (success) or `"PRVCY-6052-200"` (user IDs not found). */
  code: string | null;
  detail: string | null;
}

/** A job as the Privacy Service describes it. */
export interface PrivacyJob {
  jobId: string;
  requestId: string | null;
  userKey: string | null;
  /** `null` when the service named an action this package does not know. */
  action: PrivacyAction | null;
  status: JobStatus;
  regulation: string | null;
  /** As the service wrote it, e.g. `"04/12/2025 04:08 PM GMT"`. */
  created: string | null;
  lastModified: string | null;
  /** Each product's part (filled by `privacyJob`; empty in listings). */
  productResponses: ProductResponse[];
  /** A complete access job's archive, always on the configured gateway; else `null`. */
  downloadUrl: string | null;
}

/** What `downloadPrivacyData` reads of a job: a `PrivacyJob` will do. */
export type PrivacyJobRef = Pick<PrivacyJob, "jobId" | "status"> &
  Partial<Pick<PrivacyJob, "action" | "downloadUrl">>;

/** Which jobs `listPrivacyJobs` lists. */
export interface PrivacyJobFilter {
  /** Jobs are kept per regulation; default `"ccpa"`. */
  regulation?: string;
  status?: "submitted" | "processing" | "complete" | "error";
  /** `"YYYY-MM-DD"` (GMT); with `toDate`, both or neither, at most 30 days apart. */
  fromDate?: string;
  toDate?: string;
  /** Jobs per request, 1 to 1000 (default 100); errors name it `size`. */
  pageSize?: number;
}

/** `waitForPrivacyJob`'s options. */
export interface WaitOptions {
  /** The pause between two reads; default 30 000. */
  intervalMs?: number;
  /** The longest wait in all; default 3 600 000. */
  timeoutMs?: number;
}

/** The configuration of the Privacy Service's `parse*` functions. */
export interface PrivacyServiceConfig {
  /** The IMS organization, `…@AdobeOrg`. */
  imsOrg: string;
  apiKey: string;
  /** Default `https://platform.adobe.io`. */
  privacyBaseUrl?: string;
  accessToken?: string;
}

/** The configuration of the Privacy Service's `prepare*` functions. */
export interface PrivacyRequestConfig extends PrivacyServiceConfig {
  accessToken: string;
}

/**
 * `POST /jobs` (`x-gw-ims-org-id` and the `imsOrgID` company context set from `imsOrg`).
 * ```js
 * const request = prepareCreatePrivacyJobs(config, [{ key: 't-1', actions: ['access'],
 *   ids: [{ namespace: 'email', value: 'ana@example.com', type: 'standard' }] }]);
 * const jobs = parseCreatedPrivacyJobs(await send(request));
 * ```
 */
export function prepareCreatePrivacyJobs(
  config: PrivacyRequestConfig,
  users: PrivacyUser[],
  options?: SubmitPrivacyJobsOptions,
): HttpRequest;
export function prepareGetPrivacyJob(config: PrivacyRequestConfig, jobId: string): HttpRequest;
/** Page `page` (from 0, the default) of a listing: read pages until one has fewer than `pageSize` jobs. */
export function prepareListPrivacyJobs(config: PrivacyRequestConfig, filter?: PrivacyJobFilter, page?: number): HttpRequest;
/** `GET downloadUrl`; refused (`Validation`, field `downloadURL`) unless on the configured gateway over https. */
export function prepareDownloadPrivacyData(config: PrivacyRequestConfig, downloadUrl: string): HttpRequest;
/** The jobs a create made (`jobs` or `jobDetails`, both of Adobe's shapes). */
export function parseCreatedPrivacyJobs(response: HttpResponse): CreatedJob[];
/** One job; a download link off the configured gateway is a `Decode` error (field `downloadURL`). */
export function parsePrivacyJob(response: HttpResponse, config: PrivacyServiceConfig): PrivacyJob;
/** One page of a listing; `total` is the matches on every page, when the service says. */
export function parsePrivacyJobPage(
  response: HttpResponse,
  config: PrivacyServiceConfig,
): { jobs: PrivacyJob[]; total: number | null };

/** What happened to a request to know or delete, each a `"YYYY-MM-DD"` day. */
export interface RequestEvents {
  confirmedOn?: string | null;
  extensionNoticedOn?: string | null;
  answeredOn?: string | null;
}

/** `met` (done by the day), `missed` (late, or not done and the day passed) or `open`. */
export type Deadline = "met" | "missed" | "open";

/** A request's §7021 deadlines (`"YYYY-MM-DD"`) and whether each was kept. */
export interface RequestClocks {
  received: string;
  /** 10 business days after receipt: confirm it. */
  confirmBy: string;
  /** 45 calendar days after receipt: answer it. */
  respondBy: string;
  /** With an extension noticed by `respondBy`: 90 days after receipt; else `null`. */
  extendedTo: string | null;
  confirmation: Deadline;
  response: Deadline;
}

/**
 * The §7021 clocks of a request received on `received`: confirm within 10 business days
 * (skipping weekends and `holidays`), answer within 45 days, once extended to 90 when noticed in
 * time; judged on `today` (default: the host's local date).
 * ```js
 * requestClocks('2025-04-04', { events: { answeredOn: '2025-05-19' }, today: '2025-06-01' });
 * // {received: '2025-04-04', confirmBy: '2025-04-18', respondBy: '2025-05-19', extendedTo: null,
 * //  confirmation: 'missed', response: 'met'}
 * ```
 * @throws {CcpaOptOutError} `Validation` naming the date that is not `YYYY-MM-DD`.
 */
export function requestClocks(
  received: string,
  options?: { events?: RequestEvents; holidays?: string[]; today?: string },
): RequestClocks;

// ---- Privacy signals -----------------------------------------------------------------------
// Result keys are camelCase (`sectionIds`, `saleOptOut`); string values such as `"opt_out"`,
// `"not_opted_out"` or `"gpp_usco"` are the contract's, the same in every language.

/** The raw signals of one request; each optional. */
export interface PrivacySignals {
  /** `true` for `Sec-GPC: 1` / `navigator.globalPrivacyControl === true`; `false` is never an opt-in. */
  gpc?: boolean | null;
  /** An IAB US Privacy string such as `"1YYN"`. */
  usp?: string | null;
  /** An IAB Global Privacy Platform string. */
  gpp?: string | null;
}

/** The US state sections of a GPP string (ids 9–27), by name. */
export type UsStateSectionName =
  | "usva" | "usco" | "usut" | "usct" | "usfl" | "usmt" | "usor" | "ustx" | "usde" | "usia"
  | "usne" | "usnh" | "usnj" | "ustn" | "usmn" | "usmd" | "usin" | "usky" | "usri";

/** Every US section of a GPP string that `decodeGpp` reads, by name. */
export type UsSectionName = "uspv1" | "usnat" | "usca" | UsStateSectionName;

/** A signal in a decision's reasons; a GPP section is `gpp_` and its name (`gpp_usco`). */
export type SignalName =
  | "gpc"
  | "usp"
  | "gpp_uspv1"
  | "gpp_usnat"
  | "gpp_usca"
  | "gpp_gpc"
  | `gpp_${UsStateSectionName}`;

/** One line of a decision's explanation. */
export type OptOutReason =
  | { kind: "signal"; signal: SignalName; says: "opt_out" | "not_opted_out" | "no_signal" }
  /**
   * A `usp` or `gpp` string, or a part of the GPP string (a field, a `uspv1` section), that could
   * not be read and does not count; it never cancels a readable signal. `message` says why (at
   * most 200 characters), e.g. `"usnat.TargetedAdvertisingOptOut has the undefined value 3"`.
   */
  | { kind: "unreadable"; signal: "usp" | "gpp"; message: string }
  | { kind: "conflict"; optedOut: SignalName[]; notOptedOut: SignalName[] };

/** The opt-out the signals call for and why. */
export interface OptOutDecision {
  /**
   * `true`: opted out. `false`: a signal explicitly says "not opted out" and none opts out (it
   * must never clear a recorded opt-out). `null`: no usable signal; leave the profile as it is.
   */
  value: boolean | null;
  /**
   * In order: gpc, usp, each GPP section in header order, `gpp_gpc`; then one `unreadable`
   * reason per part of the GPP string that could not be read; then the conflict note.
   */
  reasons: OptOutReason[];
}

/** What `applySignals` decided and wrote. */
export interface AppliedSignals extends OptOutDecision {
  /** One entry per profile considered; empty when the decision is `null` or no profile matched. */
  changes: OptOutChange[];
}

/** `"Y"`, `"N"` or `"-"` (not applicable). */
export type UspFlag = "Y" | "N" | "-";

/** An IAB US Privacy string, decoded. */
export interface UsPrivacy {
  version: number;
  notice: UspFlag;
  optOutSale: UspFlag;
  lspa: UspFlag;
  /** False for `1---` (CCPA does not apply). */
  applies: boolean;
}

/**
 * A decoded state section: every field of its spec under its IAB name with a lower-case first
 * letter (`version`, or `mspaVersion` for usmd/usin/usky/usri; `saleOptOut`,
 * `targetedAdvertisingOptOut`, …), raw numbers (0 n/a, 1 yes / opted out, 2 no / did not) or
 * lists of them for N-Bitfields.
 */
export interface UsStateSection {
  [field: string]: number | number[] | boolean | null;
  saleOptOut: number;
  targetedAdvertisingOptOut: number;
  /** usin, usky, usri: the sensitive-data-consent segment, `null` when absent. */
  sensitiveDataProcessing?: number[] | null;
  /** The GPC sub-section's `Gpc`; `null` when absent or the section has none (usva, usut, usfl, usin, usky, usri). */
  gpc: boolean | null;
}

/** A part of a GPP string that could not be read on its own while the rest could. */
export interface UnreadablePart {
  section: UsSectionName;
  /** The field's IAB name (`"TargetedAdvertisingOptOut"`); `null` for a whole `uspv1` section. */
  field: string | null;
  /** Why, naming section and field. */
  message: string;
}

/** The US opt-outs of a GPP string: `true` opted out, `false` did not, `null` not applicable. */
export interface GppSignals {
  sectionIds: number[];
  /** Any US section's `SaleOptOut`, or position 3 of `uspv1`: any opt-out wins. */
  saleOptOut: boolean | null;
  /** `SharingOptOut` of `usnat`/`usca` (no state section has it). */
  sharingOptOut: boolean | null;
  /** `TargetedAdvertisingOptOut` of `usnat` or any state section. */
  targetedAdvertisingOptOut: boolean | null;
  /** The GPC sub-sections' `Gpc`, any section. */
  gpc: boolean | null;
  /** The decoded US sections the values came from, in header order. */
  source: UsSectionName[];
  /** Each decoded section's full fields: `uspv1`/`usnat`/`usca` always (`null` when absent), a state section only when present. */
  sections: {
    uspv1: UsPrivacy | null;
    usnat: Record<string, unknown> | null;
    usca: Record<string, unknown> | null;
  } & Partial<Record<UsStateSectionName, UsStateSection>>;
  /** The parts that could not be read on their own (an opt-out of 3, a malformed `uspv1`), in header order. */
  unreadable: UnreadablePart[];
}

/** What a site's `/.well-known/gpc.json` says. */
export interface GpcSupport {
  gpc: boolean | null;
  /** `"YYYY-MM-DD"` or `null`. */
  lastUpdate: string | null;
}

/**
 * `true` when any `Sec-GPC` header value is exactly `1`, else `null` — never `false` (an absent
 * signal is not an opt-in). Accepts pairs, a `Headers`, a `Map` or Node's `req.headers`.
 */
export function gpcFromHeaders(
  headers: Array<[string, string]> | Iterable<[string, string]> | Record<string, string | string[] | undefined>,
): true | null;
/** `navigator.globalPrivacyControl`: `true`/`false`, or `undefined` where GPC is unsupported. */
export function detectGpc(): boolean | undefined;
/** @throws {CcpaOptOutError} `Validation` (field `usp`) when malformed. */
export function parseUsp(usp: string): UsPrivacy;
/**
 * Every US section (`uspv1`, `usnat`, `usca`, `usva` … `usri`). An opt-out field of 3 or a
 * malformed `uspv1` is listed in `unreadable` and the rest still counts.
 * @throws {CcpaOptOutError} `Validation` (field `gpp`) when the string's structure is malformed.
 */
export function decodeGpp(gpp: string): GppSignals;
/**
 * Any opt-out wins. Never throws for a malformed `usp`/`gpp`: it becomes an `unreadable` reason and
 * the readable signals decide (`value: null` when none is left).
 * @throws {CcpaOptOutError} `Validation` when a signal has the wrong type (`{usp: 1}`).
 */
export function deriveOptOut(signals?: PrivacySignals): OptOutDecision;
/** The date (`"YYYY-MM-DD"`) 15 business days after `received`, skipping weekends and `holidays`. */
export function optOutDueDate(received: string, holidays?: string[]): string;
/** The date from which a business may ask to opt back in (12 months after the opt-out). */
export function optInRequestAllowedFrom(optedOutOn: string): string | null;
/** Whether, on `on`, the 12-month wait after an opt-out on `optedOutOn` is over. */
export function mayRequestOptIn(optedOutOn: string, on: string): boolean;
/** The date part (`"YYYY-MM-DD"`) of an RFC 3339 timestamp, as written. */
export function dateFromRfc3339(timestamp: string): string;
/**
 * An HS256 subject token for the receiver (`POST /v1/signals`), so a Node backend needs no JWT
 * library: `secret` is the receiver's subject-token secret (at least 32 bytes), `subject` an email
 * or a PKey, `ttlSeconds` at most 86400. `issuedAt` (seconds since the epoch) defaults to now.
 * @throws {CcpaOptOutError} `Validation` (field `secret`, `subject`, `ttl`, `audience` or `issuedAt`).
 */
export function mintSubjectToken(
  secret: string | Uint8Array,
  subject: string,
  ttlSeconds: number,
  options?: { audience?: string; issuedAt?: number },
): string;
/** Reads `/.well-known/gpc.json` (content type and body as received). */
export function parseGpcJson(contentType: string | null, body: Uint8Array | ArrayBuffer | string | null): GpcSupport;

// ---- Loading -------------------------------------------------------------------------------

/**
 * Loads the WebAssembly module. Required once in browsers and bundlers before anything else
 * (it fetches `web/ccpa_optout_wasm_bg.wasm` next to the entry file unless given a URL,
 * `Response`, bytes or a compiled `WebAssembly.Module`); in Node the module is loaded on import
 * and this resolves at once.
 */
export function init(input?: unknown): Promise<unknown>;
/** Loads the module synchronously from `{module: bytes | WebAssembly.Module}` (browsers); a no-op in Node. */
export function initSync(input?: unknown): unknown;
export default init;
