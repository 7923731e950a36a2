use super::*;

/// Keeps every URL and id as it is, drops `missing.png`.
struct Pass(Vec<String>);
impl Resolve for Pass {
    fn href(&mut self, url: &str) -> Option<String> {
        Some(url.to_string())
    }
    fn image(&mut self, src: &str) -> Option<String> {
        (src != "missing.png").then(|| format!("images/{src}"))
    }
    fn id(&mut self, id: &str) -> bool {
        if self.0.iter().any(|i| i == id) {
            return false;
        }
        self.0.push(id.to_string());
        true
    }
}

fn clean(context: Context, html: &str) -> (String, Vec<String>) {
    let mut f = Fragment::new(context);
    let mut out = String::new();
    let removed = f.feed(html, &mut out, &mut Pass(vec![]));
    f.finish(&mut out);
    (out, removed)
}

fn flow(html: &str) -> String {
    clean(Context::Flow, html).0
}

#[test]
fn sanitize_drops_script_and_style_with_content() {
    let (out, removed) = clean(
        Context::Flow,
        "<p>a<script>if (a < b) { x('</p>') }</script>b</p><style>p{}</style>",
    );
    assert_eq!(out, "<p>ab</p>");
    assert_eq!(
        removed,
        [
            "removed <script> element and its content",
            "removed <style> element and its content"
        ]
    );
}

