//! `CampaignClient`: the core client, its HTTP done by the host app's transport.

use std::sync::Arc;

use ccpa_optout::privacy::{CreatedJob, JobId, JobStatus, PrivacyJob, PrivacyUser, wait_seconds};
use ccpa_optout::{
    AppliedSignals, Client, Email, ListOptions, OptOutChange, OptOutField, PKey, PatchAck,
    ProfileFields, SharedListing, Subject, SubjectKind,
};

use crate::config::{ApiConfig, ClientOptions, Credentials, client_config};
use crate::error::{Result, ffi};
use crate::host::{HttpTransport, Sleeper, ThreadSleeper};
use crate::listing::ProfileListing;
use crate::privacy::{job_filter, job_request};
use crate::profile::{Profile, ProfileMetadata};
use crate::transport::{HostTransport, block_on};

pub(crate) type HostClient = Client<HostTransport>;

/// The ACS profile client. Every method blocks until done, calling the host's transport (and
/// sleeper, token provider) on the calling thread: call it from a background thread or
/// dispatcher. One client may be used from many threads at once.
#[derive(uniffi::Object)]
#[uniffi::export(Debug)]
pub struct CampaignClient {
    client: Arc<HostClient>,
}

#[uniffi::export]
impl CampaignClient {
    /// A client for `api` with `credentials`, sending through `transport`; `sleeper` waits
    /// between retries (default: blocks the calling thread).
    #[uniffi::constructor(default(options = None, sleeper = None))]
    pub fn new(
        api: &ApiConfig,
        credentials: &Credentials,
        transport: Arc<dyn HttpTransport>,
        options: Option<ClientOptions>,
        sleeper: Option<Arc<dyn Sleeper>>,
    ) -> Result<Arc<Self>> {
        let config = client_config(api, credentials, options.unwrap_or_default())?;
        let host = HostTransport {
            http: transport,
            sleeper: sleeper.unwrap_or_else(|| Arc::new(ThreadSleeper)),
        };
        Ok(Arc::new(CampaignClient {
            client: Arc::new(Client::new(config, host)),
        }))
    }

    /// GET one profile.
    pub fn get_profile(&self, pkey: String) -> Result<Profile> {
        let pkey = ffi(PKey::new(&pkey))?;
        let profile = ffi(block_on(self.client.get_profile(&pkey)))?;
        Ok(Profile::from_core(&profile, self.field()))
    }

    /// The profile's opt-out value; a `Decode` error naming the field if it has none.
    pub fn get_opt_out(&self, pkey: String) -> Result<bool> {
        let pkey = ffi(PKey::new(&pkey))?;
        ffi(block_on(self.client.get_opt_out(&pkey)))
    }

    /// Sets the opt-out idempotently: GET, then PATCH only if the value differs.
    pub fn set_opt_out(&self, pkey: String, opted_out: bool) -> Result<OptOutChange> {
        let pkey = ffi(PKey::new(&pkey))?;
        ffi(block_on(self.client.set_opt_out(&pkey, opted_out)))
    }

    /// Every profile whose email is exactly `email` (all pages).
    pub fn find_by_email(&self, email: String) -> Result<Vec<Profile>> {
        let email = ffi(Email::new(&email))?;
        let found = ffi(block_on(self.client.find_by_email(&email)))?;
        Ok(Profile::list(&found, self.field()))
    }

    /// Sets the opt-out on every profile with this email; empty when none matches.
    #[uniffi::method(default(opted_out = true))]
    pub fn opt_out_by_email(&self, email: String, opted_out: bool) -> Result<Vec<OptOutChange>> {
        let email = ffi(Email::new(&email))?;
        ffi(block_on(self.client.opt_out_by_email(&email, opted_out)))
    }

    /// POST a new profile from a JSON object text of its fields; never blindly re-sent.
    pub fn create_profile(&self, fields_json: String) -> Result<Profile> {
        let fields = ffi(ProfileFields::from_json_text(&fields_json, self.field()))?;
        let created = ffi(block_on(self.client.create_profile(&fields)))?;
        Ok(Profile::from_core(&created, self.field()))
    }

    /// PATCH the fields of a JSON object text onto a profile.
    pub fn update_profile(&self, pkey: String, fields_json: String) -> Result<PatchAck> {
        let pkey = ffi(PKey::new(&pkey))?;
        let fields = ffi(ProfileFields::from_json_text(&fields_json, self.field()))?;
        // Refuses an empty update before anything (even a token request) is sent.
        ffi(fields.check_update())?;
        ffi(block_on(self.client.update_profile(&pkey, &fields)))
    }

    /// DELETE a profile.
    pub fn delete_profile(&self, pkey: String) -> Result<()> {
        let pkey = ffi(PKey::new(&pkey))?;
        ffi(block_on(self.client.delete_profile(&pkey)))
    }

    /// The profile resource's fields, and whether the opt-out field is usable.
    pub fn profile_metadata(&self) -> Result<ProfileMetadata> {
        let metadata = ffi(block_on(self.client.profile_metadata()))?;
        Ok(ProfileMetadata::from_core(&metadata, self.field()))
    }

