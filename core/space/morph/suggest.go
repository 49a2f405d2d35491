package morph

import (
	"fmt"
	"strings"
)

// distance is the Levenshtein distance between a and b (insertions,
// deletions and substitutions of runes, each costing 1).
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// suggest returns the candidate nearest to word (ignoring case), or "" when
// none is close: within a third of the word's length, and at least 1.
func suggest(word string, candidates []string) string {
	if len(word) > 64 {
		return ""
	}
	lw := strings.ToLower(word)
	limit := max(1, (len([]rune(word))+2)/3)
	best, bestD := "", limit+1
	for _, c := range candidates {
		if d := distance(lw, strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// unknown formats `unknown <what> "word"`, with a suggestion when one is
// close enough.
func unknown(what, word string, candidates []string) string {
	return unknownIn(what, word, "", candidates)
}

// unknownIn formats `unknown <what> "word" for <where>`, with a suggestion
// when one is close enough.
func unknownIn(what, word, where string, candidates []string) string {
	msg := fmt.Sprintf("unknown %s %q", what, word)
	if where != "" {
		msg += " for " + where
	}
	if s := suggest(word, candidates); s != "" {
		msg += fmt.Sprintf(" — did you mean %q?", s)
	}
	return msg
}

// Suggest returns the candidate nearest to word (ignoring case) when one is
// close enough to be a likely typo, else "": for "did you mean" messages
// outside the DSL (the Python package's optimizer and pruner names).
func Suggest(word string, candidates []string) string { return suggest(word, candidates) }
