//! Bytes to text: UTF-8 (with or without a byte order mark), UTF-16 with a byte order mark,
//! the character set an HTML page declares (`<meta charset>`, `http-equiv` Content-Type:
//! windows-1252, ISO-8859-x, Shift_JIS, EUC-KR, GB18030, Big5, KOI8 … by the WHATWG Encoding
//! Standard's labels, through `encoding_rs`), and a Latin-1 (Windows-1252) fallback for files
//! that are not UTF-8. The page and the CLI decode with this one module.
//!
//! Control characters other than tab, line feed, carriage return and form feed become spaces of
//! the same byte length, so offsets into UTF-8 input stay the file's own offsets.

use crate::error::Error;

/// The largest input one call to [`crate::parse`] accepts: 64 MiB.
pub const MAX_INPUT_BYTES: usize = 64 * 1024 * 1024;

/// Share of control bytes above which an input is taken for binary data.
const MAX_CONTROL_PER_MILLE: usize = 50;

/// Decoded text and, when the decoding was a guess, a warning saying so.
#[derive(Debug)]
pub(crate) struct Decoded {
    pub text: String,
    pub warning: Option<String>,
}

/// How far into an HTML page its `<meta>` character set is looked for (the Encoding Standard's
/// prescan reads 1,024 bytes; pages with long heads put it later).
const CHARSET_SCAN_BYTES: usize = 8 * 1024;

/// Decodes an HTML page: by its byte order mark, else the character set its `<meta>` declares,
/// else as [`decode`] does.
pub(crate) fn decode_html(bytes: &[u8]) -> Result<Decoded, Error> {
    let declared = declared_charset(bytes).filter(|e| {
        // A page cannot declare itself UTF-16 in ASCII: such a label means UTF-8 (the
        // Encoding Standard's rule); the replacement and user-defined encodings are not text.
        *e != encoding_rs::UTF_8
            && *e != encoding_rs::UTF_16LE
            && *e != encoding_rs::UTF_16BE
            && *e != encoding_rs::REPLACEMENT
            && *e != encoding_rs::X_USER_DEFINED
    });
    let Some(encoding) = declared else {
        return decode(bytes);
    };
    // A byte order mark outranks the declaration; `decode` reads it (and checks the size).
    if bytes.len() > MAX_INPUT_BYTES
        || matches!(
            bytes,
            [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..] | [0xEF, 0xBB, 0xBF, ..]
        )
    {
        return decode(bytes);
    }
    check_not_binary(bytes)?;
    let (text, had_errors) = decode_as(encoding, bytes);
    let warning = had_errors.then(|| {
        format!(
            "the page declares {}, but some bytes are not valid in it; each was replaced by U+FFFD",
            encoding.name()
        )
    });
    Ok(Decoded {
        text: clean_controls(text),
        warning,
    })
}

/// Decodes by a legacy encoding: natively with `encoding_rs`'s tables; in the browser with its
/// own `TextDecoder`, which implements the same Encoding Standard, so the page does not carry a
/// second copy of the tables (a browser test checks that the two agree). Which encoding applies
/// is decided above, by the same code on both sides.
#[cfg(not(target_arch = "wasm32"))]
fn decode_as(encoding: &'static encoding_rs::Encoding, bytes: &[u8]) -> (String, bool) {
    let (text, _, had_errors) = encoding.decode(bytes);
    (text.into_owned(), had_errors)
}

#[cfg(target_arch = "wasm32")]
fn decode_as(encoding: &'static encoding_rs::Encoding, bytes: &[u8]) -> (String, bool) {
    let decoded = web_sys::TextDecoder::new_with_label(encoding.name())
        .and_then(|d| d.decode_with_u8_array(bytes));
    match decoded {
        // TextDecoder does not report errors unless asked to fail on them; a replacement
        // character the page did not contain is the sign.
        Ok(text) => {
            let had_errors =
                text.contains('\u{FFFD}') && find(bytes, "\u{FFFD}".as_bytes()).is_none();
            (text, had_errors)
        }
        // A browser without the encoding: read as the page's bytes allow.
        Err(_) => (String::from_utf8_lossy(bytes).into_owned(), true),
    }
}

