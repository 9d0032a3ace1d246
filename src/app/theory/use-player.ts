/** Play / pause for a theory demo: calls `tick` every `intervalMs` while playing; stops itself when `canTick` turns false. */
import { useEffect, useRef, useState } from 'react';

export interface Player {
  playing: boolean;
  toggle(): void;
  pause(): void;
}

export function usePlayer(tick: () => void, canTick: boolean, intervalMs: number): Player {
  const [playing, setPlaying] = useState(false);
  const tickRef = useRef(tick);
  useEffect(() => {
    tickRef.current = tick;
  });

  useEffect(() => {
    if (!playing) return;
    const timer = window.setInterval(() => tickRef.current(), intervalMs);
    return () => window.clearInterval(timer);
  }, [playing, intervalMs]);

  useEffect(() => {
    if (playing && !canTick) setPlaying(false);
  }, [playing, canTick]);

  return { playing, toggle: () => setPlaying((p) => !p && canTick), pause: () => setPlaying(false) };
}
