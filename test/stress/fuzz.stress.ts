import { fuzzReaders } from "../fuzz/fuzz-readers.js";

// The same readers and properties as `npm test` (test/fuzz/readers.test.ts), ten thousand inputs each.
fuzzReaders(10_000);
