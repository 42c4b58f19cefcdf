//! The one JSONL reader: cases (or any documents) one per line, from a file or from text a
//! host passed in, a chunk of lines at a time.
//!
//! Each line keeps its 1-based number and is one of:
//! - **text**: valid UTF-8, handed on without the `\n` (or `\r\n`) that ended it, so that
//!   an error inside the line is reported at a position within the line, as Python's
//!   `json.loads` of the line reports it (`line 1 column 2` for a lone `{`, not `line 2
//!   column 0`);
//! - **blank**: empty or only whitespace; kept in the chunk so that numbering stays right,
//!   and skipped by the batch verification (it gives neither a report nor an error);
//! - **rejected**: not UTF-8 (code `input_utf8`) or longer than the maximum (code
//!   [`LINE_TOO_LONG`]); the line's place in [`Chunk::lines`] is an empty string and the
//!   error is in [`Chunk::rejected`]. A line over the maximum is skipped to its end without
//!   being held in memory.
//!
//! ```
//! use hedui_ops::jsonl::{JsonlReader, Line};
//!
//! let text: &[u8] = b"{\"a\":1}\n\n\xff\n{}";
//! let mut reader = JsonlReader::new(text);
//! let chunk = reader.read_chunk(10)?;
//! let kinds: Vec<_> = chunk
//!     .numbered()
//!     .map(|(n, line)| match line {
//!         Line::Text(_) => format!("{n} text"),
//!         Line::Blank => format!("{n} blank"),
//!         Line::Rejected(e) => format!("{n} {}", e.code),
//!     })
//!     .collect();
//! assert_eq!(kinds, ["1 text", "2 blank", "3 input_utf8", "4 text"]);
//! assert!(reader.read_chunk(10)?.is_empty());
//! # Ok::<(), std::io::Error>(())
//! ```

use std::io::{self, BufRead};

use hedui_core::{Error, batch::BatchError, error::InputError};

/// Code of a line longer than the reader's maximum (the catalog's
/// [`InputError::LineTooLong`]).
pub const LINE_TOO_LONG: &str = "input_line_too_long";

/// The default maximum length of a line, without its `\n`: 16 MiB (a case is a few KiB),
/// the default of the rulebook's `limits.max_line_bytes`
/// ([`DocumentLimits`](hedui_core::rulebook::DocumentLimits)).
pub const DEFAULT_MAX_LINE_BYTES: usize = hedui_core::rulebook::DEFAULT_MAX_LINE_BYTES as usize;

/// One line of a [`Chunk`], as [`Chunk::numbered`] classifies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line<'a> {
    /// A UTF-8 line with content (without its `\n`).
    Text(&'a str),
    /// An empty or whitespace-only line: skipped.
    Blank,
    /// A line that could not be read as text.
    Rejected(&'a BatchError),
}

/// A chunk of consecutive lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Chunk {
    /// Number of the first line (1-based).
    pub first_line: u64,
    /// Every line read, in order: its text, or an empty string for a rejected line.
    pub lines: Vec<String>,
    /// The rejected lines, in order, each with its number, code and message.
    pub rejected: Vec<BatchError>,
}

impl Chunk {
    /// No line at all: the input is used up.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Number of lines (text, blank and rejected).
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// Every line with its number and kind.
    pub fn numbered(&self) -> impl Iterator<Item = (u64, Line<'_>)> {
        let mut rejected = self.rejected.iter().peekable();
        self.lines.iter().enumerate().map(move |(i, text)| {
            let n = self.first_line + i as u64;
            if let Some(e) = rejected.next_if(|e| e.line == n) {
                return (n, Line::Rejected(e));
            }
            if text.trim().is_empty() {
                (n, Line::Blank)
            } else {
                (n, Line::Text(text))
            }
        })
    }

    /// Puts the rejected lines among the results of the other lines (as
    /// [`hedui_core::batch::verify_chunk`] gives them: in order, with their numbers), so that the
    /// output keeps the input order.
    pub fn merge<T>(
        &self,
        results: Vec<(u64, Result<T, BatchError>)>,
    ) -> Vec<(u64, Result<T, BatchError>)> {
        if self.rejected.is_empty() {
            return results;
        }
        let mut out = Vec::with_capacity(results.len() + self.rejected.len());
        let mut rejected = self.rejected.iter().peekable();
        for (n, result) in results {
            while let Some(e) = rejected.next_if(|e| e.line < n) {
                out.push((e.line, Err(e.clone())));
            }
            out.push((n, result));
        }
        out.extend(rejected.map(|e| (e.line, Err(e.clone()))));
        out
    }
}

