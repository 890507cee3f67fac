//! Messages in the editor's language: the exact stderr a Chinese editor sees for each kind
//! of mistake (Chinese-keyboard ones first), the overrides, English plurals, and a check
//! that every message id the code uses is in every language's table.

use std::path::Path;

use gazette::diag::{message_ids, message_template, Lang};

use crate::fixture::Site;

const ZH_SITE: &str = "title: 测试时讯
base_url: https://news.example.org/
language: zh-CN
timezone: Asia/Shanghai
sections:
  - {key: community, name: 社区治理}
";

/// A zh-CN site with one article `a.md` whose whole text is `article`; returns the stderr
/// of `gazette ARGS` with the site's own language (no override).
fn zh_run(article: &str, args: &[&str]) -> String {
    let site = Site::new();
    site.write("site.yaml", ZH_SITE);
    site.write("content/a.md", article);
    site.run_in(None, args).stderr
}

fn zh_build(article: &str) -> String {
    zh_run(article, &["build"])
}

#[test]
fn full_width_colon_is_reported_on_its_own_line() {
    // Regression: `reporter：张晓岚` on line 3 was reported on line 4, with serde's words.
    let err = zh_build(
        "---\ntitle: 测试\nreporter：张晓岚\ndate: 2026-11-20\nsection: community\n---\n正文\n",
    );
    assert_eq!(
        err,
        "content/a.md:3:9: error: `reporter` 后面是中文冒号 `：`
  |
3 | reporter：张晓岚
  |         ^^
  提示: 切换到英文输入法输入冒号，冒号后加一个空格：`reporter: 张晓岚`
1 个错误；没有写入任何文件。
"
    );
}

#[test]
fn missing_space_after_the_colon() {
    // Regression: this gave "expected struct RawFrontMatter".
    let err = zh_build(
        "---\ntitle:测试\nreporter: 张晓岚\ndate: 2026-11-20\nsection: community\n---\n正文\n",
    );
    assert_eq!(
        err,
        "content/a.md:2:7: error: `title:` 的冒号后面缺少空格
  |
2 | title:测试
  |       ^^
  提示: 在冒号后面加一个空格：`title: 测试`
1 个错误；没有写入任何文件。
"
    );
}

#[test]
fn full_width_spaces_in_indentation() {
    // Regression: this gave "unknown key `　- date`".
    let err = zh_build("---\ntitle: 测试\nreporter: 张晓岚\ndate: 2026-11-20\nsection: community\ntags:\n　　- 冬季\n---\n正文\n");
    assert_eq!(
        err,
        "content/a.md:7:1: error: 缩进里有全角空格 `　`
  |
7 | 　　- 冬季
  | ^^
  提示: 用英文半角空格缩进：`    - 冬季`
1 个错误；没有写入任何文件。
"
    );
}

#[test]
fn names_and_tags_joined_by_chinese_commas_show_the_split() {
    // Regression: these passed silently and published one person and one tag.
    let err = zh_build("---\ntitle: 测试\nreporter: 张晓岚，李文博\ndate: 2026-11-20\nsection: community\ntags: [安全生产、冬季]\n---\n正文\n");
    assert_eq!(
        err,
        "content/a.md:3:11: error: `reporter` 把几个名字写成了一个：`张晓岚，李文博` 会被当成一个人发布（张晓岚 | 李文博）
  |
3 | reporter: 张晓岚，李文博
  |           ^^^^^^^^^^^^^^
  提示: 写成列表，用英文逗号分隔：`reporter: [张晓岚, 李文博]`
content/a.md:6:7: error: 标签 `安全生产、冬季` 其实是几个标签（安全生产 | 冬季）
  |
6 | tags: [安全生产、冬季]
  |       ^^^^^^^^^^^^^^^^
  提示: 标签之间用英文逗号分隔：`tags: [安全生产, 冬季]`
2 个错误；没有写入任何文件。
"
    );
}

