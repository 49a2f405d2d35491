package store_test

import (
	"testing"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/store"
	"github.com/morphml/morphml/core/store/storetest"
)

func TestMemory(t *testing.T) {
	storetest.Run(t, func(t *testing.T) search.Storage { return store.NewMemory() })
}
