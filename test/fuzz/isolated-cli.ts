/**
 * Runs the CLI in a worker thread (test/fuzz/cli-worker.mjs) with a time limit and a heap cap, so a
 * fuzz case that hangs or allocates without bound fails as "hang" or "out of memory" instead of
 * taking the whole suite down. Runs are sequential; a worker that timed out or died is replaced.
 */
import { Worker } from 'node:worker_threads';
import path from 'node:path';
import { ROOT } from './paths.js';

export interface IsolatedRun {
  /** done: main() returned or threw; timeout: no answer in time (the worker was terminated); crashed: the worker died (heap cap). */
  status: 'done' | 'timeout' | 'crashed';
  code: number | null;
  stdout: string;
  stderr: string;
  /** An exception that escaped main() itself (main() should catch everything). */
  thrown: string | null;
  /** Exceptions and rejections nobody handled while the run was in progress. */
  uncaught: string[];
  ms: number;
  /** Resident memory of the test process: before, the highest sampled during the run, and the OS peak after (bytes). */
  rssBefore: number;
  rssPeak: number;
  maxRssBefore: number;
  maxRssAfter: number;
  error?: string;
}

interface DoneMessage {
  type: 'done';
  id: number;
  code: number | null;
  stdout: string;
  stderr: string;
  thrown: string | null;
  ms: number;
  rssBefore: number;
  rssPeak: number;
  maxRssBefore: number;
  maxRssAfter: number;
}
type WorkerMessage = DoneMessage | { type: 'ready' } | { type: 'uncaught'; id: number | null; error: string };

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** The environment runCli (test/helpers.ts) uses: SOURCE_DATE_EPOCH pins generatedAt. */
const DEFAULT_ENV = { SOURCE_DATE_EPOCH: '1767225600' };

export class IsolatedCli {
  private worker: Worker | null = null;
  private ready: Promise<void> | null = null;
  private nextId = 1;
  private onMessage: ((m: WorkerMessage) => void) | null = null;
  private onDeath: ((error: string) => void) | null = null;
  /** Escaped exceptions reported when no run was in progress. */
  readonly lateUncaught: string[] = [];
  /** How many workers were started (1 + replacements after a hang or a crash). */
  starts = 0;

  constructor(
    private readonly options: { timeoutMs: number; heapMb: number; warmUp?: string[][] } = { timeoutMs: 4000, heapMb: 768 },
  ) {}

  private start(): Promise<void> {
    this.starts++;
    const worker = new Worker(path.join(ROOT, 'test/fuzz/cli-worker.mjs'), {
      workerData: { root: ROOT },
      resourceLimits: { maxOldGenerationSizeMb: this.options.heapMb },
      stdout: true,
      stderr: true,
    });
    this.worker = worker;
    const ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'ready') resolve();
        else if (m.type === 'uncaught' && m.id === null) this.lateUncaught.push(m.error);
        else this.onMessage?.(m);
      });
      const die = (why: string): void => {
        if (this.worker === worker) this.worker = null;
        reject(new Error(why));
        this.onDeath?.(why);
      };
      worker.on('error', (e) => die(`${(e as NodeJS.ErrnoException).code ?? ''} ${e.message}`.trim()));
      worker.on('exit', (code) => die(`worker exited with code ${code}`));
    });
    this.ready = (async () => {
      await ready;
      for (const argv of this.options.warmUp ?? []) await this.exec(argv, { timeoutMs: 60_000 });
      if (this.worker !== worker) throw new Error('the worker died while warming up');
    })();
    this.ready.catch(() => undefined);
    return this.ready;
  }

  /** Runs `engage-audit argv…` and never throws: a hang or a crash is reported in the result. */
  async run(argv: string[], options: RunOptions = {}): Promise<IsolatedRun> {
    try {
      if (this.worker === null) await this.start();
      else await this.ready;
    } catch (error) {
      this.worker = null;
      const blank = { code: null, stdout: '', stderr: '', thrown: null, rssBefore: 0, rssPeak: 0, maxRssBefore: 0, maxRssAfter: 0 };
      return { status: 'crashed', ...blank, uncaught: [], ms: 0, error: `the worker did not start: ${(error as Error).message}` };
    }
    return this.exec(argv, options);
  }

  private exec(argv: string[], options: RunOptions): Promise<IsolatedRun> {
    const worker = this.worker!;
    const id = this.nextId++;
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs;
    const started = performance.now();
    const uncaught: string[] = [];
    const blank = { code: null, stdout: '', stderr: '', thrown: null, rssBefore: 0, rssPeak: 0, maxRssBefore: 0, maxRssAfter: 0 };
    return new Promise<IsolatedRun>((resolve) => {
      const finish = (run: IsolatedRun): void => {
        clearTimeout(timer);
        this.onMessage = null;
        this.onDeath = null;
        resolve(run);
      };
      const timer = setTimeout(() => {
        this.worker = null;
        void worker.terminate();
        finish({ status: 'timeout', ...blank, uncaught, ms: performance.now() - started });
      }, timeoutMs);
      this.onMessage = (m) => {
        if (m.type === 'uncaught') uncaught.push(m.error);
        else if (m.type === 'done' && m.id === id) {
          const { type: _type, id: _id, ...rest } = m;
          finish({ status: 'done', ...rest, uncaught });
        }
      };
      this.onDeath = (error) => finish({ status: 'crashed', ...blank, uncaught, ms: performance.now() - started, error });
      worker.postMessage({ type: 'run', id, argv, cwd: options.cwd ?? ROOT, env: options.env ?? DEFAULT_ENV });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }
}
