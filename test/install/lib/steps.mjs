// Timed steps and quiet npm runs for the install test's output.
import { spawn } from 'node:child_process';

export const timings = [];

/** Runs one step, logs its name and how long it took. */
export async function timed(name, fn) {
  console.log(`\n--- ${name}`);
  const started = Date.now();
  try {
    return await fn();
  } finally {
    const seconds = Math.round((Date.now() - started) / 1000);
    timings.push({ name, seconds });
    console.log(`--- ${name}: ${seconds}s`);
  }
}

/**
 * The environment for commands in the stock app: without the `npm_*`
 * variables of an enclosing `npm run` (its prefix, log level and script
 * settings would point npm at our workspace instead of the app).
 */
export function appEnv(extra = {}) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)),
  );
  delete env.INIT_CWD;
  return { ...env, FORCE_COLOR: '0', ...extra };
}

/**
 * Runs a command in the stock app, its output shown, rejecting on a non-zero
 * exit. Asynchronous on purpose: the registry stand-in answers npm from this
 * same process.
 */
export function runInApp(cmd, args, cwd, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: 'inherit', env: appEnv(env) });
    child.on('exit', code =>
      code === 0
        ? resolve()
        : reject(
            new Error(`${cmd} ${args.join(' ')} in ${cwd} exited with ${code}`),
          ),
    );
  });
}

/** `npm <args>` in `cwd`, without audit and funding noise. */
export function npm(args, cwd, env = {}) {
  return runInApp('npm', [...args, '--no-audit', '--no-fund'], cwd, env);
}
