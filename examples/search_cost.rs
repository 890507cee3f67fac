//! What a reader's browser downloads for a first search on a built site: opens
//! `/search/?q=QUERY` in headless Chromium against a plain static server (Python's
//! http.server, no compression) and sums the bytes of every file the server sent —
//! counted from the server's log, because Pagefind fetches from a web worker, which the
//! page's own performance timeline does not see.
//!
//! `cargo run --release --example search_cost -- BUILT_SITE_DIR [QUERY]`

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::ClientBuilder;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(site) = args.next() else {
        eprintln!("usage: search_cost BUILT_SITE_DIR [QUERY]");
        std::process::exit(2);
    };
    let query = args.next().unwrap_or_else(|| "加装电梯".to_string());
    let port = 8799;
    let log_path = std::env::temp_dir().join("gazette-search-cost.log");
    let log = std::fs::File::create(&log_path).expect("log file");
    let server = Command::new("python3")
        .args([
            "-m",
            "http.server",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--directory",
            &site,
        ])
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("python3 http.server");
    let driver = Command::new("chromedriver")
        .arg("--port=9599")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver");
    // Stopped however this ends: a panic must not leave a server holding the ports.
    let children = Children(vec![server, driver]);
    for port in [port, 9599] {
        wait_for_port(port);
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let caps = serde_json::json!({"goog:chromeOptions": {"args": ["--headless=new", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--no-first-run"]}});
    let serde_json::Value::Object(caps) = caps else {
        unreachable!()
    };
    runtime.block_on(async {
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect("http://127.0.0.1:9599")
            .await
            .expect("browser");
        client.goto(&format!("http://127.0.0.1:{port}/search/?q={query}")).await.expect("open");
        let start = Instant::now();
        loop {
            let done = client.execute("return document.getElementById('search-status').textContent.length > 0", vec![]).await;
            if done.ok().and_then(|v| v.as_bool()) == Some(true) || start.elapsed() > Duration::from_secs(60) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let report = client
            .execute(
                "const all = performance.getEntriesByType('resource');
                 const nav = performance.getEntriesByType('navigation')[0];
                 const search = all.filter(r => r.name.includes('/pagefind/'));
                 const sum = list => list.reduce((n, r) => n + (r.transferSize || r.encodedBodySize), 0);
                 const shown = performance.getEntriesByName('search-results')[0];
                 const asked = performance.getEntriesByName('search-start')[0];
                 const marks = Object.fromEntries(performance.getEntriesByType('mark').map(m => [m.name, Math.round(m.startTime)]));
                 return {ms_to_results: shown && Math.round(shown.startTime),
                         ms_from_query: shown && asked && Math.round(shown.startTime - asked.startTime), marks, page: nav.transferSize, assets: sum(all) - sum(search), search: sum(search), files: search.length,
                         results: document.querySelectorAll('#search-results li').length,
                         first: (document.querySelector('#search-results h2') || {}).textContent};",
                vec![],
            )
            .await
            .expect("measure");
        println!("first search for {query}: {report}");
        let _ = client.close().await;
    });
    drop(children);
    // Log lines: `127.0.0.1 - - [date] "GET /path HTTP/1.1" 200 -`
    let log = std::fs::read_to_string(&log_path).unwrap_or_default();
    let (mut total, mut search, mut files) = (0u64, 0u64, 0usize);
    for line in log.lines().filter(|l| l.contains("\" 200 ")) {
        let Some(path) = line.split('"').nth(1).and_then(|r| r.split(' ').nth(1)) else {
            continue;
        };
        let path = path.split('?').next().unwrap_or(path);
        let mut file = std::path::Path::new(&site).join(path.trim_start_matches('/'));
        if path.ends_with('/') {
            file = file.join("index.html");
        }
        let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
        total += size;
        if path.starts_with("/pagefind/") {
            search += size;
            files += 1;
        }
    }
    println!("bytes sent by the server: {total} in all, {search} for search ({files} files under /pagefind/)");
}

struct Children(Vec<std::process::Child>);

impl Drop for Children {
    fn drop(&mut self) {
        for child in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Waits until something listens on `port` (the server and chromedriver take a moment).
fn wait_for_port(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "nothing listens on port {port} after 15 s"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}
