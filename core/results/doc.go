// Package results turns a study's trials into Apache Arrow record batches, for
// pandas, Polars, DuckDB and Parquet, and reads them back.
//
// Trials gives one row per trial: trial, state, one typed column per search
// parameter, one value_<i> column per objective, the architecture's hash,
// parameter and FLOP counts, the duration, the worker, start and finish
// times, the error of a failed trial and the trial whose result a cached
// trial reused. Curves gives the intermediate values (trial, step, value).
// Both carry the study's settings in the schema metadata (see Info).
//
// WriteIPC/ReadIPC store the tables as Arrow IPC (Feather v2) files (the
// package parquetfile as Parquet files); ExportC hands a record batch to another
// runtime through the Arrow C Data Interface without copying, e.g. to
// pyarrow.RecordBatch._import_from_c.
//
// Every function takes the memory.Allocator the arrays are built with (nil:
// memory.DefaultAllocator); a record batch returned here must be released
// with Release once it is no longer needed.
package results
