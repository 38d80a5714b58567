// A benchmark child that measures on demand, so that a parent can alternate two systems' figures
// measurement by measurement (on a shared machine, conditions change from one second to the next).
// The child prints `ready` once warmed up, then one JSON line per `go` line on its stdin, and
// returns when stdin ends.
import readline from 'node:readline';

/** Answers each `go` on stdin with `JSON.stringify(await measure())` on stdout. */
export async function serveMeasurements(measure) {
  console.log('ready');
  for await (const line of readline.createInterface({ input: process.stdin })) {
    if (line.trim() === 'go') console.log(JSON.stringify(await measure()));
  }
}
