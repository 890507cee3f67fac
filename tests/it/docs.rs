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
        assert!(run.stderr.contains("Built 1 articles"), "{}", run.stderr);
    }
}
