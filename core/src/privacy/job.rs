//! What a Privacy Service job asks for: the consumers, their identities, access or delete, the law.

use std::collections::HashSet;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::config::ImsOrg;
use crate::email::Email;
use crate::{Error, Result};

/// The most consumers one `POST /jobs` may carry.
pub const MAX_PRIVACY_USERS: usize = 1000;

/// The most identities one consumer may carry.
pub const MAX_USER_IDS: usize = 9;

/// The longest user key, namespace or product code accepted (Adobe states no limit; keys
/// are labels such as ticket IDs).
const MAX_LABEL_LEN: usize = 256;

/// The longest identity value accepted.
const MAX_ID_VALUE_LEN: usize = 1024;

/// The two CCPA requests the Privacy Service runs: to know (access) and to delete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "lowercase")]
pub enum PrivacyAction {
    /// Collect the consumer's data into a downloadable archive.
    Access,
    /// Erase the consumer's data.
    Delete,
}

impl PrivacyAction {
    /// `"access"` or `"delete"`, the API's spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            PrivacyAction::Access => "access",
            PrivacyAction::Delete => "delete",
        }
    }

    /// Reads `access` or `delete` (any case).
    pub fn parse(text: &str) -> Result<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "access" => Ok(PrivacyAction::Access),
            "delete" => Ok(PrivacyAction::Delete),
            _ => Err(Error::validation(
                "action",
                "the action must be \"access\" or \"delete\"",
            )),
        }
    }
}

impl fmt::Display for PrivacyAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How the Privacy Service reads an identity's `namespace` (its `type`, "qualifier").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "camelCase")]
pub enum IdentityType {
    /// A global namespace such as `email`, `phone` or `ECID`.
    Standard,
    /// The organization's own namespace, by name.
    Custom,
    /// A namespace by integration code.
    IntegrationCode,
    /// A namespace by numeric ID (the value of `namespace` is the number).
    NamespaceId,
    /// A free string understood by no identity service.
    Unregistered,
    /// Adobe Analytics' own identities.
    Analytics,
    /// Adobe Target's own identities.
    Target,
}

impl IdentityType {
    /// Every qualifier the API documents.
    pub const ALL: [IdentityType; 7] = [
        IdentityType::Standard,
        IdentityType::Custom,
        IdentityType::IntegrationCode,
        IdentityType::NamespaceId,
        IdentityType::Unregistered,
        IdentityType::Analytics,
        IdentityType::Target,
    ];

    /// The API's spelling, e.g. `"standard"`, `"namespaceId"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            IdentityType::Standard => "standard",
            IdentityType::Custom => "custom",
            IdentityType::IntegrationCode => "integrationCode",
            IdentityType::NamespaceId => "namespaceId",
            IdentityType::Unregistered => "unregistered",
            IdentityType::Analytics => "analytics",
            IdentityType::Target => "target",
        }
    }

    /// Reads one of the documented qualifiers (exact spelling).
    pub fn parse(text: &str) -> Result<Self> {
        IdentityType::ALL
            .into_iter()
            .find(|kind| kind.as_str() == text)
            .ok_or_else(|| {
                let known: Vec<&str> = IdentityType::ALL.iter().map(|k| k.as_str()).collect();
                Error::validation(
                    "type",
                    format!("the identity type must be one of {}", known.join(", ")),
                )
            })
    }
}

/// One identity of a consumer: `{namespace, value, type}`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct UserId {
    /// `email`, `phone`, `ECID`, a custom namespace's name, or a numeric ID.
    pub namespace: String,
    /// The identity itself.
    pub value: String,
    /// How `namespace` is to be read.
    pub id_type: IdentityType,
}

impl UserId {
    /// An email identity in the standard `email` namespace, the one Campaign reconciles on
    /// out of the box.
    pub fn email(email: &Email) -> Self {
        UserId {
            namespace: "email".to_owned(),
            value: email.as_str().to_owned(),
            id_type: IdentityType::Standard,
        }
    }

    /// An identity, checked: a namespace label, a value without control characters, an email
    /// that is an email when the namespace is the standard `email`, a number for `namespaceId`.
    pub fn new(namespace: &str, value: &str, id_type: IdentityType) -> Result<Self> {
        let id = UserId {
            namespace: namespace.to_owned(),
            value: value.to_owned(),
            id_type,
        };
        id.validate()?;
        Ok(id)
    }

