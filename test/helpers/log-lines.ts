import { Writable } from 'node:stream';

/** A pino destination that keeps every JSON line the app under test logs, for assertions on them. */
export function captureLogLines(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, stream };
}
