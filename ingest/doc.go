// Package ingest streams the rows of input files (.parquet, .csv, .csv.gz)
// into typed records (record.Person, record.TaxRecord, ...), in batches, with
// rows that cannot be used reported as record.Reject.
//
// # Formats
//
// The format is chosen by the file name's extension, in any case. CSV is
// UTF-8 with or without a byte order mark, its delimiter ',' or ';' (the one
// more frequent in the header line), fields may be quoted, lines end in LF
// or CRLF; .csv.gz is the same, gzip-compressed. Parquet files are read row
// group by row group and, within a group, only the mapped columns, page by
// page, so memory stays bounded by the batch size whatever the file size.
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
// or when a key column is blank. Only the first problem of a row is
// reported. Reject.RowNumber is the 1-based data row (the header is not
// counted; for Parquet, the row's index in the file plus one); Reject.Raw is
// the row's fields joined with the file's delimiter (for Parquet, the mapped
// columns in schema order joined with ','), with invalid UTF-8 bytes written
// as \xNN and cut to 1000 bytes. Stats always reconcile: Read = Used +
// Rejected.
//
// # Memory
//
// Values read from Parquet are copied into shared 64 KiB chunks rather
// than one allocation each; a string keeps its chunk alive for as long as it
// is referenced. The strings are immutable and stay valid after Next reuses
// the batch slice. The values of one CSV row share one string allocation.
package ingest
