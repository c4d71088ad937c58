package main

import (
	"fmt"
	"strings"
)

// quote returns s as a SQL string literal.
func quote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// macros are the cleaning helpers an analyst defines once per session.
// They work on text and never fail: unusable values become NULL.
var macros = []string{
	// IDs: drop spaces and dots, restore leading zeros lost by spreadsheets.
	`CREATE OR REPLACE TEMP MACRO clean_id(x) AS
		regexp_replace(trim(coalesce(x, '')), '[\s.]', '', 'g')`,
	`CREATE OR REPLACE TEMP MACRO norm_id(x) AS CASE
		WHEN clean_id(x) = '' THEN NULL
		WHEN length(clean_id(x)) < 12 THEN lpad(clean_id(x), 12, '0')
		ELSE clean_id(x) END`,
	// Names and status words: NFC, lower case, no accents, đ as d, single spaces.
	`CREATE OR REPLACE TEMP MACRO fold(x) AS
		replace(trim(regexp_replace(strip_accents(lower(nfc_normalize(coalesce(x, '')))), '\s+', ' ', 'g')), 'đ', 'd')`,
	`CREATE OR REPLACE TEMP MACRO parse_date(x) AS
		try_strptime(trim(x), ['%d/%m/%Y', '%Y-%m-%d', '%Y%m%d'])::DATE`,
	`CREATE OR REPLACE TEMP MACRO birth_year(x) AS
		nullif(regexp_extract(coalesce(x, ''), '(\d{4})', 1), '')`,
	`CREATE OR REPLACE TEMP MACRO sex(x) AS CASE
		WHEN fold(x) IN ('nam', 'm', 'male') THEN 'M'
		WHEN fold(x) IN ('nu', 'f', 'female') THEN 'F' END`,
	`CREATE OR REPLACE TEMP MACRO is_dead(x) AS fold(x) IN ('da chet', 'chet', 'dead', 'deceased')`,
	`CREATE OR REPLACE TEMP MACRO is_active(x) AS fold(x) IN ('active', 'hoat dong', 'dang hoat dong')`,
}

// source describes one input file and the columns the SQL reads from it.
type source struct {
	name     string   // population, tax, insurance, civil
	required bool     // the run fails without the file
	columns  []string // read as VARCHAR
	mustHave []string // columns the file must have when present
}

var sources = []source{
	{"population", true,
		[]string{"person_id", "full_name", "birth_date", "gender", "commune_code", "status"},
		[]string{"person_id", "full_name", "birth_date", "gender"}},
	{"tax", false,
		[]string{"tax_code", "id_number", "full_name", "birth_date", "gender", "commune_code", "status"},
		[]string{"tax_code", "full_name"}},
	{"insurance", false,
		[]string{"insurance_code", "id_number", "full_name", "birth_date", "gender", "commune_code", "status"},
		[]string{"insurance_code", "full_name"}},
	{"civil", false,
		[]string{"event_id", "event_type", "reg_commune_code", "subject_id", "subject_name", "subject_birth_date"},
		[]string{"event_id", "event_type"}},
}

// rawSelect returns a SELECT of the source's columns as text, from path
// when the file exists (has lists the columns it has), else an empty table.
func rawSelect(s source, path string, has map[string]bool) string {
	cols := make([]string, 0, len(s.columns)+1)
	for _, c := range s.columns {
		if path != "" && has[c] {
			cols = append(cols, fmt.Sprintf("CAST(%q AS VARCHAR) AS %s", c, c))
		} else {
			cols = append(cols, "NULL::VARCHAR AS "+c)
		}
	}
	if path == "" {
		cols = append(cols, "0::BIGINT AS row_no")
		return "SELECT " + strings.Join(cols, ", ") + " WHERE false"
	}
	cols = append(cols, "file_row_number + 1 AS row_no")
	return "SELECT " + strings.Join(cols, ", ") +
		" FROM read_parquet(" + quote(path) + ", file_row_number = true)"
}

// stagingTable names the table loadSQL creates for a source. Tax and
// insurance records share one table, src, told apart by its source column.
func stagingTable(s source) string {
	switch s.name {
	case "population":
		return "pop"
	case "tax":
		return "src"
	case "insurance":
		return "" // inserted into src; the insert reports its rows
	}
	return s.name
}

