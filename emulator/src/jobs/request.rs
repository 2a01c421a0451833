//! The body of `POST /data/core/privacy/jobs`, checked field by field (reference §2.1, §3, §4).

use http::StatusCode;
use serde_json::{Map, Value};

use crate::acs_error::AcsError;

/// Users per create call, and identities per user (reference §6).
const MAX_USERS: usize = 1000;
const MAX_IDS: usize = 9;
/// Longest `key`, namespace or identity value accepted (no documented limit; keeps records small).
const MAX_TEXT: usize = 1024;

/// Regulation codes of reference §3: the California pair, the unchanged ones, the 2025 state
/// codes, and both spellings of the two codes the guide and the OpenAPI disagree on.
const REGULATIONS: [&str; 14] = [
    "ccpa",
    "cpra_ca_usa",
    "gdpr",
    "hipaa_usa",
    "lgpd_bra",
    "pdpa_tha",
    "apa_aus",
    "nzpa_nzl",
    "vcdpa_va_usa",
    "ucpa_ut_usa",
    "dpdpa_de_usa",
    "dpdpa",
    "ql25_qc_can",
    "ql25",
];

/// Pre-2025 codes that stopped working on 2025-07-28, with their replacement.
const RENAMED: [(&str, &str); 3] = [
    ("cpra_usa", "cpra_ca_usa"),
    ("vcdpa_usa", "vcdpa_va_usa"),
    ("ucpa_usa", "ucpa_ut_usa"),
];

/// Identity qualifiers (`type`) of reference §4.
const QUALIFIERS: [&str; 7] = [
    "standard",
    "custom",
    "integrationCode",
    "namespaceId",
    "unregistered",
    "analytics",
    "target",
];

/// `access` (collect the data) or `delete` (erase it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Request to know.
    Access,
    /// Request to delete.
    Delete,
}

impl Action {
    /// The JSON spelling.
    pub fn name(self) -> &'static str {
        match self {
            Action::Access => "access",
            Action::Delete => "delete",
        }
    }
}

/// What an identity can be matched against in the emulator's store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Identity {
    /// The global `Email` namespace (id 6): the profile's `email`.
    Email,
    /// The global `Phone` namespace (id 7): the profile's `phone` or `mobilePhone`.
    Phone,
    /// `ECID` (id 4) and every other namespace: nothing in ACS's profile store matches.
    Unmatched,
}

/// One entry of `userIDs`.
#[derive(Debug, Clone, PartialEq)]
pub struct UserId {
    /// The namespace as sent.
    pub namespace: String,
    /// The identity value as sent.
    pub value: String,
    /// The qualifier as sent (`standard` when left out).
    pub qualifier: String,
    /// Identity Service's numeric id of a known namespace.
    pub namespace_id: Option<u32>,
    /// `isDeletedClientSide` (default false).
    pub deleted_client_side: bool,
    /// What it is matched against.
    pub identity: Identity,
}

/// One entry of `users`.
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    /// The caller's label, shown back as `userKey`.
    pub key: String,
    /// The actions asked for, each once, in the order sent.
    pub actions: Vec<Action>,
    /// The identities.
    pub ids: Vec<UserId>,
}

/// A checked create body.
#[derive(Debug, Clone, PartialEq)]
pub struct JobsRequest {
    /// The users, in the order sent.
    pub users: Vec<User>,
    /// The regulation code, lower case.
    pub regulation: String,
}

/// 400 in AEP's problem shape; `field` names the JSON path at fault.
fn invalid(field: &str, detail: impl Into<String>) -> AcsError {
    AcsError::problem(
        StatusCode::BAD_REQUEST,
        &format!("Invalid request: {field}"),
        detail,
    )
}

impl JobsRequest {
    /// Parses and checks a create body; `ims_org` is the org of the (already checked) header.
    pub fn parse(bytes: &[u8], ims_org: &str) -> Result<JobsRequest, AcsError> {
        let body = match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Object(body)) => body,
            Ok(_) => return Err(invalid("body", "The body must be a JSON object")),
            Err(e) => {
                return Err(invalid("body", format!("The body is not valid JSON: {e}")));
            }
        };
        check_company_contexts(&body, ims_org)?;
        check_include(&body)?;
        let regulation = regulation(body.get("regulation").and_then(Value::as_str))?;
        let users = match body.get("users") {
            Some(Value::Array(users)) if (1..=MAX_USERS).contains(&users.len()) => users,
            Some(Value::Array(users)) => {
                return Err(invalid(
                    "users",
                    format!(
                        "'users' must hold 1 to {MAX_USERS} users, got {}",
                        users.len()
                    ),
                ));
            }
            _ => return Err(invalid("users", "'users' is required: an array of users")),
        };
        let users = users
            .iter()
            .enumerate()
            .map(|(i, user)| parse_user(i, user))
            .collect::<Result<Vec<User>, AcsError>>()?;
        Ok(JobsRequest { users, regulation })
    }
}

