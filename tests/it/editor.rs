//! The editor's tools: `new`, `check`, drafts and embargoes, corrections.

use crate::fixture::{front, Site};

#[test]
fn new_writes_an_article_that_builds_and_never_overwrites() {
    let site = Site::new();
    let run = site.run(&[
        "new",
        "--section",
        "meetings",
        "--reporter",
        "杨宜锦",
        "--correspondent",
        "马瑞萍",
        "新郑召开防汛工作会议",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let path = run.stdout.trim().to_string();
    assert!(
        path.starts_with("content/")
            && path.ends_with("/xin-zheng-zhao-kai-fang-xun-gong-zuo-hui-yi.md"),
        "{path}"
    );
    let text = site.read(&path);
    assert!(
        text.contains("title: 新郑召开防汛工作会议")
            && text.contains("reporter: 杨宜锦")
            && text.contains("correspondent: 马瑞萍")
    );
    assert!(text.contains("section: meetings") && text.contains("draft: true"));

    // It is a draft: build leaves it out, --drafts includes it.
    site.build();
    let run = site.run(&["build", "--drafts"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site
        .read("public/index.html")
        .contains("新郑召开防汛工作会议"));

    // The same title again is refused and the first file is untouched.
    site.write(&path, &format!("{text}正文已经写好了。\n"));
    let again = site.run(&["new", "--section", "meetings", "新郑召开防汛工作会议"]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    assert!(site.read(&path).contains("正文已经写好了"));
}

#[test]
fn new_makes_bundles_and_refuses_unknown_sections() {
    let site = Site::new();
    let run = site.run(&["new", "--bundle", "--section", "community", "Gazette 上线"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.trim().ends_with("/gazette-shang-xian/index.md"),
        "{}",
        run.stdout
    );
    assert!(site.read(run.stdout.trim()).contains("reporter: 本报记者"));

    let run = site.run(&["new", "--section", "comunity", "标题"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("unknown section `comunity`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("did you mean `community`? declared sections: community, meetings"),
        "{}",
        run.stderr
    );
}

fn checked_site() -> Site {
    let site = Site::new();
    site.article(
        "2022/08/lift/index.md",
        &format!("{}\ntags: [电梯]", front("电梯", "2022-08-02", "community")),
        "![](lift.png)\n\n![缺图](missing.jpg)\n\n[首页](/sections/community/) [没有的栏目](/sections/nowhere/)\n",
    );
    site.write_bytes("content/2022/08/lift/lift.png", &crate::build::png(4, 4));
    site.article(
        "2022/08/plain.md",
        &front("电梯", "2022-08-02", "meetings"),
        "![旁边的图](side.jpg)\n",
    );
    site.write_bytes("content/2022/08/side.jpg", b"not copied");
    site
}

/// `check` reads a site and writes nothing beside it either: no search index parts, no
/// history of addresses, however clean the site.
#[test]
fn check_of_a_clean_site_leaves_its_folder_as_it_was() {
    let site = Site::new();
    site.article(
        "2022/08/a.md",
        &format!(
            "{}\ntags: [桥]",
            front("新桥通车", "2022-08-02", "community")
        ),
        "正文。\n",
    );
    let before = crate::fixture::snapshot(site.root());
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        before == crate::fixture::snapshot(site.root()),
        "check wrote files"
    );
}

#[test]
fn check_reports_each_problem_at_its_line_and_writes_nothing() {
    let site = checked_site();
    let run = site.run(&["check"]);
    let err = &run.stderr;
    assert_eq!(run.code, 1, "{err}");
    assert!(err.contains("content/2022/08/lift/index.md:8:1: warning: the image `lift.png` has no description (alt text)"), "{err}");
    assert!(
        err.contains(
            "content/2022/08/lift/index.md:10:1: error: the image `missing.jpg` does not exist"
        ),
        "{err}"
    );
    assert!(err.contains("content/2022/08/lift/index.md:12:28: error: the link `/sections/nowhere/` points to a page the site does not have"), "{err}");
    assert!(!err.contains("/sections/community/`"), "{err}");
    assert!(err.contains("content/2022/08/plain.md:7:1: error: the image `side.jpg` is not copied with the article"), "{err}");
    assert!(
        err.contains("content/2022/08/plain.md:2:8: warning: the article has no tags"),
        "{err}"
    );
    assert!(
        err.contains("warning: the same headline as content/2022/08/lift/index.md on the same day"),
        "{err}"
    );
    assert!(err.contains("Checked: 3 errors, 3 warnings"), "{err}");
    assert!(!site.exists("public"), "check wrote files");
}

#[test]
fn warnings_alone_pass_unless_strict() {
    let site = Site::new();
    site.article(
        "a.md",
        &front("无标签", "2022-08-02", "community"),
        "正文。\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("warning: the article has no tags"));
    assert_eq!(site.run(&["check", "--strict"]).code, 1);
    // check also looks at drafts, and fails on build errors.
    site.article(
        "b.md",
        &format!(
            "{}\ndraft: true\nsection: x",
            front("草稿", "2022-08-02", "community")
        ),
        "x\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
}

#[test]
fn embargoed_articles_wait_for_their_time() {
    let site = Site::new();
    site.article(
        "now.md",
        &format!(
            "{}\ntags: [x]",
            front("今天的稿件", "2022-08-02", "community")
        ),
        "正文。\n",
    );
    site.article(
        "later.md",
        &format!(
            "{}\ntags: [x]",
            front("明年的稿件", "2099-01-01 08:00", "community")
        ),
        "正文。\n",
    );
    let run = site.build();
    assert!(
        run.stderr
            .contains("1 embargoed until 2099-01-01 08:00 CST or later (use --future to include)"),
        "{}",
        run.stderr
    );
    for f in [
        "index.html",
        "feed.xml",
        "rss.xml",
        "feed.json",
        "sitemap.xml",
        "news-sitemap.xml",
        "sections/community/index.html",
        "tags/x/index.html",
        "archive/index.html",
    ] {
        assert!(
            !site.read(&format!("public/{f}")).contains("明年的稿件"),
            "{f} shows the embargoed story"
        );
    }
    assert!(!site.exists("public/2099"));
    let run = site.run(&["build", "--future"]);
    assert_eq!(run.code, 0);
    assert!(site
        .read("public/2099/01/01/later/index.html")
        .contains("明年的稿件"));
}

#[test]
fn corrections_show_on_the_page_and_in_the_dates() {
    let site = Site::new();
    site.article(
        "a.md",
        &format!("{}\nupdated: 2022-08-03\ncorrections:\n  - {{date: 2022-08-04, text: 原稿误将60余处写作160余处，现已更正。}}", front("自建房排查", "2022-08-02", "community")),
        "正文。\n",
    );
    site.build();
    let html = site.read("public/2022/08/02/a/index.html");
    assert!(
        html.contains("原稿误将60余处写作160余处，现已更正。"),
        "{html}"
    );
    assert!(html.contains("更正"));
    assert!(html.contains("2022年8月4日"));
    assert!(html.contains("\"dateModified\":\"2022-08-04T00:00:00+08:00\""));
    assert!(site
        .read("public/feed.xml")
        .contains("<updated>2022-08-04T00:00:00+08:00</updated>"));
}
