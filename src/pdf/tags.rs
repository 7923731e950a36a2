//! The structure tree of a tagged PDF (ISO 32000-1 §14.8, PDF/UA-1 §7):
//! the tags our pages' runs and images carry → a tree of elements in
//! reading order, then krilla's `TagTree`. The page model says what each
//! piece is and which containers it sits in; this module only gathers the
//! pieces under their elements, in the order they are met on the pages
//! (body text, then the page's notes, page after page), and wraps the
//! pieces a link covers in a `Link` element with its annotation.
//!
//! The tree is generic over the content handle (`C`), so it can be tested
//! without krilla: the writer uses krilla's `Identifier`s.

use std::collections::HashMap;
use std::num::NonZeroU16;

use krilla::tagging::{Identifier, ListNumbering, TableHeaderScope, Tag, TagGroup, TagTree};

use crate::typeset::page::{self, TagKind};

/// A structure element: a container, a leaf element, or a link.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Node<C> {
    /// What it is; none for a link.
    pub kind: Option<TagKind>,
    /// Its children in reading order.
    pub children: Vec<Child<C>>,
    /// Text gathered from its content (a heading's title, a figure's alt
    /// text, a link's description).
    pub text: String,
}

/// A child of an element.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Child<C> {
    /// Another element (index into [`Tree::nodes`]).
    Node(usize),
    /// Marked content or an annotation.
    Content(C),
}

/// The tree under construction.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Tree<C> {
    /// Every element, parents before children.
    pub nodes: Vec<Node<C>>,
    /// Top-level elements, in order.
    pub roots: Vec<usize>,
    /// Elements by their group number.
    by_group: HashMap<u32, usize>,
    /// Links by (page, link index on the page).
    links: HashMap<(usize, usize), usize>,
    /// The element content was last added to (where a link that covers
    /// no text goes).
    last: Option<usize>,
}

impl<C> Default for Tree<C> {
    fn default() -> Self {
        Tree {
            nodes: Vec::new(),
            roots: Vec::new(),
            by_group: HashMap::new(),
            links: HashMap::new(),
            last: None,
        }
    }
}

impl<C> Tree<C> {
    /// The element for `group`, made (under `parent`) the first time.
    fn element(&mut self, kind: TagKind, group: u32, parent: Option<usize>) -> usize {
        if let Some(&i) = self.by_group.get(&group) {
            return i;
        }
        let i = self.push(Some(kind), parent);
        self.by_group.insert(group, i);
        i
    }

    fn push(&mut self, kind: Option<TagKind>, parent: Option<usize>) -> usize {
        let i = self.nodes.len();
        self.nodes.push(Node {
            kind,
            children: Vec::new(),
            text: String::new(),
        });
        match parent {
            Some(p) => self.nodes[p].children.push(Child::Node(i)),
            None => self.roots.push(i),
        }
        i
    }

    /// Adds a piece of content with its tag and text, inside the link
    /// `link` (page, index) if it has one. Artifacts are not added.
    pub fn add(&mut self, tag: &page::Tag, content: C, text: &str, link: Option<(usize, usize)>) {
        if tag.kind.is_artifact() {
            return;
        }
        let mut parent = None;
        for &(kind, group) in tag.parents.iter() {
            parent = Some(self.element(kind, group, parent));
        }
        let mut at = self.element(tag.kind, tag.group, parent);
        gather(&mut self.nodes[at].text, text);
        self.last = Some(at);
        if let Some(key) = link {
            at = self.link(key, at);
            gather(&mut self.nodes[at].text, text);
        }
        self.nodes[at].children.push(Child::Content(content));
    }

    /// The link element `key`, made in `parent` if it is new there (a link
    /// across two lines of one paragraph continues its element; a link in
    /// a new element starts another).
    fn link(&mut self, key: (usize, usize), parent: usize) -> usize {
        if let Some(&i) = self.links.get(&key)
            && matches!(self.nodes[parent].children.last(), Some(Child::Node(j)) if *j == i)
        {
            return i;
        }
        let i = self.push(None, Some(parent));
        self.links.insert(key, i);
        i
    }

