//! The emulator's console (`/portal/`): headless Chromium through the documentation's portal
//! steps, each checked with `acr` and skopeo (`browser`, `steps`); the sign-in link and
//! session (`signin`), CSRF tokens, origins and GETs (`guards`) and the forms' behaviour
//! (`forms`) from a plain HTTP client; the sign-in link as the binary prints and `env`
//! reports it (`binary`). [`Browserless`] is a console client without a
//! browser: it signs in with a link, keeps the session cookie by hand and reads the forms'
//! hidden fields.

mod binary;
mod browser;
mod clients;
mod forms;
mod guards;
mod signin;
mod steps;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// One answer of the console.
pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Page {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The `value` of the first `<input name="{name}">` (the page's own escaping undone).
    #[track_caller]
    pub fn field(&self, name: &str) -> String {
        let marker = format!("name=\"{name}\" value=\"");
        let start = self
            .body
            .find(&marker)
            .unwrap_or_else(|| panic!("no field {name} in:\n{}", self.body))
            + marker.len();
        let end = self.body[start..].find('"').expect("a closing quote") + start;
        self.body[start..end]
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
    }
}

/// A console client without a browser: a session cookie kept by hand, no redirects followed.
pub struct Browserless {
    http: reqwest::Client,
    /// `https://127.0.0.1:PORT`.
    pub origin: String,
    /// `acr_console=…`, once signed in.
    pub cookie: Option<String>,
}

impl Browserless {
    pub fn new(ca: &str, console_url: &str) -> Browserless {
        let pem = std::fs::read(ca).expect("the emulator's CA");
        let http = reqwest::Client::builder()
            .tls_certs_only([reqwest::Certificate::from_pem(&pem).expect("CA PEM")])
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .expect("HTTP client");
        let origin = console_url
            .split("/portal/")
            .next()
            .expect("a console URL")
            .to_string();
        Browserless {
            http,
            origin,
            cookie: None,
        }
    }

    /// Opens the sign-in link and keeps the session cookie it sets.
    pub async fn sign_in(ca: &str, console_url: &str) -> Browserless {
        let mut c = Browserless::new(ca, console_url);
        let p = c.get(console_url).await;
        assert_eq!(p.status, 303, "sign-in: {}", p.body);
        let set = p
            .header("set-cookie")
            .expect("a session cookie")
            .to_string();
        c.cookie = Some(set.split(';').next().unwrap().to_string());
        c
    }

    fn url(&self, path: &str) -> String {
        if path.starts_with("https://") {
            path.to_string()
        } else {
            format!("{}{path}", self.origin)
        }
    }

    async fn read(r: reqwest::Response) -> Page {
        Page {
            status: r.status(),
            headers: r.headers().clone(),
            body: r.text().await.expect("a body"),
        }
    }

    pub async fn get(&self, path: &str) -> Page {
        let mut req = self.http.get(self.url(path));
        if let Some(c) = &self.cookie {
            req = req.header("cookie", c);
        }
        Browserless::read(req.send().await.expect("GET")).await
    }

    /// A form POST with `fields`, extra `headers`, and the session cookie if any.
    pub async fn post_with(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Page {
        let mut req = self.http.post(self.url(path)).form(fields);
        if let Some(c) = &self.cookie {
            req = req.header("cookie", c);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        Browserless::read(req.send().await.expect("POST")).await
    }

    /// A same-origin POST of `body` as `content_type`.
    pub async fn post_raw(&self, path: &str, content_type: &str, body: String) -> Page {
        let mut req = self
            .http
            .post(self.url(path))
            .header("content-type", content_type)
            .header("origin", &self.origin)
            .body(body);
        if let Some(c) = &self.cookie {
            req = req.header("cookie", c);
        }
        Browserless::read(req.send().await.expect("POST")).await
    }

    /// A same-origin form POST, as a browser sends it.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let origin = self.origin.clone();
        self.post_with(path, fields, &[("origin", &origin)]).await
    }
}
