//! `gazette build` end to end: pages, listings, Markdown rules, writing behaviour.

use crate::fixture::{front, snapshot, Site};

fn three_articles() -> Site {
    let site = Site::new();
    site.article(
        "2022/08/elevators.md",
        &format!("{}\nkicker: 提升社区治理能力\nsubtitle: 新郑这里着力打造和谐幸福社区\ncorrespondent: 马瑞萍\ntags: [加装电梯, 老旧小区]\ndateline: 本报讯", front("金芒果花苑小区22栋楼用上电梯", "2022-08-02", "community")),
        "金芒果花苑小区60岁以上的居民\n比例超过70%，上下楼梯不便。\n\nLatin words\nstay apart.\n\n## 四字诀\n\n|项目|数量|\n|-|-|\n|电梯|22|\n",
    );
    site.article(
        "2022/08/meeting.md",
        &format!(
            "{}\ntags: [擂台赛]",
            front("第二季度擂台赛观摩点评会议召开", "2022-08-02", "meetings")
        ),
        "会议通报了考评结果。详见[电梯报道](elevators.md)。\n",
    );
    site.article(
        "2022/07/earlier.md",
        &front("早前的社区新闻", "2022-07-30", "community"),
        "旧闻。\n",
    );
    site
}

#[test]
fn every_page_type_is_written_with_its_content() {
    let site = three_articles();
    let run = site.build();
    assert!(run.stderr.contains("Built 3 articles"), "{}", run.stderr);

    let article = site.read("public/2022/08/02/elevators/index.html");
    assert!(article.contains("金芒果花苑小区22栋楼用上电梯"));
    assert!(
        article.contains("提升社区治理能力") && article.contains("新郑这里着力打造和谐幸福社区")
    );
    assert!(article.contains("马瑞萍"));
    assert!(article.contains("<span class=\"dateline\">本报讯</span>"));
    assert!(article.contains("<table>"));
    assert!(article.contains("id=\"si-zi-jue\""));

    let home = site.read("public/index.html");
    assert!(home.contains("第二季度擂台赛观摩点评会议召开") && home.contains("早前的社区新闻"));

    let section = site.read("public/sections/community/index.html");
    assert!(section.contains("金芒果花苑小区22栋楼用上电梯") && section.contains("早前的社区新闻"));
    assert!(!section.contains("第二季度擂台赛观摩点评会议召开"));

    let person = site.read("public/people/yang-yijin/index.html");
    assert!(person.contains("杨宜锦") && person.contains("跑社区口的记者"));
    assert!(site
        .read("public/people/ma-rui-ping/index.html")
        .contains("金芒果花苑小区22栋楼用上电梯"));
    assert!(site.read("public/people/index.html").contains("马瑞萍"));

    let tag = site.read("public/tags/jia-zhuang-dian-ti/index.html");
    assert!(tag.contains("金芒果花苑小区22栋楼用上电梯") && !tag.contains("早前的社区新闻"));
    assert!(site.read("public/tags/index.html").contains("擂台赛"));

    let edition = site.read("public/editions/2022-08-02/index.html");
    assert!(edition.contains("社区治理") && edition.contains("会议报道"));
    assert!(
        edition.contains("第二季度擂台赛观摩点评会议召开") && !edition.contains("早前的社区新闻")
    );

    let archive = site.read("public/archive/index.html");
    assert!(archive.contains("archive/2022/08/") && archive.contains("archive/2022/07/"));
    assert!(site
        .read("public/archive/2022/07/index.html")
        .contains("早前的社区新闻"));

    // The live-reload script belongs to `serve` only.
    assert!(!article.contains("__gazette") && !home.contains("__gazette"));
    for f in [
        "search/index.html",
        "404.html",
        "feed.xml",
        "rss.xml",
        "feed.json",
        "sitemap.xml",
        "news-sitemap.xml",
        "robots.txt",
        "sections/community/feed.xml",
        "style.css",
    ] {
        assert!(site.exists(&format!("public/{f}")), "missing {f}");
    }
}

#[test]
fn chinese_soft_breaks_join_and_latin_ones_stay() {
    let site = three_articles();
    site.build();
    let html = site.read("public/2022/08/02/elevators/index.html");
    assert!(html.contains("60岁以上的居民比例超过70%"), "{html}");
    assert!(html.contains("Latin words\nstay apart."));
}

#[test]
fn links_to_other_articles_become_their_urls() {
    let site = three_articles();
    site.build();
    let html = site.read("public/2022/08/02/meeting/index.html");
    assert!(
        html.contains("<a href=\"../../../../2022/08/02/elevators/\">电梯报道</a>"),
        "{html}"
    );
}

