/** Keyboard shortcuts of the lab (listed in the help overlay). */
import { useEffect } from 'react';
import type { Hideable } from '../../lab/config/url-codec.ts';
import type { LabStore } from '../store/lab-store.ts';
import { SPEEDS } from './Transport.tsx';

export const SHORTCUTS: Array<{ keys: string; action: string }> = [
  { keys: 'Space or K', action: 'Play / pause' },
  { keys: '→ or .', action: 'One gradient step' },
  { keys: 'E', action: 'One epoch of the chosen run' },
  { keys: 'R', action: 'Reset every run to step 0 (same initialisation)' },
  { keys: '+ / −', action: 'Faster / slower' },
  { keys: 'A', action: 'As fast as possible' },
  { keys: '?', action: 'Show this help' },
  { keys: 'Esc', action: 'Close a dialog' },
];

function typingInto(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  return ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName);
}

export function useShortcuts(store: LabStore): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
      if (typingInto(event.target) || document.querySelector('dialog[open]')) return;
      const s = store.getState();
      if (s.page !== 'lab') return;
      // a classroom link that hides a control also turns off its key
      const hidden = (part: Hideable) => s.hide.includes(part);
      // a focused button already answers Space and Enter itself
      const onButton = event.target instanceof HTMLElement && event.target.tagName === 'BUTTON';
      const speedIndex = SPEEDS.indexOf(s.speed);
      switch (event.key) {
        case ' ':
          if (onButton) return;
          s.togglePlay();
          break;
        case 'k':
          s.togglePlay();
          break;
        case 'ArrowRight':
        case '.':
          if (hidden('step')) return;
          s.stepOnce();
          break;
        case 'e':
          if (hidden('step')) return;
          s.stepEpoch();
          break;
        case 'r':
          if (hidden('reset')) return;
          s.reset();
          break;
        case '+':
        case '=':
          if (hidden('speed')) return;
          s.setSpeed(SPEEDS[Math.min(SPEEDS.length - 1, speedIndex + 1)]);
          break;
        case '-':
          if (hidden('speed')) return;
          s.setSpeed(SPEEDS[Math.max(0, speedIndex - 1)]);
          break;
        case 'a':
          if (hidden('speed')) return;
          s.setSpeed('auto');
          break;
        case '?':
          s.setHelpOpen(true);
          break;
        default:
          return;
      }
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);
}
