{
  "variables": {
    "duckdb_dir": "<!(node -p \"require('path').dirname(require.resolve('@duckdb/node-bindings-' + process.platform + '-' + process.arch + '/package.json', { paths: [require('path').resolve('..')] }))\")",
    "duckdb_version": "<!(node -p \"require(require.resolve('@duckdb/node-bindings', { paths: [require('path').resolve('..')] })).library_version()\")"
  },
  "targets": [
    {
      "target_name": "consist_arrow_parquet",
      "sources": ["arrow_parquet.c"],
      "defines": ["CONSIST_DUCKDB_BUILT_FOR=<(duckdb_version)"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "libraries": ["-L<(duckdb_dir)", "-lduckdb", "-Wl,-rpath,<(duckdb_dir)"]
    }
  ]
}
