/** A modal dialog on the native <dialog> element (focus is trapped and Esc closes it). */
import { useEffect, useRef, type ReactNode } from 'react';

export function Dialog({ open, title, onClose, children, role }: { open: boolean; title: string; onClose: () => void; children: ReactNode; role?: 'alertdialog' }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal?.();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    // 'close' is dispatched as a task: by the time it arrives the dialog may have been opened again
    <dialog ref={ref} className="dialog" aria-labelledby="dialog-title" role={role} onClose={() => !ref.current?.open && onClose()}>
      {open && (
        <>
          <h2 id="dialog-title">{title}</h2>
          {children}
        </>
      )}
    </dialog>
  );
}
