//! The repository × permission editor shared by the new-token page (a new scope map) and the
//! scope-map pages: one group per repository with a text field and five checkboxes
//! (`content/delete`, `content/read`, `content/write`, `metadata/read`, `metadata/write`), and
//! one blank group to add a repository. "+ Add" re-renders the form with one more blank group
//! (no JavaScript, nothing stored); saving turns the groups into scope-map actions. A
//! repository with no permission ticked is dropped when saved. Actions the editor does not
//! show as groups (gateway actions) are kept as they are. Pure: parsing and rendering only;
//! the rules (`management::rules::check_actions`) are applied by the caller.

use super::auth::Form;
use super::html::esc;
use crate::emulator::management::rules::REPOSITORY_ACTIONS;

/// Most groups a form may carry (a scope map holds at most 500 repositories).
const MAX_ROWS: usize = 600;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Row {
    pub repo: String,
    /// A subset of [`REPOSITORY_ACTIONS`], in that order.
    pub perms: Vec<String>,
}

/// The editor's content: repository groups, and the actions kept verbatim.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft {
    pub rows: Vec<Row>,
    pub other: Vec<String>,
}

impl Draft {
    /// Groups a scope map's actions by repository, in order of first appearance.
    pub fn from_actions(actions: &[String]) -> Draft {
        let mut d = Draft::default();
        for a in actions {
            let parsed = a.strip_prefix("repositories/").and_then(|rest| {
                let mut it = rest.rsplitn(3, '/');
                let (verb, kind, repo) = (it.next()?, it.next()?, it.next()?);
                let perm = format!("{kind}/{verb}");
                REPOSITORY_ACTIONS
                    .contains(&perm.as_str())
                    .then(|| (repo.to_string(), perm))
            });
            match parsed {
                Some((repo, perm)) => {
                    let row = match d.rows.iter().position(|r| r.repo == repo) {
                        Some(i) => d.rows.get_mut(i),
                        None => {
                            d.rows.push(Row {
                                repo,
                                perms: Vec::new(),
                            });
                            d.rows.last_mut()
                        }
                    };
                    let Some(row) = row else { continue };
                    if !row.perms.contains(&perm) {
                        row.perms.push(perm);
                        row.perms.sort_by_key(|p| {
                            REPOSITORY_ACTIONS.iter().position(|x| x == p).unwrap_or(9)
                        });
                    }
                }
                None => d.other.push(a.clone()),
            }
        }
        d
    }

    /// The groups as submitted (`rows`, `repo-N`, `perm-N`, `keep-action`). Groups without a
    /// repository name are dropped; unknown permission values are ignored.
    pub fn from_form(form: &Form) -> Draft {
        let n = form
            .text("rows")
            .parse::<usize>()
            .unwrap_or(0)
            .min(MAX_ROWS);
        let mut rows = Vec::new();
        for i in 0..n {
            let repo = form.text(&format!("repo-{i}")).to_string();
            if repo.is_empty() {
                continue;
            }
            let name = format!("perm-{i}");
            let ticked: Vec<&str> = form.all(&name).collect();
            let perms = REPOSITORY_ACTIONS
                .iter()
                .filter(|p| ticked.contains(p))
                .map(|p| p.to_string())
                .collect();
            rows.push(Row { repo, perms });
        }
        Draft {
            rows,
            other: form.all("keep-action").map(str::to_string).collect(),
        }
    }

    /// The scope-map actions: every ticked permission of every named repository, then the
    /// kept actions, without duplicates.
    pub fn actions(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let all = self
            .rows
            .iter()
            .flat_map(|r| {
                r.perms
                    .iter()
                    .map(move |p| format!("repositories/{}/{p}", r.repo))
            })
            .chain(self.other.iter().cloned());
        for a in all {
            if !out.contains(&a) {
                out.push(a);
            }
        }
        out
    }

