//! Markdown written by organizers and participants becomes HTML only through
//! here: parsed by pulldown-cmark, then sanitized by ammonia (no script, no
//! event attributes, no `javascript:` links).

use pulldown_cmark::{Options, Parser, html};
use std::sync::LazyLock;

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.link_rel(Some("noopener noreferrer nofollow"))
        .url_schemes(["http", "https", "mailto"].into_iter().collect());
    b
});

pub fn to_html(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, Parser::new_ext(markdown, options));
    SANITIZER.clean(&raw).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_event_handlers_and_javascript_links_are_removed() {
        let html = to_html(
            "Hi <script>alert(1)</script> <img src=x onerror=alert(2)> \
             [x](javascript:alert(3)) <svg onload=alert(4)></svg>",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("onload"), "{html}");
    }

    #[test]
    fn ordinary_markdown_survives() {
        let html = to_html("Some *emphasis* and a [link](https://example.org).");
        assert!(html.contains("<em>emphasis</em>"));
        assert!(html.contains("href=\"https://example.org\""));
    }
}
