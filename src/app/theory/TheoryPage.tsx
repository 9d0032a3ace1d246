/** The theory bench (issue 6): exact forward vs reverse KL gradient flows. Placeholder until it lands. */
export interface TheoryPageProps {
  /** open a named bandit preset in the lab ("the same picture with samples") */
  onOpenPreset(presetName: string): void;
}

export function TheoryPage(_props: TheoryPageProps) {
  return (
    <main id="theory" className="theory">
      <h2>Theory bench</h2>
    </main>
  );
}
