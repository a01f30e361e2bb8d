import { fuzzReaders } from "./fuzz-readers.js";

// A thousand generated inputs per reader on every `npm test`; test/stress/fuzz.stress.ts runs ten thousand.
fuzzReaders(1_000);