#[test]
fn dates_typed_with_chinese_marks_get_the_date_rewritten() {
    let err = zh_build("---\ntitle: 测试\nreporter: 张晓岚\ndate: 2026年11月20日 9：30\nsection: community\n---\n正文\n");
    assert_eq!(
        err,
        "content/a.md:4:7: error: `2026年11月20日 9：30` 用了中文的日期写法（年月日或中文冒号 `：`）
  |
4 | date: 2026年11月20日 9：30
  |       ^^^^^^^^^^^^^^
  提示: 写成 `2026-11-20 09:30`
1 个错误；没有写入任何文件。
"
    );
}

#[test]
fn unpadded_dates_and_one_digit_hours_are_accepted() {
    let site = Site::new();
    site.write("site.yaml", ZH_SITE);
    site.write("content/a.md", "---\ntitle: 测试\nreporter: 张晓岚\ndate: 2026-2-3\nupdated: 2026-11-20 9:30\nsection: community\n---\n正文\n");
    let run = site.run_in(None, &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.exists("public/2026/02/03/a/index.html"));
}

#[test]
fn impossible_dates_unknown_keys_and_wrong_kinds() {
    let err = zh_build(
        "---\ntitle: 测试\nreportr: 张晓岚\ndate: 2026-02-30\nsection: community\n---\n正文\n",
    );
    assert_eq!(
        err,
        "content/a.md:3:1: error: 未知的键 `reportr`
  |
3 | reportr: 张晓岚
  | ^^^^^^^^
  提示: 是不是想写 `reporter`？
1 个错误；没有写入任何文件。
"
    );
    let err = zh_build("---\ntitle: 测试\nreporter: 张晓岚\ndate: 2026-02-30\nsection: community\ndraft: 是\n---\n正文\n");
    assert_eq!(
        err,
        "content/a.md:6:8: error: `draft` 的值类型不对
  |
6 | draft: 是
  |        ^^
  提示: 写 `true` 或 `false`
1 个错误；没有写入任何文件。
"
    );
    let err = zh_build(
        "---\ntitle: 测试\nreporter: 张晓岚\ndate: 2026-02-30\nsection: 社区\n---\n正文\n",
    );
    assert_eq!(
        err,
        "content/a.md:4:7: error: `2026-02-30` 不是有效日期：这个月没有这一天
  |
4 | date: 2026-02-30
  |       ^^^^^^^^^^
  提示: 日期写成 `2022-08-02`、`2022-08-02 09:30` 或 `2022-08-02T09:30:00+08:00`
content/a.md:5:10: error: 未知的栏目 `社区`
  |
5 | section: 社区
  |          ^^^^
  提示: 已声明的栏目：community（新栏目请加到 site.yaml）
2 个错误；没有写入任何文件。
"
    );
}

#[test]
fn check_warnings_and_its_summary_are_in_chinese() {
    let err = zh_run(
        "---\ntitle: 测试\nreporter: 张晓岚\ndate: 2026-11-20\nsection: community\n---\n正文\n",
        &["check"],
    );
    assert_eq!(
        err,
        "content/a.md:2:8: warning: 文章没有标签
  |
2 | title: 测试
  |        ^^^^
  提示: 加一行 `tags: [加装电梯, 老旧小区]`，方便读者找到相关报道
检查完毕：0 个错误，1 个警告
"
    );
}

#[test]
fn a_site_without_language_is_chinese_and_overrides_win() {
    let article =
        "---\ntitle: 测试\nreporter: 张晓岚\ndate: 2026-11-20\nsection: nowhere\n---\n正文\n";
    let site = Site::new(); // the fixture's site.yaml has no `language:`: zh-CN
    site.write("content/a.md", article);
    let zh = site.run_in(None, &["build"]).stderr;
    assert!(zh.contains("error: 未知的栏目 `nowhere`"), "{zh}");
    let by_flag = site.run_in(None, &["build", "--lang", "en"]).stderr;
    let by_env = site.run_in(Some("en"), &["build"]).stderr;
    assert_eq!(by_flag, by_env);
    assert!(
        by_env.ends_with("  hint: declared sections: community, meetings (add new ones to site.yaml)\n1 error; nothing was written.\n"),
        "{by_env}"
    );
}

