//! Lengths: the [`Pt`] newtype (PostScript points, 1/72 in) used by the
//! style, the typesetter and the page model, with millimetre and inch
//! constructors. Nothing here knows about layout.

use std::fmt;
use std::ops::{Add, AddAssign, Div, Mul, Neg, Sub, SubAssign};

/// A length in PostScript points (1/72 inch). Layout is y-down from the top
/// left corner of the page; the PDF writer flips the axis.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Pt(pub f64);

impl Pt {
    /// Zero.
    pub const ZERO: Pt = Pt(0.0);

    /// A length given in millimetres.
    pub fn mm(mm: f64) -> Pt {
        Pt(mm * 72.0 / 25.4)
    }

    /// A length given in inches.
    pub fn inch(inch: f64) -> Pt {
        Pt(inch * 72.0)
    }

    /// The value in points.
    pub fn get(self) -> f64 {
        self.0
    }

    /// The larger of two lengths.
    pub fn max(self, other: Pt) -> Pt {
        Pt(self.0.max(other.0))
    }

    /// The smaller of two lengths.
    pub fn min(self, other: Pt) -> Pt {
        Pt(self.0.min(other.0))
    }

    /// Parses `11pt`, `15mm`, `1.5cm`, `0.5in` or a bare number (points);
    /// the result is always finite.
    pub fn parse(text: &str) -> Option<Pt> {
        let text = text.trim();
        let split = text
            .find(|c: char| c.is_ascii_alphabetic())
            .unwrap_or(text.len());
        let (num, unit) = text.split_at(split);
        let value: f64 = num.trim().parse().ok()?;
        let pt = match unit.trim() {
            "" | "pt" => Pt(value),
            "mm" => Pt::mm(value),
            "cm" => Pt::mm(value * 10.0),
            "in" => Pt::inch(value),
            _ => return None,
        };
        // `nan` and `inf` parse as numbers, and `1e308in` overflows in the
        // conversion: neither is a length.
        pt.0.is_finite().then_some(pt)
    }
}

impl fmt::Display for Pt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.abs() >= 1e6 {
            // A value from a typo (`1e308`) is shown short.
            write!(f, "{:.3e}pt", self.0)
        } else {
            write!(f, "{:.2}pt", self.0)
        }
    }
}

impl Add for Pt {
    type Output = Pt;
    fn add(self, o: Pt) -> Pt {
        Pt(self.0 + o.0)
    }
}

impl Sub for Pt {
    type Output = Pt;
    fn sub(self, o: Pt) -> Pt {
        Pt(self.0 - o.0)
    }
}

impl AddAssign for Pt {
    fn add_assign(&mut self, o: Pt) {
        self.0 += o.0;
    }
}

impl SubAssign for Pt {
    fn sub_assign(&mut self, o: Pt) {
        self.0 -= o.0;
    }
}

impl Neg for Pt {
    type Output = Pt;
    fn neg(self) -> Pt {
        Pt(-self.0)
    }
}

impl Mul<f64> for Pt {
    type Output = Pt;
    fn mul(self, k: f64) -> Pt {
        Pt(self.0 * k)
    }
}

impl Div<f64> for Pt {
    type Output = Pt;
    fn div(self, k: f64) -> Pt {
        Pt(self.0 / k)
    }
}

impl Div for Pt {
    type Output = f64;
    fn div(self, o: Pt) -> f64 {
        self.0 / o.0
    }
}

impl std::iter::Sum for Pt {
    fn sum<I: Iterator<Item = Pt>>(iter: I) -> Pt {
        Pt(iter.map(|p| p.0).sum())
    }
}

/// Reads a length from a number (points) or a string with a unit. Every
/// kind of value goes through `visit_*` here, so a wrong one (a table, a
/// date, NaN, an infinity) gets one message naming what a length is,
/// never serde's "data did not match any variant".
impl<'de> serde::Deserialize<'de> for Pt {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Pt, D::Error> {
        struct Length;
        impl serde::de::Visitor<'_> for Length {
            type Value = Pt;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a length such as `11pt`, `15mm`, `1.5cm`, `0.5in` or a number of points",
                )
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Pt, E> {
                if v.is_finite() {
                    Ok(Pt(v))
                } else {
                    Err(E::custom(format!(
                        "`{v}` is not a length (write e.g. `11pt`, `15mm`, `0.5in`)"
                    )))
                }
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Pt, E> {
                Ok(Pt(v as f64))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Pt, E> {
                Ok(Pt(v as f64))
            }
            fn visit_str<E: serde::de::Error>(self, t: &str) -> Result<Pt, E> {
                Pt::parse(t).ok_or_else(|| {
                    E::custom(format!(
                        "`{}` is not a length (write e.g. `11pt`, `15mm`, `0.5in`)",
                        crate::config::shown(t)
                    ))
                })
            }
        }
        d.deserialize_any(Length)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_lengths_in_units() {
        assert_eq!(Pt::parse("11pt"), Some(Pt(11.0)));
        assert_eq!(Pt::parse("12"), Some(Pt(12.0)));
        assert!((Pt::parse("25.4mm").unwrap().0 - 72.0).abs() < 1e-9);
        assert!((Pt::parse("1in").unwrap().0 - 72.0).abs() < 1e-9);
        assert_eq!(Pt::parse("3 furlongs"), None);
        assert_eq!(Pt::parse("mm"), None);
    }

    #[test]
    fn parse_refuses_what_is_not_finite() {
        for text in [
            "nan", "NaN", "inf", "-inf", "infinity", "1e308in", "1e400", "NaNpt",
        ] {
            assert_eq!(Pt::parse(text), None, "{text}");
        }
    }

    #[test]
    fn deserialize_refuses_nan_and_wrong_kinds_with_one_message() {
        #[derive(serde::Deserialize, Debug)]
        struct T {
            #[allow(dead_code)]
            x: Pt,
        }
        for text in [
            "x = nan",
            "x = -inf",
            "x = 2024-01-01",
            "x = { a = 1 }",
            "x = [1]",
            "x = true",
        ] {
            let err = toml::from_str::<T>(text).unwrap_err().message().to_string();
            assert!(
                err.contains("length") && !err.contains("variant"),
                "{text}: {err}"
            );
        }
        assert_eq!(toml::from_str::<T>("x = 12").unwrap().x, Pt(12.0));
        assert_eq!(toml::from_str::<T>("x = 1.5").unwrap().x, Pt(1.5));
    }
}