// loadSQL returns the statement that stages a source as a cleaned table.
func loadSQL(s source, raw string) string {
	switch s.name {
	case "population":
		return `CREATE OR REPLACE TABLE pop AS
SELECT row_no, norm_id(person_id) AS pid, full_name, fold(full_name) AS name_key,
	birth_date, parse_date(birth_date) AS bdate, birth_year(birth_date) AS byear,
	gender, sex(gender) AS sex, coalesce(trim(commune_code), '') AS commune_code,
	coalesce(status, '') AS status, is_dead(status) AS dead
FROM (` + raw + `)`
	case "tax", "insurance":
		key, head := "tax_code", "CREATE OR REPLACE TABLE src AS"
		if s.name == "insurance" {
			key, head = "insurance_code", "INSERT INTO src"
		}
		return head + `
SELECT ` + quote(s.name) + ` AS source, regexp_replace(trim(coalesce(` + key + `, '')), '[\s.]', '', 'g') AS key,
	coalesce(id_number, '') AS id_number, norm_id(id_number) AS pid,
	coalesce(full_name, '') AS full_name, fold(full_name) AS name_key,
	coalesce(birth_date, '') AS birth_date, parse_date(birth_date) AS bdate, birth_year(birth_date) AS byear,
	coalesce(gender, '') AS gender, sex(gender) AS sex, coalesce(trim(commune_code), '') AS commune_code,
	coalesce(status, '') AS status, is_active(status) AS active
FROM (` + raw + `)`
	default: // civil
		return `CREATE OR REPLACE TABLE civil AS
SELECT trim(coalesce(event_id, '')) AS event_id, fold(event_type) AS event_type,
	coalesce(trim(reg_commune_code), '') AS commune_code, norm_id(subject_id) AS pid,
	coalesce(subject_name, '') AS subject_name, coalesce(subject_birth_date, '') AS subject_birth_date
FROM (` + raw + `)`
	}
}

// hitsTable holds the rule results before they get ids, severities and
// suggestions; extra tells apart findings that share a source key.
const hitsTable = `CREATE OR REPLACE TABLE hits (
	rule VARCHAR, subtype VARCHAR, source VARCHAR, source_key VARCHAR,
	person_id VARCHAR, related_person_id VARCHAR, field VARCHAR,
	commune_code VARCHAR, full_name VARCHAR, birth_date VARCHAR,
	population_value VARCHAR, source_value VARCHAR, score DOUBLE, extra VARCHAR)`

// catalogEntry is one rule subtype the SQL reports, with the catalogue's
// severity and suggestion (rules/catalog.go; copied so that this module does
// not depend on the main one).
type catalogEntry struct {
	rule, subtype, severity, suggestion string
}

var catalog = []catalogEntry{
	{"DUP_ID", "POPULATION", "high", "Đề nghị xác minh nhân thân các công dân dùng chung số định danh, hủy và cấp lại số cho người cấp sai"},
	{"DUP_ID", "TAX", "high", "Đề nghị phối hợp cơ quan thuế xác minh người sử dụng mã số thuế"},
	{"DUP_ID", "INSURANCE", "high", "Đề nghị phối hợp cơ quan BHXH xác minh người sử dụng mã số BHXH"},
	{"NOT_IN_POPULATION", "TAX", "medium", "Đề nghị xác minh, thu thập thông tin công dân vào CSDLQG về dân cư"},
	{"NOT_IN_POPULATION", "INSURANCE", "medium", "Đề nghị xác minh, thu thập thông tin công dân vào CSDLQG về dân cư"},
	{"FIELD_MISMATCH", "NAME", "low", "Đề nghị xác minh, cập nhật họ tên theo CSDLQG về dân cư"},
	{"FIELD_MISMATCH", "BIRTH_DATE", "low", "Đề nghị xác minh, cập nhật ngày sinh theo CSDLQG về dân cư"},
	{"FIELD_MISMATCH", "GENDER", "low", "Đề nghị xác minh, cập nhật giới tính theo CSDLQG về dân cư"},
	{"DECEASED_ACTIVE", "CIVIL_DEATH", "high", "Đề nghị xác minh, cập nhật trạng thái đã chết trên CSDLQG về dân cư"},
	{"DECEASED_ACTIVE", "TAX", "high", "Đề nghị thông báo cơ quan thuế đóng mã số thuế"},
	{"DECEASED_ACTIVE", "INSURANCE", "high", "Đề nghị thông báo cơ quan BHXH dừng/giải quyết chế độ"},
}

func catalogSQL() string {
	rows := make([]string, len(catalog))
	for i, c := range catalog {
		rows[i] = "(" + quote(c.rule) + ", " + quote(c.subtype) + ", " + quote(c.severity) + ", " + quote(c.suggestion) + ")"
	}
	return "CREATE OR REPLACE TABLE catalog AS SELECT * FROM (VALUES " + strings.Join(rows, ", ") +
		") AS c(rule, subtype, severity, suggestion)"
}

// linkedHit is the INSERT shared by the rules that join a tax or insurance
// record to the population person with the same ID. The commune is the
// person's, else the record's.
func linkedHit(rule, subtype, field, popValue, srcValue, where string) string {
	return `INSERT INTO hits
SELECT ` + quote(rule) + `, ` + subtype + `, s.source, s.key, p.pid, '', ` + quote(field) + `,
	coalesce(nullif(p.commune_code, ''), s.commune_code), p.full_name, p.birth_date,
	` + popValue + `, ` + srcValue + `, 1.0, ''
FROM src s
JOIN pop p ON p.pid = s.pid
WHERE ` + where
}

