// Benchmarks: print a table and write JSON
