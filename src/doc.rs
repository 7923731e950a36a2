//! The shared book tree that every backend reads.
//!
//! `markdown.rs` builds it once from the sources; the EPUB writer and the
//! typesetter only borrow it. Nothing here knows Markdown syntax, XHTML or PDF.
//! Its shape follows Pandoc's AST (`jgm/pandoc-types`, `Definition.hs`): blocks
//! hold inlines, and a footnote sits inline at its reference with its blocks,
//! as Pandoc's `Note [Block]` does.
//!
//! Invariants kept by the front end:
//! - every id in the book (chapter, part, heading, explicit anchor) is unique
//!   book-wide, so a link target is just an id;
//! - every internal link names an id that exists;
//! - note numbering is left to the backends: the tree gives only order.

use crate::source::Span;

/// A whole book: metadata and its divisions in reading order.
#[derive(Debug, Clone, PartialEq)]
pub struct Book {
    /// Title, authors, language and the rest.
    pub meta: Meta,
    /// Front matter (introduction, preface…), in order; unnumbered.
    pub front: Vec<Chapter>,
    /// The body: chapters, possibly grouped in parts.
    pub body: Vec<Division>,
    /// Back matter (acknowledgements, appendices…), in order; unnumbered.
    pub back: Vec<Chapter>,
}

impl Book {
    /// Every chapter in reading order, front to back matter, parts flattened.
    pub fn chapters(&self) -> impl Iterator<Item = &Chapter> {
        self.front
            .iter()
            .chain(self.body.iter().flat_map(|d| match d {
                Division::Part(p) => p.chapters.iter(),
                Division::Chapter(c) => std::slice::from_ref(c).iter(),
            }))
            .chain(self.back.iter())
    }

    /// The parts of the body, in order.
    pub fn parts(&self) -> impl Iterator<Item = &Part> {
        self.body.iter().filter_map(|d| match d {
            Division::Part(p) => Some(p),
            Division::Chapter(_) => None,
        })
    }
}

/// Book metadata, resolved (defaults filled in) by the front end.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Meta {
    /// Main title.
    pub title: String,
    /// Subtitle, if any.
    pub subtitle: Option<String>,
    /// Authors, in order; may be empty.
    pub authors: Vec<String>,
    /// BCP 47 language tag, e.g. `en` or `en-GB`.
    pub language: String,
    /// Stable unique identifier (a `urn:uuid:` when derived).
    pub identifier: String,
    /// Publication date as written (ISO 8601 expected), if any.
    pub date: Option<String>,
    /// Short description.
    pub description: Option<String>,
    /// Subject keywords.
    pub subjects: Vec<String>,
    /// Rights statement.
    pub rights: Option<String>,
    /// Cover image, relative to the book directory, if the book gives one.
    pub cover: Option<std::path::PathBuf>,
    /// File-name slug for outputs, from the title.
    pub slug: String,
}

/// A top-level division of the body.
#[derive(Debug, Clone, PartialEq)]
pub enum Division {
    /// A part grouping chapters.
    Part(Part),
    /// A chapter outside any part.
    Chapter(Chapter),
}

/// A part: a title, an optional opening note, and its chapters.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// Unique id (`part-1`, …).
    pub id: String,
    /// 1-based number among the parts.
    pub number: u32,
    /// The part's title.
    pub title: Vec<Inline>,
    /// Text printed under the part title (may be empty).
    pub intro: Vec<Block>,
    /// The part's chapters.
    pub chapters: Vec<Chapter>,
    /// Where the part was declared (its intro file, or the config).
    pub span: Option<Span>,
}

/// Where a chapter stands in the book.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Matter {
    /// Before the body; unnumbered.
    Front,
    /// The body; numbered.
    Body,
    /// After the body; unnumbered.
    Back,
}

/// One chapter: one source file.
#[derive(Debug, Clone, PartialEq)]
pub struct Chapter {
    /// Unique id: the id of its title heading.
    pub id: String,
    /// Front, body or back matter.
    pub matter: Matter,
    /// Number among body chapters (1-based, running through parts); `None` outside the body.
    pub number: Option<u32>,
    /// Nesting depth: 1 for a chapter, 2 for a sub-chapter (mdBook nesting), …
    pub depth: u8,
    /// The title, from the file's first level-1 heading (or its file name).
    pub title: Vec<Inline>,
    /// The source file, relative to the book directory (`part-one/01.md`).
    pub source: std::path::PathBuf,
    /// The content after the title heading.
    pub blocks: Vec<Block>,
    /// Span of the title heading, or of the file start.
    pub span: Span,
}

