/**
 * Which comparison to train: the four official transformer scripts and the three length comparisons,
 * each with one line on what it shows; the seed; and "Quick look" (a tenth of the steps, a short SFT)
 * for slow machines. Opening restarts training from a fresh reference, so it waits for "Open".
 */
import { type FormEvent, useEffect, useId, useState } from 'react';
import { findSequencePresetChoice, SEQUENCE_PRESET_CHOICES, type SequencePresetChoice } from './preset-choices.ts';
import { QUICK_LOOK } from './sequences-store.ts';
import { useSequences } from './sequences-context.tsx';

const GROUPS: Array<{ group: SequencePresetChoice['group']; legend: string }> = [
  { group: 'official', legend: 'Official transformer scripts (sequence bandit, reward 7)' },
  { group: 'length', legend: 'Length tasks (ours): four methods each' },
];

const MAX_SEED = 2 ** 31 - 1;

export function PresetChooser() {
  const openedPreset = useSequences((s) => s.preset);
  const openedSeed = useSequences((s) => s.seed);
  const openedQuick = useSequences((s) => s.quick);
  const open = useSequences((s) => s.open);
  const [preset, setPreset] = useState(openedPreset);
  const [seedText, setSeedText] = useState(String(openedSeed));
  const [quick, setQuick] = useState(openedQuick);
  // a comparison opened elsewhere (the console, a test) shows as the chosen one
  useEffect(() => {
    setPreset(openedPreset);
    setSeedText(String(openedSeed));
    setQuick(openedQuick);
  }, [openedPreset, openedSeed, openedQuick]);
  const id = useId();
  const seed = Number(seedText);
  const seedValid = seedText.trim() !== '' && Number.isInteger(seed) && seed >= 0 && seed <= MAX_SEED;

  const choose = (choice: SequencePresetChoice) => {
    setPreset(choice.id);
    setSeedText(String(choice.defaultSeed));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    // the chooser's Quick look is the one it describes (a link may have opened a custom shrink)
    if (seedValid) open(preset, { seed, quick, shrink: { ...QUICK_LOOK } });
  };
  const chosen = findSequencePresetChoice(preset);

  return (
    <form className="preset-chooser" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Comparison</h2>
      {GROUPS.map(({ group, legend }) => (
        <fieldset key={group} className="preset-group">
          <legend>{legend}</legend>
          {SEQUENCE_PRESET_CHOICES.filter((choice) => choice.group === group).map((choice) => (
            <label key={choice.id} className="preset-option" data-preset={choice.id}>
              <input type="radio" name={`${id}-preset`} value={choice.id} checked={preset === choice.id} onChange={() => choose(choice)} aria-describedby={`${id}-${choice.id}`} />
              <span className="preset-option-text">
                <span className="preset-option-label">{choice.label}</span>
                <span className="preset-option-shows" id={`${id}-${choice.id}`}>
                  {choice.shows} ({choice.runCount === 1 ? '1 run' : `${choice.runCount} runs`}, {choice.gradientSteps.toLocaleString('en')} steps)
                </span>
              </span>
            </label>
          ))}
        </fieldset>
      ))}
      <div className="preset-options">
        <label className="seed-field">
          Seed{' '}
          <input type="text" inputMode="numeric" value={seedText} onChange={(e) => setSeedText(e.target.value)} aria-invalid={seedValid ? undefined : true} size={6} />
        </label>
        <label className="quick-look">
          <input type="checkbox" checked={quick} onChange={(e) => setQuick(e.target.checked)} aria-describedby={`${id}-quick-help`} /> Quick look
        </label>
        <p className="note" id={`${id}-quick-help`}>
          For slow machines: {Math.round(QUICK_LOOK.stepFactor * 100)}% of each run’s steps and a {QUICK_LOOK.sftSteps}-step SFT of the reference (a rougher π_ref).
        </p>
        {!seedValid && (
          <p className="knob-error" role="alert">
            The seed must be a whole number from 0 to {MAX_SEED}.
          </p>
        )}
      </div>
      <button type="submit" className="primary" disabled={!seedValid}>
        Open {chosen ? `“${chosen.label}”` : 'the comparison'}
      </button>
    </form>
  );
}
