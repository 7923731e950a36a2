//! The few words samizdat adds to a book itself, in the book's language:
//! the EPUB's “Contents”, landmarks and accessible names, and the printed
//! book's “Contents”, “Notes”, “Part 2” and the alt text of its links. One
//! table for both backends, so that a book says the same words in both.
//!
//! FIXME: should the book be able to override these in `book.toml`? For now
//! a small table by primary language subtag, English otherwise.

use crate::doc::AlertKind;

/// Words added by the writer, in one language.
#[derive(Debug)]
pub struct Labels {
    /// Heading of the contents page and label of the toc landmark.
    pub contents: &'static str,
    /// Label of the landmarks navigation.
    pub landmarks: &'static str,
    /// Label of the page list (print page numbers).
    pub pages: &'static str,
    /// The cover landmark.
    pub cover: &'static str,
    /// The title page landmark.
    pub title_page: &'static str,
    /// The start-of-text landmark.
    pub start: &'static str,
    /// Accessible name of a note's back-link: “Back to reference 2”.
    pub back_to_reference: &'static str,
    /// Accessible name of a ticked task-list box.
    pub task_done: &'static str,
    /// Accessible name of an empty task-list box.
    pub task_open: &'static str,
    /// Alt text of the generated cover, before the title.
    pub cover_of: &'static str,
    /// Word joining the last two author names.
    pub and: &'static str,
    /// Heading of the printed notes section (and its contents entry).
    pub notes: &'static str,
    /// The word before a part's number: “Part” of “Part 2”.
    part: &'static str,
    /// What comes between “Part 2” and the part's title in the contents.
    part_title_separator: &'static str,
    /// Alt text of a printed link that covers no words, before where it
    /// goes: “Link to” of “Link to page 4”.
    link_to: &'static str,
    /// The word before a page number where a link goes: “page” of “page 4”.
    page: &'static str,
    /// The word before a chapter's number over its printed title (set in
    /// small capitals): “chapter” of “chapter 3”.
    chapter: &'static str,
    /// The titles of GitHub's alerts, in `AlertKind` order: note, tip,
    /// important, warning, caution (the words GitHub's localised docs use).
    alerts: [&'static str; 5],
}

impl Labels {
    /// A part's label: “Part 2”.
    pub fn part(&self, number: u32) -> String {
        format!("{} {number}", self.part)
    }

    /// A part's contents entry: “Part 2: The Title”.
    pub fn part_entry(&self, number: u32, title: &str) -> String {
        format!("{}{}{title}", self.part(number), self.part_title_separator)
    }

    /// The alt text of a link that covers no words: “Link to page 4”,
    /// “Link to https://…”.
    pub fn link_to(&self, target: &str) -> String {
        format!("{} {target}", self.link_to)
    }

    /// The label over a chapter's printed title: “chapter 3”.
    pub fn chapter(&self, number: u32) -> String {
        format!("{} {number}", self.chapter)
    }

    /// An alert's visible title: “Note”, “Warning”.
    pub fn alert(&self, kind: AlertKind) -> &'static str {
        let i = match kind {
            AlertKind::Note => 0,
            AlertKind::Tip => 1,
            AlertKind::Important => 2,
            AlertKind::Warning => 3,
            AlertKind::Caution => 4,
        };
        self.alerts[i]
    }

    /// Where an internal link goes, by the page's number: “page 4”.
    pub fn page(&self, number: &str) -> String {
        format!("{} {number}", self.page)
    }
}

const EN: Labels = Labels {
    contents: "Contents",
    landmarks: "Landmarks",
    pages: "Pages",
    cover: "Cover",
    title_page: "Title Page",
    start: "Start",
    back_to_reference: "Back to reference",
    task_done: "done",
    task_open: "not done",
    cover_of: "Cover:",
    and: "and",
    notes: "Notes",
    part: "Part",
    part_title_separator: ": ",
    link_to: "Link to",
    page: "page",
    chapter: "chapter",
    alerts: ["Note", "Tip", "Important", "Warning", "Caution"],
};