/// A block-level element.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A paragraph.
    Para {
        /// Its text.
        content: Vec<Inline>,
        /// Where it is.
        span: Span,
    },
    /// A section heading inside a chapter (level 2 and deeper; level 1 only
    /// when a file has several).
    Heading {
        /// 1–6.
        level: u8,
        /// Unique id (given with `{#id}` or derived from the text).
        id: String,
        /// Classes given with `{.class}`.
        classes: Vec<String>,
        /// Its language (`{lang=fr}`), a BCP 47 tag, where it differs from
        /// the book's.
        lang: Option<String>,
        /// Its text.
        content: Vec<Inline>,
        /// Where it is.
        span: Span,
    },
    /// A block quotation.
    BlockQuote {
        /// Its content.
        blocks: Vec<Block>,
        /// Where it is.
        span: Span,
    },
    /// A bulleted or numbered list.
    List {
        /// `None` for bullets, `Some(start)` for numbers.
        start: Option<u64>,
        /// Tight lists have no space between items.
        tight: bool,
        /// The items.
        items: Vec<ListItem>,
        /// Where it is.
        span: Span,
    },
    /// A definition list.
    DefinitionList {
        /// The terms and their definitions.
        items: Vec<Definition>,
        /// Where it is.
        span: Span,
    },
    /// Preformatted code.
    CodeBlock {
        /// Language from the info string, if any.
        lang: Option<String>,
        /// The code, with a final newline.
        text: String,
        /// Where it is.
        span: Span,
    },
    /// A table.
    Table {
        /// Alignment of each column.
        align: Vec<Align>,
        /// Each column's share of the table's width (summing to at most 1),
        /// where the source gives them (pandoc's multiline and grid tables,
        /// a simple table's dashes); empty: sized by content.
        widths: Vec<f32>,
        /// The header row's cells.
        head: Vec<Vec<Inline>>,
        /// The body rows' cells.
        rows: Vec<Vec<Vec<Inline>>>,
        /// Where it is.
        span: Span,
    },
    /// An image standing alone as its own paragraph, with its caption
    /// (pandoc's implicit figure).
    Figure {
        /// Path relative to the book directory, or a URL.
        src: String,
        /// Alternative text (plain): a short description of the image.
        alt: String,
        /// The caption shown under the image (may be empty).
        caption: Vec<Inline>,
        /// The figure's id, if given (a link target).
        id: Option<String>,
        /// Where it is.
        span: Span,
    },
    /// A generic container with attributes (pandoc's fenced div
    /// `::: {#id .class lang=fr}`).
    Div {
        /// Its id, classes and language.
        attrs: Attrs,
        /// Its content.
        blocks: Vec<Block>,
        /// Where it is.
        span: Span,
    },
    /// A labelled aside (GitHub's `> [!NOTE]` alerts).
    Alert {
        /// Which kind of alert.
        kind: AlertKind,
        /// Its content (the marker line removed).
        blocks: Vec<Block>,
        /// Where it is.
        span: Span,
    },
    /// A thematic break (a scene break in prose).
    ThematicBreak {
        /// Where it is.
        span: Span,
    },
    /// Raw HTML, unsanitised: the EPUB writer sanitises it, the typesetter
    /// drops it with a warning.
    Html {
        /// The HTML text.
        html: String,
        /// Where it is.
        span: Span,
    },
}

impl Block {
    /// Where the block is.
    pub fn span(&self) -> Span {
        match self {
            Block::Para { span, .. }
            | Block::Heading { span, .. }
            | Block::BlockQuote { span, .. }
            | Block::List { span, .. }
            | Block::DefinitionList { span, .. }
            | Block::CodeBlock { span, .. }
            | Block::Table { span, .. }
            | Block::Figure { span, .. }
            | Block::Div { span, .. }
            | Block::Alert { span, .. }
            | Block::ThematicBreak { span }
            | Block::Html { span, .. } => *span,
        }
    }
}

/// One item of a list.
#[derive(Debug, Clone, PartialEq)]
pub struct ListItem {
    /// `Some(done)` for a task-list item.
    pub task: Option<bool>,
    /// The item's content.
    pub blocks: Vec<Block>,
}

/// One term of a definition list with its definitions.
#[derive(Debug, Clone, PartialEq)]
pub struct Definition {
    /// The term.
    pub term: Vec<Inline>,
    /// One or more definitions.
    pub definitions: Vec<Vec<Block>>,
}

