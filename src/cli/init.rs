//! `gazette init DIR`: a new site with `site.yaml` and one sample article.

use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;

const SITE_YAML: &str = "title: 我的时讯
base_url: https://news.example.org/
language: zh-CN
timezone: Asia/Shanghai
sections:
  - {key: local, name: 本地新闻}
";

fn first_article(date: &str) -> String {
    format!(
        "---
title: 欢迎使用 Gazette
reporter: 编辑部
date: {date}
section: local
tags: [站务]
---

这是第一篇稿件。用任何文本编辑器修改它，运行 `gazette serve` 即可在浏览器里预览。
"
    )
}

/// Creates the site; refuses to touch a folder that already has a site.yaml.
pub fn init(dir: &Path) -> Result<PathBuf, Diagnostic> {
    let site_yaml = dir.join("site.yaml");
    if site_yaml.exists() {
        return Err(
            Diagnostic::error(&site_yaml, msg!("init.exists")).with_hint(msg!("init.exists.hint"))
        );
    }
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
    std::fs::write(&site_yaml, SITE_YAML).map_err(|e| io(&site_yaml, e))?;
    std::fs::write(&article, first_article(&today.to_string())).map_err(|e| io(&article, e))?;
    Ok(article)
}
