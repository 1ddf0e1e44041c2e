//! Completions, man pages and docs/cli.md must match the command tree; `UPDATE_GENERATED=1`
//! rewrites them.

use std::path::Path;

#[test]
fn generated_files_are_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let update = std::env::var_os("UPDATE_GENERATED").is_some_and(|v| v == "1");
    let mut stale = Vec::new();
    for (relative, contents) in acr::cli::generate::files() {
        let path = root.join(&relative);
        let current = std::fs::read(&path).unwrap_or_default();
        if current != contents {
            if update {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, &contents).unwrap();
            } else {
                stale.push(relative);
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale generated files (run with UPDATE_GENERATED=1): {stale:?}"
    );
}
