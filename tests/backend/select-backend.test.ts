/**
 * Backend selection in Node (design principle 5): here only cpu and wasm exist (wasm loads its binaries from the
 * package, offline: platform notes §5), so webgpu and webgl must be reported "not available". Fake candidates,
 * registered with tfjs under their own names, exercise the rejection paths: a backend whose softmax is wrong
 * (smoke test mismatch), one whose factory fails (setBackend returns false) and one that throws.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { cpuCandidate, DEFAULT_CANDIDATES, wasmCandidate, webGpuCandidate, type BackendCandidate } from '../../src/worker/backend/candidates.ts';
import { describeDeviceLoss, watchWebGpuDeviceLoss, webGpuDeviceOfTfjs } from '../../src/worker/backend/device-loss.ts';
import { createProbeWorkload } from '../../src/worker/backend/probe-workload.ts';
import { selectBackend, type BackendOutcome } from '../../src/worker/backend/select-backend.ts';
import { runSmokeTest } from '../../src/worker/backend/smoke-test.ts';

const QUICK = { warmUpSteps: 1, timedSteps: 3, timeBudgetMs: 500 } as const;

function outcomeOf(timings: BackendOutcome[], backend: string): BackendOutcome {
  const outcome = timings.find((entry) => entry.backend === backend);
  if (!outcome) throw new Error(`no outcome for ${backend} in ${JSON.stringify(timings)}`);
  return outcome;
}

/** A copy of the cpu backend under another name, whose Softmax kernel computes a sigmoid instead. */
const BROKEN_SOFTMAX = 'broken-softmax';
function registerBrokenSoftmaxBackend(): void {
  if (tf.engine().registryFactory[BROKEN_SOFTMAX] !== undefined) return;
  const CpuBackend = tf.findBackend('cpu').constructor as new () => tf.KernelBackend;
  tf.registerBackend(BROKEN_SOFTMAX, () => new CpuBackend());
  const cpuKernels = tf.getKernelsForBackend('cpu');
  const sigmoid = cpuKernels.find((kernel) => kernel.kernelName === tf.Sigmoid);
  if (!sigmoid) throw new Error('the cpu backend has no Sigmoid kernel');
  for (const kernel of cpuKernels) {
    if (kernel.kernelName === tf.Softmax) {
      tf.registerKernel({ ...kernel, backendName: BROKEN_SOFTMAX, kernelFunc: ({ inputs, backend }) => sigmoid.kernelFunc({ inputs: { x: inputs.logits }, backend, attrs: {} }) });
    } else {
      tf.registerKernel({ ...kernel, backendName: BROKEN_SOFTMAX });
    }
  }
}

const FAILING_FACTORY = 'failing-factory';
function registerFailingBackend(): void {
  if (tf.engine().registryFactory[FAILING_FACTORY] !== undefined) return;
  tf.registerBackend(FAILING_FACTORY, () => {
    throw new Error('no device for you');
  });
}

function alwaysAvailable(name: string): BackendCandidate {
  return { name, detect: async () => ({ available: true }), prepare: async () => {} };
}

