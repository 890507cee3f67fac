//! `serve` against a real server on an ephemeral port, and the incremental rebuild.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use gazette::pipeline::incremental::{Change, Preview};
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
    let server = serve(&site);
    let r = request(server.addr, "GET", "/no/such/page/");
    assert_eq!(r.status, 404);
    let expected = std::fs::read_to_string(format!(
        "{}/themes/bulletin/templates/404.html",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("theme");
    assert!(expected.contains("404"));
    assert!(r.text().contains("<html"), "{}", r.text());
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

#[test]
fn saved_edits_reach_the_served_site_and_errors_keep_the_last_good_one() {
    let site = sample_site();
    let server = serve(&site);
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

    // A broken save: the last good page stays.
    site.article(
        "2022/08/a.md",
        "title: 坏了\nsection: nowhere",
        "正文第三版。\n",
    );
    std::thread::sleep(Duration::from_millis(600));
    let page = request(server.addr, "GET", "/2022/08/02/a/").text();
    assert!(page.contains("正文第二版") && !page.contains("正文第三版"));

    // New files and deletes, including a folder moved in.
    site.article(
        "2022/09/new.md",
        &front("新来的稿件", "2022-09-01", "community"),
        "新。\n",
    );
    eventually("the new article", || {
        request(server.addr, "GET", "/2022/09/01/new/").status == 200
    });
    std::fs::remove_file(site.path("content/2022/08/b.md")).expect("rm");
    // a.md is still broken, so the build fails until it is fixed:
    site.article(
        "2022/08/a.md",
        &front("电梯稿件", "2022-08-02", "community"),
        "正文第四版。\n",
    );
    eventually("the delete", || {
        request(server.addr, "GET", "/2022/08/01/b/").status == 404
    });
    // The fixed a.md may land in a later rebuild than the delete: wait for it too.
    eventually("the fixed article", || {
        request(server.addr, "GET", "/2022/08/02/a/")
            .text()
            .contains("正文第四版")
    });
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
    let moved = site.path("content-away");
    std::fs::rename(site.path("content"), &moved).expect("move out");
    std::thread::sleep(Duration::from_millis(400));
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
    let update = preview
        .apply(&Change::Content(vec![PathBuf::from(
            "content/2022/08/a00.md",
        )]))
        .expect("apply");
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
    let full = preview_of(&site);
    for (path, bytes) in full.files() {
        assert_eq!(
            Some(bytes),
            preview.files().get(path),
            "{path} differs from a full build"
        );
    }
    assert_eq!(full.files().len(), preview.files().len());
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
    let update = preview
        .apply(&Change::Content(vec![PathBuf::from(
            "content/2022/08/a.md",
        )]))
        .expect("apply");
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
    let update = preview
        .apply(&Change::Content(vec![PathBuf::from(
            "content/2022/08/a.md",
        )]))
        .expect("apply");
    assert!(update
        .removed
        .contains(&"2022/08/02/a/index.html".to_string()));
    assert!(update
        .removed
        .contains(&"tags/jia-zhuang-dian-ti/index.html".to_string()));
    let full = preview_of(&site);
    assert_eq!(full.files().len(), preview.files().len());
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
    let pages = || -> u64 {
        let r = request(server.addr, "GET", "/pagefind/pagefind-entry.json");
        if r.status != 200 {
            return 0;
        }
        let entry: serde_json::Value = serde_json::from_slice(&r.body).unwrap_or_default();
        entry["languages"].as_object().map_or(0, |l| {
            l.values()
                .map(|v| v["page_count"].as_u64().unwrap_or(0))
                .sum()
        })
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
