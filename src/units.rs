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

    /// Parses `11pt`, `15mm`, `1.5cm`, `0.5in` or a bare number (points).
    pub fn parse(text: &str) -> Option<Pt> {
        let text = text.trim();
        let split = text
            .find(|c: char| c.is_ascii_alphabetic())
            .unwrap_or(text.len());
        let (num, unit) = text.split_at(split);
        let value: f64 = num.trim().parse().ok()?;
        if !value.is_finite() {
            return None;
        }
        match unit.trim() {
            "" | "pt" => Some(Pt(value)),
            "mm" => Some(Pt::mm(value)),
            "cm" => Some(Pt::mm(value * 10.0)),
            "in" => Some(Pt::inch(value)),
            _ => None,
        }
    }
}

impl fmt::Display for Pt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.2}pt", self.0)
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

impl<'de> serde::Deserialize<'de> for Pt {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Pt, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Num(f64),
            Text(String),
        }
        match Raw::deserialize(d)? {
            Raw::Num(n) => Ok(Pt(n)),
            Raw::Text(t) => Pt::parse(&t).ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "`{t}` is not a length (write e.g. `11pt`, `15mm`, `0.5in`)"
                ))
            }),
        }
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
}
