//! What an ACS request path addresses, decoded strictly (bad encodings are 400s, not guesses).

use percent_encoding::percent_decode_str;

use crate::acs_error::AcsError;
use crate::api::Api;
use crate::fields;

/// A profile collection filter (`…/profile/byEmail`, `…/profile/byText`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    /// `byEmail?email=`: exact match.
    ByEmail,
    /// `byText?text=&filterType=`: case-sensitive prefix match.
    ByText,
}

/// The resource a path names, after the tenant and API are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resource {
    /// `…/profile` or `…/profile/`: list or create.
    Collection,
    /// `…/profile/{PKey}`.
    Profile(String),
    /// `…/profile/{PKey}/subscriptions/`.
    Subscriptions(String),
    /// `…/profile/byEmail` or `…/profile/byText`.
    Filtered(Filter),
    /// `…/profile[/byX]/_count`.
    Count(Option<Filter>),
    /// `…/profile/{field}`: one field of every profile.
    Field(&'static str),
    /// `…/resourceType/profile`.
    Metadata,
    /// `…/resourceType/profile/filters`.
    MetadataFilters,
}

/// What `…/campaign/privacy/privacyTool[/…]` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrivacyResource {
    /// The collection: list or create.
    Collection,
    /// One request.
    Request(String),
    /// `…/{PKey}/privacyRequestData`: the data file of a completed access request.
    RequestData(String),
    /// `…/{PKey}/gdprRequestData`: the records a request found.
    FoundData(String),
}

/// What `/data/core/privacy/…` (Privacy Service) names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobResource {
    /// `…/jobs`: list or create.
    Collection,
    /// `…/jobs/{jobId}`.
    Job(String),
    /// `…/jobs/{jobId}/content`: an access job's archive.
    Content(String),
    /// Any other path under the prefix.
    Unknown,
}

/// A decoded ACS path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `/{org}/campaign/{api}/…` naming a known resource.
    Known {
        /// The tenant in the path.
        org: String,
        /// The API.
        api: Api,
        /// The resource.
        resource: Resource,
    },
    /// `/{org}/campaign/privacy/privacyTool…`.
    Privacy {
        /// The tenant in the path.
        org: String,
        /// The resource.
        resource: PrivacyResource,
    },
    /// `/data/core/privacy/…`: Privacy Service (no tenant in the path; the IMS org is a header).
    PrivacyService(JobResource),
    /// `/{org}/campaign/{name}/…` with an API name the emulator does not serve.
    UnknownApi {
        /// The tenant in the path.
        org: String,
        /// The API name as written.
        name: String,
    },
    /// Anything else: 404 after the gateway checks (`org` when the path has a tenant).
    Unknown {
        /// The tenant in the path, if the path has the `/{org}/campaign/` shape.
        org: Option<String>,
    },
}

impl Target {
    /// Decodes a raw request path.
    pub fn parse(path: &str) -> Result<Target, AcsError> {
        let raw = path.strip_prefix('/').unwrap_or(path);
        let raw = raw.strip_suffix('/').unwrap_or(raw);
        let segments = raw
            .split('/')
            .map(decode_segment)
            .collect::<Result<Vec<String>, AcsError>>()?;
        let parts: Vec<&str> = segments.iter().map(String::as_str).collect();
        if let ["data", "core", "privacy", rest @ ..] = parts.as_slice() {
            return Ok(Target::PrivacyService(match rest {
                ["jobs"] => JobResource::Collection,
                ["jobs", id] => JobResource::Job((*id).to_owned()),
                ["jobs", id, "content"] => JobResource::Content((*id).to_owned()),
                _ => JobResource::Unknown,
            }));
        }
        let [org, "campaign", api_name, rest @ ..] = parts.as_slice() else {
            return Ok(Target::Unknown { org: None });
        };
        let org = (*org).to_owned();
        if *api_name == "privacy" {
            let resource = match rest {
                ["privacyTool"] => PrivacyResource::Collection,
                ["privacyTool", pkey] if pkey.starts_with('@') => {
                    PrivacyResource::Request((*pkey).to_owned())
                }
                ["privacyTool", pkey, "privacyRequestData"] => {
                    PrivacyResource::RequestData((*pkey).to_owned())
                }
                ["privacyTool", pkey, "gdprRequestData"] => {
                    PrivacyResource::FoundData((*pkey).to_owned())
                }
                _ => return Ok(Target::Unknown { org: Some(org) }),
            };
            return Ok(Target::Privacy { org, resource });
        }
        let Some(api) = Api::from_segment(api_name) else {
            return Ok(Target::UnknownApi {
                org,
                name: (*api_name).to_owned(),
            });
        };
        let resource = match rest {
            ["profile"] => Resource::Collection,
            ["profile", segment] => match profile_child(segment) {
                Some(resource) => resource,
                None => return Ok(Target::Unknown { org: Some(org) }),
            },
            ["profile", filter, "_count"] if filter_named(filter).is_some() => {
                Resource::Count(filter_named(filter))
            }
            ["profile", pkey, "subscriptions"] if pkey.starts_with('@') => {
                Resource::Subscriptions((*pkey).to_owned())
            }
            ["resourceType", "profile"] => Resource::Metadata,
            ["resourceType", "profile", "filters"] => Resource::MetadataFilters,
            _ => return Ok(Target::Unknown { org: Some(org) }),
        };
        Ok(Target::Known { org, api, resource })
    }