/// Attributes written in braces, as pandoc reads them: `{#id .class
/// key=value}`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Attrs {
    /// `#id`, if given.
    pub id: Option<String>,
    /// `.class` names, in order.
    pub classes: Vec<String>,
    /// `lang=…`, a BCP 47 tag, if given.
    pub lang: Option<String>,
    /// Other `key=value` pairs, in order.
    pub pairs: Vec<(String, String)>,
}

/// The kinds of GitHub alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertKind {
    /// `[!NOTE]`
    Note,
    /// `[!TIP]`
    Tip,
    /// `[!IMPORTANT]`
    Important,
    /// `[!WARNING]`
    Warning,
    /// `[!CAUTION]`
    Caution,
}

impl AlertKind {
    /// The lower-case name (`note`, `tip`, …), used as a class name.
    pub fn name(self) -> &'static str {
        match self {
            AlertKind::Note => "note",
            AlertKind::Tip => "tip",
            AlertKind::Important => "important",
            AlertKind::Warning => "warning",
            AlertKind::Caution => "caution",
        }
    }
}

/// Column alignment in a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Not given.
    None,
    /// Left.
    Left,
    /// Centre.
    Center,
    /// Right.
    Right,
}

/// Where a link goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Outside the book (`https:`, `mailto:`, …).
    External(String),
    /// An id in the book: a chapter, part or heading id, or an anchor.
    Internal(String),
}

/// Identifies one footnote definition, book-wide. Ids are given in order of
/// first reference through the book (part intros included), so a backend
/// that numbers notes per chapter or per book only has to count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NoteId(pub u32);

/// An inline element.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    /// Plain text (smart punctuation already applied).
    Text {
        /// The text.
        text: String,
        /// Where it is.
        span: Span,
    },
    /// Emphasis (italic).
    Emph {
        /// Its content.
        content: Vec<Inline>,
        /// Where it is.
        span: Span,
    },
    /// Strong emphasis (bold).
    Strong {
        /// Its content.
        content: Vec<Inline>,
        /// Where it is.
        span: Span,
    },
    /// Struck-out text.
    Strikeout {
        /// Its content.
        content: Vec<Inline>,
        /// Where it is.
        span: Span,
    },
    /// Inline code.
    Code {
        /// The code.
        text: String,
        /// Where it is.
        span: Span,
    },
    /// A hyperlink.
    Link {
        /// Where it goes.
        target: Target,
        /// Its title attribute, if any.
        title: Option<String>,
        /// The link text.
        content: Vec<Inline>,
        /// Where it is.
        span: Span,
    },
    /// An image.
    Image {
        /// Path relative to the book directory, or a URL.
        src: String,
        /// Alternative text (plain).
        alt: String,
        /// Title, if any.
        title: Option<String>,
        /// Where it is.
        span: Span,
    },
    /// A footnote reference, carrying the note's content.
    Note {
        /// Which definition; the same for every reference to one definition.
        id: NoteId,
        /// The label as written (`[^label]`).
        label: String,
        /// The note's content, at the note's first reference only (in
        /// reading order, a note's text read where it is cited); later
        /// references hold none (see [`note_bodies`]).
        blocks: Vec<Block>,
        /// Where the reference is.
        span: Span,
    },
    /// A run of text with attributes (pandoc's bracketed span
    /// `[text]{lang=ru .smallcaps}`).
    Span {
        /// Its id, classes and language.
        attrs: Attrs,
        /// Its content.
        content: Vec<Inline>,
        /// Where it is.
        span: Span,
    },
    /// A soft line break (a space when set).
    SoftBreak {
        /// Where it is.
        span: Span,
    },
    /// A hard line break.
    LineBreak {
        /// Where it is.
        span: Span,
    },
    /// Raw inline HTML, unsanitised.
    Html {
        /// The HTML text.
        html: String,
        /// Where it is.
        span: Span,
    },
}

impl Inline {
    /// Where the inline is.
    pub fn span(&self) -> Span {
        match self {
            Inline::Text { span, .. }
            | Inline::Emph { span, .. }
            | Inline::Strong { span, .. }
            | Inline::Strikeout { span, .. }
            | Inline::Code { span, .. }
            | Inline::Link { span, .. }
            | Inline::Image { span, .. }
            | Inline::Note { span, .. }
            | Inline::Span { span, .. }
            | Inline::SoftBreak { span }
            | Inline::LineBreak { span }
            | Inline::Html { span, .. } => *span,
        }
    }
}

