//! What `build` refuses so readers never meet it, and what it must not refuse: broken
//! links and missing images stop the build at their line, as `check` reports them; a
//! half-written draft does not stop the news.

use crate::fixture::{front, Site};

fn site_with(body: &str) -> Site {
    let site = Site::new();
    site.article(
        "2022/a.md",
        &front("第一篇", "2022-08-02", "community"),
        "正文。\n",
    );
    site.article(
        "2022/b.md",
        &front("第二篇", "2022-08-03", "community"),
        body,
    );
    site
}

#[test]
fn a_missing_image_stops_the_build_at_its_line() {
    let site = site_with("正文。\n\n![会场](huichang.jpg)\n");
    site.refused("content/2022/b.md:9:1: error: the image `huichang.jpg` does not exist");
}

#[test]
fn a_link_to_a_page_the_site_lacks_stops_the_build() {
    let site = site_with("见[旧闻](/2022/08/01/nothing-here/)。\n");
    site.refused(
        "content/2022/b.md:7:2: error: the link `/2022/08/01/nothing-here/` points to a page the site does not have",
    );
    // The same link to a page that exists builds (the positive path of the same check).
    site.article(
        "2022/b.md",
        &front("第二篇", "2022-08-03", "community"),
        "见[旧闻](/2022/08/02/a/)。\n",
    );
    site.build();
}

