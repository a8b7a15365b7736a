// Reads the README's "Add the plugins to your Backstage" section: its fenced
// code blocks, up to the next heading (a subsection such as the legacy
// frontend system is not part of it), are what the install test does.
import { readFileSync } from 'node:fs';

export const SECTION = 'Add the plugins to your Backstage';

/** The fenced blocks of the section, as { lang, title, body, line }. */
export function readInstallSection(readmePath) {
  const lines = readFileSync(readmePath, 'utf8').split('\n');
  const start = lines.findIndex(
    l => /^#+\s/.test(l) && l.replace(/^#+\s+/, '').trim() === SECTION,
  );
  if (start < 0) {
    throw new Error(`${readmePath} has no "${SECTION}" section`);
  }
  const blocks = [];
  let open;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i];
    if (!open) {
      if (/^#+\s/.test(line)) break;
      const fence = /^```(\w+)(.*)$/.exec(line);
      if (fence) {
        const title = /title="([^"]+)"/.exec(fence[2])?.[1];
        open = { lang: fence[1], title, body: [], line: i + 1 };
      }
    } else if (line.startsWith('```')) {
      blocks.push({ ...open, body: open.body.join('\n') });
      open = undefined;
    } else {
      open.body.push(line);
    }
  }
  if (open) throw new Error(`README line ${open.line}: unclosed code block`);
  if (blocks.length === 0) {
    throw new Error(`The README's "${SECTION}" section has no code blocks`);
  }
  return blocks;
}