/// A place in the text of the tree: a text node (`Inline::Text`, known by
/// its span, which no other text node of the body shares) and a byte offset
/// in its text. The typesetter records where each page starts this way, and
/// the EPUB writer puts its page-break markers there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TextPlace {
    /// The text node's span.
    pub span: Span,
    /// Byte offset in the node's text.
    pub offset: u32,
}

/// Every note's blocks in a title and the blocks after it, by id, from its
/// first reference that has them (notes cited from notes included), for a
/// backend that meets a note first at a later reference. Walks the tree
/// once, with explicit worklists (no recursion).
pub fn note_bodies<'a>(
    title: &'a [Inline],
    blocks: &'a [Block],
) -> std::collections::HashMap<NoteId, &'a [Block]> {
    let mut out = std::collections::HashMap::new();
    let mut work = vec![blocks];
    let mut first = Some(title);
    while let Some(blocks) = work.pop() {
        let mut inlines: Vec<&[Inline]> = first.take().into_iter().collect();
        let mut stack: Vec<&Block> = blocks.iter().collect();
        while let Some(block) = stack.pop() {
            match block {
                Block::Para { content, .. } | Block::Heading { content, .. } => {
                    inlines.push(content)
                }
                Block::BlockQuote { blocks, .. }
                | Block::Div { blocks, .. }
                | Block::Alert { blocks, .. } => stack.extend(blocks),
                Block::Figure { caption, .. } => inlines.push(caption),
                Block::List { items, .. } => {
                    stack.extend(items.iter().flat_map(|i| &i.blocks));
                }
                Block::DefinitionList { items, .. } => {
                    for item in items {
                        inlines.push(&item.term);
                        stack.extend(item.definitions.iter().flatten());
                    }
                }
                Block::Table { head, rows, .. } => {
                    inlines.extend(
                        head.iter()
                            .chain(rows.iter().flatten())
                            .map(|c| c.as_slice()),
                    );
                }
                Block::CodeBlock { .. } | Block::ThematicBreak { .. } | Block::Html { .. } => {}
            }
        }
        while let Some(list) = inlines.pop() {
            for inline in list {
                match inline {
                    Inline::Emph { content, .. }
                    | Inline::Strong { content, .. }
                    | Inline::Strikeout { content, .. }
                    | Inline::Span { content, .. }
                    | Inline::Link { content, .. } => inlines.push(content),
                    Inline::Note { id, blocks, .. }
                        if !blocks.is_empty() && !out.contains_key(id) =>
                    {
                        out.insert(*id, blocks.as_slice());
                        work.push(blocks);
                    }
                    _ => {}
                }
            }
        }
    }
    out
}

/// mdBook's numbers for nested SUMMARY entries, as its sidebar shows
/// them: chapters are met in reading order, a numbered chapter keeps its
/// number ("4"), the entries nested under it are numbered under it ("4.1",
/// "4.2", "4.2.1"), and entries under an unnumbered chapter (front or back
/// matter) get none.
#[derive(Debug, Default)]
pub struct SectionNumbers {
    /// The open ancestors by depth: each one's number, if any, and how
    /// many entries have been met under it.
    path: Vec<Option<(String, u32)>>,
}

impl SectionNumbers {
    /// The number of `chapter`, the next one in reading order.
    pub fn next(&mut self, chapter: &Chapter) -> Option<String> {
        let depth = usize::from(chapter.depth.max(1));
        self.path.truncate(depth - 1);
        // A depth that jumps past its parent's has no numbered parent.
        self.path.resize(depth - 1, None);
        let number = if depth == 1 {
            chapter.number.map(|n| n.to_string())
        } else {
            match self.path.last_mut() {
                Some(Some((parent, met))) => {
                    *met += 1;
                    Some(format!("{parent}.{met}"))
                }
                _ => None,
            }
        };
        self.path.push(number.clone().map(|n| (n, 0)));
        number
    }
}

/// A heading's text as a chapter title: in a span carrying the heading's
/// `{lang=…}` when it has one, so that both backends set the title in its
/// language (the chapter has no language of its own).
pub fn title_in_language(content: Vec<Inline>, lang: Option<String>, span: Span) -> Vec<Inline> {
    match lang {
        Some(lang) => vec![Inline::Span {
            attrs: Attrs {
                lang: Some(lang),
                ..Attrs::default()
            },
            content,
            span,
        }],
        None => content,
    }
}

