//! The bulletin theme in a real browser on the built sample site, served by a plain static
//! file server: layout at phone and desktop widths, axe-core accessibility, page weight.
//!
//! Screenshots go to `target/tmp/screenshots/` (regenerate: `cargo test --test integration theme`).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[cfg(feature = "browser-tests")]
use crate::browser::{browser, phone_browser};

/// The sample site in this repo, built into a temporary folder.
pub fn built_sample() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tmp");
    let public = build_into(Path::new(env!("CARGO_MANIFEST_DIR")), &dir);
    (dir, public)
}

/// `gazette build` of the site at `root` into `dir/site`, asserting success.
fn build_into(root: &Path, dir: &tempfile::TempDir) -> PathBuf {
    let public = dir.path().join("site");
    let run = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(&public)
        .output()
        .expect("build");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    public
}

/// Python's `http.server`: a plain static host, nothing Gazette-specific.
pub struct StaticServer {
    child: Child,
    pub base: String,
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn static_server(dir: &Path) -> StaticServer {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("port");
    let child = Command::new("python3")
        .args([
            "-m",
            "http.server",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--directory",
        ])
        .arg(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3 http.server");
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "static server did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    StaticServer {
        child,
        base: format!("http://127.0.0.1:{port}"),
    }
}

const PAGES: &[(&str, &str)] = &[
    ("front", "/"),
    ("article", "/2022/08/02/jinmangguo-elevators/"),
    ("section", "/sections/community/"),
    ("edition", "/editions/2022-08-02/"),
];

#[cfg(feature = "browser-tests")]
#[test]
fn pages_fit_phones_and_desktops_with_the_headline_above_the_fold() {
    let b = browser();
    let (_dir, public) = built_sample();
    let server = static_server(&public);
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    for width in [375u32, 1280] {
        b.runtime
            .block_on(b.client.set_window_size(width, 900))
            .expect("resize");
        for (name, path) in PAGES {
            b.goto(&format!("{}{path}", server.base));
            b.wait_for("the page", "document.readyState === 'complete'");
            b.screenshot(&shots.join(format!("{name}-{width}.png")));
            let overflow = b.js("return document.documentElement.scrollWidth - window.innerWidth;");
            assert!(
                overflow.as_i64().unwrap_or(1) <= 0,
                "{name} at {width}px scrolls sideways by {overflow}px"
            );
            let masthead = b.js("const r = document.querySelector('.masthead .site-title').getBoundingClientRect(); return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;");
            assert_eq!(
                masthead,
                serde_json::json!(true),
                "{name} at {width}px: masthead not visible"
            );
            let headline = b.js("const h = document.querySelector('main h1, main h2'); return h ? h.getBoundingClientRect().top : 99999;");
            assert!(
                headline.as_f64().unwrap_or(99999.0) < 900.0,
                "{name} at {width}px: headline below the fold ({headline})"
            );
        }
    }
}

#[cfg(feature = "browser-tests")]
/// axe-core's script: from GAZETTE_AXE_JS (set by .ci/run) or .ci/node_modules.
fn axe_js() -> Option<String> {
    let candidates = [
        std::env::var("GAZETTE_AXE_JS").ok().map(PathBuf::from),
        Some(Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/node_modules/axe-core/axe.min.js")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|p| p.exists())
        .and_then(|p| std::fs::read_to_string(p).ok())
}

#[cfg(feature = "browser-tests")]
#[test]
fn every_sample_page_passes_axe_core_without_serious_violations() {
    let axe = axe_js();
    crate::publishing::required(
        "axe-core (npm install --prefix .ci axe-core)",
        axe.is_some(),
    );
    let axe = axe.unwrap_or_default();
    let b = browser();
    let (_dir, public) = built_sample();
    let server = static_server(&public);
    let pages: Vec<String> = walkdir::WalkDir::new(&public)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "index.html" || e.file_name() == "404.html")
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(&public)
                .expect("prefix")
                .to_string_lossy()
                .replace('\\', "/");
            format!("/{}", rel.trim_end_matches("index.html"))
        })
        .collect();
    assert!(pages.len() > 50, "only {} pages", pages.len());
    let mut problems = Vec::new();
    for page in &pages {
        b.goto(&format!("{}{page}", server.base));
        b.js(&format!("{axe}\nreturn true;"));
        let result = b.runtime.block_on(b.client.execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations
               .filter(v => v.impact === 'serious' || v.impact === 'critical')
               .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))));",
            Vec::new(),
        ));
        let violations = result.expect("axe ran");
        for v in violations.as_array().into_iter().flatten() {
            problems.push(format!("{page}: {v}"));
        }
    }
    assert!(
        problems.is_empty(),
        "axe-core found serious or critical violations:\n{}",
        problems.join("\n")
    );
}

