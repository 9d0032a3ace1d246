/** A run's live changes in words, as its card lists them ("after step 2, DPO temperature β = 0.5"). */
import { liveKnobLabel, type NeuralLiveEdit, type NeuralLiveKey } from '../../worker/neural/protocol.ts';

/** The knob's label inside a sentence: "learning rate", but "DPO temperature β" keeps its capitals. */
export function knobNameInSentence(key: NeuralLiveKey): string {
  const label = liveKnobLabel(key);
  return /^[A-Z][a-z]/.test(label) ? label[0].toLowerCase() + label.slice(1) : label;
}

export function liveEditText(edit: NeuralLiveEdit): string {
  return `after step ${edit.step}, ${knobNameInSentence(edit.key)} = ${edit.value}`;
}

export function liveEditsText(edits: readonly NeuralLiveEdit[]): string {
  return `Live changes (Reset replays them): ${edits.map(liveEditText).join('; ')}.`;
}
