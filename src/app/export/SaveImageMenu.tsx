/**
 * A panel's small "Save image" control: a disclosure with two buttons, PNG and SVG. The panel says how to
 * make each image; this control names the file, saves it, and reports a failure (through the lab's notice
 * when there is a lab, else beside the buttons).
 */
import { useContext, useRef, useState } from 'react';
import { LabContext } from '../lab-context.tsx';
import { downloadBlob } from './download.ts';
import { exportFileName } from './file-name.ts';
import './export.css';

export type ImageFormat = 'png' | 'svg';

export interface SaveImageMenuProps {
  /** what the image shows, for the buttons' names: "the policy of REINFORCE", "the chart Entropy H(π)" */
  subject: string;
  /** the file name's subject ("policy-reinforce") */
  fileSubject: string;
  makeImage(format: ImageFormat): Promise<Blob>;
}

export function SaveImageMenu({ subject, fileSubject, makeImage }: SaveImageMenuProps) {
  const store = useContext(LabContext);
  const details = useRef<HTMLDetailsElement>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const save = async (format: ImageFormat) => {
    setBusy(true);
    setFailure(null);
    try {
      downloadBlob(await makeImage(format), exportFileName(fileSubject, format));
      if (details.current) details.current.open = false;
    } catch (error) {
      const message = `Could not save an image of ${subject}: ${error instanceof Error ? error.message : String(error)}.`;
      if (store) store.setState({ notice: message });
      else setFailure(message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <details className="save-image" ref={details}>
      <summary aria-label={`Save image of ${subject}`} title="Save an image of this panel">
        Save image
      </summary>
      <div className="save-image-formats">
        {(['png', 'svg'] as const).map((format) => (
          <button key={format} type="button" disabled={busy} onClick={() => void save(format)} aria-label={`Save ${subject} as ${format.toUpperCase()}`}>
            {format.toUpperCase()}
          </button>
        ))}
      </div>
      {failure && (
        <p role="alert" className="error">
          {failure}
        </p>
      )}
    </details>
  );
}