    /// Adds link `key`'s annotation: to its element, or, if it covers no
    /// text, in a link element of its own after the last content.
    pub fn annotate(&mut self, key: (usize, usize), annotation: C, description: &str) {
        let i = match self.links.get(&key) {
            Some(&i) => i,
            None => {
                let i = self.push(None, self.last);
                self.links.insert(key, i);
                i
            }
        };
        if self.nodes[i].text.is_empty() {
            self.nodes[i].text = description.to_string();
        }
        self.nodes[i].children.push(Child::Content(annotation));
    }
}

/// Appends a run's text to an element's, a space between runs.
fn gather(into: &mut String, text: &str) {
    let text = text.trim();
    if text.is_empty() {
        return;
    }
    if !into.is_empty() && !into.ends_with(' ') {
        into.push(' ');
    }
    into.push_str(text);
}

impl Tree<Identifier> {
    /// The finished tree, for krilla, with the document's language.
    pub fn into_krilla(mut self, language: &str) -> TagTree {
        let mut tree = TagTree::new().with_lang(Some(language.to_string()));
        for i in std::mem::take(&mut self.roots) {
            tree.push(self.group(i));
        }
        tree
    }

    fn group(&mut self, i: usize) -> TagGroup {
        let node = &mut self.nodes[i];
        let text = std::mem::take(&mut node.text);
        let children = std::mem::take(&mut node.children);
        let mut group = TagGroup::new(krilla_tag(node.kind, text));
        for child in children {
            match child {
                Child::Node(j) => group.push(self.group(j)),
                Child::Content(id) => group.push(id),
            }
        }
        group
    }
}