/// The character set a page's `<meta charset="…">` or `<meta http-equiv="Content-Type"
/// content="…; charset=…">` names, if any.
fn declared_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(CHARSET_SCAN_BYTES)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut at = 0;
    while let Some(i) = find(&lower[at..], b"<meta") {
        let start = at + i + 5;
        let end = lower[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(c) = find(tag, b"charset") {
            let rest = &tag[c + 7..];
            let rest = rest.strip_prefix(b" ").unwrap_or(rest);
            if let Some(rest) = rest.strip_prefix(b"=") {
                let rest: &[u8] = {
                    let skip = rest
                        .iter()
                        .position(|b| !matches!(b, b' ' | b'"' | b'\'' | b'\t'))
                        .unwrap_or(rest.len());
                    &rest[skip..]
                };
                let len = rest
                    .iter()
                    .position(|b| matches!(b, b' ' | b'"' | b'\'' | b';' | b'/' | b'\t' | b'\n'))
                    .unwrap_or(rest.len());
                if let Some(e) = encoding_rs::Encoding::for_label(&rest[..len]) {
                    return Some(e);
                }
            }
        }
        at = end.min(lower.len());
        if at >= lower.len() {
            break;
        }
    }
    None
}

/// Where `needle` first occurs in `hay` (byte strings; for the short needles of format sniffing).
pub(crate) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Decodes `bytes` into text, or says why it cannot.
pub(crate) fn decode(bytes: &[u8]) -> Result<Decoded, Error> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(Error::too_large(bytes.len(), MAX_INPUT_BYTES));
    }
    if let Some(text) = decode_utf16(bytes) {
        return Ok(Decoded {
            text: clean_controls(text),
            warning: None,
        });
    }
    check_not_binary(bytes)?;
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Decoded {
            text: clean_controls(text.to_string()),
            warning: None,
        }),
        Err(e) => {
            let first_bad = e.valid_up_to();
            let (valid_multibyte, invalid) = utf8_census(bytes);
            if valid_multibyte > invalid {
                Ok(Decoded {
                    text: clean_controls(String::from_utf8_lossy(bytes).into_owned()),
                    warning: Some(format!(
                        "{invalid} invalid UTF-8 sequence(s), the first at byte {first_bad}; \
                         each was replaced by U+FFFD"
                    )),
                })
            } else {
                Ok(Decoded {
                    text: clean_controls(decode_as(encoding_rs::WINDOWS_1252, bytes).0),
                    warning: Some(format!(
                        "not valid UTF-8 (first bad byte at offset {first_bad}); \
                         read as Latin-1 (Windows-1252)"
                    )),
                })
            }
        }
    }
}

fn decode_utf16(bytes: &[u8]) -> Option<String> {
    let little = match bytes {
        [0xFF, 0xFE, ..] => true,
        [0xFE, 0xFF, ..] => false,
        _ => return None,
    };
    let units = bytes[2..].chunks(2).map(|c| {
        let pair = [c[0], *c.get(1).unwrap_or(&0)];
        if little {
            u16::from_le_bytes(pair)
        } else {
            u16::from_be_bytes(pair)
        }
    });
    Some(
        char::decode_utf16(units)
            .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect(),
    )
}

fn is_control_byte(b: u8) -> bool {
    (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1B)) || b == 0x7F
}

fn check_not_binary(bytes: &[u8]) -> Result<(), Error> {
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    if sample.is_empty() {
        return Ok(());
    }
    let controls = sample.iter().filter(|&&b| is_control_byte(b)).count();
    if controls * 1000 > sample.len() * MAX_CONTROL_PER_MILLE {
        return Err(Error::binary(controls, sample.len()));
    }
    Ok(())
}

/// Counts valid multi-byte UTF-8 sequences and invalid sequences.
fn utf8_census(mut bytes: &[u8]) -> (usize, usize) {
    let (mut valid, mut invalid) = (0, 0);
    loop {
        match std::str::from_utf8(bytes) {
            Ok(s) => {
                valid += s.chars().filter(|c| c.len_utf8() > 1).count();
                return (valid, invalid);
            }
            Err(e) => {
                let (good, rest) = bytes.split_at(e.valid_up_to());
                valid += std::str::from_utf8(good)
                    .map(|s| s.chars().filter(|c| c.len_utf8() > 1).count())
                    .unwrap_or(0);
                invalid += 1;
                let skip = e.error_len().unwrap_or(rest.len()).max(1);
                bytes = &rest[skip.min(rest.len())..];
            }
        }
    }
}

/// Bytes that may start a control character in UTF-8: C0 controls but tab, newline, carriage
/// return and form feed; DEL; and 0xC2, the lead byte of C1 controls (C2 80..C2 9F) and of
/// other characters, which [`has_control`] then tells apart.
const MAY_BE_CONTROL: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = !matches!(b as u8, b'\t' | b'\n' | b'\r' | 0x0C);
        b += 1;
    }
    t[0x7F] = true;
    t[0xC2] = true;
    t
};

