//! The query language, parsed leniently: no string is an error; broken syntax degrades to
//! plain words. The parsed [`Query`] knows nothing of any index.
//!
//! ```text
//! sokha rainsy          ranked OR: articles matching more words come first
//! "rescue party"        exact phrase (an unclosed quote runs to the end)
//! -france               exclude articles containing the word (or "-\"a phrase\"")
//! cnrp OR cpp           either word, counted as one
//! chandar               the last word also matches as a prefix while typing (no trailing space)
//! chand*                explicit prefix
//! title:sokha           only in the title (also title:"a phrase")
//! person:"Kem Sokha"    entity filters: person:, org:, place:
//! ```

/// Queries longer than this (bytes) are cut at a word boundary.
pub const MAX_QUERY_BYTES: usize = 1024;
/// At most this many clauses are kept; further words are ignored.
pub const MAX_CLAUSES: usize = 32;

/// A parsed query: clauses that all contribute to the ranking.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    /// The clauses, in the order typed.
    pub clauses: Vec<Clause>,
}

/// One clause: alternatives joined by `OR`, maybe excluded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clause {
    /// Any of these satisfies the clause.
    pub alternatives: Vec<Atom>,
    /// `-word`: articles matching the clause are dropped.
    pub exclude: bool,
}

/// How a word may match terms that start with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Prefix {
    /// Whole words only.
    No,
    /// `word*`.
    Explicit,
    /// The last word of a query still being typed.
    AsYouType,
}

/// The article field a clause is restricted to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FieldFilter {
    /// `title:`
    Title,
}

/// Entity kinds a query can filter on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EntityKind {
    /// `person:`
    Person,
    /// `org:`
    Org,
    /// `place:`
    Place,
}

/// The smallest unit of a query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Atom {
    /// A word as typed (it may analyse to several terms, then it is matched as a phrase).
    Word {
        /// The text typed.
        text: String,
        /// Prefix matching.
        prefix: Prefix,
        /// Field restriction.
        field: Option<FieldFilter>,
    },
    /// `"words in a row"`.
    Phrase {
        /// The text between the quotes.
        text: String,
        /// Field restriction.
        field: Option<FieldFilter>,
    },
    /// `person:"Kem Sokha"`, `org:CNRP`, `place:France`.
    Entity {
        /// Which kind of entity.
        kind: EntityKind,
        /// The name as typed.
        name: String,
    },
}

#[derive(Debug)]
enum Lexeme {
    Or,
    Item {
        exclude: bool,
        prefix_field: Option<String>,
        text: String,
        quoted: bool,
        star: bool,
        last_open: bool,
    },
}

/// A query in capitals with more words than this reads `OR` as a word.
const SHOUTED_WORDS: usize = 4;

fn cut(query: &str) -> &str {
    if query.len() <= MAX_QUERY_BYTES {
        return query;
    }
    let end = query.floor_char_boundary(MAX_QUERY_BYTES);
    match query[..end].rfind(char::is_whitespace) {
        Some(i) if i > 0 => &query[..i],
        _ => &query[..end],
    }
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '„')
}

/// Splits the query into items and `OR`s.
fn lex(query: &str) -> Vec<Lexeme> {
    let chars: Vec<char> = query.chars().collect();
    // A long query written all in capitals (a pasted title, a request typed with caps lock)
    // uses `OR` as a word: "DIODES OR TRANSISTORS FOR SWITCHING CIRCUITS".
    let shouted =
        !chars.iter().any(|c| c.is_lowercase()) && query.split_whitespace().count() > SHOUTED_WORDS;
    let mut out = Vec::new();
    let mut i = 0;
    let n = chars.len();
    while i < n {
        let c = chars[i];
        if c.is_whitespace() || matches!(c, '(' | ')' | '+' | '[' | ']' | '{' | '}' | ',' | ';') {
            i += 1;
            continue;
        }
        let mut exclude = false;
        if c == '-' || c == '−' {
            exclude = true;
            i += 1;
            if i >= n || chars[i].is_whitespace() {
                continue; // a lone dash
            }
        }
        // A field prefix: letters then ':'.
        let mut prefix_field = None;
        let mut j = i;
        while j < n && chars[j].is_alphabetic() {
            j += 1;
        }
        if j > i && j < n && chars[j] == ':' {
            prefix_field = Some(chars[i..j].iter().collect::<String>().to_lowercase());
            i = j + 1;
        }
        if i < n && is_quote(chars[i]) {
            let start = i + 1;
            let mut end = start;
            while end < n && !is_quote(chars[end]) {
                end += 1;
            }
            let text: String = chars[start..end.min(n)].iter().collect();
            out.push(Lexeme::Item {
                exclude,
                prefix_field,
                text,
                quoted: true,
                star: false,
                last_open: false,
            });
            i = (end + 1).min(n);
            continue;
        }
        let start = i;
        while i < n
            && !chars[i].is_whitespace()
            && !is_quote(chars[i])
            && !matches!(chars[i], '(' | ')' | '[' | ']' | '{' | '}' | ',' | ';')
        {
            i += 1;
        }
        let mut text: String = chars[start..i].iter().collect();
        if text == "OR" && !shouted && !exclude && prefix_field.is_none() {
            out.push(Lexeme::Or);
            continue;
        }
        let star = text.ends_with('*');
        text = text.trim_end_matches('*').to_string();
        let last_open = i == n;
        out.push(Lexeme::Item {
            exclude,
            prefix_field,
            text,
            quoted: false,
            star,
            last_open,
        });
    }
    out
}

