//! The few words the EPUB writer adds to a book itself (“Contents”, “Cover”…),
//! in the book's language.
//!
//! FIXME: should the book be able to override these in `book.toml`? For now
//! a small table by primary language subtag, English otherwise.

/// Words added by the writer, in one language.
#[derive(Debug)]
pub(super) struct Labels {
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
};

/// The labels for a BCP 47 language tag.
pub(super) fn for_language(lang: &str) -> &'static Labels {
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
}