/// Reads JSONL from any [`BufRead`]: a `BufReader<File>`, or a byte slice (`&[u8]` is one).
#[derive(Debug)]
pub struct JsonlReader<R> {
    inner: R,
    max_line_bytes: usize,
    next_line: u64,
    bytes_read: u64,
    line: Vec<u8>,
}

/// How one line was read.
enum Read {
    End,
    /// A line; `too_long` has its length in bytes when it is over the maximum.
    Line {
        too_long: Option<u64>,
    },
}

impl<R: BufRead> JsonlReader<R> {
    /// A reader starting at line 1, with [`DEFAULT_MAX_LINE_BYTES`].
    pub fn new(inner: R) -> Self {
        JsonlReader {
            inner,
            max_line_bytes: DEFAULT_MAX_LINE_BYTES,
            next_line: 1,
            bytes_read: 0,
            line: Vec::new(),
        }
    }

    /// The same reader with another maximum line length (bytes, without the `\n`).
    #[must_use]
    pub fn with_max_line_bytes(mut self, max: usize) -> Self {
        self.max_line_bytes = max;
        self
    }

    /// A reader starting at line 1 with the rulebook's maximum line length
    /// (`limits.max_line_bytes`): what every batch reader of hedui uses.
    pub fn for_rulebook(inner: R, rulebook: &hedui_core::Rulebook) -> Self {
        Self::new(inner).with_max_line_bytes(rulebook.limits.max_line_len())
    }

    /// Bytes consumed so far (for progress).
    pub fn bytes_read(&self) -> u64 {
        self.bytes_read
    }

    /// Number the next line will have.
    pub fn next_line(&self) -> u64 {
        self.next_line
    }

    /// Reads up to `max_lines` lines; an empty chunk means the end of the input.
    ///
    /// # Errors
    /// The underlying reader's I/O error (the lines read so far in this chunk are lost; the
    /// reader should not be used again).
    pub fn read_chunk(&mut self, max_lines: usize) -> io::Result<Chunk> {
        let mut chunk = Chunk {
            first_line: self.next_line,
            lines: Vec::with_capacity(max_lines.min(4096)),
            rejected: Vec::new(),
        };
        while chunk.lines.len() < max_lines {
            let too_long = match self.read_line()? {
                Read::End => break,
                Read::Line { too_long } => too_long,
            };
            let n = self.next_line;
            self.next_line += 1;
            // the next line starts with room for one as long as this one, not growing from empty
            let room = self.line.len();
            let bytes = std::mem::replace(&mut self.line, Vec::with_capacity(room));
            if let Some(len) = too_long {
                let e = Error::Input(InputError::LineTooLong {
                    limit: "limits.max_line_bytes",
                    value: len,
                    max: self.max_line_bytes as u64,
                });
                chunk.rejected.push(BatchError::new(n, &e));
                chunk.lines.push(String::new());
                continue;
            }
            match String::from_utf8(bytes) {
                Ok(text) => chunk.lines.push(text),
                Err(_) => {
                    let e = Error::Input(InputError::Utf8);
                    chunk.rejected.push(BatchError::new(n, &e));
                    chunk.lines.push(String::new());
                }
            }
        }
        Ok(chunk)
    }

