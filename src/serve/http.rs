//! The preview's HTTP side: the site from memory, GET and HEAD only, pretty URLs, the
//! theme's 404 page, and the live-reload script added to HTML on the way out — so `build`
//! and `serve` render byte-identical pages.

use std::convert::Infallible;
use std::net::IpAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, Method, Request, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures_util::stream::{self, Stream, StreamExt};

use super::Shared;

pub const EVENTS_PATH: &str = "/__gazette/events";
pub const SCRIPT_PATH: &str = "/__gazette/live.js";
const SCRIPT: &str = include_str!("live.js");

pub fn router(shared: Arc<Shared>, hosts: Arc<AllowedHosts>) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .route(SCRIPT_PATH, get(script))
        .fallback(site_file)
        .layer(axum::middleware::from_fn_with_state(hosts, host_guard))
        .with_state(shared)
}

/// The `Host` names the preview answers to. A page elsewhere on the web can point its own
/// name at 127.0.0.1 (DNS rebinding) and read the preview, drafts and all; its requests
/// carry its own name, so a loopback preview answers only to loopback names.
#[derive(Debug, Clone)]
pub enum AllowedHosts {
    /// Bound to a loopback address: `localhost`, `127.0.0.1`, `[::1]` and the bound address.
    Loopback(IpAddr),
    /// Bound to another address on purpose (`--bind 0.0.0.0`): any name.
    Any,
}

impl AllowedHosts {
    pub fn for_bind(ip: IpAddr) -> Self {
        if ip.is_loopback() {
            AllowedHosts::Loopback(ip)
        } else {
            AllowedHosts::Any
        }
    }

    /// Whether a `Host` header value (name or address, with or without a port) is ours.
    pub fn allows(&self, host: &str) -> bool {
        let AllowedHosts::Loopback(bound) = self else {
            return true;
        };
        let name = match host.strip_prefix('[') {
            // `[::1]:1111`
            Some(rest) => rest.split(']').next().unwrap_or(""),
            None => host.rsplit_once(':').map_or(host, |(name, _port)| name),
        };
        name.eq_ignore_ascii_case("localhost")
            || name
                .parse::<IpAddr>()
                .is_ok_and(|ip| ip == *bound || ip.is_loopback())
    }
}

async fn host_guard(
    State(hosts): State<Arc<AllowedHosts>>,
    request: Request<Body>,
    next: axum::middleware::Next,
) -> Response {
    // A request with no `Host` at all does not come from a browser (they always send one).
    let allowed = match request.headers().get(header::HOST) {
        None => true,
        Some(value) => value.to_str().is_ok_and(|h| hosts.allows(h)),
    };
    if !allowed {
        return with_type(
            StatusCode::MISDIRECTED_REQUEST,
            "text/plain; charset=utf-8",
            b"this preview answers only to localhost; open it at http://localhost:PORT/ or bind it to another address with --bind\n".to_vec(),
        );
    }
    next.run(request).await
}

async fn script() -> Response {
    with_type(
        StatusCode::OK,
        "text/javascript; charset=utf-8",
        SCRIPT.as_bytes().to_vec(),
    )
}

async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let rx = shared.tx.subscribe();
    let hello = stream::once(futures_util::future::ready(Ok(
        Event::default().data(shared.hello())
    )));
    let updates = stream::unfold(rx, |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok(msg) => return Some((Ok(Event::default().data(msg)), rx)),
                // A slow tab missed some messages; the next one still tells it what to do.
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(hello.chain(updates)).keep_alive(KeepAlive::default())
}

