//! Front matter to article: what each field becomes, and which values are refused.

use crate::fixture::{front, Site};

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