    /// The tenant in the path, if any.
    pub fn org(&self) -> Option<&str> {
        match self {
            Target::Known { org, .. }
            | Target::Privacy { org, .. }
            | Target::UnknownApi { org, .. } => Some(org),
            Target::Unknown { org } => org.as_deref(),
            Target::PrivacyService(_) => None,
        }
    }

    /// The coarse route name counted by `/_emulator/stats`.
    pub fn route_name(&self) -> &'static str {
        match self {
            Target::Known { resource, .. } => match resource {
                Resource::Collection | Resource::Profile(_) => "profile",
                Resource::Subscriptions(_) => "subscriptions",
                Resource::Filtered(Filter::ByEmail) => "byEmail",
                Resource::Filtered(Filter::ByText) => "byText",
                Resource::Count(_) => "count",
                Resource::Field(_) => "field",
                Resource::Metadata | Resource::MetadataFilters => "metadata",
            },
            Target::Privacy { .. } => "privacy",
            Target::PrivacyService(JobResource::Content(_)) => "privacyContent",
            Target::PrivacyService(_) => "privacyJobs",
            Target::UnknownApi { .. } | Target::Unknown { .. } => "unknown",
        }
    }
}

/// What `…/profile/{segment}` names: a filter, `_count`, a PKey or a selected field.
fn profile_child(segment: &str) -> Option<Resource> {
    if let Some(filter) = filter_named(segment) {
        return Some(Resource::Filtered(filter));
    }
    if segment == "_count" {
        return Some(Resource::Count(None));
    }
    if segment.starts_with('@') {
        return Some(Resource::Profile(segment.to_owned()));
    }
    let field = fields::lookup(segment)?;
    let selectable = !matches!(field.kind, fields::Kind::Collection | fields::Kind::Link);
    selectable.then_some(Resource::Field(field.name))
}

fn filter_named(segment: &str) -> Option<Filter> {
    match segment {
        "byEmail" => Some(Filter::ByEmail),
        "byText" => Some(Filter::ByText),
        _ => None,
    }
}

/// Percent-decodes one segment; refuses what no ACS resource name or PKey can contain.
fn decode_segment(raw: &str) -> Result<String, AcsError> {
    let bytes: Vec<u8> = percent_decode_str(raw).collect();
    let text = String::from_utf8(bytes).map_err(|_| {
        AcsError::bad_request("Invalid path: a segment is not valid UTF-8 once percent-decoded")
    })?;
    if text.contains('/') {
        return Err(AcsError::bad_request(
            "Invalid path: an encoded '/' (%2F) is not allowed in a segment",
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(AcsError::bad_request(
            "Invalid path: control characters are not allowed",
        ));
    }
    if text == "." || text == ".." {
        return Err(AcsError::bad_request(
            "Invalid path: '.' and '..' segments are not allowed",
        ));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(path: &str) -> Resource {
        match Target::parse(path) {
            Ok(Target::Known { resource, .. }) => resource,
            other => panic!("{path}: {other:?}"),
        }
    }

    #[test]
    fn decodes_resources() {
        let base = "/acme/campaign/profileAndServices";
        assert_eq!(known(&format!("{base}/profile")), Resource::Collection);
        assert_eq!(known(&format!("{base}/profile/")), Resource::Collection);
        assert_eq!(
            known(&format!("{base}/profile/%40Ab-_")),
            Resource::Profile("@Ab-_".into())
        );
        assert_eq!(
            known(&format!("{base}/profile/byEmail/_count")),
            Resource::Count(Some(Filter::ByEmail))
        );
        assert_eq!(
            known(&format!("{base}/profile/@A/subscriptions/")),
            Resource::Subscriptions("@A".into())
        );
        assert_eq!(
            known(&format!("{base}/profile/email")),
            Resource::Field("email")
        );
        assert_eq!(
            known(&format!("{base}/resourceType/profile")),
            Resource::Metadata
        );
    }

    #[test]
    fn names_unknown_apis_and_paths() {
        let plural = Target::parse("/acme/campaign/profilesAndServices/profile");
        assert_eq!(
            plural,
            Ok(Target::UnknownApi {
                org: "acme".into(),
                name: "profilesAndServices".into()
            })
        );
        assert_eq!(Target::parse("/"), Ok(Target::Unknown { org: None }));
        assert_eq!(
            Target::parse("/acme/campaign/profileAndServices/service"),
            Ok(Target::Unknown {
                org: Some("acme".into())
            })
        );
    }

    #[test]
    fn decodes_privacy_service_paths() {
        let parse = |path: &str| Target::parse(path).unwrap();
        assert_eq!(
            parse("/data/core/privacy/jobs/"),
            Target::PrivacyService(JobResource::Collection)
        );
        assert_eq!(
            parse("/data/core/privacy/jobs/ab12/content"),
            Target::PrivacyService(JobResource::Content("ab12".into()))
        );
        assert_eq!(
            parse("/data/core/privacy/consent"),
            Target::PrivacyService(JobResource::Unknown)
        );
        assert_eq!(parse("/data/core/privacy/jobs").org(), None);
    }

    #[test]
    fn refuses_bad_segments() {
        for bad in [
            "/acme/campaign/x/..",
            "/a/%2F/b",
            "/a/%00",
            "/a/%FF",
            "/a/./b",
        ] {
            assert_eq!(
                Target::parse(bad).map_err(|e| e.status().as_u16()),
                Err(400),
                "{bad}"
            );
        }
    }
}
