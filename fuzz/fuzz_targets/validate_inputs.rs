//! Fuzzes input validation: PKey, email, tenant, credentials, base URL, opt-out field, order
//! and followed hrefs. Whatever is accepted is safe to put in a URL or header; whatever is
//! refused is a typed error that does not echo a credential.
#![no_main]

use ccpa_optout::{
    AccessToken, ApiConfig, ApiKey, BaseUrl, ClientSecret, Email, ErrorKind, ListOptions,
    OptOutField, Order, Organization, PKey, opt_out_value, prepare_find_by_email,
    prepare_get_profile, resolve_href,
};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let api = ApiConfig::new(
        Organization::new("acme").unwrap(),
        ApiKey::new("key").unwrap(),
    );
    let token = AccessToken::new("token").unwrap();

    if let Ok(pkey) = PKey::new(text) {
        let key = pkey.as_str();
        assert!(!key.is_empty() && key.len() <= ccpa_optout::MAX_PKEY_LEN);
        assert!(key != "." && key != "..");
        assert!(
            !key.chars()
                .any(|c| "/\\?#%".contains(c) || c.is_control() || c.is_whitespace())
        );
        let segment = pkey.to_path_segment();
        assert_eq!(PKey::new(&segment).unwrap(), pkey);
        let request = prepare_get_profile(&api, &token, &pkey).unwrap();
        let path = request.uri().path();
        assert_eq!(
            path.rsplit_once('/').map(|(_, last)| last),
            Some(segment.as_str())
        );
        assert_eq!(request.uri().query(), None);
    }

    if let Ok(email) = Email::new(text) {
        assert_eq!(email.as_str(), text);
        assert!(text.len() <= ccpa_optout::MAX_EMAIL_LEN);
        assert!(!text.chars().any(|c| c.is_control() || c.is_whitespace()));
        let request = prepare_find_by_email(&api, &token, &email, &ListOptions::default()).unwrap();
        // The address stays inside the one `email` parameter, before the forced pagination.
        let query = request.uri().query().unwrap();
        assert!(!query.contains('#'));
        let pairs: Vec<_> = url::form_urlencoded::parse(query.as_bytes()).collect();
        assert_eq!(pairs.len(), 2, "{query}");
        assert_eq!((pairs[0].0.as_ref(), pairs[0].1.as_ref()), ("email", text));
        assert_eq!(
            (pairs[1].0.as_ref(), pairs[1].1.as_ref()),
            ("_forcePagination", "true")
        );
    }

    if let Ok(org) = Organization::new(text) {
        assert!(
            org.as_str()
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
    }

    // A refused credential's error depends only on where the bad bytes are, never on the
    // value: the same text with every visible character replaced gives the same error.
    let masked: String = text
        .chars()
        .map(|c| if c.is_ascii_graphic() { 'x' } else { c })
        .collect();
    check_secret(
        AccessToken::new(text).map(|_| ()),
        AccessToken::new(masked.as_str()).map(|_| ()),
        text,
    );
    check_secret(
        ApiKey::new(text).map(|_| ()),
        ApiKey::new(masked.as_str()).map(|_| ()),
        text,
    );
    check_secret(
        ClientSecret::new(text).map(|_| ()),
        ClientSecret::new(masked.as_str()).map(|_| ()),
        text,
    );

    if let Ok(base) = BaseUrl::new(text) {
        let url = url::Url::parse(base.as_str()).unwrap();
        let loopback = match url.host() {
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
            None => false,
        };
        assert!(
            url.scheme() == "https" || (url.scheme() == "http" && loopback),
            "{url}"
        );
        assert!(url.username().is_empty() && url.password().is_none());
    }

    // An href is followed only on the configured origin.
    match resolve_href(&api, text) {
        Ok(url) => assert!(BaseUrl::default().same_origin(&url), "{url}"),
        Err(err) => assert_eq!(err.kind(), ErrorKind::Validation),
    }

    let _ = OptOutField::new(text);
    let _ = Order::parse(text);
    if let Ok(value) = serde_json::from_str::<Value>(text) {
        let accepted = opt_out_value(&value, &OptOutField::default()).is_ok();
        assert_eq!(accepted, value.is_boolean());
    }
});

fn check_secret(result: ccpa_optout::Result<()>, masked: ccpa_optout::Result<()>, text: &str) {
    match (result, masked) {
        (Ok(()), Ok(())) => assert!(text.bytes().all(|b| b.is_ascii_graphic())),
        (Err(err), Err(masked)) => {
            assert_eq!(err.kind(), ErrorKind::Config);
            assert_eq!(err.to_string(), masked.to_string());
        }
        (result, masked) => panic!("{result:?} vs masked {masked:?}"),
    }
}
