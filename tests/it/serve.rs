//! `serve` against a real server on an ephemeral port, and the incremental rebuild.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use gazette::pipeline::incremental::{Change, Preview, Update};
use gazette::pipeline::BuildOptions;
use gazette::serve::{start, Running, ServeOptions};

use crate::fixture::{front, Site};

pub struct Response {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

impl Response {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

/// A raw HTTP/1.1 request, so paths go out exactly as written (no client-side cleanup).
pub fn request(addr: SocketAddr, method: &str, path: &str) -> Response {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("head end");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .expect("status");
    Response {
        status,
        head,
        body: raw[split + 4..].to_vec(),
    }
}

pub fn sample_site() -> Site {
    let site = Site::new();
    site.article(
        "2022/08/a.md",
        &format!(
            "{}\ntags: [加装电梯]",
            front("电梯稿件", "2022-08-02", "community")
        ),
        "正文第一版。\n",
    );
    site.article(
        "2022/08/b.md",
        &front("会议稿件", "2022-08-01", "meetings"),
        "会议内容。\n",
    );
    site.article(
        "2022/08/c.md",
        &format!(
            "{}\ndraft: true",
            front("草稿稿件", "2022-08-02", "community")
        ),
        "未完成。\n",
    );
    site.article(
        "2099/01/future.md",
        &front("未来稿件", "2099-01-01", "meetings"),
        "定时发布。\n",
    );
    site
}

pub fn serve(site: &Site) -> Running {
    let build = BuildOptions {
        drafts: true,
        future: true,
        asset_hashes: false,
        ..BuildOptions::new(site.root())
    };
    start(ServeOptions {
        build,
        bind: Ipv4Addr::LOCALHOST.into(),
        port: 0,
        open: false,
        output_dir: Some(PathBuf::from("public")),
    })
    .expect("server starts")
}

#[test]
fn pages_come_from_memory_with_utf8_types() {
    let site = sample_site();
    let server = serve(&site);
    let home = request(server.addr, "GET", "/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert!(home.text().contains("电梯稿件"));
    assert!(home
        .text()
        .contains("<script src=\"/__gazette/live.js\" defer></script>"));

    let article = request(server.addr, "GET", "/2022/08/02/a/");
    assert!(article.text().contains("正文第一版"));
    for (path, mime) in [
        ("/style.css", "text/css; charset=utf-8"),
        ("/feed.xml", "application/atom+xml; charset=utf-8"),
        ("/rss.xml", "application/rss+xml; charset=utf-8"),
        ("/feed.json", "application/feed+json; charset=utf-8"),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        ("/__gazette/live.js", "text/javascript; charset=utf-8"),
    ] {
        let r = request(server.addr, "GET", path);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("content-type").as_deref(), Some(mime), "{path}");
    }
    // Pretty URLs: a folder without its slash is redirected to it.
    let r = request(server.addr, "GET", "/2022/08/02/a");
    assert_eq!(r.status, 301);
    assert_eq!(r.header("location").as_deref(), Some("/2022/08/02/a/"));
    // serve never writes into public/.
    assert!(!site.exists("public"));
}

#[test]
fn head_answers_without_a_body_and_other_methods_are_refused() {
    let site = sample_site();
    let server = serve(&site);
    let get = request(server.addr, "GET", "/");
    let head = request(server.addr, "HEAD", "/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(
        head.header("content-length"),
        Some(get.body.len().to_string())
    );
    for method in ["POST", "PUT", "DELETE"] {
        let r = request(server.addr, method, "/");
        assert_eq!(r.status, 405, "{method}");
        assert_eq!(r.header("allow").as_deref(), Some("GET, HEAD"));
    }
}

#[test]
fn no_path_leaves_the_site() {
    let site = sample_site();
    site.write("secret.txt", "TOP SECRET");
    let server = serve(&site);
    for path in [
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/sections/..%2f..%2fsecret.txt",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "//etc/passwd",
        "/content/2022/08/a.md",
        "/site.yaml",
    ] {
        let r = request(server.addr, "GET", path);
        assert!(r.status == 400 || r.status == 404, "{path}: {}", r.status);
        let body = r.text();
        assert!(
            !body.contains("TOP SECRET")
                && !body.contains("root:")
                && !body.contains("title: 测试时讯"),
            "{path} leaked"
        );
    }
}

#[test]
fn misses_get_the_themes_404_page() {
    let site = sample_site();
    site.build();
    let built = site.read("public/404.html");
    let server = serve(&site);
    let r = request(server.addr, "GET", "/no/such/page/");
    assert_eq!(r.status, 404);
    // The theme's page, not the server's fallback: its main block is the built one's.
    let main = |page: &str| -> String {
        let start = page.find("<main").expect("a <main> element");
        let end = page.find("</main>").expect("</main>");
        page[start..end].to_string()
    };
    assert_eq!(main(&r.text()), main(&built));
    assert!(r.text().contains("/__gazette/live.js"));
}

#[test]
fn drafts_and_scheduled_articles_are_shown_and_marked() {
    let site = sample_site();
    let server = serve(&site);
    let draft = request(server.addr, "GET", "/2022/08/02/c/");
    assert_eq!(draft.status, 200);
    assert!(draft.text().contains("草稿稿件") && draft.text().contains("草稿"));
    let future = request(server.addr, "GET", "/2099/01/01/future/");
    assert_eq!(future.status, 200);
    assert!(future.text().contains("定时发布"));
    // build leaves both out.
    site.build();
    assert!(!site.exists("public/2022/08/02/c/index.html"));
    assert!(!site.exists("public/2099/01/01/future/index.html"));
}

/// Polls until `check` passes or a few seconds go by.
pub fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(10) {
        if check() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("timed out waiting for: {what}");
}

/// The preview's live-reload event stream, read the way a browser tab reads it.
pub struct Events {
    stream: TcpStream,
    pending: Vec<u8>,
}

impl Events {
    /// Connects and waits for the server's hello: after it no rebuild can be missed.
    pub fn connect(addr: SocketAddr) -> Events {
        let mut stream = TcpStream::connect(addr).expect("connect");
        write!(
            stream,
            "GET /__gazette/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
        )
        .expect("send");
        let mut events = Events {
            stream,
            pending: Vec::new(),
        };
        let hello = events.next("the hello");
        assert_eq!(hello["kind"], "hello", "{hello}");
        events
    }

