package rules

import (
	"math"
	"testing"

	"github.com/doisanh/doisanh/match"
)

func TestPercent(t *testing.T) {
	for _, tc := range []struct {
		p    float64
		want string
	}{{0.995, "99,5%"}, {0.99949, "99,9%"}, {0.99999, "99,9%"}, {1, "99,9%"}, {0.5, "50,0%"}} {
		if got := percent(tc.p); got != tc.want {
			t.Errorf("percent(%v) = %q, want %q", tc.p, got, tc.want)
		}
	}
}

func TestLowerFirst(t *testing.T) {
	for in, want := range map[string]string{"Xóm 3": "xóm 3", "Tổ dân phố 5": "tổ dân phố 5", "TDP 5": "TDP 5", "": ""} {
		if got := lowerFirst(in); got != want {
			t.Errorf("lowerFirst(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSmoothedU: each field's levels share the vectors where it is known,
// with half a pair more on every level, so an unseen level is rare, not
// impossible.
func TestSmoothedU(t *testing.T) {
	var vs []match.Vector
	for i := range 1000 {
		v := match.MissingVector()
		v[dupFather] = 0
		if i < 10 {
			v[dupFather] = 1
		}
		v[dupOldID] = 0
		vs = append(vs, v)
	}
	ws := make([]float64, len(vs))
	for i := range ws {
		ws[i] = 1
	}
	u := smoothedU(vs, ws, len(DupFields))
	if got, want := u[dupFather][1], 10.5/1001; math.Abs(got-want) > 1e-12 {
		t.Errorf("u(father same) = %v, want %v", got, want)
	}
	if got, want := u[dupOldID][1], 0.5/1001; math.Abs(got-want) > 1e-12 {
		t.Errorf("u(old_id same), never seen = %v, want %v", got, want)
	}
	// Weights count as pairs: the ten agreeing pairs weighing 3 each.
	for i := range 10 {
		ws[i] = 3
	}
	u = smoothedU(vs, ws, len(DupFields))
	if got, want := u[dupFather][1], (30+0.5*1020/1000.0)/(1020+1020/1000.0); math.Abs(got-want) > 1e-12 {
		t.Errorf("weighted u(father same) = %v, want %v", got, want)
	}
	// A field Missing everywhere: uniform.
	if got := u[dupAddress]; got[0] != got[1] || got[1] != got[2] {
		t.Errorf("u(address) with no data = %v, want uniform", got)
	}
}

func TestAgree(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want uint8
	}{{"", "x", match.Missing}, {"x", "", match.Missing}, {"x", "x", 1}, {"x", "y", 0}} {
		if got := agreeStr(tc.a, tc.b); got != tc.want {
			t.Errorf("agreeStr(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
	if agreeKey(0, 5) != match.Missing || agreeKey(5, 5) != 1 || agreeKey(5, 6) != 0 {
		t.Error("agreeKey")
	}
}
