// Exercises the declared types the way an application would; `tsc --noEmit` must accept it,
// and every `@ts-expect-error` line must really be an error.
import init, {
  CampaignClient,
  decodeGpp,
  deriveOptOut,
  isCcpaOptOutError,
  mintSubjectToken,
  prepareSetOptOut,
  parseProfile,
  parsePrivacyJob,
  prepareCreatePrivacyJobs,
  prepareListPrivacyJobs,
  requestClocks,
  type CcpaOptOutError,
  type ClientOptions,
  type CreatedJob,
  type Deadline,
  type PrivacyJob,
  type PrivacyUser,
  type ErrorKind,
  type OptOutChange,
  type OptOutReason,
  type Profile,
  type SignalName,
} from 'ccpa-optout';

/** Exhaustive over the kinds: adding or renaming one breaks this switch. */
function advice(kind: ErrorKind): string {
  switch (kind) {
    case 'Validation':
    case 'Config':
      return 'fix the input';
    case 'Auth':
      return 'check the credentials';
    case 'NotFound':
      return 'no such profile';
    case 'RateLimited':
    case 'Server':
    case 'Transport':
      return 'try again later';
    case 'Http':
    case 'Decode':
      return 'report it';
    default: {
      const unreachable: never = kind;
      return unreachable;
    }
  }
}

export async function demo(): Promise<void> {
  await init();
  const byToken: ClientOptions = { organization: 'acme', apiKey: 'key', accessToken: 'token' };
  const byProvider: ClientOptions = {
    organization: 'acme',
    apiKey: 'key',
    tokenProvider: async ({ refresh }) => (refresh ? 'new' : 'cached'),
    retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 2000, maxRetryAfterMs: 30_000 },
    timeoutMs: 10_000,
    forcePagination: false,
  };
  const byOAuth: ClientOptions = {
    organization: 'acme',
    apiKey: 'key',
    clientSecret: 'secret',
    scopes: 'openid,AdobeID,campaign_sdk',
    baseUrl: 'http://127.0.0.1:8080',
    api: 'profileAndServicesExt',
    optOutField: 'cusOptOutCcpa',
  };
  // @ts-expect-error: one kind of credentials only
  const both: ClientOptions = { organization: 'acme', apiKey: 'k', accessToken: 't', tokenProvider: () => 't' };
  // @ts-expect-error: the API name is a closed set (and the plural is a typo)
  const typo: ClientOptions = { organization: 'acme', apiKey: 'k', accessToken: 't', api: 'profilesAndServices' };
  void [byProvider, byOAuth, both, typo];
  const fromEnv: CampaignClient = CampaignClient.fromEnv();
  const fromMap = CampaignClient.fromEnv({ CAMPAIGN_STANDARD_TENANT_ID: 'acme' }, { apiKey: 'k', accessToken: 't' });
  // @ts-expect-error: environment values are strings
  CampaignClient.fromEnv({ CAMPAIGN_STANDARD_TENANT_ID: 5 });
  void [fromEnv, fromMap];

  const client = new CampaignClient(byToken);
  try {
    const change: OptOutChange = await client.setOptOut('@Zk3q9Lw2TfR0', true);
    const previous: boolean | null = change.previous;
    void previous;
    // @ts-expect-error: the opt-out is a boolean, never a string
    await client.setOptOut('@Zk3q9Lw2TfR0', 'true');
    const changes: OptOutChange[] = await client.optOutByEmail('ana@example.com');
    void changes;
    for await (const profile of client.listProfiles({ pageSize: 100, order: 'email desc' })) {
      const email: string | null | undefined = profile.email;
      const custom: unknown = profile['cusShoeSize'];
      void [email, custom];
    }
    const profile: Profile = await client.getProfile('@Zk3q9Lw2TfR0');
    const optedOut: boolean = await client.getOptOut(String(profile.PKey));
    void optedOut;
  } catch (error: unknown) {
    if (isCcpaOptOutError(error)) {
      const narrowed: CcpaOptOutError = error;
      const status: number | null = narrowed.status;
      const wait: number | null = narrowed.retryAfter;
      console.log(advice(narrowed.kind), status, wait, narrowed.errorCode, narrowed.field, narrowed.retryable);
    } else {
      throw error;
    }
  }

  const request = prepareSetOptOut({ organization: 'acme', apiKey: 'k', accessToken: 't' }, '@a', true);
  const answer = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body });
  const parsed: Profile = parseProfile({
    status: answer.status,
    headers: [...answer.headers],
    body: new Uint8Array(await answer.arrayBuffer()),
  });
  void parsed;
}

