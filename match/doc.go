// Package match is the generic record-linkage machinery of doisanh: compact
// columnar storage for millions of rows, hash-keyed indexes for exact and
// blocking lookups, a Fellegi-Sunter model with EM estimation, term-frequency
// adjustment, and the decision between linking, ambiguity and no match.
//
// Storage: an Arena holds strings in large byte chunks and hands out Refs
// (one uint32 each), so a column is a flat []Ref and a population of
// millions of people is a handful of heap objects with no pointers to scan.
//
// Indexes: an IndexBuilder collects (key, row) pairs, where the key is
// normally a hash (HashString, HashBytes, HashCombine) of a normalised ID or
// a blocking key; Build lays them out in CSR form (two flat arrays and a
// bucket directory). Index.Lookup returns a key's rows without allocating;
// Index.Groups visits keys with two or more rows for duplicate detection.
// The hashes are XXH64, stable across runs and platforms, so they may be used
// in finding ids.
//
// Scoring: a Model compares record pairs field by field. Each pair is a
// Vector of comparison levels, level 0 meaning disagreement and the highest
// level of a field exact agreement, with Missing meaning no evidence. The
// model's match weight is the sum of log2(m/u) over the non-missing fields;
// Estimate fits m, u and the match prior by EM, EstimateU fits u from random
// pairs, TFAdjust and FreqTable weigh agreement on a common value less than
// on a rare one. Decide turns scored candidates into Linked, Ambiguous or
// NoMatch.
package match
