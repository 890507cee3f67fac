//! `gazette init [--lang CODE] DIR`: a new site with `site.yaml` and one sample article,
//! written in the site's language (its sections, names and sample text as well as `language:`).

use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::i18n::Language;

/// What a starter site says, per language.
struct Starter {
    title: &'static str,
    /// The time zone line, with a comment where the right zone cannot be guessed.
    timezone: &'static str,
    section: &'static str,
    article_title: &'static str,
    reporter: &'static str,
    tag: &'static str,
    body: &'static str,
}

fn starter(language: Language) -> Starter {
    match language {
        Language::ZhCn => Starter {
            title: "我的时讯",
            timezone: "Asia/Shanghai",
            section: "本地新闻",
            article_title: "欢迎使用 Gazette",
            reporter: "编辑部",
            tag: "站务",
            body: "这是第一篇稿件。用任何文本编辑器修改它，运行 `gazette serve` 即可在浏览器里预览。",
        },
        Language::ZhTw | Language::ZhHk => Starter {
            title: "我的社區報",
            timezone: if language == Language::ZhTw {
                "Asia/Taipei"
            } else {
                "Asia/Hong_Kong"
            },
            section: "地方新聞",
            article_title: "歡迎使用 Gazette",
            reporter: "編輯部",
            tag: "站務",
            body: "這是第一篇稿件。用任何文字編輯器修改它，執行 `gazette serve` 即可在瀏覽器裡預覽。",
        },
        Language::En => Starter {
            title: "My Bulletin",
            timezone: "UTC   # your newsroom's zone, e.g. America/New_York or Europe/London",
            section: "Local news",
            article_title: "Welcome to Gazette",
            reporter: "Newsroom",
            tag: "site news",
            body: "This is the first article. Edit it in any text editor and run `gazette serve` to preview the site in your browser.",
        },
    }
}

fn site_yaml(s: &Starter, code: &str) -> String {
    format!(
        "title: {}
base_url: https://news.example.org/
language: {code}
timezone: {}
sections:
  - {{key: local, name: {}}}
",
        s.title, s.timezone, s.section
    )
}

fn first_article(s: &Starter, date: &str) -> String {
    format!(
        "---
title: {}
reporter: {}
date: {date}
section: local
tags: [{}]
---

{}
",
        s.article_title, s.reporter, s.tag, s.body
    )
}

/// Creates the site in the language `--lang` chose (zh-CN if none); refuses to touch a
/// folder that already has a site.yaml.
pub fn init(dir: &Path, lang: Option<(Language, String)>) -> Result<PathBuf, Diagnostic> {
    let (language, code) = lang.unwrap_or((Language::ZhCn, "zh-CN".to_string()));
    let site_yaml_path = dir.join("site.yaml");
    if site_yaml_path.exists() {
        return Err(Diagnostic::error(&site_yaml_path, msg!("init.exists"))
            .with_hint(msg!("init.exists.hint")));
    }
    let words = starter(language);
    let today = jiff::ZonedDateTime::now().date();
    let article = dir
        .join("content")
        .join(format!("{:04}", today.year()))
        .join(format!("{:02}", today.month()))
        .join("welcome.md");
    let io =
        |p: &Path, e: std::io::Error| Diagnostic::error(p, msg!("io.cannot_write", error = &e));
    if let Some(parent) = article.parent() {
        std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
    }
    std::fs::write(&site_yaml_path, site_yaml(&words, &code))
        .map_err(|e| io(&site_yaml_path, e))?;
    std::fs::write(&article, first_article(&words, &today.to_string()))
        .map_err(|e| io(&article, e))?;
    // The output and the build's own state (lock, record, fingerprint) are not sources.
    let gitignore = dir.join(".gitignore");
    if !gitignore.exists() {
        std::fs::write(&gitignore, "/public/\n/.public.gazette/\n")
            .map_err(|e| io(&gitignore, e))?;
    }
    Ok(article)
}

/// `--lang` as clap reads it: a usage error (exit 2) names the supported codes.
pub fn parse_lang(code: &str) -> Result<(Language, String), String> {
    Language::parse(code).map_err(|unknown| {
        let supported = crate::i18n::SUPPORTED.join(", ");
        match unknown.suggestion {
            Some(s) => {
                format!("no built-in language `{code}`; did you mean `{s}`? supported: {supported}")
            }
            None => format!("no built-in language `{code}`; supported: {supported}"),
        }
    })
}