/// Whether UTF-8 text holds a control character [`clean_controls`] replaces. One table look-up
/// a byte: this runs over every input.
fn has_control(b: &[u8]) -> bool {
    let mut i = 0;
    while let Some(p) = b[i..].iter().position(|&x| MAY_BE_CONTROL[x as usize]) {
        let j = i + p;
        if b[j] != 0xC2 || b.get(j + 1).is_some_and(|y| (0x80..=0x9F).contains(y)) {
            return true;
        }
        i = j + 1;
    }
    false
}

/// Replaces control characters (but tab, newline, carriage return, form feed) by spaces of the
/// same UTF-8 length, so byte offsets do not move.
fn clean_controls(text: String) -> String {
    if !has_control(text.as_bytes()) {
        return text;
    }
    // Controls are whole one-byte (C0, DEL) or two-byte (C1: C2 80..C2 9F) sequences; spaces
    // in their place keep the text valid UTF-8 and every offset where it was.
    let mut bytes = text.into_bytes();
    let mut i = 0;
    while let Some(p) = bytes[i..].iter().position(|&x| MAY_BE_CONTROL[x as usize]) {
        let j = i + p;
        if bytes[j] != 0xC2 {
            bytes[j] = b' ';
        } else if bytes.get(j + 1).is_some_and(|y| (0x80..=0x9F).contains(y)) {
            bytes[j] = b' ';
            bytes[j + 1] = b' ';
        }
        i = j + 1;
    }
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn utf8_passes_through() {
        let d = decode("Kem Sokha’s party".as_bytes()).unwrap();
        assert_eq!(d.text, "Kem Sokha’s party");
        assert!(d.warning.is_none());
    }

    #[test]
    fn latin1_is_read_with_a_warning() {
        let d = decode(b"Caf\xe9 \x93quoted\x94 \xa3100").unwrap();
        assert_eq!(d.text, "Café “quoted” £100");
        assert!(d.warning.unwrap().contains("Latin-1"));
    }

    #[test]
    fn mostly_utf8_with_one_bad_byte_stays_utf8() {
        let d = decode(
            "Sokha’s “party” and \u{e9}"
                .as_bytes()
                .iter()
                .copied()
                .chain([0xff])
                .collect::<Vec<_>>()
                .as_slice(),
        )
        .unwrap();
        assert!(d.text.starts_with("Sokha’s “party”"));
        assert!(d.warning.unwrap().contains("U+FFFD"));
    }

    #[test]
    fn nul_bytes_become_spaces_of_same_length() {
        let text = "A long enough line of article text\0 with one NUL byte in the middle of it.";
        let d = decode(text.as_bytes()).unwrap();
        assert_eq!(d.text.len(), text.len());
        assert!(!d.text.contains('\0'));
    }

    #[test]
    fn binary_is_an_error() {
        let bytes: Vec<u8> = (0..4096u32).map(|i| (i * 7 % 256) as u8).collect();
        let e = decode(&bytes).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Binary);
        assert!(e.to_string().contains("binary"));
    }

    #[test]
    fn declared_charsets() {
        let cases: &[(&[u8], &str)] = &[
            (b"<meta charset=\"windows-1252\"><p>Caf\xe9 \x93q\x94", "Caf\u{e9} \u{201c}q\u{201d}"),
            (
                b"<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=iso-8859-2\"><p>\xb3\xf3d\xbc",
                "\u{142}\u{f3}d\u{17a}",
            ),
            (b"<meta charset='shift_jis'><p>\x93\xfa\x96\x7b", "\u{65e5}\u{672c}"),
            (b"<meta charset=gb18030><p>\xd6\xd0\xce\xc4", "\u{4e2d}\u{6587}"),
            (b"<meta charset=koi8-r><p>\xf0\xd2\xc1\xd7\xc4\xc1", "\u{41f}\u{440}\u{430}\u{432}\u{434}\u{430}"),
            // A UTF-16 label in an ASCII page means UTF-8.
            (b"<meta charset=utf-16><p>\xe2\x80\x9cq\xe2\x80\x9d", "\u{201c}q\u{201d}"),
            // An unknown label: read as if none were given.
            (b"<meta charset=klingon><p>plain", "plain"),
        ];
        for (bytes, want) in cases {
            let d = decode_html(bytes).unwrap();
            assert!(d.text.ends_with(want), "{:?} gave {:?}", want, d.text);
            assert!(d.warning.is_none(), "{:?}", d.warning);
        }
    }

    #[test]
    fn utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "Héllo".encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        assert_eq!(decode(&bytes).unwrap().text, "Héllo");
    }
}