/// Addresses on other sites are not the build's to check: they go out as written, next to
/// a same-page jump, while a missing file of the site's own is an error.
#[test]
fn links_elsewhere_are_left_as_written() {
    let site = three_articles();
    site.article(
        "2022/08/notice.md",
        &front("区政府发布通知", "2022-08-04", "community"),
        "详见[通知原文](https://www.example.gov.cn/notice?id=1)和[附表](#fu-biao)。\n\n## 附表\n",
    );
    site.build();
    let html = site.read("public/2022/08/04/notice/index.html");
    assert!(
        html.contains("href=\"https://www.example.gov.cn/notice?id=1\""),
        "{html}"
    );
    assert!(html.contains("href=\"#fu-biao\""), "{html}");
}

#[test]
fn pagination_splits_long_listings() {
    let site = Site::new();
    for d in 1..=5 {
        site.article(
            &format!("2022/08/a{d}.md"),
            &front(&format!("第{d}条"), &format!("2022-08-0{d}"), "community"),
            "正文。\n",
        );
    }
    site.build();
    // paginate: 2 → 3 pages, newest first.
    let p1 = site.read("public/sections/community/index.html");
    let p3 = site.read("public/sections/community/page/3/index.html");
    assert!(p1.contains("第5条") && p1.contains("第4条") && !p1.contains("第3条"));
    assert!(p3.contains("第1条"));
    assert!(!site.exists("public/sections/community/page/4/index.html"));
    assert!(site.exists("public/people/yang-yijin/page/3/index.html"));
}

#[test]
fn script_in_a_title_renders_as_text() {
    let site = Site::new();
    site.article(
        "a.md",
        &front("\"<script>alert(1)</script>\"", "2022-08-02", "community"),
        "正文。\n",
    );
    site.build();
    for page in [
        "public/2022/08/02/a/index.html",
        "public/index.html",
        "public/sections/community/index.html",
    ] {
        let html = site.read(page);
        assert!(!html.contains("<script>alert(1)"), "{page} is not escaped");
        assert!(html.contains("&lt;script&gt;alert(1)"), "{page}");
    }
    assert!(!site.read("public/feed.xml").contains("<script>alert"));
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = Site::new();
    site.article(
        "a.md",
        &front("正式稿件", "2022-08-02", "community"),
        "正文。\n",
    );
    site.article(
        "b.md",
        &format!(
            "{}\ndraft: true",
            front("草稿稿件", "2022-08-02", "community")
        ),
        "正文。\n",
    );
    let run = site.build();
    assert!(run.stderr.contains("; 1 draft left out"), "{}", run.stderr);
    assert!(!site.exists("public/2022/08/02/b/index.html"));
    assert!(!site.read("public/index.html").contains("草稿稿件"));
    assert!(!site.read("public/feed.xml").contains("草稿稿件"));
    assert!(!site.read("public/sitemap.xml").contains("/b/"));
    let run = site.run(&["build", "--drafts"]);
    assert_eq!(run.code, 0);
    assert!(site
        .read("public/2022/08/02/b/index.html")
        .contains("草稿稿件"));
}

#[test]
fn bundles_publish_their_photos_as_sized_derivatives() {
    let site = Site::new();
    site.article(
        "2022/08/lift/index.md",
        &format!(
            "{}\nimage: lift.png\nimage_caption: 新电梯",
            front("电梯", "2022-08-02", "community")
        ),
        "![电梯井](lift.png \"新装的电梯\")\n",
    );
    site.write_bytes("content/2022/08/lift/lift.png", &png(40, 30));
    site.write_bytes("content/2022/08/lift/notes.pdf", b"%PDF-1.4");
    site.build();
    // The original stays private; other bundle files are published as they are.
    assert!(!site.exists("public/2022/08/02/lift/lift.png"));
    assert!(site.exists("public/2022/08/02/lift/notes.pdf"));
    assert!(site.exists("public/2022/08/02/lift/lift-40.webp"));
    let html = site.read("public/2022/08/02/lift/index.html");
    assert!(html.contains("<figure><picture><source type=\"image/webp\" srcset=\"lift-40.webp 40w\" sizes=\"(max-width: 42rem) 100vw, 40.5rem\"><img src=\"lift-card.jpg\" alt=\"电梯井\" width=\"40\" height=\"30\" decoding=\"async\"></picture><figcaption>新装的电梯</figcaption></figure>"), "{html}");
}

/// A valid PNG of the given size: grey pixels.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_pixel(width, height, image::Rgb([128, 128, 128]))
        .write_to(&mut out, image::ImageFormat::Png)
        .expect("png");
    out.into_inner()
}

