/** Switches between the lab and the theory bench (the page is part of the shared URL). */
import { useLab } from '../lab-context.tsx';
import type { Page } from '../store/lab-store.ts';

const PAGES: { page: Page; label: string; title: string }[] = [
  { page: 'lab', label: 'Lab', title: 'Train policies on the bandit with sampled data' },
  { page: 'theory', label: 'Theory', title: 'Exact forward vs reverse KL gradient flows, no sampling noise' },
  { page: 'sequences', label: 'Sequences', title: 'A toy transformer (gpt-nano) trained with tfjs on token sequences and length tasks' },
];

export function PageNav() {
  const current = useLab((s) => s.page);
  const setPage = useLab((s) => s.setPage);
  return (
    <nav className="page-nav" aria-label="Pages">
      {PAGES.map(({ page, label, title }) => (
        <button key={page} type="button" title={title} aria-current={current === page ? 'page' : undefined} onClick={() => setPage(page)}>
          {label}
        </button>
      ))}
    </nav>
  );
}
