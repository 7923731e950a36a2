//! Page-breaker tests on synthetic galleys: lines are empty set lines that
//! carry a destination naming them, so each test can find where every line
//! and note line went.

use super::*;
use crate::typeset::galley::PageStart;
use crate::typeset::inline::SetLine;
use crate::typeset::page::Item;

const LEADING: Pt = Pt(14.0);
const NOTE_LEADING: Pt = Pt(11.0);

fn geo(lines: u32) -> Geometry {
    Geometry {
        size: (Pt(400.0), Pt(600.0)),
        inner: Pt(50.0),
        top: Pt(50.0),
        measure: Pt(300.0),
        leading: LEADING,
        topskip: Pt(11.0),
        lines,
        note_leading: NOTE_LEADING,
        note_size: Pt(9.0),
        note_skip: LEADING + NOTE_LEADING * 0.5,
        head_y: Pt(30.0),
        folio_y: Pt(580.0),
        folio_position: FolioPosition::Centre,
        opening_folio: false,
        book_title: None,
        heads: (RunningHead::None, RunningHead::None),
    }
}

fn line(
    name: String,
    par: Option<(u32, u32)>,
    serial: Option<u32>,
    notes: Vec<NoteId>,
) -> FlowLine {
    FlowLine {
        line: SetLine {
            notes,
            ..SetLine::default()
        },
        x: Pt::ZERO,
        leading: LEADING,
        ascent: Pt(11.0),
        keep_with_next: false,
        par,
        serial,
        dests: vec![(name, None)],
    }
}

/// A galley builder: paragraphs of so many lines, notes on given lines.
#[derive(Default)]
struct Galley {
    flow: Vec<Flow>,
    notes: HashMap<NoteId, Vec<FlowLine>>,
    pars: u32,
}

impl Galley {
    fn new() -> Self {
        let mut g = Galley::default();
        g.flow.push(Flow::PageStart(PageStart::default()));
        g
    }

    /// A paragraph of `n` lines; `notes` gives (line index, note length).
    fn par(&mut self, n: u32, notes: &[(u32, usize)]) -> &mut Self {
        let p = self.pars;
        self.pars += 1;
        for k in 0..n {
            let mut ids = Vec::new();
            for &(at, len) in notes {
                if at == k {
                    let id = NoteId(self.notes.len() as _);
                    let lines = (0..len)
                        .map(|j| {
                            let mut l = line(format!("n{}.{j}", id.0), None, None, vec![]);
                            l.leading = NOTE_LEADING;
                            l
                        })
                        .collect();
                    self.notes.insert(id, lines);
                    ids.push(id);
                }
            }
            self.flow.push(Flow::Line(line(
                format!("p{p}.{k}"),
                Some((k, n)),
                Some(p),
                ids,
            )));
        }
        self
    }

    fn heading(&mut self, name: &str) -> &mut Self {
        self.flow.push(Flow::Space(LEADING));
        let mut l = line(name.into(), None, None, vec![]);
        l.keep_with_next = true;
        self.flow.push(Flow::Line(l));
        self.flow.push(Flow::Space(LEADING * 0.5));
        self
    }

    fn pages(&self, g: &Geometry) -> Vec<Page> {
        let mut furniture = |_: &str, _: Furniture| SetLine::default();
        let plan = assess(&self.flow, &self.notes, g).plan(&self.flow, &self.notes);
        paginate(&self.flow, &self.notes, g, &plan, &mut furniture)
    }
}

/// Every named line on every page: (name, baseline).
fn placed(page: &Page) -> Vec<(String, Pt)> {
    page.items
        .iter()
        .filter_map(|i| match i {
            Item::Dest { id, at, .. } => Some((id.clone(), at.y + Pt(11.0))),
            _ => None,
        })
        .collect()
}

fn page_of(pages: &[Page], name: &str) -> Option<usize> {
    pages
        .iter()
        .position(|p| placed(p).iter().any(|(n, _)| n == name))
}

/// The lowest baseline on a page: its last note line or last body line.
fn lowest(page: &Page) -> Pt {
    placed(page).iter().map(|(_, y)| *y).fold(Pt::ZERO, Pt::max)
}