/// One `companyContexts` entry must be the IMS org (three spellings are documented).
fn check_company_contexts(body: &Map<String, Value>, ims_org: &str) -> Result<(), AcsError> {
    let Some(Value::Array(contexts)) = body.get("companyContexts") else {
        return Err(invalid(
            "companyContexts",
            "'companyContexts' is required: [{\"namespace\": \"imsOrgID\", \"value\": \"<IMS org>\"}]",
        ));
    };
    let mut org_values = Vec::new();
    for (i, context) in contexts.iter().enumerate() {
        let text = |name: &str| context.get(name).and_then(Value::as_str);
        let (Some(namespace), Some(value)) = (text("namespace"), text("value")) else {
            return Err(invalid(
                &format!("companyContexts[{i}]"),
                "Each company context is {\"namespace\": string, \"value\": string}",
            ));
        };
        if ["imsOrgID", "imsOrgId", "imsOrg"].contains(&namespace) {
            org_values.push(value);
        }
    }
    match org_values.as_slice() {
        [] => Err(invalid(
            "companyContexts",
            "'companyContexts' must name the IMS org: {\"namespace\": \"imsOrgID\", \"value\": \"<IMS org>\"}",
        )),
        values if values.iter().all(|v| *v == ims_org) => Ok(()),
        _ => Err(invalid(
            "companyContexts",
            "The imsOrgID company context must equal the x-gw-ims-org-id header",
        )),
    }
}

/// `include` lists product codes (case-insensitive); the emulator is Campaign, so it must be there.
fn check_include(body: &Map<String, Value>) -> Result<(), AcsError> {
    let products = match body.get("include") {
        Some(Value::Array(products)) if !products.is_empty() => products,
        _ => {
            return Err(invalid(
                "include",
                "'include' is required: a non-empty array of product codes, e.g. [\"campaign\"]",
            ));
        }
    };
    let mut campaign = false;
    for product in products {
        match product.as_str() {
            Some(code) if !code.trim().is_empty() => {
                campaign |= code.eq_ignore_ascii_case("campaign");
            }
            _ => {
                return Err(invalid(
                    "include",
                    "Every 'include' entry is a product code string",
                ));
            }
        }
    }
    if campaign {
        Ok(())
    } else {
        Err(invalid(
            "include",
            "'include' must contain \"campaign\": this emulator is Adobe Campaign Standard",
        ))
    }
}

/// The regulation code, lower case (codes are documented in lower case; any case is taken).
pub fn regulation(code: Option<&str>) -> Result<String, AcsError> {
    let Some(code) = code.filter(|c| !c.is_empty()) else {
        return Err(invalid(
            "regulation",
            "'regulation' is required, e.g. \"ccpa\"",
        ));
    };
    let code = code.to_ascii_lowercase();
    if REGULATIONS.contains(&code.as_str()) {
        return Ok(code);
    }
    if let Some((_, new)) = RENAMED.iter().find(|(old, _)| *old == code) {
        return Err(invalid(
            "regulation",
            format!("The regulation '{code}' was renamed '{new}' in 2025"),
        ));
    }
    Err(invalid(
        "regulation",
        format!(
            "Unknown regulation '{code}'; expected one of {}",
            REGULATIONS.join(", ")
        ),
    ))
}

fn parse_user(i: usize, user: &Value) -> Result<User, AcsError> {
    let field = |name: &str| format!("users[{i}].{name}");
    let Some(user) = user.as_object() else {
        return Err(invalid(
            &format!("users[{i}]"),
            "Each user is a JSON object",
        ));
    };
    let key = match user.get("key").and_then(Value::as_str) {
        Some(key) if !key.trim().is_empty() && key.len() <= MAX_TEXT => key.to_owned(),
        _ => {
            return Err(invalid(
                &field("key"),
                format!("'key' is required: a non-empty string of at most {MAX_TEXT} bytes"),
            ));
        }
    };
    let mut actions = Vec::new();
    match user.get("action") {
        Some(Value::Array(list)) if !list.is_empty() => {
            for action in list {
                let action = match action.as_str().map(str::to_ascii_lowercase).as_deref() {
                    Some("access") => Action::Access,
                    Some("delete") => Action::Delete,
                    _ => {
                        return Err(invalid(
                            &field("action"),
                            format!("Unknown action {action}: expected \"access\" or \"delete\""),
                        ));
                    }
                };
                if !actions.contains(&action) {
                    actions.push(action);
                }
            }
        }
        _ => {
            return Err(invalid(
                &field("action"),
                "'action' is required: [\"access\"], [\"delete\"] or both",
            ));
        }
    }
    let ids = match user.get("userIDs") {
        Some(Value::Array(ids)) if (1..=MAX_IDS).contains(&ids.len()) => ids,
        Some(Value::Array(ids)) => {
            return Err(invalid(
                &field("userIDs"),
                format!(
                    "'userIDs' must hold 1 to {MAX_IDS} identities, got {}",
                    ids.len()
                ),
            ));
        }
        _ => {
            return Err(invalid(
                &field("userIDs"),
                "'userIDs' is required: [{\"namespace\": \"email\", \"value\": \"…\", \"type\": \"standard\"}]",
            ));
        }
    };
    let ids = ids
        .iter()
        .enumerate()
        .map(|(j, id)| parse_user_id(&format!("users[{i}].userIDs[{j}]"), id))
        .collect::<Result<Vec<UserId>, AcsError>>()?;
    Ok(User { key, actions, ids })
}

