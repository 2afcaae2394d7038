//! A request written down as JSON (`{"method", "url", "headers", "cookies"}`), for tools and
//! tests: `clerk-claims request inspect` reads this.

use std::collections::BTreeMap;

use http::request::Parts;
use serde::{Deserialize, Serialize};

/// A request as JSON: `{"method": "GET", "url": "https://app.example/dashboard", "headers":
/// {"cookie": "…", "sec-fetch-dest": "document"}}`; `cookies` (name → value) is added to the
/// `Cookie` header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestDescription {
    /// The method (default `GET`).
    #[serde(default = "default_method")]
    pub method: String,
    /// The absolute URL.
    pub url: String,
    /// Header name → value, or a list of values.
    #[serde(default)]
    pub headers: BTreeMap<String, HeaderValues>,
    /// Cookie name → value, joined into the `Cookie` header after any given there.
    #[serde(default, skip_serializing_if = "Vec::is_empty", with = "pairs")]
    pub cookies: Vec<(String, String)>,
}

/// One header value or several.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum HeaderValues {
    /// One value.
    One(String),
    /// Several values, sent as several headers.
    Many(Vec<String>),
}

fn default_method() -> String {
    "GET".to_owned()
}

/// Cookies in the order written (a JSON object read into pairs).
mod pairs {
    use serde::de::{MapAccess, Visitor};
    use serde::ser::SerializeMap;
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(pairs: &[(String, String)], s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(pairs.len()))?;
        for (k, v) in pairs {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(String, String)>, D::Error> {
        struct Pairs;
        impl<'de> Visitor<'de> for Pairs {
            type Value = Vec<(String, String)>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object of cookie names to string values")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(pair) = map.next_entry::<String, String>()? {
                    out.push(pair);
                }
                Ok(out)
            }
        }
        d.deserialize_map(Pairs)
    }
}

/// A request description that cannot be a request.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DescriptionError {
    /// Not JSON of the expected shape.
    #[error(
        "expected a request as JSON ({{\"method\": \"GET\", \"url\": \"https://…\", \"headers\": {{…}}}}): {0}"
    )]
    Json(#[from] serde_json::Error),
    /// The method is not an HTTP method.
    #[error("invalid method {found:?}: expected an HTTP method such as GET or POST")]
    Method {
        /// What was given.
        found: String,
    },
    /// The URL is not an absolute http(s) URL.
    #[error("invalid url {found:?}: expected an absolute http:// or https:// URL")]
    Url {
        /// What was given.
        found: String,
    },
    /// A header name or value HTTP does not allow.
    #[error("invalid header {name:?}: {detail}")]
    Header {
        /// The header name.
        name: String,
        /// What is wrong.
        detail: String,
    },
}

impl RequestDescription {
    /// Reads a description from JSON text.
    pub fn from_json(text: &str) -> Result<Self, DescriptionError> {
        Ok(serde_json::from_str(text)?)
    }

    /// The request's head, ready for [`authenticate`](super::authenticate).
    pub fn to_parts(&self) -> Result<Parts, DescriptionError> {
        let method = http::Method::from_bytes(self.method.as_bytes()).map_err(|_| {
            DescriptionError::Method {
                found: self.method.clone(),
            }
        })?;
        // Browsers never send the fragment; a description may carry one.
        let parsed = url::Url::parse(&self.url)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .map(|mut u| {
                u.set_fragment(None);
                u
            });
        let uri = parsed
            .and_then(|u| u.as_str().parse::<http::Uri>().ok())
            .ok_or_else(|| DescriptionError::Url {
                found: self.url.clone(),
            })?;
        let mut builder = http::Request::builder().method(method).uri(uri);
        let header_error = |name: &str, detail: String| DescriptionError::Header {
            name: name.to_owned(),
            detail,
        };
        let mut cookie_header: Option<String> = None;
        for (name, values) in &self.headers {
            let values = match values {
                HeaderValues::One(v) => std::slice::from_ref(v),
                HeaderValues::Many(vs) => vs.as_slice(),
            };
            for value in values {
                if name.eq_ignore_ascii_case("cookie") && !self.cookies.is_empty() {
                    cookie_header = Some(match cookie_header {
                        Some(c) => format!("{c}; {value}"),
                        None => value.clone(),
                    });
                    continue;
                }
                let name_ok = http::HeaderName::from_bytes(name.as_bytes())
                    .map_err(|e| header_error(name, e.to_string()))?;
                let value_ok = http::HeaderValue::from_str(value)
                    .map_err(|e| header_error(name, e.to_string()))?;
                builder = builder.header(name_ok, value_ok);
            }
        }
        if !self.cookies.is_empty() {
            let joined = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(";");
            let all = match cookie_header {
                Some(c) => format!("{c}; {joined}"),
                None => joined,
            };
            let value = http::HeaderValue::from_str(&all)
                .map_err(|e| header_error("cookie", e.to_string()))?;
            builder = builder.header(http::header::COOKIE, value);
        }
        builder
            .body(())
            .map(|r| r.into_parts().0)
            .map_err(|e| header_error("(request)", e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_description_becomes_request_parts_with_its_cookies() {
        let description = RequestDescription::from_json(
            r#"{"url":"https://app.example/x?a=1","headers":{"sec-fetch-dest":"document"},"cookies":{"__client_uat":"0","__session":"t"}}"#,
        )
        .expect("valid description");
        let parts = description.to_parts().expect("valid request");
        assert_eq!(parts.method, http::Method::GET);
        assert_eq!(parts.uri.to_string(), "https://app.example/x?a=1");
        assert_eq!(parts.headers["cookie"], "__client_uat=0;__session=t");
        assert_eq!(parts.headers["sec-fetch-dest"], "document");
    }

    #[test]
    fn a_relative_url_is_refused_naming_it() {
        let description =
            RequestDescription::from_json(r#"{"url":"/dashboard"}"#).expect("valid JSON");
        let err = description.to_parts().unwrap_err();
        assert!(err.to_string().contains("\"/dashboard\""), "{err}");
    }
}
