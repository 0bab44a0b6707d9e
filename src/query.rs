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
//! after:2017-06         articles dated June 2017 or later (YYYY, YYYY-MM or YYYY-MM-DD)
//! before:2019           articles dated before 2019 (undated articles pass neither filter)
//! sort:date             newest first (undated last); sort:oldest, sort:relevance (the default)
//! ```

use crate::calendar::CalendarDate;

/// Queries longer than this (bytes) are cut at a word boundary.
pub const MAX_QUERY_BYTES: usize = 1024;
/// At most this many clauses are kept; further words are ignored.
pub const MAX_CLAUSES: usize = 32;

/// A parsed query: clauses that all contribute to the ranking, and the dates and order asked
/// for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    /// The clauses, in the order typed.
    pub clauses: Vec<Clause>,
    /// `after:`: only articles dated in this period or later.
    pub after: Option<CalendarDate>,
    /// `before:`: only articles dated before this period begins.
    pub before: Option<CalendarDate>,
    /// `sort:`: the order of the results.
    pub sort: Sort,
}

/// The order of a query's results.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sort {
    /// Best match first (`sort:relevance`).
    #[default]
    Relevance,
    /// Newest first, undated articles last (`sort:date`, `sort:newest`).
    Newest,
    /// Oldest first, undated articles last (`sort:oldest`).
    Oldest,
}

impl Query {
    /// Whether the query restricts or orders articles by date.
    pub fn uses_dates(&self) -> bool {
        self.after.is_some() || self.before.is_some() || self.sort != Sort::Relevance
    }

    /// Whether an article dated `date` passes the query's date filters: a date, a month or a
    /// year counts from its start (`2017` is before `2017-06`), and an undated article passes
    /// only when there is no filter.
    pub fn admits(&self, date: Option<CalendarDate>) -> bool {
        if self.after.is_none() && self.before.is_none() {
            return true;
        }
        date.is_some_and(|d| self.after.is_none_or(|a| d >= a) && self.before.is_none_or(|b| d < b))
    }
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
    let (mut after, mut before, mut sort) = (None, None, Sort::Relevance);
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
        // Dates and order: a value still being typed ("after:201") or unknown is left out.
        match prefix_field.as_deref() {
            Some("after" | "since" | "from") => {
                after = CalendarDate::parse_iso(text.trim()).or(after);
                continue;
            }
            Some("before" | "until") => {
                before = CalendarDate::parse_iso(text.trim()).or(before);
                continue;
            }
            Some("sort") => {
                sort = match text.trim().to_lowercase().as_str() {
                    "date" | "newest" | "new" => Sort::Newest,
                    "oldest" | "old" => Sort::Oldest,
                    "relevance" | "score" => Sort::Relevance,
                    _ => sort,
                };
                continue;
            }
            _ => {}
        }
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
    Query {
        clauses,
        after,
        before,
        sort,
    }
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
    fn dates_and_order() {
        let d = CalendarDate::parse_iso;
        // (query, after, before, sort, words left)
        type Case<'a> = (&'a str, Option<&'a str>, Option<&'a str>, Sort, usize);
        let cases: &[Case<'_>] = &[
            (
                "after:2017-06 sokha",
                Some("2017-06"),
                None,
                Sort::Relevance,
                1,
            ),
            ("before:2019 sort:date", None, Some("2019"), Sort::Newest, 0),
            (
                "since:2020-02-29 until:2021",
                Some("2020-02-29"),
                Some("2021"),
                Sort::Relevance,
                0,
            ),
            ("sort:oldest vote", None, None, Sort::Oldest, 1),
            ("sort:relevance", None, None, Sort::Relevance, 0),
            // Still being typed, or no date: left out, never searched as words.
            ("after:201", None, None, Sort::Relevance, 0),
            (
                "after:2017-13 before:junk sort:size",
                None,
                None,
                Sort::Relevance,
                0,
            ),
            // The last of each wins.
            (
                "after:2001 after:2002",
                Some("2002"),
                None,
                Sort::Relevance,
                0,
            ),
        ];
        for &(q, after, before, sort, words) in cases {
            let p = parse_query(q);
            assert_eq!(p.after, after.and_then(d), "{q}");
            assert_eq!(p.before, before.and_then(d), "{q}");
            assert_eq!((p.sort, p.clauses.len()), (sort, words), "{q}");
        }
    }

    #[test]
    fn date_filters_are_half_open_and_leave_undated_articles_out() {
        let q = parse_query("after:2017-06 before:2018");
        // (article date, admitted)
        let cases: &[(Option<&str>, bool)] = &[
            (Some("2017-06-01"), true),
            (Some("2017-06"), true),
            (Some("2017-12-31"), true),
            (Some("2017-05-31"), false),
            (Some("2017"), false),
            (Some("2018"), false),
            (Some("2018-01-01"), false),
            (None, false),
        ];
        for &(date, ok) in cases {
            assert_eq!(
                q.admits(date.and_then(CalendarDate::parse_iso)),
                ok,
                "{date:?}"
            );
        }
        assert!(parse_query("sort:date").admits(None));
        assert!(parse_query("sort:date").uses_dates() && !parse_query("x").uses_dates());
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
