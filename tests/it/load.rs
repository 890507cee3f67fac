//! `serve` under load and faults: 200 concurrent clients fetching pages while articles
//! change underneath, with clients that send garbage or hang up mid-response among them.
//! Counts are bounded and the test stops by itself; it targets loopback only.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::fixture::{front, Site};
use crate::serve::{request, serve};

const CLIENTS: usize = 200;
const REQUESTS_EACH: usize = 15;

fn garbage(addr: SocketAddr, n: usize) {
    if let Ok(mut s) = TcpStream::connect(addr) {
        let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
        let junk: &[u8] = match n % 4 {
            0 => b"\x00\x01\x02\xff\xfe garbage\r\n\r\n",
            1 => b"GET /", // never finished
            2 => b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\nabc",
            _ => b"GET /2022/08/02/a0/ HTTP/1.1\r\nHost: x\r\n\r\n", // hangs up mid-response
        };
        let _ = s.write_all(junk);
        let mut buf = [0u8; 64];
        let _ = s.read(&mut buf); // read a little, then drop the connection
    }
}

#[test]
fn two_hundred_clients_while_files_change_and_bad_clients_misbehave() {
    let site = Site::new();
    for i in 0..20 {
        site.article(
            &format!("2022/08/a{i}.md"),
            &format!(
                "{}\ntags: [标签{}]",
                front(&format!("稿件{i}"), "2022-08-02", "community"),
                i % 4
            ),
            &"正文。".repeat(200),
        );
    }
    let server = serve(&site);
    let addr = server.addr;
    let stop = Arc::new(AtomicBool::new(false));

    // An editor saving every 20 ms throughout.
    let editor = {
        let stop = Arc::clone(&stop);
        let root = site.root().to_path_buf();
        std::thread::spawn(move || {
            let mut n = 0;
            while !stop.load(Ordering::SeqCst) && n < 2_000 {
                let text = format!(
                    "---\n{}\n---\n第{n}次保存。\n",
                    front("稿件0", "2022-08-02", "community")
                );
                let _ = std::fs::write(root.join("content/2022/08/a0.md"), text);
                n += 1;
                std::thread::sleep(Duration::from_millis(20));
            }
            n
        })
    };

    let ok = Arc::new(AtomicUsize::new(0));
    let failed = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let paths = [
        "/",
        "/2022/08/02/a0/",
        "/2022/08/02/a7/",
        "/sections/community/",
        "/tags/",
        "/style.css",
        "/feed.xml",
        "/no/such/",
    ];
    let clients: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let (ok, failed) = (Arc::clone(&ok), Arc::clone(&failed));
            std::thread::spawn(move || {
                for r in 0..REQUESTS_EACH {
                    if c % 10 == 0 && r % 5 == 0 {
                        garbage(addr, c + r);
                        continue;
                    }
                    let path = paths[(c + r) % paths.len()];
                    let resp = request(addr, "GET", path);
                    let expected = if path == "/no/such/" { 404 } else { 200 };
                    let complete = resp
                        .header("content-length")
                        .and_then(|l| l.parse::<usize>().ok())
                        == Some(resp.body.len());
                    if resp.status == expected && complete {
                        ok.fetch_add(1, Ordering::SeqCst);
                    } else {
                        failed.fetch_add(1, Ordering::SeqCst);
                    }
                }
            })
        })
        .collect();
    for c in clients {
        c.join().expect("client thread");
    }
    let elapsed = started.elapsed();
    stop.store(true, Ordering::SeqCst);
    let saves = editor.join().expect("editor thread");
    let (ok, failed) = (ok.load(Ordering::SeqCst), failed.load(Ordering::SeqCst));
    eprintln!(
        "load: {CLIENTS} clients, {ok} requests ok, {failed} failed, {saves} saves, {:.2} s ({:.0} requests/s)",
        elapsed.as_secs_f64(),
        ok as f64 / elapsed.as_secs_f64()
    );
    assert_eq!(failed, 0, "{failed} requests failed");
    assert!(
        ok >= CLIENTS * REQUESTS_EACH * 9 / 10,
        "only {ok} requests succeeded"
    );
    // The server still answers, with the last save.
    crate::serve::eventually("the last save", || {
        request(addr, "GET", "/2022/08/02/a0/")
            .text()
            .contains(&format!("第{}次保存", saves - 1))
    });
}
