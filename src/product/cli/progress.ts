import type { Writable } from 'node:stream';
import { MultiBar, Presets, type SingleBar } from 'cli-progress';

/** Progress bars on a terminal; a no-op elsewhere (CloudWatch gets JSON lines instead). */
export function createProgress(
  stream: Writable,
  isTty: boolean,
): { update(stage: string, done: number, total: number): void; stop(): void } {
  if (!isTty) return { update() {}, stop() {} };
  const multi = new MultiBar(
    {
      stream: stream as NodeJS.WriteStream,
      format: ' {stage} [{bar}] {value}/{total}',
      hideCursor: true,
      clearOnComplete: false,
    },
    Presets.shades_classic,
  );
  const bars = new Map<string, SingleBar>();
  return {
    update(stage, done, total) {
      let bar = bars.get(stage);
      if (!bar) {
        bar = multi.create(total, 0, { stage });
        bars.set(stage, bar);
      }
      bar.setTotal(total);
      bar.update(done, { stage });
    },
    stop: () => multi.stop(),
  };
}
