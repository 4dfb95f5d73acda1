{
  "variables": {
    "duckdb_dir": "<!(node -p \"require('path').dirname(require.resolve('@duckdb/node-bindings-' + process.platform + '-' + process.arch + '/package.json', { paths: [require('path').resolve('..')] }))\")"
  },
  "targets": [
    {
      "target_name": "consist_arrow_parquet",
      "sources": ["arrow_parquet.c"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "libraries": ["-L<(duckdb_dir)", "-lduckdb", "-Wl,-rpath,<(duckdb_dir)"]
    }
  ]
}
