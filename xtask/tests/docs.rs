//! The Markdown files stay true to the tree: every relative link in every `.md` file, and every
//! `code-quoted` path into one of the repository's top-level directories, points at a file or
//! directory that exists.
use std::path::{Path, PathBuf};

use xtask::Workspace;

/// Every tracked Markdown file below `root` (skipping build output and npm packages).
fn markdown_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if path.is_dir() {
                if !name.starts_with('.') && name != "target" && name != "node_modules" {
                    stack.push(path);
                }
            } else if name.ends_with(".md") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The targets of the inline links `[text](target)` in `text`, without titles and anchors.
fn link_targets(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        let mut rest = line;
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            let Some(end) = after.find(')') else { break };
            let target = after[..end].split_whitespace().next().unwrap_or("");
            let target = target.split('#').next().unwrap_or("");
            if !target.is_empty() && !target.contains("://") && !target.starts_with("mailto:") {
                out.push(target.to_string());
            }
            rest = &after[end..];
        }
    }
    out
}

/// The `code-quoted` paths in `text` that start with one of `top_dirs` (e.g. `devnode/src/lib.rs`),
/// skipping placeholders such as `deployments/<chainid>.json`, globs and npm's `node_modules`.
fn quoted_repo_paths(text: &str, top_dirs: &[String]) -> Vec<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .filter(|quoted| {
            quoted.contains('/')
                && !quoted.contains(|c: char| c.is_whitespace() || "<>*{}$=:".contains(c))
                // Installed by npm on first use, not part of the tree.
                && !quoted.split('/').any(|part| part == "node_modules")
                && top_dirs
                    .iter()
                    .any(|dir| quoted.split('/').next() == Some(dir.as_str()))
        })
        .map(str::to_string)
        .collect()
}

/// The repository's top-level directories that a document may point into.
fn top_dirs(root: &Path) -> Vec<String> {
    std::fs::read_dir(root)
        .unwrap()
        .filter_map(|e| {
            let path = e.unwrap().path();
            let name = path.file_name()?.to_str()?.to_string();
            let generated = ["target", "deployments", "node_modules"].contains(&name.as_str());
            (path.is_dir() && !name.starts_with('.') && !generated).then_some(name)
        })
        .collect()
}

#[test]
fn quoted_paths_are_found_only_under_top_level_directories() {
    let dirs = vec!["docs".to_string(), "devnode".to_string()];
    let text = "see `docs/a.md`, `devnode/src`, `src/main.rs`, `deployments/<id>.json`, `a b/c`, \
                `docs/node_modules/x`";
    assert_eq!(quoted_repo_paths(text, &dirs), ["docs/a.md", "devnode/src"]);
}

#[test]
fn link_targets_are_parsed_without_anchors_titles_or_urls() {
    let text = "see [a](docs/a.md#x) and [b](b.md \"t\"), [c](https://x.y) [d](#here)\n\
                ```\n[e](not/a/link.md)\n```\n";
    assert_eq!(link_targets(text), ["docs/a.md", "b.md"]);
}

/// The part of `text` that describes the current tree: all of it, except in the changelog, whose
/// released sections (from the first `## [x.y.z]` after `## [Unreleased]`) name files of past
/// trees.
fn current_text<'a>(file: &Path, text: &'a str) -> &'a str {
    if !file.ends_with("CHANGELOG.md") {
        return text;
    }
    let unreleased = text.find("## [Unreleased]").map_or(0, |i| i + 1);
    match text[unreleased..].find("\n## [") {
        Some(end) => &text[..unreleased + end],
        None => text,
    }
}

#[test]
fn the_changelog_is_checked_up_to_its_first_release() {
    let text = "# Changelog\n## [Unreleased]\n`a/b`\n## [0.1.0] - 2026-01-01\n`c/d`\n";
    let current = current_text(Path::new("CHANGELOG.md"), text);
    assert!(current.contains("`a/b`") && !current.contains("`c/d`"));
    assert_eq!(current_text(Path::new("README.md"), text), text);
}

#[test]
fn every_relative_markdown_link_and_quoted_path_resolves() {
    let ws = Workspace::locate().unwrap();
    let files = markdown_files(&ws.root);
    let dirs = top_dirs(&ws.root);
    assert!(files.iter().any(|f| f.ends_with("README.md")));
    let mut broken = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let dir = file.parent().unwrap();
        for target in link_targets(&text) {
            if !dir.join(&target).exists() {
                broken.push(format!("{}: {target}", file.display()));
            }
        }
        for path in quoted_repo_paths(current_text(file, &text), &dirs) {
            // From the root, or from the document's own directory (a crate's README).
            if !ws.root.join(&path).exists() && !dir.join(&path).exists() {
                broken.push(format!("{}: `{path}`", file.display()));
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}
