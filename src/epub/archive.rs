//! The EPUB container: a zip file written so that the same files give the
//! same bytes.
//!
//! OCF 3.3 (<https://www.w3.org/TR/epub-33/#sec-container-zip>) wants the
//! `mimetype` entry first, stored uncompressed and without extra fields, so
//! that `application/epub+zip` sits at byte 38 of the file. For
//! reproducible builds every entry gets the same timestamp (the DOS epoch,
//! 1980-01-01 00:00, the earliest a zip can hold), the same permissions and
//! the order given by the caller; deflate output only depends on its input.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// One file of the container.
#[derive(Debug)]
pub(super) struct Entry {
    /// Path in the container (`EPUB/package.opf`).
    pub path: String,
    /// Contents.
    pub data: Vec<u8>,
}

/// Writes the container: `mimetype` first, then `entries` in their order.
pub(super) fn zip(entries: &[Entry]) -> std::io::Result<Vec<u8>> {
    let base = SimpleFileOptions::default()
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    let stored = base.compression_method(CompressionMethod::Stored);
    let deflated = base
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(9));
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file("mimetype", stored).map_err(into_io)?;
    zip.write_all(b"application/epub+zip")?;
    for entry in entries {
        // Already-compressed images gain nothing from deflate.
        let options = if is_compressed(&entry.path) {
            stored
        } else {
            deflated
        };
        zip.start_file(entry.path.as_str(), options)
            .map_err(into_io)?;
        zip.write_all(&entry.data)?;
    }
    Ok(zip.finish().map_err(into_io)?.into_inner())
}

fn is_compressed(path: &str) -> bool {
    [".png", ".jpg", ".gif", ".webp", ".woff", ".woff2"]
        .iter()
        .any(|ext| path.ends_with(ext))
}

fn into_io(e: zip::result::ZipError) -> std::io::Error {
    match e {
        zip::result::ZipError::Io(e) => e,
        other => std::io::Error::other(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<Entry> {
        vec![
            Entry {
                path: "META-INF/container.xml".into(),
                data: b"<container/>".to_vec(),
            },
            Entry {
                path: "EPUB/a.xhtml".into(),
                data: "<p>text</p>".repeat(50).into_bytes(),
            },
        ]
    }

    #[test]
    fn zip_starts_with_stored_mimetype() {
        let bytes = zip(&sample()).unwrap();
        assert_eq!(&bytes[..4], b"PK\x03\x04");
        // Local header: method at 8 (0 = stored), name length at 26, extra length at 28.
        assert_eq!(u16::from_le_bytes([bytes[8], bytes[9]]), 0);
        assert_eq!(u16::from_le_bytes([bytes[28], bytes[29]]), 0);
        assert_eq!(&bytes[30..38], b"mimetype");
        assert_eq!(&bytes[38..58], b"application/epub+zip");
    }

    #[test]
    fn zip_is_byte_identical_across_runs() {
        let a = zip(&sample()).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(1100));
        let b = zip(&sample()).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn zip_keeps_entry_order_and_contents() {
        let bytes = zip(&sample()).unwrap();
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let names: Vec<String> = (0..archive.len())
            .map(|i| archive.by_index(i).unwrap().name().unwrap().to_string())
            .collect();
        assert_eq!(
            names,
            ["mimetype", "META-INF/container.xml", "EPUB/a.xhtml"]
        );
        let mut s = String::new();
        std::io::Read::read_to_string(&mut archive.by_name("EPUB/a.xhtml").unwrap(), &mut s)
            .unwrap();
        assert_eq!(s.len(), 550);
    }
}
