//! Reads, sets and verifies a CCPA opt-out — against an offline ACS emulator, no credentials needed.
//!
//! Run it with `cargo run -p ccpa-optout --features reqwest --example opt_out`. Against a real
//! tenant, drop the emulator and use `https://mc.adobe.io` (the default base URL) with your
//! tenant ID, API key and access token.

use acs_emulator::{Emulator, EmulatorConfig, seed};
use ccpa_optout::{
    AccessToken, ApiConfig, ApiKey, BaseUrl, Client, ClientConfig, Credentials, Email,
    Organization, ReqwestTransport,
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // An emulator with 10 demo profiles on a free loopback port.
    let emulator = Emulator::start(EmulatorConfig::default().with_seed(10)).await?;
    println!("emulator at {}", emulator.base_url());

    let api = ApiConfig::new(Organization::new("acme")?, ApiKey::new("emulator-api-key")?)
        .with_base_url(BaseUrl::new(emulator.base_url())?);
    let credentials = Credentials::AccessToken(AccessToken::new("emulator-token")?);
    let client = Client::new(
        ClientConfig::new(api, credentials),
        ReqwestTransport::new()?,
    );

    // A consumer asked not to have their data sold: find their profile(s) by email…
    let email = Email::new(&seed::email(2))?;
    let profiles = client.find_by_email(&email).await?;
    println!("{email}: {} profile(s)", profiles.len());

    // …read the current value, set the opt-out (a PATCH only if it differs), and verify.
    for profile in profiles {
        let Some(pkey) = profile.pkey else { continue };
        println!(
            "  {pkey}: ccpaOptOut is {:?}",
            client.get_opt_out(&pkey).await?
        );
        let change = client.set_opt_out(&pkey, true).await?;
        println!(
            "  {pkey}: {:?} -> {} (written: {})",
            change.previous, change.current, change.changed
        );
        assert!(
            client.get_opt_out(&pkey).await?,
            "the opt-out must read back as true"
        );
        println!("  {pkey}: verified");
    }

    emulator.shutdown().await;
    Ok(())
}
