// Package pipeline runs one reconciliation job: it reads the extracts,
// normalises them, indexes the population, links the other sources to it,
// applies the rules and returns the findings for package output to write.
// Run is the entry point; Config says which files, Result is what was found.
//
// # Stages
//
// Run runs six stages in order; their names are the ones summary.json and
// "doisanh bench" report (output adds a seventh, "write"):
//
//	read population  population file → normalised rows → match.PopulationBuilder,
//	                 with the row rules ID_INVALID and UNKNOWN_RESIDENCE
//	index            PopulationBuilder.Build → *match.Population (read-only from here)
//	train            the first 20,000 usable tax and insurance rows, read apart,
//	                 → a trained *match.Linker
//	link sources     tax, insurance, civil files → normalised records → match.Link
//	                 → per-record rules (NOT_IN_POPULATION, ID_MISMATCH,
//	                 FIELD_MISMATCH, DECEASED_ACTIVE); keeps only the code owners
//	                 (rules.KeyOwners) and the marriages (rules.Marriage)
//	rules            cross-record rules side by side: DUP_ID, DUP_PERSON,
//	                 SPOUSE_CONFLICT
//	addresses        the population file again (three columns): the address and
//	                 household of every finding's person, which the index does
//	                 not keep
//
// then rules.Finish gives every finding its stable id and puts them in the
// order of the fix lists.
//
// # Types between the stages
//
// ingest.Reader[T] yields batches of typed rows (record.Person,
// record.TaxRecord, record.InsuranceRecord, record.CivilEvent), every value
// a string as written. Normalisation turns a population row into a
// match.PersonInput, and a tax, insurance or civil row into a match.Record
// (inside a rules.SourceRecord), or rules the row out with a reason and a
// column: the row becomes a record.Reject and the file's Counts still add
// up (Read = Used + Rejected). Once a file is read it is judged: no data
// row, no usable row, or more rejected rows than Config.MaxRejectRate
// allows ends Run with an *UnusableSourceError and no Result (so a useless
// export never replaces a good result); a column blank in every row is a
// Result.Warnings line. The Linker turns a match.Record into a
// match.Link; a rules.Checker turns linked records into record.Findings.
//
// # Concurrency
//
// Each file is read on one goroutine and its batches are normalised and
// linked on Config.Workers goroutines; results are handed over in file
// order, so a run's output does not depend on the number of workers. The
// tax, insurance and civil files are read side by side, each with its own
// workers, into results that are joined in file order (tax, insurance,
// civil) and whose progress is shown in that order, so the output does
// not depend on which finishes first either. No source record is kept whole once it is read. A Run is independent of any
// other: the package has no global mutable state.
//
// docs/ARCHITECTURE.md draws the same flow across all packages, with the
// memory each stage keeps.
package pipeline
