/** Types for ensure-chromium.mjs, which the browser tests share. */
export declare const CANDIDATES: string[];
/** The Chromium to use: CHROMIUM_PATH if it exists, else the first candidate that exists, else null. */
export declare function findChromium(): string | null;
