package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/doisanh/doisanh/admin"
	"github.com/doisanh/doisanh/normalize"
)

type addressPartsJSON struct {
	House    string `json:"house,omitempty"`
	Street   string `json:"street,omitempty"`
	Village  string `json:"village,omitempty"`
	Commune  string `json:"commune,omitempty"`
	District string `json:"district,omitempty"`
	Province string `json:"province,omitempty"`
}

type communeJSON struct {
	Code         string `json:"code"`
	Name         string `json:"name"`
	DistrictCode string `json:"district_code,omitempty"`
	District     string `json:"district,omitempty"`
	ProvinceCode string `json:"province_code"`
	Province     string `json:"province"`
}

type addressJSON struct {
	Input      string           `json:"input"`
	Parts      addressPartsJSON `json:"parts"`
	Status     string           `json:"status"`
	Confidence float64          `json:"confidence"`
	Reason     string           `json:"reason,omitempty"`
	Legacy     []communeJSON    `json:"legacy,omitempty"`
	Current    []communeJSON    `json:"current,omitempty"`
}

func communesJSON(cs []admin.Commune) []communeJSON {
	out := make([]communeJSON, len(cs))
	for i, c := range cs {
		out[i] = communeJSON{c.Code, c.Name, c.DistrictCode, c.DistrictName, c.ProvinceCode, c.ProvinceName}
	}
	return out
}

// fullName is "code Name, District, Province" (no district in the 2025 list).
func fullName(c admin.Commune) string {
	parts := []string{c.Code + " " + c.Name}
	if c.DistrictName != "" {
		parts = append(parts, c.DistrictName)
	}
	return strings.Join(append(parts, c.ProvinceName), ", ")
}

func newNormalizeAddressCmd() *cobra.Command {
	var province string
	cmd := &cobra.Command{
		Use:   "address VALUE...",
		Short: "Parts of an address and the legacy and 2025 communes it names",
		Long: `address splits each value into house, street, village, commune, district and
province, finds the commune in the legacy (63-province) and 2025 (34-province)
lists and prints the 2025 commune it belongs to. A legacy commune is converted
to its 2025 commune; a commune divided in 2025, or a name found in several
places, is reported as ambiguous with its candidates. --province names the
province assumed when the text gives none.

Addresses as people write them are read too: no commas, prefixes glued to
names ("XNghi Phong, HNghi Lộc"), a mistyped letter or digit, numbered wards
with their district ("P7, PN"), short forms (BMT, ĐăkLăk, T.Giang, BR-VT) and
names from before the 2019-2025 merges ("Cửa Lò"). The confidence (0..1) is
meant to be acted on from 0.8; the reason, in Vietnamese, says how an
uncertain answer was reached or why there is none.`,
		Example: `  doisanh normalize address "Xóm 3, X. Nghi Phong, H. Nghi Lộc, T. Nghệ An" "P.10, Q.Phú Nhuận, TP.HCM"
  doisanh normalize address "XĐông Sơn,h.Đô Lương,TỉnhNghệAn" "P. Nghi Hương Thị xã Cửa Lò, Nghệ An"`,
		Args: minArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			units := admin.Default()
			if province != "" {
				if _, _, ok := units.Province(admin.Current, province); !ok {
					return usagef("--province %q: not a 2025 province code or name", province)
				}
			}
			p := normalize.NewAddressParser(units, normalize.AddressOptions{Province: province})
			return normalizeRunner(func(o *normalizeOutput, s string) error {
				r := p.Parse(s)
				a := r.Parts
				j := addressJSON{
					Input:      s,
					Parts:      addressPartsJSON{a.House, a.Street, a.Village, a.Commune, a.District, a.Province},
					Status:     r.Status.String(),
					Confidence: r.Confidence,
					Reason:     r.Reason,
					Legacy:     communesJSON(r.Legacy),
					Current:    communesJSON(r.Current),
				}
				text := []string{s, fmt.Sprintf("%s %.2f", r.Status, r.Confidence)}
				for _, f := range []struct{ k, v string }{
					{"house", a.House}, {"street", a.Street}, {"village", a.Village},
					{"commune", a.Commune}, {"district", a.District}, {"province", a.Province},
				} {
					if f.v != "" {
						text = append(text, f.k+"="+f.v)
					}
				}
				for _, c := range r.Legacy {
					text = append(text, "legacy="+fullName(c))
				}
				for _, c := range r.Current {
					text = append(text, "2025="+fullName(c))
				}
				if r.Reason != "" {
					text = append(text, "reason="+r.Reason)
				}
				return o.emit(j, r.Status != normalize.AddressUnresolved, text...)
			})(cmd, args)
		},
	}
	cmd.Flags().StringVar(&province, "province", "", "2025 province (code or name) assumed when an address names none")
	return cmd
}