/// The plain text of some inlines: notes and raw HTML left out, breaks as
/// spaces. Used for titles in navigation, outlines and running heads.
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    push_plain(inlines, &mut out);
    out
}

fn push_plain(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text { text, .. } | Inline::Code { text, .. } => out.push_str(text),
            Inline::Emph { content, .. }
            | Inline::Strong { content, .. }
            | Inline::Strikeout { content, .. }
            | Inline::Span { content, .. }
            | Inline::Link { content, .. } => push_plain(content, out),
            Inline::Image { alt, .. } => out.push_str(alt),
            Inline::SoftBreak { .. } | Inline::LineBreak { .. } => out.push(' '),
            Inline::Note { .. } | Inline::Html { .. } => {}
        }
    }
}

/// Which rule makes a heading's id from its text: pandoc's for single
/// files (pandoc's own input), GitHub's for books of chapter files (mdBook's
/// rule is GitHub's). Links may use either spelling whatever the rule.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum IdRule {
    /// pandoc's `auto_identifiers` ([`slugify`]).
    #[default]
    Pandoc,
    /// GitHub's (`gfm_auto_identifiers`, mdBook's `normalize_id`):
    /// [`gfm_slug`].
    GitHub,
}

impl IdRule {
    /// The id this rule makes of `text`, never empty ([`nonempty_id`]).
    pub fn id(self, text: &str) -> String {
        match self {
            IdRule::Pandoc => slugify(text),
            IdRule::GitHub => nonempty_id(&gfm_slug(text)),
        }
    }
}

