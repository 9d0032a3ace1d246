/** "Save image" for a panel drawn as one SVG (the theory bench's bar charts and line charts). */
import type { RefObject } from 'react';
import { svgToPng } from './png-export.ts';
import { SaveImageMenu, type ImageFormat } from './SaveImageMenu.tsx';
import { snapshotSvg, svgBlob } from './svg-export.ts';

export interface FigureImageMenuProps {
  /** the panel; its first <svg> is the picture */
  figure: RefObject<HTMLElement | null>;
  /** what it shows ("Demo A: p under KL(q‖p)") */
  subject: string;
  fileSubject: string;
}

export function FigureImageMenu({ figure, subject, fileSubject }: FigureImageMenuProps) {
  const makeImage = async (format: ImageFormat): Promise<Blob> => {
    // the picture is the largest <svg> (a chart's legend icons are small svgs too)
    const svgs = [...(figure.current?.querySelectorAll<SVGSVGElement>('svg') ?? [])];
    const area = (el: SVGSVGElement) => el.getBoundingClientRect().width * el.getBoundingClientRect().height;
    const svg = svgs.sort((a, b) => area(b) - area(a))[0];
    if (!svg) throw new Error('the panel has nothing drawn yet');
    const snapshot = snapshotSvg(svg, { title: subject });
    return format === 'svg' ? svgBlob(snapshot.text) : svgToPng(snapshot.text, snapshot.width, snapshot.height);
  };
  return <SaveImageMenu subject={subject} fileSubject={fileSubject} makeImage={makeImage} />;
}
