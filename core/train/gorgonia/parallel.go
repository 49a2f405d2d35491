package gorgonia

import (
	"runtime"
	"sync"
)

// workers runs fn over [0, n) split into at most threads contiguous
// chunks, each on its own goroutine with its worker number; one chunk runs
// on the caller's goroutine. A panic in a chunk is re-raised on the
// caller's goroutine (where the kernel's recover turns it into an error).
func workers(threads, n int, fn func(w, lo, hi int)) {
	if threads <= 1 || n <= 1 {
		fn(0, 0, n)
		return
	}
	threads = min(threads, n)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failure any
	for w := 1; w < threads; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					mu.Lock()
					failure = r
					mu.Unlock()
				}
			}()
			fn(w, w*n/threads, (w+1)*n/threads)
		}(w)
	}
	fn(0, 0, n/threads)
	wg.Wait()
	if failure != nil {
		panic(failure)
	}
}

// defaultThreads is the number of goroutines a kernel uses when the engine
// does not say.
func defaultThreads() int { return runtime.GOMAXPROCS(0) }
