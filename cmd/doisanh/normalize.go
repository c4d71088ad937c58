package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/doisanh/doisanh/normalize"
)

func newNormalizeCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "normalize name|date|id|gender|address VALUE...",
		Short: "Show how doisanh reads a name, date, ID number, gender or address",
		Long: `normalize prints, one line per VALUE, what the reconciliation engine makes of
it: the canonical form and match keys of a name, the date and its precision,
which kinds of ID number a value can be and what is wrong with it, a gender.
--json prints one JSON object per line instead. The exit status is 1 when a
value could not be read.`,
	}
	cmd.PersistentFlags().Bool("json", false, "print JSON instead of text")
	cmd.AddCommand(newNormalizeAddressCmd())
	cmd.AddCommand(newNormalizeNameCmd(), newNormalizeDateCmd(), newNormalizeIDCmd(), newNormalizeGenderCmd())
	return cmd
}

// normalizeOutput writes one result per value, as text or JSON lines, and
// counts the values that could not be read.
type normalizeOutput struct {
	w    io.Writer
	json *json.Encoder
	bad  int
}

func newNormalizeOutput(cmd *cobra.Command) *normalizeOutput {
	o := &normalizeOutput{w: cmd.OutOrStdout()}
	if asJSON, _ := cmd.Flags().GetBool("json"); asJSON {
		o.json = json.NewEncoder(o.w)
		o.json.SetEscapeHTML(false)
	}
	return o
}

// emit writes v as JSON, or the text fields separated by tabs.
func (o *normalizeOutput) emit(v any, ok bool, text ...string) error {
	if !ok {
		o.bad++
	}
	if o.json != nil {
		return o.json.Encode(v)
	}
	_, err := fmt.Fprintln(o.w, strings.Join(text, "\t"))
	return err
}

func (o *normalizeOutput) done(n int) error {
	if o.bad > 0 {
		return fmt.Errorf("%d of %d values could not be read", o.bad, n)
	}
	return nil
}

func normalizeRunner(each func(o *normalizeOutput, value string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		o := newNormalizeOutput(cmd)
		for _, a := range args {
			if err := each(o, a); err != nil {
				return err
			}
		}
		return o.done(len(args))
	}
}

func minArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := cobra.MinimumNArgs(n)(cmd, args); err != nil {
			return usageError{err}
		}
		return nil
	}
}

type nameJSON struct {
	Input    string `json:"input"`
	Display  string `json:"display"`
	Key      string `json:"key"`
	Phonetic string `json:"phonetic"`
	Family   string `json:"family"`
	Middle   string `json:"middle"`
	Given    string `json:"given"`
	Encoding string `json:"encoding"`
}

func newNormalizeNameCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "name VALUE...",
		Short: "Canonical name, key, phonetic key, split and legacy encoding",
		Example: `  doisanh normalize name "NGUYỄN THỊ HOÀ" "NguyÔn V¨n An" "Nguye^~n Va(n An"
  Nguyễn Thị Hòa  key=nguyen thi hoa  phonetic=nguien thi hoa  family=Nguyễn  middle=Thị  given=Hòa  encoding=unicode`,
		Args: minArgs(1),
		RunE: normalizeRunner(func(o *normalizeOutput, s string) error {
			n := normalize.ParseName(s)
			return o.emit(nameJSON{s, n.Display, n.Key, n.Phonetic, n.Family, n.Middle, n.Given, n.Encoding.String()},
				n.Key != "",
				orNone(n.Display), "key="+n.Key, "phonetic="+n.Phonetic,
				"family="+n.Family, "middle="+n.Middle, "given="+n.Given, "encoding="+n.Encoding.String())
		}),
	}
}

type dateJSON struct {
	Input     string `json:"input"`
	Date      string `json:"date"`
	Precision string `json:"precision"`
	Year      int    `json:"year,omitempty"`
	Month     int    `json:"month,omitempty"`
	Day       int    `json:"day,omitempty"`
	Error     string `json:"error,omitempty"`
}

func newNormalizeDateCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "date VALUE...",
		Short: "Date (dd/mm/yyyy, mm/yyyy or yyyy) and its precision",
		Example: `  doisanh normalize date 1985-03-12 00/00/1985 31048 29/02/2023
  12/03/1985  precision=day`,
		Args: minArgs(1),
		RunE: normalizeRunner(func(o *normalizeOutput, s string) error {
			d, err := normalize.ParseDate(s)
			if err != nil {
				return o.emit(dateJSON{Input: s, Precision: d.Precision.String(), Error: err.Error()}, false, "error: "+err.Error())
			}
			return o.emit(dateJSON{s, d.String(), d.Precision.String(), int(d.Year), int(d.Month), int(d.Day), ""}, true,
				orNone(d.String()), "precision="+d.Precision.String())
		}),
	}
}

type idJSON struct {
	Input         string                `json:"input"`
	PersonID      string                `json:"person_id,omitempty"`
	OldID         string                `json:"old_id,omitempty"`
	TaxCode       string                `json:"tax_code,omitempty"`
	InsuranceCode string                `json:"insurance_code,omitempty"`
	CardNumber    string                `json:"card_number,omitempty"`
	Problems      []normalize.IDProblem `json:"problems,omitempty"`
	Errors        map[string]string     `json:"errors,omitempty"`
}

func newNormalizeIDCmd() *cobra.Command {
	var gender, province string
	var birthYear int
	cmd := &cobra.Command{
		Use:   "id VALUE...",
		Short: "Which ID kinds a value reads as (personal ID, CMND, tax, insurance, health card) and its problems",
		Long: `id reads each value as a 12-digit personal ID, a 9-digit CMND, a tax code, a
10-digit social-insurance number and a 15-character health-insurance card, and
prints every reading that succeeds. A personal ID is checked against its
structure (province, century and gender digit, birth year) and against
--gender, --birth-year and --province when given.`,
		Example: `  doisanh normalize id 40085012345 --gender Nam --birth-year 1985 --province "Nghệ An"
  40085012345  person_id=040085012345  tax_code=040085012345  ok`,
		Args: minArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			g, ok := normalize.ParseGender(gender)
			if !ok {
				return usagef("--gender %q: want Nam or Nữ", gender)
			}
			return normalizeRunner(func(o *normalizeOutput, s string) error {
				r := idJSON{Input: s, Errors: map[string]string{}}
				var text []string
				add := func(kind string, v string, err error, field *string) {
					if err != nil {
						r.Errors[kind] = err.Error()
						return
					}
					*field = v
					text = append(text, kind+"="+v)
				}
				id, err := normalize.ParsePersonID(s)
				add("person_id", id, err, &r.PersonID)
				old, err := normalize.ParseOldID(s)
				add("old_id", old, err, &r.OldID)
				tax, err := normalize.ParseTaxCode(s)
				add("tax_code", tax, err, &r.TaxCode)
				ins, err := normalize.ParseInsuranceCode(s)
				add("insurance_code", ins, err, &r.InsuranceCode)
				card, err := normalize.ParseCardNumber(s)
				add("card_number", card, err, &r.CardNumber)
				if r.PersonID != "" {
					r.Problems = normalize.CheckPersonID(r.PersonID, g, birthYear, province)
				}
				read := len(text) > 0
				if !read {
					text = append(text, "error: "+r.Errors["person_id"])
				}
				for _, p := range r.Problems {
					text = append(text, p.Code+": "+p.Detail)
				}
				if read && len(r.Problems) == 0 {
					text = append(text, "ok")
				}
				return o.emit(r, read, append([]string{s}, text...)...)
			})(cmd, args)
		},
	}
	cmd.Flags().StringVar(&gender, "gender", "", "gender to check the personal ID against (Nam, Nữ)")
	cmd.Flags().IntVar(&birthYear, "birth-year", 0, "birth year to check the personal ID against")
	cmd.Flags().StringVar(&province, "province", "", "birth-registration province (code or name) to check against")
	return cmd
}

type genderJSON struct {
	Input  string `json:"input"`
	Gender string `json:"gender"`
	OK     bool   `json:"ok"`
}

func newNormalizeGenderCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "gender VALUE...",
		Short: "Gender: Nam, Nữ, or unknown",
		Example: `  doisanh normalize gender NU M 1 0 trai
  Nữ`,
		Args: minArgs(1),
		RunE: normalizeRunner(func(o *normalizeOutput, s string) error {
			g, ok := normalize.ParseGender(s)
			text := orNone(g.String())
			if !ok {
				text = fmt.Sprintf("error: unknown gender %q", s)
			}
			return o.emit(genderJSON{s, g.String(), ok}, ok, text)
		}),
	}
}

// orNone returns s, or "(none)" when it is empty.
func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
