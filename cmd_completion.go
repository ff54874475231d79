package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
)

const completionUsage = `usage: settle completion bash|zsh|fish

Prints a shell completion script for settle: the commands (with their
descriptions in zsh and fish), every command's flags, and plan files
(*.yaml, *.yml, *.json) as arguments. Load it with

  bash:  source <(settle completion bash)      (or save it in /etc/bash_completion.d/settle)
  zsh:   settle completion zsh > "${fpath[1]}/_settle"
  fish:  settle completion fish > ~/.config/fish/completions/settle.fish

exit codes: 0 printed, 1 usage error

flags:
`

// runCompletion is `settle completion SHELL`.
func runCompletion(ctx context.Context, args []string, stdout, _ io.Writer) error {
	fs := newFlagSet("completion", completionUsage, stdout)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fs.usageErr("want one SHELL: bash, zsh or fish")
	}
	specs := completionSpecs(ctx)
	switch pos[0] {
	case "bash":
		_, err = io.WriteString(stdout, bashCompletion(specs))
	case "zsh":
		_, err = io.WriteString(stdout, zshCompletion(specs))
	case "fish":
		_, err = io.WriteString(stdout, fishCompletion(specs))
	default:
		return fs.usageErr("shell %q: want bash, zsh or fish", pos[0])
	}
	return err
}

// allCommands returns [commands]; completion reaches the table through it
// because the table lists completion (a direct reference would be an
// initialization cycle).
var allCommands func() []command

func init() { allCommands = func() []command { return commands } }

// completionSpec is what completion knows of one command.
type completionSpec struct {
	name    string // "apply", "sandbox seed"
	summary string
	flags   []string // "--parallelism", ...
}

// completionSpecs lists every command with its flags, read from its own
// help (`settle CMD -h` lists each flag on a line starting "  --"), so the
// completion follows the commands without a second list of flags.
func completionSpecs(ctx context.Context) []completionSpec {
	var out []completionSpec
	for _, c := range allCommands() {
		spec := completionSpec{name: c.name, summary: c.summary}
		if c.name != "completion" {
			var help bytes.Buffer
			c.run(ctx, []string{"-h"}, &help, io.Discard) //nolint:errcheck // -h returns flag.ErrHelp
			for _, line := range strings.Split(help.String(), "\n") {
				if rest, ok := strings.CutPrefix(line, "  --"); ok {
					name, _, _ := strings.Cut(rest, " ")
					spec.flags = append(spec.flags, "--"+name)
				}
			}
		}
		spec.flags = append(spec.flags, "--help")
		out = append(out, spec)
	}
	return out
}

// topWords are the words that may follow "settle": the commands (the
// first word of grouped ones), help and --version.
func topWords(specs []completionSpec) []string {
	words := []string{}
	for _, s := range specs {
		w, _, _ := strings.Cut(s.name, " ")
		if !slices.Contains(words, w) {
			words = append(words, w)
		}
	}
	return append(words, "help", "--version")
}

// subWords are the second words of the commands of group ("serve seed").
func subWords(specs []completionSpec, group string) []string {
	var words []string
	for _, s := range specs {
		if sub, ok := strings.CutPrefix(s.name, group+" "); ok {
			words = append(words, sub)
		}
	}
	return words
}

// groups are the first words of grouped commands ("sandbox").
func groups(specs []completionSpec) []string {
	var out []string
	for _, s := range specs {
		if g, _, ok := strings.Cut(s.name, " "); ok && !slices.Contains(out, g) {
			out = append(out, g)
		}
	}
	return out
}

func bashCompletion(specs []completionSpec) string {
	var b strings.Builder
	b.WriteString("# bash completion for settle: source <(settle completion bash)\n")
	b.WriteString("_settle() {\n")
	b.WriteString("  local cur=\"${COMP_WORDS[COMP_CWORD]}\" cmd=\"${COMP_WORDS[1]}\" first=2\n")
	fmt.Fprintf(&b, "  if (( COMP_CWORD == 1 )); then\n    COMPREPLY=($(compgen -W %q -- \"$cur\")); return\n  fi\n", strings.Join(topWords(specs), " "))
	b.WriteString("  case \"$cmd\" in\n")
	for _, g := range groups(specs) {
		fmt.Fprintf(&b, "    %s)\n      if (( COMP_CWORD == 2 )); then COMPREPLY=($(compgen -W %q -- \"$cur\")); return; fi\n      cmd=\"%s ${COMP_WORDS[2]}\"; first=3;;\n",
			g, strings.Join(subWords(specs, g), " "), g)
	}
	fmt.Fprintf(&b, "    help) COMPREPLY=($(compgen -W %q -- \"$cur\")); return;;\n", strings.Join(topWords(specs)[:len(topWords(specs))-2], " "))
	b.WriteString("    completion) COMPREPLY=($(compgen -W \"bash zsh fish\" -- \"$cur\")); return;;\n")
	b.WriteString("  esac\n  local flags=\"\"\n  case \"$cmd\" in\n")
	for _, s := range specs {
		fmt.Fprintf(&b, "    %q) flags=%q;;\n", s.name, strings.Join(s.flags, " "))
	}
	b.WriteString("  esac\n")
	b.WriteString("  if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W \"$flags\" -- \"$cur\")); return; fi\n")
	b.WriteString("  local IFS=$'\\n'\n")
	b.WriteString("  COMPREPLY=($(compgen -d -- \"$cur\") $(compgen -f -- \"$cur\" | grep -E '\\.(ya?ml|json)$'))\n")
	b.WriteString("}\ncomplete -o filenames -F _settle settle\n")
	return b.String()
}

