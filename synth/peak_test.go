package synth

import "testing"

// TestPeakIDShare keeps the constants behind MaxPeople, MaxNationalPeople
// and the number of CMND prefixes true to the model: the largest share of
// people whose IDs share one prefix (province, century and gender, birth
// year), of the home province and of another, the share of people with a
// 10-digit tax code, and the share of people with an old CMND.
func TestPeakIDShare(t *testing.T) {
	opts := DefaultOptions()
	opts.People = 200000
	m := newModel(opts, testGeography())
	m.build()
	m.injectDefects()
	n := map[uint64]int{}
	for id := range m.ids {
		n[id/serialSpace]++
	}
	home := uint64(40) // the test geography's, 040
	peak, migrant := 0, 0
	for k, v := range n {
		if k/1000 == home {
			peak = max(peak, v)
		} else {
			migrant = max(migrant, v)
		}
	}
	if share := float64(peak) / float64(opts.People); share > peakIDShare {
		t.Errorf("%d IDs (a share %.4f of the people) share one prefix, peakIDShare is %.4f", peak, share, peakIDShare)
	}
	if share := float64(migrant) / float64(opts.People); share > migrantIDShare || migrant == 0 {
		t.Errorf("%d IDs (a share %.5f of the people) share one prefix of another province, migrantIDShare is %.5f", migrant, share, migrantIDShare)
	}
	tax := 0
	for c := range m.codes {
		if len(c) == 10 && c[0] == '8' && c[:2] != m.geo.provinceCode {
			tax++
		}
	}
	if share := float64(tax) / float64(opts.People); share > taxCodeShare || tax == 0 {
		t.Errorf("%d tax codes for %d people, taxCodeShare is %.2f", tax, opts.People, taxCodeShare)
	}
	if float64(peakIDShare*MaxPeople) > maxSerialFill*serialSpace {
		t.Errorf("MaxPeople %d would fill more than %.0f%% of one prefix's serials", MaxPeople, 100*maxSerialFill)
	}
	if float64(peakIDShare*maxNationalProvince) > maxSerialFill*homeSerials {
		t.Errorf("a national run's province of %d would fill more than %.0f%% of its home serials", maxNationalProvince, 100*maxSerialFill)
	}
	if float64(taxCodeShare*MaxNationalPeople) > maxSerialFill*codeSpace ||
		float64(migrantIDShare*MaxNationalPeople) > maxSerialFill*(serialSpace-homeSerials) {
		t.Errorf("MaxNationalPeople %d would fill more than %.0f%% of the tax codes or migrants' serials", MaxNationalPeople, 100*maxSerialFill)
	}
	old := 0
	for _, p := range m.people {
		if p.oldID != "" {
			old++
		}
	}
	if share := float64(old) / float64(len(m.people)); share > oldIDShare {
		t.Errorf("a share %.3f of the people has a CMND, oldIDShare is %.2f", share, oldIDShare)
	}
}