fn parse_user_id(field: &str, id: &Value) -> Result<UserId, AcsError> {
    let text = |name: &str| {
        id.get(name)
            .and_then(Value::as_str)
            .filter(|t| !t.trim().is_empty() && t.len() <= MAX_TEXT)
    };
    let (Some(namespace), Some(value)) = (text("namespace"), text("value")) else {
        return Err(invalid(
            field,
            format!(
                "Each identity needs a non-empty 'namespace' and 'value' (strings of at most {MAX_TEXT} bytes)"
            ),
        ));
    };
    let qualifier = match id.get("type") {
        None => "standard",
        Some(Value::String(q)) if QUALIFIERS.contains(&q.as_str()) => q,
        Some(other) => {
            return Err(invalid(
                &format!("{field}.type"),
                format!(
                    "Unknown identity type {other}: expected one of {}",
                    QUALIFIERS.join(", ")
                ),
            ));
        }
    };
    let deleted_client_side = match id.get("isDeletedClientSide") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            return Err(invalid(
                &format!("{field}.isDeletedClientSide"),
                "'isDeletedClientSide' is a JSON boolean",
            ));
        }
    };
    let namespace_id = match qualifier {
        "standard" => match namespace.to_ascii_lowercase().as_str() {
            "email" => Some(6),
            "phone" => Some(7),
            "ecid" => Some(4),
            _ => None,
        },
        "namespaceId" => Some(namespace.parse::<u32>().map_err(|_| {
            invalid(
                &format!("{field}.namespace"),
                "With type \"namespaceId\", 'namespace' is the namespace's numeric id",
            )
        })?),
        _ => None,
    };
    let identity = match namespace_id {
        Some(6) => Identity::Email,
        Some(7) => Identity::Phone,
        _ => Identity::Unmatched,
    };
    Ok(UserId {
        namespace: namespace.to_owned(),
        value: value.to_owned(),
        qualifier: qualifier.to_owned(),
        namespace_id,
        deleted_client_side,
        identity,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ORG: &str = "ABC@AdobeOrg";

    fn body(users: Value) -> Vec<u8> {
        json!({"companyContexts": [{"namespace": "imsOrgID", "value": ORG}],
               "users": users, "include": ["Campaign"], "regulation": "CCPA"})
        .to_string()
        .into_bytes()
    }

    #[test]
    fn parses_the_guide_sample() {
        let users = json!([{"key": "k1", "action": ["access", "delete", "access"],
            "userIDs": [{"namespace": "email", "value": "a@example.com", "type": "standard"},
                        {"namespace": "7", "value": "+1 555", "type": "namespaceId"},
                        {"namespace": "ECID", "value": "123"}]}]);
        let request = JobsRequest::parse(&body(users), ORG).unwrap();
        assert_eq!(request.regulation, "ccpa");
        let user = &request.users[0];
        assert_eq!(user.actions, [Action::Access, Action::Delete]);
        let ids: Vec<_> = user
            .ids
            .iter()
            .map(|i| (i.namespace_id, i.identity))
            .collect();
        assert_eq!(
            ids,
            [
                (Some(6), Identity::Email),
                (Some(7), Identity::Phone),
                (Some(4), Identity::Unmatched)
            ]
        );
    }

    #[test]
    fn refuses_bad_fields_naming_them() {
        let title = |bytes: &[u8], org: &str| {
            let error = JobsRequest::parse(bytes, org).unwrap_err();
            assert_eq!(error.status(), StatusCode::BAD_REQUEST);
            error.message().to_owned()
        };
        let ok_user = json!({"key": "k", "action": ["access"],
                             "userIDs": [{"namespace": "email", "value": "a@b.c"}]});
        assert!(title(&body(json!([ok_user])), "OTHER@AdobeOrg").contains("x-gw-ims-org-id"));
        assert!(title(&body(json!([])), ORG).contains("1 to 1000"));
        let bad_type = json!([{"key": "k", "action": ["access"],
                               "userIDs": [{"namespace": "email", "value": "a@b.c", "type": "global"}]}]);
        assert!(title(&body(bad_type), ORG).contains("Unknown identity type"));
        let no_campaign = json!({"companyContexts": [{"namespace": "imsOrg", "value": ORG}],
            "users": [ok_user], "include": ["analytics"], "regulation": "ccpa"});
        assert!(title(no_campaign.to_string().as_bytes(), ORG).contains("campaign"));
        assert!(regulation(Some("cpra_usa")).is_err());
        assert!(regulation(Some("nope")).is_err());
        assert_eq!(regulation(Some("CPRA_CA_USA")).unwrap(), "cpra_ca_usa");
        assert!(regulation(None).is_err());
    }
}
