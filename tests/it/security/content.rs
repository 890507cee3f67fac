//! Nothing outside the site is published: links into content/ may not lead out of it, and
//! dot-folders (a repository's `.git`) never travel with a bundle.

use crate::fixture::{front, Site};

fn site_with_a_secret() -> Site {
    let site = Site::new();
    site.write(
        ".git/config",
        "[remote \"origin\"]\n\turl = https://token-zzsecret@example.org/r.git\n",
    );
    site.article(
        "2024/05/x/index.md",
        &front("来稿", "2024-05-01 09:00", "community"),
        "正文。\n",
    );
    site
}

fn published_anything_secret(site: &Site) -> bool {
    walkdir::WalkDir::new(site.path("public"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .any(|e| {
            std::fs::read(e.path()).is_ok_and(|b| String::from_utf8_lossy(&b).contains("zzsecret"))
        })
}

#[test]
fn a_folder_link_out_of_the_site_is_refused_and_nothing_is_published() {
    let site = site_with_a_secret();
    std::os::unix::fs::symlink("../../../../.git", site.path("content/2024/05/x/g"))
        .expect("symlink");
    let err = site.build_fails();
    assert!(
        err.contains("content/2024/05/x/g: error: this link points outside the content folder"),
        "{err}"
    );
    assert!(err.contains("copy the folder into content/"), "{err}");
    assert!(!site.exists("public") || !published_anything_secret(&site));
}

#[test]
fn a_folder_link_to_the_site_root_is_refused() {
    let site = site_with_a_secret();
    std::os::unix::fs::symlink(site.root(), site.path("content/2024/05/x/root")).expect("symlink");
    let err = site.build_fails();
    // The root holds content/, so the walk sees a loop before it sees the way out.
    assert!(
        err.contains("content/2024/05/x/root: error: this link"),
        "{err}"
    );
}

#[test]
fn a_folder_link_inside_content_still_works() {
    let site = site_with_a_secret();
    site.write("content/shared/notes.pdf", "%PDF-1.4\n");
    std::os::unix::fs::symlink("../../../shared", site.path("content/2024/05/x/photos"))
        .expect("symlink");
    site.build();
    assert!(site.exists("public/2024/05/01/x/photos/notes.pdf"));
}

#[test]
fn dot_folders_in_a_bundle_are_not_copied() {
    let site = site_with_a_secret();
    site.write(
        "content/2024/05/x/.git/config",
        "url = https://zzsecret@example.org\n",
    );
    site.write("content/2024/05/x/.env", "TOKEN=zzsecret\n");
    site.write("content/2024/05/x/notes.pdf", "%PDF-1.4\n");
    site.build();
    assert!(site.exists("public/2024/05/01/x/notes.pdf"));
    assert!(!site.exists("public/2024/05/01/x/.git"));
    assert!(!site.exists("public/2024/05/01/x/.env"));
    assert!(!published_anything_secret(&site));
}

#[test]
fn a_folder_link_out_of_the_site_is_not_served_by_the_preview() {
    let site = site_with_a_secret();
    std::os::unix::fs::symlink("../../../../.git", site.path("content/2024/05/x/g"))
        .expect("symlink");
    let server = crate::serve::serve(&site);
    let r = crate::serve::request(server.addr, "GET", "/2024/05/01/x/g/config");
    assert_ne!(r.status, 200);
    assert!(!r.text().contains("zzsecret"));
}
