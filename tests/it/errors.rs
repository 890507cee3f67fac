//! Bad input: each class gives its message at the right place, exit 1, and no panic.

use crate::fixture::{front, Site};

#[test]
fn unknown_front_matter_key_suggests_the_right_one() {
    let site = Site::new();
    site.article(
        "a.md",
        "title: 标题\nreportr: 杨宜锦\ndate: 2022-08-02\nsection: community",
        "x\n",
    );
    let err = site.build_fails();
    assert!(
        err.contains("content/a.md:3:1: error: unknown key `reportr`"),
        "{err}"
    );
    assert!(err.contains("did you mean `reporter`?"), "{err}");
}

#[test]
fn every_error_of_the_run_is_reported_not_just_the_first() {
    let site = Site::new();
    site.article(
        "a.md",
        "title: 一\nreporter: 杨宜锦\ndate: 2022-08-02\nsection: comunity",
        "x\n",
    );
    site.article(
        "b.md",
        "title: 二\nreporter: 杨宜锦\ndate: 2022-02-30\nsection: community",
        "x\n",
    );
    site.article(
        "c.md",
        "reporter: 杨宜锦\ndate: 2022-08-02\nsection: community",
        "x\n",
    );
    let err = site.build_fails();
    assert!(
        err.contains("content/a.md:5:10: error: unknown section `comunity`"),
        "{err}"
    );
    assert!(
        err.contains("did you mean `community`? declared sections: community, meetings"),
        "{err}"
    );
    assert!(err.contains("content/b.md:4:7: error: `2022-02-30` is not a date: that day does not exist in that month"), "{err}");
    assert!(
        err.contains("content/c.md:1:1: error: `title` is missing"),
        "{err}"
    );
    assert!(err.contains("3 errors"), "{err}");
}

#[test]
fn a_gbk_file_is_named_as_not_utf8() {
    let site = Site::new();
    let mut bytes = b"---\ntitle: ".to_vec();
    bytes.extend([0xB1, 0xEA, 0xCC, 0xE2]); // 标题 in GBK
    bytes.extend(b"\nreporter: x\ndate: 2022-08-02\nsection: community\n---\n");
    site.write_bytes("content/gbk.md", &bytes);
    let err = site.build_fails();
    assert!(
        err.contains("content/gbk.md:2:8: error: the file is not UTF-8 text"),
        "{err}"
    );
    assert!(err.contains("GBK"), "{err}");
}

#[test]
fn bom_and_crlf_files_build() {
    let site = Site::new();
    let text = format!(
        "\u{feff}---\r\n{}\r\n---\r\n第一行\r\n第二行\r\n",
        front("带BOM的稿件", "2022-08-02", "community").replace('\n', "\r\n")
    );
    site.write("content/bom.md", &text);
    site.build();
    assert!(site
        .read("public/2022/08/02/bom/index.html")
        .contains("<p>第一行第二行</p>"));
}

#[test]
fn front_matter_problems_point_at_the_line() {
    let cases: &[(&str, &str, &str)] = &[
        ("none.md", "# 没有前言\n", "none.md:1:1: error: the file does not start with front matter"),
        ("open.md", "---\ntitle: x\n", "open.md:1:1: error: the front matter is never closed"),
        ("empty.md", "", "empty.md:1:1: error: the file is empty"),
        ("list.md", "---\n- a\n- b\n---\n", "list.md:2:1: error: the front matter is not `key: value` lines"),
        ("yaml.md", "---\ntitle: [x\nreporter: y\n---\n", "yaml.md:"),
        ("type.md", "---\ntitle: x\nreporter: y\ndate: 2022-08-02\nsection: community\ndraft: maybe\n---\n", "type.md:6:8: error:"),
        ("nobody.md", "---\ntitle: x\nreporter: []\ndate: 2022-08-02\nsection: community\n---\n", "nobody.md:3:11: error: `reporter` names nobody"),
        ("slug.md", "---\ntitle: x\nreporter: y\ndate: 2022-08-02\nsection: community\nslug: ../../etc\n---\n", "slug.md:6:7: error: the slug `../../etc` cannot be used in a URL"),
    ];
    for (file, text, expected) in cases {
        let site = Site::new();
        site.write(&format!("content/{file}"), text);
        let err = site.build_fails();
        assert!(
            err.contains(&format!("content/{expected}")),
            "{file}: expected `{expected}` in:\n{err}"
        );
    }
}

#[test]
fn two_articles_with_one_url_name_both_files() {
    let site = Site::new();
    site.article(
        "a.md",
        &format!("{}\nslug: same", front("一", "2022-08-02", "community")),
        "x\n",
    );
    site.article(
        "b.md",
        &format!("{}\nslug: same", front("二", "2022-08-02", "community")),
        "x\n",
    );
    let err = site.build_fails();
    assert!(err.contains("content/b.md:6:7: error: this article has the same URL /2022/08/02/same/ as content/a.md"), "{err}");
}

#[test]
fn a_broken_link_to_another_article_is_an_error() {
    let site = Site::new();
    site.article(
        "a.md",
        &front("一", "2022-08-02", "community"),
        "第一段。\n\n见[旧闻](missing.md)。\n",
    );
    let err = site.build_fails();
    assert!(err.contains("content/a.md:9:2: error: the link `missing.md` points to an article that does not exist"), "{err}");
}

#[test]
fn bad_site_yaml_fields_are_reported_with_lines() {
    let site = Site::new();
    site.write(
        "site.yaml",
        "title: x\nbase_url: news.example.org\ntimezone: Asia/Nowhere\npaginat: 3\nsections: []\n",
    );
    let err = site.build_fails();
    assert!(
        err.contains("site.yaml:4:1: error: unknown key `paginat`"),
        "{err}"
    );
    assert!(err.contains("did you mean `paginate`?"), "{err}");
    site.write(
        "site.yaml",
        "title: x\nbase_url: news.example.org\ntimezone: Asia/Nowhere\nsections: []\n",
    );
    let err = site.build_fails();
    assert!(
        err.contains(
            "site.yaml:2:11: error: base_url `news.example.org` is not an absolute web address"
        ),
        "{err}"
    );
    assert!(
        err.contains("site.yaml:3:11: error: unknown time zone `Asia/Nowhere`"),
        "{err}"
    );
    assert!(
        err.contains("site.yaml:4:11: error: no sections are declared"),
        "{err}"
    );
}

#[test]
fn template_errors_name_the_template_file() {
    let site = Site::new();
    site.article("a.md", &front("一", "2022-08-02", "community"), "x\n");
    site.write("templates/404.html", "<p>{% if %}</p>\n");
    let err = site.build_fails();
    assert!(err.contains("templates/404.html:1:"), "{err}");
    assert!(err.contains("template syntax error"), "{err}");

    site.write("templates/404.html", "<p>\n{{ nothing.here }}</p>\n");
    let err = site.build_fails();
    assert!(err.contains("templates/404.html:2:"), "{err}");
}

#[test]
fn a_missing_theme_is_named() {
    let site = Site::new();
    site.write(
        "site.yaml",
        &format!("{}theme: fancy\n", crate::fixture::SITE_YAML),
    );
    let err = site.build_fails();
    assert!(err.contains("theme `fancy` does not exist"), "{err}");
    assert!(err.contains("site.yaml:"), "{err}");
}
