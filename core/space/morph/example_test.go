package morph_test

import (
	"fmt"

	"github.com/morphml/morphml/core/space/morph"
)

func ExampleParse() {
	src := `# a small CNN
SearchSpace(name="cnn", input=[1, 28, 28], layers=[
    Layer.conv2d(filters=[32, 64], kernel_size=[3, 5]), Layer.relu(),
    Layer.maxpool(pool_size=2), Layer.dense(units=[64, 128]), Layer.output(units=10)])
Search(optimizer="evolution", budget=200, seed=1, population_size=50)
Constraint(max_params=200000)
`
	f, err := morph.Parse("cnn.morph", []byte(src))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range f.Space.Params {
		fmt.Println(p.Name, p.Choices)
	}
	fmt.Println(f.Search.Optimizer, f.Search.Budget, f.Search.Options["population_size"], f.Space.MaxParams)

	_, err = morph.Parse("bad.morph", []byte(`SearchSpace(input=[1, 28, 28], layers=[Layer.conv2(filters=32)])`))
	fmt.Println(err)
	// Output:
	// conv2d_1.filters [32 64]
	// conv2d_1.kernel_size [3 5]
	// dense_1.units [64 128]
	// evolution 200 50 200000
	// bad.morph:1:46: unknown layer "conv2" — did you mean "conv2d"?
	//     SearchSpace(input=[1, 28, 28], layers=[Layer.conv2(filters=32)])
	//                                                  ^
}
