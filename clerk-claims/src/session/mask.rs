//! `o.fpm` masks: a decimal string of any length to its low bits, least significant first.
//!
//! Hand-written (schoolbook division of the decimal digits by two) instead of a big-integer
//! crate: Clerk's masks are decimal numbers of arbitrary size (one bit per permission, so more
//! than 64 permissions overflow `u64`), this is the only arithmetic we ever do on them, and we
//! only need as many bits as the token lists permissions, so the loop stops there.

/// A parsed `o.fpm` mask: a `u128` when the decimal fits (every mask Clerk issues), otherwise
/// the bits [`low_bits`] computes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Mask {
    /// Up to 38 decimal digits, which always fit.
    Small(u128),
    /// The first `width` bits of a longer decimal.
    Wide(Vec<bool>),
}

impl Mask {
    /// Reads `text` as [`low_bits`] does (`None` when malformed); `width` is how many bits the
    /// caller will ask for.
    pub(crate) fn parse(text: &str, width: usize) -> Option<Self> {
        let trimmed = text.trim();
        if trimmed.is_empty() || !trimmed.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        // 38 nines is below 2^128, so parsing cannot overflow (and `+`/`-` were excluded).
        if trimmed.len() <= 38 {
            return trimmed.parse().ok().map(Self::Small);
        }
        low_bits(trimmed, width).map(Self::Wide)
    }

    /// Whether bit `k` (least significant first) is set.
    pub(crate) fn bit(&self, k: usize) -> bool {
        match self {
            Self::Small(n) => k < 128 && (n >> k) & 1 == 1,
            Self::Wide(bits) => bits.get(k).copied().unwrap_or(false),
        }
    }
}

/// The first `width` bits of the decimal number `text`, least significant first.
///
/// `text` is trimmed and must match `^[0-9]+$`; anything else (`-1`, `1.5`, `1invalid`, empty)
/// yields `None`, which callers treat as an empty mask so a malformed mask grants nothing
/// (Clerk's JS parser does the same: fail closed).
pub(crate) fn low_bits(text: &str, width: usize) -> Option<Vec<bool>> {
    let text = text.trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Most significant digit first; leading zeros are harmless.
    let mut digits: Vec<u8> = text.bytes().map(|b| b - b'0').collect();
    let mut bits = Vec::with_capacity(width);
    while bits.len() < width {
        let mut remainder = 0u8;
        let mut all_zero = true;
        for digit in &mut digits {
            let value = remainder * 10 + *digit;
            *digit = value / 2;
            remainder = value % 2;
            all_zero &= *digit == 0;
        }
        bits.push(remainder == 1);
        if all_zero {
            break;
        }
    }
    bits.resize(width, false);
    Some(bits)
}

#[cfg(test)]
mod tests {
    use super::{Mask, low_bits};

    fn ones(text: &str, width: usize) -> Vec<usize> {
        low_bits(text, width)
            .map(|bits| {
                bits.iter()
                    .enumerate()
                    .filter(|(_, b)| **b)
                    .map(|(i, _)| i)
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn small_masks_match_u64_arithmetic() {
        for n in [0u64, 1, 2, 3, 5, 21, 255, 1 << 40, u64::MAX] {
            let expected: Vec<usize> = (0..64).filter(|k| n >> k & 1 == 1).collect();
            assert_eq!(ones(&n.to_string(), 64), expected, "mask {n}");
        }
    }

    #[test]
    fn masks_beyond_u128_keep_their_high_bits() {
        // 2^130 + 1 = 1361129467683753853853498429727072845825
        assert_eq!(
            ones("1361129467683753853853498429727072845825", 200),
            vec![0, 130]
        );
    }

    #[test]
    fn bits_beyond_width_are_not_returned() {
        assert_eq!(low_bits("4", 2), Some(vec![false, false]));
        assert_eq!(low_bits("7", 0), Some(vec![]));
    }

    #[test]
    fn malformed_masks_are_rejected() {
        for bad in ["", " ", "-1", "1.5", "1invalid", "+3", "0x3", "٣"] {
            assert_eq!(low_bits(bad, 8), None, "{bad:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn mask_bits_agree_with_low_bits(digits in "[0-9]{1,45}", width in 0usize..160) {
            let mask = Mask::parse(&digits, width);
            let bits = low_bits(&digits, width);
            proptest::prop_assert_eq!(mask.is_some(), bits.is_some());
            if let (Some(mask), Some(bits)) = (mask, bits) {
                for (k, bit) in bits.iter().enumerate() {
                    proptest::prop_assert_eq!(mask.bit(k), *bit, "bit {}", k);
                }
            }
        }
    }

    #[test]
    fn malformed_masks_parse_to_none() {
        for bad in ["", " ", "-1", "1.5", "+3", "0x3"] {
            assert_eq!(Mask::parse(bad, 8), None, "{bad:?}");
        }
    }

    #[test]
    fn surrounding_whitespace_is_ignored() {
        assert_eq!(ones(" 3 ", 4), vec![0, 1]);
    }
}