/// A heading's id by pandoc's `auto_identifiers` (pandoc manual, "Extension:
/// auto_identifiers"): formatting, links and notes already gone (`text` is
/// the heading's plain text), every character but letters, digits, `_`, `-`
/// and `.` removed, white space turned into hyphens (a run of it into one),
/// letters lower-cased, everything up to the first letter removed; nothing
/// left gives `section`. It always starts with a letter.
pub fn slugify(text: &str) -> String {
    let kept: String = text
        .chars()
        .filter(|&c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.') || c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    let joined = kept.split_whitespace().collect::<Vec<_>>().join("-");
    match joined.find(char::is_alphabetic) {
        Some(at) => joined[at..].to_string(),
        None => "section".to_string(),
    }
}

/// A heading's id by GitHub's rule (pandoc manual, "Extension:
/// gfm_auto_identifiers"; mdBook's `normalize_id` is the same): letters
/// lower-cased, letters, digits, `_` and `-` kept, each white space
/// character a hyphen, all else dropped. It may be empty or start with a
/// digit; [`IdRule::id`] gives an empty one `section`.
pub fn gfm_slug(text: &str) -> String {
    text.trim()
        .chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                Some(c)
            } else if c.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// mdBook's spelling of [`gfm_slug`]: it lower-cases ASCII letters only
/// (`to_ascii_lowercase` in mdBook's `normalize_id`), so `Über` stays `Über`.
pub fn mdbook_slug(text: &str) -> String {
    text.trim()
        .chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                Some(c.to_ascii_lowercase())
            } else if c.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

/// `id` as an id a content document may carry: HTML's rule (HTML standard
/// §3.2.6.1: at least one character, no ASCII white space, which no slug
/// has), so only an empty one changes, to `section`. A leading digit needs
/// no prefix: EPUBCheck 5 (EPUB 3.3 rules) accepts `id="1x"` in XHTML,
/// tried on a built book; the package document and the NCX never carry a
/// tree id (their ids are the files' and `np-N`).
pub fn nonempty_id(id: &str) -> String {
    if id.is_empty() {
        "section".to_string()
    } else {
        id.to_string()
    }
}

/// Text as lowercase words of letters and digits joined by `-`, never empty
/// (`section`), and a valid XML id (a leading digit gets `s-`): for file
/// names, telling a chapter's kind by its title and page-break ids, where
/// punctuation must go and no heading rule need be followed.
pub fn word_slug(text: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() || c == '-' || c == '_' {
            dash = true;
        }
    }
    if out.is_empty() {
        out.push_str("section");
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "s-");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_numbers_follow_mdbook_s_sidebar() {
        let ch = |depth: u8, number: Option<u32>| Chapter {
            id: String::new(),
            matter: if number.is_some() || depth > 1 {
                Matter::Body
            } else {
                Matter::Front
            },
            number,
            depth,
            title: Vec::new(),
            source: std::path::PathBuf::new(),
            blocks: Vec::new(),
            span: Span::default(),
        };
        let book = [
            ch(1, None),
            ch(2, None),
            ch(1, Some(1)),
            ch(2, None),
            ch(2, None),
            ch(3, None),
            ch(2, None),
            ch(1, Some(2)),
            ch(3, None),
        ];
        let mut numbers = SectionNumbers::default();
        let got: Vec<Option<String>> = book.iter().map(|c| numbers.next(c)).collect();
        let want = [
            None,
            None,
            Some("1"),
            Some("1.1"),
            Some("1.2"),
            Some("1.2.1"),
            Some("1.3"),
            Some("2"),
            None,
        ];
        assert_eq!(got, want.map(|w| w.map(String::from)));
    }

    #[test]
    fn word_slug_makes_xml_safe_words() {
        assert_eq!(
            word_slug("The Social Basis of Power"),
            "the-social-basis-of-power"
        );
        assert_eq!(word_slug("What Is To Be Done?"), "what-is-to-be-done");
        assert_eq!(word_slug("1905: Mass Action"), "s-1905-mass-action");
        assert_eq!(word_slug("“”"), "section");
        assert_eq!(word_slug("Über Änderung"), "über-änderung");
        assert_eq!(word_slug("snake_case"), "snake-case");
    }

    #[test]
    fn slugify_follows_the_pandoc_manual() {
        // The examples of the manual's "Extension: auto_identifiers".
        assert_eq!(
            slugify("Heading identifiers in HTML"),
            "heading-identifiers-in-html"
        );
        assert_eq!(slugify("Maître d'hôtel"), "maître-dhôtel");
        // Smart punctuation makes the apostrophe curly: dropped as well.
        assert_eq!(slugify("Maître d’hôtel"), "maître-dhôtel");
        assert_eq!(slugify("Dogs?--in my house?"), "dogs--in-my-house");
        assert_eq!(slugify("HTML, S5, or RTF?"), "html-s5-or-rtf");
        assert_eq!(slugify("3. Applications"), "applications");
        assert_eq!(slugify("33"), "section");
        // `_` and `.` are kept; white space runs make one hyphen.
        assert_eq!(slugify("snake_case  and v1.2"), "snake_case-and-v1.2");
        assert_eq!(slugify("1905: Mass Action"), "mass-action");
        assert_eq!(slugify("“”"), "section");
        assert_eq!(slugify("Über Änderung"), "über-änderung");
    }

    #[test]
    fn gfm_slug_follows_github_and_mdbook() {
        assert_eq!(
            gfm_slug("Heading identifiers in HTML"),
            "heading-identifiers-in-html"
        );
        // No leading-letter rule, every space a hyphen, `.` dropped.
        assert_eq!(gfm_slug("3. Applications"), "3-applications");
        assert_eq!(gfm_slug("a  b"), "a--b");
        assert_eq!(gfm_slug("snake_case v1.2"), "snake_case-v12");
        assert_eq!(gfm_slug("Dogs?--in my house?"), "dogs--in-my-house");
        assert_eq!(gfm_slug("33"), "33");
        assert_eq!(gfm_slug("?"), "");
        assert_eq!(gfm_slug("Über"), "über");
        assert_eq!(mdbook_slug("Über Alles"), "Über-alles");
        assert_eq!(mdbook_slug("Hello, World!"), "hello-world");
    }

    #[test]
    fn ids_are_never_empty() {
        assert_eq!(nonempty_id("33"), "33");
        assert_eq!(nonempty_id(""), "section");
        assert_eq!(IdRule::GitHub.id("3. Applications"), "3-applications");
        assert_eq!(IdRule::GitHub.id("?"), "section");
        assert_eq!(IdRule::Pandoc.id("3. Applications"), "applications");
    }

    #[test]
    fn plain_text_drops_notes() {
        let s = Span::default();
        let inl = vec![
            Inline::Text {
                text: "A".into(),
                span: s,
            },
            Inline::Emph {
                content: vec![Inline::Text {
                    text: "b".into(),
                    span: s,
                }],
                span: s,
            },
            Inline::Note {
                id: NoteId(0),
                label: "x".into(),
                blocks: vec![],
                span: s,
            },
            Inline::SoftBreak { span: s },
            Inline::Code {
                text: "c".into(),
                span: s,
            },
        ];
        assert_eq!(plain_text(&inl), "Ab c");
    }
}
