import type { FeedEvent, Reporter } from './feed.js';
import { type CliIo, writeLine } from './io.js';

/** `--json`: one JSON object per event on stdout, nothing else there; messages go to stderr. */
export function createNdjsonReporter(io: CliIo): Reporter {
  return {
    follow() {},
    event(event: FeedEvent) {
      // run:transition's own `event` (the machine event) becomes `trigger`: `event` names the line.
      const { event: trigger, ...payload } = event.payload as { event?: unknown };
      const line = { event: event.name, at: new Date(event.atMs).toISOString(), ...payload };
      writeLine(io.stdout, JSON.stringify(trigger === undefined ? line : { ...line, trigger }));
    },
    info(line) {
      writeLine(io.stderr, line);
    },
    stop() {},
  };
}