#[test]
fn sanitize_removes_event_handlers_and_javascript_urls() {
    let (out, removed) = clean(
        Context::Phrasing,
        r#"<a href=" JaVa&#x09;script:alert(1)" onclick="x()" title="t">go</a>"#,
    );
    assert_eq!(out, r#"<a title="t">go</a>"#);
    assert_eq!(
        removed,
        ["removed javascript: URL", "removed onclick attribute"]
    );
}

#[test]
fn sanitize_balances_and_escapes() {
    assert_eq!(
        flow("<div class=x><p>A & B <em>c</div> d < e"),
        "<div class=\"x\"><p>A &amp; B <em>c</em></p></div> d &lt; e"
    );
    assert_eq!(
        flow("<br><hr><img src=a.png alt='A \"q\"'>"),
        "<br/><hr/><img src=\"images/a.png\" alt=\"A &quot;q&quot;\"/>"
    );
    assert_eq!(flow("</span>x<b>y"), "x<b>y</b>");
    assert_eq!(flow("<span/>z"), "<span></span>z");
}

#[test]
fn sanitize_unwraps_unknown_elements_and_keeps_text() {
    let (out, removed) = clean(Context::Flow, "<center><font color=red>Hi</font></center>");
    assert_eq!(out, "Hi");
    assert_eq!(
        removed,
        [
            "removed unknown element <center> (its content is kept)",
            "removed unknown element <font> (its content is kept)"
        ]
    );
}

#[test]
fn sanitize_applies_implied_end_tags() {
    assert_eq!(
        flow("<ul><li>a<li>b</ul><p>x<div>y</div>"),
        "<ul><li>a</li><li>b</li></ul><p>x</p><div>y</div>"
    );
    assert_eq!(
        flow("<table><tr><td>1<td>2<tr><th>3</table>"),
        "<table><tr><td>1</td><td>2</td></tr><tr><th>3</th></tr></table>"
    );
    assert_eq!(flow("<li>stray</li>"), "stray");
}

#[test]
fn sanitize_keeps_blocks_out_of_running_text() {
    let (out, removed) = clean(Context::Phrasing, "<div>x</div><span>y</span>");
    assert_eq!(out, "x<span>y</span>");
    assert_eq!(removed.len(), 1);
}

#[test]
fn sanitize_keeps_state_between_pieces() {
    let mut f = Fragment::new(Context::Phrasing);
    let mut out = String::new();
    let mut r = Pass(vec![]);
    assert!(f.feed("<span class=\"sc\">", &mut out, &mut r).is_empty());
    out.push_str("markdown");
    f.feed("</span>", &mut out, &mut r);
    f.feed("<q>", &mut out, &mut r);
    f.finish(&mut out);
    assert_eq!(out, "<span class=\"sc\">markdown</span><q></q>");
}

#[test]
fn sanitize_images_need_alt_and_a_usable_source() {
    let (out, removed) = clean(
        Context::Phrasing,
        "<img src=a.png><img src=missing.png alt=x>",
    );
    assert_eq!(out, "<img src=\"images/a.png\" alt=\"\"/>");
    assert_eq!(removed, ["image without alt text (add an alt attribute)"]);
}

#[test]
fn sanitize_drops_duplicate_ids_and_adds_xml_lang() {
    let (out, _) = clean(Context::Flow, "<p id=a lang=fr>x</p><p id=a>y</p>");
    assert_eq!(out, "<p id=\"a\" xml:lang=\"fr\" lang=\"fr\">x</p><p>y</p>");
}

#[test]
fn sanitize_writes_an_anchor_name_as_its_id() {
    assert_eq!(
        flow("<p><a name=\"old\"></a>x</p>"),
        "<p><a id=\"old\"></a>x</p>"
    );
    // An id wins over the name; a name off an `<a>` is dropped.
    assert_eq!(
        flow("<p><a name=\"n\" id=\"i\">x</a><span name=\"s\">y</span></p>"),
        "<p><a id=\"i\">x</a><span>y</span></p>"
    );
    assert_eq!(ids("<a name=\"old\"></a>", Context::Flow), ["old"]);
}

#[test]
fn sanitize_survives_garbage() {
    for s in [
        "<",
        "<a",
        "<a href='",
        "<!--",
        "&#xffffffff;",
        "&#0;",
        "<<>>",
        "</",
        "<a =b>",
        "\u{0}",
    ] {
        let _ = clean(Context::Flow, s);
        let _ = clean(Context::Phrasing, s);
    }
    assert_eq!(flow("a < b"), "a &lt; b");
    assert_eq!(flow("a<b"), "a"); // EOF inside a tag drops it, as in HTML
    assert_eq!(flow("<!-- c --><!doctype html>t"), "t");
}

/// Checks that `out` is balanced XML: every start tag closed in order,
/// no bare `<` or `&` outside references.
fn assert_well_formed(input: &str, out: &str) {
    let mut stack: Vec<&str> = Vec::new();
    let mut rest = out;
    while let Some(p) = rest.find(['<', '&']) {
        let tail = &rest[p..];
        if let Some(after) = tail.strip_prefix('&') {
            let ok = ["amp;", "lt;", "gt;", "quot;", "#9;", "#10;", "#13;"]
                .iter()
                .any(|r| after.starts_with(r));
            assert!(ok, "bare & in {out:?} from {input:?}");
            rest = after;
            continue;
        }
        let end = tail
            .find('>')
            .unwrap_or_else(|| panic!("unclosed tag in {out:?} from {input:?}"));
        let tag = &tail[1..end];
        assert!(
            !tag.contains('<'),
            "< inside a tag in {out:?} from {input:?}"
        );
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop(), Some(name), "{out:?} from {input:?}");
        } else if !tag.ends_with('/') {
            stack.push(tag.split(' ').next().unwrap());
        }
        rest = &tail[end + 1..];
    }
    assert!(
        stack.is_empty(),
        "unclosed {stack:?} in {out:?} from {input:?}"
    );
}

