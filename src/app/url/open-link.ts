/** Opening an experiment from a link's query (the address bar, a saved experiment). */
import { parseExperimentConfigOrThrow } from '../../lab/config/experiment.ts';
import { DEFAULT_PRESET_NAME, findPreset } from '../../lab/config/presets.ts';
import { decodeExperimentUrl, DEFAULT_VIEW } from '../../lab/config/url-codec.ts';
import type { OpenedExperiment } from '../store/lab-store.ts';
import { requestSequencesView } from './sequences-link.ts';

/**
 * The experiment a query describes; an empty query is the default comparison (no problems to report). The
 * query's Sequences part (if any) is left for the Sequences page (sequences-link.ts): the lab's store does not
 * hold it.
 */
export function experimentFromQuery(query: string): OpenedExperiment {
  const bare = query.startsWith('?') ? query.slice(1) : query;
  if (!bare) {
    requestSequencesView(null);
    return {
      config: parseExperimentConfigOrThrow(findPreset(DEFAULT_PRESET_NAME)!.config),
      view: DEFAULT_VIEW,
      preset: DEFAULT_PRESET_NAME,
      problems: [],
    };
  }
  const decoded = decodeExperimentUrl(bare);
  requestSequencesView(decoded.view.sequences ?? null);
  return decoded;
}