#[test]
fn an_article_page_with_its_css_weighs_under_40_kb() {
    let (_dir, public) = built_sample();
    let html = std::fs::metadata(public.join("2022/08/02/jinmangguo-elevators/index.html"))
        .expect("page")
        .len();
    let css = std::fs::metadata(public.join("style.css"))
        .expect("css")
        .len();
    assert!(
        html + css < 40 * 1024,
        "article page {html} B + CSS {css} B = {} B",
        html + css
    );
    // Nothing is fetched from other hosts.
    let page = std::fs::read_to_string(public.join("2022/08/02/jinmangguo-elevators/index.html"))
        .expect("page");
    for attr in ["src=\"http", "href=\"//", "src=\"//", "@import"] {
        assert!(!page.contains(attr), "external asset: {attr}");
    }
    let stylesheet = std::fs::read_to_string(public.join("style.css")).expect("css");
    assert!(
        !stylesheet.contains("url(http") && !stylesheet.contains("@font-face"),
        "web fonts or remote assets in CSS"
    );
}

/// The sample site with the elevator story's cover replaced by a full camera photo.
fn sample_with_camera_photo() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path().join("src");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for entry in walkdir::WalkDir::new(repo.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
    {
        let rel = entry.path().strip_prefix(repo).expect("prefix");
        std::fs::create_dir_all(root.join(rel).parent().expect("parent")).expect("mkdir");
        std::fs::copy(entry.path(), root.join(rel)).expect("copy");
    }
    std::fs::copy(repo.join("site.yaml"), root.join("site.yaml")).expect("site.yaml");
    std::fs::write(
        root.join("content/2022/08/jinmangguo-elevators/elevator.jpg"),
        crate::photos::camera_photo(4000, 3000),
    )
    .expect("photo");
    let public = build_into(&root, &dir);
    (dir, public)
}

/// Bytes a page cost the browser: the document and every resource, from resource timing
/// (transfer sizes, headers included), once the load event has fired.
const DOWNLOADED: &str = "const nav = performance.getEntriesByType('navigation')[0]; \
    return performance.getEntriesByType('resource').reduce((sum, r) => sum + r.transferSize, nav.transferSize);";

#[cfg(feature = "browser-tests")]
#[test]
fn on_a_phone_an_article_with_a_camera_photo_and_the_front_page_stay_light() {
    let (_dir, public) = sample_with_camera_photo();
    let server = static_server(&public);
    for (name, path, budget) in [
        ("article", "/2022/08/02/jinmangguo-elevators/", 250 * 1024),
        ("front page", "/", 500 * 1024),
    ] {
        // A fresh browser per page: its cache is empty, as for a reader arriving there first.
        let b = phone_browser(375, 2.0);
        b.goto(&format!("{}{path}", server.base));
        b.wait_for("the page and its images", "document.readyState === 'complete' && [...document.images].every(i => i.loading === 'lazy' || i.complete)");
        let bytes = b.js(DOWNLOADED).as_f64().expect("bytes") as u64;
        let photo =
            b.js("const i = document.querySelector('.cover img'); return i ? i.currentSrc : '';");
        eprintln!("{name} at 375 px, DPR 2: {bytes} B, cover {photo}");
        assert!(
            photo.as_str().is_some_and(|s| s.ends_with(".webp")),
            "{name}: the cover should come from the WebP srcset, got {photo}"
        );
        assert!(bytes > 1000, "{name}: resource timing measured nothing");
        assert!(
            bytes <= budget,
            "{name} downloads {bytes} B at 375 px, DPR 2; the budget is {budget} B"
        );
    }
}
