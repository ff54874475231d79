// Command genplan writes a large generated plan to stdout:
//
//	go run ./internal/genplan/cmd -campaigns 1000 -per 100 > big.yaml
package main

import (
	"flag"
	"fmt"
	"os"

	"settle/internal/genplan"
)

func main() {
	campaigns := flag.Int("campaigns", 1000, "number of campaigns")
	per := flag.Int("per", 100, "contributions per campaign")
	payers := flag.Int("payers", genplan.Payers, "payers the contributions share")
	flag.Parse()
	if *campaigns < 0 || *per < 0 || *payers < 1 {
		fmt.Fprintln(os.Stderr, "genplan: -campaigns and -per must be >= 0, -payers >= 1")
		os.Exit(2)
	}
	if _, err := os.Stdout.Write(genplan.GenerateWith(genplan.Options{Campaigns: *campaigns, Contributions: *per, Payers: *payers})); err != nil {
		fmt.Fprintln(os.Stderr, "genplan:", err)
		os.Exit(1)
	}
}