#[test]
fn a_second_build_with_no_change_rewrites_nothing() {
    let site = three_articles();
    site.build();
    let mtimes = || -> Vec<(std::path::PathBuf, std::time::SystemTime)> {
        walkdir::WalkDir::new(site.path("public"))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                (
                    e.path().to_path_buf(),
                    e.metadata().expect("meta").modified().expect("mtime"),
                )
            })
            .collect()
    };
    let before = mtimes();
    std::thread::sleep(std::time::Duration::from_millis(20));
    // Nothing changed: the fingerprint matches and the build does nothing.
    let run = site.build();
    assert!(
        run.stderr.contains("Nothing changed since the last build"),
        "{}",
        run.stderr
    );
    assert_eq!(before, mtimes());
    // A file saved again with the same text: everything is rendered, nothing rewritten.
    let text = site.read("content/2022/08/meeting.md");
    site.write("content/2022/08/meeting.md", &text);
    let run = site.build();
    assert!(
        run.stderr.contains(" files: 0 written, ") && run.stderr.contains(" unchanged, 0 removed)"),
        "{}",
        run.stderr
    );
    // Unchanged files are hard-linked into the new site: their times stay.
    assert_eq!(before, mtimes());
    // A file deleted from the output by hand is noticed.
    std::fs::remove_file(site.path("public/robots.txt")).expect("rm");
    site.build();
    assert!(site.exists("public/robots.txt"));
}

