//! Search: the Pagefind index covers exactly the published articles, and Chinese queries
//! find the right stories in a real browser against the built sample site on a plain
//! static file server. The index comes in parts by date: a query finds stories in every
//! part, also under a sub-path, and a rebuild re-indexes only the part that changed.

use serde_json::Value;

#[cfg(feature = "browser-tests")]
use crate::browser::browser;
use crate::fixture::{front, Site};
use crate::theme::{built_sample, static_server};

#[test]
fn the_index_covers_published_articles_only() {
    let site = Site::new();
    site.article(
        "a.md",
        &format!(
            "{}\ntags: [电梯]",
            front("加装电梯的小区", "2022-08-02", "community")
        ),
        "居民说好。\n",
    );
    site.article(
        "b.md",
        &front("擂台赛观摩", "2022-08-01", "meetings"),
        "会议召开。\n",
    );
    site.article(
        "draft.md",
        &format!(
            "{}\ndraft: true",
            front("草稿不进索引", "2022-08-02", "community")
        ),
        "草稿。\n",
    );
    site.article(
        "later.md",
        &front("未来稿件不进索引", "2099-01-01", "community"),
        "未来。\n",
    );
    let run = site.build();
    assert!(
        run.stderr.contains("Search index: 2 articles"),
        "{}",
        run.stderr
    );
    let entry: Value = serde_json::from_str(&site.read("public/pagefind/pagefind-entry.json"))
        .expect("entry json");
    let languages = entry["languages"].as_object().expect("languages");
    let pages: u64 = languages
        .values()
        .map(|l| l["page_count"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(pages, 2, "{entry}");
    assert!(
        languages.keys().any(|k| k.starts_with("zh")),
        "indexed as Chinese: {entry}"
    );
    assert!(site.exists("public/pagefind/pagefind.js"));

    // search: false leaves the index out.
    site.write(
        "site.yaml",
        &format!("{}search: false\n", crate::fixture::SITE_YAML),
    );
    let run = site.build();
    assert!(!run.stderr.contains("Search index"), "{}", run.stderr);
    assert!(!site.exists("public/pagefind"));
}

#[cfg(feature = "browser-tests")]
/// Headlines of the results shown for a query opened by URL.
fn results_for(b: &crate::browser::Browser, base: &str, query: &str) -> Vec<String> {
    let url = format!("{base}/search/?q={}", query.replace(' ', "+"));
    b.goto(&url);
    b.wait_for(
        &format!("results for {query}"),
        "document.getElementById('search-status').textContent.length > 0",
    );
    let titles = b
        .js("return [...document.querySelectorAll('#search-results h2')].map(h => h.textContent);");
    titles
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t.as_str().map(String::from))
        .collect()
}

#[cfg(feature = "browser-tests")]
#[test]
fn chinese_queries_find_the_right_stories_in_a_browser() {
    let b = browser();
    let (_dir, public) = built_sample();
    let server = static_server(&public);

    let lift = results_for(&b, &server.base, "加装电梯");
    assert_eq!(
        lift.first().map(String::as_str),
        Some("金芒果花苑小区22栋楼用上电梯"),
        "{lift:?}"
    );
    assert!(
        !lift.iter().any(|t| t.contains("夜市")),
        "unrelated story in {lift:?}"
    );

    let contest = results_for(&b, &server.base, "擂台赛");
    assert!(
        contest.iter().take(2).any(|t| t.contains("擂台赛")),
        "{contest:?}"
    );
    assert!(!contest.iter().any(|t| t.contains("电梯")), "{contest:?}");

    let name = results_for(&b, &server.base, "杨宜锦");
    assert!(
        name.iter().any(|t| t == "金芒果花苑小区22栋楼用上电梯"),
        "{name:?}"
    );

    let mixed = results_for(&b, &server.base, "2022年 文明城市");
    assert_eq!(
        mixed.first().map(String::as_str),
        Some("新郑召开2022年创建全国文明城市工作推进会"),
        "{mixed:?}"
    );

    // Results carry date, section and a highlighted excerpt.
    results_for(&b, &server.base, "加装电梯");
    let first = b.js("const r = document.querySelector('.search-result'); return [r.querySelector('.meta').textContent, r.querySelector('.summary mark') !== null];");
    assert!(
        first[0].as_str().unwrap_or("").contains("2022年8月2日"),
        "{first}"
    );
    assert!(
        first[0].as_str().unwrap_or("").contains("社区治理"),
        "{first}"
    );
    assert_eq!(first[1], Value::Bool(true), "no highlight: {first}");

    // Typing updates the results and the address.
    b.js("const i = document.getElementById('search-q'); i.value = '湿地公园'; i.dispatchEvent(new Event('input')); return 1;");
    b.wait_for("results to update", "[...document.querySelectorAll('#search-results h2')].some(h => h.textContent.includes('苇河湿地公园'))");
    b.wait_for(
        "the address",
        "decodeURIComponent(location.search).includes('湿地公园')",
    );

    // A section filter narrows the results: unfiltered, 社区 finds stories in more than one
    // section; filtered, it still finds some, and only in 文化生活.
    let sections_of_results = || -> Vec<String> {
        let metas = b.js(
            "return [...document.querySelectorAll('.search-result .meta')].map(m => m.textContent);",
        );
        metas
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|m| m.as_str().map(String::from))
            .collect()
    };
    results_for(&b, &server.base, "社区");
    let unfiltered = sections_of_results();
    assert!(
        unfiltered.iter().any(|m| m.contains("文化生活"))
            && unfiltered.iter().any(|m| !m.contains("文化生活")),
        "{unfiltered:?}"
    );
    // The filters' values load when a reader reaches for one, not with every query.
    b.js("document.getElementById('search-section').dispatchEvent(new PointerEvent('pointerdown')); return 1;");
    b.wait_for(
        "the section filter's values",
        "[...document.getElementById('search-section').options].some(o => o.value === '文化生活')",
    );
    results_for(&b, &server.base, "社区&section=文化生活");
    let filtered = sections_of_results();
    assert!(!filtered.is_empty(), "the filter left no results");
    assert!(filtered.len() < unfiltered.len(), "{filtered:?}");
    for meta in &filtered {
        assert!(meta.contains("文化生活"), "{filtered:?}");
    }
}