#[test]
fn sanitize_output_is_well_formed_for_random_input() {
    const PIECES: &[&str] = &[
        "<",
        ">",
        "/",
        "=",
        "\"",
        "'",
        "&",
        "&amp;",
        "&#",
        ";",
        " ",
        "\n",
        "é",
        "—",
        "x",
        "p",
        "div",
        "span",
        "li",
        "ul",
        "table",
        "tr",
        "td",
        "a",
        "img",
        "script",
        "style",
        "br",
        "em",
        "href",
        "src",
        "onclick",
        "javascript:",
        "!--",
        "-->",
        "center",
        "pre",
    ];
    let mut seed: u64 = 0x5eed;
    for _ in 0..3000 {
        let mut input = String::new();
        for _ in 0..(seed % 40) {
            // A linear congruential generator (Knuth's MMIX constants).
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            input.push_str(PIECES[(seed >> 33) as usize % PIECES.len()]);
        }
        for context in [Context::Flow, Context::Phrasing] {
            let (out, _) = clean(context, &input);
            assert_well_formed(&input, &out);
        }
    }
}

#[test]
fn sanitize_drops_raw_text_elements_whatever_their_spelling() {
    for (html, name) in [
        (
            "<p>a<script type=\"text/javascript\">alert(1)</script >b</p>",
            "script",
        ),
        ("<p>a<SCRIPT>alert(1)</SCRIPT>b</p>", "script"),
        ("<p>a<ScRiPt src=x>alert(1)</script\t>b</p>", "script"),
        ("<p>a<script>alert('</scriptx>')</script/>b</p>", "script"),
        (
            "<p>a<script><!--<script></script>alert(1)</script>b</p>",
            "script",
        ),
        ("<p>a<style>p { background: red }</style>b</p>", "style"),
        (
            "<p>a<textarea><img src=x onerror=alert(1)></textarea>b</p>",
            "textarea",
        ),
        ("<p>a<title>alert(1)</title>b</p>", "title"),
        ("<p>a<xmp><b>alert(1)</b></xmp>b</p>", "xmp"),
        ("<p>a<iframe><p>alert(1)</p></iframe>b</p>", "iframe"),
        ("<p>a<noembed>alert(1)</noembed>b</p>", "noembed"),
        ("<p>a<noframes>alert(1)</noframes>b</p>", "noframes"),
        (
            "<p>a<noscript><img src=x onerror=alert(1)></noscript>b</p>",
            "noscript",
        ),
    ] {
        let (out, removed) = clean(Context::Flow, html);
        assert_eq!(out, "<p>ab</p>", "{html}");
        assert_eq!(
            removed,
            [format!("removed <{name}> element and its content")]
        );
    }
}

#[test]
fn sanitize_unclosed_raw_text_runs_to_the_end() {
    for html in [
        "<p>a<script>alert(1)",
        "<p>a<script/>alert(1)</p><p>c</p>",
        "<p>a<style>p{}</p>",
        "<p>a<plaintext>alert(1)</plaintext><b>x</b>",
    ] {
        let (out, _) = clean(Context::Flow, html);
        assert_eq!(out, "<p>a</p>", "{html}");
    }
}

#[test]
fn sanitize_raw_text_continues_into_the_next_piece() {
    let mut f = Fragment::new(Context::Phrasing);
    let mut out = String::new();
    let mut r = Pass(vec![]);
    f.feed("<script>", &mut out, &mut r);
    assert!(f.is_skipping());
    f.feed("<b>alert(1)</b></script>", &mut out, &mut r);
    assert!(!f.is_skipping());
    f.feed("<i>ok</i>", &mut out, &mut r);
    f.finish(&mut out);
    assert_eq!(out, "<i>ok</i>");
}

#[test]
fn sanitize_ids_skip_dropped_and_unwrapped_elements() {
    assert_eq!(
        ids(
            "<svg><g id=\"a\"></g></svg><span id=b></span><script>x id=c</script>",
            Context::Flow
        ),
        ["b"]
    );
    assert_eq!(
        ids("<div id=d></div><em id=e></em>", Context::Phrasing),
        ["e"]
    );
}

#[test]
fn dangerous_url_sees_through_spelling() {
    assert!(dangerous_url("javascript:x"));
    assert!(dangerous_url(" JAVA\tSCRIPT:x"));
    assert!(dangerous_url("data:text/html,x"));
    assert!(!dangerous_url("https://example.org/javascript:"));
    assert!(!dangerous_url("#javascript"));
}
