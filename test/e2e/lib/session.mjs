// One demo and one browser for the tests of the calling file: started before
// them, stopped after them. Screenshots go to `artifacts`.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { openBrowser } from './browser.mjs';
import { startDemo } from './demo.mjs';

export const artifacts = join(process.cwd(), 'test-results', 'e2e');

/** Holds `demo` and `browser` once the file's `before` hook has run. */
export function useDemoSession() {
  const session = {};
  before(async () => {
    mkdirSync(artifacts, { recursive: true });
    session.demo = await startDemo();
    session.browser = await openBrowser();
  });
  after(async () => {
    await session.browser?.close();
    await session.demo?.stop();
  });
  return session;
}