const FR: Labels = Labels {
    contents: "Table des matières",
    landmarks: "Repères",
    pages: "Pages",
    cover: "Couverture",
    title_page: "Page de titre",
    start: "Début",
    back_to_reference: "Retour à l’appel",
    task_done: "fait",
    task_open: "à faire",
    cover_of: "Couverture :",
    and: "et",
    notes: "Notes",
    part: "Partie",
    part_title_separator: "\u{a0}: ",
    link_to: "Lien vers",
    page: "page",
    chapter: "chapitre",
    alerts: [
        "Remarque",
        "Conseil",
        "Important",
        "Avertissement",
        "Attention",
    ],
};

const DE: Labels = Labels {
    contents: "Inhalt",
    landmarks: "Orientierungspunkte",
    pages: "Seiten",
    cover: "Umschlag",
    title_page: "Titelseite",
    start: "Anfang",
    back_to_reference: "Zurück zum Verweis",
    task_done: "erledigt",
    task_open: "offen",
    cover_of: "Umschlag:",
    and: "und",
    notes: "Anmerkungen",
    part: "Teil",
    part_title_separator: ": ",
    link_to: "Verweis auf",
    page: "Seite",
    chapter: "Kapitel",
    alerts: ["Hinweis", "Tipp", "Wichtig", "Warnung", "Vorsicht"],
};

const ES: Labels = Labels {
    contents: "Índice",
    landmarks: "Puntos de referencia",
    pages: "Páginas",
    cover: "Cubierta",
    title_page: "Portada",
    start: "Inicio",
    back_to_reference: "Volver a la llamada",
    task_done: "hecho",
    task_open: "pendiente",
    cover_of: "Cubierta:",
    and: "y",
    notes: "Notas",
    part: "Parte",
    part_title_separator: ": ",
    link_to: "Enlace a",
    page: "página",
    chapter: "capítulo",
    alerts: [
        "Nota",
        "Sugerencia",
        "Importante",
        "Advertencia",
        "Precaución",
    ],
};

/// The labels for a BCP 47 language tag.
pub fn for_language(lang: &str) -> &'static Labels {
    let primary = lang
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    match primary.as_str() {
        "fr" => &FR,
        "de" => &DE,
        "es" => &ES,
        _ => &EN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_follow_the_primary_subtag() {
        assert_eq!(for_language("fr-CA").contents, "Table des matières");
        assert_eq!(for_language("en-GB").contents, "Contents");
        assert_eq!(for_language("").contents, "Contents");
    }

    #[test]
    fn print_words_in_english_are_the_typesetter_s() {
        let en = for_language("en");
        assert_eq!(en.contents, "Contents");
        assert_eq!(en.notes, "Notes");
        assert_eq!(en.part(2), "Part 2");
        assert_eq!(en.part_entry(2, "The Title"), "Part 2: The Title");
        assert_eq!(en.link_to(&en.page("iv")), "Link to page iv");
        assert_eq!(
            en.link_to("https://example.org"),
            "Link to https://example.org"
        );
    }

    #[test]
    fn alert_titles_in_each_language() {
        assert_eq!(for_language("en").alert(AlertKind::Note), "Note");
        assert_eq!(for_language("en").alert(AlertKind::Caution), "Caution");
        assert_eq!(for_language("de").alert(AlertKind::Warning), "Warnung");
        assert_eq!(for_language("fr").alert(AlertKind::Tip), "Conseil");
        assert_eq!(for_language("es").alert(AlertKind::Important), "Importante");
    }

    #[test]
    fn print_words_follow_the_language() {
        assert_eq!(
            for_language("fr").part_entry(1, "Titre"),
            "Partie 1\u{a0}: Titre"
        );
        assert_eq!(for_language("de-AT").notes, "Anmerkungen");
        assert_eq!(
            for_language("es").link_to(&for_language("es").page("3")),
            "Enlace a página 3"
        );
    }
}