#[test]
fn english_sites_speak_english_in_the_singular_too() {
    let site = Site::new();
    site.write("site.yaml", &ZH_SITE.replace("zh-CN", "en"));
    site.write(
        "content/a.md",
        "---\ntitle: Test\nreporter: Jane Doe\ndate: 2026-11-20\nsection: community\n---\nText\n",
    );
    let run = site.run_in(None, &["check"]);
    assert!(
        run.stderr.ends_with("Checked: 0 errors, 1 warning\n"),
        "{}",
        run.stderr
    );
    let run = site.run_in(None, &["build"]);
    assert!(
        run.stderr.starts_with("Built 1 article, "),
        "{}",
        run.stderr
    );
}

#[test]
fn traditional_chinese_sites_get_chinese_messages() {
    let site = Site::new();
    site.write("site.yaml", &ZH_SITE.replace("zh-CN", "zh-TW"));
    site.write(
        "content/a.md",
        "---\ntitle: 測試\nreporter：張曉嵐\ndate: 2026-11-20\nsection: community\n---\n正文\n",
    );
    let err = site.run_in(None, &["build"]).stderr;
    assert!(
        err.starts_with("content/a.md:3:9: error: `reporter` 后面是中文冒号"),
        "{err}"
    );
}

/// Every id in the code (`msg!("…")`, `Message::new("…")`, `count("…", "…")`,
/// `io_err("…")`) has a text in every language, and every table has every other's ids.
#[test]
fn every_message_id_has_a_text_in_every_language() {
    let mut used = Vec::new();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for entry in walkdir::WalkDir::new(src)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.path().extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(entry.path()).expect("read source");
            used.extend(ids_in(&text));
        }
    }
    assert!(
        used.len() > 150,
        "found only {} ids: the scan is broken",
        used.len()
    );
    let mut missing = Vec::new();
    for lang in [Lang::En, Lang::Zh] {
        for id in used
            .iter()
            .map(String::as_str)
            .chain(message_ids(Lang::En))
            .chain(message_ids(Lang::Zh))
        {
            if message_template(lang, id).is_none() {
                missing.push(format!("{lang:?}: {id}"));
            }
        }
    }
    missing.sort();
    missing.dedup();
    assert!(
        missing.is_empty(),
        "ids without a text:\n{}",
        missing.join("\n")
    );
}

/// Quoted ids right after the calls that take one; ids look like `word.word`.
fn ids_in(text: &str) -> Vec<String> {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut ids = Vec::new();
    for call in ["msg!(", "Message::new(", "count(", "io_err(", "\" => \""] {
        for piece in flat.split(call).skip(1) {
            for quoted in piece.split('"').skip(1).step_by(2).take(2) {
                let is_id = quoted.contains('.')
                    && ![".html", ".md", ".yaml", ".xml", ".json", ".jpg"]
                        .iter()
                        .any(|ext| quoted.ends_with(ext))
                    && quoted
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b == b'.' || b == b'_');
                if is_id {
                    ids.push(quoted.to_string());
                }
                if call != "count(" {
                    break;
                }
            }
        }
    }
    ids
}

