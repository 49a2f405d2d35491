package optimizers

// One line per optimizer package: importing it registers the optimizer.
import (
	_ "github.com/morphml/morphml/core/optimizers/evolution"
	_ "github.com/morphml/morphml/core/optimizers/local"
	_ "github.com/morphml/morphml/core/optimizers/random"
)
