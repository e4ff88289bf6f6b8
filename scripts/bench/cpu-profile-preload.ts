import { renameSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

/**
 * Loaded into the service with `--require` by `npm run bench -- --cpu-prof`: the first SIGUSR2
 * starts V8's sampling profiler and writes `<path>.started`, the second stops it and writes the
 * .cpuprofile to `<path>`. The profile thus covers exactly the bench's measured phase, which
 * `node --cpu-prof` cannot do (it profiles from start-up and writes only on a normal exit).
 */
const profilePath = process.env.BENCH_CPU_PROFILE_PATH;

if (profilePath) {
  const session = new Session();
  session.connect();
  let profiling = false;
  process.on('SIGUSR2', () => {
    if (!profiling) {
      profiling = true;
      session.post('Profiler.enable', () =>
        session.post('Profiler.start', () => writeFileSync(`${profilePath}.started`, '')),
      );
      return;
    }
    profiling = false;
    session.post('Profiler.stop', (error, result) => {
      if (error) {
        process.stderr.write(`bench CPU profile failed: ${error.message}\n`);
        return;
      }
      writeFileSync(`${profilePath}.partial`, JSON.stringify(result.profile));
      renameSync(`${profilePath}.partial`, profilePath);
    });
  });
}
