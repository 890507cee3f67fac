//! The preview serves only its editor: other `Host` names are refused, `//path` stays on
//! the host, IPv6 addresses are bracketed, and `--bind localhost` works.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::serve::{request, sample_site, serve};

fn request_with_host(addr: SocketAddr, path: &str, host: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut raw = String::new();
    let _ = s.read_to_string(&mut raw);
    let status = raw
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, raw)
}

#[test]
fn a_foreign_host_name_is_refused() {
    let site = sample_site();
    let server = serve(&site);
    for host in [
        "evil.example",
        "evil.example:1111",
        "localhost.evil.example",
        "10.1.2.3",
    ] {
        for path in [
            "/",
            "/2022/08/02/a/",
            "/__gazette/events",
            "/__gazette/live.js",
        ] {
            let (status, raw) = request_with_host(server.addr, path, host);
            assert_eq!(status, 421, "{host} {path}: {raw}");
            assert!(!raw.contains("电梯稿件"), "{raw}");
        }
    }
}

#[test]
fn loopback_host_names_are_served() {
    let site = sample_site();
    let server = serve(&site);
    let port = server.addr.port();
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        "LocalHost".into(),
    ] {
        let (status, raw) = request_with_host(server.addr, "/", &host);
        assert_eq!(status, 200, "{host}: {raw}");
    }
}

#[test]
fn a_double_slash_path_never_redirects_to_another_host() {
    let site = sample_site();
    let server = serve(&site);
    for path in ["//2022/08/02/a", "///2022/08/02/a", "//2022//08/02/a"] {
        let r = request(server.addr, "GET", path);
        if r.status == 301 {
            let location = r.header("location").unwrap_or_default();
            assert!(
                location.starts_with('/') && !location.starts_with("//"),
                "{path} → {location}"
            );
        }
    }
    let r = request(server.addr, "GET", "//2022/08/02/a");
    assert_eq!(r.status, 301);
    assert_eq!(r.header("location").as_deref(), Some("/2022/08/02/a/"));
}

#[test]
fn bind_names_and_ipv6_urls() {
    use gazette::serve::{parse_bind, url_host};
    assert_eq!(
        parse_bind("localhost").map(|ip| ip.to_string()).as_deref(),
        Ok("127.0.0.1")
    );
    assert_eq!(parse_bind("::1").map(url_host).as_deref(), Ok("[::1]"));
    assert_eq!(parse_bind("[::1]").map(url_host).as_deref(), Ok("[::1]"));
    assert_eq!(
        parse_bind("0.0.0.0").map(url_host).as_deref(),
        Ok("127.0.0.1")
    );
    assert!(parse_bind("example.org").is_err_and(|e| e.contains("localhost")));
}

/// `gazette serve --bind localhost` starts and prints a URL a browser can open.
#[test]
fn serve_accepts_bind_localhost() {
    let site = sample_site();
    let mut child = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["serve", "--bind", "localhost", "--port", "0"])
        .env("GAZETTE_LANG", "en")
        .current_dir(site.root())
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("start gazette serve");
    let stderr = child.stderr.take().expect("stderr");
    // Lines arrive on a channel, so waiting for the address has a deadline.
    let (lines, arrived) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            if lines.send(line.unwrap_or_default()).is_err() {
                break;
            }
        }
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let mut seen = String::new();
    while let Ok(line) =
        arrived.recv_timeout(deadline.saturating_duration_since(std::time::Instant::now()))
    {
        seen.push_str(&line);
        seen.push('\n');
        if line.contains("Serving the preview at") {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        seen.contains("Serving the preview at http://127.0.0.1:"),
        "{seen}"
    );
}
