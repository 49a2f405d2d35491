package optimizers

// One line per optimizer package: importing it registers the optimizer.
import (
	_ "github.com/morphml/morphml/core/optimizers/anneal"
	_ "github.com/morphml/morphml/core/optimizers/bananas"
	_ "github.com/morphml/morphml/core/optimizers/cmaes"
	_ "github.com/morphml/morphml/core/optimizers/de"
	_ "github.com/morphml/morphml/core/optimizers/evolution"
	_ "github.com/morphml/morphml/core/optimizers/gp"
	_ "github.com/morphml/morphml/core/optimizers/local"
	_ "github.com/morphml/morphml/core/optimizers/nsga2"
	_ "github.com/morphml/morphml/core/optimizers/portfolio"
	_ "github.com/morphml/morphml/core/optimizers/pso"
	_ "github.com/morphml/morphml/core/optimizers/random"
	_ "github.com/morphml/morphml/core/optimizers/smac"
	_ "github.com/morphml/morphml/core/optimizers/tpe"
)