/// The diagnostics about photos, earlier addresses, placeholders, raw HTML and the URL
/// space speak Chinese on a Chinese site too, each at its line.
#[test]
fn photos_addresses_and_raw_html_are_reported_in_chinese() {
    let site = Site::new();
    site.write("site.yaml", ZH_SITE);
    site.write(
        "content/a.md",
        "---\ntitle: 测试\nreporter: 本报记者\ndate: 2026-11-20\nsection: community\naliases: [../x]\n---\n正文\n",
    );
    site.write(
        "content/b/index.md",
        "---\ntitle: 照片\nreporter: 张晓岚\ndate: 2026-11-20\nsection: community\nimage: phone.heic\n---\n正文\n",
    );
    site.write("content/b/phone.heic", "ftypheic");
    assert_eq!(
        site.run_in(None, &["build"]).stderr,
        "content/a.md:3:11: error: `本报记者` 是 `gazette new` 写的占位词，不是记者的名字
  |
3 | reporter: 本报记者
  |           ^^^^^^^^
  提示: 发布前写上记者的名字，例如 `reporter: 杨宜锦`
content/a.md:6:10: error: `../x` 不能作为这篇稿件的旧地址
  |
6 | aliases: [../x]
  |          ^^^^^^
  提示: 从网站根目录写起旧地址，例如 `aliases: [/2024/01/05/old-slug/]`
content/b/index.md:6:8: error: 照片 `phone.heic` 是 HEIC/HEIF 格式，网页浏览器显示不了
  |
6 | image: phone.heic
  |        ^^^^^^^^^^
  提示: 先转成 JPEG：iPhone 可在“设置 › 相机 › 格式”里选“兼容性最佳”，或者从“照片”、Lightroom 导出为 JPEG，也可以用 `magick photo.heic photo.jpg`
3 个错误；没有写入任何文件。
"
    );

    std::fs::remove_file(site.path("content/a.md")).expect("rm a");
    std::fs::remove_dir_all(site.path("content/b")).expect("rm b");
    site.write(
        "content/d.md",
        "---\ntitle: 脚本\nreporter: 张晓岚\ndate: 2026-11-21\nsection: community\ntags: [测试]\n---\n正文<script>alert(1)</script>\n",
    );
    assert_eq!(
        site.run_in(None, &["check"]).stderr,
        "content/d.md:8:3: warning: `<script>` 元素在发布时会被去掉
  |
8 | 正文<script>alert(1)</script>
  |     ^^^^^^^^^^^^^^^^^^^^^^^^^
  提示: 读者看不到这部分：正文里可以用普通的排版、http/https/mailto/tel 链接和照片（见 docs/editors.zh-CN.md）；作者都可信的网站可以在 site.yaml 里设置 `markdown: {unsafe_html: true}`
检查完毕：0 个错误，1 个警告
"
    );

    std::fs::remove_file(site.path("content/d.md")).expect("rm d");
    site.write(
        "content/c/index.md",
        "---\ntitle: 归档\nreporter: 张晓岚\ndate: 2026-11-20\nsection: community\ntags: [测试]\n---\n正文\n",
    );
    site.write("content/c/index.html", "<p>旧</p>");
    assert_eq!(
        site.run_in(None, &["build"]).stderr,
        "content/c/index.html: error: 这个文件会发布成 /2026/11/20/c/index.html，顶替稿件 content/c/index.md 的页面
  提示: 给文件改个名；稿件的页面由它的 index.md 生成
1 个错误；没有写入任何文件。
"
    );
}

/// Commands that never parse site.yaml still speak the site's language: a deploy of a
/// Chinese site and a theme export into it, in Chinese without any override.
#[test]
fn deploy_and_theme_export_speak_the_sites_language() {
    let site = Site::new();
    site.write("site.yaml", ZH_SITE);
    site.write(
        "content/a.md",
        "---\ntitle: 测试\nreporter: 张晓岚\ndate: 2026-11-20\nsection: community\ntags: [测试]\n---\n正文\n",
    );
    site.build();
    let target = tempfile::tempdir().expect("target");
    let to = target.path().to_str().expect("utf-8 path");
    let deployed = site.run_in(None, &["deploy", to]);
    assert_eq!(deployed.code, 0, "{}", deployed.stderr);
    assert!(
        deployed
            .stderr
            .starts_with(&format!("发布到 {to}（已完成）：上传 ")),
        "{}",
        deployed.stderr
    );
    let exported = site.run_in(None, &["theme", "export"]);
    assert!(
        exported.stderr.starts_with("已把 ")
            && exported.stderr.contains("个主题文件写到 themes/bulletin"),
        "{}",
        exported.stderr
    );
}

/// A wrong `GAZETTE_LANG` is refused like a wrong `--lang`, not silently ignored.
#[test]
fn a_wrong_gazette_lang_is_refused_with_the_supported_codes() {
    let site = Site::new();
    site.write("site.yaml", ZH_SITE);
    let run = site.run_in(Some("chinese"), &["check"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "error: GAZETTE_LANG: no built-in language `chinese`; did you mean `zh-CN`? supported: zh-CN, zh-TW, zh-HK, en\n"
    );
}
