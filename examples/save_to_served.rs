//! Save → served latency of `gazette serve`, end to end: a real file save, the real
//! watcher, the incremental rebuild and the real HTTP server, polled by a client.
//!
//! Starts the preview on SITE_DIR, then edits the body of one article at a time, each time
//! timing from the write until a GET of the article's page returns the new text. Every
//! edited file is restored (and the restore waited for) before the next edit.
//!
//! `cargo run --release --example save_to_served -- SITE_DIR [EDITS]`

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use gazette::pipeline::BuildOptions;
use gazette::serve::{start, ServeOptions};

/// The body of `GET path`, or an empty string when the server does not answer.
fn get(addr: SocketAddr, path: &str) -> String {
    let Ok(mut s) = TcpStream::connect(addr) else {
        return String::new();
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    );
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    String::from_utf8_lossy(&raw).into_owned()
}

/// Milliseconds from now until `GET path` contains `marker`; gives up after 10 s.
fn until_served(addr: SocketAddr, path: &str, marker: &str) -> f64 {
    let start = Instant::now();
    while !get(addr, path).contains(marker) {
        if start.elapsed() > Duration::from_secs(10) {
            eprintln!("{path} never showed {marker}");
            std::process::exit(1);
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    start.elapsed().as_secs_f64() * 1000.0
}

fn edit(root: &Path, source: &Path, text: &str) {
    std::fs::write(root.join(source), text).expect("write article");
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(root) = args.next().map(PathBuf::from) else {
        eprintln!("usage: save_to_served SITE_DIR [EDITS]");
        std::process::exit(2);
    };
    let edits: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(30);
    let started = Instant::now();
    let running = start(ServeOptions {
        build: BuildOptions {
            drafts: true,
            future: true,
            asset_hashes: false,
            ..BuildOptions::new(&root)
        },
        bind: Ipv4Addr::LOCALHOST.into(),
        port: 0,
        open: false,
        output_dir: None,
    })
    .unwrap_or_else(|d| {
        eprintln!("{d}");
        std::process::exit(1);
    });
    println!("serving after {:.2} s", started.elapsed().as_secs_f64());
    let addr = running.addr;
    let preview = gazette::pipeline::incremental::Preview::new(BuildOptions {
        drafts: true,
        future: true,
        ..BuildOptions::new(&root)
    })
    .unwrap_or_else(|_| std::process::exit(1));
    let articles: Vec<(PathBuf, String)> = preview
        .site()
        .articles
        .iter()
        .map(|a| (a.source.clone(), format!("/{}", a.path)))
        .collect();
    drop(preview);

    let mut times = Vec::new();
    for n in 0..edits {
        // Spread the edits over the archive, deterministically.
        let (source, url) = &articles[(n * 7919) % articles.len()];
        let original = std::fs::read_to_string(root.join(source)).expect("read article");
        let marker = format!("保存测量第{n}次");
        edit(&root, source, &format!("{original}\n{marker}。\n"));
        times.push(until_served(addr, url, &marker));
        edit(&root, source, &original);
        // The restore is served too before the next edit starts.
        let start = Instant::now();
        while get(addr, url).contains(&marker) && start.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(5));
        }
    }
    times.sort_by(f64::total_cmp);
    let pct = |p: f64| times[((times.len() as f64 - 1.0) * p).round() as usize];
    println!(
        "save → served over HTTP, {edits} edits of {} articles: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        articles.len(),
        pct(0.5),
        pct(0.95),
        pct(1.0)
    );
}
