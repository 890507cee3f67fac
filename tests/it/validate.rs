//! Front matter to article: what each field becomes, and which values are refused.

use crate::fixture::{between, front, Site};

/// Every way of writing an earlier address that cannot be one is refused, each by name;
/// the forms an editor may use (with or without slashes, with the site's base path) all
/// lead to the same folder.
#[test]
fn earlier_addresses_are_refused_unless_they_are_plain_site_paths() {
    let bad = [
        "https://old.example.org/a/",
        "2021//double",
        "2021/./here",
        "2021/../up",
        "with space",
        "旧/地址",
        "/news/",
    ];
    let site = Site::new();
    site.write(
        "site.yaml",
        &crate::fixture::SITE_YAML.replace(
            "https://news.example.org/",
            "https://news.example.org/news/",
        ),
    );
    let list: Vec<String> = bad.iter().map(|a| format!("\"{a}\"")).collect();
    site.article(
        "bad.md",
        &format!(
            "{}\naliases: [{}]",
            front("旧地址", "2022-08-01", "community"),
            list.join(", ")
        ),
        "正文。\n",
    );
    let err = site.build_fails();
    for alias in bad {
        assert!(
            err.contains(&format!("`{alias}` cannot be an earlier address")),
            "{alias} is refused:\n{err}"
        );
    }
    assert!(
        err.contains(&format!("{} errors", bad.len())),
        "one error each, nothing else:\n{err}"
    );

    std::fs::remove_file(site.path("content/bad.md")).expect("rm");
    site.article(
        "good.md",
        &format!(
            "{}\naliases: [/news/2021/12/31/old-a/, /2021/old-b, 2021/old_c.html]",
            front("新地址", "2022-08-01", "community")
        ),
        "正文。\n",
    );
    site.build();
    for old in ["2021/12/31/old-a", "2021/old-b", "2021/old_c.html"] {
        let page = site.read(&format!("public/{old}/index.html"));
        assert!(
            page.contains("2022/08/01/good/"),
            "{old} leads to the story"
        );
    }
}

/// A story's address comes from its file name, read in pinyin when it is Chinese, and from
/// its title when the name has nothing to read.
#[test]
fn the_address_comes_from_the_file_name_or_else_the_title() {
    let site = Site::new();
    let story = front("完全不同的标题", "2022-08-01", "community");
    site.article("2022/08/长江大桥.md", &story, "正文。\n");
    site.article(
        "2022/08/！！.md",
        &front("防汛演练", "2022-08-01", "community"),
        "正文。\n",
    );
    site.build();
    assert!(site.exists("public/2022/08/01/chang-jiang-da-qiao/index.html"));
    assert!(site.exists("public/2022/08/01/fang-xun-yan-lian/index.html"));
}

/// Blank and repeated tags and names are dropped, so no empty tag page or doubled byline,
/// and a separator typed after the last one is not part of it.
#[test]
fn blank_and_repeated_tags_and_names_are_dropped() {
    let site = Site::new();
    site.article(
        "2022/08/drill.md",
        "title: 防汛演练\nreporter: [杨宜锦, \" 杨宜锦 \", \"\", \"杨宜锦，\"]\ndate: 2022-08-01\n\
         section: community\ntags: [防汛, \"\", \" 防汛 \", 夜间施工、]",
        "正文。\n",
    );
    site.build();
    assert_eq!(
        site.entries("public/tags"),
        ["fang-xun", "index.html", "ye-jian-shi-gong"]
    );
    let page = site.read("public/2022/08/01/drill/index.html");
    assert_eq!(
        page.matches("rel=\"author\">").count(),
        1,
        "one name in the byline, once:\n{page}"
    );
}

/// The summary an editor writes is the one readers and feeds get; without one, the story's
/// first words are.
#[test]
fn a_written_summary_is_used_and_otherwise_the_opening() {
    let site = Site::new();
    site.article(
        "2022/08/a.md",
        &format!(
            "{}\nsummary: 编辑写的一句话摘要",
            front("有摘要", "2022-08-01", "community")
        ),
        "正文第一句。\n",
    );
    site.article(
        "2022/08/b.md",
        &front("没有摘要", "2022-08-02", "community"),
        "正文开头的话。\n",
    );
    site.build();
    let described = |page: &str| {
        let page = site.read(page);
        between(&page, "<meta name=\"description\" content=\"", "\"").to_string()
    };
    assert_eq!(
        described("public/2022/08/01/a/index.html"),
        "编辑写的一句话摘要"
    );
    assert_eq!(
        described("public/2022/08/02/b/index.html"),
        "正文开头的话。"
    );
    let feed = site.read("public/feed.xml");
    assert!(
        feed.contains("<summary type=\"text\">编辑写的一句话摘要</summary>"),
        "{feed}"
    );
}