    fn validate(&self) -> Result<()> {
        label(&self.namespace, "namespace")?;
        if self.value.is_empty() || self.value.len() > MAX_ID_VALUE_LEN {
            return Err(Error::validation(
                "value",
                format!("an identity value has 1 to {MAX_ID_VALUE_LEN} bytes"),
            ));
        }
        if self.value.chars().any(char::is_control) {
            return Err(Error::validation(
                "value",
                "an identity value has no control characters",
            ));
        }
        let standard_email =
            self.id_type == IdentityType::Standard && self.namespace.eq_ignore_ascii_case("email");
        if standard_email {
            Email::new(&self.value)?;
        }
        if self.id_type == IdentityType::NamespaceId
            && !self.namespace.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(Error::validation(
                "namespace",
                "with type namespaceId the namespace is the namespace's number, e.g. \"6\"",
            ));
        }
        Ok(())
    }

    fn to_json(&self) -> Value {
        json!({"namespace": self.namespace, "value": self.value, "type": self.id_type.as_str()})
    }
}

/// One consumer of a job request: a key of the caller's choosing, the actions, the identities.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PrivacyUser {
    /// The caller's label for this consumer (a ticket ID), unique in the request; the jobs
    /// come back with it as `userKey`, which is how a retried submission is recognised.
    pub key: String,
    /// `access`, `delete` or both; one job is made per action.
    pub actions: Vec<PrivacyAction>,
    /// 1 to 9 identities.
    pub ids: Vec<UserId>,
}

impl PrivacyUser {
    fn validate(&self) -> Result<()> {
        label(&self.key, "key")?;
        if self.actions.is_empty() {
            return Err(Error::validation(
                "action",
                "a user needs access, delete or both",
            ));
        }
        if self.actions.len() == 2 && self.actions[0] == self.actions[1] || self.actions.len() > 2 {
            return Err(Error::validation("action", "an action is listed twice"));
        }
        if self.ids.is_empty() || self.ids.len() > MAX_USER_IDS {
            return Err(Error::validation(
                "userIDs",
                format!("a user has 1 to {MAX_USER_IDS} identities"),
            ));
        }
        self.ids.iter().try_for_each(UserId::validate)
    }
}

/// A privacy regulation code; California's is `ccpa` (Adobe also lists `cpra_ca_usa`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Regulation(String);

impl Regulation {
    /// Checks the shape of a code: lowercase letters, digits and `_`, 2 to 32 of them. Which
    /// codes exist is the service's to say (its list changes; an unknown one is a 400).
    pub fn new(code: &str) -> Result<Self> {
        let valid = (2..=32).contains(&code.len())
            && code.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
            && code
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !valid {
            return Err(Error::validation(
                "regulation",
                "a regulation is a code such as \"ccpa\" or \"cpra_ca_usa\"",
            ));
        }
        Ok(Regulation(code.to_owned()))
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for Regulation {
    /// `ccpa`.
    fn default() -> Self {
        Regulation("ccpa".to_owned())
    }
}

impl fmt::Display for Regulation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A `POST /jobs` request: consumers, the products to search (`campaign`) and the regulation.
///
/// ```
/// use ccpa_optout::Email;
/// use ccpa_optout::privacy::{JobRequest, PrivacyAction, PrivacyUser, UserId};
///
/// let request = JobRequest::new(vec![PrivacyUser {
///     key: "ticket-42".into(),
///     actions: vec![PrivacyAction::Access, PrivacyAction::Delete],
///     ids: vec![UserId::email(&Email::new("ana@example.com")?)],
/// }]);
/// assert_eq!(request.include, ["campaign"]);
/// assert_eq!(request.regulation.as_str(), "ccpa");
/// request.validate()?;
/// # Ok::<(), ccpa_optout::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobRequest {
    /// 1 to 1,000 consumers with distinct keys.
    pub users: Vec<PrivacyUser>,
    /// Product codes; Campaign is `campaign`.
    pub include: Vec<String>,
    /// `ccpa` unless told otherwise.
    pub regulation: Regulation,
}

impl JobRequest {
    /// A CCPA request to Campaign for these consumers.
    pub fn new(users: Vec<PrivacyUser>) -> Self {
        JobRequest {
            users,
            include: vec!["campaign".to_owned()],
            regulation: Regulation::default(),
        }
    }

    /// Checks everything the service would refuse, before anything is sent.
    pub fn validate(&self) -> Result<()> {
        if self.users.is_empty() || self.users.len() > MAX_PRIVACY_USERS {
            return Err(Error::validation(
                "users",
                format!(
                    "a request has 1 to {MAX_PRIVACY_USERS} users (it has {}); split it",
                    self.users.len()
                ),
            ));
        }
        let mut keys = HashSet::new();
        for user in &self.users {
            user.validate()?;
            if !keys.insert(user.key.as_str()) {
                return Err(Error::validation(
                    "key",
                    format!("the user key {:?} appears twice in one request", user.key),
                ));
            }
        }
        if self.include.is_empty() {
            return Err(Error::validation(
                "include",
                "name at least one product, e.g. \"campaign\"",
            ));
        }
        for product in &self.include {
            let valid = product
                .bytes()
                .next()
                .is_some_and(|b| b.is_ascii_alphabetic())
                && product.len() <= 64
                && product.bytes().all(|b| b.is_ascii_alphanumeric());
            if !valid {
                return Err(Error::validation(
                    "include",
                    "a product is a code such as \"campaign\"",
                ));
            }
        }
        Ok(())
    }

