use super::*;

#[test]
fn file_slugs_are_plain_and_short() {
    assert_eq!(file_slug("../../etc/passwd\u{1b}[31m"), "etcpasswd31m");
    let long = "Жизнь ".repeat(21);
    let slug = file_slug(&long);
    assert!(slug.len() <= MAX_SLUG_BYTES, "{}", slug.len());
    assert!(
        slug.starts_with("жизнь-жизнь") && !slug.ends_with('-'),
        "{slug}"
    );
    assert_eq!(file_slug("   "), "section");
}

#[test]
fn derived_identifier_is_a_stable_v5_uuid() {
    let a = derive_identifier("Thermidor and the Party");
    assert_eq!(a, derive_identifier(" Thermidor and the Party "));
    assert_ne!(a, derive_identifier("Another Book"));
    assert_eq!(a.len(), "urn:uuid:".len() + 36);
    assert_eq!(&a[9 + 14..9 + 15], "5", "version nibble");
}
