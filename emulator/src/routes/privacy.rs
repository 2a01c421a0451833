//! `…/campaign/privacy/privacyTool`: create, list and poll privacy requests, fetch access data.

use axum::body::Body;
use axum::response::Response;
use http::{Method, StatusCode};
use serde_json::{Value, json};

use super::target::PrivacyResource;
use super::view::{self, Links};
use crate::acs_error::{AcsError, json_response};
use crate::app::App;
use crate::privacy::{Kind, PrivacyRequest, Status};
use crate::store::TextField;
use crate::{body, clock, pkey};

/// Answers one privacy request route. `links` render found profiles; `root` is `…/campaign`.
pub async fn serve(
    app: &App,
    links: &Links,
    root: &str,
    resource: PrivacyResource,
    method: Method,
    body: Body,
) -> Result<Response, AcsError> {
    let ok = |value: Value| Ok(json_response(StatusCode::OK, &value));
    match (resource, method) {
        (PrivacyResource::Collection, Method::POST) => {
            let fields = body::json_object(&body::read(body, app.config.body_limit).await?)?;
            let request = app.privacy.create(fields, clock::now_ms())?;
            Ok(json_response(StatusCode::CREATED, &render(&request, root)))
        }
        (PrivacyResource::Collection, Method::GET) => {
            progress(app, links, None).await?;
            let content: Vec<Value> = app.privacy.all().iter().map(|r| render(r, root)).collect();
            ok(json!({"content": content, "serverSidePagination": true}))
        }
        (PrivacyResource::Collection, m) => Err(AcsError::method_not_allowed(&m, "GET, POST")),
        (PrivacyResource::Request(pkey), Method::GET) => {
            app.privacy.get(&pkey).ok_or_else(AcsError::not_found)?;
            progress(app, links, Some(&pkey)).await?;
            ok(render(
                &app.privacy.get(&pkey).ok_or_else(AcsError::not_found)?,
                root,
            ))
        }
        (PrivacyResource::Request(_), m) => Err(AcsError::method_not_allowed(&m, "GET")),
        (PrivacyResource::RequestData(pkey), Method::POST) => {
            let request = app.privacy.get(&pkey).ok_or_else(AcsError::not_found)?;
            let fields = body::json_object(&body::read(body, app.config.body_limit).await?)?;
            if fields.get("name").and_then(Value::as_str) != Some(request.text("name")) {
                return Err(AcsError::bad_request(
                    "The body must be {\"name\": \"<the request's name>\"}",
                ));
            }
            if request.kind != Kind::Access || request.status != Status::Complete {
                return Err(AcsError::bad_request(
                    "Only a complete access request has a data file",
                ));
            }
            ok(Value::from(data_file(&request)))
        }
        (PrivacyResource::RequestData(_), m) => Err(AcsError::method_not_allowed(&m, "POST")),
        (PrivacyResource::FoundData(pkey), Method::GET) => {
            let request = app.privacy.get(&pkey).ok_or_else(AcsError::not_found)?;
            ok(json!({"content": request.found}))
        }
        (PrivacyResource::FoundData(_), m) => Err(AcsError::method_not_allowed(&m, "GET")),
    }
}

/// Counts a read; requests read twice look up (and for `delete`, erase) profiles by email.
async fn progress(app: &App, links: &Links, only: Option<&str>) -> Result<(), AcsError> {
    let now = clock::now_ms();
    for request in app.privacy.advance(only, now) {
        let email = request.text("reconciliationValue");
        let found = match request.kind {
            Kind::Access => {
                let store = app.read();
                let seqs = store.exact(TextField::Email, email);
                seqs.iter()
                    .filter_map(|s| store.by_seq(*s))
                    .map(|r| view::profile(r, links, now))
                    .collect()
            }
            Kind::Delete => {
                app.write(|store, journal| {
                    let mut found = Vec::new();
                    for seq in store.exact(TextField::Email, email) {
                        let Some(record) = store.by_seq(seq) else {
                            continue;
                        };
                        found.push(view::profile(record, links, now));
                        let pkey = record.pkey.clone();
                        store.delete(&pkey);
                        journal.delete(&pkey);
                    }
                    Ok(found)
                })
                .await?
            }
        };
        app.privacy.finish(&request.pkey, found, now);
    }
    Ok(())
}

fn render(request: &PrivacyRequest, root: &str) -> Value {
    let href = format!("{root}/privacy/privacyTool/{}", request.pkey);
    let mut out = request.fields.clone();
    let namespace = request.text("namespaceName");
    let namespace_key = pkey::pkey_for(
        namespace
            .bytes()
            .fold(7u64, |h, b| pkey::mix(h ^ u64::from(b))),
    );
    let extra = json!({
        "PKey": request.pkey,
        "href": href,
        "title": format!("{} ({})", request.text("label"), request.text("name")),
        "namespace": {"PKey": namespace_key, "title": namespace},
        "status": request.status.name(),
        "retryCount": 0,
        "audit": "",
        "desc": "",
        "created": clock::format_datetime(request.created),
        "lastModified": clock::format_datetime(request.modified),
        "gdprRequestData": {"href": format!("{href}/gdprRequestData")},
    });
    if let Value::Object(extra) = extra {
        out.extend(extra);
    }
    if request.kind == Kind::Access && request.status == Status::Complete {
        out.insert(
            "privacyRequestData".into(),
            json!({"href": format!("{href}/privacyRequestData")}),
        );
    }
    Value::Object(out)
}

/// The access data file: an XML-like dump of the profiles found, as ACS returns it (a JSON string).
fn data_file(request: &PrivacyRequest) -> String {
    let mut xml = format!(
        "<privacyRequestData name=\"{}\" regulation=\"{}\" reconciliationValue=\"{}\">",
        escape(request.text("name")),
        escape(request.text("regulation")),
        escape(request.text("reconciliationValue"))
    );
    for profile in &request.found {
        xml.push_str("<recipient");
        if let Value::Object(fields) = profile {
            for (name, value) in fields
                .iter()
                .filter(|(_, v)| !v.is_object() && !v.is_array())
            {
                let text = value
                    .as_str()
                    .map_or_else(|| value.to_string(), str::to_owned);
                xml.push_str(&format!(" {name}=\"{}\"", escape(&text)));
            }
        }
        xml.push_str("/>");
    }
    xml.push_str("</privacyRequestData>");
    xml
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}
