'use client';

import { useEffect, useRef } from 'react';
import { messages } from '@/lib/messages';

const h = messages.queue.help;

/**
 * The shortcut help as a native modal <dialog>: focus moves into it, Esc closes it, focus returns to where it
 * was. No inline script or handler attribute (CSP): React attaches the listeners.
 */
export function HelpDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} aria-labelledby="queue-help-title" onClose={onClose} className="help-dialog" data-testid="help-dialog">
      <h2 id="queue-help-title">{h.title}</h2>
      <table>
        <caption className="sr-only">{h.title}</caption>
        <tbody>
          {h.keys.map(([k, what]) => (
            <tr key={k}>
              <th scope="row">
                <kbd>{k}</kbd>
              </th>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="empty">{h.note}</p>
      <button type="button" onClick={onClose} autoFocus>
        {h.close}
      </button>
    </dialog>
  );
}