    /// The next event's JSON, or a panic naming `what` after ten seconds.
    pub fn next(&mut self, what: &str) -> serde_json::Value {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(event) = self.take_event() {
                return event;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(!left.is_zero(), "timed out waiting for {what}");
            self.stream
                .set_read_timeout(Some(left))
                .expect("read timeout");
            let mut buf = [0u8; 4096];
            match self.stream.read(&mut buf) {
                Ok(0) => panic!("the event stream closed while waiting for {what}"),
                Ok(n) => self.pending.extend_from_slice(&buf[..n]),
                Err(e) => panic!("no event while waiting for {what}: {e}"),
            }
        }
    }

    /// Skips events until one of `kind` arrives.
    pub fn next_of(&mut self, kind: &str, what: &str) -> serde_json::Value {
        loop {
            let event = self.next(what);
            if event["kind"] == kind {
                return event;
            }
        }
    }

    /// One `data:` line ends an event; chunk sizes and headers around it are not `data:`.
    fn take_event(&mut self) -> Option<serde_json::Value> {
        let start = self.pending.windows(6).position(|w| w == b"data: ")?;
        let end = start + self.pending[start..].iter().position(|&b| b == b'\n')?;
        let event = serde_json::from_slice(&self.pending[start + 6..end]).expect("event JSON");
        self.pending.drain(..=end);
        Some(event)
    }
}

#[test]
fn saved_edits_reach_the_served_site_and_errors_keep_the_last_good_one() {
    let site = sample_site();
    let server = serve(&site);
    let mut events = Events::connect(server.addr);
    site.article(
        "2022/08/a.md",
        &format!(
            "{}\ntags: [加装电梯]",
            front("电梯稿件", "2022-08-02", "community")
        ),
        "正文第二版。\n",
    );
    eventually("the edit to be served", || {
        request(server.addr, "GET", "/2022/08/02/a/")
            .text()
            .contains("正文第二版")
    });

    events.next_of("reload", "the rebuild of the first edit");
    // A broken save: the server reports the error, and the last good page stays.
    site.article(
        "2022/08/a.md",
        "title: 坏了\nsection: nowhere",
        "正文第三版。\n",
    );
    let error = events.next_of("error", "the broken save's error");
    assert!(
        error["error"].as_str().unwrap_or("").contains("a.md"),
        "{error}"
    );
    let page = request(server.addr, "GET", "/2022/08/02/a/").text();
    assert!(page.contains("正文第二版") && !page.contains("正文第三版"));

    // A new article while a.md is still broken: a build would fail, so the preview keeps
    // the last good site and still names a.md (the earlier failure is not forgotten).
    site.article(
        "2022/09/new.md",
        &front("新来的稿件", "2022-09-01", "community"),
        "新。\n",
    );
    let error = events.next_of("error", "the new article's rebuild");
    assert!(
        error["error"].as_str().unwrap_or("").contains("a.md"),
        "{error}"
    );
    assert_eq!(request(server.addr, "GET", "/2022/09/01/new/").status, 404);

    // Fixing a.md brings in both; then a delete.
    site.article(
        "2022/08/a.md",
        &front("电梯稿件", "2022-08-02", "community"),
        "正文第四版。\n",
    );
    eventually("the fix and the new article", || {
        request(server.addr, "GET", "/2022/09/01/new/").status == 200
    });
    // The fixed a.md may land in a later rebuild than the new article: wait for it too.
    eventually("the fixed article", || {
        request(server.addr, "GET", "/2022/08/02/a/")
            .text()
            .contains("正文第四版")
    });
    std::fs::remove_file(site.path("content/2022/08/b.md")).expect("rm");
    eventually("the delete", || {
        request(server.addr, "GET", "/2022/08/01/b/").status == 404
    });
}

/// A stylesheet save restyles the open page in place (a "css" event, no reload that would
/// lose the editor's scroll position); a story's save reloads it.
#[test]
fn a_stylesheet_save_restyles_and_a_story_save_reloads() {
    let site = sample_site();
    site.write("static/extra.css", "body { margin: 0 }\n");
    let server = serve(&site);
    let mut events = Events::connect(server.addr);
    site.write("static/extra.css", "body { margin: 1px }\n");
    let event = events.next("the stylesheet's rebuild");
    let stylesheets = |e: &serde_json::Value| {
        let paths = e["paths"].as_array().cloned().unwrap_or_default();
        !paths.is_empty()
            && paths
                .iter()
                .all(|p| p.as_str().is_some_and(|p| p.ends_with(".css")))
    };
    assert!(event["kind"] == "css" && stylesheets(&event), "{event}");
    site.article(
        "2022/08/b.md",
        &front("会议稿件", "2022-08-01", "meetings"),
        "会议内容改了。\n",
    );
    let event = events.next("the story's rebuild");
    assert_eq!(event["kind"], "reload", "{event}");
}

#[test]
fn a_burst_of_saves_ends_in_one_correct_site() {
    let site = sample_site();
    let server = serve(&site);
    for n in 0..100 {
        site.article(
            "2022/08/a.md",
            &front("电梯稿件", "2022-08-02", "community"),
            &format!("第{n}版。\n"),
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    eventually("the last save", || {
        request(server.addr, "GET", "/2022/08/02/a/")
            .text()
            .contains("第99版")
    });
    assert!(request(server.addr, "GET", "/").text().contains("电梯稿件"));
}

#[test]
fn the_watcher_survives_content_being_deleted_and_recreated() {
    let site = sample_site();
    let server = serve(&site);
    let mut events = Events::connect(server.addr);
    let moved = site.path("content-away");
    std::fs::rename(site.path("content"), &moved).expect("move out");
    // The server has seen the folder go (its rebuild reports something) before it comes back.
    events.next("the rebuild after content/ went away");
    std::fs::rename(&moved, site.path("content")).expect("move back");
    site.article(
        "2022/08/a.md",
        &front("电梯稿件", "2022-08-02", "community"),
        "回来了。\n",
    );
    eventually("edits after the folder came back", || {
        request(server.addr, "GET", "/2022/08/02/a/")
            .text()
            .contains("回来了")
    });
}

/// The preview after the editor saved `file` (site-relative), which it must accept.
fn saved(preview: &mut Preview, file: &str) -> Update {
    let change = Change::Content(vec![PathBuf::from(file)]);
    preview
        .apply(&change)
        .unwrap_or_else(|d| panic!("{file}: {d:?}"))
}

fn preview_of(site: &Site) -> Preview {
    Preview::new(BuildOptions {
        drafts: true,
        future: true,
        ..BuildOptions::new(site.root())
    })
    .expect("preview")
}

#[test]
fn a_body_edit_rerenders_only_the_pages_that_show_the_article() {
    let site = Site::new();
    for i in 0..12 {
        let section = if i % 2 == 0 { "community" } else { "meetings" };
        site.article(
            &format!("2022/08/a{i:02}.md"),
            &format!(
                "{}\ntags: [t{}]",
                front(
                    &format!("稿件{i}"),
                    &format!("2022-08-{:02}", i + 1),
                    section
                ),
                i % 3
            ),
            "正文。\n",
        );
    }
    let mut preview = preview_of(&site);
    let total_pages = preview
        .files()
        .keys()
        .filter(|k| k.ends_with(".html"))
        .count();
    let before = preview.files().clone();

    site.article(
        "2022/08/a00.md",
        &format!("{}\ntags: [t0]", front("稿件0", "2022-08-01", "community")),
        "改过的正文。\n",
    );
    let update = saved(&mut preview, "content/2022/08/a00.md");
    assert!(
        update.rendered > 0 && update.rendered < total_pages / 2,
        "rendered {} of {total_pages}",
        update.rendered
    );
    let page = "2022/08/01/a00/index.html";
    assert!(
        update.changed.contains(&page.to_string()),
        "{:?}",
        update.changed
    );
    assert!(String::from_utf8_lossy(&preview.files()[page]).contains("改过的正文"));
    // A page that does not show the article is untouched, and was not re-rendered.
    let other = "2022/08/12/a11/index.html";
    assert_eq!(before[other], preview.files()[other]);
    assert!(!update.changed.contains(&other.to_string()));

    // The same result as a full build.
    assert_same_files(&preview_of(&site), &preview);
}

/// The same paths with the same bytes: the preview after edits equals a fresh one.
fn assert_same_files(fresh: &Preview, edited: &Preview) {
    let paths = |p: &Preview| {
        p.files()
            .keys()
            .cloned()
            .collect::<std::collections::BTreeSet<_>>()
    };
    assert_eq!(paths(fresh), paths(edited), "the file sets differ");
    for (path, bytes) in fresh.files() {
        assert!(
            Some(bytes) == edited.files().get(path),
            "{path} differs from a fresh build"
        );
    }
}

#[test]
fn a_title_edit_reaches_the_listings_and_a_delete_removes_pages() {
    let site = sample_site();
    let mut preview = preview_of(&site);
    site.article(
        "2022/08/a.md",
        &format!(
            "{}\ntags: [加装电梯]",
            front("新标题", "2022-08-02", "community")
        ),
        "正文。\n",
    );
    let update = saved(&mut preview, "content/2022/08/a.md");
    for page in [
        "index.html",
        "sections/community/index.html",
        "tags/jia-zhuang-dian-ti/index.html",
        "editions/2022-08-02/index.html",
    ] {
        assert!(
            update.changed.contains(&page.to_string()),
            "{page} not updated: {:?}",
            update.changed
        );
        assert!(
            String::from_utf8_lossy(&preview.files()[page]).contains("新标题"),
            "{page}"
        );
    }
    assert!(update.changed.contains(&"feed.xml".to_string()));

    std::fs::remove_file(site.path("content/2022/08/a.md")).expect("rm");
    let update = saved(&mut preview, "content/2022/08/a.md");
    assert!(update
        .removed
        .contains(&"2022/08/02/a/index.html".to_string()));
    assert!(update
        .removed
        .contains(&"tags/jia-zhuang-dian-ti/index.html".to_string()));
    assert_same_files(&preview_of(&site), &preview);
}

/// A redirect page shows the headline of the story it leads to, so a headline edit in the
/// preview remakes it, as a build would.
#[test]
fn a_title_edit_reaches_the_redirect_pages_leading_to_it() {
    let site = sample_site();
    let story = |title: &str| {
        site.article(
            "2022/08/a.md",
            &format!(
                "{}\naliases: [/old/a/]",
                front(title, "2022-08-02", "community")
            ),
            "正文。\n",
        );
    };
    story("旧标题");
    let mut preview = preview_of(&site);
    let redirect = "old/a/index.html";
    assert!(String::from_utf8_lossy(&preview.files()[redirect]).contains("旧标题"));
    story("新标题");
    let update = saved(&mut preview, "content/2022/08/a.md");
    assert!(
        update.changed.contains(&redirect.to_string()),
        "{:?}",
        update.changed
    );
    assert!(String::from_utf8_lossy(&preview.files()[redirect]).contains("新标题"));
    assert_same_files(&preview_of(&site), &preview);
}

/// A file under content/ that is neither a story nor in a story's folder (an editor's
/// notes) is nothing to the site: saving it changes no page, as a build would ignore it.
#[test]
fn a_stray_file_in_content_changes_nothing() {
    let site = sample_site();
    let mut preview = preview_of(&site);
    site.write("content/2022/08/notes.txt", "记得问区里要数据。\n");
    let update = saved(&mut preview, "content/2022/08/notes.txt");
    assert!(
        update.changed.is_empty() && update.removed.is_empty(),
        "{update:?}"
    );
    assert_same_files(&preview_of(&site), &preview);
}

#[test]
fn a_template_change_rebuilds_everything() {
    let site = sample_site();
    let mut preview = preview_of(&site);
    site.write(
        "templates/404.html",
        "<!DOCTYPE html><title>x</title><p>新的404</p>",
    );
    let update = preview.apply(&Change::Everything).expect("apply");
    assert!(update.changed.contains(&"404.html".to_string()));
    assert_eq!(update.changed.len(), 1, "{:?}", update.changed);
}

#[test]
fn the_preview_keeps_its_search_index_up_to_date() {
    let site = sample_site();
    let server = serve(&site);
    let json = |path: &str| -> serde_json::Value {
        let r = request(server.addr, "GET", path);
        serde_json::from_slice(&r.body).unwrap_or_default()
    };
    // Pages in the main part and every merged part of the index.
    let pages = || -> u64 {
        let parts = json("/pagefind/parts.json");
        let names = ["recent", "older"].map(|list| parts[list].as_array().cloned());
        let folders = (names.into_iter().flatten().flatten())
            .filter_map(|p| p.as_str().map(String::from))
            .map(|p| format!("/pagefind/parts/{p}/"));
        (std::iter::once("/pagefind/".to_string()).chain(folders))
            .map(|folder| json(&format!("{folder}pagefind-entry.json")))
            .map(|entry| {
                entry["languages"].as_object().map_or(0, |l| {
                    l.values()
                        .map(|v| v["page_count"].as_u64().unwrap_or(0))
                        .sum()
                })
            })
            .sum()
    };
    // Drafts and scheduled stories are in the preview, and so in its index.
    eventually("the first index", || pages() == 4);
    site.article(
        "2022/09/new.md",
        &front("新来的稿件", "2022-09-01", "community"),
        "新。\n",
    );
    eventually("the index to include the new article", || pages() == 5);
}

/// No file changes when a scheduled story's time comes, yet a build would then show it
/// without its mark: the preview keeps a clock and reloads the browser by itself.
#[test]
fn a_scheduled_story_loses_its_mark_when_its_time_comes() {
    let site = sample_site();
    let soon = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(3);
    let date = soon.strftime("%Y-%m-%dT%H:%M:%S+00:00").to_string();
    site.article(
        "soon.md",
        &format!("title: 即将发布的报道\nreporter: 杨宜锦\ndate: {date}\nsection: community"),
        "正文。\n",
    );
    let server = serve(&site);
    let mut events = Events::connect(server.addr);
    // The site's time zone (the fixture's Asia/Shanghai) decides the date in the URL.
    let local = soon.in_tz("Asia/Shanghai").expect("time zone");
    let url = format!("/{}/soon/", local.strftime("%Y/%m/%d"));
    let before = request(server.addr, "GET", &url);
    assert_eq!(before.status, 200);
    assert!(
        before.text().contains("badge-scheduled"),
        "marked while scheduled"
    );

    events.next_of("reload", "the clock's rebuild when the story's time comes");
    let after = request(server.addr, "GET", &url).text();
    assert!(after.contains("即将发布的报道"), "{after}");
    assert!(
        !after.contains("badge-scheduled"),
        "still marked as scheduled"
    );
}
