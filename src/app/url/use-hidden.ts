/** Whether a classroom link hides this panel or control (`hide=` in the URL). */
import type { Hideable } from '../../lab/config/url-codec.ts';
import { useLab } from '../lab-context.tsx';

export function useHidden(part: Hideable): boolean {
  return useLab((s) => s.hide.includes(part));
}