/// Our structure roles → krilla's tags.
fn krilla_tag(kind: Option<TagKind>, text: String) -> krilla::tagging::TagKind {
    let Some(kind) = kind else {
        return Tag::Link.into();
    };
    match kind {
        TagKind::Part => Tag::Part.into(),
        TagKind::Chapter => Tag::Section.into(),
        TagKind::Contents => Tag::TOC.into(),
        TagKind::ContentsEntry => Tag::TOCI.into(),
        TagKind::Title => Tag::Title.into(),
        TagKind::Heading(n) => Tag::Hn(
            NonZeroU16::new(u16::from(n)).unwrap_or(NonZeroU16::MIN),
            Some(text),
        )
        .into(),
        TagKind::Paragraph => Tag::P.into(),
        TagKind::BlockQuote => Tag::BlockQuote.into(),
        TagKind::List { ordered } => Tag::L(if ordered {
            ListNumbering::Decimal
        } else {
            ListNumbering::Disc
        })
        .into(),
        TagKind::ListItem => Tag::LI.into(),
        TagKind::Label => Tag::Lbl.into(),
        TagKind::ListBody => Tag::LBody.into(),
        TagKind::Code => Tag::Code.into(),
        TagKind::Table => Tag::Table.into(),
        TagKind::TableRow => Tag::TR.into(),
        TagKind::HeaderCell => Tag::TH(TableHeaderScope::Column).into(),
        TagKind::Cell => Tag::TD.into(),
        TagKind::Note => Tag::Note.into(),
        TagKind::Figure => Tag::Figure(Some(text)).into(),
        // Artifacts never reach the tree; a paragraph is the safe reading.
        TagKind::RunningHead | TagKind::Folio => Tag::P.into(),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    fn tag(kind: TagKind, group: u32, parents: &[(TagKind, u32)]) -> page::Tag {
        page::Tag {
            kind,
            group,
            parents: Arc::from(parents),
        }
    }

    /// The tree as nested text: `Kind[children]`, content by its handle.
    fn show(tree: &Tree<&str>) -> String {
        fn node(tree: &Tree<&str>, i: usize, out: &mut String) {
            let n = &tree.nodes[i];
            match n.kind {
                Some(k) => out.push_str(&format!("{k:?}")),
                None => out.push_str("Link"),
            }
            out.push('[');
            for (k, c) in n.children.iter().enumerate() {
                if k > 0 {
                    out.push(' ');
                }
                match c {
                    Child::Node(j) => node(tree, *j, out),
                    Child::Content(s) => out.push_str(s),
                }
            }
            out.push(']');
        }
        let mut out = String::new();
        for &r in &tree.roots {
            node(tree, r, &mut out);
        }
        out
    }

    #[test]
    fn a_paragraph_across_a_page_keeps_one_element_and_its_note_follows() {
        let ch = (TagKind::Chapter, 1);
        let h1 = tag(TagKind::Heading(1), 2, &[ch]);
        let p = tag(TagKind::Paragraph, 3, &[ch]);
        let note = (TagKind::Note, 4);
        let lbl = tag(TagKind::Label, 5, &[ch, note]);
        let np = tag(TagKind::Paragraph, 6, &[ch, note]);
        let folio = page::Tag::artifact(TagKind::Folio);
        let mut tree = Tree::default();
        // Page 1: title, the paragraph's first line with a note marker
        // (a link), the note at the foot, the folio.
        tree.add(&h1, "t1", "Chapter", None);
        tree.add(&h1, "t2", "One", None);
        tree.add(&p, "p1", "Words", None);
        tree.add(&p, "m1", "1", Some((0, 0)));
        tree.add(&lbl, "n0", "1", Some((0, 1)));
        tree.add(&np, "n1", "A note.", None);
        tree.add(&folio, "f1", "7", None);
        tree.annotate((0, 0), "a0", "to the note");
        tree.annotate((0, 1), "a1", "back");
        // Page 2: the paragraph goes on.
        tree.add(&p, "p2", "more words", None);
        assert_eq!(
            show(&tree),
            "Chapter[Heading(1)[t1 t2] Paragraph[p1 Link[m1 a0] p2] \
             Note[Label[Link[n0 a1]] Paragraph[n1]]]"
        );
        // A heading's title is its text; a link's description its words.
        assert_eq!(tree.nodes[1].text, "Chapter One");
        let link = tree
            .nodes
            .iter()
            .find(|n| n.kind.is_none())
            .expect("a link");
        assert_eq!(link.text, "1");
    }

    #[test]
    fn nested_containers_are_made_once_in_order_of_first_content() {
        let ch = (TagKind::Chapter, 1);
        let list = (TagKind::List { ordered: true }, 2);
        let li = (TagKind::ListItem, 3);
        let body = (TagKind::ListBody, 4);
        let mut tree = Tree::default();
        // The label is drawn first on the item's first line.
        tree.add(&tag(TagKind::Label, 6, &[ch, list, li]), "l", "1.", None);
        tree.add(
            &tag(TagKind::Paragraph, 5, &[ch, list, li, body]),
            "b1",
            "x",
            None,
        );
        tree.add(
            &tag(TagKind::Paragraph, 5, &[ch, list, li, body]),
            "b2",
            "y",
            None,
        );
        tree.add(&tag(TagKind::Figure, 7, &[ch]), "img", "A map", None);
        assert_eq!(
            show(&tree),
            "Chapter[List { ordered: true }[ListItem[Label[l] ListBody[Paragraph[b1 b2]]]] Figure[img]]"
        );
        assert_eq!(tree.nodes.last().map(|n| n.text.as_str()), Some("A map"));
    }

    #[test]
    fn a_link_over_no_text_goes_after_the_last_content() {
        let mut tree = Tree::default();
        tree.add(&tag(TagKind::Paragraph, 1, &[]), "p", "x", None);
        tree.annotate((3, 0), "a", "Link to page 4");
        assert_eq!(show(&tree), "Paragraph[p Link[a]]");
        assert_eq!(tree.nodes[1].text, "Link to page 4");
    }
}