fn assert_full_pages_fill(pages: &[Page], g: &Geometry) {
    for (i, page) in pages.iter().enumerate().take(pages.len() - 1) {
        let low = lowest(page);
        assert!(
            (low - g.bottom()).0.abs() < 0.01,
            "page {i} ends at {low:?}, not {:?}: {:?}",
            g.bottom(),
            placed(page)
        );
    }
}

#[test]
fn paginate_plain_text_fills_every_page_on_the_grid() {
    // Lines 20 and 40 fall where a break leaves no widow or orphan.
    let mut g = Galley::new();
    for n in [7, 5, 10, 8, 6, 9, 5] {
        g.par(n, &[]);
    }
    let geo = geo(20);
    let pages = g.pages(&geo);
    assert_eq!(pages.len(), 3);
    assert_full_pages_fill(&pages, &geo);
    assert!(assess(&g.flow, &g.notes, &geo).short().next().is_none());
}

#[test]
fn paginate_reports_a_page_it_can_only_leave_short() {
    // Line 20 would be the second-last line of a paragraph: the page must
    // break a line early, and nothing can stretch a line's worth. The
    // report names the paragraphs on that page, so `typeset` can set one
    // of them a line looser.
    let mut g = Galley::new();
    g.par(7, &[]).par(5, &[]).par(9, &[]).par(12, &[]);
    let geo = geo(20);
    let report = assess(&g.flow, &g.notes, &geo);
    let short: Vec<_> = report.short().map(|(_, p)| p.clone()).collect();
    assert_eq!(short.len(), 1, "{report:?}");
    assert_eq!(short[0], vec![(0, 7), (1, 5), (2, 9)]);
    // Short by one line, not more, and on the grid.
    let pages = g.pages(&geo);
    assert!((lowest(&pages[0]) - (geo.bottom() - LEADING)).0.abs() < 0.01);
}

#[test]
fn paginate_never_leaves_a_widow_or_an_orphan() {
    // Paragraph lengths chosen so that a greedy fill would leave single
    // lines at the foot or head of pages.
    for lines in 15..24 {
        let mut g = Galley::new();
        for n in [9, 5, 7, 2, 11, 3, 6, 8, 4, 10, 5, 7] {
            g.par(n, &[]);
        }
        let geo = geo(lines);
        let pages = g.pages(&geo);
        for (i, page) in pages.iter().enumerate() {
            let names = placed(page);
            let first = &names[0].0;
            let last = &names[names.len() - 1].0;
            // pN.K: line K of paragraph N; find its length in the galley.
            let info = |name: &str| {
                g.flow.iter().find_map(|f| match f {
                    Flow::Line(l) if l.dests[0].0 == name => l.par,
                    _ => None,
                })
            };
            if let Some((k, n)) = info(first) {
                assert!(
                    !(n >= 2 && k + 1 == n),
                    "widow {first} on page {i} ({lines} lines)"
                );
            }
            if let Some((k, n)) = info(last) {
                assert!(
                    !(n >= 2 && k == 0),
                    "orphan {last} on page {i} ({lines} lines)"
                );
            }
        }
    }
}

#[test]
fn paginate_heading_keeps_two_lines_with_it() {
    let mut g = Galley::new();
    g.par(17, &[]).heading("h").par(6, &[]);
    let geo = geo(20);
    let pages = g.pages(&geo);
    let h = page_of(&pages, "h").unwrap();
    assert_eq!(page_of(&pages, "p1.0"), Some(h));
    assert_eq!(page_of(&pages, "p1.1"), Some(h));
}

#[test]
fn paginate_footnote_moves_with_marker() {
    let mut g = Galley::new();
    g.par(8, &[])
        .par(8, &[(6, 3)])
        .par(6, &[(2, 2)])
        .par(12, &[]);
    let geo = geo(20);
    let pages = g.pages(&geo);
    assert_eq!(page_of(&pages, "n0.0"), page_of(&pages, "p1.6"));
    assert_eq!(page_of(&pages, "n1.0"), page_of(&pages, "p2.2"));
    assert_full_pages_fill(&pages, &geo);
}

