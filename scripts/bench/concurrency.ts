/** Runs `concurrency` loops of `work`, each until `work` answers that nothing is left. */
export async function runConcurrently(concurrency: number, work: () => Promise<boolean>): Promise<void> {
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      let more = true;
      while (more) more = await work();
    }),
  );
}
