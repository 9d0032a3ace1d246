// @vitest-environment happy-dom
/** PNGs at devicePixelRatio 2 on white: a chart from its SVG, a policy card from the card's own drawing code. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { policyPng, svgToPng } from '../../src/app/export/png-export.ts';
import type { PolicyPicture } from '../../src/app/components/draw-policy.ts';

/** every call made on a canvas's 2D context, with the fill style at the time */
let calls: Array<{ name: string; args: unknown[]; fillStyle: unknown; composite: unknown }>;
let canvases: HTMLCanvasElement[];
let svgSources: string[];

beforeEach(() => {
  calls = [];
  canvases = [];
  svgSources = [];
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(function (this: HTMLCanvasElement) {
    canvases.push(this);
    const state: Record<string, unknown> = { fillStyle: '#000', globalCompositeOperation: 'source-over' };
    return new Proxy(state, {
      get: (target, key) =>
        key in target
          ? target[key as string]
          : (...args: unknown[]) => {
              calls.push({ name: String(key), args, fillStyle: target.fillStyle, composite: target.globalCompositeOperation });
            },
      set: (target, key, value) => {
        target[key as string] = value;
        return true;
      },
    }) as unknown as CanvasRenderingContext2D;
  } as unknown as HTMLCanvasElement['getContext']);
  vi.spyOn(HTMLCanvasElement.prototype, 'toBlob').mockImplementation((callback) => callback(new Blob(['png'], { type: 'image/png' })));
  vi.spyOn(HTMLImageElement.prototype, 'decode').mockImplementation(async () => {});
  vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
    void (blob as Blob).text().then((text) => svgSources.push(text));
    return 'blob:svg';
  });
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
});
afterEach(() => vi.restoreAllMocks());

const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="214" viewBox="0 0 400 214"><rect width="100%" height="100%" fill="#ffffff"/></svg>';

describe('svgToPng', () => {
  it('draws the SVG at twice its size onto a white canvas', async () => {
    const blob = await svgToPng(SVG, 400, 214);
    expect(blob.type).toBe('image/png');
    expect([canvases[0].width, canvases[0].height]).toEqual([800, 428]);
    const fill = calls.find((c) => c.name === 'fillRect')!;
    expect(fill.fillStyle).toBe('#ffffff');
    const draw = calls.find((c) => c.name === 'drawImage')!;
    expect(draw.args.slice(1)).toEqual([0, 0, 800, 428]);
    await vi.waitFor(() => expect(svgSources).toHaveLength(1));
    // the vector picture is rendered at the PNG's size, not enlarged from a bitmap
    expect(svgSources[0]).toMatch(/width="800"/);
    expect(svgSources[0]).toMatch(/height="428"/);
    expect(svgSources[0]).toMatch(/viewBox="0 0 400 214"/);
    expect(URL.revokeObjectURL).toHaveBeenCalledWith('blob:svg');
  });
});

describe('policyPng', () => {
  it('draws the card\'s picture at scale 2 under its title, with white put underneath', async () => {
    const picture: PolicyPicture = {
      probs: Float64Array.from([0.5, 0.3, 0.2]),
      refProbs: Float64Array.from([1 / 3, 1 / 3, 1 / 3]),
      reward: Float64Array.from([0, 1, 0]),
      peakLo: 1,
      peakHi: 1,
      sampleBins: new Int32Array(0),
      sampleCoefficients: new Float64Array(0),
      colour: '#1f77b4',
      yMax: 0.5,
    };
    await policyPng(picture, { width: 300, height: 132, title: 'REINFORCE · step 3' });
    expect([canvases[0].width, canvases[0].height]).toEqual([(300 + 16) * 2, (132 + 22 + 8) * 2]);
    expect(calls[0]).toMatchObject({ name: 'scale', args: [2, 2] });
    // three bars in the run's colour
    expect(calls.filter((c) => c.name === 'fillRect' && c.fillStyle === '#1f77b4')).toHaveLength(3);
    expect(calls.find((c) => c.name === 'fillText')!.args.slice(0, 3)).toEqual(['REINFORCE · step 3', 8, 15]);
    const last = calls.at(-1)!;
    expect(last).toMatchObject({ name: 'fillRect', fillStyle: '#ffffff', composite: 'destination-over' });
  });
});