    /// Derives the opt-out from the raw signals and writes it to a PKey or to every profile
    /// with an email (`subject` starting with `@` is a PKey). An opt-out is written like
    /// `set_opt_out`; "not opted out" only where nothing is recorded; no signal writes nothing.
    /// A signal string that cannot be read is an `Unreadable` reason, never an error: only the
    /// subject, the transport and ACS can make this fail.
    #[uniffi::method(default(gpc = None, usp = None, gpp = None))]
    pub fn apply_signals(
        &self,
        subject: String,
        gpc: Option<bool>,
        usp: Option<String>,
        gpp: Option<String>,
    ) -> Result<AppliedSignals> {
        // A bad subject fails here, before anything is sent.
        let subject = ffi(Subject::parse(&subject, SubjectKind::Guess))?;
        ffi(block_on(self.client.apply_signals(
            &subject,
            gpc,
            usp.as_deref(),
            gpp.as_deref(),
        )))
    }

    /// A listing of every profile, read page by page with `next_page()`; nothing is fetched
    /// until the first page is asked for. `order` is e.g. `"email desc"`; `force_pagination`
    /// (on by default) keeps `next` coming on tables above ACS's big-table threshold.
    #[uniffi::method(default(page_size = None, order = None, force_pagination = true))]
    pub fn list_profiles(
        &self,
        page_size: Option<u32>,
        order: Option<String>,
        force_pagination: bool,
    ) -> Result<Arc<ProfileListing>> {
        // A bad page size fails at the call, not at the first page.
        let options = ListOptions::parse(page_size, order.as_deref(), force_pagination);
        let listing = ffi(options.and_then(SharedListing::all))?;
        Ok(Arc::new(ProfileListing::new(
            Arc::clone(&self.client),
            listing,
        )))
    }

    /// The IMS organization the Privacy Service calls are made for, none when not configured.
    pub fn ims_org(&self) -> Option<String> {
        let privacy = self.client.config().privacy.as_ref();
        privacy.map(|privacy| privacy.ims_org.as_str().to_owned())
    }

    /// The Privacy Service gateway, without a trailing slash; none without an IMS organization.
    pub fn privacy_base_url(&self) -> Option<String> {
        let privacy = self.client.config().privacy.as_ref();
        privacy.map(|privacy| privacy.base_url.as_str().to_owned())
    }

    /// Files requests to know (`Access`) and to delete (`Delete`): one job per consumer and
    /// action, for 1 to 1,000 consumers with distinct keys. `include` defaults to
    /// `["campaign"]`, `regulation` to `ccpa`. A create whose answer was lost is looked up by
    /// user key before it is sent again, so no job is made twice.
    #[uniffi::method(default(include = None, regulation = None))]
    pub fn submit_privacy_jobs(
        &self,
        users: Vec<PrivacyUser>,
        include: Option<Vec<String>>,
        regulation: Option<String>,
    ) -> Result<Vec<CreatedJob>> {
        let request = job_request(users, include, regulation)?;
        ffi(block_on(self.client.submit_privacy_jobs(&request)))
    }

    /// One job, with its product responses and, once a complete access job, its download URL.
    pub fn privacy_job(&self, job_id: String) -> Result<PrivacyJob> {
        let job_id = ffi(JobId::new(&job_id))?;
        ffi(block_on(self.client.privacy_job(&job_id)))
    }

    /// Every job of `regulation` (default `ccpa`), optionally only those in `status` and made
    /// from `from_date` to `to_date` (`YYYY-MM-DD`, GMT, both or neither, under 30 days apart),
    /// read `page_size` (1 to 1,000, default 100) at a time to the last page.
    #[uniffi::method(default(
        regulation = None,
        status = None,
        from_date = None,
        to_date = None,
        page_size = None
    ))]
    pub fn list_privacy_jobs(
        &self,
        regulation: Option<String>,
        status: Option<JobStatus>,
        from_date: Option<String>,
        to_date: Option<String>,
        page_size: Option<u32>,
    ) -> Result<Vec<PrivacyJob>> {
        let filter = job_filter(regulation, status, from_date, to_date, page_size)?;
        ffi(block_on(self.client.list_privacy_jobs(&filter)))
    }

    /// Reads a job every `interval_seconds` (pausing with the client's sleeper) until it is
    /// complete or error; a `Transport` error naming the job and its last status when that
    /// takes longer than `limit_seconds`.
    pub fn wait_for_privacy_job(
        &self,
        job_id: String,
        interval_seconds: f64,
        limit_seconds: f64,
    ) -> Result<PrivacyJob> {
        let job_id = ffi(JobId::new(&job_id))?;
        let interval = ffi(wait_seconds(interval_seconds, "intervalSeconds"))?;
        let limit = ffi(wait_seconds(limit_seconds, "limitSeconds"))?;
        let waited = self.client.wait_for_privacy_job(&job_id, interval, limit);
        ffi(block_on(waited))
    }

    /// A complete access job's archive: the bytes of a ZIP with a folder per product
    /// (`campaign/profiles.json`). A job without a download URL is a `Validation` error on
    /// `downloadURL`, and nothing is sent.
    pub fn download_privacy_data(&self, job: PrivacyJob) -> Result<Vec<u8>> {
        ffi(block_on(self.client.download_privacy_data(&job)))
    }
}

impl CampaignClient {
    fn field(&self) -> &OptOutField {
        &self.client.config().api.opt_out_field
    }
}

/// The core's form: tenant, base URL, API and opt-out field, never a credential.
impl std::fmt::Debug for CampaignClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.client, f)
    }
}