describe('selectBackend in Node', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });
  afterAll(() => {
    for (const name of [BROKEN_SOFTMAX, FAILING_FACTORY]) {
      if (tf.engine().registryFactory[name] !== undefined) tf.removeBackend(name);
    }
  });

  it('tries every candidate in order, reports why webgpu and webgl are out, and keeps the fastest working one', async () => {
    const lines: string[] = [];
    const tensorsBefore = tf.memory().numTensors;
    const selection = await selectBackend({ createWorkload: () => createProbeWorkload(), log: (line) => lines.push(line), ...QUICK });
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    if (!selection.ok) throw new Error(selection.error);
    expect(selection.timings.map((outcome) => outcome.backend)).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
    expect(outcomeOf(selection.timings, 'webgpu')).toMatchObject({ ok: false, reason: expect.stringMatching(/^not available: navigator\.gpu/) });
    expect(outcomeOf(selection.timings, 'webgl')).toMatchObject({ ok: false, reason: expect.stringMatching(/^not available/) });
    const wasm = outcomeOf(selection.timings, 'wasm');
    const cpu = outcomeOf(selection.timings, 'cpu');
    expect(wasm.ok && cpu.ok).toBe(true);
    expect(wasm.msPerStep).toBeGreaterThan(0);
    expect(cpu.msPerStep).toBeGreaterThan(0);
    expect(selection.backend).toBe((wasm.msPerStep ?? 0) <= (cpu.msPerStep ?? 0) ? 'wasm' : 'cpu');
    expect(tf.getBackend()).toBe(selection.backend);
    expect(selection.adapterInfo).toBeUndefined();
    expect(lines.at(-1)).toMatch(new RegExp(`^chose ${selection.backend} \\(ms/step: wasm [0-9.]+, cpu [0-9.]+\\)$`));
    console.info(`Node probe workload, ms/step: ${selection.timings.map((outcome) => `${outcome.backend} ${outcome.msPerStep?.toFixed(2) ?? '–'}`).join(', ')}`);
  });

  it('honours a forced backend and tries nothing else, running its workload once (there is nothing to compare)', async () => {
    for (const forced of ['cpu', 'wasm'] as const) {
      let steps = 0;
      const selection = await selectBackend({
        forced,
        createWorkload: () => {
          const probe = createProbeWorkload();
          return { ...probe, step: async () => (steps++, probe.step()) };
        },
        ...QUICK,
      });
      if (!selection.ok) throw new Error(selection.error);
      expect(selection.backend).toBe(forced);
      expect(selection.timings).toHaveLength(1);
      expect(selection.timings[0].msPerStep).toBeGreaterThan(0);
      expect(steps).toBe(1);
      expect(tf.getBackend()).toBe(forced);
    }
  });

  it('returns an error naming why when the forced backend cannot be used, and leaves a working backend active', async () => {
    await tf.setBackend('cpu');
    const selection = await selectBackend({ forced: 'webgpu', createWorkload: () => createProbeWorkload(), ...QUICK });
    expect(selection.ok).toBe(false);
    if (selection.ok) return;
    expect(selection.error).toMatch(/^the forced backend webgpu cannot be used: webgpu: not available: navigator\.gpu does not exist/);
    expect(selection.timings).toEqual([{ backend: 'webgpu', ok: false, reason: expect.any(String) }]);
    expect(tf.getBackend()).toBe('cpu');
    // the caller falls back to a normal selection
    const fallback = await selectBackend({ ...QUICK });
    expect(fallback.ok).toBe(true);
  });

  it('rejects a backend whose smoke test disagrees with the CPU reference, with the numbers', async () => {
    registerBrokenSoftmaxBackend();
    const tensorsBefore = tf.memory().numTensors;
    const selection = await selectBackend({ candidates: [alwaysAvailable(BROKEN_SOFTMAX), cpuCandidate], createWorkload: () => createProbeWorkload(), ...QUICK });
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    if (!selection.ok) throw new Error(selection.error);
    expect(selection.backend).toBe('cpu');
    const broken = outcomeOf(selection.timings, BROKEN_SOFTMAX);
    expect(broken.ok).toBe(false);
    expect(broken.msPerStep).toBeUndefined();
    expect(broken.reason).toMatch(/^smoke test mismatch: softmax\[0\] = [-0-9.e]+ but the CPU reference is [-0-9.e]+ \(\|difference\| [0-9.e-]+ > tolerance 0\.001\)$/);
  });

  it('reports a backend whose initialisation fails (setBackend returns false) and one that throws', async () => {
    registerFailingBackend();
    const throwing: BackendCandidate = {
      name: 'throws-on-detect',
      detect: async () => {
        throw new Error('probe exploded');
      },
      prepare: async () => {},
    };
    const selection = await selectBackend({ candidates: [alwaysAvailable(FAILING_FACTORY), throwing, alwaysAvailable('never-registered'), cpuCandidate], ...QUICK });
    if (!selection.ok) throw new Error(selection.error);
    expect(selection.backend).toBe('cpu');
    expect(outcomeOf(selection.timings, FAILING_FACTORY).reason).toBe(`tf.setBackend('${FAILING_FACTORY}') returned false (the backend failed to initialise)`);
    expect(outcomeOf(selection.timings, 'throws-on-detect').reason).toBe('threw while detecting it: probe exploded');
    expect(outcomeOf(selection.timings, 'never-registered').reason).toMatch(/^threw while tf\.setBackend: Backend name 'never-registered' not found in registry/);
  });

  it('skips excluded candidates (webgpu after a device loss) and says so', async () => {
    const selection = await selectBackend({ exclude: ['webgpu', 'wasm'], ...QUICK });
    if (!selection.ok) throw new Error(selection.error);
    expect(selection.backend).toBe('cpu');
    expect(outcomeOf(selection.timings, 'wasm').reason).toMatch(/^excluded by the caller/);
  });

  it('fails with every reason when nothing works', async () => {
    const selection = await selectBackend({ candidates: [alwaysAvailable('never-registered')] });
    expect(selection).toMatchObject({ ok: false, error: expect.stringMatching(/^no tfjs backend works here: never-registered: threw while tf\.setBackend/) });
  });

  it('the smoke test passes on cpu and wasm and leaves the tensor count unchanged', async () => {
    for (const candidate of [cpuCandidate, wasmCandidate]) {
      await candidate.prepare();
      expect(await tf.setBackend(candidate.name)).toBe(true);
      const before = tf.memory().numTensors;
      expect(await runSmokeTest()).toEqual({ ok: true });
      expect(tf.memory().numTensors).toBe(before);
    }
  });
});