/** Exhaustive over the reason kinds: a new kind breaks this switch. */
function explain(reason: OptOutReason): string {
  switch (reason.kind) {
    case 'signal':
      return `${reason.signal} ${reason.says}`;
    case 'unreadable':
      return `${reason.signal} could not be read: ${reason.message}`;
    case 'conflict':
      return `${reason.optedOut.join(', ')} win over ${reason.notOptedOut.join(', ')}`;
    default: {
      const unreachable: never = reason;
      return unreachable;
    }
  }
}

export function signals(): void {
  const decision = deriveOptOut({ gpc: true, usp: '1Y-N', gpp: 'DBABJg~BVWSSVg.YA' });
  console.log(decision.value, decision.reasons.map(explain));
  const colorado: SignalName = 'gpp_usco';
  // @ts-expect-error: not a US section
  const unknown: SignalName = 'gpp_usxx';
  const gpp = decodeGpp('DBABJg~BVWSSVg.YA');
  const sale: number | undefined = gpp.sections.usco?.saleOptOut;
  const ids: number[] = gpp.sectionIds;
  // @ts-expect-error: result keys are camelCase
  void gpp.section_ids;
  const usnat: Record<string, unknown> | null = gpp.sections.usnat;
  const firstUnreadable: string | null | undefined = gpp.unreadable[0]?.field;
  void [colorado, unknown, sale, ids, usnat, firstUnreadable, gpp.source.includes('usri')];
}

export function subjectToken(secret: string): string {
  const token: string = mintSubjectToken(secret, 'ana@example.com', 600, { audience: 'https://shop.example' });
  // @ts-expect-error: the life is a number of seconds
  mintSubjectToken(secret, 'ana@example.com', '600');
  return token;
}

export async function privacy(): Promise<Uint8Array | null> {
  const client = new CampaignClient({
    organization: 'acme', apiKey: 'k', accessToken: 't',
    imsOrg: 'ABC123@AdobeOrg', privacyBaseUrl: 'http://127.0.0.1:8080',
  });
  const users: PrivacyUser[] = [
    { key: 'ticket-42', actions: ['access', 'delete'], ids: [{ namespace: 'email', value: 'ana@example.com', type: 'standard' }] },
  ];
  // @ts-expect-error: only access and delete
  const erase: PrivacyUser = { key: 'k', actions: ['erase'], ids: [] };
  // @ts-expect-error: an identity has a documented type
  const global: PrivacyUser = { key: 'k', actions: ['access'], ids: [{ namespace: 'email', value: 'a@b.c', type: 'global' }] };
  void [erase, global];
  const created: CreatedJob[] = await client.submitPrivacyJobs(users, { regulation: 'cpra_ca_usa', include: ['campaign'] });
  const first = created[0];
  if (!first) return null;
  const id: string = first.jobId;
  const job: PrivacyJob = await client.waitForPrivacyJob(id, { intervalMs: 5_000, timeoutMs: 600_000 });
  const codes: Array<string | null> = job.productResponses.map((p) => p.code);
  const listed: PrivacyJob[] = await client.listPrivacyJobs({ status: 'complete', fromDate: '2025-04-01', toDate: '2025-04-30', pageSize: 50 });
  // @ts-expect-error: result keys are camelCase
  void job.download_url;
  void [codes, listed, await client.privacyJob(id)];

  const config = { imsOrg: 'ABC123@AdobeOrg', apiKey: 'k', accessToken: 't' };
  const request = prepareCreatePrivacyJobs(config, users);
  const page = prepareListPrivacyJobs(config, { status: 'error' }, 2);
  // @ts-expect-error: the sans-IO builders need the IMS organization
  prepareListPrivacyJobs({ apiKey: 'k', accessToken: 't' });
  const parsed: PrivacyJob = parsePrivacyJob({ status: 200, body: '{"jobId": "j", "status": "complete"}' }, { imsOrg: 'ABC123@AdobeOrg', apiKey: 'k' });
  void [request.body, page.url, parsed.downloadUrl];

  const clocks = requestClocks('2025-04-04', { events: { answeredOn: '2025-05-19' }, holidays: ['2025-05-26'], today: '2025-06-01' });
  const response: Deadline = clocks.response;
  const extended: string | null = clocks.extendedTo;
  void [response, extended, requestClocks('2025-04-04').confirmBy];

  return job.downloadUrl === null ? null : client.downloadPrivacyData(job);
}
