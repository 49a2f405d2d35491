#!/bin/sh
# Regenerates the pictures in docs/ (shown in the README's "Pictures"
# section). Run from the repository root: sh docs/pictures.sh
set -eu
db=$(mktemp -d)/pictures.db
make build
# Regularized evolution on NAS-Bench-201 (CIFAR-10), examples/nb201.morph.
bin/morphml run examples/nb201.morph --db "$db" --study demo -q > /dev/null
for kind in history pareto importance parallel arch; do
	bin/morphml plot demo --db "$db" --kind "$kind" --out "docs/$kind.png"
done
# Learning curves with pruned trials: the digits search with ASHA.
bin/morphml run examples/digits_asha.morph --db "$db" --study asha -q > /dev/null
bin/morphml plot asha --db "$db" --kind curves --out docs/curves.png
# Evolution against random search, 100 runs of 100 queries each.
bin/morphml bench nb201 --optimizer evolution --budget 100 --runs 100 -q --plot docs/comparison.png
rm -f "$db"
