/**
 * `schedule(callback, delay)` for a worker's session: a zero delay yields through a message channel, because a
 * nested setTimeout(0) is clamped to 4 ms (which would idle an "as fast as possible" loop for a quarter of the
 * time); other delays use setTimeout. Messages from the page still get a turn in between, because each
 * callback is its own task.
 */
const channel = new MessageChannel();
const immediate: Array<() => void> = [];
channel.port1.onmessage = () => immediate.shift()?.();

export function scheduleInWorker(callback: () => void, delay: number): void {
  if (delay > 0) {
    setTimeout(callback, delay);
    return;
  }
  immediate.push(callback);
  channel.port2.postMessage(null);
}
