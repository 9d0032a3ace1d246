/** What each classroom `hide=` value hides, in words. */
import type { Hideable } from '../../lab/config/url-codec.ts';

export const HIDEABLE_LABELS: Record<Hideable, string> = {
  setup: 'the set-up panel',
  charts: 'the metric charts',
  policies: 'the policy pictures',
  caption: 'the caption and question',
  speed: 'the speed control',
  step: 'the Step and Epoch buttons',
  reset: 'the Reset button',
  runs: 'adding, duplicating and removing runs',
  export: 'export and import',
  nav: 'the switch between the lab and the theory bench',
};