/// Serves one file of the site from memory.
async fn site_file(State(shared): State<Arc<Shared>>, request: Request<Body>) -> Response {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        let mut r = with_type(
            StatusCode::METHOD_NOT_ALLOWED,
            "text/plain; charset=utf-8",
            b"GET and HEAD only\n".to_vec(),
        );
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let head = request.method() == Method::HEAD;
    let Some(key) = site_key(request.uri().path()) else {
        return with_type(
            StatusCode::BAD_REQUEST,
            "text/plain; charset=utf-8",
            b"bad path\n".to_vec(),
        );
    };
    let files = shared.files();
    let search = shared.search_files();
    let response = if let Some(bytes) = files.get(&key).or_else(|| search.get(&key)) {
        file_response(StatusCode::OK, &key, bytes)
    } else if !key.ends_with("index.html") && files.contains_key(&format!("{key}/index.html")) {
        // `/a/b` → `/a/b/`, as static hosts do, so relative links resolve. One leading
        // slash only: `//a/b/` would send the browser to the host `a`.
        let mut r = StatusCode::MOVED_PERMANENTLY.into_response();
        let location = format!("/{}/", request.uri().path().trim_start_matches('/'));
        if let Ok(v) = HeaderValue::from_str(&location) {
            r.headers_mut().insert(header::LOCATION, v);
        }
        r
    } else if let Some(page) = files.get("404.html") {
        file_response(StatusCode::NOT_FOUND, "404.html", page)
    } else {
        // Before the first good build there is no site, so no language to follow: say it in
        // both of the languages Gazette is most used in.
        let page = "<!DOCTYPE html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>Gazette</title><body><p>网站尚未构建成功。</p><p lang=\"en\">The site has not built successfully yet.</p></body></html>";
        file_response(StatusCode::NOT_FOUND, "404.html", page.as_bytes())
    };
    if head {
        let (mut parts, body) = response.into_parts();
        // HEAD answers with the length GET would send.
        let len = axum::body::HttpBody::size_hint(&body).exact().unwrap_or(0);
        parts
            .headers
            .insert(header::CONTENT_LENGTH, HeaderValue::from(len));
        return Response::from_parts(parts, Body::empty());
    }
    response
}

/// The site-relative file a request path names, or `None` for a path that tries to leave
/// the site (`..`, backslashes, NUL) or is not UTF-8 after percent-decoding.
pub fn site_key(path: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    if decoded.contains('\\') || decoded.contains('\0') {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => return None,
            s if s.contains(':') => return None, // drive letters and schemes
            s => parts.push(s),
        }
    }
    let mut key = parts.join("/");
    if decoded.ends_with('/') || key.is_empty() {
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str("index.html");
    }
    Some(key)
}

fn file_response(status: StatusCode, key: &str, bytes: &[u8]) -> Response {
    let mime = crate::url_space::content_type(key);
    if mime.starts_with("text/html") {
        with_type(status, mime, inject_script(bytes))
    } else {
        with_type(status, mime, bytes.to_vec())
    }
}

fn with_type(status: StatusCode, mime: &'static str, body: Vec<u8>) -> Response {
    let mut r = (status, body).into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    // A preview must never show yesterday's page from the browser's cache.
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// Adds the live-reload script before `</body>` (or at the end when there is none).
pub fn inject_script(html: &[u8]) -> Vec<u8> {
    let tag = format!("<script src=\"{SCRIPT_PATH}\" defer></script>");
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_map_to_site_files() {
        assert_eq!(site_key("/").as_deref(), Some("index.html"));
        assert_eq!(site_key("/a/b/").as_deref(), Some("a/b/index.html"));
        assert_eq!(site_key("/style.css").as_deref(), Some("style.css"));
        assert_eq!(
            site_key("/tags/%E5%8A%A0/").as_deref(),
            Some("tags/加/index.html")
        );
    }

    #[test]
    fn escapes_are_refused() {
        for p in [
            "/../etc/passwd",
            "/a/%2e%2e/%2e%2e/etc/passwd",
            "/a\\..\\b",
            "/%2E%2E/x",
            "/%00",
            "/c:/windows",
            "/%ff",
        ] {
            assert_eq!(site_key(p), None, "{p}");
        }
    }

    #[test]
    fn loopback_previews_answer_only_to_loopback_names() {
        let hosts = AllowedHosts::for_bind("127.0.0.1".parse().unwrap());
        for ok in [
            "localhost:1111",
            "LOCALHOST",
            "127.0.0.1:1111",
            "[::1]:1111",
            "127.0.0.1",
        ] {
            assert!(hosts.allows(ok), "{ok}");
        }
        for bad in [
            "evil.example:1111",
            "evil.example",
            "localhost.evil.example",
            "10.0.0.2:1111",
            "",
        ] {
            assert!(!hosts.allows(bad), "{bad}");
        }
        assert!(AllowedHosts::for_bind("0.0.0.0".parse().unwrap()).allows("evil.example"));
    }

    #[test]
    fn script_goes_before_the_body_end() {
        let out = inject_script(b"<html><body><p>x</p></body></html>");
        let out = String::from_utf8(out).unwrap_or_default();
        assert!(
            out.ends_with("<script src=\"/__gazette/live.js\" defer></script></body></html>"),
            "{out}"
        );
    }
}
