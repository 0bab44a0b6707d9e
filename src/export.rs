//! Exports as CSV (RFC 4180: a header row, fields quoted when they hold a comma, a quote or a
//! line break, lines ended by CRLF): the corpus's entities, and a query's results.
//!
//! A field starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so a
//! spreadsheet opening the file shows article text as text rather than running it as a
//! formula.

use crate::corpus::Corpus;
use crate::entities::Label;

/// One CSV field.
fn field(out: &mut String, value: &str) {
    let guard = value.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let quote = guard || value.contains([',', '"', '\n', '\r']);
    if quote {
        out.push('"');
    }
    if guard {
        out.push('\'');
    }
    for c in value.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    if quote {
        out.push('"');
    }
}

/// One CSV row.
fn row<'a>(out: &mut String, values: impl IntoIterator<Item = &'a str>) {
    for (i, v) in values.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        field(out, v);
    }
    out.push_str("\r\n");
}

impl Corpus {
    /// The entities (curated), most mentioned first, of one label or all, as CSV: `entity,
    /// label, aliases` (joined by `; `), `mentions, articles, first, last` (the earliest and
    /// latest date of its articles, ISO 8601).
    ///
    /// ```
    /// let corpus = newslens::Corpus::seeds();
    /// let csv = corpus.entities_csv(Some(newslens::Label::Person));
    /// let mut lines = csv.lines();
    /// assert_eq!(lines.next(), Some("entity,label,aliases,mentions,articles,first,last"));
    /// assert!(lines.next().unwrap().starts_with("Kem Sokha,PERSON,"));
    /// ```
    pub fn entities_csv(&self, label: Option<Label>) -> String {
        let mut out = String::new();
        row(
            &mut out,
            [
                "entity", "label", "aliases", "mentions", "articles", "first", "last",
            ],
        );
        for e in self.entities_view(label, usize::MAX) {
            let aliases = e.aliases.join("; ");
            let (count, articles) = (e.count.to_string(), e.articles.len().to_string());
            let first = e.first.as_deref().unwrap_or("");
            let last = e.last.as_deref().unwrap_or("");
            row(
                &mut out,
                [
                    e.entity,
                    e.label.as_str(),
                    &aliases,
                    &count,
                    &articles,
                    first,
                    last,
                ],
            );
        }
        out
    }

    /// The best `limit` results of `query` as CSV: `rank, headline, file, date, score,
    /// snippet` (the snippet's text, ellipses included).
    ///
    /// ```
    /// let corpus = newslens::Corpus::seeds();
    /// let csv = corpus.results_csv("Chandaraty", 10);
    /// let lines: Vec<&str> = csv.lines().collect();
    /// assert_eq!(lines[0], "rank,headline,file,date,score,snippet");
    /// assert!(lines[1].starts_with("1,"));
    /// assert_eq!(lines.len(), 2);
    /// ```
    pub fn results_csv(&self, query: &str, limit: usize) -> String {
        let results = self.search(query, limit);
        let view = self.results_view(&results);
        let mut out = String::new();
        row(
            &mut out,
            ["rank", "headline", "file", "date", "score", "snippet"],
        );
        for (i, h) in view.hits.iter().enumerate() {
            let rank = (i + 1).to_string();
            let score = format!("{:.4}", h.score);
            let snippet: String = h.snippet.iter().map(|s| s.text).collect();
            let date = h.date.as_deref().unwrap_or("");
            row(&mut out, [&rank, &h.title, h.name, date, &score, &snippet]);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_guarded() {
        // (value, as written)
        let cases = [
            ("plain", "plain"),
            ("a, b", "\"a, b\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("two\nlines", "\"two\nlines\""),
            ("=SUM(A1)", "\"'=SUM(A1)\""),
            ("-1 point", "\"'-1 point\""),
            ("@home", "\"'@home\""),
            ("", ""),
        ];
        for (value, want) in cases {
            let mut out = String::new();
            field(&mut out, value);
            assert_eq!(out, want, "{value}");
        }
        let mut out = String::new();
        row(&mut out, ["a", "b,c"]);
        assert_eq!(out, "a,\"b,c\"\r\n");
    }
}
