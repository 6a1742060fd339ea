import { existsSync, readFileSync, statSync } from 'node:fs';
import { run, succeeds } from './run.mjs';
import { StepFailed } from './steps.mjs';

const TORCH_PACKAGES = ['python3-torch', 'python3-numpy', 'python3-onnx', 'libopenblas0-pthread', 'libjemalloc2'];
const TORCH_CHECK = ['-c', 'import torch, numpy, onnx'];

export function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    throw new StepFailed(`Node ${process.versions.node} is too old`, 'install Node 20.19 or newer (https://nodejs.org, or your package manager), then run this again');
  }
  return `Node ${process.versions.node}`;
}

/** npm ci when node_modules is missing or older than the lock file; otherwise nothing. */
export async function installNodePackages(step) {
  const marker = 'node_modules/.package-lock.json';
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync('package-lock.json').mtimeMs) return 'skipped: installed and up to date';
  const count = Object.keys(JSON.parse(readFileSync('package-lock.json', 'utf8')).packages ?? {}).length;
  let seen = 0;
  step.progress(0, 1, 'npm ci');
  await run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=http'], {
    env: { ONNXRUNTIME_NODE_INSTALL: 'skip' },
    onLine: (line) => {
      if (/GET 200|fetch GET/.test(line)) step.progress(++seen, count, 'npm ci');
    },
  });
  return `${count.toLocaleString('en-US')} packages installed`;
}

/**
 * A Python with torch, NumPy and ONNX for the trainer: TRAINER_PYTHON, python3, or Debian's
 * /usr/bin/python3; installed with apt where this is Debian or Ubuntu and we may.
 */
export async function ensureTorch(step, env, needed) {
  const candidates = [env.TRAINER_PYTHON, 'python3', '/usr/bin/python3'].filter(Boolean);
  for (const python of candidates) if (await succeeds(python, TORCH_CHECK)) return { python, result: `${python} has torch` };
  if (!needed) return { python: null, result: 'skipped: models exist, the trainer is not needed now' };
  const apt = existsSync('/usr/bin/apt-get');
  const root = process.getuid?.() === 0;
  const sudo = !root && (await succeeds('sudo', ['-n', 'true']));
  if (apt && (root || sudo)) {
    step.log(`installing ${TORCH_PACKAGES.join(' ')} with apt (a few minutes)`);
    const aptGet = (args) => run(root ? 'apt-get' : 'sudo', [...(root ? [] : ['-n', 'apt-get']), ...args], { env: { DEBIAN_FRONTEND: 'noninteractive' } });
    try {
      await aptGet(['update', '-qq']);
      await aptGet(['install', '-y', '-qq', '--no-install-recommends', ...TORCH_PACKAGES]);
    } catch (error) {
      step.log(`apt could not install them: ${error.message.split('\n').slice(-3).join(' ')}`);
    }
    if (await succeeds('/usr/bin/python3', TORCH_CHECK)) return { python: '/usr/bin/python3', result: 'installed Debian’s python3-torch' };
  }
  throw new StepFailed(
    'no Python with torch, numpy and onnx, and there are categories without a model to train',
    [
      apt ? `sudo apt-get install --no-install-recommends ${TORCH_PACKAGES.join(' ')}` : 'pip install torch numpy onnx   (in a Python 3.10+ environment)',
      'then run this again (or point TRAINER_PYTHON in .env at a Python that has them)',
    ].join('\n'),
  );
}