// ruleSteps are the reconciliation queries, one per rule and subtype, in the
// order they run.
var ruleSteps = []step{
	{name: "dup_id_population", sql: `INSERT INTO hits
WITH dup AS (SELECT pid FROM pop WHERE pid IS NOT NULL GROUP BY pid HAVING count(*) > 1),
rows AS (
	SELECT p.*, row_number() OVER w AS k, first_value(p.full_name) OVER w AS first_name
	FROM pop p JOIN dup USING (pid)
	WINDOW w AS (PARTITION BY p.pid ORDER BY p.row_no))
SELECT 'DUP_ID', 'POPULATION', 'population', pid, pid, pid, 'person_id',
	commune_code, full_name, birth_date, first_name, full_name, 1.0, row_no::VARCHAR
FROM rows WHERE k > 1`},
	{name: "not_in_population", sql: `INSERT INTO hits
SELECT 'NOT_IN_POPULATION', upper(s.source), s.source, s.key, '', '', '',
	s.commune_code, s.full_name, s.birth_date, '', s.id_number, 1.0, ''
FROM src s
WHERE s.pid IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pop p WHERE p.pid = s.pid)`},
	{name: "field_mismatch_name", sql: linkedHit("FIELD_MISMATCH", "'NAME'", "full_name", "p.full_name", "s.full_name",
		`s.name_key <> '' AND s.name_key <> p.name_key`)},
	{name: "field_mismatch_birth_date", sql: linkedHit("FIELD_MISMATCH", "'BIRTH_DATE'", "birth_date", "p.birth_date", "s.birth_date",
		`trim(s.birth_date) <> '' AND trim(p.birth_date) <> '' AND CASE
		WHEN p.bdate IS NOT NULL AND s.bdate IS NOT NULL THEN p.bdate <> s.bdate
		ELSE coalesce(p.byear <> s.byear, trim(p.birth_date) <> trim(s.birth_date)) END`)},
	{name: "field_mismatch_gender", sql: linkedHit("FIELD_MISMATCH", "'GENDER'", "gender", "p.gender", "s.gender",
		`p.sex <> s.sex`)},
	{name: "deceased_active_civil", sql: `INSERT INTO hits
SELECT 'DECEASED_ACTIVE', 'CIVIL_DEATH', 'civil', c.event_id, p.pid, '', 'status',
	coalesce(nullif(p.commune_code, ''), c.commune_code), p.full_name, p.birth_date, p.status, 'death', 1.0, ''
FROM civil c JOIN pop p ON p.pid = c.pid
WHERE c.event_type = 'death' AND NOT p.dead`},
	{name: "deceased_active_sources", sql: linkedHit("DECEASED_ACTIVE", "upper(s.source)", "status", "p.status", "s.status",
		`s.active AND p.dead`)},
	{name: "dup_id_sources", sql: `INSERT INTO hits
WITH repeated AS (
	SELECT source, key FROM src WHERE key <> '' AND pid IS NOT NULL
	GROUP BY source, key HAVING count(*) > 1)
SELECT 'DUP_ID', upper(source), source, key, min(pid), max(pid), 'id_number',
	min(commune_code), min(full_name), min(birth_date), '', string_agg(DISTINCT pid, '; ' ORDER BY pid), 1.0, ''
FROM src JOIN repeated USING (source, key)
WHERE pid IS NOT NULL
GROUP BY source, key HAVING min(pid) <> max(pid)`},
}

// copySQL writes the findings with the columns of record.Finding.
func copySQL(path string) string {
	return `COPY (
SELECT left(md5(concat_ws('|', h.rule, h.subtype, h.source, h.source_key, h.person_id, h.related_person_id, h.field, h.extra)), 16) AS finding_id,
	h.rule, h.subtype, c.severity, '' AS province_code, h.commune_code, '' AS commune_name,
	coalesce(h.person_id, '') AS person_id, coalesce(h.full_name, '') AS full_name, coalesce(h.birth_date, '') AS birth_date,
	h.source, h.source_key, coalesce(h.related_person_id, '') AS related_person_id, h.field,
	coalesce(h.population_value, '') AS population_value, coalesce(h.source_value, '') AS source_value,
	h.score, c.suggestion
FROM (SELECT DISTINCT ON (rule, subtype, source, source_key, field, extra) * FROM hits) h
JOIN catalog c USING (rule, subtype)
ORDER BY h.commune_code, h.rule, h.subtype, h.source_key, h.extra
) TO ` + quote(path) + ` (FORMAT PARQUET, COMPRESSION ZSTD)`
}