/// Parses a query. Never fails.
pub fn parse_query(query: &str) -> Query {
    let query = cut(query);
    let mut clauses: Vec<Clause> = Vec::new();
    let mut join_next = false;
    for lexeme in lex(query) {
        let Lexeme::Item {
            exclude,
            prefix_field,
            text,
            quoted,
            star,
            last_open,
        } = lexeme
        else {
            join_next = !clauses.is_empty();
            continue;
        };
        let mut field = None;
        let mut entity = None;
        let mut text = text;
        match prefix_field.as_deref() {
            None => {}
            Some("title") => field = Some(FieldFilter::Title),
            Some("person" | "per" | "who") => entity = Some(EntityKind::Person),
            Some("org" | "organisation" | "organization") => entity = Some(EntityKind::Org),
            Some("place" | "gpe" | "loc" | "where") => entity = Some(EntityKind::Place),
            // An unknown field is plain text: "foo:bar" searches foo and bar.
            Some(other) => text = format!("{other} {text}"),
        }
        if !text.chars().any(char::is_alphanumeric) {
            continue; // `person:`, `"`, `-` and other empty items
        }
        let atom = if let Some(kind) = entity {
            Atom::Entity {
                kind,
                name: text.trim().to_string(),
            }
        } else if quoted || text.split_whitespace().count() > 1 {
            Atom::Phrase { text, field }
        } else {
            let prefix = if star {
                Prefix::Explicit
            } else if last_open && !exclude {
                Prefix::AsYouType
            } else {
                Prefix::No
            };
            Atom::Word {
                text,
                prefix,
                field,
            }
        };
        match clauses.last_mut() {
            Some(last) if join_next && !exclude && !last.exclude => last.alternatives.push(atom),
            _ => {
                if clauses.len() >= MAX_CLAUSES {
                    break;
                }
                clauses.push(Clause {
                    alternatives: vec![atom],
                    exclude,
                })
            }
        }
        join_next = false;
    }
    Query { clauses }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(t: &str, prefix: Prefix) -> Atom {
        Atom::Word {
            text: t.into(),
            prefix,
            field: None,
        }
    }

    fn one(atom: Atom) -> Clause {
        Clause {
            alternatives: vec![atom],
            exclude: false,
        }
    }

    #[test]
    fn query_table() {
        use Prefix::*;
        let cases: Vec<(&str, Vec<Clause>)> = vec![
            (
                "sokha rainsy ",
                vec![one(word("sokha", No)), one(word("rainsy", No))],
            ),
            (
                "sokha chandar",
                vec![one(word("sokha", No)), one(word("chandar", AsYouType))],
            ),
            ("chand*", vec![one(word("chand", Explicit))]),
            (
                "\"rescue party\" -france",
                vec![
                    one(Atom::Phrase {
                        text: "rescue party".into(),
                        field: None,
                    }),
                    Clause {
                        alternatives: vec![word("france", No)],
                        exclude: true,
                    },
                ],
            ),
            (
                "cnrp OR cpp ",
                vec![Clause {
                    alternatives: vec![word("cnrp", No), word("cpp", No)],
                    exclude: false,
                }],
            ),
            (
                "title:sokha ",
                vec![one(Atom::Word {
                    text: "sokha".into(),
                    prefix: No,
                    field: Some(FieldFilter::Title),
                })],
            ),
            (
                "person:\"Kem Sokha\" org:CNRP place:France",
                vec![
                    one(Atom::Entity {
                        kind: EntityKind::Person,
                        name: "Kem Sokha".into(),
                    }),
                    one(Atom::Entity {
                        kind: EntityKind::Org,
                        name: "CNRP".into(),
                    }),
                    one(Atom::Entity {
                        kind: EntityKind::Place,
                        name: "France".into(),
                    }),
                ],
            ),
            (
                "\"unclosed phrase",
                vec![one(Atom::Phrase {
                    text: "unclosed phrase".into(),
                    field: None,
                })],
            ),
            ("\"((((", vec![]),
            ("OR OR", vec![]),
            (
                "CNRP OR CPP ",
                vec![Clause {
                    alternatives: vec![word("CNRP", No), word("CPP", No)],
                    exclude: false,
                }],
            ),
            (
                "DIODES OR TRANSISTORS IN SWITCHING CIRCUITS ",
                ["DIODES", "OR", "TRANSISTORS", "IN", "SWITCHING", "CIRCUITS"]
                    .into_iter()
                    .map(|w| one(word(w, No)))
                    .collect(),
            ),
            ("person:", vec![]),
            ("- -- * \" \"", vec![]),
            (
                "foo:bar ",
                vec![one(Atom::Phrase {
                    text: "foo bar".into(),
                    field: None,
                })],
            ),
            (
                "“curly quotes”",
                vec![one(Atom::Phrase {
                    text: "curly quotes".into(),
                    field: None,
                })],
            ),
        ];
        for (q, want) in cases {
            assert_eq!(parse_query(q).clauses, want, "{q}");
        }
    }

    #[test]
    fn long_queries_are_bounded() {
        let q = "word ".repeat(5000);
        let parsed = parse_query(&q);
        assert_eq!(parsed.clauses.len(), MAX_CLAUSES);
        let q = "é".repeat(10_000);
        assert_eq!(parse_query(&q).clauses.len(), 1);
    }
}
