// Package parquetfile stores the tables of core/results as Parquet files
// and reads them back. It is apart from core/results because Arrow's
// Parquet support brings in its compute kernels and gRPC, several
// megabytes that the Python extension (which has pyarrow for Parquet) and
// other embedders of core/results do without.
package parquetfile
