/**
 * The tfjs backends Mode Lab may train on, in the order design principle 5 tries them (webgpu → webgl → wasm →
 * cpu), and how each one is detected and registered. Framework-free: runs in the training worker, on a page and
 * in Node (tests, CLI, benchmarks).
 *
 * Detection is cheap and imports nothing heavy; `prepare` registers the backend with tfjs (a dynamic import for
 * webgpu and wasm, so that Node never loads the WebGPU bundle and the wasm binaries are only fetched when wasm is
 * actually tried). Confirming a backend (`tf.setBackend`'s boolean, the smoke test, timing) is select-backend.ts's job.
 */
import * as tf from '@tensorflow/tfjs';

/** The backends the app knows; the `backend=` URL key takes exactly these. */
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

export const BACKEND_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** What the WebGPU adapter says about itself (GPUAdapterInfo, plus whether it is a software fallback). */
export interface GpuAdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
}

export type Availability =
  | { available: true; detail?: string; adapterInfo?: GpuAdapterSummary }
  | { available: false; reason: string; adapterInfo?: GpuAdapterSummary };

export interface DetectOptions {
  /** the caller forced this backend (`backend=` in the URL): a WebGPU fallback adapter is then accepted */
  forced: boolean;
}

export interface BackendCandidate {
  /** the name tfjs registers the backend under (a test may register its own) */
  name: string;
  detect(options: DetectOptions): Promise<Availability>;
  /** registers the backend with tfjs; safe to call more than once */
  prepare(): Promise<void>;
}

/** tfjs-backend-webgpu 4.22 asks for this adapter in its factory; detection asks for the same one. */
function webGpuAdapterOptions(): GPURequestAdapterOptions {
  let lowPower = false;
  try {
    lowPower = tf.env().getBool('WEBGPU_USE_LOW_POWER_GPU');
  } catch {
    // the flag exists only once tfjs-backend-webgpu has been imported; its default is false
  }
  return { powerPreference: lowPower ? 'low-power' : 'high-performance' };
}

function gpuOfThisContext(): GPU | undefined {
  const scope = globalThis as { navigator?: { gpu?: GPU } };
  return scope.navigator?.gpu;
}

/**
 * Chromium ≥ 136 reports the fallback flag on `adapter.info`; older ones on the adapter itself (deprecated and
 * removed since). Either one being true makes it a fallback adapter.
 */
export function summariseAdapter(adapter: GPUAdapter): GpuAdapterSummary {
  const info = (adapter as { info?: Partial<GPUAdapterInfo> }).info ?? {};
  const legacyFlag = (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter;
  return {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
    isFallbackAdapter: info.isFallbackAdapter === true || legacyFlag === true,
  };
}

export function describeAdapter(adapter: GpuAdapterSummary): string {
  const name = [adapter.vendor, adapter.architecture, adapter.device, adapter.description].filter((part) => part !== '').join(' ');
  return `${name === '' ? 'unnamed adapter' : name}${adapter.isFallbackAdapter ? ' (fallback adapter)' : ''}`;
}

export const webGpuCandidate: BackendCandidate = {
  name: 'webgpu',
  async detect({ forced }) {
    const gpu = gpuOfThisContext();
    if (!gpu) return { available: false, reason: 'not available: navigator.gpu does not exist here' };
    const adapter = await gpu.requestAdapter(webGpuAdapterOptions());
    if (!adapter) return { available: false, reason: 'not available: navigator.gpu.requestAdapter() returned no adapter' };
    const adapterInfo = summariseAdapter(adapter);
    if (adapterInfo.isFallbackAdapter && !forced) {
      return {
        available: false,
        adapterInfo,
        reason: `fallback adapter excluded: ${describeAdapter(adapterInfo)} is a software adapter (force it with backend=webgpu)`,
      };
    }
    return { available: true, adapterInfo, detail: describeAdapter(adapterInfo) };
  },
  async prepare() {
    // registers 'webgpu' with tfjs when navigator.gpu exists (its module does nothing else on import)
    await import('@tensorflow/tfjs-backend-webgpu');
  },
};

export const webGlCandidate: BackendCandidate = {
  name: 'webgl',
  async detect() {
    // A worker has no document: tfjs-backend-webgl then draws on an OffscreenCanvas, so that is what we probe.
    if (typeof OffscreenCanvas === 'undefined') return { available: false, reason: 'not available: no OffscreenCanvas here' };
    const context = new OffscreenCanvas(1, 1).getContext('webgl2');
    if (!context) return { available: false, reason: 'not available: OffscreenCanvas.getContext("webgl2") returned null' };
    const renderer = context.getParameter(context.RENDERER);
    context.getExtension('WEBGL_lose_context')?.loseContext();
    if (tf.engine().registryFactory.webgl === undefined) return { available: false, reason: 'not available: tfjs did not register its webgl backend here' };
    return { available: true, detail: typeof renderer === 'string' ? renderer : 'WebGL2' };
  },
  async prepare() {
    // @tensorflow/tfjs registers webgl itself in a browser
  },
};

/** Node, where tfjs-backend-wasm finds its .wasm files beside its own module. */
function runsInNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

let wasmPrepared: Promise<void> | null = null;

async function prepareWasm(): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // Platform notes, pitfall 3: the threaded build hangs in a cross-origin-isolated production build. The flag
  // only exists once the module above has been imported.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (!runsInNode()) {
    // Vite serves the binaries from the package itself (no CDN): `?url` imports, loaded only in a browser.
    const { WASM_FILE_URLS } = await import('./wasm-asset-urls.ts');
    wasm.setWasmPaths(WASM_FILE_URLS);
  }
}

export const wasmCandidate: BackendCandidate = {
  name: 'wasm',
  async detect() {
    if (typeof WebAssembly === 'undefined') return { available: false, reason: 'not available: no WebAssembly here' };
    return { available: true };
  },
  prepare() {
    wasmPrepared ??= prepareWasm();
    return wasmPrepared;
  },
};

export const cpuCandidate: BackendCandidate = {
  name: 'cpu',
  async detect() {
    return { available: true, detail: 'plain JavaScript' };
  },
  async prepare() {
    // always registered by @tensorflow/tfjs
  },
};

export const DEFAULT_CANDIDATES: readonly BackendCandidate[] = [webGpuCandidate, webGlCandidate, wasmCandidate, cpuCandidate];
