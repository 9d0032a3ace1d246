/**
 * The official code's command line for the current experiment, run by run, each with a copy button; or,
 * for a run that does not map, the reasons. A preset's command covers all of the preset's seeds.
 */
import { useMemo, useState } from 'react';
import { officialCommands, OFFICIAL_DIRECTORY, OFFICIAL_REPOSITORY, type OfficialCommand } from '../../lab/config/official-command.ts';
import { findPreset } from '../../lab/config/presets.ts';
import { useLab } from '../lab-context.tsx';

export function OfficialCommandPanel() {
  const config = useLab((s) => s.config);
  const preset = useLab((s) => s.preset);
  const seeds = useMemo(() => (preset ? findPreset(preset)?.seeds : undefined) ?? [config.seed], [preset, config.seed]);
  const mapping = useMemo(() => officialCommands(config, seeds), [config, seeds]);
  const mapped = mapping.runs.filter((r) => r.ok).length;
  return (
    <section className="export-section" aria-labelledby="official-command-title">
      <h3 id="official-command-title">Official code</h3>
      <p className="note">
        {mapping.ok
          ? `Every run maps onto ${OFFICIAL_DIRECTORY}/hyperparam_tuning.py of ${OFFICIAL_REPOSITORY}.`
          : mapped > 0
            ? `${mapped} of ${mapping.runs.length} runs map onto the official code; the others use settings it lacks.`
            : 'This experiment does not map onto the official code:'}
      </p>
      <ul className="official-runs">
        {mapping.runs.map((run) => (
          <li key={run.run}>
            <strong>{run.run}</strong>
            {run.ok ? (
              <CommandLine command={run} />
            ) : (
              <ul className="official-reasons">
                {run.reasons.map((reason) => (
                  <li key={reason}>{reason}</li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
      {mapped > 0 &&
        mapping.notes.map((note) => (
          <p key={note} className="note">
            {note}
          </p>
        ))}
    </section>
  );
}

function CommandLine({ command }: { command: OfficialCommand }) {
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(command.command);
      setCopied('copied');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <div className="official-command">
      <pre>
        <code data-run={command.run}>{command.command}</code>
      </pre>
      <button type="button" onClick={() => void copy()} aria-label={`Copy the command for ${command.run}`}>
        Copy
      </button>
      <span role="status" className="note">
        {copied === 'copied' ? 'Copied.' : copied === 'failed' ? 'Could not copy: select the command and copy it by hand.' : ''}
      </span>
      {command.notes.map((note) => (
        <p key={note} className="note">
          {note}
        </p>
      ))}
    </div>
  );
}
