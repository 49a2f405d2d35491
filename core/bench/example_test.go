package bench_test

import (
	"context"
	"fmt"

	"github.com/morphml/morphml/core/bench"
	_ "github.com/morphml/morphml/core/optimizers"
)

func ExampleNB201_TestAccuracy() {
	b, err := bench.LoadNB201()
	if err != nil {
		panic(err)
	}
	best, _ := b.Oracle(bench.CIFAR10) // the best 12-epoch validation accuracy
	fmt.Println(best.Arch)
	fmt.Printf("val %.2f, test %.2f\n", best.Val12, best.Test200)
	acc, _ := b.TestAccuracy(best.Arch, bench.CIFAR100)
	fmt.Printf("on cifar100: %.2f\n", acc)
	// Output:
	// |nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_1x1~1|nor_conv_3x3~2|
	// val 84.89, test 94.37
	// on cifar100: 73.09
}

func ExampleRunNB201() {
	rep, err := bench.RunNB201(context.Background(), bench.NB201Config{
		Optimizer: "local", Dataset: bench.CIFAR10, Budget: 100, Runs: 20, Baseline: "random",
	}, nil)
	if err != nil {
		panic(err)
	}
	fmt.Println(len(rep.Optimizer.Final), len(rep.Optimizer.Curve), rep.Optimizer.Mean > rep.Baseline.Mean)
	// Output: 20 100 true
}
