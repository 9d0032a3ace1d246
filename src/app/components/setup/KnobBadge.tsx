/** Says beside a control whether changing it is live (from the next step) or restarts every run. */
export function KnobBadge({ live }: { live: boolean }) {
  return live ? (
    <span className="badge badge-live" title="Applies from the next gradient step, without a reset; recorded in the edit log">
      live
    </span>
  ) : (
    <span className="badge badge-restart" title="Changing this restarts every run from the same initialisation">
      restarts
    </span>
  );
}
