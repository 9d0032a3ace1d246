/** A modal dialog on the native <dialog> element (focus is trapped and Esc closes it). */
import { useEffect, useId, useRef, type ReactNode } from 'react';

export function Dialog({ open, title, onClose, children, role, className }: { open: boolean; title: string; onClose: () => void; children: ReactNode; role?: 'alertdialog'; className?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal?.();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    // 'close' is dispatched as a task: by the time it arrives the dialog may have been opened again
    <dialog ref={ref} className={className ? `dialog ${className}` : 'dialog'} aria-labelledby={titleId} role={role} onClose={() => !ref.current?.open && onClose()}>
      {open && (
        <>
          <h2 id={titleId}>{title}</h2>
          {children}
        </>
      )}
    </dialog>
  );
}