#[test]
fn paginate_long_note_runs_over_and_keeps_every_line() {
    // A 50-line note on a 20-line page: it starts under its marker and
    // continues at the foot of the following pages; nothing is lost.
    let mut g = Galley::new();
    g.par(10, &[]).par(6, &[(1, 50)]).par(30, &[]);
    let geo = geo(20);
    let pages = g.pages(&geo);
    let marker = page_of(&pages, "p1.1").unwrap();
    assert_eq!(page_of(&pages, "n0.0"), Some(marker));
    let mut last = marker;
    for j in 0..50 {
        let p = page_of(&pages, &format!("n0.{j}")).expect("every note line is set");
        assert!(p >= last, "note line {j} goes backwards");
        last = p;
    }
    assert!(last > marker + 1, "the note spans pages");
    for k in 0..30 {
        assert!(page_of(&pages, &format!("p2.{k}")).is_some());
    }
    // Note lines never run past the foot.
    for page in &pages {
        assert!(lowest(page) <= geo.bottom() + Pt(0.01));
    }
}

#[test]
fn paginate_notes_on_a_chapters_last_page_sit_at_the_foot() {
    let mut g = Galley::new();
    g.par(4, &[(1, 2)]);
    let geo = geo(20);
    let pages = g.pages(&geo);
    assert_eq!(pages.len(), 1);
    assert!((lowest(&pages[0]) - geo.bottom()).0.abs() < 0.01);
}

#[test]
fn paginate_facing_pages_mirror_the_margins() {
    let geo = geo(20);
    assert_eq!(geo.left(0), Pt(50.0));
    assert_eq!(geo.left(1), Pt(400.0 - 50.0 - 300.0));
}

impl Galley {
    /// A note of `len` lines cited from line `at` of note `parent`.
    fn nested(&mut self, parent: u32, at: usize, len: usize) -> NoteId {
        let id = NoteId(self.notes.len() as _);
        let lines = (0..len)
            .map(|j| {
                let mut l = line(format!("n{}.{j}", id.0), None, None, vec![]);
                l.leading = NOTE_LEADING;
                l
            })
            .collect();
        self.notes.insert(id, lines);
        let host = self
            .notes
            .get_mut(&NoteId(parent))
            .expect("the parent note");
        host[at].line.notes.push(id);
        id
    }
}

/// Every line of every note is set exactly once, in order (note by note,
/// as `order` lists them, each line on the same page as the one before it
/// or a later one, and below it on the same page), inside the text block.
fn assert_notes_complete(pages: &[Page], g: &Galley, geo: &Geometry, order: &[u32]) {
    let mut seen: Vec<(usize, Pt)> = Vec::new();
    for &id in order {
        let n = g.notes[&NoteId(id)].len();
        for j in 0..n {
            let name = format!("n{id}.{j}");
            let hits: Vec<(usize, Pt)> = pages
                .iter()
                .enumerate()
                .flat_map(|(p, page)| {
                    placed(page)
                        .into_iter()
                        .filter(|(m, _)| *m == name)
                        .map(move |(_, y)| (p, y))
                })
                .collect();
            assert_eq!(hits.len(), 1, "{name} is set {} times", hits.len());
            let (p, y) = hits[0];
            assert!(
                y <= geo.bottom() + Pt(0.01) && y >= geo.top,
                "{name} on page {p} at {y:?} is outside the text block"
            );
            if let Some(&(q, z)) = seen.last() {
                assert!(p > q || (p == q && y > z), "{name} goes backwards");
            }
            seen.push((p, y));
        }
    }
}

#[test]
fn paginate_note_after_a_note_longer_than_a_page_is_set_whole() {
    // Issue 12: two notes cited from one line, the first longer than a
    // page. The second cannot start under its marker; it follows the
    // first over the next pages, and neither loses a line or overprints.
    let mut g = Galley::new();
    g.par(10, &[]).par(6, &[(1, 50), (1, 4)]).par(30, &[]);
    let geo = geo(20);
    let pages = g.pages(&geo);
    assert_notes_complete(&pages, &g, &geo, &[0, 1]);
    assert_eq!(page_of(&pages, "n0.0"), page_of(&pages, "p1.1"));
    for page in &pages {
        assert!(lowest(page) <= geo.bottom() + Pt(0.01));
    }
}