    /// Reads one line into `self.line` (without its `\n` or `\r\n`), keeping at most the maximum and
    /// skipping the rest of a longer line.
    fn read_line(&mut self) -> io::Result<Read> {
        self.line.clear();
        let mut content = 0u64;
        let mut any = false;
        let mut too_long = false;
        loop {
            let (used, done) = {
                let available = match self.inner.fill_buf() {
                    Ok(b) => b,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                };
                if available.is_empty() {
                    break;
                }
                any = true;
                let (used, done) = match memchr::memchr(b'\n', available) {
                    Some(i) => (i + 1, true),
                    None => (available.len(), false),
                };
                content += (used - usize::from(done)) as u64;
                if !too_long {
                    if content > self.max_line_bytes as u64 {
                        too_long = true;
                        self.line = Vec::new();
                    } else {
                        // the line's content, without its `\n`
                        let content = used - usize::from(done);
                        self.line
                            .extend_from_slice(available.get(..content).unwrap_or_default());
                    }
                }
                (used, done)
            };
            self.inner.consume(used);
            self.bytes_read += used as u64;
            if done {
                break;
            }
        }
        if self.line.last() == Some(&b'\r') {
            self.line.pop();
        }
        Ok(if any {
            Read::Line {
                too_long: too_long.then_some(content),
            }
        } else {
            Read::End
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_too_long_code_is_the_catalogs() {
        let e = InputError::LineTooLong {
            limit: "limits.max_line_bytes",
            value: 2,
            max: 1,
        };
        assert_eq!(e.code(), LINE_TOO_LONG);
        assert_eq!(e.info().result, 2003);
    }

    fn kinds(chunk: &Chunk) -> Vec<String> {
        chunk
            .numbered()
            .map(|(n, line)| match line {
                Line::Text(t) => format!("{n}:{t:?}"),
                Line::Blank => format!("{n}:blank"),
                Line::Rejected(e) => format!("{n}:{}", e.code),
            })
            .collect()
    }

    #[test]
    fn lines_keep_their_numbers_across_chunks() {
        let text = b"a\n\n  \nb\r\nc";
        let mut r = JsonlReader::new(&text[..]);
        let first = r.read_chunk(2).unwrap();
        assert_eq!(kinds(&first), ["1:\"a\"", "2:blank"]);
        let second = r.read_chunk(2).unwrap();
        assert_eq!(kinds(&second), ["3:blank", "4:\"b\""]);
        let third = r.read_chunk(2).unwrap();
        assert_eq!(kinds(&third), ["5:\"c\""]);
        assert!(r.read_chunk(2).unwrap().is_empty());
        assert_eq!(r.bytes_read(), text.len() as u64);
        assert_eq!(r.next_line(), 6);
    }

    #[test]
    fn a_final_newline_makes_no_extra_line() {
        let mut r = JsonlReader::new(&b"x\n"[..]);
        assert_eq!(r.read_chunk(10).unwrap().len(), 1);
        let mut r = JsonlReader::new(&b""[..]);
        assert!(r.read_chunk(10).unwrap().is_empty());
    }

    #[test]
    fn bad_utf8_is_rejected_at_its_line_with_the_core_message() {
        let mut r = JsonlReader::new(&b"ok\n\xff\xfe\nok\n"[..]);
        let c = r.read_chunk(10).unwrap();
        assert_eq!(c.rejected.len(), 1);
        let e = c.rejected.first().unwrap();
        assert_eq!((e.line, e.code.as_str()), (2, "input_utf8"));
        assert_eq!(e.message, "input is not valid utf-8");
        assert_eq!(c.lines.get(1).unwrap(), "");
    }

    /// A reader that hands out a long line in small pieces, as a file would.
    struct Trickle<'a>(&'a [u8], usize);
    impl io::Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.0.len().min(self.1).min(buf.len());
            let (head, tail) = self.0.split_at(n);
            buf.get_mut(..n).unwrap().copy_from_slice(head);
            self.0 = tail;
            Ok(n)
        }
    }

    #[test]
    fn an_over_long_line_is_rejected_and_the_next_one_read() {
        let mut text = vec![b'x'; 1000];
        text.extend_from_slice(b"\n12345\n123456\n");
        let inner = io::BufReader::with_capacity(16, Trickle(&text, 7));
        let mut r = JsonlReader::new(inner).with_max_line_bytes(5);
        let c = r.read_chunk(10).unwrap();
        assert_eq!(
            kinds(&c),
            [
                "1:input_line_too_long",
                "2:\"12345\"",
                "3:input_line_too_long"
            ]
        );
        // the limit and the line's whole length, counted while it was skipped
        assert_eq!(
            c.rejected.first().unwrap().message,
            "`limits.max_line_bytes` is 5, the line has 1000 bytes"
        );
        assert_eq!(
            c.rejected.get(1).unwrap().message,
            "`limits.max_line_bytes` is 5, the line has 6 bytes"
        );
        assert_eq!(r.bytes_read(), text.len() as u64);
    }

    #[test]
    fn merge_puts_rejected_lines_in_order() {
        let chunk = Chunk {
            first_line: 1,
            lines: vec![
                String::new(),
                "a".into(),
                String::new(),
                "b".into(),
                String::new(),
            ],
            rejected: [1, 3, 5]
                .map(|line| BatchError {
                    line,
                    code: "input_utf8".into(),
                    message: String::new(),
                    path: None,
                })
                .to_vec(),
        };
        let results: Vec<(u64, Result<&str, BatchError>)> = vec![(2, Ok("a")), (4, Ok("b"))];
        let lines: Vec<u64> = chunk.merge(results).iter().map(|(n, _)| *n).collect();
        assert_eq!(lines, [1, 2, 3, 4, 5]);
    }
}