/// A site with nothing published yet still gets Pagefind's script, so its search page can
/// say "nothing found" instead of failing to load.
#[test]
fn a_site_with_nothing_published_still_gets_a_search_script() {
    let site = Site::new();
    site.article(
        "draft.md",
        &format!("{}\ndraft: true", front("草稿", "2022-08-02", "community")),
        "草稿。\n",
    );
    let run = site.build();
    assert!(
        run.stderr.contains("Search index: 0 articles in 1 part "),
        "{}",
        run.stderr
    );
    assert!(site.exists("public/pagefind/pagefind.js"));
    let parts = parts_json(&site, "public");
    assert_eq!(
        parts,
        serde_json::json!({"recent": [], "older": [], "older_stories": 0})
    );
}

/// Regression: pages reached Pagefind in the order render threads finished them, so two
/// builds of the same site wrote different index files (and a no-change rebuild rewrote them).
#[test]
fn the_same_site_gives_the_same_index_every_time() {
    let site = Site::new();
    for i in 0..12 {
        site.article(
            &format!("a{i}.md"),
            &front(&format!("稿件{i}号"), "2022-08-02", "community"),
            &"社区居民加装电梯。".repeat(20),
        );
    }
    let index = |out: &str| {
        // Without the store of finished parts, so every build indexes afresh.
        let _ = std::fs::remove_dir_all(site.path(".gazette-cache"));
        let run = site.run(&["build", "--output", out]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        crate::fixture::snapshot(&site.path(&format!("{out}/pagefind")))
    };
    let first = index("one");
    for _ in 0..3 {
        assert_eq!(first, index("two"), "the index differs between builds");
        std::fs::remove_dir_all(site.path("two")).expect("rm");
    }
}

/// A query fetches one word-index file per word from every part, so Gazette cuts the word
/// index into files of about 4,000 word positions, a fifth of Pagefind's own size; a size
/// set in the environment wins.
#[test]
fn the_word_index_is_cut_into_small_files() {
    let site = Site::new();
    for i in 0..20 {
        site.article(
            &format!("a{i}.md"),
            &front(&format!("第{i}期电梯通报"), "2022-08-02", "community"),
            &"社区居民说，加装电梯以后，老人出门方便多了。".repeat(40),
        );
    }
    let index_files = |out: &str, env: &[(&str, &str)]| {
        let run = site.run_with_env(&["build", "--output", out], env);
        assert_eq!(run.code, 0, "{}", run.stderr);
        site.entries(&format!("{out}/pagefind/index")).len()
    };
    let small = index_files("small", &[]);
    let pagefinds = index_files("large", &[("PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE", "20000")]);
    assert_eq!(
        pagefinds, 1,
        "the part's 18,000-odd word positions fit one file of Pagefind's size"
    );
    assert!(small >= 4, "{small} word-index files of Gazette's size");
}

/// `pagefind/parts.json` in the built site `out`: which parts a first query merges.
fn parts_json(site: &Site, out: &str) -> serde_json::Value {
    let text = site.read(&format!("{out}/pagefind/parts.json"));
    serde_json::from_str(&text).expect("parts.json")
}

/// A site whose stories span three years: three parts of the index.
fn three_year_site() -> Site {
    let site = Site::new();
    for (i, year) in [2020, 2021, 2022].iter().enumerate() {
        for j in 0..3 {
            site.article(
                &format!("{year}-{j}.md"),
                &front(
                    &format!("{year}年第{j}期湿地公园通报"),
                    &format!("{year}-0{}-1{j}", i + 3),
                    "community",
                ),
                &format!(
                    "{year}年，苇河湿地公园新增观鸟点{j}处。{}\n",
                    "居民说，环境越来越好，周末来散步的人也多了。".repeat(6)
                ),
            );
        }
    }
    site
}

#[test]
fn a_rebuild_reindexes_only_the_changed_part_and_equals_a_fresh_build() {
    let site = three_year_site();
    let run = site.build();
    assert!(
        run.stderr
            .contains("9 articles in 3 parts (3 indexed, 0 unchanged)"),
        "{}",
        run.stderr
    );
    let parts = parts_json(&site, "public");
    assert_eq!(
        parts,
        serde_json::json!({"recent": ["2021", "2020"], "older": [], "older_stories": 0}),
        "the newest part, 2022, is the main bundle; all nine stories are recent"
    );
    assert!(site.exists("public/pagefind/parts/2021/pagefind-entry.json"));
    assert!(!site.exists("public/pagefind/parts/2021/pagefind.js"));

    site.article(
        "2021-1.md",
        &front("2021年第1期湿地公园通报（更正）", "2021-04-11", "community"),
        "2021年，苇河湿地公园新增观鸟点两处。\n",
    );
    let run = site.build();
    assert!(
        run.stderr
            .contains("9 articles in 3 parts (1 indexed, 2 unchanged)"),
        "{}",
        run.stderr
    );
    let rebuilt = crate::fixture::snapshot(&site.path("public/pagefind"));
    std::fs::remove_dir_all(site.path(".gazette-cache")).expect("rm cache");
    let run = site.run(&["build", "--output", "fresh"]);
    assert!(
        run.stderr.contains("(3 indexed, 0 unchanged)"),
        "{}",
        run.stderr
    );
    assert!(
        rebuilt == crate::fixture::snapshot(&site.path("fresh/pagefind")),
        "the rebuilt index differs from a fresh one"
    );
}

/// The store of finished parts keeps only the parts the index has: a year whose stories
/// were all deleted leaves nothing behind in `.gazette-cache/search/`.
#[test]
fn a_part_whose_stories_are_gone_leaves_the_store() {
    let site = three_year_site();
    site.build();
    let stored = || site.entries(".gazette-cache/search");
    assert_eq!(stored(), ["2020.part", "2021.part", "2022.part"]);
    for j in 0..3 {
        std::fs::remove_file(site.path(&format!("content/2020-{j}.md"))).expect("rm");
    }
    site.build();
    assert_eq!(stored(), ["2021.part", "2022.part"]);
}

#[cfg(feature = "browser-tests")]
#[test]
fn a_query_searches_every_part_and_links_right_under_a_sub_path() {
    let b = browser();
    let site = three_year_site();
    let run = site.run(&[
        "build",
        "--base-url",
        "https://example.org/news/",
        "--output",
        "host/news",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let server = static_server(&site.path("host"));
    let base = format!("{}/news", server.base);

    let titles = results_for(&b, &base, "湿地公园");
    for year in ["2020", "2021", "2022"] {
        assert!(
            titles.iter().any(|t| t.starts_with(year)),
            "no result from the {year} part: {titles:?}"
        );
    }
    assert_eq!(titles.len(), 9, "{titles:?}");

    // Excerpts are the story's text: no byline, no date line.
    let excerpts = b.js(
        "return [...document.querySelectorAll('.search-result .summary')].map(e => e.textContent);",
    );
    for e in excerpts.as_array().into_iter().flatten() {
        let e = e.as_str().unwrap_or("");
        assert!(e.contains("观鸟点"), "{e}");
        assert!(
            !e.contains("杨宜锦") && !e.contains("月1"),
            "byline or date in {e}"
        );
    }

    assert!(
        !b.js("return !!document.querySelector('.search-older:not([hidden])');")
            .as_bool()
            .unwrap_or(true),
        "no older stories to offer"
    );

    // Every result link opens its story, under /news/.
    let links = b.js("return [...document.querySelectorAll('.search-result h2 a')].map(a => [a.href, a.textContent]);");
    let links = links.as_array().cloned().unwrap_or_default();
    assert_eq!(links.len(), 9);
    for pair in links {
        let (href, title) = (
            pair[0].as_str().unwrap_or(""),
            pair[1].as_str().unwrap_or(""),
        );
        assert!(href.starts_with(&format!("{base}/20")), "{href}");
        b.goto(href);
        let h1 = b.js("return document.querySelector('h1').textContent;");
        assert_eq!(h1.as_str(), Some(title), "{href}");
    }
}

/// On a site whose first query searches only the newest three stories (set through
/// GAZETTE_SEARCH_RECENT, as a big archive's would be after 1,500), the older parts are not
/// downloaded until the reader asks; then the same query finds every year, with links right
/// under the site's sub-path, and the address remembers it.
#[cfg(feature = "browser-tests")]
#[test]
fn older_stories_are_searched_when_the_reader_asks() {
    let b = browser();
    let site = three_year_site();
    let args = [
        "build",
        "--base-url",
        "https://example.org/news/",
        "--output",
        "host/news",
    ];
    let run = site.run_with_env(&args, &[("GAZETTE_SEARCH_RECENT", "3")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let parts = parts_json(&site, "host/news");
    assert_eq!(
        parts,
        serde_json::json!({"recent": [], "older": ["2021", "2020"], "older_stories": 6})
    );
    let server = static_server(&site.path("host"));
    let base = format!("{}/news", server.base);

    let titles = results_for(&b, &base, "湿地公园");
    assert_eq!(titles.len(), 3, "{titles:?}");
    assert!(titles.iter().all(|t| t.starts_with("2022")), "{titles:?}");
    let fetched = b.js(
        "return performance.getEntriesByType('resource').map(r => r.name).filter(n => n.includes('/parts/'));",
    );
    assert_eq!(
        fetched,
        serde_json::json!([]),
        "older parts fetched unasked"
    );
    let button = b.js(
        "const b = document.querySelector('.search-older:not([hidden]) button'); return b && b.textContent;",
    );
    assert_eq!(button.as_str(), Some("继续搜索更早的 6 篇报道"));

    b.js("document.querySelector('.search-older button').click(); return null;");
    b.wait_for(
        "results from every year",
        "document.querySelectorAll('#search-results h2').length === 9",
    );
    assert!(
        b.js("return document.querySelector('.search-older').hidden;")
            .as_bool()
            .unwrap_or(false),
        "the button stays after the older stories were searched"
    );
    let address = b.js("return location.search;");
    assert_eq!(
        address.as_str(),
        Some("?q=%E6%B9%BF%E5%9C%B0%E5%85%AC%E5%9B%AD&older=1")
    );
    let links =
        b.js("return [...document.querySelectorAll('.search-result h2 a')].map(a => a.href);");
    let links: Vec<&str> = (links.as_array().into_iter().flatten())
        .filter_map(|h| h.as_str())
        .collect();
    assert!(
        links.iter().all(|h| h.starts_with(&format!("{base}/20"))),
        "{links:?}"
    );
    let oldest = links.iter().find(|h| h.contains("/2020/"));
    b.goto(oldest.expect("a result from 2020"));
    let h1 = b.js("return document.querySelector('h1').textContent;");
    assert!(h1.as_str().unwrap_or("").starts_with("2020"), "{h1}");

    // A shared address with older=1 searches everything at once.
    let titles = results_for(&b, &base, "湿地公园&older=1");
    assert_eq!(titles.len(), 9, "{titles:?}");
}