#[test]
fn paginate_two_long_notes_in_one_paragraph_and_at_the_chapter_end() {
    // Two long notes on two lines of one paragraph, and a long note in the
    // chapter's last line, then a new chapter.
    let mut g = Galley::new();
    g.par(10, &[])
        .par(6, &[(1, 45), (4, 45)])
        .par(3, &[(2, 70)]);
    g.flow.push(Flow::PageStart(PageStart::default()));
    g.par(5, &[(0, 3)]);
    let geo = geo(20);
    let pages = g.pages(&geo);
    assert_notes_complete(&pages, &g, &geo, &[0, 1, 2, 3]);
    assert_eq!(page_of(&pages, "n0.0"), page_of(&pages, "p1.1"));
    assert_eq!(page_of(&pages, "n3.0"), page_of(&pages, "p3.0"));
    for page in &pages {
        assert!(lowest(page) <= geo.bottom() + Pt(0.01));
    }
}

#[test]
fn paginate_note_cited_only_from_a_note_follows_it() {
    // Issue 12: note 1 is cited from note 0's second line only; note 2 from
    // the text after. Each appears once, note 1 right after note 0.
    let mut g = Galley::new();
    g.par(8, &[(2, 3)]).par(8, &[(3, 2)]);
    let nested = g.nested(0, 1, 2);
    // The body's second note was made first: it is note 1, the nested 2.
    assert_eq!(nested, NoteId(2));
    let geo = geo(20);
    let pages = g.pages(&geo);
    assert_notes_complete(&pages, &g, &geo, &[0, 2, 1]);
    // A cycle (note 2 cites note 0 back) changes nothing.
    g.notes.get_mut(&NoteId(2)).unwrap()[0]
        .line
        .notes
        .push(NoteId(0));
    let again = g.pages(&geo);
    assert_notes_complete(&again, &g, &geo, &[0, 2, 1]);
}

/// A galley with a 14-line paragraph, a 70 pt image whose caption is one
/// line named "cap" (kept with it when `keep`), and a paragraph after.
fn figure_galley(keep: bool) -> Galley {
    let mut g = Galley::new();
    g.par(14, &[]);
    g.flow.push(Flow::Space(LEADING * 0.5));
    g.flow.push(Flow::Image {
        x: Pt::ZERO,
        width: Pt(100.0),
        height: Pt(70.0),
        picture: crate::image::Picture {
            kind: crate::image::ImageType::Png,
            pixels: Some((100, 70)),
            data: std::sync::Arc::from(Vec::new()),
        },
        alt: "a map".into(),
        tag: None,
        keep_lines: u32::from(keep),
    });
    g.flow.push(Flow::Space(LEADING * 0.5));
    g.flow
        .push(Flow::Line(line("cap".into(), None, None, vec![])));
    g.flow.push(Flow::Space(LEADING));
    g.par(10, &[]);
    g
}

fn image_page(pages: &[Page]) -> Option<usize> {
    pages
        .iter()
        .position(|p| p.items.iter().any(|i| matches!(i, Item::Image { .. })))
}

#[test]
fn paginate_keeps_a_figure_caption_on_its_image_page() {
    let geo = geo(20);
    // The image fits under the paragraph's 14 lines, its caption does not:
    // left free, the page breaks between them…
    let pages = figure_galley(false).pages(&geo);
    assert_eq!(image_page(&pages), Some(0));
    assert_eq!(page_of(&pages, "cap"), Some(1));
    // …kept, both go over to the next page.
    let pages = figure_galley(true).pages(&geo);
    let on = image_page(&pages);
    assert_eq!(on, Some(1));
    assert_eq!(page_of(&pages, "cap"), on);
    assert_eq!(page_of(&pages, "p0.13"), Some(0));
}
