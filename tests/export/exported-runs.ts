/** The training worker's export of an experiment after some steps, run in-process (a test fixture). */
import type { ExperimentConfig } from '../../src/lab/config/experiment.ts';
import type { ExportedRun, FromWorker } from '../../src/worker/protocol.ts';
import { TrainingSession } from '../../src/worker/training-session.ts';

export function exportAfter(config: ExperimentConfig, steps: number): ExportedRun[] {
  const sent: FromWorker[] = [];
  const session = new TrainingSession({ post: (m) => sent.push(m), now: () => 0, schedule: () => {} });
  session.handle({ type: 'load', config, toStep: steps });
  session.handle({ type: 'export', id: 1 });
  const answer = sent.at(-1)!;
  if (answer.type !== 'export') throw new Error(`expected an export, got ${answer.type}`);
  return answer.runs;
}
