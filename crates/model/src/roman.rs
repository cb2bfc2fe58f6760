//! Roman numerals, as FRUS prints volume numbers ("Volume VII") and front-matter pages ("XIV").

/// Upper-case roman numeral of `n` (1–3999); `None` outside that range.
pub fn to_roman(mut n: u32) -> Option<String> {
    if n == 0 || n > 3999 {
        return None;
    }
    const TABLE: &[(u32, &str)] = &[
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for &(value, digits) in TABLE {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    Some(out)
}

/// The value of a roman numeral in either case ("VII", "xiv"); `None` if `s` is not one.
/// Only numerals written in the standard form are accepted ("IIII" and "VX" are not), so a
/// word that happens to use those letters ("MIX", "DID") is not taken for a number unless it
/// reads back the same.
pub fn from_roman(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 15 {
        return None;
    }
    let mut total = 0u32;
    let mut prev = 0u32;
    for c in s.chars().rev() {
        let v = match c.to_ascii_lowercase() {
            'i' => 1,
            'v' => 5,
            'x' => 10,
            'l' => 50,
            'c' => 100,
            'd' => 500,
            'm' => 1000,
            _ => return None,
        };
        if v < prev {
            total = total.checked_sub(v)?;
        } else {
            total += v;
            prev = v;
        }
    }
    (to_roman(total)?.eq_ignore_ascii_case(s)).then_some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        for n in 1..400 {
            let r = to_roman(n).unwrap_or_default();
            assert_eq!(from_roman(&r), Some(n), "{r}");
            assert_eq!(from_roman(&r.to_lowercase()), Some(n));
        }
        assert_eq!(to_roman(0), None);
        assert_eq!(from_roman("IIII"), None);
        assert_eq!(from_roman("VX"), None);
        assert_eq!(from_roman("Part"), None);
    }
}