    /// The editor's fields: one group per row and a blank group for a new repository.
    pub fn render(&self, read_only: bool) -> String {
        let mut h = String::new();
        let mut rows: Vec<&Row> = self.rows.iter().collect();
        let blank = Row::default();
        if !read_only {
            rows.push(&blank);
        }
        if !read_only {
            h.push_str(&format!(
                "<input type=\"hidden\" name=\"rows\" value=\"{}\">\n",
                rows.len()
            ));
        }
        h.push_str("<div class=\"repos\">\n");
        for (i, row) in rows.iter().enumerate() {
            let legend = if row.repo.is_empty() {
                "New repository".to_string()
            } else {
                format!("Repository {}", row.repo)
            };
            h.push_str(&format!(
                "<fieldset class=\"repo\"><legend>{}</legend>\n",
                esc(&legend)
            ));
            if read_only {
                h.push_str(&format!(
                    "<p class=\"reponame\"><code>{}</code></p>\n",
                    esc(&row.repo)
                ));
            } else {
                h.push_str(&format!(
                    "<label for=\"repo-{i}\">Repository</label>\n<input type=\"text\" id=\"repo-{i}\" name=\"repo-{i}\" value=\"{}\" autocomplete=\"off\" autocapitalize=\"off\" spellcheck=\"false\" aria-describedby=\"repo-hint\">\n",
                    esc(&row.repo)
                ));
            }
            h.push_str("<fieldset class=\"perms\"><legend>Permissions</legend>\n");
            for p in REPOSITORY_ACTIONS {
                let checked = if row.perms.iter().any(|x| x == p) {
                    " checked"
                } else {
                    ""
                };
                let disabled = if read_only { " disabled" } else { "" };
                h.push_str(&format!(
                    "<label class=\"check\"><input type=\"checkbox\" name=\"perm-{i}\" value=\"{p}\"{checked}{disabled}> {p}</label>\n"
                ));
            }
            h.push_str("</fieldset>\n</fieldset>\n");
        }
        h.push_str("</div>\n");
        if !read_only {
            h.push_str("<p class=\"hint\" id=\"repo-hint\">A repository name such as <code>samples/hello-world</code>, a wildcard prefix such as <code>samples/*</code>, or <code>*</code> for every repository. Lower-case letters, digits, <code>.</code>, <code>_</code>, <code>-</code> and <code>/</code>. A repository with no permission ticked is removed when you save.</p>\n");
            h.push_str("<p><button type=\"submit\" name=\"op\" value=\"add-row\" class=\"secondary\">+ Add</button></p>\n");
        }
        if !self.other.is_empty() {
            h.push_str("<h3>Other actions</h3>\n<p>Kept unchanged; change them with <code>acr scope-map update</code>.</p>\n<ul>\n");
            for a in &self.other {
                h.push_str(&format!("<li><code>{}</code>", esc(a)));
                if !read_only {
                    h.push_str(&format!(
                        "<input type=\"hidden\" name=\"keep-action\" value=\"{}\">",
                        esc(a)
                    ));
                }
                h.push_str("</li>\n");
            }
            h.push_str("</ul>\n");
        }
        h
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> Form {
        Form(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn actions_group_by_repository_and_round_trip() {
        let actions: Vec<String> = [
            "repositories/samples/hello-world/content/write",
            "repositories/samples/hello-world/content/read",
            "repositories/samples/*/metadata/read",
            "gateway/gw1/config/read",
            "repositories/*/content/read",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let d = Draft::from_actions(&actions);
        assert_eq!(d.rows.len(), 3);
        assert_eq!(d.rows[0].repo, "samples/hello-world");
        assert_eq!(d.rows[0].perms, ["content/read", "content/write"]);
        assert_eq!(d.rows[1].repo, "samples/*");
        assert_eq!(d.other, ["gateway/gw1/config/read"]);
        let mut back = d.actions();
        let mut want = actions.clone();
        back.sort();
        want.sort();
        assert_eq!(back, want);
    }

    #[test]
    fn forms_drop_unnamed_groups_and_unknown_permissions() {
        let f = form(&[
            ("rows", "3"),
            ("repo-0", " samples/hello-world "),
            ("perm-0", "content/read"),
            ("perm-0", "content/write"),
            ("perm-0", "content/fly"),
            ("repo-1", ""),
            ("perm-1", "content/read"),
            ("repo-2", "samples/nginx"),
            ("keep-action", "gateway/gw/config/read"),
        ]);
        let d = Draft::from_form(&f);
        assert_eq!(d.rows.len(), 2);
        assert_eq!(d.rows[0].repo, "samples/hello-world");
        assert_eq!(d.rows[0].perms, ["content/read", "content/write"]);
        assert!(d.rows[1].perms.is_empty());
        assert_eq!(
            d.actions(),
            [
                "repositories/samples/hello-world/content/read",
                "repositories/samples/hello-world/content/write",
                "gateway/gw/config/read"
            ]
        );
        assert!(
            Draft::from_form(&form(&[("rows", "99999999999")]))
                .rows
                .is_empty()
        );
    }

    #[test]
    fn rendering_labels_every_field_and_escapes_names() {
        let d = Draft {
            rows: vec![Row {
                repo: "a\"<b>".into(),
                perms: vec!["content/read".into()],
            }],
            other: vec!["gateway/<x>/config/read".into()],
        };
        let h = d.render(false);
        assert!(h.contains("value=\"a&quot;&lt;b&gt;\""));
        assert!(h.contains("<legend>Repository a&quot;&lt;b&gt;</legend>"));
        assert!(h.contains("<legend>New repository</legend>"));
        assert!(h.contains("name=\"rows\" value=\"2\""));
        assert!(h.contains("<label for=\"repo-1\">Repository</label>"));
        assert!(h.contains("value=\"content/read\" checked>"));
        assert!(h.contains("gateway/&lt;x&gt;/config/read"));
        assert!(!h.contains("<x>"));
        let ro = d.render(true);
        assert!(!ro.contains("name=\"rows\""));
        assert!(!ro.contains("+ Add"));
        assert!(ro.contains(" disabled"));
    }
}
