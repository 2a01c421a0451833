//! From options and environment to a ready client: the core's settings model checks every
//! rule; this module only says which option (and variable) to fix.

use ccpa_optout::{
    Client, ClientConfig, ClientSettings, Error, ReqwestTransport, RetrySettings, Setting,
};

use crate::args::ConnectionArgs;
use crate::failure::Failure;

/// The client every command uses.
pub type AcsClient = Client<ReqwestTransport>;

/// The connection options as the core's settings (clap has already read the environment).
pub fn settings(args: &ConnectionArgs) -> ClientSettings {
    ClientSettings {
        organization: args.organization.clone(),
        api_key: args.api_key.clone(),
        access_token: args.access_token.clone(),
        client_id: args.client_id.clone(),
        client_secret: args.client_secret.clone(),
        scopes: args.scopes.clone(),
        token_url: args.token_url.clone(),
        base_url: args.base_url.clone(),
        api: args.api.clone(),
        opt_out_field: args.opt_out_field.clone(),
        ims_org: args.ims_org.clone(),
        privacy_base_url: args.privacy_base_url.clone(),
        timeout: Some(args.timeout as f64),
        retry: Some(RetrySettings {
            max_attempts: Some(args.max_attempts),
            ..RetrySettings::default()
        }),
        ..ClientSettings::default()
    }
}

/// Builds the client configuration from the connection options.
pub fn client_config(args: &ConnectionArgs) -> Result<ClientConfig, Failure> {
    settings(args)
        .client_config()
        .map_err(|e| setting_failure(&e))
}

/// A settings error, prefixed with the option and variable that hold the setting. The core's
/// messages never repeat a credential.
pub fn setting_failure(err: &Error) -> Failure {
    let setting = Setting::ALL
        .into_iter()
        .find(|setting| Some(setting.field()) == err.field());
    match setting {
        Some(setting) => Failure::usage(format!(
            "--{} ({}): {}",
            option(setting),
            setting.env_var(),
            err.message()
        )),
        None => Failure::config(err),
    }
}

/// The long option of a setting (`--org` is the one that differs from its name).
fn option(setting: Setting) -> String {
    match setting {
        Setting::Organization => "org".to_owned(),
        other => other.snake_case().replace('_', "-"),
    }
}

/// A client over reqwest (connection pooling, rustls).
pub fn connect(config: ClientConfig) -> Result<AcsClient, Failure> {
    let transport = ReqwestTransport::new().map_err(|e| Failure::config(&e))?;
    Ok(Client::new(config, transport))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_settings_error_names_the_option_and_the_variable() {
        let err = Error::config("apiKey", "missing api_key");
        assert_eq!(
            setting_failure(&err).to_string(),
            "--api-key (CAMPAIGN_STANDARD_API_KEY): missing api_key"
        );
        let org = setting_failure(&Error::config("organization", "x")).to_string();
        assert!(
            org.starts_with("--org (CAMPAIGN_STANDARD_TENANT_ID)"),
            "{org}"
        );
        assert_eq!(
            setting_failure(&Error::config("timeout", "too long")).to_string(),
            "Config [timeout]: too long"
        );
    }
}
