/**
 * A run's token heatmap beside the reference's (positions 1..9 down, tokens across, shade by probability,
 * on one shared scale), the most likely token per position in words, and "Save image" of the pair.
 */
import { useCallback, useMemo } from 'react';
import { SaveImageMenu, type ImageFormat } from '../export/SaveImageMenu.tsx';
import { svgBlob } from '../export/svg-export.ts';
import { heatmapTop, type HeatmapPicture } from './draw-heatmap.ts';
import { HEATMAP_ROW_HEIGHT, HeatmapCanvas } from './HeatmapCanvas.tsx';
import { heatmapPng, heatmapSvg } from './heatmap-image.ts';
import type { NeuralComparisonInfo } from '../../worker/neural/protocol.ts';
import { END_TOKEN_SYMBOL, likeliestTokens, likeliestTokensText, tokenLabel } from './token-text.ts';

export const REFERENCE_COLOUR = '#333333';
/** the width of one heatmap in a saved image (CSS px) */
const IMAGE_WIDTH = 320;

export interface RunHeatmapsProps {
  info: NeuralComparisonInfo;
  runName: string;
  colour: string;
  heatmap: readonly number[];
  step: number;
}

export function RunHeatmaps({ info, runName, colour, heatmap, step }: RunHeatmapsProps) {
  const { positions, vocab, endToken, referenceHeatmap } = info;
  const top = useMemo(() => heatmapTop(heatmap, referenceHeatmap), [heatmap, referenceHeatmap]);
  const runPicture = useMemo((): HeatmapPicture => ({ values: heatmap, positions, vocab, endToken, colour, top }), [heatmap, positions, vocab, endToken, colour, top]);
  const referencePicture = useMemo(
    (): HeatmapPicture => ({ values: referenceHeatmap, positions, vocab, endToken, colour: REFERENCE_COLOUR, top }),
    [referenceHeatmap, positions, vocab, endToken, top],
  );
  const runSummary = likeliestTokensText(heatmap, positions, vocab, endToken);
  const referenceSummary = likeliestTokensText(referenceHeatmap, positions, vocab, endToken);
  const likeliest = likeliestTokens(heatmap, positions, vocab);

  const makeImage = useCallback(
    async (format: ImageFormat): Promise<Blob> => {
      if (runPicture.values.length === 0) throw new Error('the run has sampled nothing yet');
      const panels = [
        { title: `${runName} · step ${step}`, picture: runPicture },
        { title: 'π_ref (after SFT)', picture: referencePicture },
      ];
      const size = { width: IMAGE_WIDTH, height: positions * HEATMAP_ROW_HEIGHT * 1.5, title: `Token heatmaps of ${runName} (shade √(p / ${top}))` };
      return format === 'svg' ? svgBlob(heatmapSvg(panels, size)) : heatmapPng(panels, size);
    },
    [runName, step, runPicture, referencePicture, positions, top],
  );

  return (
    <figure className="heatmaps" aria-label={`Token heatmaps of ${runName} and π_ref`}>
      <figcaption className="heatmaps-caption">
        <span>position × token, shade √(p / {top})</span>
        <SaveImageMenu subject={`the token heatmaps of ${runName}`} fileSubject={`heatmap-${runName}`} makeImage={makeImage} />
      </figcaption>
      <div className="heatmap-pair">
        <div className="heatmap">
          <span className="heatmap-title">{runName}</span>
          <div className="heatmap-plot">
            <ol className="heatmap-rows" aria-hidden="true">
              {Array.from({ length: positions }, (_, row) => (
                <li key={row}>{row + 1}</li>
              ))}
            </ol>
            <HeatmapCanvas picture={runPicture} label={`${runName}, most likely token per position: ${runSummary}`} />
          </div>
          <TokenAxis vocab={vocab} endToken={endToken} />
        </div>
        <div className="heatmap">
          <span className="heatmap-title">π_ref</span>
          <div className="heatmap-plot">
            <ol className="heatmap-rows" aria-hidden="true">
              {Array.from({ length: positions }, (_, row) => (
                <li key={row}>{row + 1}</li>
              ))}
            </ol>
            <HeatmapCanvas picture={referencePicture} label={`π_ref, most likely token per position: ${referenceSummary}`} />
          </div>
          <TokenAxis vocab={vocab} endToken={endToken} />
        </div>
      </div>
      <p className="heatmap-summary">
        <span className="heatmap-summary-label">most likely:</span>{' '}
        {likeliest.length ? likeliest.map((t) => tokenLabel(t.token, endToken)).join(' ') : 'nothing sampled yet'}
      </p>
    </figure>
  );
}

function TokenAxis({ vocab, endToken }: { vocab: number; endToken: number | null }) {
  const last = endToken !== null ? vocab - 2 : vocab - 1;
  return (
    <div className="heatmap-axis" aria-hidden="true">
      <span>0</span>
      <span>token</span>
      <span>{last}</span>
      {endToken !== null && <span className="heatmap-axis-end">{END_TOKEN_SYMBOL}</span>}
    </div>
  );
}
