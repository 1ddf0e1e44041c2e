//! HTML for the console: the one escaping function every untrusted string goes through
//! ([`esc`]), URL path-segment encoding for links ([`seg`]), and the page shell (head,
//! skip link, header, breadcrumbs, registry navigation, main landmark, notices). Markup is
//! built with `format!` and `push_str`; a value that did not come from this crate's own
//! literals is passed through [`esc`] (text and attribute values alike: every attribute is
//! double-quoted) or [`seg`] (inside a URL path). No I/O, no state.

/// Escapes text for an HTML text node or a double-quoted attribute value.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len().saturating_add(8));
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Encodes one URL path segment (a registry, token or scope-map name): the CLI's ARM segment
/// encoder, so the console's links and acr's requests encode a name the same way. It keeps
/// only letters, digits and `-_.~()`, so the result is also safe inside a double-quoted
/// attribute.
pub use crate::api::encode::arm_segment as seg;

/// Encodes a repository name for a path: each `/`-separated part is a segment.
pub fn repo_path(repo: &str) -> String {
    repo.split('/').map(seg).collect::<Vec<_>>().join("/")
}

/// Which part of a registry's navigation a page belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Overview,
    Tokens,
    ScopeMaps,
    Repositories,
}

/// A notice shown above a page's content.
pub enum Notice {
    Success(String),
    Error(String),
}

/// What the shell needs besides the body.
pub struct Page<'a> {
    pub title: String,
    /// Links before the title in the breadcrumb trail: (text, href).
    pub crumbs: Vec<(String, String)>,
    /// The registry whose navigation is shown, and the current section.
    pub registry: Option<(&'a str, Section)>,
    pub notice: Option<Notice>,
    /// The session's CSRF token for the sign-out form; `None` when signed out.
    pub csrf: Option<&'a str>,
}

impl<'a> Page<'a> {
    pub fn new(title: impl Into<String>) -> Page<'a> {
        Page {
            title: title.into(),
            crumbs: Vec::new(),
            registry: None,
            notice: None,
            csrf: None,
        }
    }

    /// The page shell around `body` (already-escaped markup).
    pub fn render(&self, body: &str) -> String {
        let mut h = String::with_capacity(body.len().saturating_add(2048));
        h.push_str(concat!(
            "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
            "<meta name=\"referrer\" content=\"same-origin\">\n",
            "<link rel=\"icon\" href=\"data:,\">\n",
            "<link rel=\"stylesheet\" href=\"/portal/static/console.css\">\n",
            "<script src=\"/portal/static/console.js\" defer></script>\n",
        ));
        h.push_str(&format!(
            "<title>{} · acr-emulator console</title>\n</head>\n<body>\n",
            esc(&self.title)
        ));
        h.push_str("<a class=\"skip\" href=\"#main\">Skip to content</a>\n<header class=\"top\">\n<a class=\"brand\" href=\"/portal/\">acr-emulator console</a>\n");
        if let Some(csrf) = self.csrf {
            h.push_str(&format!(
                "<form class=\"signout\" method=\"post\" action=\"/portal/signout\">{}<button type=\"submit\" class=\"link\">Sign out</button></form>\n",
                csrf_input(csrf)
            ));
        }
        h.push_str("</header>\n");
        if !self.crumbs.is_empty() {
            h.push_str("<nav class=\"crumbs\" aria-label=\"Breadcrumb\"><ol>");
            for (text, href) in &self.crumbs {
                h.push_str(&format!(
                    "<li><a href=\"{}\">{}</a></li>",
                    esc(href),
                    esc(text)
                ));
            }
            h.push_str(&format!(
                "<li><span aria-current=\"page\">{}</span></li></ol></nav>\n",
                esc(&self.title)
            ));
        }
        h.push_str("<div class=\"layout\">\n");
        if let Some((reg, current)) = self.registry {
            h.push_str(&registry_nav(reg, current));
        }
        h.push_str(&format!(
            "<main id=\"main\" tabindex=\"-1\">\n<h1>{}</h1>\n",
            esc(&self.title)
        ));
        match &self.notice {
            Some(Notice::Success(m)) => h.push_str(&format!(
                "<div class=\"notice success\" role=\"status\"><p>{}</p></div>\n",
                esc(m)
            )),
            Some(Notice::Error(m)) => h.push_str(&format!(
                "<div class=\"notice error\" role=\"alert\"><p><strong>Error:</strong> {}</p></div>\n",
                esc(m)
            )),
            None => {}
        }
        h.push_str(body);
        h.push_str("\n</main>\n</div>\n<footer><p>acr-emulator console: an offline stand-in for the Azure portal's registry pages. Every change here is what <code>acr</code> and the management API see.</p></footer>\n</body>\n</html>\n");
        h
    }
}

