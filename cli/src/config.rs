//! From options and environment to a ready client; every mistake is a clear usage error.

use std::time::Duration;

use ccpa_optout::{
    AccessToken, ApiConfig, ApiKey, ApiName, BaseUrl, Client, ClientConfig, ClientSecret,
    Credentials, Error, OAuthCredentials, OptOutField, Organization, ReqwestTransport, RetryPolicy,
};

use crate::args::ConnectionArgs;
use crate::failure::Failure;

/// The client every command uses.
pub type AcsClient = Client<ReqwestTransport>;

/// A setting's option and environment variable, for messages.
struct Setting {
    option: &'static str,
    env: &'static str,
}

const ORG: Setting = Setting {
    option: "--org",
    env: "CAMPAIGN_STANDARD_TENANT_ID",
};
const API_KEY: Setting = Setting {
    option: "--api-key",
    env: "CAMPAIGN_STANDARD_API_KEY",
};
const ACCESS_TOKEN: Setting = Setting {
    option: "--access-token",
    env: "CAMPAIGN_STANDARD_ACCESS_TOKEN",
};
const CLIENT_SECRET: Setting = Setting {
    option: "--client-secret",
    env: "CAMPAIGN_STANDARD_CLIENT_SECRET",
};

impl Setting {
    fn missing(&self, why: &str) -> Failure {
        Failure::usage(format!(
            "missing {}: pass {} or set {}{why}",
            &self.option[2..],
            self.option,
            self.env
        ))
    }

    /// A core validation error about this setting; its message never holds the value.
    fn invalid(&self, err: &Error) -> Failure {
        Failure::usage(format!("{} ({}): {}", self.option, self.env, err.message()))
    }
}

/// Builds the client configuration from the connection options.
pub fn client_config(args: &ConnectionArgs) -> Result<ClientConfig, Failure> {
    let organization = args
        .organization
        .as_deref()
        .ok_or_else(|| ORG.missing(" (the ACS tenant ID, e.g. acme)"))?;
    let organization = Organization::new(organization).map_err(|e| ORG.invalid(&e))?;
    let api_key = match (&args.api_key, &args.client_id) {
        (Some(key), _) | (None, Some(key)) => ApiKey::new(key.as_str()),
        (None, None) => return Err(API_KEY.missing(" (the integration's client ID)")),
    }
    .map_err(|e| API_KEY.invalid(&e))?;
    let mut api = ApiConfig::new(organization, api_key.clone());
    if let Some(base_url) = &args.base_url {
        api = api.with_base_url(BaseUrl::new(base_url).map_err(|e| setting_error(&e))?);
    }
    if let Some(name) = &args.api {
        api = api.with_api(name.parse::<ApiName>().map_err(|e| setting_error(&e))?);
    }
    if let Some(field) = &args.opt_out_field {
        api = api
            .with_opt_out_field(OptOutField::new(field.as_str()).map_err(|e| setting_error(&e))?);
    }
    let credentials = credentials(args, api_key)?;
    let mut config = ClientConfig::new(api, credentials);
    config.timeout = Duration::from_secs(args.timeout.max(1));
    config.retry = RetryPolicy {
        max_attempts: args.max_attempts,
        ..RetryPolicy::default()
    };
    Ok(config)
}

fn credentials(args: &ConnectionArgs, api_key: ApiKey) -> Result<Credentials, Failure> {
    match (&args.access_token, &args.client_secret) {
        (Some(_), Some(_)) => Err(Failure::usage(
            "both an access token and an OAuth client secret are configured \
             (CAMPAIGN_STANDARD_ACCESS_TOKEN / CAMPAIGN_STANDARD_CLIENT_SECRET): keep one",
        )),
        (Some(token), None) => Ok(Credentials::AccessToken(
            AccessToken::new(token.as_str()).map_err(|e| ACCESS_TOKEN.invalid(&e))?,
        )),
        (None, Some(secret)) => {
            let client_id = match &args.client_id {
                Some(id) => ApiKey::new(id.as_str()).map_err(|e| API_KEY.invalid(&e))?,
                None => api_key,
            };
            let secret =
                ClientSecret::new(secret.as_str()).map_err(|e| CLIENT_SECRET.invalid(&e))?;
            let scopes = args.scopes.clone().ok_or_else(|| {
                Failure::usage(
                    "OAuth needs scopes: pass --scopes or set CAMPAIGN_STANDARD_SCOPES \
                     (the comma-separated list shown in the Adobe Developer Console)",
                )
            })?;
            let mut oauth = OAuthCredentials::new(client_id, secret, scopes);
            if let Some(url) = &args.token_url {
                oauth = oauth.with_token_url(url).map_err(|e| setting_error(&e))?;
            }
            Ok(Credentials::OAuth(oauth))
        }
        (None, None) => Err(ACCESS_TOKEN.missing(
            ", or configure OAuth with --client-secret (CAMPAIGN_STANDARD_CLIENT_SECRET)",
        )),
    }
}

/// A core configuration error (base URL, API name, opt-out field, token URL).
fn setting_error(err: &Error) -> Failure {
    let option = match err.field() {
        Some("baseUrl") => "--base-url (CAMPAIGN_STANDARD_BASE_URL)",
        Some("api") => "--api (CAMPAIGN_STANDARD_API)",
        Some("optOutField") => "--opt-out-field (CAMPAIGN_STANDARD_OPT_OUT_FIELD)",
        Some("tokenUrl") => "--token-url (CAMPAIGN_STANDARD_TOKEN_URL)",
        _ => "configuration",
    };
    Failure::usage(format!("{option}: {}", err.message()))
}

/// A client over reqwest (connection pooling, rustls).
pub fn connect(config: ClientConfig) -> Result<AcsClient, Failure> {
    let transport = ReqwestTransport::new().map_err(|e| Failure::config(&e))?;
    Ok(Client::new(config, transport))
}
