/**
 * The memory of one `komek worker` with the demo knowledge base (`komek bench --only memory`):
 * a ministry runs Kömek on a small VM, so what a worker keeps resident decides how many fit.
 *
 * 1. A real `komek worker` takes the same warm-up and measured closed-loop load as the
 *    end-to-end section (through the Telegram emulator and the adapter in this process); its
 *    VmRSS is read from /proc after the load has drained and the process has idled two seconds:
 *    the steady state, not the start-up peak.
 * 2. Where that memory goes, in the same run: fresh probe processes (worker-memory-probe.ts)
 *    walk the worker's way step by step, once as shipped and once with onnxruntime's memory
 *    arena on, as it was before — side by side, so the difference is not the machine's noise.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { AppServices } from '../app/services.ts';
import {
  cpuMsOf,
  driveTelegram,
  rssOf,
  startBenchRuntime,
  startWorkerProcess,
  stopProcess,
  warmUpTelegram,
  type Emulator,
  type TelegramLoad,
} from './e2e.ts';

const COMPILED = new URL('../bin/compiled.js', import.meta.url).href;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MB = 2 ** 20;

export interface ProbeReport {
  arena: boolean;
  answered: number;
  steps: { step: string; rssMb: number; heapMb: number; heapTotalMb: number; externalMb: number; anonMb: number; fileMb: number }[];
}

/** Steady-state RSS of one `komek worker` under `load`, then the breakdown; prints as it goes. */
export async function runWorkerMemory(emu: Emulator, services: AppServices, env: Record<string, string | undefined>, prefix: string, load: TelegramLoad, out: (line: string) => void): Promise<{ steadyMb: number; peakMb: number }> {
  const workerEnv = { ...env, KOMEK_QUEUE_PREFIX: prefix, NODE_ENV: 'production' };
  const { steadyMb, peakMb } = await measureWorker(emu, services, workerEnv, prefix, load, out);
  const questions = [...load.questions.kk.map((text) => ({ text, lang: 'kk' as const })), ...load.questions.ru.map((text) => ({ text, lang: 'ru' as const }))];
  const shipped = await probe(workerEnv, questions, false);
  const before = await probe(workerEnv, questions, true);
  out(`where a worker's memory goes (fresh process each, after a full GC; RSS, and the step's growth):`);
  out(`  ${describe(shipped)}`);
  out(`  the same with onnxruntime's CPU memory arena on (as before): ${describeModel(before)}; the arena keeps ${(rssAt(before, 'answered') - rssAt(shipped, 'answered')).toFixed(0)} MB more`);
  return { steadyMb, peakMb };
}

/** One fresh `komek worker` through the warm-up and the measured load: its RSS, and its CPU per message. */
async function measureWorker(emu: Emulator, services: AppServices, workerEnv: Record<string, string | undefined>, prefix: string, load: TelegramLoad, out: (line: string) => void): Promise<{ steadyMb: number; peakMb: number }> {
  const worker = await startWorkerProcess(workerEnv);
  let steadyMb: number;
  let peakMb: number;
  try {
    const runtime = await startBenchRuntime(services, 'bots', prefix);
    try {
      await warmUpTelegram(emu, load, [worker.pid!]);
      const cpuBefore = cpuMsOf(worker.pid!);
      const measured = await driveTelegram(emu, load, [worker.pid!]);
      const cpuMs = (cpuMsOf(worker.pid!) - cpuBefore) / measured.messages;
      peakMb = measured.rssMb[0]!;
      await new Promise((r) => setTimeout(r, 2000));
      steadyMb = rssOf(worker.pid!) / MB;
      const messages = (load.warmUp ?? 1) * load.chats * load.perChat + measured.messages;
      out(`komek worker, steady state after ${messages} messages (the load drained, 2 s idle): RSS ${steadyMb.toFixed(0)} MB (peak during the measured load ${peakMb.toFixed(0)} MB; aim ≤ 250 MB); CPU ${cpuMs.toFixed(2)} ms per message, ${measured.perSecond.toFixed(0)} msg/s; ${measured.unanswered} unanswered`);
    } finally {
      await runtime.close();
    }
  } finally {
    await stopProcess(worker);
  }
  return { steadyMb, peakMb };
}

function rssAt(report: ProbeReport, step: string): number {
  const found = report.steps.find((s) => s.step === step);
  if (!found) throw new Error(`probe step ${step} missing`);
  return found.rssMb;
}

const LABELS: Record<string, string> = {
  start: 'node',
  modules: 'Kömek\'s modules',
  connections: 'Postgres and Redis connections',
  model: 'model loaded (ONNX session, vocabulary, KB and background indexes)',
  answered: 'answering the dev-set questions once',
};

function describe(report: ProbeReport): string {
  return report.steps
    .map((s, i) => `${LABELS[s.step] ?? s.step} ${s.rssMb.toFixed(0)} MB${i > 0 ? ` (+${(s.rssMb - report.steps[i - 1]!.rssMb).toFixed(0)})` : ''}`)
    .join('; ') + `; at the end: JS heap ${last(report).heapMb.toFixed(0)} MB (${last(report).heapTotalMb.toFixed(0)} committed), external ${last(report).externalMb.toFixed(0)} MB; resident pages anonymous ${last(report).anonMb.toFixed(0)} MB, file-backed (code, libraries) ${last(report).fileMb.toFixed(0)} MB`;
}

function last(report: ProbeReport): ProbeReport['steps'][number] {
  return report.steps.at(-1)!;
}

function describeModel(report: ProbeReport): string {
  return `model loaded ${rssAt(report, 'model').toFixed(0)} MB, after answering ${rssAt(report, 'answered').toFixed(0)} MB`;
}

/** One probe process; resolves with its report. */
function probe(env: Record<string, string | undefined>, questions: { text: string; lang: 'kk' | 'ru' }[], arena: boolean): Promise<ProbeReport> {
  // Started the way bin/komek.js starts the CLI: compiled code, no loader in the process.
  const start = `const { importCompiled } = await import(${JSON.stringify(COMPILED)}); await importCompiled('bench/worker-memory-probe.ts');`;
  const args = ['--expose-gc', '--input-type=module', '--eval', start, ...(arena ? ['--', '--arena'] : [])];
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...env, LOG_LEVEL: 'error' } as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  child.stdin.end(JSON.stringify(questions));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      const lastLine = stdout.trim().split('\n').at(-1);
      if (code !== 0 || !lastLine) return reject(new Error(`the memory probe exited with ${code}: ${stderr.trim() || 'no stderr'}`));
      resolve(JSON.parse(lastLine) as ProbeReport);
    });
  });
}
