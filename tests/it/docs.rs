//! The editors' guide's examples are real: every complete article in it builds.

use crate::fixture::Site;

#[test]
fn every_article_example_in_the_editors_guide_builds() {
    let guide = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/editors.zh-CN.md"
    ))
    .expect("guide");
    let site_yaml = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/site.yaml"))
        .expect("site.yaml");
    let mut examples = Vec::new();
    let mut current: Option<String> = None;
    for line in guide.lines() {
        match &mut current {
            None if line.trim_start() == "```markdown" => current = Some(String::new()),
            Some(text) if line.trim_start() == "```" => {
                examples.push(std::mem::take(text));
                current = None;
            }
            Some(text) => {
                text.push_str(line);
                text.push('\n');
            }
            None => {}
        }
    }
    let articles: Vec<&String> = examples.iter().filter(|e| e.starts_with("---\n")).collect();
    assert!(
        articles.len() >= 3,
        "expected article examples in the guide, found {}",
        articles.len()
    );
    for (i, example) in articles.iter().enumerate() {
        let site = Site::new();
        site.write("site.yaml", &site_yaml);
        site.write(&format!("content/example{i}.md"), example);
        let run = site.run(&["build", "--drafts", "--future"]);
        assert_eq!(
            run.code, 0,
            "example {i} does not build:\n{example}\n{}",
            run.stderr
        );
        assert!(run.stderr.contains("Built 1 article,"), "{}", run.stderr);
    }
}

/// The documented context (docs/themes.md) and the one Gazette really passes stay in step:
/// for every template, the documented names are there and nothing undocumented is; the
/// Article object has exactly the documented fields.
#[test]
fn the_theme_docs_match_the_real_context() {
    use std::collections::BTreeSet;
    use std::sync::Arc;

    use gazette::pipeline::{
        load_articles, load_config, load_theme, render_bodies_at, selection, BuildOptions,
    };
    use gazette::render::pages::{plan, Job};
    use gazette::render::SiteValues;

    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/themes.md"))
        .expect("docs");
    let section = |from: &str, to: &str| -> String {
        let start = docs
            .find(from)
            .unwrap_or_else(|| panic!("docs lack {from}"));
        let end = start
            + docs[start..]
                .find(to)
                .unwrap_or_else(|| panic!("docs lack {to} after {from}"));
        docs[start..end].to_string()
    };
    let first_cells = |table: &str| -> BTreeSet<String> {
        table
            .lines()
            .filter(|l| l.starts_with("| `"))
            .flat_map(|l| {
                l.split('|')
                    .nth(1)
                    .unwrap_or("")
                    .split(',')
                    .map(|n| n.trim().trim_matches('`').to_string())
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    let every = first_cells(&section("### Every template", "**Site**"));
    let per_template: Vec<(String, BTreeSet<String>)> =
        section("| template | URL | names |", "## The bulletin theme")
            .lines()
            .filter(|l| l.starts_with("| `"))
            .map(|l| {
                let cells: Vec<&str> = l.split(" | ").collect();
                let names = cells[2]
                    .split(',')
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .map(String::from)
                    .collect();
                (
                    cells[0]
                        .trim_start_matches("| ")
                        .trim_matches('`')
                        .to_string(),
                    names,
                )
            })
            .collect();
    let article_fields = first_cells(&section("**Article**", "**Paginator**"));

    let opts = BuildOptions::new(env!("CARGO_MANIFEST_DIR"));
    let config = load_config(&opts).expect("config");
    let (_, renderer) = load_theme(&opts, &config).expect("theme");
    let (articles, _) = load_articles(&opts.root, &config, &selection(&opts, &config));
    let sel = selection(&opts, &config);
    let site = gazette::model::build(articles.into_iter().map(Arc::new).collect(), config, &sel)
        .expect("model");
    let all_articles: Vec<usize> = (0..site.articles.len()).collect();
    let (bodies, _) = render_bodies_at(&opts.root, &site, &all_articles);
    let values = SiteValues::build(&site, &bodies, &sel.now);

    let mut checked = BTreeSet::new();
    for job in plan(&site) {
        let template = job.template();
        if !checked.insert(template) && !matches!(job, Job::ArchiveMonth(_)) {
            continue;
        }
        let documented = &per_template
            .iter()
            .find(|(t, _)| t == template)
            .unwrap_or_else(|| panic!("{template} is not documented"))
            .1;
        let (mut ctx, _) = renderer.context(&site, &values, job);
        for name in every.iter().chain(documented) {
            assert!(
                ctx.remove(name).is_some(),
                "{template}: documented `{name}` is not in the context"
            );
        }
        assert_eq!(
            ctx,
            tera::Context::new(),
            "{template}: the context has names the docs do not list: {ctx:?}"
        );
    }
    assert!(checked.len() >= 11, "only {checked:?}");

    let actual: BTreeSet<String> = values.articles[0]
        .as_map()
        .expect("map")
        .keys()
        .filter_map(|k| k.as_str().map(String::from))
        .collect();
    assert_eq!(
        actual, article_fields,
        "Article fields: docs and code differ"
    );

    // The sample site has cover photos: their values match the Photo table.
    let photo_fields = first_cells(&section("**Photo**", "Write a `srcset`"));
    let photo = values
        .articles
        .iter()
        .filter_map(|a| a.as_map()?.get(&tera::value::Key::from("photo"))?.as_map())
        .next()
        .expect("a sample article with a cover photo");
    let actual: BTreeSet<String> = photo
        .keys()
        .filter_map(|k| k.as_str().map(String::from))
        .collect();
    assert_eq!(actual, photo_fields, "Photo fields: docs and code differ");
}

/// docs/themes.md lists every interface string id, and only those.
#[test]
fn the_theme_docs_list_every_interface_string() {
    use std::collections::BTreeSet;

    use gazette::i18n::{Language, Strings};

    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/themes.md"))
        .expect("docs");
    let start = docs
        .find("| id | en | zh-CN | zh-TW |")
        .expect("docs lack the table of interface strings");
    let documented: BTreeSet<&str> = docs[start..]
        .lines()
        .skip(2)
        .take_while(|l| l.starts_with("| `"))
        .filter_map(|l| l.split('`').nth(1))
        .collect();
    let strings = Strings::builtin(Language::En);
    let actual: BTreeSet<&str> = strings.ids().collect();
    assert_eq!(
        documented, actual,
        "docs/themes.md and the string tables differ"
    );
}