/// `--timings` is how a slow build is diagnosed: every stage gets its own line, in order.
#[test]
fn timings_name_every_stage_in_order() {
    let site = three_articles();
    let run = site.run(&["build", "--timings"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let stages: Vec<&str> = (run.stderr.lines())
        .filter(|l| l.ends_with(" ms"))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    let expected = [
        "load+validate",
        "model",
        "markdown",
        "render",
        "outputs",
        "search",
        "write",
    ];
    assert_eq!(stages, expected, "{}", run.stderr);
}

/// The pages `--timings` says were rendered and kept.
fn rendered_and_kept(site: &Site) -> (usize, usize) {
    let run = site.run(&["build", "--timings"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let line = (run.stderr.lines())
        .find_map(|l| l.trim().strip_prefix("pages "))
        .unwrap_or_else(|| panic!("no pages line:\n{}", run.stderr));
    let numbers: Vec<usize> = (line.split_whitespace())
        .filter_map(|w| w.trim_end_matches(',').parse().ok())
        .collect();
    (numbers[0], numbers[1])
}

/// A rebuild renders only the pages that showed the edited story; the rest are taken
/// from the live site. A page gone from it, a template edit or a site.yaml edit make
/// the pages again.
#[test]
fn a_rebuild_renders_only_the_pages_an_edit_touches() {
    let site = three_articles();
    let (rendered, kept) = rendered_and_kept(&site);
    assert_eq!(kept, 0, "a first build renders every page");
    let pages = rendered;
    let elevators = "public/2022/08/02/elevators/index.html";
    site.article(
        "2022/07/earlier.md",
        &front("早前的社区新闻", "2022-07-30", "community"),
        "改过的旧闻。\n",
    );
    let (rendered, kept) = rendered_and_kept(&site);
    // Its page and its neighbour's, its section, reporter and edition pages, the month,
    // and the six pages that are always made (home, indexes, search, 404). The other
    // story's page, its section and the tag pages are kept.
    assert!(kept >= 5, "{rendered} rendered, {kept} kept");
    assert_eq!(rendered + kept, pages);
    assert!(site
        .read("public/2022/07/30/earlier/index.html")
        .contains("改过的旧闻"));
    assert!(site.read(elevators).contains("金芒果花苑小区"));
    // Gone or changed by hand: made again, though nothing it shows changed.
    std::fs::remove_file(site.path(elevators)).expect("rm");
    let (rendered, _) = rendered_and_kept(&site);
    assert!(rendered <= 7, "{rendered} of {pages} rendered");
    assert!(site.read(elevators).contains("金芒果花苑小区"));
    std::thread::sleep(std::time::Duration::from_millis(20)); // a later file time
    site.write(elevators, "edited by hand");
    // The no-op check does not look inside the output: something else must change.
    let meeting = site.read("content/2022/08/meeting.md");
    site.write(
        "content/2022/08/meeting.md",
        &format!("{meeting}\n补记。\n"),
    );
    rendered_and_kept(&site);
    assert!(site.read(elevators).contains("金芒果花苑小区"));
    // Every article page uses this template: none may be kept.
    let template = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/themes/bulletin/templates/article.html"
    ))
    .expect("template");
    let end = "{%- endblock main %}";
    site.write(
        "templates/article.html",
        &template.replace(end, &format!("<!-- 改版 -->{end}")),
    );
    assert_eq!(rendered_and_kept(&site), (pages, 0));
    assert!(site.read(elevators).contains("<!-- 改版 -->"));
    let yaml = site
        .read("site.yaml")
        .replace("title: 测试时讯", "title: 改名时讯");
    site.write("site.yaml", &yaml);
    assert_eq!(rendered_and_kept(&site), (pages, 0));
    assert!(site.read(elevators).contains("改名时讯"));
}

/// A binary rebuilt with other code keeps its version number: the no-op check and the
/// record of pages must know it by its file, or the new code would never run.
#[test]
fn another_gazette_binary_builds_every_page_again() {
    let site = three_articles();
    let binary = site.path("gazette-copy");
    std::fs::copy(env!("CARGO_BIN_EXE_gazette"), &binary).expect("copy the binary");
    let build = |args: &[&str]| {
        let out = std::process::Command::new(&binary)
            .args(args)
            .env("GAZETTE_LANG", "en")
            .current_dir(site.root())
            .output()
            .expect("run the copy");
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    build(&["build"]);
    assert!(build(&["build"]).contains("Nothing changed"));
    let file = std::fs::File::options()
        .write(true)
        .open(&binary)
        .expect("open");
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(60);
    file.set_modified(later).expect("set the time");
    drop(file);
    let again = build(&["build", "--timings"]);
    assert!(again.contains(" 0 kept"), "{again}");
}

#[test]
fn stale_files_are_removed_after_an_article_goes() {
    let site = three_articles();
    site.build();
    assert!(site.exists("public/2022/07/30/earlier/index.html"));
    std::fs::remove_file(site.path("content/2022/07/earlier.md")).expect("rm");
    let run = site.build();
    assert!(!site.exists("public/2022/07/30/earlier/index.html"));
    assert!(!site.exists("public/archive/2022/07"));
    assert!(!run.stderr.contains(" 0 removed"), "{}", run.stderr);
}

#[test]
fn a_failed_build_leaves_the_previous_output_byte_for_byte() {
    let site = three_articles();
    site.build();
    let before = snapshot(&site.path("public"));
    site.article(
        "2022/08/broken.md",
        "title: 坏稿\ndate: 2022-13-45\nsection: community\nreporter: 杨宜锦",
        "x\n",
    );
    site.article(
        "2022/08/elevators.md",
        &front("改过的标题", "2022-08-02", "community"),
        "新正文。\n",
    );
    let stderr = site.build_fails();
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(before, snapshot(&site.path("public")));
}

#[test]
fn output_folder_not_made_by_gazette_is_refused() {
    let site = three_articles();
    site.write("mine/notes.txt", "my own file");
    let run = site.run(&["build", "--output", "mine"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("not made by Gazette"), "{}", run.stderr);
    assert_eq!(site.read("mine/notes.txt"), "my own file");
    for bad in [".", "content", "content/x", "/"] {
        let run = site.run(&["build", "--output", bad]);
        assert_eq!(run.code, 1, "--output {bad} was accepted");
        assert!(run.stderr.contains("refusing"), "{}", run.stderr);
    }
}

#[test]
fn site_templates_override_the_theme_by_name() {
    let site = three_articles();
    site.write(
        "templates/404.html",
        "<!DOCTYPE html><title>x</title><p>自定义的404页面</p>",
    );
    site.write("static/style.css", "body{color:red}");
    site.build();
    assert!(site.read("public/404.html").contains("自定义的404页面"));
    assert_eq!(site.read("public/style.css"), "body{color:red}");
}

#[test]
fn init_makes_a_site_that_builds() {
    let dir = tempfile::tempdir().expect("tmp");
    let new_site = dir.path().join("paper");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["init", new_site.to_str().expect("utf8")])
        .output()
        .expect("run");
    assert!(out.status.success());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["build", "--root", new_site.to_str().expect("utf8")])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(new_site.join("public/index.html").exists());
    // A second init refuses to overwrite.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["init", new_site.to_str().expect("utf8")])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn the_sample_site_in_this_repo_builds() {
    let out_dir = tempfile::tempdir().expect("tmp");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["build", "--root", env!("CARGO_MANIFEST_DIR"), "--output"])
        .arg(out_dir.path().join("site"))
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let home = std::fs::read_to_string(out_dir.path().join("site/index.html")).expect("home");
    assert!(home.contains("金芒果"));
}
