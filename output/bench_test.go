package output

import (
	"fmt"
	"testing"
	"time"

	"github.com/doisanh/doisanh/record"
	"github.com/doisanh/doisanh/rules"
)

// benchFindings makes n findings spread over 400 communes of one province,
// with every rule and Vietnamese names.
func benchFindings(n int) []record.Finding {
	family := []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"}
	middle := []string{"Văn", "Thị", "Hữu", "Đức", "Ngọc", "Minh"}
	given := []string{"An", "Bình", "Cường", "Dũng", "Đào", "Hoa", "Lan", "Mai", "Nam", "Ý", "Tư", "Ánh", "Ân"}
	fs := make([]record.Finding, n)
	for i := range fs {
		r := rules.Catalog[i%len(rules.Catalog)]
		st := r.Subtypes[i%len(r.Subtypes)]
		commune := 16000 + (i*7919)%400
		fs[i] = record.Finding{
			FindingID: fmt.Sprintf("%016x", uint64(i)*0x9e3779b97f4a7c15), Rule: r.Code, Subtype: st.Code,
			Severity: r.Severity, ProvinceCode: "40", CommuneCode: fmt.Sprint(commune),
			CommuneName: fmt.Sprintf("Xã Nghi Phong %d", commune), PersonID: fmt.Sprintf("0400%08d", i),
			FullName:  family[i%len(family)] + " " + middle[i/7%len(middle)] + " " + given[i/3%len(given)],
			BirthDate: "01/02/1980", Source: record.Sources[i%4].String(), SourceKey: fmt.Sprint(8000000000 + i),
			Field: "full_name", PopulationValue: "Nguyễn Văn An", SourceValue: "Nguyen Van An", Score: 0.9,
			Suggestion: st.Suggestion,
		}
	}
	return fs
}

func benchWrite(b *testing.B, n int, xlsx bool) {
	fs := benchFindings(n)
	s := testSummary()
	dir := b.TempDir()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		d, err := Create(fmt.Sprintf("%s/out%d", dir, i), Options{XLSX: xlsx, Now: func() time.Time { return time.Unix(0, 0) }})
		if err != nil {
			b.Fatal(err)
		}
		if err := d.WriteFindings(fs, s); err != nil {
			b.Fatal(err)
		}
		if err := d.Abort(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "findings/s")
}

// BenchmarkWriteFindings writes findings.parquet, findings.csv, the fix
// lists, summary, report and manifest of 200 000 findings in 400 communes.
func BenchmarkWriteFindings(b *testing.B) {
	b.Run("200k", func(b *testing.B) { benchWrite(b, 200_000, false) })
	b.Run("200k-xlsx", func(b *testing.B) { benchWrite(b, 200_000, true) })
}

func BenchmarkSlug(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Slug("Phường Hoàng Mai")
	}
}
