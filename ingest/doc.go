// Package ingest streams the rows of input files (.parquet, .csv, .csv.gz)
// into typed records (record.Person, record.TaxRecord, ...), in batches, with
// rows that cannot be used reported as record.Reject.
//
// # Formats
//
// The format is chosen by the file name's extension, in any case, and
// checked against the file's first bytes before parsing: a Parquet, gzip,
// XLSX or other ZIP, XLS or PDF file under another extension fails with a
// message naming what it looks like and what to do ("tax.csv: looks like
// a Parquet file, not a text (CSV) file; rename it to .parquet"). Messages
// never print a file's raw bytes: headers and values are quoted with
// their bytes escaped, and cut.
//
// CSV text is UTF-8 with or without a byte order mark, or UTF-16 or
// UTF-32 in either byte order, found by its byte order mark or, without
// one, by the zero bytes these put in ASCII text. With Options.Encoding
// "auto" (the default), a CSV file whose first 64 KiB are not UTF-8 but
// whose invalid fields read as TCVN3, VNI-Windows or Windows-1258
// Vietnamese (package normalize judges) is decoded whole from the
// encoding most of them read as; "tcvn3", "vni" or "cp1258" force one for
// every value (Parquet too), "utf-8" forbids the whole-file guess. The
// delimiter is ',' or ';' (the one more frequent in the header line),
// fields may be quoted, lines end in LF or CRLF; .csv.gz is the same,
// gzip-compressed; a corrupt or truncated .csv.gz fails with the line
// reached. Parquet files are read row
// group by row group and, within a group, only the mapped columns, a
// batch (Options.BatchSize rows) at a time, so memory stays bounded by the
// batch size whatever the file size.
//
// Parquet is read through Apache Arrow (arrow-go's pqarrow) into Arrow
// arrays, the columns of a batch decoded side by side (one goroutine per
// column, at most GOMAXPROCS) and turned into text, and checked for
// UTF-8 and control characters, on the goroutine that decoded them. String
// columns that every row group stores dictionary-encoded (as pyarrow,
// DuckDB and Spark write them) are read as Arrow dictionaries: each
// distinct value is converted and checked once. A file whose schema Arrow
// cannot convert (a column type pqarrow does not know, even one not
// mapped) is read with parquet-go instead, page by page on one goroutine.
//
// Every value is read as text. Parquet values are converted: strings as
// written; integers and decimals in decimal notation; floating point values
// in the shortest form that round-trips, without exponent and without ".0"
// for integral values; booleans as "true" or "false"; DATE as yyyy-mm-dd;
// TIME as hh:mm:ss[.fraction]; TIMESTAMP (and legacy INT96) as RFC 3339 in
// UTC, without the "Z" when the timestamp is not adjusted to UTC; UUID in
// its 8-4-4-4-12 form; null as "". Repeated (list) columns cannot be mapped.
//
// # Columns
//
// A file's headers are matched to the schema's canonical column names after
// folding: case, Vietnamese diacritics, surrounding space and the choice
// of space, '_' or '-' between words do not matter ("Họ và tên" and
// "HO_VA_TEN" are the same header). A Mapping renames other headers; it is
// one flat YAML map for all sources, loaded with LoadMapping and described
// in MAPPING.md:
//
//	HO_TEN: full_name
//	SO_DINH_DANH: person_id
//	MST: tax_code
//
// Columns that map to no canonical column are ignored. Two headers that map
// to the same column, or a missing required column, make Open fail with an
// error naming the file, the columns and the headers found. Nested Parquet
// columns are named by their dotted path (address.commune).
//
// # Rejects
//
// A row is rejected, never aborting the read, when it has another number of
// fields than the header (CSV), when it is not valid CSV, when any mapped
// column is not valid UTF-8 (except the Options.LegacyText columns, whose
// legacy TCVN3, VNI or Windows-1258 bytes package normalize decodes),
// when a mapped column holds a control character (NUL, ESC, ...; tab and
// line ends are allowed; in a LegacyText column only once the value does
// not read as legacy text, as TCVN3 puts capitals on bytes 0x01-0x17),
// when a value is not valid in the file's forced legacy encoding,
// or when a key column is blank. Only the first problem of a row is
// reported. A row kept whose every value is valid UTF-8 is marked so
// (record.Schema.SetUTF8: the records' UTF8 field), so that normalisation
// checks only the rows whose legacy-text columns hold other bytes. Reject.RowNumber is the 1-based data row (the header is not
// counted; for Parquet, the row's index in the file plus one); Reject.Raw is
// the row's fields joined with the file's delimiter (for Parquet, the mapped
// columns in schema order joined with ','), with invalid UTF-8 bytes and
// control characters written as \xNN, and cut to 1000 bytes. Stats always
// reconcile: Read = Used + Rejected.
//
// # Memory
//
// The Arrow reader recycles Arrow's buffers (values, offsets, bitmaps,
// pages) from batch to batch; the strings it hands out point into a copy
// of the value bytes of their column and batch (of a dictionary, once per
// dictionary), one allocation per column and batch. Numbers, dates and
// times are written into shared 64 KiB chunks, as every value is by the
// parquet-go reader. A string keeps its copy or chunk alive for as long as
// it is referenced. The strings are immutable and stay valid
// after Next reuses the batch slice. The values of one CSV row share one
// string allocation.
package ingest