#[test]
fn a_link_pasted_from_the_address_bar_works_under_a_sub_path() {
    let site = site_with("见[第一篇](/2022/08/02/a/#zheng-wen)，也见[它](/news/2022/08/02/a)。\n");
    let run = site.run(&["build", "--base-url", "https://example.org/news/"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = site.read("public/2022/08/03/b/index.html");
    assert!(
        page.contains("href=\"../../../../2022/08/02/a/#zheng-wen\""),
        "{page}"
    );
    assert!(
        page.contains("href=\"../../../../2022/08/02/a/\""),
        "{page}"
    );
    assert!(!page.contains("href=\"/2022"), "{page}");
}

#[test]
fn a_draft_with_errors_is_left_out_and_the_news_goes_out() {
    let site = site_with("正文。\n");
    site.article(
        "2022/draft.md",
        "title: 写了一半的稿子\nreporter: 杨宜锦\ndate: 12月1日\nsection: community\ndraft: true",
        "还没写完。\n",
    );
    let run = site.build();
    assert!(
        run.stderr.contains(
            "content/2022/draft.md:4:7: warning: `12月1日` is written with Chinese date marks"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("left out of this build"),
        "{}",
        run.stderr
    );
    assert!(site
        .read("public/2022/08/03/b/index.html")
        .contains("第二篇"));
    assert!(!site.read("public/index.html").contains("写了一半"));

    // check and build --drafts still hold it to the rules.
    let check = site.run(&["check"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    assert!(
        check.stderr.contains("content/2022/draft.md:4:7: error:"),
        "{}",
        check.stderr
    );
    let drafts = site.run(&["build", "--drafts"]);
    assert_eq!(drafts.code, 1, "{}", drafts.stderr);
}

#[test]
fn an_embargoed_story_with_errors_waits_and_the_news_goes_out() {
    let site = site_with("正文。\n");
    let embargoed = "reporter: 杨宜锦\ndate: 2099-01-01";
    site.article(
        "2099/section.md",
        &format!("title: 明年的稿子\n{embargoed}\nsection: nowhere"),
        "还没到时间。\n",
    );
    site.article(
        "2099/cover.md",
        &format!("title: 明年的图片稿\n{embargoed}\nsection: community\nimage: gone.jpg"),
        "还没到时间。\n",
    );
    let run = site.build();
    for at in [
        "content/2099/section.md:5:10: warning:",
        "content/2099/cover.md:6:8: warning:",
    ] {
        assert!(run.stderr.contains(at), "{at}\n{}", run.stderr);
    }
    assert!(
        run.stderr.contains("left out of this build"),
        "{}",
        run.stderr
    );
    assert!(site.read("public/index.html").contains("第二篇"));

    // Published now, they would go out with the news: errors. `check` holds them to the
    // rules already.
    for command in [&["build", "--future"][..], &["check"]] {
        let run = site.run(command);
        assert_eq!(run.code, 1, "{command:?}: {}", run.stderr);
        for at in [
            "content/2099/section.md:5:10: error:",
            "content/2099/cover.md:6:8: error:",
        ] {
            assert!(run.stderr.contains(at), "{command:?}: {at}\n{}", run.stderr);
        }
    }
}

#[test]
fn the_placeholder_reporter_never_reaches_readers() {
    let site = site_with("正文。\n");
    let new = site.run(&["new", "--section", "community", "区里开了个会"]);
    assert_eq!(new.code, 0, "{}", new.stderr);
    let path = new.stdout.trim().to_string();
    // As `new` wrote it, a draft: the build goes on without it.
    site.build();
    // Published as it is, the placeholder is an error at the reporter line.
    let text = site.read(&path).replace("draft: true", "draft: false");
    site.write(&path, &text);
    let err = site.build_fails();
    assert!(
        err.contains(&format!(
            "{path}:3:11: error: `本报记者` is the placeholder `gazette new` writes"
        )),
        "{err}"
    );
    site.write(&path, &text.replace("本报记者", "杨宜锦"));
    site.build();
}

#[test]
fn robots_txt_is_written_only_at_the_hosts_root() {
    let site = site_with("正文。\n");
    site.build();
    assert!(site
        .read("public/robots.txt")
        .contains("Sitemap: https://news.example.org/sitemap.xml"));
    let run = site.run(&["build", "--base-url", "https://example.org/news/"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        !site.exists("public/robots.txt"),
        "a robots.txt under /news/ is never read"
    );
    assert!(run.stderr.contains("Note: no robots.txt"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("Sitemap: https://example.org/news/sitemap.xml"),
        "{}",
        run.stderr
    );
}

#[test]
fn theme_export_writes_the_built_in_theme_and_never_overwrites() {
    let site = site_with("正文。\n");
    site.build();
    let before = site.read("public/2022/08/03/b/index.html");
    let run = site.run(&["theme", "export"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.exists("themes/bulletin/templates/article.html"));
    assert!(site.exists("themes/bulletin/static/style.css"));
    // The exported copy is what the site now uses: an edit there shows in the build.
    let article = site.read("themes/bulletin/templates/article.html");
    site.write(
        "themes/bulletin/templates/article.html",
        &article.replacen("{% block main %}", "{% block main %}<p>本站自改</p>", 1),
    );
    site.build();
    let after = site.read("public/2022/08/03/b/index.html");
    assert!(
        !before.contains("本站自改") && after.contains("本站自改"),
        "{after}"
    );
    // A second export would overwrite the edit: refused, nothing written.
    let again = site.run(&["theme", "export"]);
    assert_eq!(again.code, 1, "{}", again.stderr);
    assert!(
        again
            .stderr
            .contains("themes/bulletin/templates/article.html: error: this file exists already"),
        "{}",
        again.stderr
    );
    assert!(site
        .read("themes/bulletin/templates/article.html")
        .contains("本站自改"));
}

#[test]
fn a_link_to_a_photos_unpublished_original_stops_the_build() {
    let site = Site::new();
    site.article(
        "2022/bridge/index.md",
        &front("新桥通车", "2022-08-02", "community"),
        "![新桥](bridge.png)\n\n[看大图](bridge.png)\n",
    );
    site.write_bytes("content/2022/bridge/bridge.png", &crate::build::png(40, 30));
    site.refused(
        "content/2022/bridge/index.md:9:1: error: the link `bridge.png` leads to the camera original of a photo, which is not published",
    );
    // A site that publishes originals may link to them.
    site.write(
        "site.yaml",
        &format!(
            "{}publish_original_photos: true\n",
            crate::fixture::SITE_YAML
        ),
    );
    site.build();
    assert!(site.exists("public/2022/08/02/bridge/bridge.png"));
}