func zshCompletion(specs []completionSpec) string {
	var b strings.Builder
	b.WriteString("#compdef settle\n# zsh completion for settle: settle completion zsh > \"${fpath[1]}/_settle\"\n")
	b.WriteString("_settle() {\n  local -a cmds\n  cmds=(\n")
	for _, s := range specs {
		if !strings.Contains(s.name, " ") {
			fmt.Fprintf(&b, "    %s\n", zshQuote(s.name+":"+s.summary))
		}
	}
	for _, g := range groups(specs) {
		fmt.Fprintf(&b, "    %s\n", zshQuote(g+":"+strings.Join(subWords(specs, g), ", ")))
	}
	b.WriteString("    'help:the commands, or one command'\n  )\n")
	b.WriteString("  if (( CURRENT == 2 )); then _describe 'command' cmds; return; fi\n")
	b.WriteString("  local cmd=$words[2]\n  case $cmd in\n")
	for _, g := range groups(specs) {
		fmt.Fprintf(&b, "    %s)\n      if (( CURRENT == 3 )); then compadd -- %s; return; fi\n      cmd=\"%s $words[3]\";;\n",
			g, strings.Join(subWords(specs, g), " "), g)
	}
	b.WriteString("    help) _describe 'command' cmds; return;;\n")
	b.WriteString("    completion) compadd -- bash zsh fish; return;;\n")
	b.WriteString("  esac\n  local -a flags\n  case $cmd in\n")
	for _, s := range specs {
		fmt.Fprintf(&b, "    %s) flags=(%s);;\n", zshQuote(s.name), strings.Join(s.flags, " "))
	}
	b.WriteString("  esac\n")
	b.WriteString("  if [[ $PREFIX == -* ]]; then compadd -- $flags; else _files -g '*.(yaml|yml|json)'; fi\n")
	b.WriteString("}\ncompdef _settle settle\n")
	return b.String()
}

// zshQuote single-quotes s for zsh.
func zshQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func fishCompletion(specs []completionSpec) string {
	var b strings.Builder
	b.WriteString("# fish completion for settle: settle completion fish > ~/.config/fish/completions/settle.fish\n")
	b.WriteString("complete -c settle -f\n")
	for _, s := range specs {
		if !strings.Contains(s.name, " ") {
			fmt.Fprintf(&b, "complete -c settle -n __fish_use_subcommand -a %s -d %s\n", s.name, fishQuote(s.summary))
		}
	}
	for _, g := range groups(specs) {
		fmt.Fprintf(&b, "complete -c settle -n __fish_use_subcommand -a %s -d %s\n", g, fishQuote(strings.Join(subWords(specs, g), ", ")))
		for _, s := range specs {
			if sub, ok := strings.CutPrefix(s.name, g+" "); ok {
				fmt.Fprintf(&b, "complete -c settle -n '__fish_seen_subcommand_from %s; and not __fish_seen_subcommand_from %s' -a %s -d %s\n",
					g, strings.Join(subWords(specs, g), " "), sub, fishQuote(s.summary))
			}
		}
	}
	b.WriteString("complete -c settle -n __fish_use_subcommand -a help -d 'the commands, or one command'\n")
	b.WriteString("complete -c settle -n '__fish_seen_subcommand_from completion' -a 'bash zsh fish'\n")
	for _, s := range specs {
		word := s.name
		if _, sub, ok := strings.Cut(s.name, " "); ok {
			word = sub
		}
		for _, f := range s.flags {
			fmt.Fprintf(&b, "complete -c settle -n '__fish_seen_subcommand_from %s' -l %s\n", word, strings.TrimPrefix(f, "--"))
		}
	}
	b.WriteString("complete -c settle -n 'not __fish_use_subcommand' -k -a '(__fish_complete_suffix .yaml .yml .json)'\n")
	return b.String()
}

// fishQuote single-quotes s for fish.
func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, "'", `\'`).Replace(s) + "'"
}
