package pipeline

import (
	"context"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/doisanh/doisanh/normalize"
)

// TestLegacyFreeText writes the small province's free text (gender,
// address, status, relation, residence type, event type) in legacy
// encodings, raw and mis-read as Windows-1252 ("N÷" for "Nữ"): no row may
// be rejected and the findings must be those of the Unicode files.
func TestLegacyFreeText(t *testing.T) {
	withProvince := func(s scenario) scenario {
		for i := range s.population {
			if s.population[i].BirthRegProvince == "" {
				s.population[i].BirthRegProvince = "Tỉnh Nghệ An"
			}
		}
		return s
	}
	clean := withProvince(smallProvince())
	base, err := Run(context.Background(), clean.write(t, t.TempDir(), "csv"))
	if err != nil {
		t.Fatal(err)
	}
	encs := []normalize.Encoding{normalize.EncodingTCVN3, normalize.EncodingVNI, normalize.EncodingWindows1258}
	n := 0
	enc := func(s string) string {
		n++
		e := normalize.EncodeLegacy(s, encs[n%len(encs)])
		if n%2 == 0 {
			r := make([]rune, len(e)) // as a Windows-1252 reader shows it
			for i := 0; i < len(e); i++ {
				r[i] = rune(e[i])
			}
			return string(r)
		}
		return e
	}
	s := withProvince(smallProvince())
	for i := range s.population {
		p := &s.population[i]
		p.Gender, p.Address, p.Status = enc(p.Gender), enc(p.Address), enc(p.Status)
		p.Relation, p.ResidenceType = enc(p.Relation), enc(p.ResidenceType)
		p.BirthRegProvince = enc(p.BirthRegProvince)
	}
	for i := range s.tax {
		s.tax[i].Gender, s.tax[i].Status = enc(s.tax[i].Gender), enc(s.tax[i].Status)
	}
	for i := range s.insurance {
		s.insurance[i].Gender, s.insurance[i].Status = enc(s.insurance[i].Gender), enc(s.insurance[i].Status)
	}
	for i := range s.civil {
		s.civil[i].SubjectGender = enc(s.civil[i].SubjectGender)
	}
	res, err := Run(context.Background(), s.write(t, t.TempDir(), "csv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rejects) != 0 {
		t.Fatalf("%d rows rejected, first: %+v", len(res.Rejects), res.Rejects[0])
	}
	if !reflect.DeepEqual(keys(res.Findings), keys(base.Findings)) {
		t.Errorf("findings differ:\n%v\n%v", keys(base.Findings), keys(res.Findings))
	}
	for i := range res.Findings {
		if a, b := res.Findings[i], base.Findings[i]; !reflect.DeepEqual(a, b) {
			t.Errorf("finding %d differs:\n%+v\n%+v", i, b, a)
		}
	}
}

// TestDecodeTextGender is the case of issue 11: a TCVN3 gender "N÷" must
// read as Nữ, not reject the row.
func TestDecodeTextGender(t *testing.T) {
	for _, in := range []string{"N\xf7", "N÷", normalize.EncodeLegacy("Nữ", normalize.EncodingVNI)} {
		g := in
		if v := decodeText(false, textColumn{&g, "gender"}); v.reason != "" {
			t.Fatalf("%q: %s", in, v.reason)
		}
		if got, ok := normalize.ParseGender(g); !ok || got != normalize.GenderFemale {
			t.Errorf("%q decoded to %q: gender %v, %v", in, g, got, ok)
		}
	}
	bad := "N\xff\xfe"
	if v := decodeText(false, textColumn{&bad, "address"}); v.column != "address" || v.reason == "" {
		t.Errorf("undecodable bytes: verdict %+v", v)
	}
}

// TestWholeFileLegacy writes every file of the small province whole in a
// legacy encoding: with Config.Encoding auto (found from the bytes) or
// named, the run must give the findings of the Unicode files, rejecting
// nothing.
func TestWholeFileLegacy(t *testing.T) {
	clean := smallProvince()
	base, err := Run(context.Background(), clean.write(t, t.TempDir(), "csv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, enc := range []normalize.Encoding{normalize.EncodingTCVN3, normalize.EncodingVNI, normalize.EncodingWindows1258} {
		for _, opt := range []string{"", enc.String()} {
			cfg := clean.write(t, t.TempDir(), "csv")
			for _, path := range []string{cfg.Population, cfg.Tax, cfg.Insurance, cfg.Civil} {
				data, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(normalize.EncodeLegacy(string(data), enc)), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			cfg.Encoding = opt
			res, err := Run(context.Background(), cfg)
			if err != nil {
				t.Fatalf("%v, Encoding %q: %v", enc, opt, err)
			}
			if len(res.Rejects) != 0 {
				t.Errorf("%v, Encoding %q: %d rejects, first %+v", enc, opt, len(res.Rejects), res.Rejects[0])
			}
			for _, c := range res.Counts {
				if c.Encoding != enc.String() {
					t.Errorf("%v, Encoding %q: %s read as %s", enc, opt, c.Source, c.Encoding)
				}
			}
			if !reflect.DeepEqual(keys(res.Findings), keys(base.Findings)) {
				t.Errorf("%v, Encoding %q: findings differ:\n%v\n%v", enc, opt, keys(base.Findings), keys(res.Findings))
			}
		}
	}
	// A wrong encoding named reaches the reader: TCVN3 bytes are not VNI.
	cfg := clean.write(t, t.TempDir(), "csv")
	data, err := os.ReadFile(cfg.Population)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg.Population, []byte(normalize.EncodeLegacy(string(data), normalize.EncodingTCVN3)), 0o644); err != nil {
		t.Fatal(err)
	}
	// Every row is rejected, so the run fails, naming the column and the
	// reason, rather than give a result without a register.
	cfg.Encoding = "vni"
	_, err = Run(context.Background(), cfg)
	var ue *UnusableSourceError
	if !errors.As(err, &ue) || ue.Used != 0 || len(ue.Reasons) == 0 || ue.Reasons[0].Column != "full_name" ||
		ue.Reasons[0].Count != ue.Read || !strings.Contains(ue.Reasons[0].Example, "not valid vni text in column") {
		t.Errorf("TCVN3 read as VNI: %v", err)
	}
	cfg.Encoding = "latin1"
	if _, err := Run(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), `unknown encoding "latin1"`) {
		t.Errorf("Encoding latin1: %v", err)
	}
}