describe('webgpu detection', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  function stubAdapter(adapter: object | null): void {
    vi.stubGlobal('navigator', { gpu: { requestAdapter: async () => adapter } });
  }

  it('excludes a fallback adapter unless webgpu is forced', async () => {
    stubAdapter({ info: { vendor: 'google', architecture: 'swiftshader', device: '', description: '', isFallbackAdapter: true } });
    const chosen = await webGpuCandidate.detect({ forced: false });
    expect(chosen).toMatchObject({ available: false, reason: expect.stringMatching(/^fallback adapter excluded: google swiftshader \(fallback adapter\)/) });
    expect(await webGpuCandidate.detect({ forced: true })).toMatchObject({ available: true, adapterInfo: { isFallbackAdapter: true, architecture: 'swiftshader' } });
  });

  it('reads the older adapter.isFallbackAdapter too, and accepts a hardware adapter', async () => {
    stubAdapter({ isFallbackAdapter: true, info: { vendor: 'google', architecture: 'swiftshader' } });
    expect(await webGpuCandidate.detect({ forced: false })).toMatchObject({ available: false });
    stubAdapter({ info: { vendor: 'nvidia', architecture: 'ampere', isFallbackAdapter: false } });
    expect(await webGpuCandidate.detect({ forced: false })).toMatchObject({ available: true, detail: 'nvidia ampere' });
  });

  it('reports no adapter', async () => {
    stubAdapter(null);
    expect(await webGpuCandidate.detect({ forced: true })).toEqual({ available: false, reason: 'not available: navigator.gpu.requestAdapter() returned no adapter' });
  });

  it('the default order is webgpu, webgl, wasm, cpu', () => {
    expect(DEFAULT_CANDIDATES.map((candidate) => candidate.name)).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
  });
});

describe('device-loss watcher', () => {
  function fakeDevice(): { device: GPUDevice; lose: (info: { reason: string; message: string }) => void } {
    let lose: (info: { reason: string; message: string }) => void = () => {};
    const lost = new Promise<{ reason: string; message: string }>((resolve) => {
      lose = resolve;
    });
    return { device: { lost, queue: {}, destroy: () => {} } as unknown as GPUDevice, lose: (info) => lose(info) };
  }

  it('has nothing to watch in Node', () => {
    expect(webGpuDeviceOfTfjs()).toBeNull();
    expect(watchWebGpuDeviceLoss()).toBeNull();
  });

  it('reports the reason and message once the device is lost', async () => {
    const { device, lose } = fakeDevice();
    const reported: string[] = [];
    const watcher = watchWebGpuDeviceLoss((loss) => reported.push(describeDeviceLoss(loss)), device);
    lose({ reason: 'destroyed', message: 'Device was destroyed.' });
    expect(await watcher?.lost).toEqual({ backend: 'webgpu', reason: 'destroyed', message: 'Device was destroyed.' });
    expect(reported).toEqual(['WebGPU device lost (destroyed): Device was destroyed.']);
  });

  it('stays silent after stop()', async () => {
    const { device, lose } = fakeDevice();
    const onLost = vi.fn();
    watchWebGpuDeviceLoss(onLost, device)?.stop();
    lose({ reason: 'unknown', message: '' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(onLost).not.toHaveBeenCalled();
  });
});
