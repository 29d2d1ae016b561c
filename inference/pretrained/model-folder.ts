/**
 * The folder a deployer points Kömek at: an ONNX export of a sentence encoder with its
 * Hugging Face tokenizer files. Only local files are read; nothing is ever downloaded.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { PretrainedModelError } from './errors.ts';
import { isObject, type Json } from './json-fields.ts';

export interface ModelFolder {
  /** Absolute path of the folder. */
  dir: string;
  /** `model.onnx`, or `onnx/model.onnx` as some exports lay it out. */
  modelPath: string;
  tokenizerPath: string;
  /** config.json, if present. */
  config: Json | undefined;
  /** tokenizer_config.json, if present. */
  tokenizerConfig: Json | undefined;
  /** sentence-transformers' pooling settings (`1_Pooling/config.json`), if present. */
  pooling: { path: string; config: Json } | undefined;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function readOptionalJson(path: string): Promise<Json | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new PretrainedModelError(`cannot read ${path}: ${(err as Error).message}`, path, 'file-unreadable', { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new PretrainedModelError(`${path} is not valid JSON: ${(err as Error).message}`, path, 'invalid', { cause: err });
  }
  if (!isObject(json)) throw new PretrainedModelError(`${path} must hold a JSON object`, path, 'invalid');
  return json;
}

/**
 * Checks that `dir` holds an encoder Kömek can run and reads its small JSON files. Errors name
 * the folder or file that is missing or broken.
 */
export async function openModelFolder(dir: string): Promise<ModelFolder> {
  const abs = resolve(dir);
  let isDir = false;
  try {
    isDir = (await stat(abs)).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new PretrainedModelError(`pretrained encoder folder ${abs} does not exist or is not a folder`, abs, 'folder-missing');

  const candidates = [join(abs, 'model.onnx'), join(abs, 'onnx', 'model.onnx')];
  let modelPath: string | undefined;
  for (const c of candidates) {
    if (await isFile(c)) {
      modelPath = c;
      break;
    }
  }
  if (!modelPath) {
    throw new PretrainedModelError(`no model.onnx in ${abs} (looked for ${candidates.join(' and ')})`, candidates[0]!, 'file-missing');
  }
  const tokenizerPath = join(abs, 'tokenizer.json');
  if (!(await isFile(tokenizerPath))) {
    throw new PretrainedModelError(
      `no tokenizer.json in ${abs}: export the tokenizer with the model (the "fast" tokenizer file)`,
      tokenizerPath,
      'file-missing',
    );
  }
  return {
    dir: abs,
    modelPath,
    tokenizerPath,
    config: await readOptionalJson(join(abs, 'config.json')),
    tokenizerConfig: await readOptionalJson(join(abs, 'tokenizer_config.json')),
    pooling: await readPoolingConfig(abs),
  };
}

/**
 * A sentence-transformers folder names its pooling module in modules.json (usually
 * `1_Pooling`); that module's config.json says how the model was trained to pool.
 */
async function readPoolingConfig(dir: string): Promise<{ path: string; config: Json } | undefined> {
  const modules = await readModules(join(dir, 'modules.json'));
  const module = modules.find((m) => isObject(m) && typeof m.type === 'string' && m.type.endsWith('Pooling'));
  const sub = isObject(module) && typeof module.path === 'string' ? module.path : '1_Pooling';
  const path = join(dir, sub, 'config.json');
  const config = await readOptionalJson(path);
  return config ? { path, config } : undefined;
}

async function readModules(path: string): Promise<unknown[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return [];
  }
  try {
    const json: unknown = JSON.parse(text);
    return Array.isArray(json) ? json : [];
  } catch (err) {
    throw new PretrainedModelError(`${path} is not valid JSON: ${(err as Error).message}`, path, 'invalid', { cause: err });
  }
}

/** The model's name as far as the folder tells: its own name and config.json's `_name_or_path`. */
export function modelNames(folder: ModelFolder): string[] {
  const names = [basename(folder.dir)];
  const fromConfig = folder.config?._name_or_path;
  if (typeof fromConfig === 'string') names.push(fromConfig);
  const fromTokenizer = folder.tokenizerConfig?.name_or_path;
  if (typeof fromTokenizer === 'string') names.push(fromTokenizer);
  return names;
}
