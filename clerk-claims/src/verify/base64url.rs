//! Strict base64url decoding of token segments: URL-safe alphabet, no padding, canonical
//! trailing bits (RFC 7515 §2, RFC 4648 §5) — the rules of the `base64` crate's
//! `URL_SAFE_NO_PAD` engine, which the tests below hold this decoder to.
//!
//! Hand-written because it is on every verification: the general-purpose engine spends about
//! nine instructions per character (some 6,600 on a Clerk session token, a fifth of what the
//! verifier adds to the signature check), this table decoder about a third of that, and it
//! appends to a caller's buffer so a token's three segments share one allocation.

/// Marks a byte outside the alphabet in [`TABLE`]; any marked byte makes a quad's OR exceed
/// 24 bits.
const INVALID: u32 = 1 << 24;

/// The 6-bit value of each URL-safe alphabet byte, [`INVALID`] for every other byte.
const TABLE: [u32; 256] = {
    let mut table = [INVALID; 256];
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut i = 0;
    while i < alphabet.len() {
        table[alphabet[i] as usize] = i as u32;
        i += 1;
    }
    table
};

/// The same table pre-shifted for the first, second and third character of a quad, so a quad
/// is four loads and three ORs.
const fn shifted(shift: u32) -> [u32; 256] {
    let mut table = [INVALID; 256];
    let mut i = 0;
    while i < 256 {
        if TABLE[i] != INVALID {
            table[i] = TABLE[i] << shift;
        }
        i += 1;
    }
    table
}
const SHIFT_18: [u32; 256] = shifted(18);
const SHIFT_12: [u32; 256] = shifted(12);
const SHIFT_6: [u32; 256] = shifted(6);

/// The decoded length of `len` characters, or `None` for a length no unpadded encoding has
/// (one character left over).
pub(crate) fn decoded_len(len: usize) -> Option<usize> {
    match len % 4 {
        1 => None,
        rem => Some(len / 4 * 3 + rem.saturating_sub(1)),
    }
}

/// Appends the bytes `input` encodes to `out`; `false` (with `out` unspecified beyond its
/// original length) when `input` is not strict unpadded base64url.
pub(crate) fn decode_into(input: &[u8], out: &mut Vec<u8>) -> bool {
    let Some(len) = decoded_len(input.len()) else {
        return false;
    };
    let start = out.len();
    out.resize(start + len, 0);
    let quads = input.chunks_exact(4);
    let tail = quads.remainder();
    let Some((full, last)) = out
        .get_mut(start..)
        .and_then(|dst| dst.split_at_mut_checked(input.len() / 4 * 3))
    else {
        return false;
    };
    for (quad, bytes) in quads.zip(full.chunks_exact_mut(3)) {
        let (&[a, b, c, d], [x, y, z]) = (quad, bytes) else {
            return false;
        };
        let n = SHIFT_18[usize::from(a)]
            | SHIFT_12[usize::from(b)]
            | SHIFT_6[usize::from(c)]
            | TABLE[usize::from(d)];
        if n >= INVALID {
            return false;
        }
        [*x, *y, *z] = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
    }
    match (tail, last) {
        ([], []) => true,
        // Two characters carry one byte; the low 4 bits of the second must be zero.
        ([a, b], [x]) => {
            let n = SHIFT_18[usize::from(*a)] | SHIFT_12[usize::from(*b)];
            *x = (n >> 16) as u8;
            n < INVALID && n & 0xffff == 0
        }
        // Three characters carry two bytes; the low 2 bits of the third must be zero.
        ([a, b, c], [x, y]) => {
            let n =
                SHIFT_18[usize::from(*a)] | SHIFT_12[usize::from(*b)] | SHIFT_6[usize::from(*c)];
            [*x, *y] = [(n >> 16) as u8, (n >> 8) as u8];
            n < INVALID && n & 0xff == 0
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;
    use proptest::prelude::*;

    fn reference(input: &[u8]) -> Option<Vec<u8>> {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(input)
            .ok()
    }

    fn ours(input: &[u8]) -> Option<Vec<u8>> {
        let mut out = vec![7u8; 3];
        decode_into(input, &mut out).then(|| out.split_off(3))
    }

    #[test]
    fn every_length_of_real_data_round_trips() {
        for len in 0..70 {
            let data: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            let text = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&data);
            assert_eq!(ours(text.as_bytes()), Some(data), "{text}");
        }
    }

    #[test]
    fn padding_other_alphabets_and_loose_trailing_bits_are_refused() {
        for bad in [
            "e30=", "e3=", "a+b/", "ab/c", "e31", "e3", "QR", "QUF", "A", "AAAAA", " e30",
        ] {
            assert_eq!(ours(bad.as_bytes()), reference(bad.as_bytes()), "{bad}");
        }
        assert_eq!(ours(b"e31"), None);
        assert_eq!(ours(b"QR"), None);
        assert_eq!(ours(b"QQ"), Some(b"A".to_vec()));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        #[test]
        fn agrees_with_the_base64_crate_on_any_text(
            input in prop::collection::vec(
                prop::sample::select(
                    b"AQgwBhx_-09zZ+/=.\x00\xff".to_vec()
                ),
                0..24,
            )
        ) {
            prop_assert_eq!(ours(&input), reference(&input));
        }

        #[test]
        fn agrees_with_the_base64_crate_on_any_bytes(input in prop::collection::vec(any::<u8>(), 0..12)) {
            prop_assert_eq!(ours(&input), reference(&input));
        }

        #[test]
        fn decodes_what_the_base64_crate_encodes(data in prop::collection::vec(any::<u8>(), 0..300)) {
            let text = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&data);
            prop_assert_eq!(ours(text.as_bytes()), Some(data));
        }
    }
}