    /// The JSON body, with `ims_org` as the company context.
    pub(crate) fn to_json(&self, ims_org: &ImsOrg) -> Value {
        let users: Vec<Value> = self
            .users
            .iter()
            .map(|user| {
                let ids: Vec<Value> = user.ids.iter().map(UserId::to_json).collect();
                json!({"key": user.key, "action": user.actions, "userIDs": ids})
            })
            .collect();
        json!({
            "companyContexts": [{"namespace": "imsOrgID", "value": ims_org.as_str()}],
            "users": users,
            "include": self.include,
            "regulation": self.regulation.as_str(),
        })
    }
}

/// A label (user key, namespace): 1 to 256 bytes, no control characters.
fn label(text: &str, field: &str) -> Result<()> {
    if text.trim().is_empty() || text.len() > MAX_LABEL_LEN {
        return Err(Error::validation(
            field,
            format!("the {field} has 1 to {MAX_LABEL_LEN} bytes, not only spaces"),
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(Error::validation(
            field,
            format!("the {field} has no control characters"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(key: &str) -> PrivacyUser {
        PrivacyUser {
            key: key.to_owned(),
            actions: vec![PrivacyAction::Access],
            ids: vec![UserId::email(&Email::new("ana@example.com").unwrap())],
        }
    }

    fn refused(request: &JobRequest) -> String {
        request.validate().unwrap_err().field().unwrap().to_owned()
    }

    #[test]
    fn the_limits_of_a_request_are_checked_before_sending() {
        assert_eq!(refused(&JobRequest::new(vec![])), "users");
        let many: Vec<_> = (0..=MAX_PRIVACY_USERS)
            .map(|i| user(&i.to_string()))
            .collect();
        assert_eq!(refused(&JobRequest::new(many)), "users");
        let full: Vec<_> = (0..MAX_PRIVACY_USERS)
            .map(|i| user(&i.to_string()))
            .collect();
        assert!(JobRequest::new(full).validate().is_ok());
        assert_eq!(refused(&JobRequest::new(vec![user("a"), user("a")])), "key");

        let mut ten_ids = user("a");
        ten_ids.ids = vec![ten_ids.ids[0].clone(); MAX_USER_IDS + 1];
        assert_eq!(refused(&JobRequest::new(vec![ten_ids])), "userIDs");
        let mut twice = user("a");
        twice.actions = vec![PrivacyAction::Delete, PrivacyAction::Delete];
        assert_eq!(refused(&JobRequest::new(vec![twice])), "action");
        let mut none = user("a");
        none.actions.clear();
        assert_eq!(refused(&JobRequest::new(vec![none])), "action");
        let mut no_product = JobRequest::new(vec![user("a")]);
        no_product.include.clear();
        assert_eq!(refused(&no_product), "include");
    }

    #[test]
    fn identities_are_checked_by_their_namespace() {
        assert!(UserId::new("email", "not-an-email", IdentityType::Standard).is_err());
        assert!(UserId::new("Email", "ana@example.com", IdentityType::Standard).is_ok());
        assert!(UserId::new("loyaltyId", "not-an-email", IdentityType::Custom).is_ok());
        assert!(UserId::new("6", "ana@example.com", IdentityType::NamespaceId).is_ok());
        assert!(UserId::new("email", "ana@example.com", IdentityType::NamespaceId).is_err());
        assert!(UserId::new("ECID", "a\nb", IdentityType::Standard).is_err());
        assert!(UserId::new("", "x", IdentityType::Custom).is_err());
        assert_eq!(
            IdentityType::parse("standrd").unwrap_err().field(),
            Some("type")
        );
        for kind in IdentityType::ALL {
            assert_eq!(IdentityType::parse(kind.as_str()).unwrap(), kind);
        }
    }

    #[test]
    fn regulations_are_codes() {
        assert_eq!(Regulation::default().as_str(), "ccpa");
        assert!(Regulation::new("cpra_ca_usa").is_ok());
        for bad in ["", "c", "CCPA", "ccpa usa", "_ccpa", &"a".repeat(33)] {
            assert!(Regulation::new(bad).is_err(), "{bad:?}");
        }
    }
}