fn registry_nav(reg: &str, current: Section) -> String {
    let base = format!("/portal/registries/{}", seg(reg));
    let link = |s: Section, href: String, text: &str| {
        let cur = if s == current {
            " aria-current=\"page\""
        } else {
            ""
        };
        format!("<li><a href=\"{}\"{cur}>{text}</a></li>", esc(&href))
    };
    format!(
        "<nav class=\"side\" aria-label=\"Registry {}\">\n<ul>{}</ul>\n<h2 class=\"navhead\" id=\"nav-permissions\">Repository permissions</h2>\n<ul aria-labelledby=\"nav-permissions\">{}{}</ul>\n<h2 class=\"navhead\" id=\"nav-services\">Services</h2>\n<ul aria-labelledby=\"nav-services\">{}</ul>\n</nav>\n",
        esc(reg),
        link(Section::Overview, base.clone(), "Overview"),
        link(Section::Tokens, format!("{base}/tokens"), "Tokens"),
        link(
            Section::ScopeMaps,
            format!("{base}/scope-maps"),
            "Scope maps"
        ),
        link(
            Section::Repositories,
            format!("{base}/repositories"),
            "Repositories"
        ),
    )
}

/// The hidden CSRF field every state-changing form carries.
pub fn csrf_input(token: &str) -> String {
    format!(
        "<input type=\"hidden\" name=\"csrf_token\" value=\"{}\">",
        esc(token)
    )
}

/// A table with a caption, header cells and rows of already-escaped cells.
pub fn table(caption: &str, headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut h = format!(
        "<div class=\"scroll\" role=\"region\" aria-label=\"{}\" tabindex=\"0\"><table>\n<caption>{}</caption>\n<thead><tr>",
        esc(caption),
        esc(caption)
    );
    for head in headers {
        h.push_str(&format!("<th scope=\"col\">{}</th>", esc(head)));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    if rows.is_empty() {
        h.push_str(&format!(
            "<tr><td colspan=\"{}\">None.</td></tr>\n",
            headers.len()
        ));
    }
    for row in rows {
        h.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            if i == 0 {
                h.push_str(&format!("<th scope=\"row\">{cell}</th>"));
            } else {
                h.push_str(&format!("<td>{cell}</td>"));
            }
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table></div>\n");
    h
}

/// `<a href>` with escaped text.
pub fn link(href: &str, text: &str) -> String {
    format!("<a href=\"{}\">{}</a>", esc(href), esc(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_every_markup_character() {
        assert_eq!(
            esc(r#"<b title="x">Tom & 'Jerry'</b>"#),
            "&lt;b title=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/b&gt;"
        );
        assert_eq!(esc("plain text 中文"), "plain text 中文");
        assert_eq!(esc(""), "");
    }

    #[test]
    fn links_cannot_break_out_of_an_attribute_or_a_segment() {
        // The encoding itself is tested with the encoder (api::encode); what the console adds
        // is that markup characters never survive into an href and a repository keeps its `/`.
        assert_eq!(seg("<x\"'&>"), "%3Cx%22%27%26%3E");
        assert_eq!(repo_path("a b/c?"), "a%20b/c%3F");
    }

    #[test]
    fn the_shell_escapes_title_crumbs_and_notices() {
        let mut p = Page::new("<script>alert('t')</script>");
        p.crumbs.push(("a&b".into(), "/portal/?x=\"1\"".into()));
        p.notice = Some(Notice::Error("bad <name>".into()));
        let html = p.render("<p>body</p>");
        assert!(!html.contains("<script>alert"));
        assert!(html.contains("&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;"));
        assert!(html.contains("href=\"/portal/?x=&quot;1&quot;\""));
        assert!(html.contains("bad &lt;name&gt;"));
        assert!(html.contains("<p>body</p>"));
        assert!(html.contains("<main id=\"main\""));
    }

    #[test]
    fn tables_have_captions_and_header_scopes() {
        let t = table(
            "Tokens",
            &["Name", "Status"],
            &[vec!["a".into(), "b".into()]],
        );
        assert!(t.contains("<caption>Tokens</caption>"));
        assert!(t.contains("<th scope=\"col\">Name</th>"));
        assert!(t.contains("<th scope=\"row\">a</th><td>b</td>"));
        let empty = table("X", &["A", "B"], &[]);
        assert!(empty.contains("colspan=\"2\""));
    }
}
