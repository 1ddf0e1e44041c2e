//! The browser test's outside view: skopeo as token `MyToken` (push, pull and inspect the
//! scratch OCI image `v1` in the emulator's registry) and the cells of `acr … -o table`
//! output, cut at the columns of its dashed rule.

use std::path::PathBuf;

use crate::support::clients::{Run, Tools};

/// skopeo signing in as `MyToken` with a given password.
pub struct AsToken<'a> {
    pub tools: &'a Tools,
    pub skopeo: PathBuf,
}

impl AsToken<'_> {
    async fn run(&self, args: &[&str]) -> Run {
        self.tools.run(&self.skopeo, args).await
    }

    pub async fn push(&self, repo: &str, password: &str) -> Run {
        let (creds, certdir) = (format!("MyToken:{password}"), self.tools.path("certdir"));
        let (src, dest) = (
            format!("oci:{}:v1", self.tools.path("oci/hello")),
            format!("docker://{}", self.tools.image(&format!("{repo}:v1"))),
        );
        self.run(&[
            "copy",
            "--dest-creds",
            &creds,
            "--dest-cert-dir",
            &certdir,
            &src,
            &dest,
        ])
        .await
    }

    pub async fn pull(&self, repo: &str, password: &str) -> Run {
        let (creds, certdir) = (format!("MyToken:{password}"), self.tools.path("certdir"));
        let src = format!("docker://{}", self.tools.image(&format!("{repo}:v1")));
        let dest = format!(
            "oci:{}:v1",
            self.tools
                .path(&format!("pulled/{}", repo.replace('/', "-")))
        );
        self.run(&[
            "copy",
            "--src-creds",
            &creds,
            "--src-cert-dir",
            &certdir,
            &src,
            &dest,
        ])
        .await
    }

    pub async fn inspect(&self, repo: &str, password: &str) -> Run {
        let (creds, certdir) = (format!("MyToken:{password}"), self.tools.path("certdir"));
        let image = format!("docker://{}", self.tools.image(&format!("{repo}:v1")));
        // --no-tags: listing tags needs metadata/read, which the token may not have.
        self.run(&[
            "inspect",
            "--no-tags",
            "--creds",
            &creds,
            "--cert-dir",
            &certdir,
            &image,
        ])
        .await
    }
}

/// The cells of `acr … -o table` output, cut at the columns of its dashed rule.
pub fn table_rows(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let lines: Vec<&str> = text.lines().collect();
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in lines[1].char_indices().chain([(lines[1].len(), ' ')]) {
        match (c, start) {
            ('-', None) => start = Some(i),
            (' ', Some(s0)) => {
                spans.push((s0, i));
                start = None;
            }
            _ => {}
        }
    }
    let cut = |line: &str| -> Vec<String> {
        spans
            .iter()
            .enumerate()
            .map(|(k, &(a, b))| {
                let end = if k + 1 == spans.len() { line.len() } else { b };
                line.get(a..end.min(line.len()))
                    .unwrap_or("")
                    .trim()
                    .to_string()
            })
            .collect()
    };
    (cut(lines[0]), lines[2..].iter().map(|l| cut(l)).collect())
}
